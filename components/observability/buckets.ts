/**
 * The S3 side of the LGTM stack: one SecureBucket per kind of data, and the IAM policy that lets
 * exactly one workload use exactly its own buckets.
 */
import * as pulumi from "@pulumi/pulumi";
import { durationToDays } from "../../lib/duration";
import { sortedJson } from "../../lib/json";
import { KubernetesContext, s3KeyArn } from "../cluster/context";
import { AccessLogs } from "../storage/access-logs";
import { SecureBucket } from "../storage/secure-bucket";

/**
 * How long an overwritten or deleted object stays recoverable. Compactors rewrite and delete
 * objects all day, so a short window keeps the noncurrent-version bill small while still
 * undoing a mistaken delete (AU-9).
 */
export const NONCURRENT_VERSION_DAYS = 7;

/**
 * Object expiry for data kept `retention` long. An object is never older than the data in it
 * (compactors write merged blocks after the samples they hold), so expiring objects at the
 * retention age never removes data the application still keeps: S3 is the backstop behind the
 * compactor's own retention, not a second policy.
 */
export function expiryDays(retention: string): number {
    return Math.ceil(durationToDays(retention));
}

/**
 * The only permissions of a workload's IRSA role: list and read/write objects in its own buckets,
 * and use the S3 key only through S3 (AC-6). Actions are named one by one; there is no wildcard.
 */
export function s3AccessPolicy(bucketArns: readonly string[], s3KmsKeyArn: string, region: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ListOwnBuckets",
                Effect: "Allow",
                Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                Resource: [...bucketArns],
            },
            {
                Sid: "ReadWriteOwnObjects",
                Effect: "Allow",
                Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
                Resource: bucketArns.map((arn) => `${arn}/*`),
            },
            {
                Sid: "UseS3KeyThroughS3",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
                Resource: [s3KmsKeyArn],
                Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
            },
        ],
    });
}

/** The policy document for a set of buckets, once their ARNs and the key's ARN are known. */
export function bucketAccessPolicy(buckets: readonly SecureBucket[], ctx: KubernetesContext): pulumi.Output<string> {
    return pulumi.all([pulumi.all(buckets.map((b) => b.arn)), s3KeyArn(ctx)])
        .apply(([arns, keyArn]) => s3AccessPolicy(arns, keyArn, ctx.region));
}

/**
 * One bucket of the stack: encrypted with the S3 key, expiring with the data's retention (or
 * never, for rules and alertmanager state that must outlive any sample), protected in prod and
 * emptied by `pulumi destroy` only in dev.
 */
export function createBucket(name: string, retention: string | undefined, ctx: KubernetesContext, accessLogs: AccessLogs, parent: pulumi.Resource): SecureBucket {
    return new SecureBucket(name, {
        encryption: { kmsKeyArn: s3KeyArn(ctx) },
        accessLogBucket: accessLogs.target(),
        expireAfterDays: retention === undefined ? undefined : expiryDays(retention),
        noncurrentVersionDays: NONCURRENT_VERSION_DAYS,
        protect: ctx.protect,
    }, { parent, providers: { aws: ctx.awsProvider } });
}
