import { defineStackPolicy } from "../../lib/policy";
import { S3_TYPES } from "../../lib/resource-types";
import { checkAttachments } from "../../lib/stack";
import { at, readList, readString, UNKNOWN } from "../../lib/values";

const LIFECYCLE_TYPES = ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"];

export const s3Lifecycle = defineStackPolicy({
    name: "s3-lifecycle",
    description: "Every S3 bucket has a lifecycle configuration with an enabled rule, so that what it keeps (current objects past their retention, noncurrent versions of a versioned bucket) is bounded by a decision rather than kept and paid for forever.",
    nist: ["SI-12", "AU-11", "CP-9"],
    anchors: ["SecurityHub:S3.10", "SecurityHub:S3.13"],
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Add an aws.s3.BucketLifecycleConfiguration for the bucket with a rule of status \"Enabled\" (components/storage/secure-bucket.ts expires current objects after the data's retention and noncurrent versions after noncurrentVersionDays).",
    validate(resources, _context, report) {
        checkAttachments(resources, {
            targetTypes: S3_TYPES.buckets,
            subTypes: LIFECYCLE_TYPES,
            property: "bucket",
            idProperties: ["bucket"],
            what: "BucketLifecycleConfiguration",
            problems(lifecycle) {
                const rules = readList(lifecycle.props.rules);
                if (rules === UNKNOWN) return [];
                const statuses = (rules ?? []).map((rule) => readString(at(rule, "status")));
                return statuses.some((status) => status === "Enabled" || status === UNKNOWN) ? [] : ["the lifecycle configuration has no enabled rule"];
            },
        }, report);
    },
});
