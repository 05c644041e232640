import { expect } from "chai";
import type { PlannedResource } from "../../engine/types";
import { s3KmsEncryption } from "../../policy/rules/s3/s3-kms-encryption";
import { s3PublicAccessBlock } from "../../policy/rules/s3/s3-public-access-block";
import { s3TlsOnly } from "../../policy/rules/s3/s3-tls-only";
import { s3Versioning } from "../../policy/rules/s3/s3-versioning";
import { check, messages, planned, UNKNOWN } from "./helpers";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A bucket as the offline engine records it: its name (= id) among the outputs. */
function bucket(name: string): PlannedResource {
    return planned("aws:s3/bucket:Bucket", name, {}, { outputs: { id: `${name}-a1b2c3d`, bucket: `${name}-a1b2c3d` } });
}

function encryption(name: string, target: PlannedResource, byDefault: Record<string, unknown>, bucketRef: unknown = target.outputs.id): PlannedResource {
    return planned("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name, {
        bucket: bucketRef,
        rules: [{ applyServerSideEncryptionByDefault: byDefault, bucketKeyEnabled: true }],
    }, { dependsOn: [target] });
}

describe("policy s3-kms-encryption", () => {
    it("passes a bucket whose encryption configuration uses a customer-managed key", () => {
        const logs = bucket("logs");
        expect(check(s3KmsEncryption, [logs, encryption("logs-sse", logs, { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN })])).to.deep.equal([]);
    });

    it("fails a bucket without an encryption configuration, on the bucket", () => {
        const logs = bucket("logs");
        const other = bucket("other");
        const violations = check(s3KmsEncryption, [logs, other, encryption("other-sse", other, { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN })]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([["logs", "logs has no BucketServerSideEncryptionConfiguration (SSE-KMS)"]]);
        expect(violations[0]).to.include({ enforcementLevel: "mandatory", severity: "high" });
    });

    it("fails SSE-S3, a missing key and the AWS-managed key, on the configuration", () => {
        const [a, b, c] = [bucket("a"), bucket("b"), bucket("c")];
        const violations = check(s3KmsEncryption, [
            a, encryption("a-sse", a, { sseAlgorithm: "AES256" }),
            b, encryption("b-sse", b, { sseAlgorithm: "aws:kms" }),
            c, encryption("c-sse", c, { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }),
        ]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["a-sse", "a: sseAlgorithm is AES256, not aws:kms"],
            ["b-sse", "b: no kmsMasterKeyId, so S3 uses the AWS-managed aws/s3 key"],
            ["c-sse", "c: kmsMasterKeyId alias/aws/s3 is the AWS-managed key"],
        ]);
    });

    it("matches by dependency when the bucket reference is unknown, as in a preview of a new stack", () => {
        const logs = planned("aws:s3/bucket:Bucket", "logs", {});
        const other = planned("aws:s3/bucket:Bucket", "other", {});
        const sse = encryption("logs-sse", logs, { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN }, UNKNOWN);
        expect(messages(check(s3KmsEncryption, [logs, other, sse]))).to.deep.equal(["other has no BucketServerSideEncryptionConfiguration (SSE-KMS)"]);
    });

    it("does not match a configuration whose known bucket name is another bucket's", () => {
        const logs = bucket("logs");
        const other = bucket("other");
        // Depends on logs (say, for its ARN) but configures `other`.
        const sse = encryption("sse", logs, { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, other.outputs.id);
        expect(messages(check(s3KmsEncryption, [logs, other, sse]))).to.deep.equal(["logs has no BucketServerSideEncryptionConfiguration (SSE-KMS)"]);
    });

    it("skips rules that are unknown during preview", () => {
        const logs = bucket("logs");
        const sse = planned("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { bucket: logs.outputs.id, rules: UNKNOWN });
        expect(check(s3KmsEncryption, [logs, sse])).to.deep.equal([]);
    });
});

describe("policy s3-public-access-block", () => {
    const TYPE = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    const ALL_ON = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

    it("passes a bucket with all four flags on", () => {
        const logs = bucket("logs");
        expect(check(s3PublicAccessBlock, [logs, planned(TYPE, "pab", { bucket: logs.outputs.id, ...ALL_ON })])).to.deep.equal([]);
    });

    it("fails a bucket without a block, and a block leaving flags off", () => {
        const [a, b] = [bucket("a"), bucket("b")];
        const partial = planned(TYPE, "b-pab", { bucket: b.outputs.id, ...ALL_ON, restrictPublicBuckets: false, ignorePublicAcls: undefined });
        const violations = check(s3PublicAccessBlock, [a, b, partial]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["a", "a has no BucketPublicAccessBlock"],
            ["b-pab", "b: public access block leaves ignorePublicAcls, restrictPublicBuckets off"],
        ]);
    });

    it("skips flags that are unknown", () => {
        const logs = bucket("logs");
        expect(check(s3PublicAccessBlock, [logs, planned(TYPE, "pab", { bucket: logs.outputs.id, ...ALL_ON, blockPublicPolicy: UNKNOWN })])).to.deep.equal([]);
    });
});

describe("policy s3-tls-only", () => {
    const TYPE = "aws:s3/bucketPolicy:BucketPolicy";
    const denyInsecure = {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };

    it("passes a bucket policy denying insecure transport, as JSON text or as an object", () => {
        const [a, b] = [bucket("a"), bucket("b")];
        expect(check(s3TlsOnly, [
            a, planned(TYPE, "a-policy", { bucket: a.outputs.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecure] }) }),
            b, planned(TYPE, "b-policy", { bucket: b.outputs.id, policy: { Version: "2012-10-17", Statement: { ...denyInsecure, Condition: { Bool: { "aws:SecureTransport": false } } } } }),
        ])).to.deep.equal([]);
    });

    it("fails a bucket without a policy and a policy that does not deny insecure transport", () => {
        const [a, b] = [bucket("a"), bucket("b")];
        const allowOnly = { Version: "2012-10-17", Statement: [{ ...denyInsecure, Effect: "Allow" }] };
        const violations = check(s3TlsOnly, [a, b, planned(TYPE, "b-policy", { bucket: b.outputs.id, policy: JSON.stringify(allowOnly) })]);
        expect(violations.map((v) => [v.resourceName, v.message, v.enforcementLevel])).to.deep.equal([
            ["a", "a has no BucketPolicy denying insecure transport", "advisory"],
            ["b-policy", "b: the bucket policy has no Deny statement on aws:SecureTransport false", "advisory"],
        ]);
    });

    it("skips a policy document that is unknown during preview", () => {
        const logs = bucket("logs");
        expect(check(s3TlsOnly, [logs, planned(TYPE, "policy", { bucket: logs.outputs.id, policy: UNKNOWN })])).to.deep.equal([]);
    });
});

describe("policy s3-versioning", () => {
    const TYPE = "aws:s3/bucketVersioning:BucketVersioning";

    it("passes a bucket with versioning Enabled", () => {
        const logs = bucket("logs");
        expect(check(s3Versioning, [logs, planned(TYPE, "v", { bucket: logs.outputs.id, versioningConfiguration: { status: "Enabled" } })])).to.deep.equal([]);
    });

    it("fails a suspended versioning and a bucket without any", () => {
        const [a, b] = [bucket("a"), bucket("b")];
        expect(messages(check(s3Versioning, [a, b, planned(TYPE, "b-v", { bucket: b.outputs.id, versioningConfiguration: { status: "Suspended" } })]))).to.deep.equal([
            "a has no BucketVersioning",
            "b: versioning status is Suspended, not Enabled",
        ]);
    });

    it("judges the deprecated BucketV2 aliases alike, and skips an unknown status", () => {
        const legacy = planned("aws:s3/bucketV2:BucketV2", "legacy", {}, { outputs: { id: "legacy-1" } });
        const versioning = planned("aws:s3/bucketVersioningV2:BucketVersioningV2", "v", { bucket: "legacy-1", versioningConfiguration: { status: UNKNOWN } });
        expect(check(s3Versioning, [legacy, versioning])).to.deep.equal([]);
        expect(messages(check(s3Versioning, [legacy]))).to.deep.equal(["legacy has no BucketVersioning"]);
    });
});
