import { expect } from "chai";
import { logRetention } from "../../policy/rules/cloudwatch/log-retention";
import { iamLeastPrivilege } from "../../policy/rules/iam/iam-least-privilege";
import { kmsKeyRotation } from "../../policy/rules/kms/kms-key-rotation";
import { check, messages, planned, UNKNOWN } from "./helpers";

const KEY = "aws:kms/key:Key";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("policy kms-key-rotation", () => {
    it("passes a rotating key, with a 30-day deletion window in prod", () => {
        expect(check(kmsKeyRotation, [planned(KEY, "k", { enableKeyRotation: true, deletionWindowInDays: 30 })], "prod")).to.deep.equal([]);
        expect(check(kmsKeyRotation, [planned(KEY, "k", { enableKeyRotation: true, deletionWindowInDays: 7 })], "dev")).to.deep.equal([]);
    });

    it("fails a key without rotation, and a short deletion window in prod only", () => {
        const violations = check(kmsKeyRotation, [planned(KEY, "k", { deletionWindowInDays: 7 })], "prod");
        expect(violations.map((v) => [v.message, v.enforcementLevel])).to.deep.equal([
            ["enableKeyRotation is not true", "mandatory"],
            ["prod: deletionWindowInDays is 7, below 30", "mandatory"],
        ]);
        expect(messages(check(kmsKeyRotation, [planned(KEY, "k", { enableKeyRotation: false, deletionWindowInDays: 7 })], "dev"))).to.deep.equal(["enableKeyRotation is not true"]);
    });

    it("does not ask asymmetric keys to rotate, and skips unknown values", () => {
        expect(check(kmsKeyRotation, [
            planned(KEY, "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
            planned(KEY, "pending", { enableKeyRotation: UNKNOWN, deletionWindowInDays: UNKNOWN }),
        ], "prod")).to.deep.equal([]);
    });
});

describe("policy log-retention", () => {
    it("passes a KMS-encrypted group kept at least the environment's minimum", () => {
        expect(check(logRetention, [planned(LOG_GROUP, "flow", { retentionInDays: 30, kmsKeyId: KEY_ARN })], "dev")).to.deep.equal([]);
        expect(check(logRetention, [planned(LOG_GROUP, "flow", { retentionInDays: 365, kmsKeyId: UNKNOWN })], "prod")).to.deep.equal([]);
        // Unset retention never expires.
        expect(check(logRetention, [planned(LOG_GROUP, "forever", { kmsKeyId: KEY_ARN })], "prod")).to.deep.equal([]);
    });

    it("fails short retention and a missing key", () => {
        expect(messages(check(logRetention, [planned(LOG_GROUP, "flow", { retentionInDays: 30 })], "prod"))).to.deep.equal([
            "retentionInDays is 30, below the prod minimum of 365",
            "no kmsKeyId: the log group is encrypted only with a CloudWatch-owned key",
        ]);
        expect(messages(check(logRetention, [planned(LOG_GROUP, "flow", { retentionInDays: 14, kmsKeyId: KEY_ARN })], "dev"))).to.deep.equal([
            "retentionInDays is 14, below the dev minimum of 30",
        ]);
    });

    it("takes the minimum from config, and skips an unknown retention", () => {
        expect(check(logRetention, [planned(LOG_GROUP, "g", { retentionInDays: 90, kmsKeyId: KEY_ARN })], "prod", { minimumRetentionDays: 90 })).to.deep.equal([]);
        expect(check(logRetention, [planned(LOG_GROUP, "g", { retentionInDays: UNKNOWN, kmsKeyId: KEY_ARN })], "prod")).to.deep.equal([]);
    });
});

describe("policy iam-least-privilege", () => {
    const POLICY = "aws:iam/policy:Policy";
    const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    const admin = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    const scoped = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: ["arn:aws:logs:us-east-1:123456789012:log-group:x:*"] }] };

    it("passes scoped documents, a Deny on everything and a document unknown during preview", () => {
        expect(check(iamLeastPrivilege, [
            planned(POLICY, "scoped", { policy: JSON.stringify(scoped) }),
            planned(ROLE_POLICY, "deny", { role: "r", policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }) }),
            planned(ROLE_POLICY, "pending", { role: "r", policy: UNKNOWN }),
            planned("aws:iam/role:Role", "role", { assumeRolePolicy: "{}", inlinePolicies: [{ name: "p", policy: JSON.stringify(scoped) }] }),
        ])).to.deep.equal([]);
    });

    it("fails * on *, in policies, role policies and inline policies, and AdministratorAccess", () => {
        const violations = check(iamLeastPrivilege, [
            planned(POLICY, "admin", { policy: JSON.stringify(admin) }),
            planned(ROLE_POLICY, "star-star", { role: "r", policy: { Statement: { Effect: "Allow", Action: ["s3:GetObject", "*:*"], Resource: ["*"] } } }),
            planned("aws:iam/role:Role", "role", { assumeRolePolicy: "{}", inlinePolicies: [{ name: "p", policy: JSON.stringify(admin) }] }),
            planned("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
        ]);
        expect(violations.map((v) => [v.resourceName, v.message, v.enforcementLevel])).to.deep.equal([
            ["admin", "policy statement 0 allows every action (*) on every resource", "mandatory"],
            ["star-star", "policy statement 0 allows every action (s3:GetObject, *:*) on every resource", "mandatory"],
            ["role", "inlinePolicies[0].policy statement 0 allows every action (*) on every resource", "mandatory"],
            ["attach", "policyArn attaches arn:aws:iam::aws:policy/AdministratorAccess", "mandatory"],
        ]);
    });

    it("fails IAM users and access keys", () => {
        expect(check(iamLeastPrivilege, [planned("aws:iam/user:User", "ci", {}), planned("aws:iam/accessKey:AccessKey", "ci-key", { user: "ci" })]).map((v) => v.resourceName))
            .to.deep.equal(["ci", "ci-key"]);
    });
});
