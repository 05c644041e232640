import { defineStackPolicy, StackResource } from "../../lib/policy";
import { anyPrincipal, describeSet, ParsedStatement, parsePolicyDocument, setMatches } from "../../lib/iam";
import { S3_TYPES } from "../../lib/resource-types";
import { checkAttachments } from "../../lib/stack";
import { at, readFlag, readString, UNKNOWN } from "../../lib/values";

/** S3 actions of every kind: a Deny that leaves one out lets it through in clear text. */
const S3_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject", "s3:GetBucketPolicy", "s3:PutBucketPolicy"];

/** Whether a condition denies when the request is not over TLS: aws:SecureTransport false under Bool. */
function onInsecureTransport(statement: ParsedStatement): boolean {
    if (statement.conditions === UNKNOWN) return true;
    return statement.conditions.some((c) => c.key.toLowerCase() === "aws:securetransport"
        && /^Bool(IfExists)?$/i.test(c.operator)
        && c.values.some((v) => v === UNKNOWN || readFlag(v) === false));
}

/**
 * Whether the statement denies insecure transport to everyone, for every S3 action, on the bucket
 * and its objects: a Deny scoped to one action, one principal or one prefix leaves the rest open.
 */
function deniesInsecureTransport(statement: ParsedStatement, bucketArn: string | undefined): string | undefined {
    if (statement.effect !== UNKNOWN && statement.effect !== "Deny") return "not a Deny";
    if (!onInsecureTransport(statement)) return "no aws:SecureTransport false condition";
    const principals = statement.principals;
    if (principals !== UNKNOWN && !anyPrincipal(statement)) return "not for every principal (Principal \"*\")";
    const actions = statement.actions;
    if (typeof actions === "object" && !S3_ACTIONS.every((a) => setMatches(actions, a, true))) return `not for every S3 action (${describeSet(actions)})`;
    const resources = statement.resources;
    if (bucketArn !== undefined && typeof resources === "object" && ![bucketArn, `${bucketArn}/any/object`].every((r) => setMatches(resources, r, false))) {
        return "not for the bucket and all its objects";
    }
    return undefined;
}

/** The bucket's ARN when known (mocked outputs, `pulumi up`), for checking the statement's Resource. */
function bucketArnOf(bucket: StackResource): string | undefined {
    const arn = readString(at(bucket.outputs, "arn"));
    if (typeof arn === "string") return arn;
    const name = readString(at(bucket.props, "bucket"));
    return typeof name === "string" ? `arn:aws:s3:::${name}` : undefined;
}

export const s3TlsOnly = defineStackPolicy({
    name: "s3-tls-only",
    description: "Every S3 bucket has a bucket policy that denies requests not made over TLS: a Deny statement on aws:SecureTransport false that covers every principal, every S3 action and the bucket with all its objects, so data never crosses the network in clear text.",
    nist: ["SC-8"],
    anchors: ["SecurityHub:S3.5", "cdk-nag:NIST.800.53.R5-S3BucketSSLRequestsOnly"],
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
            problems(policy, bucket) {
                const statements = parsePolicyDocument(policy.props.policy);
                if (statements === UNKNOWN) return [];
                if (statements === undefined) return ["the bucket policy is not a JSON policy document"];
                const arn = bucketArnOf(bucket);
                const reasons = statements.map((s) => deniesInsecureTransport(s, arn));
                if (reasons.some((r) => r === undefined)) return [];
                const near = statements.map((s, i) => ({ s, why: reasons[i] })).filter(({ why }) => why !== "not a Deny" && why !== "no aws:SecureTransport false condition");
                return near.length > 0
                    ? near.map(({ s, why }) => `${s.label} denies insecure transport but ${why}`)
                    : ["the bucket policy has no Deny statement on aws:SecureTransport false"];
            },
        }, report);
    },
});
