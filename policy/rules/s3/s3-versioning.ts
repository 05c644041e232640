import { defineStackPolicy } from "../../lib/policy";
import { S3_TYPES } from "../../lib/resource-types";
import { checkAttachments } from "../../lib/stack";
import { at, readString, UNKNOWN } from "../../lib/values";

export const s3Versioning = defineStackPolicy({
    name: "s3-versioning",
    description: "Every S3 bucket has versioning enabled (a BucketVersioning with status Enabled), so that an overwritten or deleted object can be recovered.",
    nist: ["CP-9"],
    anchors: ["SecurityHub:S3.14", "cdk-nag:NIST.800.53.R5-S3BucketVersioningEnabled"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Add an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status \"Enabled\", and a lifecycle rule expiring noncurrent versions to bound the cost.",
    validate(resources, _context, report) {
        checkAttachments(resources, {
            targetTypes: S3_TYPES.buckets,
            subTypes: S3_TYPES.versioning,
            property: "bucket",
            idProperties: ["bucket"],
            what: "BucketVersioning",
            problems(versioning) {
                const status = readString(at(versioning.props, "versioningConfiguration", "status"));
                if (status === UNKNOWN || status === "Enabled") return [];
                return [`versioning status is ${status ?? "unset"}, not Enabled`];
            },
        }, report);
    },
});
