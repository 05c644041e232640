/**
 * The rules written for the anchor checks the pack was missing: network ACLs (EC2.21), RDS
 * logging, IAM authentication, monitoring and placement (RDS.5/6/9/10/13/17/18/25), SSM-managed
 * instances (SSM.1), each with the settings the platform declares passing and each gap failing.
 */
import { expect } from "chai";
import { subnetAclIngress } from "../../components/network";
import { networkAcls } from "../../policy/rules/ec2/network-acls";
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
