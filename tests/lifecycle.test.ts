/**
 * The tenth `pulumi up`: the edits teams make in a platform's first months, each from the shipped
 * stack files, driven through the offline diff (planner/diff.ts, the same the CLI's --diff prints).
 * Each case states the whole of what the edit may create, update, replace, delete and have
 * blocked, and what it must do; anything else fails it (a create-first replacement under a fixed
 * name included). No stateful resource, key, bucket, database or access entry is replaced or
 * deleted unless the edit means it (and the README's "Operating the platform" says how).
 *
 * Engine runs: the shipped stacks' (shared with every other test file) and one per edit, on dev
 * where the edit does not need prod's shape (prod for the database and the bastion).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { principalResourceKey } from "../components/cluster/access";
import { StackRun } from "../engine/run";
import { diffRuns, DiffOptions, GROW_ONLY, Operation, renderDiff, StackDiff } from "../planner/diff";
import { deriveGrowOnly } from "../scripts/derive-grow-only";
import { single, stack, stackWith } from "./support/stacks";

type Outcome = Partial<Record<Operation | "blocked" | "collides", string[]>>;

/** A resource as the outcome names it: its type's class and its name ("NodeGroup nist-eks-dev-general"). */
const label = (c: { type: string; name: string }) => `${c.type.slice(c.type.lastIndexOf(":") + 1)} ${c.name}`;

/** A diff's resources per operation, and those blocked, each sorted; operations with none left out. */
function outcome(diff: StackDiff): Outcome {
    const result: Outcome = {};
    for (const c of diff.changes) (result[c.operation] ??= []).push(label(c));
    const blocked = diff.changes.filter((c) => c.blocked).map(label);
    if (blocked.length > 0) result.blocked = blocked;
    const collides = diff.changes.filter((c) => c.nameCollision).map(label);
    if (collides.length > 0) result.collides = collides;
    for (const key of Object.keys(result) as (keyof Outcome)[]) result[key]!.sort();
    return result;
}

/**
 * The diff does nothing beyond what `may` permits per operation (nothing where it names none), and
 * does each of `must` ("update Cluster nist-eks-dev-eks").
 */
function expectWithin(diff: StackDiff, may: Outcome, must: readonly string[]): void {
    const got = outcome(diff);
    for (const [key, labels] of Object.entries(got) as [keyof Outcome, string[]][]) {
        expect(labels.filter((l) => !(may[key] ?? []).includes(l)), `${key}: beyond what the edit may do`).to.deep.equal([]);
    }
    const done = Object.entries(got).flatMap(([key, labels]) => labels!.map((l) => `${key} ${l}`));
    expect(must.filter((m) => !done.includes(m)), "what the edit must do").to.deep.equal([]);
}

function diff(before: StackRun, after: StackRun, options: DiffOptions = {}): StackDiff {
    return diffRuns(after.stack, "test", before.resources, after.resources, undefined, options);
}

const VIEWER = "arn:aws:iam::123456789012:role/platform-viewer";
const PREVIEW = "arn:aws:iam::123456789012:role/platform-preview";
const viewerEntry = (namespaces: string[]) => ({ principalArn: VIEWER, policy: "view", namespaces });
/** Dev's access resources for a principal: its entry and its association with a policy. */
const access = (principalArn: string, policy: string) => {
    const entry = `nist-eks-dev-access-${principalResourceKey(principalArn)}`;
    return { entry: `AccessEntry ${entry}`, association: `AccessPolicyAssociation ${entry}-${policy}` };
};

describe("lifecycle: what each routine edit replaces, from the shipped stack files", () => {
    describe("access entries", () => {
        const withViewer = () => stackWith("dev", (c) => { c.cluster.access.entries.push(viewerEntry(["monitoring"])); });
        const viewer = access(VIEWER, "view");

        it("adding an entry creates its entry and association and touches nothing else", async () => {
            expect(outcome(diff(await stack("dev"), await withViewer()))).to.deep.equal({ create: [viewer.entry, viewer.association].sort() });
        });

        it("removing an entry deletes only its entry and association", async () => {
            const removed = diff(await withViewer(), await stack("dev"));
            expect(outcome(removed)).to.deep.equal({ delete: [viewer.entry, viewer.association].sort() });
            expect(removed.changes.map((c) => c.holds)).to.deep.equal(["access", "access"]);
        });

        it("reordering the entries changes nothing", async () => {
            const reordered = await stackWith("dev", (c) => { c.cluster.access.entries.unshift(viewerEntry(["monitoring"])); });
            expect(reordered.config.cluster.access.entries.map((e) => e.principalArn)).to.deep.equal([VIEWER, PREVIEW]);
            expect(outcome(diff(await withViewer(), reordered))).to.deep.equal({});
        });

        it("changing an entry's policy creates its new association and deletes the old one, the entry untouched", async () => {
            const changed = diff(await withViewer(), await stackWith("dev", (c) => { c.cluster.access.entries.push({ ...viewerEntry(["monitoring"]), policy: "edit" }); }));
            expect(outcome(changed)).to.deep.equal({ create: [access(VIEWER, "edit").association], delete: [viewer.association] });
        });

        it("changing an entry's namespaces replaces only its association, deleting first (EKS keys it by principal and policy)", async () => {
            const changed = diff(await withViewer(), await stackWith("dev", (c) => { c.cluster.access.entries.push(viewerEntry(["monitoring", "apps"])); }));
            expect(outcome(changed)).to.deep.equal({ replace: [viewer.association] });
            expect(changed.changes[0]).to.deep.include({
                deleteBeforeReplace: true, holds: "access",
                replaceReasons: [{ input: "accessScope.namespaces", rule: "provider" }],
            });
            // The README's procedure shows these lines (for prod, whose resources differ only by the cluster's name).
            const shown = renderDiff(changed).split("\n").filter((l) => /^\s+(\+-|replaced by)/.test(l)).map((l) => `   ${l.replace(/nist-eks-dev-/g, "nist-eks-prod-")}`);
            expect(fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8")).to.contain(["   ```", ...shown, "   ```"].join("\n"));
        });
    });

    it("a Kubernetes minor upgrade (1.34, kept in extended support, to the shipped 1.35) updates the control plane, add-ons, node group and autoscaler in place", async () => {
        // 1.34's standard support has ended: a cluster still on it is in extended support.
        const upgraded = diff(await stackWith("dev", (c) => { c.cluster.kubernetesVersion = "1.34"; c.cluster.supportType = "EXTENDED"; }), await stack("dev"));
        expectWithin(upgraded, {
            update: [
                "Cluster nist-eks-dev-eks", "Addon nist-eks-dev-kube-proxy", "Addon nist-eks-dev-vpc-cni", "Addon nist-eks-dev-coredns", "Addon nist-eks-dev-aws-ebs-csi-driver",
                "Release nist-eks-dev-autoscaler", "NodeGroup nist-eks-dev-general", "LaunchTemplate nist-eks-dev-general",
            ],
        }, ["update Cluster nist-eks-dev-eks", "update NodeGroup nist-eks-dev-general"]);
        const changed = (name: string) => upgraded.changes.find((c) => c.name === name)!.changed;
        expect(changed("nist-eks-dev-eks")).to.include("version");
        expect(changed("nist-eks-dev-general")).to.include("version");
    });

    it("a Postgres major upgrade updates the database in place and replaces only its parameter group, new one first", async () => {
        const upgraded = diff(await stack("prod"), await stackWith("prod", (c) => { c.observability.grafana.database.engineVersion = "18"; }));
        expectWithin(upgraded, {
            // Grafana's own database user is set up by a one-off Job that names the database it connects
            // to, and Grafana's pods restart after it.
            replace: ["ParameterGroup nist-eks-prod-grafana-db-params", "Job nist-eks-prod-observability-grafana-db-user"],
            update: ["Instance nist-eks-prod-grafana-db", "Job nist-eks-prod-observability-grafana-db-user", "Release nist-eks-prod-observability-grafana"],
        }, ["replace ParameterGroup nist-eks-prod-grafana-db-params", "update Instance nist-eks-prod-grafana-db"]);
        const [params, db] = ["nist-eks-prod-grafana-db-params", "nist-eks-prod-grafana-db"].map((name) => upgraded.changes.find((c) => c.name === name)!);
        expect(params.deleteBeforeReplace).to.equal(false);
        expect(params.replaceReasons).to.deep.include({ input: "family", rule: "provider" });
        expect(db.changed).to.include("engineVersion");
    });

    it("changing a node group's instance types replaces that group and its working-hours schedules, nothing else", async () => {
        const changed = diff(await stack("dev"), await stackWith("dev", (c) => { c.cluster.nodeGroups[0].instanceTypes = ["t3a.large", "t3.large"]; }));
        expectWithin(changed, { replace: ["NodeGroup nist-eks-dev-general", "Schedule nist-eks-dev-general-start", "Schedule nist-eks-dev-general-stop"] }, ["replace NodeGroup nist-eks-dev-general"]);
        const group = changed.changes.find((c) => c.type === "aws:eks/nodeGroup:NodeGroup")!;
        expect(group.replaceReasons).to.deep.equal([{ input: "instanceTypes", rule: "provider" }]);
        // The schedules act on the group's Auto Scaling group, which the new group brings.
        for (const schedule of changed.changes.filter((c) => c !== group)) expect(schedule.replaceReasons).to.deep.equal([{ input: "autoscalingGroupName", rule: "dependency", from: group.urn }]);
    });

    it("changing node counts updates the node group or its schedules in place", async () => {
        const changed = diff(await stack("dev"), await stackWith("dev", (c) => { c.cluster.nodeGroups[0].maxSize = 5; c.cluster.nodeGroups[0].minSize = 1; }));
        expectWithin(changed, { update: ["NodeGroup nist-eks-dev-general", "Schedule nist-eks-dev-general-start", "Schedule nist-eks-dev-general-stop"] }, ["update Schedule nist-eks-dev-general-start"]);
        expect(changed.changes.find((c) => c.type === "aws:autoscaling/schedule:Schedule")!.changed).to.include.members(["maxSize", "minSize"]);
    });

    describe("the bastion", () => {
        /** What the bastion itself is: the instance, its identity and its network path. */
        const BASTION = [
            "Instance nist-eks-prod-bastion-instance", "InstanceProfile nist-eks-prod-bastion-profile", "Role nist-eks-prod-bastion-role", "RolePolicyAttachment nist-eks-prod-bastion-ssm",
            "RolePolicy nist-eks-prod-bastion-session-logs", "SecurityGroup nist-eks-prod-bastion-sg", "SecurityGroupIngressRule nist-eks-prod-bastion-to-api",
        ];
        const off = () => stackWith("prod", (c) => { c.cluster.bastion.enabled = false; });

        it("turning it off deletes the bastion, and keeps the account's Session Manager preferences and the session logs", async () => {
            expectWithin(diff(await stack("prod"), await off()), { delete: BASTION }, ["delete Instance nist-eks-prod-bastion-instance"]);
        });

        it("turning it back on creates the same bastion again", async () => {
            expectWithin(diff(await off(), await stack("prod")), { create: BASTION }, ["create Instance nist-eks-prod-bastion-instance"]);
        });
    });

    it("bumping one chart's version updates its release in place", async () => {
        // A chart bump is a code change (components/helm/catalog.ts) whose render needs the vendored
        // chart; the edited run is the shipped one with the version the program would record.
        const shipped = await stack("dev");
        const autoscaler = single(shipped, "kubernetes:helm.sh/v3:Release", "autoscaler");
        const bumped = { ...shipped, resources: shipped.resources.map((r) => (r === autoscaler ? { ...r, inputs: { ...r.inputs, version: "9.60.0" } } : r)) };
        const changed = diff(shipped, bumped);
        expect(outcome(changed)).to.deep.equal({ update: [label(autoscaler)] });
        expect(changed.changes[0].changed).to.deep.equal(["version"]);
    });

    it("rotating the database password replaces the password and what carries it, never the database (blocked while the password is protected)", async () => {
        const prod = await stack("prod");
        const password = single(prod, "random:index/randomPassword:RandomPassword", "grafana-db-password");
        const rotated = diff(prod, prod, { replace: [password.urn] });
        expectWithin(rotated, {
            replace: [label(password), "Secret nist-eks-prod-observability-grafana-database", "Job nist-eks-prod-observability-grafana-db-user"],
            update: ["Instance nist-eks-prod-grafana-db", "Release nist-eks-prod-observability-grafana"],
            blocked: [label(password)],
        }, [`replace ${label(password)}`, "replace Secret nist-eks-prod-observability-grafana-database"]);
        expect(rotated.changes.find((c) => c.urn === password.urn)!.blocked).to.equal(password.protect);
        // The Secret keeps its name, so the Kubernetes provider deletes it before creating the new one.
        expect(rotated.changes.find((c) => c.type === "kubernetes:core/v1:Secret")).to.deep.include({ deleteBeforeReplace: true, replaceReasons: [{ input: "stringData", rule: "dependency", from: password.urn }] });
    });

    it("changing a retention updates the log group in place", async () => {
        const changed = diff(await stack("dev"), await stackWith("dev", (c) => { c.cluster.controlPlaneLogRetentionDays = 90; }));
        expectWithin(changed, { update: ["LogGroup nist-eks-dev-control-plane-logs"] }, ["update LogGroup nist-eks-dev-control-plane-logs"]);
        expect(changed.changes[0].changed).to.deep.equal(["retentionInDays"]);
    });
});

describe("lifecycle: what a deletion or replacement loses", () => {
    it("flags databases, buckets, keys, the cluster, log groups, access, Kafka and releases with volumes, and blocks the protected", async () => {
        const prod = await stack("prod");
        const kinds = ["aws:rds/instance:Instance", "aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:eks/cluster:Cluster", "aws:eks/accessEntry:AccessEntry", "kubernetes:kafka.strimzi.io/v1:Kafka"];
        const gone = new Set(kinds.map((type) => prod.resources.find((r) => r.type === type)!));
        const releases = prod.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
        const loki = releases.find((r) => r.name.endsWith("-loki"))!;
        const headlamp = releases.find((r) => r.name.endsWith("-headlamp"))!;
        gone.add(loki).add(headlamp);
        const deleted = diff(prod, { ...prod, resources: prod.resources.filter((r) => !gone.has(r)) }).changes;
        const holds: Record<string, string> = {
            "aws:rds/instance:Instance": "database", "aws:s3/bucket:Bucket": "bucket", "aws:kms/key:Key": "KMS key", "aws:eks/cluster:Cluster": "cluster (control plane and etcd)",
            "aws:eks/accessEntry:AccessEntry": "access", "kubernetes:kafka.strimzi.io/v1:Kafka": "Kafka data", [loki.urn]: "volumes (PersistentVolumeClaims)",
        };
        expect(deleted.map((c) => [c.name, c.operation, c.holds ?? null, c.blocked])).to.deep.equal(
            prod.resources.filter((r) => gone.has(r)).map((r) => [r.name, "delete", holds[r.urn] ?? (r.type.endsWith(":Release") ? null : holds[r.type]), r.protect]));
        expect(deleted.filter((c) => c.blocked).map((c) => c.type)).to.include.members(["aws:rds/instance:Instance", "aws:kms/key:Key", "aws:eks/cluster:Cluster"]);
    });
});

describe("lifecycle: a replacement that keeps a fixed name", () => {
    it("is called out when created before its predecessor is deleted under the same name", async () => {
        const dev = await stack("dev");
        const logs = single(dev, "aws:cloudwatch/logGroup:LogGroup", "control-plane-logs");
        const edited = { ...dev, resources: dev.resources.map((r) => (r === logs ? { ...r, inputs: { ...r.inputs, logGroupClass: "INFREQUENT_ACCESS" } } : r)) };
        const [change] = diff(dev, edited).changes;
        expect(change).to.deep.include({ operation: "replace", deleteBeforeReplace: false, nameCollision: `name ${JSON.stringify(logs.inputs.name)}` });
        expect(renderDiff(diff(dev, edited))).to.contain(`Replacements that keep a fixed name while their predecessor still exists (created first, or retained), which the provider refuses:\n  x replace ${logs.name}: keeps name ${JSON.stringify(logs.inputs.name)}\n`);
    });
});

describe("lifecycle: what an operator only grows", () => {
    it("refuses Tempo's replicas down in prod: the trace topic's partitions would go down, which Kafka never does; up is fine", async () => {
        const prod = await stack("prod");
        const topic = single(prod, "kubernetes:kafka.strimzi.io/v1:KafkaTopic", "kafka-topic-tempo");
        const tempo = single(prod, "kubernetes:helm.sh/v3:Release", "observability-tempo");
        const one = await stackWith("prod", (c) => { c.observability.tempo.replicas = 1; });
        const down = diff(prod, one);
        expect(outcome(down)).to.deep.equal({ update: [label(topic), label(tempo)].sort() });
        expect(down.changes.filter((c) => c.lowers).map((c) => [c.name, c.lowers])).to.deep.equal([[topic.name, "spec.partitions 2 → 1"]]);
        expect(renderDiff(down)).to.contain(`Updates that lower what an operator only grows, which it does not apply (the object is never Ready, and the update fails on its wait):\n  x update ${topic.name}: spec.partitions 2 → 1\n`);
        const up = diff(one, prod);
        expect(up.changes.find((c) => c.urn === topic.urn)).to.deep.include({ operation: "update", changed: ["spec.partitions"] });
        expect(up.changes.filter((c) => c.lowers)).to.deep.equal([]);
    });

    it("knows the fields from the vendored CRDs, as the derivation reads them now", () => {
        expect(deriveGrowOnly().types).to.deep.equal(GROW_ONLY);
        expect(GROW_ONLY).to.deep.equal({ "kubernetes:kafka.strimzi.io/v1:KafkaTopic": [{ path: "spec.partitions", file: "charts/vendor/strimzi-kafka-operator/crds/043-Crd-kafkatopic.yaml" }] });
    });
});

describe("lifecycle: a retained resource (retainOnDelete)", () => {
    /** The account's Session Manager preferences: a document with a fixed name that a destroy leaves in place. */
    const preferencesOf = (run: StackRun) => single(run, "aws:ssm/document:Document", "session-preferences");

    it("removed from the program, is left in the account: said so, not flagged as lost, still blocked while protected", async () => {
        const prod = await stack("prod");
        // As prod declares it (protected), and as a stack with protect: false would.
        for (const [name, before] of [["prod", prod], ["unprotected", { ...prod, resources: prod.resources.map((r) => ({ ...r, protect: false })) }]] as const) {
            const preferences = preferencesOf(before);
            expect(preferences.retainOnDelete, name).to.equal(true);
            const removed = diff(before, { ...before, resources: before.resources.filter((r) => r !== preferences) });
            expect(removed.changes, name).to.deep.equal([{
                urn: preferences.urn, type: preferences.type, name: preferences.name, operation: "delete", changed: [], replaceReasons: [], deleteBeforeReplace: false,
                blocked: preferences.protect, retained: true,
            }]);
            const text = renderDiff(removed);
            expect(text, name).to.contain(`  -  delete  aws:ssm/document:Document  ${preferences.name}  (retained)${preferences.protect ? "  BLOCKED: protected" : ""}\n`);
            expect(text, name).to.contain(`Retained: Pulumi stops managing these and leaves them in the account, still billed and holding their names, until they are deleted or imported by hand:\n  ~ delete ${preferences.name}: the resource stays\n`);
            expect(text, name).to.not.contain("Stateful or access-bearing");
        }
    });

    it("replaced, keeps its predecessor and so its fixed name, even deleted first: the provider refuses the successor", async () => {
        const prod = await stack("prod");
        const preferences = preferencesOf(prod);
        // `pulumi up --replace` of the document, as declared to be deleted first.
        const options = { replace: [preferences.urn] };
        const deletingFirst = (run: StackRun, retainOnDelete: boolean) => ({ ...run, resources: run.resources.map((r) => (r === preferences ? { ...r, deleteBeforeReplace: true, retainOnDelete } : r)) });
        const [change] = diff(deletingFirst(prod, true), deletingFirst(prod, true), options).changes;
        expect(change).to.deep.include({ operation: "replace", deleteBeforeReplace: true, retained: true, nameCollision: `name ${JSON.stringify(preferences.inputs.name)}` });
        // Without retainOnDelete, deleting first frees the name.
        const [plain] = diff(deletingFirst(prod, false), deletingFirst(prod, false), options).changes;
        expect(plain).to.deep.include({ operation: "replace", deleteBeforeReplace: true });
        expect(plain).to.not.have.any.keys("retained", "nameCollision");
    });
});
