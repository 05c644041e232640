import * as cloudwatch from "../aws/cloudwatch";
import * as ec2 from "../aws/ec2";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig } from "../../config/schema";
import { sortedJson } from "../../lib/json";
import { PlannedSubnet, SubnetTier, planSubnets } from "../../lib/subnets";
import { serviceTrustPolicy } from "../../lib/trust";

export interface NetworkArgs {
    /** The network slice of the validated stack config. */
    readonly config: NetworkConfig;
    /** The EKS cluster's name, for the kubernetes.io/cluster/<name> discovery tag on subnets. */
    readonly clusterName: string;
    /** The KMS key that encrypts the flow log group. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Protect the flow log group from deletion (prod). */
    readonly protect: boolean;
    /** Where the network lives, for the flow-log role's confused-deputy conditions. */
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
}

/** Subnet ids by availability zone, in the configured zone order. */
export type SubnetIdsByZone = Record<string, pulumi.Output<string>>;

/** The Kubernetes discovery tags each tier carries. */
export function subnetTags(tier: SubnetTier, clusterName: string, availabilityZone: string): Record<string, string> {
    const roleTag: Record<SubnetTier, Record<string, string>> = {
        public: { "kubernetes.io/role/elb": "1" },
        private: { "kubernetes.io/role/internal-elb": "1" },
        pods: {},
    };
    return { Name: `${clusterName}-${tier}-${availabilityZone}`, Tier: tier, [`kubernetes.io/cluster/${clusterName}`]: "shared", ...roleTag[tier] };
}

/** The zone whose NAT gateway serves `zone`: its own, or the first zone's single gateway. */
export function natZoneFor(zone: string, config: Pick<NetworkConfig, "natGateways" | "availabilityZones">): string {
    return config.natGateways === "one-per-az" ? zone : config.availabilityZones[0];
}

/** Ports of remote administration no subnet accepts from anywhere: SSH and RDP. */
export const ADMIN_PORTS = [22, 3389] as const;

/** The subnets' ACL ingress: a deny of each administration port first, then everything else. */
export function subnetAclIngress(): { ruleNo: number; action: "allow" | "deny"; protocol: string; fromPort: number; toPort: number; cidrBlock: string }[] {
    return [
        ...ADMIN_PORTS.map((port, i) => ({ ruleNo: 10 * (i + 1), action: "deny" as const, protocol: "tcp", fromPort: port, toPort: port, cidrBlock: "0.0.0.0/0" })),
        { ruleNo: 100, action: "allow" as const, protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
    ];
}

/**
 * The VPC: a primary CIDR for nodes and load balancers, a secondary 100.64 CIDR for pods (VPC CNI
 * custom networking keeps pods off routable addresses, SC-7), NAT per zone or a single one, the S3
 * gateway endpoint and optional interface endpoints for a private cluster, flow logs (AU-2), a
 * closed default security group, and a network ACL refusing SSH and RDP with the default one closed.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    public readonly podCidr: string;
    public readonly availabilityZones: string[];
    public readonly publicSubnetIds: SubnetIdsByZone;
    public readonly privateSubnetIds: SubnetIdsByZone;
    public readonly podSubnetIds: SubnetIdsByZone;
    public readonly subnets: PlannedSubnet[];

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);
        const { config, clusterName } = args;
        const zones = config.availabilityZones;
        this.availabilityZones = [...zones];
        this.vpcCidr = config.vpcCidr;
        this.podCidr = config.podCidr;
        this.subnets = planSubnets(config);

        const vpc = new ec2.Vpc(`${name}-vpc`, {
            cidrBlock: config.vpcCidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { Name: `${clusterName}-vpc` },
        }, { parent: this });
        this.vpcId = vpc.id;
        const podCidrAssociation = new ec2.VpcIpv4CidrBlockAssociation(`${name}-pod-cidr`, { vpcId: vpc.id, cidrBlock: config.podCidr }, { parent: this });

        // AWS creates a default security group that allows all traffic between its members;
        // managing it with no rules closes it (SC-7).
        new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: { Name: `${clusterName}-default-closed` } }, { parent: this });

        const subnetIds: Record<SubnetTier, SubnetIdsByZone> = { public: {}, private: {}, pods: {} };
        for (const planned of this.subnets) {
            const subnet = new ec2.Subnet(`${name}-${planned.tier}-${planned.availabilityZone}`, {
                vpcId: vpc.id,
                cidrBlock: planned.cidr,
                availabilityZone: planned.availabilityZone,
                // No tier hands out public addresses: NAT gateways and load balancers get their own.
                mapPublicIpOnLaunch: false,
                tags: subnetTags(planned.tier, clusterName, planned.availabilityZone),
            }, { parent: this, dependsOn: planned.tier === "pods" ? [podCidrAssociation] : [] });
            subnetIds[planned.tier][planned.availabilityZone] = subnet.id;
        }
        // Every subnet leaves the default network ACL for the platform's own, which refuses remote
        // administration from anywhere (SSH, RDP: nothing of the platform serves them; operators use
        // SSM) and leaves the rest to the security groups. The default ACL, managed with no rules,
        // then denies everything to a subnet associated with it later (SC-7).
        const allSubnetIds = (Object.values(subnetIds) as SubnetIdsByZone[]).flatMap((byZone) => Object.values(byZone));
        new ec2.NetworkAcl(`${name}-nacl`, {
            vpcId: vpc.id,
            subnetIds: allSubnetIds,
            ingress: subnetAclIngress(),
            egress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }],
            tags: { Name: `${clusterName}-subnets` },
        }, { parent: this });
        new ec2.DefaultNetworkAcl(`${name}-default-nacl`, {
            defaultNetworkAclId: vpc.defaultNetworkAclId,
            tags: { Name: `${clusterName}-default-closed` },
        }, { parent: this });

        this.publicSubnetIds = subnetIds.public;
        this.privateSubnetIds = subnetIds.private;
        this.podSubnetIds = subnetIds.pods;

        const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${clusterName}-igw` } }, { parent: this });
        const publicRoutes = new ec2.RouteTable(`${name}-public-rt`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
            tags: { Name: `${clusterName}-public` },
        }, { parent: this });
        for (const zone of zones) {
            new ec2.RouteTableAssociation(`${name}-public-${zone}`, { subnetId: subnetIds.public[zone], routeTableId: publicRoutes.id }, { parent: this });
        }

        const natZones = [...new Set(zones.map((zone) => natZoneFor(zone, config)))];
        const natGateways: Record<string, ec2.NatGateway> = {};
        for (const zone of natZones) {
            const eip = new ec2.Eip(`${name}-nat-${zone}`, { domain: "vpc", tags: { Name: `${clusterName}-nat-${zone}` } }, { parent: this });
            natGateways[zone] = new ec2.NatGateway(`${name}-nat-${zone}`, {
                allocationId: eip.id,
                subnetId: subnetIds.public[zone],
                tags: { Name: `${clusterName}-nat-${zone}` },
            }, { parent: this, dependsOn: [igw] });
        }

        const privateRouteTables = zones.map((zone) => {
            const table = new ec2.RouteTable(`${name}-private-rt-${zone}`, {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGateways[natZoneFor(zone, config)].id }],
                tags: { Name: `${clusterName}-private-${zone}` },
            }, { parent: this });
            for (const tier of ["private", "pods"] as const) {
                new ec2.RouteTableAssociation(`${name}-${tier}-${zone}`, { subnetId: subnetIds[tier][zone], routeTableId: table.id }, { parent: this });
            }
            return table;
        });

        const region = getRegionOutput({}, { parent: this }).region;
        new ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: vpc.id,
            serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: privateRouteTables.map((t) => t.id),
            tags: { Name: `${clusterName}-s3` },
        }, { parent: this });

        if (config.interfaceEndpoints.length > 0) {
            const endpointSg = new ec2.SecurityGroup(`${name}-endpoints-sg`, {
                vpcId: vpc.id,
                description: "HTTPS from nodes and pods to AWS interface endpoints",
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [config.vpcCidr, config.podCidr], description: "HTTPS from the VPC" }],
                tags: { Name: `${clusterName}-endpoints` },
            }, { parent: this });
            for (const service of config.interfaceEndpoints) {
                new ec2.VpcEndpoint(`${name}-${service.replace(/\./g, "-")}`, {
                    vpcId: vpc.id,
                    serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: zones.map((zone) => subnetIds.private[zone]),
                    securityGroupIds: [endpointSg.id],
                    tags: { Name: `${clusterName}-${service}` },
                }, { parent: this });
            }
        }

        this.createFlowLogs(name, vpc, args);
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            podSubnetIds: this.podSubnetIds,
        });
    }

    /** Every packet's metadata goes to a KMS-encrypted log group (AU-2, SI-4). */
    private createFlowLogs(name: string, vpc: ec2.Vpc, args: NetworkArgs): void {
        const logGroup = new cloudwatch.LogGroup(`${name}-flow-logs`, {
            name: `/aws/vpc/${args.clusterName}/flow-logs`,
            retentionInDays: args.config.flowLogRetentionDays,
            kmsKeyId: args.logsKmsKeyArn,
        }, { parent: this, protect: args.protect });
        const role = new iam.Role(`${name}-flow-logs-role`, {
            assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", {
                accountId: args.accountId,
                sourceArn: `arn:${args.partition}:ec2:${args.region}:${args.accountId}:vpc-flow-log/*`,
            }),
        }, { parent: this });
        new iam.RolePolicy(`${name}-flow-logs-policy`, {
            role: role.id,
            policy: logGroup.arn.apply((arn) => sortedJson({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                    Resource: [arn, `${arn}:*`],
                }],
            })),
        }, { parent: this });
        new ec2.FlowLog(`${name}-flow-log`, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            maxAggregationInterval: 60,
            tags: { Name: `${args.clusterName}-flow-log` },
        }, { parent: this });
    }
}
