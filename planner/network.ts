/**
 * The network as the stack declares it, for the plan and its report: the VPC's ranges, each zone's
 * subnets and NAT gateway, the VPC endpoints, how the control plane's endpoint is reached, and the
 * bastion. Read from the declared resources only.
 */
import { PlannedResource } from "../engine/types";
import { ofType, subnetsById, TYPES } from "./resources";

export interface NetworkLayout {
    /** The VPC's primary range, then the ranges associated with it (the pods' 100.64 range). */
    readonly vpcCidrs: readonly string[];
    /** Zones in name order. */
    readonly zones: readonly {
        readonly zone: string;
        /** The zone's subnets by tier ("public", "private", "pods"), in that order. */
        readonly subnets: readonly { readonly tier: string; readonly name: string; readonly cidr: string }[];
        /** NAT gateways in the zone's public subnets. */
        readonly natGateways: number;
    }[];
    readonly endpoints: readonly { readonly service: string; readonly type: string }[];
    /** Each EKS cluster's API endpoint: reachable publicly (from which ranges) and privately. */
    readonly controlPlane: readonly { readonly cluster: string; readonly publicAccess: boolean; readonly publicAccessCidrs: readonly string[]; readonly privateAccess: boolean }[];
    readonly bastions: readonly { readonly name: string; readonly instanceType: string; readonly zone: string; readonly tier: string; readonly publicIp: boolean }[];
}

const TIER_ORDER = ["public", "private", "pods"];
const tierRank = (tier: string) => (TIER_ORDER.includes(tier) ? TIER_ORDER.indexOf(tier) : TIER_ORDER.length);

export function networkLayout(resources: readonly PlannedResource[]): NetworkLayout {
    const subnets = ofType(resources, TYPES.subnet);
    const byId = subnetsById(resources);
    const zoneOf = (subnetId: unknown) => String(byId.get(String(subnetId))?.inputs.availabilityZone ?? "unknown zone");
    const nats = ofType(resources, TYPES.natGateway).map((n) => zoneOf(n.inputs.subnetId));
    const zones = [...new Set(subnets.map((s) => String(s.inputs.availabilityZone)))].sort();
    return {
        vpcCidrs: [...ofType(resources, TYPES.vpc), ...ofType(resources, TYPES.vpcCidrAssociation)].map((v) => String(v.inputs.cidrBlock)),
        zones: zones.map((zone) => ({
            zone,
            subnets: subnets.filter((s) => s.inputs.availabilityZone === zone)
                .map((s) => ({ tier: String(s.inputs.tags?.Tier ?? "untagged"), name: s.name, cidr: String(s.inputs.cidrBlock) }))
                .sort((a, b) => tierRank(a.tier) - tierRank(b.tier) || a.name.localeCompare(b.name)),
            natGateways: nats.filter((z) => z === zone).length,
        })),
        endpoints: ofType(resources, TYPES.vpcEndpoint).map((e) => ({ service: String(e.inputs.serviceName).split(".").slice(3).join(".") || String(e.inputs.serviceName), type: String(e.inputs.vpcEndpointType ?? "Gateway") })),
        controlPlane: ofType(resources, TYPES.eksCluster).map((c) => {
            const vpc = c.inputs.vpcConfig ?? {};
            const publicAccess = vpc.endpointPublicAccess !== false;
            // EKS's defaults: a public endpoint open to 0.0.0.0/0, no private one.
            return { cluster: String(c.inputs.name ?? c.name), publicAccess, publicAccessCidrs: publicAccess ? vpc.publicAccessCidrs ?? ["0.0.0.0/0"] : [], privateAccess: vpc.endpointPrivateAccess === true };
        }),
        bastions: ofType(resources, TYPES.instance).map((i) => ({
            name: i.name,
            instanceType: String(i.inputs.instanceType),
            zone: zoneOf(i.inputs.subnetId),
            tier: String(byId.get(String(i.inputs.subnetId))?.inputs.tags?.Tier ?? "unknown"),
            publicIp: i.inputs.associatePublicIpAddress === true,
        })),
    };
}
