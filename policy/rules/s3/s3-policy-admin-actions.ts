import { isAllow, parsePolicyDocument, setMatches } from "../../lib/iam";
import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { UNKNOWN } from "../../lib/values";

/** What lets a grantee take the bucket over: rewrite its policy or ACLs, or change its encryption. */
const CONTROL_ACTIONS = ["s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutObjectAcl"];

export const s3PolicyAdminActions = defineResourcePolicy({
    name: "s3-policy-admin-actions",
    description: "No bucket policy grants an AWS principal (another account, or any) the actions that take control of the bucket: deleting or rewriting its policy, its ACLs or its encryption. The account's own principals get what they need through IAM, where iam-least-privilege judges it.",
    nist: ["AC-3", "AC-6"],
    anchors: ["SecurityHub:S3.6"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove s3:DeleteBucketPolicy, s3:PutBucketAcl, s3:PutBucketPolicy, s3:PutEncryptionConfiguration and s3:PutObjectAcl (and wildcards covering them) from the Allow statements of the bucket policy that name AWS principals.",
    resourceTypes: [T.bucketPolicy],
    validate(resource, _context, report) {
        const statements = parsePolicyDocument(resource.props.policy);
        if (statements === undefined || statements === UNKNOWN) return;
        for (const statement of statements) {
            const principals = statement.principals;
            if (!isAllow(statement) || typeof principals !== "object" || typeof statement.actions !== "object") continue;
            const toAws = principals.negated || (principals.byKind.AWS ?? []).length > 0 || (principals.byKind["*"] ?? []).length > 0;
            const actions = statement.actions;
            const granted = CONTROL_ACTIONS.filter((action) => setMatches(actions, action, true));
            if (toAws && granted.length > 0) report(`${statement.label} grants AWS principals ${granted.join(", ")}: control of the bucket`);
        }
    },
});
