/**
 * Subnet maths for the three tiers: public (load balancers, NAT gateways) and private (nodes,
 * bastion) carved from the VPC CIDR, pods carved from the secondary CIDR. Pure and deterministic,
 * so that the same config always yields the same CIDRs and diffs stay quiet.
 */
import { blockSize, cidrContains, parseCidr, subnetAt } from "./cidr";

export type SubnetTier = "public" | "private" | "pods";
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "pods"];

export interface SubnetPlanInput {
    readonly vpcCidr: string;
    readonly podCidr: string;
    readonly availabilityZones: readonly string[];
    readonly publicSubnetPrefixLength: number;
    readonly privateSubnetPrefixLength: number;
    readonly podSubnetPrefixLength: number;
}

export interface PlannedSubnet {
    readonly tier: SubnetTier;
    readonly availabilityZone: string;
    readonly cidr: string;
}

interface Request {
    readonly tier: SubnetTier;
    readonly availabilityZone: string;
    readonly prefixLength: number;
}

/**
 * One subnet per tier and zone. Within a parent block, larger subnets are placed first so that
 * every block stays aligned to its own size without gaps; zones keep their configured order.
 * Throws when the subnets do not fit, naming the config keys to change.
 */
export function planSubnets(input: SubnetPlanInput): PlannedSubnet[] {
    const zones = input.availabilityZones;
    const inVpc: Request[] = [
        ...zones.map((availabilityZone) => ({ tier: "private" as const, availabilityZone, prefixLength: input.privateSubnetPrefixLength })),
        ...zones.map((availabilityZone) => ({ tier: "public" as const, availabilityZone, prefixLength: input.publicSubnetPrefixLength })),
    ];
    const inPods: Request[] = zones.map((availabilityZone) => ({ tier: "pods" as const, availabilityZone, prefixLength: input.podSubnetPrefixLength }));
    const planned = [
        ...allocate(input.vpcCidr, inVpc, "network.vpcCidr, network.publicSubnetPrefixLength and network.privateSubnetPrefixLength"),
        ...allocate(input.podCidr, inPods, "network.podCidr and network.podSubnetPrefixLength"),
    ];
    return SUBNET_TIERS.flatMap((tier) => zones.map((zone) => planned.find((s) => s.tier === tier && s.availabilityZone === zone)!));
}

function allocate(parent: string, requests: Request[], keys: string): PlannedSubnet[] {
    const parsed = parseCidr(parent);
    if (!parsed) throw new Error(`${parent} is not an IPv4 CIDR block`);
    const ordered = [...requests].sort((a, b) => a.prefixLength - b.prefixLength);
    const needed = ordered.reduce((sum, r) => sum + blockSize(r.prefixLength), 0);
    if (ordered.some((r) => r.prefixLength < parsed.prefixLength) || needed > blockSize(parsed.prefixLength)) {
        const wanted = ordered.map((r) => `${r.tier} /${r.prefixLength} in ${r.availabilityZone}`).join(", ");
        throw new Error(`${wanted} need ${needed} addresses, but ${parent} holds ${blockSize(parsed.prefixLength)}: change ${keys}`);
    }
    let offset = 0;
    return ordered.map((r) => {
        const cidr = subnetAt(parent, r.prefixLength, offset / blockSize(r.prefixLength));
        offset += blockSize(r.prefixLength);
        if (!cidrContains(parent, cidr)) throw new Error(`internal: ${cidr} escaped ${parent}`);
        return { tier: r.tier, availabilityZone: r.availabilityZone, cidr };
    });
}
