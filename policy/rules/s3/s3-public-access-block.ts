import { defineStackPolicy } from "../../lib/policy";
import { S3_TYPES } from "../../lib/resource-types";
import { checkAttachments } from "../../lib/stack";
import { readFlag } from "../../lib/values";

/** Each flag closes one way a bucket can become public; all four are needed. */
const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3PublicAccessBlock = defineStackPolicy({
    name: "s3-public-access-block",
    description: "Every S3 bucket has a BucketPublicAccessBlock with all four flags on, so that no ACL or bucket policy can make its data public.",
    nist: ["AC-3", "SC-7"],
    anchors: ["SecurityHub:S3.2", "SecurityHub:S3.3", "SecurityHub:S3.8", "cdk-nag:NIST.800.53.R5-S3BucketLevelPublicAccessProhibited", "cdk-nag:NIST.800.53.R5-S3BucketPublicReadProhibited", "cdk-nag:NIST.800.53.R5-S3BucketPublicWriteProhibited"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    validate(resources, _context, report) {
        checkAttachments(resources, {
            targetTypes: S3_TYPES.buckets,
            subTypes: S3_TYPES.publicAccessBlocks,
            property: "bucket",
            idProperties: ["bucket"],
            what: "BucketPublicAccessBlock",
            problems(block) {
                // An unknown flag is skipped; an unset one is false in AWS.
                const off = FLAGS.filter((flag) => {
                    const value = readFlag(block.props[flag]);
                    return value === false || value === undefined;
                });
                return off.length > 0 ? [`public access block leaves ${off.join(", ")} off`] : [];
            },
        }, report);
    },
});
