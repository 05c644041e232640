import { expect } from "chai";
import { ebsKmsEncryption } from "../../policy/rules/ebs/ebs-kms-encryption";
import { defaultSgClosed } from "../../policy/rules/ec2/default-sg-closed";
import { imdsv2Required } from "../../policy/rules/ec2/imdsv2-required";
import { noPublicIp } from "../../policy/rules/ec2/no-public-ip";
import { sgNoOpenIngress } from "../../policy/rules/ec2/sg-no-open-ingress";
import { vpcFlowLogs } from "../../policy/rules/ec2/vpc-flow-logs";
import { check, messages, planned, UNKNOWN } from "./helpers";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";

describe("policy ebs-kms-encryption", () => {
    it("passes a launch template with string flags and a customer-managed key, as a preview delivers it", () => {
        const template = planned(LAUNCH_TEMPLATE, "nodes", {
            blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY_ARN, volumeSize: 50, volumeType: "gp3" } }],
        });
        expect(check(ebsKmsEncryption, [template])).to.deep.equal([]);
    });

    it("fails launch templates with unencrypted disks or no disks at all", () => {
        const plain = planned(LAUNCH_TEMPLATE, "plain", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 50 } }] });
        const none = planned(LAUNCH_TEMPLATE, "none", {});
        expect(check(ebsKmsEncryption, [plain, none]).map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["plain", "blockDeviceMappings[0] (/dev/xvda): encrypted is not \"true\""],
            ["plain", "blockDeviceMappings[0] (/dev/xvda): no kmsKeyId, so the AWS-managed aws/ebs key would be used"],
            ["none", "no blockDeviceMappings: the root volume follows the AMI and is unencrypted unless the account encrypts by default"],
        ]);
    });

    it("skips a key ARN still unknown, as for a key created in the same preview", () => {
        const template = planned(LAUNCH_TEMPLATE, "nodes", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: UNKNOWN } }] });
        const volume = planned("aws:ebs/volume:Volume", "data", { availabilityZone: "us-east-1a", encrypted: UNKNOWN, kmsKeyId: UNKNOWN });
        expect(check(ebsKmsEncryption, [template, volume])).to.deep.equal([]);
    });

    it("checks volumes and instance disks, and leaves an instance's disks to its launch template", () => {
        const good = planned("aws:ebs/volume:Volume", "good", { availabilityZone: "us-east-1a", encrypted: true, kmsKeyId: KEY_ARN });
        const managedKey = planned("aws:ebs/volume:Volume", "managed", { availabilityZone: "us-east-1a", encrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:123456789012:alias/aws/ebs" });
        const bastion = planned(INSTANCE, "bastion", { rootBlockDevice: { encrypted: true, kmsKeyId: KEY_ARN }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] });
        const bare = planned(INSTANCE, "bare", {});
        const templated = planned(INSTANCE, "templated", { launchTemplate: { id: "lt-1", version: "$Latest" } });
        expect(check(ebsKmsEncryption, [good, managedKey, bastion, bare, templated]).map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["managed", "volume: kmsKeyId arn:aws:kms:us-east-1:123456789012:alias/aws/ebs is the AWS-managed key"],
            ["bastion", "ebsBlockDevices[0]: encrypted is not \"true\""],
            ["bastion", "ebsBlockDevices[0]: no kmsKeyId, so the AWS-managed aws/ebs key would be used"],
            ["bare", "no rootBlockDevice: the root volume is unencrypted unless the account encrypts by default"],
        ]);
    });

    it("checks StorageClasses of the EBS CSI driver only", () => {
        const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
        const gp3 = planned(SC, "gp3", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true", kmsKeyId: KEY_ARN } });
        const gp2 = planned(SC, "gp2", { provisioner: "ebs.csi.aws.com", parameters: { type: "gp2" } });
        const efs = planned(SC, "efs", { provisioner: "efs.csi.aws.com", parameters: {} });
        expect(check(ebsKmsEncryption, [gp3, gp2, efs]).map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["gp2", "parameters: encrypted is not \"true\""],
            ["gp2", "parameters: no kmsKeyId, so the AWS-managed aws/ebs key would be used"],
        ]);
    });
});

describe("policy imdsv2-required", () => {
    it("passes templates and instances requiring tokens, and instances that defer to their template", () => {
        const template = planned(LAUNCH_TEMPLATE, "nodes", { metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 } });
        const bastion = planned(INSTANCE, "bastion", { metadataOptions: { httpTokens: "required" } });
        const templated = planned(INSTANCE, "templated", { launchTemplate: { id: "lt-1" } });
        const noImds = planned(INSTANCE, "no-imds", { metadataOptions: { httpEndpoint: "disabled" } });
        expect(check(imdsv2Required, [template, bastion, templated, noImds])).to.deep.equal([]);
    });

    it("fails optional tokens and the unset default", () => {
        const optional = planned(LAUNCH_TEMPLATE, "optional", { metadataOptions: { httpTokens: "optional" } });
        const unset = planned(INSTANCE, "unset", {});
        expect(check(imdsv2Required, [optional, unset]).map((v) => [v.resourceName, v.message, v.enforcementLevel])).to.deep.equal([
            ["optional", "metadataOptions.httpTokens is optional, not \"required\"", "mandatory"],
            ["unset", "metadataOptions.httpTokens is unset (optional), not \"required\"", "mandatory"],
        ]);
    });

    it("skips unknown metadata options", () => {
        expect(check(imdsv2Required, [planned(LAUNCH_TEMPLATE, "t", { metadataOptions: UNKNOWN }), planned(INSTANCE, "i", { metadataOptions: { httpTokens: UNKNOWN } })])).to.deep.equal([]);
    });
});

describe("policy no-public-ip", () => {
    const SUBNET = "aws:ec2/subnet:Subnet";

    it("passes private nodes, a bastion in a subnet of its own, and subnets that map no public addresses", () => {
        const template = planned(LAUNCH_TEMPLATE, "nodes", { networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0 }] });
        const bastion = planned(INSTANCE, "bastion", { associatePublicIpAddress: false, subnetId: "subnet-private-a" });
        const byInterface = planned(INSTANCE, "by-interface", { networkInterfaces: [{ networkInterfaceId: "eni-1", deviceIndex: 0 }] });
        const publicSubnet = planned(SUBNET, "public-a", { mapPublicIpOnLaunch: false, tags: { Tier: "public", "kubernetes.io/role/elb": "1" } });
        expect(check(noPublicIp, [template, bastion, byInterface, publicSubnet, planned(SUBNET, "unset", {})])).to.deep.equal([]);
    });

    it("fails public addresses on nodes, the bastion and any subnet, public or private, and an instance in the default VPC", () => {
        const template = planned(LAUNCH_TEMPLATE, "nodes", { networkInterfaces: [{ associatePublicIpAddress: "true" }] });
        const bastion = planned(INSTANCE, "bastion", { associatePublicIpAddress: true, subnetId: "subnet-a" });
        const stray = planned(INSTANCE, "stray", { instanceType: "t4g.micro" });
        const privateSubnet = planned(SUBNET, "a", { mapPublicIpOnLaunch: "true", tags: { Tier: "pods" } });
        const publicSubnet = planned(SUBNET, "b", { mapPublicIpOnLaunch: true, tags: { Tier: "public", "kubernetes.io/role/elb": "1" } });
        const violations = check(noPublicIp, [template, bastion, stray, privateSubnet, publicSubnet]);
        expect(violations.map((v) => [v.resourceName, v.enforcementLevel, v.message])).to.deep.equal([
            ["nodes", "advisory", "networkInterfaces[0].associatePublicIpAddress is \"true\""],
            ["bastion", "advisory", "associatePublicIpAddress is true"],
            ["stray", "advisory", "no subnetId: the instance launches in the account's default VPC, with a public address"],
            ["a", "advisory", "mapPublicIpOnLaunch is true: every instance launched in the subnet gets a public address"],
            ["b", "advisory", "mapPublicIpOnLaunch is true: every instance launched in the subnet gets a public address"],
        ]);
    });

    it("skips unknown flags", () => {
        const template = planned(LAUNCH_TEMPLATE, "nodes", { networkInterfaces: [{ associatePublicIpAddress: UNKNOWN }] });
        const subnet = planned(SUBNET, "private-a", { mapPublicIpOnLaunch: UNKNOWN, tags: { Tier: "private" } });
        const instance = planned(INSTANCE, "bastion", { associatePublicIpAddress: UNKNOWN, subnetId: UNKNOWN });
        expect(check(noPublicIp, [template, subnet, instance])).to.deep.equal([]);
    });
});

describe("policy vpc-flow-logs", () => {
    const VPC = "aws:ec2/vpc:Vpc";
    const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

    it("passes a VPC with a flow log of ALL traffic, matched by id or, in a preview, by dependency", () => {
        const vpc = planned(VPC, "vpc", { cidrBlock: "10.0.0.0/16" }, { outputs: { id: "vpc-1" } });
        const previewVpc = planned(VPC, "preview-vpc", { cidrBlock: "10.1.0.0/16" });
        expect(check(vpcFlowLogs, [
            vpc, planned(FLOW_LOG, "fl", { vpcId: "vpc-1", trafficType: "ALL" }),
            previewVpc, planned(FLOW_LOG, "preview-fl", { vpcId: UNKNOWN, trafficType: "ALL" }, { dependsOn: [previewVpc] }),
        ])).to.deep.equal([]);
    });

    it("passes a narrower extra flow log beside one of ALL traffic: flow logs add up", () => {
        const vpc = planned(VPC, "vpc", {}, { outputs: { id: "vpc-1" } });
        expect(check(vpcFlowLogs, [vpc, planned(FLOW_LOG, "siem", { vpcId: "vpc-1", trafficType: "REJECT" }), planned(FLOW_LOG, "all", { vpcId: "vpc-1", trafficType: "ALL" })])).to.deep.equal([]);
    });

    it("fails a VPC without a flow log and one logging rejected traffic only", () => {
        const a = planned(VPC, "a", {}, { outputs: { id: "vpc-a" } });
        const b = planned(VPC, "b", {}, { outputs: { id: "vpc-b" } });
        expect(messages(check(vpcFlowLogs, [a, b, planned(FLOW_LOG, "fl", { vpcId: "vpc-b", trafficType: "REJECT" })]))).to.deep.equal([
            "a has no flow log",
            "b: the flow log captures REJECT traffic, not ALL",
        ]);
    });
});

describe("policy default-sg-closed", () => {
    const TYPE = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
    const VPC = "aws:ec2/vpc:Vpc";

    it("passes VPCs whose default security group is managed without rules, by id or a preview's dependency, and skips unknown rules", () => {
        const preview = planned(VPC, "preview", {});
        expect(check(defaultSgClosed, [
            planned(VPC, "vpc", {}, { outputs: { id: "vpc-1" } }),
            planned(TYPE, "closed", { vpcId: "vpc-1" }),
            planned(TYPE, "pending", { vpcId: "vpc-1", ingress: UNKNOWN, egress: [] }),
            preview,
            planned(TYPE, "preview-closed", { vpcId: UNKNOWN }, { propertyDependencies: { vpcId: [preview] } }),
        ])).to.deep.equal([]);
    });

    it("fails a default security group with rules, and a VPC that leaves its own unmanaged", () => {
        const open = planned(TYPE, "open", { vpcId: "vpc-1", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
        const violations = check(defaultSgClosed, [planned(VPC, "vpc-1", {}, { outputs: { id: "vpc-1" } }), open, planned(VPC, "unmanaged", {}, { outputs: { id: "vpc-2" } })]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["unmanaged", "unmanaged leaves its default security group unmanaged, with AWS's allow-all rules"],
            ["open", "the default security group has 1 ingress rule(s)"],
            ["open", "the default security group has 1 egress rule(s)"],
        ]);
    });
});

describe("policy sg-no-open-ingress", () => {
    const SG = "aws:ec2/securityGroup:SecurityGroup";
    const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

    it("passes VPC-internal ingress, allow-listed public ports and egress rules", () => {
        expect(check(sgNoOpenIngress, [
            planned(SG, "endpoints", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }),
            planned(SG, "alb", { ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }] }),
            planned(INGRESS_RULE, "https", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" }),
            planned(RULE, "egress", { type: "egress", securityGroupId: "sg-1", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }),
        ])).to.deep.equal([]);
    });

    it("fails SSH, all-protocol and port-range ingress from anywhere, on every resource type", () => {
        const violations = check(sgNoOpenIngress, [
            planned(SG, "bastion", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }),
            planned(INGRESS_RULE, "all", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }),
            planned(RULE, "range", { type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 80, toPort: 443, ipv6CidrBlocks: ["::/0"] }),
        ]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["bastion", "ingress[0]: 0.0.0.0/0 may reach tcp 22; only TCP 80, 443 may be public"],
            ["all", "all: 0.0.0.0/0 may reach every protocol and port; only TCP 80, 443 may be public"],
            ["range", "range: ::/0 may reach tcp 80-443; only TCP 80, 443 may be public"],
        ]);
    });

    it("takes the allow-list from config", () => {
        const ssh = planned(SG, "bastion", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
        expect(check(sgNoOpenIngress, [ssh], "dev", { allowedPublicPorts: [22] })).to.deep.equal([]);
        expect(check(sgNoOpenIngress, [planned(SG, "web", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] })], "dev", { allowedPublicPorts: [22] })).to.have.length(1);
    });

    it("skips unknown ports and rule lists", () => {
        expect(check(sgNoOpenIngress, [
            planned(SG, "pending", { ingress: UNKNOWN }),
            planned(INGRESS_RULE, "port", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, cidrIpv4: "0.0.0.0/0" }),
            planned(INGRESS_RULE, "cidr", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: UNKNOWN }),
        ])).to.deep.equal([]);
    });
});
