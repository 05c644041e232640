import { defineStackPolicy } from "../../lib/policy";
import { S3_TYPES } from "../../lib/resource-types";
import { checkAttachments } from "../../lib/stack";
import { accessLogTargets } from "./s3-access-logging";
import { at, readList, readNonEmptyString, readString, UNKNOWN } from "../../lib/values";

/** SSE-KMS, and its dual-layer variant. */
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** The AWS-managed S3 key, by alias name or alias ARN: its policy cannot be scoped by us. */
const AWS_MANAGED_KEY = /(^|:)alias\/aws\/s3$/;

/** What is wrong with one encryption rule; empty when it uses a customer-managed key or is unknown. */
function ruleProblems(rule: unknown): string[] {
    const byDefault = at(rule, "applyServerSideEncryptionByDefault");
    const algorithm = readString(at(byDefault, "sseAlgorithm"));
    if (algorithm === UNKNOWN) return [];
    if (algorithm === undefined || !KMS_ALGORITHMS.includes(algorithm)) return [`sseAlgorithm is ${algorithm ?? "unset"}, not aws:kms`];
    const key = readNonEmptyString(at(byDefault, "kmsMasterKeyId"));
    // A key still unknown is one this stack creates: customer-managed.
    if (key === UNKNOWN) return [];
    if (key === undefined) return ["no kmsMasterKeyId, so S3 uses the AWS-managed aws/s3 key"];
    return AWS_MANAGED_KEY.test(key) ? [`kmsMasterKeyId ${key} is the AWS-managed key`] : [];
}

export const s3KmsEncryption = defineStackPolicy({
    name: "s3-kms-encryption",
    description: "Every S3 bucket has a BucketServerSideEncryptionConfiguration with SSE-KMS under a customer-managed key, so that who may read the data is decided by a key policy we own and key use is logged; a bucket that receives server access logs may use SSE-S3 instead, the only encryption S3's log delivery writes to.",
    nist: ["SC-28"],
    anchors: ["SecurityHub:S3.4", "cdk-nag:NIST.800.53.R5-S3DefaultEncryptionKMS"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with rules[0].applyServerSideEncryptionByDefault = { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: <the stack's S3 KMS key ARN> } and bucketKeyEnabled: true.",
    validate(resources, _context, report) {
        const logTargets = new Set(accessLogTargets(resources));
        checkAttachments(resources, {
            targetTypes: S3_TYPES.buckets,
            subTypes: S3_TYPES.encryption,
            property: "bucket",
            idProperties: ["bucket"],
            what: "BucketServerSideEncryptionConfiguration (SSE-KMS)",
            problems(config, bucket) {
                const rules = readList(config.props.rules);
                if (rules === UNKNOWN) return [];
                if (rules === undefined || rules.length === 0) return ["the encryption configuration has no rules"];
                // S3 delivers server access logs only to a bucket under its own keys (SSE-S3).
                if (logTargets.has(bucket) && rules.every((rule) => readString(at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm")) === "AES256")) return [];
                // Every rule applies to some objects: each must name a customer-managed key.
                return rules.flatMap((rule, i) => ruleProblems(rule).map((p) => (rules.length > 1 ? `rules[${i}]: ${p}` : p)));
            },
        }, report);
    },
});
