import { defineStackPolicy } from "../../lib/policy";
import { Statement, statementsOf } from "../../lib/policy-document";
import { S3_TYPES } from "../../lib/resource-types";
import { checkAttachments } from "../../lib/stack";
import { readFlag, readList, readRecord, readString, UNKNOWN } from "../../lib/values";

/** True when any value of `aws:SecureTransport` under any condition operator is false (or unknown). */
function conditionsOnInsecureTransport(condition: unknown): boolean {
    const operators = readRecord(condition);
    if (operators === UNKNOWN) return true;
    return Object.values(operators ?? {}).some((operator) => {
        const keys = readRecord(operator);
        if (keys === UNKNOWN) return true;
        return Object.entries(keys ?? {}).some(([key, value]) => {
            if (key.toLowerCase() !== "aws:securetransport") return false;
            // The value may be "false", false or a list of either.
            const list = readList(value);
            if (list === UNKNOWN) return true;
            return (list ?? [value]).some((v) => {
                const flag = readFlag(v);
                return flag === UNKNOWN || flag === false;
            });
        });
    });
}

function deniesInsecureTransport(statement: Statement): boolean {
    const effect = readString(statement.Effect);
    return (effect === UNKNOWN || effect === "Deny") && conditionsOnInsecureTransport(statement.Condition);
}

export const s3TlsOnly = defineStackPolicy({
    name: "s3-tls-only",
    description: "Every S3 bucket has a bucket policy that denies requests not made over TLS (a Deny statement on aws:SecureTransport false), so data never crosses the network in clear text.",
    nist: ["SC-8"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Add an aws.s3.BucketPolicy for the bucket with a statement { Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\", Resource: [<bucket ARN>, <bucket ARN>/*], Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }.",
    validate(resources, _context, report) {
        checkAttachments(resources, {
            targetTypes: S3_TYPES.buckets,
            subTypes: S3_TYPES.policies,
            property: "bucket",
            idProperties: ["bucket"],
            what: "BucketPolicy denying insecure transport",
            problems(policy) {
                const statements = statementsOf(policy.props.policy);
                if (statements === UNKNOWN) return [];
                if (statements === undefined) return ["the bucket policy is not a JSON policy document"];
                return statements.some(deniesInsecureTransport) ? [] : ["the bucket policy has no Deny statement on aws:SecureTransport false"];
            },
        }, report);
    },
});
