/**
 * Three idioms the pack reads as classes, each with what it must catch and the look-alikes that
 * must stay clean: IAM resource patterns that match everything without a bare "*", sub-resources
 * attributed only by the inputs that reference them (never by a dependsOn), and credentials in the
 * env-list idiom of charts.
 */
import { expect } from "chai";
import { helmNoPlaintextSecrets } from "../../policy/rules/kubernetes/helm-no-plaintext-secrets";
import { iamLeastPrivilege } from "../../policy/rules/iam/iam-least-privilege";
import { multiAzHa } from "../../policy/rules/ec2/multi-az-ha";
import { s3KmsEncryption } from "../../policy/rules/s3/s3-kms-encryption";
import { s3PublicAccessBlock } from "../../policy/rules/s3/s3-public-access-block";
import { vpcFlowLogs } from "../../policy/rules/ec2/vpc-flow-logs";
import { check, messages, planned, UNKNOWN } from "./helpers";

const POLICY = "aws:iam/policy:Policy";
const statement = (Action: unknown, Resource: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource }] });

describe("idiom: IAM resource patterns that match everything without a bare *", () => {
    /** The findings on one identity policy granting `action` on `resource`. */
    const findings = (action: unknown, resource: unknown) => messages(check(iamLeastPrivilege, [planned(POLICY, "p", { policy: statement(action, resource) })]));

    it("finds every action on a pattern that covers a whole partition, as on *", () => {
        for (const resource of ["arn:aws:*:*:*:*", "arn:aws:*", "arn:aws-us-gov:*:*:*:*", "arn:*:*:*:*:*", "arn:aws:*:*:*", "arn:aws:?*", ["arn:aws:*:*:*:*", "arn:aws:s3:::logs"]]) {
            expect(findings("*", resource), JSON.stringify(resource)).to.deep.equal(["policy statement 0 allows every action (*) on every resource"]);
        }
    });

    it("finds an escalation action on every resource it acts on: every role for PassRole, every user for CreateAccessKey", () => {
        for (const [action, resource] of [["iam:PassRole", "arn:aws:iam::*:role/*"], ["iam:PassRole", "arn:*:iam::*:*"], ["iam:CreateAccessKey", "arn:aws:iam::*:user/*"], ["iam:PutRolePolicy", "arn:aws:iam::*:role/*"], ["iam:AttachGroupPolicy", "arn:aws:iam::*:*"], ["iam:PassRole", "arn:aws:*"]]) {
            expect(findings(action, resource), `${action} on ${resource}`).to.deep.equal([`policy statement 0 allows ${action} on every resource, which lets the holder grant itself more`]);
        }
    });

    it("leaves patterns scoped to a service, an account or a resource alone", () => {
        const scoped: [unknown, unknown][] = [
            ["*", "arn:aws:s3:::*"], // one service: every bucket, not every resource
            ["*", "arn:*:s3:::*"],
            ["*", "arn:aws:*:*:123456789012:*"], // one account
            ["*", "arn:aws:*:us-east-1:*:*"], // one region: global services (S3, IAM) stay out
            ["*", ["arn:aws:s3:::*", "arn:aws:logs:*:*:*", "arn:aws:ec2:*:*:*", "arn:aws:kms:*:*:*", "arn:aws:sqs:*:*:*"]], // services listed one by one (IAM left out: iam:* on every role would be escalation)
            ["iam:PassRole", "arn:aws:iam::123456789012:role/app-*"],
            ["iam:PassRole", "arn:aws:iam::*:role/eks-nodes"], // one role name, though in any account
            ["iam:PassRole", "arn:aws:s3:::*"], // PassRole reaches no role there
            ["iam:CreateAccessKey", "arn:aws:iam::*:role/*"], // access keys are for users
            ["s3:GetObject", "arn:aws:*:*:*:*"], // every resource, but one action that escalates nothing
        ];
        for (const [action, resource] of scoped) expect(findings(action, resource), `${JSON.stringify(action)} on ${JSON.stringify(resource)}`).to.deep.equal([]);
    });
});

describe("idiom: sub-resources belong to what their inputs reference, never to what they merely depend on", () => {
    const BUCKET = "aws:s3/bucket:Bucket";
    const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    const kms = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/k" } }] };

    /** Two buckets as a first preview has them (names and ids unknown), and one configuration for `b`. */
    function neighbours(configuration: "fed by b" | "literal") {
        const a = planned(BUCKET, "a", { bucket: UNKNOWN }, { outputs: { id: UNKNOWN, bucket: UNKNOWN } });
        const b = planned(BUCKET, "b", { bucket: UNKNOWN }, { outputs: { id: UNKNOWN, bucket: UNKNOWN } });
        // The configuration waits for both buckets (dependsOn), but only b feeds its bucket input.
        const sse = configuration === "fed by b"
            ? planned(SSE, "b-sse", { bucket: UNKNOWN, ...kms }, { dependsOn: [a, b], propertyDependencies: { bucket: [b], rules: [] } })
            : planned(SSE, "b-sse", { bucket: "b-literal-name", ...kms }, { dependsOn: [a, b], propertyDependencies: { bucket: [], rules: [] } });
        return { a, b, sse };
    }

    it("does not credit a bucket with a neighbour's encryption configuration that dependsOn it", () => {
        for (const kind of ["fed by b", "literal"] as const) {
            const { a, b, sse } = neighbours(kind);
            const found = check(s3KmsEncryption, [a, b, sse]);
            expect(found.map((v) => [v.resourceName, v.message]), `${kind}: ${JSON.stringify(found)}`).to.deep.include(["a", "a has no BucketServerSideEncryptionConfiguration (SSE-KMS)"]);
            expect(found.some((v) => v.resourceName === "b" && kind === "fed by b"), kind).to.equal(false);
        }
    });

    it("the engine records an input fed by nothing as such, so an omitted input is no reference either", () => {
        const { a, b } = neighbours("fed by b");
        // The block's bucket input is absent from its per-input dependencies (set to nothing that a resource feeds).
        const block = planned(PAB, "orphan-block", { bucket: UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { dependsOn: [a, b], propertyDependencies: { blockPublicAcls: [] } });
        expect(check(s3PublicAccessBlock, [a, b, block]).map((v) => v.resourceName).sort()).to.deep.equal(["a", "b"]);
    });

    it("credits the bucket its configuration references, whether by id, by the input's feeding resource or (only without per-input records) by dependency", () => {
        const { a, b, sse } = neighbours("fed by b");
        const aSse = planned(SSE, "a-sse", { bucket: UNKNOWN, ...kms }, { dependsOn: [a], propertyDependencies: { bucket: [a] } });
        expect(check(s3KmsEncryption, [a, b, sse, aSse])).to.deep.equal([]);
        const byId = [planned(BUCKET, "c", { bucket: "c" }, { outputs: { id: "c" } }), planned(SSE, "c-sse", { bucket: "c", ...kms }, { propertyDependencies: { bucket: [] } })];
        expect(check(s3KmsEncryption, byId)).to.deep.equal([]);
        // A recording that has no per-input dependencies at all: dependencies are all there is.
        const legacy = [a, planned(SSE, "a-sse", { bucket: UNKNOWN, ...kms }, { dependsOn: [a] })];
        expect(check(s3KmsEncryption, legacy)).to.deep.equal([]);
    });

    it("holds for every rule that attributes by reference: flow logs to VPCs, node groups to subnets", () => {
        const VPC = "aws:ec2/vpc:Vpc";
        const main = planned(VPC, "main", { cidrBlock: "10.0.0.0/16" }, { outputs: { id: UNKNOWN } });
        const edge = planned(VPC, "edge", { cidrBlock: "10.1.0.0/16" }, { outputs: { id: UNKNOWN } });
        const log = planned("aws:ec2/flowLog:FlowLog", "edge-log", { vpcId: UNKNOWN, trafficType: "ALL" }, { dependsOn: [edge], propertyDependencies: { vpcId: [edge] } });
        // A log for a VPC named by a literal id, ordered after main: it logs some other VPC.
        const stray = planned("aws:ec2/flowLog:FlowLog", "stray-log", { vpcId: "vpc-0abc", trafficType: "ALL" }, { dependsOn: [main], propertyDependencies: { vpcId: [], trafficType: [] } });
        expect(check(vpcFlowLogs, [main, edge, log, stray], "prod").map((v) => v.resourceName)).to.deep.equal(["main"]);
        const subnet = (name: string, zone: string) => planned("aws:ec2/subnet:Subnet", name, { availabilityZone: zone, vpcId: UNKNOWN }, { outputs: { id: UNKNOWN } });
        const subnets = [subnet("a", "us-east-1a"), subnet("b", "us-east-1b"), subnet("c", "us-east-1c")];
        // The group waits for all three subnets but is placed in one other subnet, named literally.
        const group = planned("aws:eks/nodeGroup:NodeGroup", "ng", { subnetIds: ["subnet-0abc"] }, { dependsOn: subnets, propertyDependencies: { subnetIds: [] } });
        expect(check(multiAzHa, [...subnets, group], "prod").map((v) => v.resourceName)).to.include("ng");
        const spread = planned("aws:eks/nodeGroup:NodeGroup", "spread", { subnetIds: [UNKNOWN, UNKNOWN, UNKNOWN] }, { dependsOn: subnets, propertyDependencies: { subnetIds: subnets } });
        expect(check(multiAzHa, [...subnets, spread], "prod").map((v) => v.resourceName)).to.not.include("spread");
    });
});

describe("idiom: credentials in the env lists of charts", () => {
    const RELEASE = "kubernetes:helm.sh/v3:Release";
    const release = (values: Record<string, unknown>) => planned(RELEASE, "app", { chart: "app", values });
    const found = (values: Record<string, unknown>) => messages(check(helmNoPlaintextSecrets, [release(values)]));

    it("finds a literal value under a secret-named entry, in env, extraEnv, extraEnvVars, nested, as a map or as YAML text", () => {
        expect(found({ env: [{ name: "LOG_LEVEL", value: "info" }, { name: "DB_PASSWORD", value: "hunter2" }] })).to.deep.equal(["credential-like values written in clear: values.env[1].value"]);
        expect(found({ server: { extraEnv: [{ name: "API_TOKEN", value: "s3cr3t-v4lue" }] } })).to.deep.equal(["credential-like values written in clear: values.server.extraEnv[0].value"]);
        expect(found({ extraEnvVars: [{ name: "SMTP_PASSWORD", value: "mail-pass" }] })).to.deep.equal(["credential-like values written in clear: values.extraEnvVars[0].value"]);
        expect(found({ env: { DB_PASSWORD: { value: "hunter2" } } })).to.deep.equal(["credential-like values written in clear: values.env.DB_PASSWORD.value"]);
        expect(found({ env: { DB_PASSWORD: "hunter2" } })).to.deep.equal(["credential-like values written in clear: values.env.DB_PASSWORD"]);
        expect(found({ extraEnvVars: "- name: LOG_LEVEL\n  value: info\n- name: AWS_SECRET_ACCESS_KEY\n  value: wJalrXUtnFEMIK7MDENG\n" }))
            .to.deep.equal(["credential-like values written in clear: values.extraEnvVars (a credential in an env list)"]);
    });

    it("leaves references, computed values and look-alikes clean", () => {
        expect(found({
            env: [
                { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-credentials", key: "password" } } },
                { name: "API_TOKEN", value: "${API_TOKEN}" },
                { name: "DB_PASSWORD_FILE", value: "/run/secrets/db-password" },
                { name: "TOKEN_AUDIENCE", value: "sts.amazonaws.com" },
                { name: "SECRET_NAME", value: "db-credentials" },
                { name: "ADMIN_PASSWORD", value: UNKNOWN },
                { name: "EMPTY_TOKEN", value: "" },
                { name: "LOG_LEVEL", value: "debug" },
            ],
            extraEnv: { GRAFANA_TOKEN: { valueFrom: { secretKeyRef: { name: "grafana", key: "token" } } } },
            extraEnvVars: "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password\n- name: DB_PASSWORD_FILE\n  value: /run/secrets/pw\n",
        })).to.deep.equal([]);
    });
});
