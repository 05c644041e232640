import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { BackupConfig, Tags } from "../../config/schema";
import { durationToDays } from "../../lib/duration";
import { KubernetesContext, s3KeyArn } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, installHelmChart } from "../helm/release";
import { AccessLogs } from "../storage/access-logs";
import { SecureBucket } from "../storage/secure-bucket";
import { BackupReplication } from "./replication";
import { VELERO_NAMESPACE, VELERO_REPOSITORY_SECRET, VELERO_SERVICE_ACCOUNT, veleroPolicy, veleroValues } from "./velero";

export interface BackupArgs {
    /** The backup slice of the validated stack config: Velero, its schedules and sizes, replication. */
    readonly config: BackupConfig;
    /** The cluster to back up: its provider, OIDC issuer, keys and protection. */
    readonly context: KubernetesContext;
    /** Where the backup bucket's server access logs go. */
    readonly accessLogs: AccessLogs;
    /** The mandatory tags, for the replica region's provider (the cluster's provider serves one region). */
    readonly tags: Tags;
    /** Days AWS waits before deleting the replica key once scheduled (security.kmsDeletionWindowDays). */
    readonly kmsDeletionWindowDays: number;
    /** Days the replica region's access logs are kept, as the source region's. */
    readonly accessLogRetentionDays: number;
    /** What installs the ServiceMonitor CRD (kube-prometheus-stack): Velero's ServiceMonitor waits for it. */
    readonly monitoringCrds: pulumi.Resource[];
}

/**
 * Backups and disaster recovery (CP-9, CP-6): the encrypted backup bucket, Velero on an IRSA role
 * scoped to it, and, when configured, replication of the bucket to a second region.
 */
export class Backup extends pulumi.ComponentResource {
    public readonly bucketName?: pulumi.Output<string>;
    public readonly veleroRoleArn?: pulumi.Output<string>;
    /** The Kopia repository password (a secret): a rebuilt cluster needs it to restore file-system backups. */
    public readonly repositoryPassword?: pulumi.Output<string>;
    /** The schedules Velero runs, as configured. */
    public readonly schedules: readonly string[];
    public readonly replica?: BackupReplication;

    constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:backup:Backup", name, {}, opts);
        const { config, context: ctx } = args;
        this.schedules = config.velero.enabled ? config.velero.schedules.map((s) => s.name) : [];

        if (config.velero.enabled) {
            // Velero expires backups by their TTL; a deleted or overwritten object stays
            // recoverable for as long as the longest schedule keeps its backups.
            const noncurrentVersionDays = Math.max(...config.velero.schedules.map((s) => durationToDays(s.ttl)));
            const s3Key = s3KeyArn(ctx);
            // No age-based expiry: Kopia's repository blobs are shared by backups of every age.
            // Object Lock keeps every version for its retention whoever deletes it, Velero included (CP-9).
            const bucket = new SecureBucket(`${name}-bucket`, {
                encryption: { kmsKeyArn: s3Key },
                accessLogBucket: args.accessLogs.target(),
                noncurrentVersionDays,
                objectLock: config.objectLock,
                protect: ctx.protect,
            }, { parent: this, providers: [ctx.awsProvider] });

            const namespace = createNamespace(VELERO_NAMESPACE, ctx, this);
            // The password that encrypts the file-system backups of volumes: random per stack, a
            // Pulumi secret, never replaced in prod (backups written under it need it to restore).
            const repositoryPassword = new random.RandomPassword(`${name}-velero-repository-password`, { length: 40, special: false }, { parent: this, protect: ctx.protect });
            const repositorySecret = new corev1.Secret(`${name}-velero-repository-secret`, {
                metadata: { name: VELERO_REPOSITORY_SECRET.name, namespace: VELERO_NAMESPACE },
                type: "Opaque",
                stringData: { [VELERO_REPOSITORY_SECRET.key]: repositoryPassword.result },
            }, { parent: this, provider: ctx.kubernetesProvider, dependsOn: [namespace] });
            this.repositoryPassword = pulumi.secret(repositoryPassword.result);
            const velero = installHelmChart(`${name}-velero`, {
                source: CHARTS.velero,
                namespace,
                irsa: {
                    serviceAccount: VELERO_SERVICE_ACCOUNT,
                    policy: pulumi.all([bucket.arn, s3Key, ctx.kmsKeyArns.ebs]).apply(([bucketArn, s3KeyArn, ebsKeyArn]) =>
                        veleroPolicy({ bucketArn, s3KeyArn, ebsKeyArn, clusterName: ctx.clusterName, region: ctx.region, accountId: ctx.accountId, partition: ctx.partition })),
                },
                // The helper hands over the role's ARN whenever `irsa` is set, as it is here.
                refs: { bucketName: bucket.name, kmsKeyArn: s3Key },
                values: ({ bucketName, kmsKeyArn, irsaRoleArn }) => veleroValues({
                    config: config.velero,
                    bucketName,
                    prefix: ctx.clusterName,
                    region: ctx.region,
                    kmsKeyArn,
                    roleArn: irsaRoleArn!,
                }),
                // Velero writes its static default password into the Secret when it starts without one.
                dependsOn: [...args.monitoringCrds, repositorySecret],
            }, ctx, this);
            this.bucketName = bucket.name;
            this.veleroRoleArn = velero.irsaRole;

            if (config.crossRegionReplication.enabled) {
                this.replica = new BackupReplication(`${name}-replica`, {
                    config: config.crossRegionReplication,
                    context: ctx,
                    tags: args.tags,
                    source: bucket,
                    sourceKeyArn: s3Key,
                    keyDeletionWindowDays: args.kmsDeletionWindowDays,
                    noncurrentVersionDays,
                    objectLock: config.objectLock,
                    accessLogRetentionDays: args.accessLogRetentionDays,
                }, { parent: this });
            }
        }

        this.registerOutputs({
            bucketName: this.bucketName,
            veleroRoleArn: this.veleroRoleArn,
            schedules: this.schedules,
            replicaBucketName: this.replica?.bucketName,
        });
    }
}
