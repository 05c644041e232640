/**
 * The README's "Operating the platform": each procedure's stack-file change parses and validates
 * when applied to the shipped stack file, does to the declared resources what the text says, and
 * every name, URN, parameter and tag its commands use is the one the program declares.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { clusterVolumeTag } from "../components/cluster/addons";
import { exportedLogGroupName, parameterGroupName } from "../components/database";
import { validateStackConfig } from "../config/load";
import { StackConfig } from "../config/schema";
import { nodeReleaseParameter } from "../lib/eks-versions";
import { rawConfig } from "./support/config";
import { ofType, planOf, single, stack, stackWith } from "./support/stacks";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const SECTION = README.slice(README.indexOf("\n## Operating the platform\n"), README.indexOf("\n## Layout\n"));

/** The text of one procedure, under its ### heading. */
function procedure(title: string): string {
    const start = SECTION.indexOf(`\n### ${title}\n`);
    expect(start, title).to.be.greaterThan(-1);
    const end = SECTION.indexOf("\n### ", start + 1);
    return SECTION.slice(start, end === -1 ? undefined : end);
}

/** The fenced blocks of a language in a procedure, their indentation removed. */
function blocks(text: string, language: string): string[] {
    return [...text.matchAll(new RegExp("^( *)```" + language + "\\n([\\s\\S]*?)^\\1```", "gm"))].map(([, indent, body]) =>
        body.split("\n").map((line) => line.slice(indent.length)).join("\n"));
}

/** Merges a stack-file fragment into a config keyed by short names; node groups are matched by name. */
function merge(target: any, fragment: any): any {
    if (Array.isArray(fragment)) {
        return fragment.map((item) => {
            const existing = Array.isArray(target) ? target.find((t: any) => t.name === item.name) : undefined;
            return existing ? merge(structuredClone(existing), item) : item;
        }).concat(Array.isArray(target) ? target.filter((t: any) => !fragment.some((f: any) => f.name === t.name)) : []);
    }
    if (fragment !== null && typeof fragment === "object") {
        const result = { ...(target ?? {}) };
        for (const [key, value] of Object.entries(fragment)) result[key] = merge(result[key], value);
        return result;
    }
    return fragment;
}

/** Applies every YAML fragment of a procedure to a raw stack config. */
function applyFragments(raw: Record<string, any>, text: string): Record<string, any> {
    const fragments = blocks(text, "yaml");
    expect(fragments.length, "a stack-file change").to.be.greaterThan(0);
    let config = structuredClone(raw);
    for (const fragment of fragments) {
        const parsed = YAML.parse(fragment);
        for (const [key, value] of Object.entries<any>(parsed)) {
            expect(key).to.match(/^nist-eks-platform:/);
            const short = key.split(":")[1];
            config = { ...config, [short]: merge(config[short], value) };
        }
    }
    return config;
}

describe("README: Operating the platform", () => {
    it("has a procedure for each thing a team runs", () => {
        const titles = [...SECTION.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
        expect(titles).to.include.members([
            "A Kubernetes minor upgrade", "A node AMI roll", "A Postgres major upgrade",
            "Rotating the Grafana database credential and the Velero repository password", "Restoring from a locked backup", "A clean destroy", "Opening the UIs",
        ]);
    });

    it("opening the UIs: the placeholders it replaces validate, and the outputs, groups and hosts it names are the stack's", async () => {
        const text = procedure("Opening the UIs");
        const config = validateStackConfig(applyFragments(rawConfig("dev"), text));
        expect(config.ui.allowedCidrs).to.deep.equal(["198.51.100.0/24"]);
        const dev = await stack("dev");
        const outputs = [...text.matchAll(/pulumi stack output (\w+) --stack (\w+)/g)].map((m) => [m[1], m[2]]);
        expect(outputs).to.deep.equal([["uiUrls", "dev"], ["uiUserPoolId", "dev"], ["uiCallbackUrls", "dev"], ["bastionInstanceId", "prod"]]);
        for (const [output, name] of outputs) expect((await stack(name)).outputs[output], output).to.not.equal(undefined);
        expect(dev.outputs.uiUserPoolId).to.equal(single(dev, "aws:cognito/userPool:UserPool").outputs.id);
        // The group it adds Alice to, and the role each named group gives, are dev's ui.roles.
        const roles = dev.config.ui.roles;
        expect(text).to.include(`--group-name ${roles.admin[0]}`);
        expect(text).to.include(`\`${roles.viewer[0]}\` (viewer), \`${roles.editor[0]}\` (editor), \`${roles.admin[0]}\`\n(admin)`);
        expect(text).to.include(`Opening \`${(dev.outputs.uiUrls as Record<string, string>).grafana}\``);
        expect(text).to.include(`MFA is on`);
        expect(single(dev, "aws:cognito/userPool:UserPool").inputs.mfaConfiguration).to.equal("ON");
    });

    it("a Kubernetes minor upgrade: the change it shows, applied to prod as it was on 1.34, validates and is prod's file today", () => {
        const before = rawConfig("prod");
        Object.assign(before.cluster, { kubernetesVersion: "1.34", supportType: "STANDARD" });
        before.cluster.nodeGroups[0].releaseVersion = "1.34.8-20261118";
        before.cluster.addonVersions["kube-proxy"] = "v1.34.0-eksbuild.4";
        // On 2026-11-01, before 1.34 left standard support.
        const day = new Date("2026-11-01T00:00:00Z");
        expect(() => validateStackConfig(before, day)).to.not.throw();
        const after = validateStackConfig(applyFragments(before, procedure("A Kubernetes minor upgrade")), day);
        const today = validateStackConfig(rawConfig("prod"), day);
        expect(after.cluster).to.deep.equal(today.cluster);
        // Its commands ask for the parameter the program reads, for the version named.
        expect(procedure("A Kubernetes minor upgrade")).to.include(nodeReleaseParameter("1.36", "arm64"));
    });

    it("a Kubernetes minor upgrade: one update in EKS's order, control plane, add-ons, node groups", async () => {
        const run = await stack("prod");
        const cluster = single(run, "aws:eks/cluster:Cluster");
        const addon = (name: string) => ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === name)!;
        for (const name of ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"]) expect(addon(name).dependencies, name).to.include(cluster.urn);
        for (const group of ofType(run, "aws:eks/nodeGroup:NodeGroup")) {
            expect(group.dependencies).to.include.members([addon("vpc-cni").urn, addon("kube-proxy").urn]);
            expect(group.inputs.updateConfig).to.deep.equal({ maxUnavailable: 1 });
            for (const name of ["coredns", "aws-ebs-csi-driver"]) expect(addon(name).dependencies).to.include(group.urn);
        }
    });

    it("a node AMI roll: the pinned release changes the node groups and nothing else", async () => {
        const text = procedure("A node AMI roll");
        const config = validateStackConfig(applyFragments(rawConfig("prod"), text));
        const release = config.cluster.nodeGroups[0].releaseVersion;
        expect(release).to.equal("1.35.5-20261202");
        expect(text).to.include(nodeReleaseParameter("1.35", "arm64"));
        const [before, after] = [await stack("prod"), await stackWith("prod", (c) => { c.cluster.nodeGroups[0].releaseVersion = release; })];
        const changed = after.resources.filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(before.resources.find((b) => b.urn === r.urn)?.inputs));
        expect([...new Set(changed.map((r) => r.type))]).to.deep.equal(["aws:eks/nodeGroup:NodeGroup"]);
    });

    it("a Postgres major upgrade: the change validates, and its commands name the instance, the groups and the logs the program declares", async () => {
        const text = procedure("A Postgres major upgrade");
        const config: StackConfig = validateStackConfig(applyFragments(rawConfig("prod"), text));
        expect(config.observability.grafana.database).to.deep.include({ engine: "postgres", engineVersion: "18" });
        const db = single(await stack("prod"), "aws:rds/instance:Instance");
        expect(text).to.include(`--db-instance-identifier ${db.inputs.identifier}`);
        expect(text).to.include(`\`${parameterGroupName(db.inputs.identifier, "17")}\``);
        expect(text).to.include(`\`${exportedLogGroupName(db.inputs.identifier, "upgrade")}\``);
    });

    it("rotating: the URN to replace is the one of Grafana's password, and the instance is the one named", async () => {
        const text = procedure("Rotating the Grafana database credential and the Velero repository password");
        const run = await stack("prod");
        const password = ofType(run, "random:index/randomPassword:RandomPassword").find((p) => p.name.endsWith("-grafana-db-password"))!;
        expect(text).to.include(`npm run up -- --stack prod --replace '${password.urn}'`);
        expect(text).to.include(`--db-instance-identifier ${single(run, "aws:rds/instance:Instance").inputs.identifier}`);
        expect(text).to.include(`user \`${single(run, "kubernetes:helm.sh/v3:Release", "-grafana").inputs.values["grafana.ini"].database.user}\``);
    });

    it("restoring from a locked backup: the folders and the output it reads are the stack's", async () => {
        const text = procedure("Restoring from a locked backup");
        const run = await stack("prod");
        expect(Object.keys(run.outputs)).to.include("backupBucket");
        const location = ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => r.name.endsWith("-velero"))!.inputs.values.configuration.backupStorageLocation[0];
        expect(text).to.include(`${location.prefix}/backups/<backup-name>/`).and.include(`${location.prefix}/kopia/`);
        expect(text).to.include("backup.objectLock.retentionDays");
    });

    it("a clean destroy: the target is dev's Kubernetes provider, the tag its volumes carry, and the count the plan gives", async () => {
        const text = procedure("A clean destroy");
        const run = await stack("dev");
        const provider = single(run, "pulumi:providers:kubernetes");
        expect(text).to.include(`--target '${provider.urn}'`);
        const tag = clusterVolumeTag(run.config.cluster.name);
        expect(text).to.include(`Name=tag:${tag.key},Values=${tag.value}`);
        const plan = planOf(run);
        expect(text).to.include(`(dev: ${plan.destroy.volumes} volumes, ${plan.destroy.sizeGb} GB)`);
        expect(text).to.include("`nist-eks-platform:protect: false`");
        expect(validateStackConfig({ ...rawConfig("prod"), protect: false }).protect).to.equal(false);
    });
});
