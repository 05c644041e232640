/**
 * The rules written for the anchor checks the pack was missing: network ACLs (EC2.21), RDS
 * logging, IAM authentication, monitoring, placement and backup plan (RDS.5/6/9/10/13/17/18/25/26), SSM-managed
 * instances (SSM.1), bucket access logs, lifecycles, ACLs and policies (S3.6/9/10/12/13), public SSM documents (SSM.4),
 * whole-service and decrypt-everything grants (KMS.2, cdk-nag's full access), each with the settings the platform declares passing and each gap failing.
 */
import { expect } from "chai";
import { subnetAclIngress } from "../../components/network";
import { networkAcls } from "../../policy/rules/ec2/network-acls";
import { iamLeastPrivilege } from "../../policy/rules/iam/iam-least-privilege";
import { s3AccessLogging } from "../../policy/rules/s3/s3-access-logging";
import { s3KmsEncryption } from "../../policy/rules/s3/s3-kms-encryption";
import { s3Lifecycle } from "../../policy/rules/s3/s3-lifecycle";
import { s3NoAcls } from "../../policy/rules/s3/s3-no-acls";
import { s3PolicyAdminActions } from "../../policy/rules/s3/s3-policy-admin-actions";
import { ssmDocumentsPrivate } from "../../policy/rules/ssm/ssm-documents-private";
import { rdsBackupPlan } from "../../policy/rules/rds/rds-backup-plan";
import { rdsHardening } from "../../policy/rules/rds/rds-hardening";
import { ssmManagedInstances } from "../../policy/rules/ssm/ssm-managed-instances";
import { check, messages, planned, UNKNOWN } from "./helpers";

describe("policy network-acls", () => {
    const VPC = "aws:ec2/vpc:Vpc";
    const ACL = "aws:ec2/networkAcl:NetworkAcl";
    const DEFAULT_ACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl";
    const ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule";
    const vpc = (name = "vpc", id = "acl-default") => planned(VPC, name, { cidrBlock: "10.0.0.0/16" }, { outputs: { id: `vpc-${name}`, defaultNetworkAclId: id } });
    const allowAll = { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" };

    it("passes the platform's ACLs: the default one closed, the subnets' one denying SSH and RDP before allowing the rest", () => {
        const preview = planned(VPC, "preview", {});
        expect(check(networkAcls, [
            vpc(),
            planned(DEFAULT_ACL, "default", { defaultNetworkAclId: "acl-default" }),
            planned(ACL, "subnets", { vpcId: "vpc-vpc", ingress: subnetAclIngress(), egress: [allowAll] }),
            // In a preview the default ACL's id is unknown: the dependency links it.
            preview,
            planned(DEFAULT_ACL, "preview-default", { defaultNetworkAclId: UNKNOWN }, { propertyDependencies: { defaultNetworkAclId: [preview] } }),
        ], "prod")).to.deep.equal([]);
    });

    it("fails a VPC whose default ACL is not managed, and a managed default ACL with rules", () => {
        expect(messages(check(networkAcls, [
            vpc("a", "acl-a"),
            vpc("b", "acl-b"),
            planned(DEFAULT_ACL, "b-default", { defaultNetworkAclId: "acl-b", ingress: [allowAll], egress: [allowAll] }),
        ], "prod"))).to.deep.equal([
            "a has no managed default network ACL (AWS's default allows all traffic in and out)",
            "b: the default network ACL has 1 ingress rule(s); the default network ACL has 1 egress rule(s)",
            "b-default admits TCP 22 and 3389 from the whole internet",
        ]);
    });

    it("judges entries in AWS's order: a deny numbered after the allow protects nothing; a standalone rule counts", () => {
        const late = planned(ACL, "late-deny", { ingress: [allowAll, { ruleNo: 200, action: "deny", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" }] });
        const rdpOnly = planned(ACL, "rdp", { ingress: [{ ruleNo: 10, action: "deny", protocol: "6", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" }] }, { outputs: { id: "acl-rdp" } });
        const standalone = planned(ACL_RULE, "rdp-open", { networkAclId: "acl-rdp", egress: false, ruleNumber: 50, ruleAction: "allow", protocol: "tcp", fromPort: 3000, toPort: 4000, cidrBlock: "0.0.0.0/0" });
        const scoped = planned(ACL, "scoped", { ingress: [{ ruleNo: 10, action: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "10.0.0.0/8" }, { ruleNo: 20, action: "allow", protocol: "udp", fromPort: 0, toPort: 65535, cidrBlock: "0.0.0.0/0" }] });
        expect(messages(check(networkAcls, [late, rdpOnly, standalone, scoped], "prod"))).to.deep.equal([
            "late-deny admits TCP 22 and 3389 from the whole internet",
            "rdp admits TCP 3389 from the whole internet",
        ]);
    });
});

describe("policy rds-hardening", () => {
    const RDS = "aws:rds/instance:Instance";
    const platform = {
        engine: "postgres", username: "grafana", enabledCloudwatchLogsExports: ["postgresql", "upgrade"], iamDatabaseAuthenticationEnabled: true,
        monitoringInterval: 60, monitoringRoleArn: "arn:aws:iam::123456789012:role/db-monitoring", dbSubnetGroupName: "db-subnets",
        autoMinorVersionUpgrade: true, copyTagsToSnapshot: true, multiAz: true,
    };

    it("passes the platform's database in prod, a single-zone one in dev, and skips what a preview does not know", () => {
        expect(check(rdsHardening, [planned(RDS, "db", platform)], "prod")).to.deep.equal([]);
        expect(check(rdsHardening, [planned(RDS, "db", { ...platform, multiAz: false })], "dev")).to.deep.equal([]);
        const pending = { ...platform, monitoringRoleArn: UNKNOWN, dbSubnetGroupName: UNKNOWN, enabledCloudwatchLogsExports: UNKNOWN, multiAz: UNKNOWN };
        expect(check(rdsHardening, [planned(RDS, "db", pending)], "prod")).to.deep.equal([]);
    });

    it("reports every gap of an instance left at RDS's defaults", () => {
        expect(messages(check(rdsHardening, [planned(RDS, "db", { engine: "postgres", username: "postgres", enabledCloudwatchLogsExports: ["postgresql"], autoMinorVersionUpgrade: false })], "prod"))).to.deep.equal([
            "enabledCloudwatchLogsExports lacks upgrade: the postgres logs not exported are lost with the instance",
            "iamDatabaseAuthenticationEnabled is not true",
            "monitoringInterval is not set: enhanced monitoring is off",
            "no dbSubnetGroupName: the instance is not placed in the VPC's subnets",
            "autoMinorVersionUpgrade is false: security fixes in minor versions are not applied",
            "copyTagsToSnapshot is not true: snapshots lose the inventory tags",
            'username is "postgres", a default administrator name',
            "prod: multiAz is not true: no standby takes over when the zone fails",
        ]);
        expect(messages(check(rdsHardening, [planned(RDS, "db", { ...platform, engine: "mysql", username: "Admin", monitoringRoleArn: undefined })], "dev"))).to.deep.equal([
            "enabledCloudwatchLogsExports lacks audit, error, general, slowquery: the mysql logs not exported are lost with the instance",
            "monitoringInterval is set without a monitoringRoleArn: RDS cannot publish the metrics",
            'username is "Admin", a default administrator name',
        ]);
    });
});

describe("policy ssm-managed-instances", () => {
    const ROLE = "aws:iam/role:Role";
    const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    const PROFILE = "aws:iam/instanceProfile:InstanceProfile";
    const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
    const INSTANCE = "aws:ec2/instance:Instance";
    const SSM = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
    const role = (name: string) => planned(ROLE, name, {}, { outputs: { id: name, name, arn: `arn:aws:iam::123456789012:role/${name}` } });
    const attach = (roleName: string, policy: string) => planned(ATTACHMENT, `${roleName}-${policy.split("/").pop()}`, { role: roleName, policyArn: policy });

    it("passes node groups and instances whose roles carry the SSM core policy, matched by ARN, name or a preview's dependency", () => {
        const preview = planned(ROLE, "preview-role", {});
        expect(check(ssmManagedInstances, [
            role("node"), attach("node", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"), attach("node", SSM),
            planned(NODE_GROUP, "workers", { nodeRoleArn: "arn:aws:iam::123456789012:role/node" }),
            role("bastion"), attach("bastion", "arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore"),
            planned(PROFILE, "bastion-profile", { role: "bastion" }, { outputs: { id: "bastion-profile", name: "bastion-profile" } }),
            planned(INSTANCE, "bastion", { iamInstanceProfile: "bastion-profile" }),
            preview,
            planned(ATTACHMENT, "preview-ssm", { role: UNKNOWN, policyArn: SSM }, { propertyDependencies: { role: [preview] } }),
            planned(NODE_GROUP, "preview-workers", { nodeRoleArn: UNKNOWN }, { propertyDependencies: { nodeRoleArn: [preview] } }),
        ], "prod")).to.deep.equal([]);
    });

    it("fails a node role without it, an instance without a profile, and a role the stack does not declare", () => {
        expect(messages(check(ssmManagedInstances, [
            role("node"), attach("node", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"),
            // Another policy of a similar name is not the SSM core policy.
            attach("node", "arn:aws:iam::123456789012:policy/AmazonSSMManagedInstanceCore"),
            planned(NODE_GROUP, "workers", { nodeRoleArn: "arn:aws:iam::123456789012:role/node" }),
            planned(NODE_GROUP, "elsewhere", { nodeRoleArn: "arn:aws:iam::123456789012:role/not-here" }),
            planned(INSTANCE, "bare", { instanceType: "t4g.micro" }),
        ], "prod"))).to.deep.equal([
            "workers: its node role node lacks AmazonSSMManagedInstanceCore, so Systems Manager cannot manage its instances",
            "elsewhere: the node role is not a role of this stack, so its SSM policy cannot be checked",
            "bare has no iamInstanceProfile: without a role Systems Manager cannot manage it",
        ]);
    });
});

describe("policy iam-least-privilege: whole services and every key's data", () => {
    const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

    it("passes listed actions, decryption under named keys, and a key policy's kms:* for the account", () => {
        expect(check(iamLeastPrivilege, [
            planned(ROLE_POLICY, "loki", { role: "loki", policy: policy({ Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:List*"], Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"] }) }),
            planned(ROLE_POLICY, "velero", { role: "velero", policy: policy({ Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "arn:aws:kms:us-east-1:123456789012:key/1234" }) }),
            planned(ROLE_POLICY, "deny", { role: "x", policy: policy({ Effect: "Deny", Action: "s3:*", Resource: "*" }) }),
            planned("aws:kms/key:Key", "key", { policy: policy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }) }),
        ], "prod")).to.deep.equal([]);
    });

    it("fails an identity policy granting a whole service, and decryption on every key", () => {
        expect(messages(check(iamLeastPrivilege, [
            planned(ROLE_POLICY, "broad", { role: "r", policy: policy({ Sid: "All", Effect: "Allow", Action: ["s3:*", "sqs:GetQueueUrl"], Resource: "arn:aws:s3:::one" }) }),
            planned(ROLE_POLICY, "decrypt", { role: "r", policy: policy({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }) }),
        ], "prod"))).to.deep.equal([
            "policy statement 0 (All) allows every action of s3:*: list the actions the holder needs",
            "policy statement 0 allows kms:Decrypt on every resource, so every KMS key's data: name the keys",
        ]);
    });
});

describe("policy s3-lifecycle", () => {
    const BUCKET = "aws:s3/bucket:Bucket";
    const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
    const bucket = (name: string) => planned(BUCKET, name, {}, { outputs: { id: name, bucket: name } });

    it("passes a bucket with an enabled rule, and skips rules a preview does not know", () => {
        expect(check(s3Lifecycle, [
            bucket("logs"), planned(LIFECYCLE, "logs-lifecycle", { bucket: "logs", rules: [{ id: "retention", status: "Enabled", expiration: { days: 90 } }] }),
            bucket("new"), planned(LIFECYCLE, "new-lifecycle", { bucket: "new", rules: UNKNOWN }),
        ], "prod")).to.deep.equal([]);
    });

    it("fails a bucket without a lifecycle and one whose rules are all disabled", () => {
        expect(messages(check(s3Lifecycle, [
            bucket("bare"),
            bucket("off"), planned(LIFECYCLE, "off-lifecycle", { bucket: "off", rules: [{ id: "retention", status: "Disabled" }] }),
        ], "prod"))).to.deep.equal(["bare has no BucketLifecycleConfiguration", "off: the lifecycle configuration has no enabled rule"]);
    });
});

describe("policy s3-no-acls", () => {
    it("passes a bucket without ACLs, a private canned ACL and ownership controls that keep ACLs off", () => {
        expect(check(s3NoAcls, [
            planned("aws:s3/bucket:Bucket", "plain", {}),
            planned("aws:s3/bucketV2:BucketV2", "private", { acl: "private" }),
            planned("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "enforced", { bucket: "b", rule: { objectOwnership: "BucketOwnerEnforced" } }),
        ], "prod")).to.deep.equal([]);
    });

    it("fails every way of managing access with ACLs", () => {
        expect(messages(check(s3NoAcls, [
            planned("aws:s3/bucket:Bucket", "public", { acl: "public-read", grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] }] }),
            planned("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", acl: "private" }),
            planned("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "preferred", { bucket: "b", rule: { objectOwnership: "BucketOwnerPreferred" } }),
        ], "prod"))).to.deep.equal([
            'the bucket sets the canned ACL "public-read"',
            "the bucket sets 1 ACL grant(s)",
            "a BucketAcl manages access with ACLs",
            "objectOwnership is BucketOwnerPreferred: ACLs stay enabled on the bucket",
        ]);
    });
});

describe("policy ssm-documents-private", () => {
    const DOCUMENT = "aws:ssm/document:Document";

    it("passes a document without permissions or shared with named accounts", () => {
        expect(check(ssmDocumentsPrivate, [
            planned(DOCUMENT, "prefs", { documentType: "Session", content: "{}" }),
            planned(DOCUMENT, "shared", { permissions: { type: "Share", accountIds: "111111111111,222222222222" } }),
            planned(DOCUMENT, "pending", { permissions: UNKNOWN }),
        ], "prod")).to.deep.equal([]);
    });

    it("fails a document shared with All accounts, however the list is written", () => {
        expect(messages(check(ssmDocumentsPrivate, [planned(DOCUMENT, "public", { permissions: { type: "Share", accountIds: "111111111111, all" } })], "prod")))
            .to.deep.equal(["permissions share the document with All accounts: it is public"]);
    });
});

describe("policy s3-access-logging, and the SSE-S3 its log bucket needs", () => {
    const BUCKET = "aws:s3/bucket:Bucket";
    const LOGGING = "aws:s3/bucketLogging:BucketLogging";
    const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    const bucket = (name: string) => planned(BUCKET, name, {}, { outputs: { id: name, bucket: name } });
    const sse = (name: string, byDefault: object) => planned(SSE, `${name}-sse`, { bucket: name, rules: [{ applyServerSideEncryptionByDefault: byDefault }] });
    const KMS = { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/1234" };

    it("passes data buckets logging to the log bucket, which itself does not log and is under SSE-S3", () => {
        const resources = [
            bucket("logs"), sse("logs", { sseAlgorithm: "AES256" }),
            bucket("data"), sse("data", KMS), planned(LOGGING, "data-logging", { bucket: "data", targetBucket: "logs", targetPrefix: "data/" }),
        ];
        expect(check(s3AccessLogging, resources, "prod")).to.deep.equal([]);
        expect(check(s3KmsEncryption, resources, "prod")).to.deep.equal([]);
    });

    it("fails a bucket without logging or without a target, and SSE-S3 on a bucket that receives no logs", () => {
        const resources = [
            bucket("bare"), sse("bare", { sseAlgorithm: "AES256" }),
            bucket("half"), sse("half", KMS), planned(LOGGING, "half-logging", { bucket: "half", targetPrefix: "half/" }),
        ];
        expect(messages(check(s3AccessLogging, resources, "prod"))).to.deep.equal(["bare has no server access logging (BucketLogging)", "half: the BucketLogging names no targetBucket"]);
        expect(messages(check(s3KmsEncryption, resources, "prod"))).to.deep.equal(["bare: sseAlgorithm is AES256, not aws:kms"]);
    });
});

describe("policy s3-policy-admin-actions", () => {
    const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
    const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

    it("passes the platform's policies: TLS-only deny and S3's log delivery writing objects", () => {
        expect(check(s3PolicyAdminActions, [planned(POLICY, "logs", { bucket: "logs", policy: doc(
            { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            { Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/*" },
            { Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: ["s3:GetObject", "s3:ListBucket"], Resource: "arn:aws:s3:::logs/*" },
        ) })], "prod")).to.deep.equal([]);
    });

    it("fails control of the bucket granted to another account, by name or wildcard", () => {
        expect(messages(check(s3PolicyAdminActions, [planned(POLICY, "shared", { bucket: "b", policy: doc(
            { Sid: "Partner", Effect: "Allow", Principal: { AWS: ["210987654321"] }, Action: ["s3:Put*"], Resource: "arn:aws:s3:::b/*" },
            { Effect: "Allow", Principal: "*", Action: "s3:DeleteBucketPolicy", Resource: "arn:aws:s3:::b" },
        ) })], "prod"))).to.deep.equal([
            "statement 0 (Partner) grants AWS principals s3:PutBucketAcl, s3:PutBucketPolicy, s3:PutEncryptionConfiguration, s3:PutObjectAcl: control of the bucket",
            "statement 1 grants AWS principals s3:DeleteBucketPolicy: control of the bucket",
        ]);
    });
});

describe("policy rds-backup-plan", () => {
    const RDS = "aws:rds/instance:Instance";
    const VAULT = "aws:backup/vault:Vault";
    const PLAN = "aws:backup/plan:Plan";
    const SELECTION = "aws:backup/selection:Selection";
    const db = (name: string) => planned(RDS, name, { engine: "postgres" }, { outputs: { id: name, arn: `arn:aws:rds:us-east-1:123456789012:db:${name}` } });
    const vault = planned(VAULT, "vault", { name: "db-vault", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1" });
    const plan = (name: string, targetVaultName: string) => planned(PLAN, name, { name, rules: [{ ruleName: "daily", targetVaultName, schedule: "cron(0 5 * * ? *)" }] }, { outputs: { id: `${name}-id` } });

    it("passes an instance selected by a plan writing to a vault of the stack, by ARN or a preview's dependencies", () => {
        const preview = planned(RDS, "preview-db", {});
        const previewPlan = planned(PLAN, "preview-plan", { rules: [{ ruleName: "daily", targetVaultName: UNKNOWN }] });
        expect(check(rdsBackupPlan, [
            db("db"), vault, plan("daily", "db-vault"),
            planned(SELECTION, "selection", { planId: "daily-id", resources: ["arn:aws:rds:us-east-1:123456789012:db:db"] }),
            preview, previewPlan,
            planned(SELECTION, "preview-selection", { planId: UNKNOWN, resources: [UNKNOWN] }, { propertyDependencies: { planId: [previewPlan], resources: [preview] } }),
        ], "prod")).to.deep.equal([]);
    });

    it("fails an instance in no selection, and one whose plan writes to a vault the stack does not hold", () => {
        expect(messages(check(rdsBackupPlan, [
            db("unplanned"),
            db("elsewhere"), vault, plan("default-vault", "Default"),
            planned(SELECTION, "selection", { planId: "default-vault-id", resources: ["arn:aws:rds:us-east-1:123456789012:db:elsewhere"] }),
        ], "prod"))).to.deep.equal([
            "unplanned is in no AWS Backup selection",
            "elsewhere: no backup plan of the stack selecting it has a rule writing to a vault of the stack",
        ]);
    });
});
