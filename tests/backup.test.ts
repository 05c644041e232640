import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { CHARTS } from "../components/helm/catalog";
import { PROFILE_DEFAULTS } from "../config/profiles";
import { releaseChart, stackWorkloads } from "../components/helm/workloads";
import { replicationPolicy } from "../components/backup/replication";
import { VELERO_AWS_PLUGIN_IMAGE, VELERO_FS_BACKUP_ANNOTATION, veleroPolicy, veleroTtl, veleroValues } from "../components/backup/velero";
import { unknownValuesKeys } from "../lib/chart-keys";
import { CronFields, Field, parseCron } from "../lib/cron";
import { durationHours } from "../policy/lib/duration";
import { chartWorkloads, workloadsOf } from "./support/render";
import { ofType, providerOf, single, stack, stackWith } from "./support/stacks";

const T = {
    release: "kubernetes:helm.sh/v3:Release",
    bucket: "aws:s3/bucket:Bucket",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    kmsKey: "aws:kms/key:Key",
    provider: "pulumi:providers:aws",
} as const;

// Schedules are read with the cron reader the config schema and the policy pack share, and the pack's Go-duration reader.
const only = (field: Field) => [...field.values].sort((a, b) => a - b);
const every = (field: Field, min: number, max: number) => field.values.size === max - min + 1;

function mustParse(expression: string): CronFields {
    const fields = parseCron(expression);
    if (!fields) throw new Error(`"${expression}" is not a cron expression`);
    return fields;
}

/** Whether a toleration tolerates a taint, as the scheduler decides it. */
function tolerates(toleration: { key?: string; operator?: string; value?: string; effect?: string }, taint: { key: string; value?: string; effect: string }): boolean {
    if (toleration.effect && toleration.effect !== taint.effect) return false;
    if (toleration.operator === "Exists") return toleration.key === undefined || toleration.key === taint.key;
    return toleration.key === taint.key && (toleration.value ?? "") === (taint.value ?? "");
}

/** Fires once a day, at hour:00 (Velero's clock is UTC). */
function isDailyAt(expression: string, hour: number): boolean {
    const t = mustParse(expression);
    return only(t.minutes).join() === "0" && only(t.hours).join() === String(hour)
        && every(t.daysOfMonth, 1, 31) && every(t.months, 1, 12) && t.daysOfWeek.values.size === 7;
}

/** Fires once a week, on the given weekday at hour:00. */
function isWeeklyAt(expression: string, weekday: number, hour: number): boolean {
    const t = mustParse(expression);
    return only(t.minutes).join() === "0" && only(t.hours).join() === String(hour)
        && every(t.daysOfMonth, 1, 31) && every(t.months, 1, 12) && only(t.daysOfWeek).join() === String(weekday);
}

/** Hours in a Go duration such as 168h0m0s. */
function goDurationHours(text: string): number {
    const hours = durationHours(text, "go");
    if (hours === undefined) throw new Error(`"${text}" is not a Go duration`);
    return hours;
}

// ---- Helpers over the engine's records. ----

const releaseOf = (run: StackRun, chart: string) => ofType(run, T.release).filter((r) => releaseChart(r.inputs) === chart);
const childOf = (run: StackRun, parent: PlannedResource, type: string) => {
    const found = run.resources.filter((r) => r.type === type && r.parent === parent.parent);
    expect(found, `${type} beside ${parent.name}`).to.have.length(1);
    return found[0];
};
const statements = (policy: string): any[] => JSON.parse(policy).Statement;
const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
const kmsKeyArn = (run: StackRun, purpose: string) => single(run, T.kmsKey, `-${purpose}`).outputs.arn as string;

/** The backup bucket and the sub-resources SecureBucket gives it. */
function backupBucket(run: StackRun) {
    const bucket = single(run, T.bucket, "-backup-bucket-bucket");
    return {
        bucket,
        encryption: childOf(run, bucket, T.encryption),
        publicAccessBlock: childOf(run, bucket, T.publicAccessBlock),
        policy: childOf(run, bucket, T.bucketPolicy),
        versioning: childOf(run, bucket, T.versioning),
    };
}

describe("backup: Velero and cross-region replication", () => {
    describe("the cron reader used below", () => {
        it("reads the schedules it is meant to check, and rejects others", () => {
            expect(isDailyAt("0 2 * * *", 2)).to.equal(true);
            expect(isDailyAt("0 2 * * 1-5", 2)).to.equal(false);
            expect(isDailyAt("30 2 * * *", 2)).to.equal(false);
            expect(isWeeklyAt("0 3 * * 0", 0, 3)).to.equal(true);
            expect(isWeeklyAt("0 3 * * SUN", 0, 3)).to.equal(true);
            // Velero's parser numbers weekdays 0-6: 7 is refused, not read as Sunday.
            expect(parseCron("0 3 * * 7")).to.equal(undefined);
            expect(isWeeklyAt("0 3 * * 0,3", 0, 3)).to.equal(false);
            expect(parseCron("0 25 * * *")).to.equal(undefined);
            expect(goDurationHours("168h0m0s")).to.equal(168);
            expect(goDurationHours("90m")).to.equal(1.5);
        });
    });

    describe("value builders", () => {
        it("write a config retention as the Go duration Velero shows", () => {
            expect(veleroTtl("7d")).to.equal("168h0m0s");
            expect(veleroTtl("30d")).to.equal("720h0m0s");
            expect(veleroTtl("36h")).to.equal("36h0m0s");
        });

        it("render the server, and the node agent as a DaemonSet only when deployed", () => {
            const base = { config: { enabled: true, nodeAgent: false, schedules: [], ...PROFILE_DEFAULTS.dev.backup.velero }, bucketName: "b", prefix: "p", region: "us-east-1", kmsKeyArn: "k", roleArn: "r" };
            const running = (values: Record<string, unknown>) => chartWorkloads(CHARTS.velero, values).filter((w) => w.kind !== "Job").map((w) => `${w.name}:${w.kind}`).sort();
            expect(running(veleroValues(base))).to.deep.equal(["velero:Deployment"]);
            expect(running(veleroValues({ ...base, config: { ...base.config, nodeAgent: true } }))).to.deep.equal(["node-agent:DaemonSet", "velero:Deployment"]);
        });

        it("grant no wildcard action, keep each key to its own service, and grants to AWS resources only", () => {
            const policy = veleroPolicy({ bucketArn: "arn:aws:s3:::b", s3KeyArn: "s3key", ebsKeyArn: "ebskey", region: "us-east-1", accountId: "123456789012", partition: "aws" });
            for (const s of statements(policy)) for (const action of asList(s.Action)) expect(action, s.Sid).to.not.include("*");
            const kms = statements(policy).filter((s) => asList(s.Action)[0].startsWith("kms:")).map((s) => ({ Action: s.Action, Resource: s.Resource, Condition: s.Condition }));
            expect(kms).to.deep.equal([
                { Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: ["s3key"], Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } },
                {
                    Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
                    Resource: ["ebskey"],
                    Condition: { StringEquals: { "kms:ViaService": "ec2.us-east-1.amazonaws.com" } },
                },
                { Action: ["kms:CreateGrant"], Resource: ["ebskey"], Condition: { StringEquals: { "kms:ViaService": "ec2.us-east-1.amazonaws.com" }, Bool: { "kms:GrantIsForAWSResource": "true" } } },
            ]);
        });

        it("let S3 use each replication key only in its own region and for its own bucket", () => {
            const policy = replicationPolicy({
                sourceBucketArn: "arn:aws:s3:::src", sourceKeyArn: "srckey", sourceRegion: "us-east-1",
                replicaBucketArn: "arn:aws:s3:::dst", replicaKeyArn: "dstkey", replicaRegion: "us-west-2",
            });
            const kms = statements(policy).filter((s) => s.Action[0].startsWith("kms:"));
            expect(kms.map((s) => [s.Action, s.Resource, s.Condition.StringEquals["kms:ViaService"], s.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"]])).to.deep.equal([
                [["kms:Decrypt"], ["srckey"], "s3.us-east-1.amazonaws.com", ["arn:aws:s3:::src", "arn:aws:s3:::src/*"]],
                [["kms:Encrypt"], ["dstkey"], "s3.us-west-2.amazonaws.com", ["arn:aws:s3:::dst", "arn:aws:s3:::dst/*"]],
            ]);
            const writes = statements(policy).find((s) => s.Sid === "WriteReplicas");
            expect(writes.Resource).to.deep.equal(["arn:aws:s3:::dst/*"]);
        });
    });

    describe("dev", () => {
        it("runs no Velero, no backup bucket and no replication", async () => {
            const dev = await stack("dev");
            expect(releaseOf(dev, "velero")).to.be.empty;
            expect(ofType(dev, T.bucket).filter((b) => b.name.includes("-backup-"))).to.be.empty;
            expect(ofType(dev, T.replication)).to.be.empty;
            expect(dev.outputs.backupSchedules).to.deep.equal([]);
        });
    });

    describe("prod", () => {
        it("runs the pinned Velero with the AWS plugin for Velero 1.18 as an init container", async () => {
            const prod = await stack("prod");
            const [velero] = releaseOf(prod, "velero");
            expect(velero.inputs.version).to.equal(CHARTS.velero.version);
            const [plugin] = velero.inputs.values.initContainers;
            expect(plugin.image).to.equal(VELERO_AWS_PLUGIN_IMAGE).and.match(/^velero\/velero-plugin-for-aws:v1\.14\.\d+$/);
            expect(plugin.volumeMounts).to.deep.equal([{ mountPath: "/target", name: "plugins" }]);
            // Its ServiceMonitor is a kind kube-prometheus-stack's CRDs define.
            expect(velero.inputs.values.metrics.serviceMonitor.enabled).to.equal(true);
            const [prometheus] = releaseOf(prod, "kube-prometheus-stack");
            expect(velero.dependencies).to.include(prometheus.urn);
        });

        it("runs a daily backup at 02:00 UTC kept 7 days and a Sunday backup at 03:00 UTC kept 30 days", async () => {
            const prod = await stack("prod");
            const { values } = releaseOf(prod, "velero")[0].inputs;
            const schedules = values.schedules;
            expect(Object.keys(schedules)).to.have.members(["daily", "weekly"]);
            // The chart names each Schedule <fullname>-<key>: velero-daily, as the README has it.
            expect(values.fullnameOverride).to.equal("velero");
            expect(isDailyAt(schedules.daily.schedule, 2), schedules.daily.schedule).to.equal(true);
            expect(isWeeklyAt(schedules.weekly.schedule, 0, 3), schedules.weekly.schedule).to.equal(true);
            expect(goDurationHours(schedules.daily.template.ttl)).to.be.at.least(7 * 24);
            expect(goDurationHours(schedules.weekly.template.ttl)).to.be.at.least(30 * 24);
            for (const s of Object.values<any>(schedules)) expect(s.template.storageLocation).to.equal("default");
            expect(prod.outputs.backupSchedules).to.deep.equal(["daily", "weekly"]);
        });

        it("stores backups in one location and snapshots in one, both lists, in the stack's region", async () => {
            const prod = await stack("prod");
            const { configuration } = releaseOf(prod, "velero")[0].inputs.values;
            const { bucket } = backupBucket(prod);
            expect(configuration.backupStorageLocation).to.be.an("array").with.length(1);
            expect(configuration.backupStorageLocation[0]).to.deep.include({ name: "default", provider: "aws", bucket: bucket.outputs.bucket, default: true });
            expect(configuration.backupStorageLocation[0].config).to.deep.equal({ region: prod.config.region, kmsKeyId: kmsKeyArn(prod, "s3") });
            expect(configuration.volumeSnapshotLocation).to.deep.equal([{ name: "default", provider: "aws", config: { region: prod.config.region } }]);
        });

        it("deploys the node agent per config and sizes every workload it runs", async () => {
            const prod = await stack("prod");
            const [velero] = releaseOf(prod, "velero");
            expect(prod.config.backup.velero.nodeAgent).to.equal(true);
            const workloads = workloadsOf(prod, velero);
            expect(workloads.map((w) => `${w.name}:${w.kind}`).sort()).to.deep.equal(["node-agent:DaemonSet", "velero-upgrade-crds:Job", "velero:Deployment"]);
            for (const w of workloads) for (const c of [...w.containers, ...w.initContainers]) expect([c.cpuRequestMillicores, c.memoryRequestMiB, c.memoryLimitMiB], `${w.name}/${c.name}`).to.not.include(undefined);
            const values = velero.inputs.values;
            for (const path of [values.upgradeJobResources, values.kubectl.resources, values.initContainers[0].resources]) expect(path.limits.memory).to.be.a("string");
            expect(values.configuration.repositoryMaintenanceJob.repositoryConfigData.global.podResources).to.have.keys("cpuRequest", "memoryRequest", "memoryLimit");
        });

        it("copies only the volumes a pod opts in, by file-system backup: none of the platform's, no EBS snapshots, no fs-backup by default", async () => {
            const prod = await stack("prod");
            const [velero] = releaseOf(prod, "velero");
            const { rendered } = stackWorkloads(prod.resources).renders.get(velero.inputs.name)!;
            const server = rendered.manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "velero")!;
            expect(server.spec.template.spec.containers[0].args.filter((a: string) => a.startsWith("--default-volumes-to-fs-backup"))).to.deep.equal([]);
            const schedules = rendered.manifests.filter((m) => m.kind === "Schedule");
            expect(schedules.map((m) => [m.metadata.name, m.spec.template])).to.deep.equal(Object.entries(velero.inputs.values.schedules).map(([name, s]: [string, any]) =>
                [`velero-${name}`, { ttl: s.template.ttl, storageLocation: "default", snapshotVolumes: false }]));
            // What a backup copies of each volume the platform's workloads claim: only what the pod's annotation names.
            const claimed = stackWorkloads(prod.resources).workloads.filter((w) => w.claims.length > 0);
            const copied = claimed.flatMap((w) => (w.podAnnotations[VELERO_FS_BACKUP_ANNOTATION] ?? "").split(",").filter(Boolean).map((v) => `${w.namespace}/${w.name}/${v}`));
            expect(copied).to.deep.equal([]);
            // Among them the volumes whose data is in S3 or rebuilt, which a nightly copy would only bill for.
            expect(claimed.map((w) => w.component)).to.include.members(["kafka", "prometheus", "loki", "mimir"]);
        });

        it("runs the node agent on every node a pod can run on: it tolerates every taint the node groups set, and any other", async () => {
            const prod = await stack("prod");
            const [velero] = releaseOf(prod, "velero");
            const agent = workloadsOf(prod, velero).find((w) => w.kind === "DaemonSet")!;
            const { rendered } = stackWorkloads(prod.resources).renders.get(velero.inputs.name)!;
            const tolerations = rendered.manifests.find((m) => m.kind === "DaemonSet" && m.metadata.name === agent.name)!.spec.template.spec.tolerations ?? [];
            const EFFECTS: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
            const groupTaints = ofType(prod, "aws:eks/nodeGroup:NodeGroup").flatMap((g) => (g.inputs.taints ?? []).map((t: any) => ({ key: t.key, value: t.value, effect: EFFECTS[t.effect] })));
            const taints = [...groupTaints, { key: "example.com/dedicated", value: "x", effect: "NoSchedule" }, { key: "example.com/draining", effect: "NoExecute" }];
            expect(taints.filter((t) => !tolerations.some((tol: any) => tolerates(tol, t)))).to.deep.equal([]);
        });

        it("protects a bucket encrypted with the S3 key, private, TLS-only and versioned", async () => {
            const prod = await stack("prod");
            const { bucket, encryption, publicAccessBlock, policy, versioning } = backupBucket(prod);
            expect(bucket.protect).to.equal(true);
            expect(bucket.inputs.forceDestroy).to.equal(false);
            const [rule] = encryption.inputs.rules;
            expect(rule.applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn(prod, "s3") });
            expect(publicAccessBlock.inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            const [deny] = statements(policy.inputs.policy);
            expect(deny).to.deep.include({ Effect: "Deny", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
            expect(versioning.inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
            expect(prod.outputs.backupBucket).to.equal(bucket.outputs.bucket);
        });

        it("gives Velero an IRSA role for exactly its pinned service account, and no static credentials", async () => {
            const prod = await stack("prod");
            const { values } = releaseOf(prod, "velero")[0].inputs;
            expect(values.credentials).to.deep.equal({ useSecret: false });
            const role = single(prod, T.role, "-backup-velero-irsa-role");
            expect(values.serviceAccount.server.annotations["eks.amazonaws.com/role-arn"]).to.equal(role.outputs.arn);
            const [trust] = statements(role.inputs.assumeRolePolicy);
            const subject = Object.entries<string>(trust.Condition.StringEquals).find(([key]) => key.endsWith(":sub"))![1];
            expect(subject).to.equal(`system:serviceaccount:velero:${values.serviceAccount.server.name}`);
            expect(values.serviceAccount.server.create).to.equal(true);
        });

        it("scopes the role to the bucket, its key, the EBS key and EC2 snapshots, with no wildcard action", async () => {
            const prod = await stack("prod");
            const { bucket } = backupBucket(prod);
            const policy = statements(single(prod, T.rolePolicy, "-backup-velero-irsa-policy").inputs.policy);
            const arn = bucket.outputs.arn as string;
            for (const s of policy) for (const action of asList(s.Action)) expect(action, s.Sid).to.match(/^(s3|kms|ec2):[A-Za-z]+$/);
            const s3 = policy.filter((s) => asList(s.Action).some((a) => a.startsWith("s3:")));
            expect(s3.flatMap((s) => asList(s.Resource)).sort()).to.deep.equal([arn, `${arn}/*`]);
            const kms = policy.filter((s) => asList(s.Action).some((a) => a.startsWith("kms:")));
            expect([...new Set(kms.flatMap((s) => asList(s.Resource)))].sort()).to.deep.equal([kmsKeyArn(prod, "ebs"), kmsKeyArn(prod, "s3")].sort());
            const ec2 = policy.filter((s) => asList(s.Action).some((a) => a.startsWith("ec2:")));
            expect(ec2.flatMap((s) => asList(s.Action)).sort()).to.deep.equal([
                "ec2:CreateSnapshot", "ec2:CreateTags", "ec2:CreateVolume", "ec2:DeleteSnapshot", "ec2:DescribeSnapshots", "ec2:DescribeVolumes",
            ]);
            // Only the Describe calls, which IAM cannot scope, run on every resource.
            expect(ec2.filter((s) => s.Resource === "*").flatMap((s) => s.Action)).to.deep.equal(["ec2:DescribeSnapshots", "ec2:DescribeVolumes"]);
        });

        it("declares no replication by default", async () => {
            const prod = await stack("prod");
            expect(prod.config.backup.crossRegionReplication.enabled).to.equal(false);
            expect(ofType(prod, T.replication)).to.be.empty;
            expect(ofType(prod, T.provider).map((p) => p.inputs.region)).to.deep.equal([prod.config.region]);
            expect(prod.outputs.backupReplicaBucket).to.equal(undefined);
        });
    });

    describe("cross-region replication, switched on", () => {
        let run: StackRun;
        before(async () => {
            run = await stackWith("prod", (c) => { c.backup.crossRegionReplication.enabled = true; });
        });

        it("adds a provider for the replica region with the same default tags", () => {
            const providers = ofType(run, T.provider);
            const replicaRegion = run.config.backup.crossRegionReplication.region;
            expect(providers.map((p) => p.inputs.region).sort()).to.deep.equal([run.config.region, replicaRegion].sort());
            const [main, replica] = [run.config.region, replicaRegion].map((region) => providers.find((p) => p.inputs.region === region)!);
            expect(JSON.parse(replica.inputs.defaultTags)).to.deep.equal(JSON.parse(main.inputs.defaultTags));
            expect(JSON.parse(replica.inputs.defaultTags).tags).to.have.keys("Project", "Environment", "Owner", "CostCenter");
        });

        it("creates a rotating replica key and a protected, encrypted, versioned bucket in that region", () => {
            const key = single(run, T.kmsKey, "-backup-replica-key");
            const bucket = single(run, T.bucket, "-backup-replica-bucket-bucket");
            for (const resource of [key, bucket]) {
                expect(providerOf(run, resource)!.inputs.region, resource.name).to.equal("us-west-2");
                expect(resource.protect, resource.name).to.equal(true);
            }
            expect(key.inputs.enableKeyRotation).to.equal(true);
            expect(childOf(run, bucket, T.encryption).inputs.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn });
            expect(childOf(run, bucket, T.versioning).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
            expect(childOf(run, bucket, T.publicAccessBlock).inputs).to.include({ blockPublicAcls: true, restrictPublicBuckets: true });
            expect(run.outputs).to.include({ backupReplicaRegion: "us-west-2", backupReplicaBucket: bucket.outputs.bucket });
        });

        it("replicates SSE-KMS objects of the backup bucket with the replica key, through a role only S3 can assume", () => {
            const source = backupBucket(run).bucket;
            const replicaBucket = single(run, T.bucket, "-backup-replica-bucket-bucket");
            const replicaKey = single(run, T.kmsKey, "-backup-replica-key");
            const role = single(run, T.role, "-backup-replica-role");
            const config = single(run, T.replication);
            expect(providerOf(run, config)!.inputs.region).to.equal(run.config.region);
            expect(config.inputs.bucket).to.equal(source.outputs.bucket);
            expect(config.inputs.role).to.equal(role.outputs.arn);
            expect(config.inputs.rules).to.have.length(1);
            const [rule] = config.inputs.rules;
            expect(rule.status).to.equal("Enabled");
            expect(rule.sourceSelectionCriteria).to.deep.equal({ sseKmsEncryptedObjects: { status: "Enabled" } });
            expect(rule.destination).to.deep.equal({ bucket: replicaBucket.outputs.arn, encryptionConfiguration: { replicaKmsKeyId: replicaKey.outputs.arn } });
            expect(config.dependencies).to.include(single(run, T.rolePolicy, "-backup-replica-policy").urn);

            const [trust] = statements(role.inputs.assumeRolePolicy);
            expect(trust.Principal).to.deep.equal({ Service: "s3.amazonaws.com" });
            const policy = statements(single(run, T.rolePolicy, "-backup-replica-policy").inputs.policy);
            const resources = policy.flatMap((s) => asList(s.Resource)).sort();
            const sourceArn = source.outputs.arn as string;
            const replicaArn = replicaBucket.outputs.arn as string;
            expect(resources).to.deep.equal([sourceArn, `${sourceArn}/*`, `${replicaArn}/*`, kmsKeyArn(run, "s3"), replicaKey.outputs.arn].sort());
            for (const s of policy) for (const action of asList(s.Action)) expect(action).to.not.include("*");
        });
    });

    describe("chart", () => {
        it("sets only values keys the pinned chart has", async () => {
            const prod = await stack("prod");
            const [velero] = releaseOf(prod, "velero");
            expect(unknownValuesKeys("velero", velero.inputs.version, velero.inputs.values)).to.deep.equal([]);
        });
    });
});
