import { expect } from "chai";
import { cidrContains, cidrsOverlap, isValidCidr } from "../lib/cidr";
import { StackRun } from "../engine/run";
import { ofType, providerOf, single, stack, stackWith } from "./support/stacks";

const MANDATORY_TAGS = ["Project", "Environment", "Owner", "CostCenter"];

/** Tags as AWS applies them: the provider's default tags under the resource's own. */
function effectiveTags(run: StackRun, resource: { provider?: string; inputs: Record<string, any> }): Record<string, string> {
    const provider = run.resources.find((r) => r.urn === resource.provider);
    const defaults = provider ? JSON.parse(provider.inputs.defaultTags ?? "{}").tags ?? {} : {};
    return { ...defaults, ...(resource.inputs.tags ?? {}) };
}

const expected = {
    dev: { zones: 2, nat: 1, eip: 1, interfaceEndpoints: 0, flowLogRetention: 30 },
    prod: { zones: 3, nat: 3, eip: 3, interfaceEndpoints: 0, flowLogRetention: 365 },
};

for (const name of ["dev", "prod"] as const) {
    describe(`network (${name})`, () => {
        const e = expected[name];

        it("has one public, one private and one pod subnet per zone", async () => {
            const run = await stack(name);
            const subnets = ofType(run, "aws:ec2/subnet:Subnet");
            for (const tier of ["public", "private", "pods"]) {
                const tierSubnets = subnets.filter((s) => s.inputs.tags.Tier === tier);
                expect(tierSubnets, tier).to.have.length(e.zones);
                expect(new Set(tierSubnets.map((s) => s.inputs.availabilityZone)).size, tier).to.equal(e.zones);
            }
            expect(subnets).to.have.length(3 * e.zones);
        });

        it("has the configured NAT gateways, each in a public subnet with its own EIP", async () => {
            const run = await stack(name);
            const nats = ofType(run, "aws:ec2/natGateway:NatGateway");
            expect(nats).to.have.length(e.nat);
            expect(ofType(run, "aws:ec2/eip:Eip")).to.have.length(e.eip);
            const publicIds = ofType(run, "aws:ec2/subnet:Subnet").filter((s) => s.inputs.tags.Tier === "public").map((s) => s.outputs.id);
            for (const nat of nats) expect(publicIds).to.include(nat.inputs.subnetId);
            expect(new Set(nats.map((n) => n.inputs.allocationId)).size).to.equal(e.nat);
        });

        it("routes each private and pod subnet through the NAT of its zone, or the single one", async () => {
            const run = await stack(name);
            const subnets = ofType(run, "aws:ec2/subnet:Subnet");
            const nats = ofType(run, "aws:ec2/natGateway:NatGateway");
            const natZone = (natId: string) => subnets.find((s) => s.outputs.id === nats.find((n) => n.outputs.id === natId)!.inputs.subnetId)!.inputs.availabilityZone;
            const associations = ofType(run, "aws:ec2/routeTableAssociation:RouteTableAssociation");
            for (const subnet of subnets.filter((s) => s.inputs.tags.Tier !== "public")) {
                const association = associations.find((a) => a.inputs.subnetId === subnet.outputs.id)!;
                const table = ofType(run, "aws:ec2/routeTable:RouteTable").find((t) => t.outputs.id === association.inputs.routeTableId)!;
                const defaultRoute = table.inputs.routes.find((r: any) => r.cidrBlock === "0.0.0.0/0");
                expect(natZone(defaultRoute.natGatewayId)).to.equal(name === "prod" ? subnet.inputs.availabilityZone : "us-east-1a");
            }
        });

        it("has an S3 gateway endpoint and the configured interface endpoints", async () => {
            const run = await stack(name);
            const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint");
            expect(endpoints.filter((x) => x.inputs.vpcEndpointType === "Gateway").map((x) => x.inputs.serviceName)).to.deep.equal(["com.amazonaws.us-east-1.s3"]);
            const interfaces = endpoints.filter((x) => x.inputs.vpcEndpointType === "Interface");
            expect(interfaces).to.have.length(e.interfaceEndpoints);
            for (const endpoint of interfaces) {
                expect(endpoint.inputs.privateDnsEnabled).to.equal(true);
                expect(endpoint.inputs.subnetIds).to.have.length(e.zones);
            }
        });

        it("uses valid, non-overlapping CIDRs inside the VPC's primary and secondary blocks", async () => {
            const run = await stack(name);
            const vpc = single(run, "aws:ec2/vpc:Vpc");
            const secondary = single(run, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation");
            expect(vpc.inputs.cidrBlock).to.equal("10.0.0.0/16");
            expect(secondary.inputs.cidrBlock).to.equal("100.64.0.0/16");
            const cidrs = ofType(run, "aws:ec2/subnet:Subnet").map((s) => ({ tier: s.inputs.tags.Tier, cidr: s.inputs.cidrBlock as string }));
            for (const { tier, cidr } of cidrs) {
                expect(isValidCidr(cidr), cidr).to.equal(true);
                expect(cidrContains(tier === "pods" ? "100.64.0.0/16" : "10.0.0.0/16", cidr), cidr).to.equal(true);
            }
            cidrs.forEach((a, i) => cidrs.forEach((b, j) => { if (i !== j) expect(cidrsOverlap(a.cidr, b.cidr), `${a.cidr} ${b.cidr}`).to.equal(false); }));
        });

        it("never assigns public IPs and tags subnets for Kubernetes discovery", async () => {
            const run = await stack(name);
            for (const subnet of ofType(run, "aws:ec2/subnet:Subnet")) {
                expect(subnet.inputs.mapPublicIpOnLaunch).to.equal(false);
                expect(subnet.inputs.tags[`kubernetes.io/cluster/${run.config.cluster.name}`]).to.equal("shared");
                const role = { public: "kubernetes.io/role/elb", private: "kubernetes.io/role/internal-elb", pods: undefined }[subnet.inputs.tags.Tier as string];
                if (role) expect(subnet.inputs.tags[role]).to.equal("1");
            }
        });

        it("closes the default security group", async () => {
            const sg = single(await stack(name), "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
            expect(sg.inputs.ingress ?? []).to.deep.equal([]);
            expect(sg.inputs.egress ?? []).to.deep.equal([]);
        });

        it("puts every subnet on an ACL that refuses SSH and RDP from anywhere before allowing the rest, and closes the default ACL (EC2.21)", async () => {
            const run = await stack(name);
            const vpc = single(run, "aws:ec2/vpc:Vpc");
            const acl = single(run, "aws:ec2/networkAcl:NetworkAcl");
            const allowAll = { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" };
            expect(acl.inputs.vpcId).to.equal(vpc.outputs.id);
            expect([...acl.inputs.subnetIds].sort()).to.deep.equal(ofType(run, "aws:ec2/subnet:Subnet").map((s) => s.outputs.id).sort());
            expect(acl.inputs.ingress).to.deep.equal([
                { ruleNo: 10, action: "deny", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" },
                { ruleNo: 20, action: "deny", protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlock: "0.0.0.0/0" },
                allowAll,
            ]);
            expect(acl.inputs.egress).to.deep.equal([allowAll]);
            const closed = single(run, "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl");
            expect(closed.inputs).to.deep.equal({ defaultNetworkAclId: vpc.outputs.defaultNetworkAclId, tags: { Name: `${run.config.cluster.name}-default-closed` } });
        });

        it("logs all VPC traffic to a KMS-encrypted log group with the configured retention", async () => {
            const run = await stack(name);
            const flowLog = single(run, "aws:ec2/flowLog:FlowLog");
            expect(flowLog.inputs.trafficType).to.equal("ALL");
            expect(flowLog.inputs.vpcId).to.equal(single(run, "aws:ec2/vpc:Vpc").outputs.id);
            const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.outputs.arn === flowLog.inputs.logDestination)!;
            expect(group.inputs.retentionInDays).to.equal(e.flowLogRetention);
            const logsKey = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-logs"))!;
            expect(group.inputs.kmsKeyId).to.equal(logsKey.outputs.arn);
        });

        it("puts the four mandatory tags on every AWS resource through the provider's default tags", async () => {
            const run = await stack(name);
            const awsResources = run.resources.filter((r) => r.type.startsWith("aws:"));
            expect(awsResources.length).to.be.greaterThan(30);
            for (const resource of awsResources) {
                expect(providerOf(run, resource)?.type, resource.urn).to.equal("pulumi:providers:aws");
                const tags = effectiveTags(run, resource);
                for (const tag of MANDATORY_TAGS) expect(tags[tag], `${tag} on ${resource.urn}`).to.be.a("string").and.not.equal("");
                expect(tags.Environment).to.equal(name);
            }
        });

        it("creates customer-managed KMS keys that rotate, with the environment's deletion window", async () => {
            const run = await stack(name);
            const keys = ofType(run, "aws:kms/key:Key");
            // Prod adds the key of Grafana's database (<cluster>-grafana-db-key), made by its own component,
            // and the S3 key of its buckets: dev declares no bucket, so no key is billed for one.
            expect(keys.map((k) => k.name.split("-").pop()).sort()).to.deep.equal(name === "prod" ? ["ebs", "eks", "key", "logs", "s3"] : ["ebs", "eks", "logs"]);
            for (const key of keys) {
                expect(key.inputs.enableKeyRotation).to.equal(true);
                expect(key.inputs.deletionWindowInDays).to.equal(name === "prod" ? 30 : 7);
                expect(key.protect).to.equal(name === "prod");
                const policy = JSON.parse(key.inputs.policy);
                const admin = policy.Statement.find((s: any) => s.Sid === "AccountAdministration");
                expect(admin.Principal.AWS).to.equal("arn:aws:iam::123456789012:root");
                // Apart from the account's own administration, no statement lets any principal use the key unconditionally.
                for (const statement of policy.Statement.filter((s: any) => s !== admin && s.Principal.AWS === "*")) {
                    expect(statement.Condition.StringEquals["kms:CallerAccount"]).to.equal("123456789012");
                    // Grafana's database key serves RDS, AWS Backup's vault and the Secrets Manager secret RDS keeps its master password in.
                    for (const service of [statement.Condition.StringEquals["kms:ViaService"]].flat()) expect(service).to.match(/^(eks|ec2|s3|rds|backup|secretsmanager)\.us-east-1\.amazonaws\.com$/);
                }
            }
        });
    });
}

describe("network interface endpoints (a costed choice)", () => {
    it("creates each chosen service as a private-DNS interface endpoint with a network interface in every zone", async () => {
        const run = await stackWith("prod", (c) => { c.network.interfaceEndpoints = ["ecr.api", "ecr.dkr", "sts"]; });
        const interfaces = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((x) => x.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((x) => [x.inputs.serviceName, x.inputs.privateDnsEnabled, x.inputs.subnetIds.length])).to.deep.equal([
            ["com.amazonaws.us-east-1.ecr.api", true, 3],
            ["com.amazonaws.us-east-1.ecr.dkr", true, 3],
            ["com.amazonaws.us-east-1.sts", true, 3],
        ]);
    });
});
