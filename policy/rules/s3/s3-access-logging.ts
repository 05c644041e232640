import { defineStackPolicy, StackResource } from "../../lib/policy";
import { S3_TYPES } from "../../lib/resource-types";
import { ofType, refersTo } from "../../lib/stack";
import { at, readNonEmptyString } from "../../lib/values";

/** The provider's server access logging resource, under its current and deprecated names. */
export const BUCKET_LOGGING_TYPES = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];

/** The buckets some BucketLogging of the stack writes to: log buckets. */
export function accessLogTargets(resources: readonly StackResource[]): StackResource[] {
    const loggings = ofType(resources, ...BUCKET_LOGGING_TYPES);
    return ofType(resources, ...S3_TYPES.buckets).filter((bucket) => loggings.some((logging) => refersTo(logging, "targetBucket", bucket, ["bucket"])));
}

export const s3AccessLogging = defineStackPolicy({
    name: "s3-access-logging",
    description: "Every S3 bucket writes server access logs (a BucketLogging with a target bucket), the record of each request made to it; the buckets that receive those logs are exempt, since logging a log bucket records its own deliveries without end.",
    nist: ["AU-2", "AU-12", "AU-3"],
    anchors: ["SecurityHub:S3.9", "cdk-nag:NIST.800.53.R5-S3BucketLoggingEnabled"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Add an aws.s3.BucketLogging for the bucket with targetBucket the stack's access-log bucket and a prefix of its own (components/storage: SecureBucket's accessLogBucket, AccessLogs); the log bucket is encrypted with SSE-S3, the only encryption S3's log delivery writes to.",
    validate(resources, _context, report) {
        const loggings = ofType(resources, ...BUCKET_LOGGING_TYPES);
        const targets = new Set(accessLogTargets(resources));
        for (const bucket of ofType(resources, ...S3_TYPES.buckets)) {
            if (targets.has(bucket)) continue;
            const attached = loggings.filter((logging) => refersTo(logging, "bucket", bucket, ["bucket"]));
            if (attached.length === 0) {
                report(`${bucket.name} has no server access logging (BucketLogging)`, bucket);
                continue;
            }
            for (const logging of attached) {
                if (readNonEmptyString(at(logging.props, "targetBucket")) === undefined) report(`${bucket.name}: the BucketLogging names no targetBucket`, logging);
            }
        }
    },
});
