import * as s3 from "../aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { sortedJson } from "../../lib/json";

export interface SecureBucketArgs {
    /**
     * How objects are encrypted at rest (SC-28): under a customer-managed key; or, for the bucket
     * that receives server access logs only, S3's own keys (S3 cannot deliver access logs to an
     * SSE-KMS bucket), with S3's log delivery allowed to write from this account's buckets.
     */
    readonly encryption: { readonly kmsKeyArn: pulumi.Input<string> } | { readonly receivesAccessLogsFrom: string };
    /** The bucket S3 writes this bucket's server access logs to (AU-2, AU-12), under the bucket's own prefix. */
    readonly accessLogBucket?: pulumi.Input<string>;
    /** Days after which current objects expire; matches the data's retention. Omit to keep objects. */
    readonly expireAfterDays?: number;
    /** Days a noncurrent (overwritten or deleted) version is kept before it is removed. */
    readonly noncurrentVersionDays: number;
    /**
     * Object Lock's default retention (CP-9, AU-9): every object version written is kept, in
     * GOVERNANCE mode (only a principal allowed s3:BypassGovernanceRetention may lift it) or
     * COMPLIANCE mode (nobody may, not even the account's root), for this many days. Omit for none.
     */
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly retentionDays: number };
    /**
     * Protect the bucket and its contents from deletion (prod). An unprotected bucket (dev) may be
     * emptied by `pulumi destroy`; a protected one never is.
     */
    readonly protect: boolean;
}

/**
 * The bucket policy: refuse every request that does not use TLS (SC-8); for the access-log bucket,
 * let S3's log delivery write objects for buckets of `logsFromAccount` only.
 */
export function tlsOnlyPolicy(bucketArn: string, logsFromAccount?: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            ...(logsFromAccount === undefined ? [] : [{
                Sid: "S3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/*`,
                Condition: { StringEquals: { "aws:SourceAccount": logsFromAccount } },
            }]),
        ],
    });
}

/**
 * An S3 bucket as the platform stores data: SSE-KMS with a bucket key, all public access
 * blocked, TLS only, versioned, with lifecycle expiry that follows the data's retention.
 */
export class SecureBucket extends pulumi.ComponentResource {
    public readonly bucket: s3.Bucket;
    /** The bucket's name (its id). */
    public readonly name: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:storage:SecureBucket", name, {}, opts);
        const child = { parent: this };
        this.bucket = new s3.Bucket(`${name}-bucket`, { forceDestroy: !args.protect }, { parent: this, protect: args.protect });
        this.name = this.bucket.bucket;
        this.arn = this.bucket.arn;
        const bucket = this.bucket.id;

        const { encryption } = args;
        const logsFromAccount = "receivesAccessLogsFrom" in encryption ? encryption.receivesAccessLogsFrom : undefined;
        new s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
            bucket,
            rules: [{
                applyServerSideEncryptionByDefault: "kmsKeyArn" in encryption ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: encryption.kmsKeyArn } : { sseAlgorithm: "AES256" },
                bucketKeyEnabled: "kmsKeyArn" in encryption,
            }],
        }, child);
        const publicAccessBlock = new s3.BucketPublicAccessBlock(`${name}-public-access`, {
            bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, child);
        new s3.BucketPolicy(`${name}-tls-only`, { bucket, policy: this.bucket.arn.apply((arn) => tlsOnlyPolicy(arn, logsFromAccount)) }, { parent: this, dependsOn: [publicAccessBlock] });
        if (args.accessLogBucket !== undefined) {
            new s3.BucketLogging(`${name}-access-logs`, { bucket, targetBucket: args.accessLogBucket, targetPrefix: `${name}/` }, child);
        }
        const versioning = new s3.BucketVersioning(`${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, child);
        if (args.objectLock) {
            // A resource of its own, which enables Object Lock on the existing versioned bucket
            // (the bucket's own objectLockEnabled would replace it).
            new s3.BucketObjectLockConfiguration(`${name}-object-lock`, {
                bucket,
                objectLockEnabled: "Enabled",
                rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.retentionDays } },
            }, { parent: this, dependsOn: [versioning], protect: args.protect });
        }
        new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket,
            rules: [{
                id: "retention",
                status: "Enabled",
                filter: {},
                ...(args.expireAfterDays !== undefined ? { expiration: { days: args.expireAfterDays } } : {}),
                noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            }],
        }, { parent: this, dependsOn: [versioning] });
        this.registerOutputs({ name: this.name, arn: this.arn });
    }
}
