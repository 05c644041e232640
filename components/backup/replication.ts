/**
 * Cross-region replication of the backup bucket (CP-6: an alternate storage site). Declared in
 * full behind backup.crossRegionReplication.enabled: a provider for the second region, a replica
 * key and bucket there, a role S3 assumes to copy, and the replication rule.
 */
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "../aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { BackupConfig, Tags } from "../../config/schema";
import { sortedJson } from "../../lib/json";
import { KubernetesContext } from "../cluster/context";
import { createAwsProvider } from "../provider";
import { keyPolicy } from "../security/kms";
import { AccessLogs } from "../storage/access-logs";
import { SecureBucket } from "../storage/secure-bucket";

/** The trust policy: only S3, acting for this account, may assume the replication role. */
export function replicationTrustPolicy(accountId: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        }],
    });
}

export interface ReplicationPolicyInput {
    readonly sourceBucketArn: string;
    readonly sourceKeyArn: string;
    readonly sourceRegion: string;
    readonly replicaBucketArn: string;
    readonly replicaKeyArn: string;
    readonly replicaRegion: string;
}

/**
 * What S3 may do while replicating: read versions from the source bucket, write replicas to the
 * replica bucket, and use each key only through S3 in its own region for its own bucket. The
 * encryption context is the bucket ARN with bucket keys and the object ARN without, so both match.
 */
export function replicationPolicy(input: ReplicationPolicyInput): string {
    const keyUse = (bucketArn: string, region: string) => ({
        StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
    });
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [input.sourceBucketArn] },
            {
                Sid: "ReadSourceVersions",
                Effect: "Allow",
                // Retention and legal holds travel with each version into the locked replica.
                Action: ["s3:GetObjectLegalHold", "s3:GetObjectRetention", "s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"],
                Resource: [`${input.sourceBucketArn}/*`],
            },
            { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"], Resource: [`${input.replicaBucketArn}/*`] },
            { Sid: "DecryptSource", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [input.sourceKeyArn], Condition: keyUse(input.sourceBucketArn, input.sourceRegion) },
            { Sid: "EncryptReplicas", Effect: "Allow", Action: ["kms:Encrypt"], Resource: [input.replicaKeyArn], Condition: keyUse(input.replicaBucketArn, input.replicaRegion) },
        ],
    });
}

export interface BackupReplicationArgs {
    /** The replica region and the switch, from backup.crossRegionReplication. */
    readonly config: BackupConfig["crossRegionReplication"];
    /** The cluster's account, region, provider and protection; the key and role are named after the cluster. */
    readonly context: KubernetesContext;
    /** The mandatory tags, set as default tags on the replica region's provider (CM-8). */
    readonly tags: Tags;
    /** The backup bucket whose objects are replicated. */
    readonly source: SecureBucket;
    /** The key of the backup bucket (objects are decrypted with it while being copied). */
    readonly sourceKeyArn: pulumi.Input<string>;
    /** Days AWS waits before deleting the replica key once scheduled. */
    readonly keyDeletionWindowDays: number;
    /** Days the replica bucket keeps overwritten or deleted versions, as the source does. */
    readonly noncurrentVersionDays: number;
    /** The replica keeps its copies locked as the source does (CP-6, CP-9). */
    readonly objectLock: BackupConfig["objectLock"];
    /** Days the replica region's server access logs are kept. */
    readonly accessLogRetentionDays: number;
}

/** The replica side of the backup bucket and the rule that fills it. */
export class BackupReplication extends pulumi.ComponentResource {
    public readonly region: string;
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: BackupReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:backup:BackupReplication", name, {}, opts);
        const { config, context: ctx } = args;
        this.region = config.region;

        const replicaProvider = createAwsProvider(`${name}-provider`, config.region, args.tags, { parent: this });
        const inReplicaRegion = { parent: this, provider: replicaProvider };
        const key = new kms.Key(`${name}-key`, {
            description: `${ctx.clusterName}: S3 replica of the backup bucket in ${config.region}`,
            enableKeyRotation: true,
            deletionWindowInDays: args.keyDeletionWindowDays,
            policy: keyPolicy("s3", { accountId: ctx.accountId, partition: ctx.partition, region: config.region }),
        }, { ...inReplicaRegion, protect: ctx.protect });
        new kms.Alias(`${name}-key-alias`, { name: `alias/${ctx.clusterName}-s3-replica`, targetKeyId: key.keyId }, inReplicaRegion);

        // S3 delivers access logs within a region only: the replica's go to a log bucket beside it.
        const accessLogs = new AccessLogs(`${name}-access-logs`, { accountId: ctx.accountId, retentionDays: args.accessLogRetentionDays, protect: ctx.protect }, { parent: this, providers: [replicaProvider] });
        const replica = new SecureBucket(`${name}-bucket`, {
            encryption: { kmsKeyArn: key.arn },
            accessLogBucket: accessLogs.target(),
            noncurrentVersionDays: args.noncurrentVersionDays,
            objectLock: args.objectLock,
            protect: ctx.protect,
        }, { parent: this, providers: [replicaProvider] });

        const inSourceRegion = { parent: this, provider: ctx.awsProvider };
        const role = new iam.Role(`${name}-role`, { assumeRolePolicy: replicationTrustPolicy(ctx.accountId) }, inSourceRegion);
        const rolePolicy = new iam.RolePolicy(`${name}-policy`, {
            role: role.id,
            policy: pulumi.all([args.source.arn, args.sourceKeyArn, replica.arn, key.arn]).apply(([sourceBucketArn, sourceKeyArn, replicaBucketArn, replicaKeyArn]) =>
                replicationPolicy({ sourceBucketArn, sourceKeyArn, sourceRegion: ctx.region, replicaBucketArn, replicaKeyArn, replicaRegion: config.region })),
        }, inSourceRegion);

        // Both buckets must be versioned before S3 accepts the rule, hence the dependency on the
        // whole components; the role must carry its policy before the first copy is attempted.
        new s3.BucketReplicationConfig(`${name}-rule`, {
            bucket: args.source.bucket.id,
            role: role.arn,
            rules: [{
                id: `backups-to-${config.region}`,
                status: "Enabled",
                filter: {},
                // Deletions by Velero's TTL become delete markers in the replica too; the versions
                // behind them stay for noncurrentVersionDays, and permanent deletes never replicate.
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: { bucket: replica.arn, encryptionConfiguration: { replicaKmsKeyId: key.arn } },
            }],
        }, { ...inSourceRegion, dependsOn: [args.source, replica, rolePolicy] });

        this.bucketName = replica.name;
        this.bucketArn = replica.arn;
        this.keyArn = key.arn;
        this.roleArn = role.arn;
        this.registerOutputs({ region: this.region, bucketName: this.bucketName, keyArn: this.keyArn, roleArn: this.roleArn });
    }
}
