import { defineStackPolicy, StackResource } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { feedingResources, knownIds, ofType } from "../../lib/stack";
import { at, readList, readString, UNKNOWN, Unknown } from "../../lib/values";

/** Three zones survive the loss of one with a majority left (etcd-style quorums, Kafka ISR). */
const MINIMUM_ZONES = 3;

/** The subnet's zone by name, else by zone id (the offline engine computes ids, a program may set either). */
function zoneOf(subnet: StackResource): string | Unknown | undefined {
    for (const key of ["availabilityZone", "availabilityZoneId"]) {
        for (const source of [subnet.props, subnet.outputs]) {
            const zone = readString(at(source, key));
            if (zone !== undefined) return zone;
        }
    }
    return undefined;
}

/**
 * The subnets a node group's subnetIds point at: by id where ids are known (the offline engine,
 * `pulumi up`), else by the resources that feed subnetIds (propertyDependencies; a record without
 * per-input dependencies falls back on the node group's dependencies).
 */
function nodeGroupSubnets(nodeGroup: StackResource, subnets: readonly StackResource[]): StackResource[] | undefined {
    const ids = readList(nodeGroup.props.subnetIds);
    if (ids !== undefined && ids !== UNKNOWN) {
        const known = ids.map(readString);
        if (known.every((id): id is string => typeof id === "string")) {
            const matched = known.map((id) => subnets.find((s) => knownIds(s, []).includes(id)));
            if (matched.every((s): s is StackResource => s !== undefined)) return matched;
        }
    }
    const feeding = feedingResources(nodeGroup, "subnetIds") ?? [...nodeGroup.dependencies];
    const linked = subnets.filter((s) => feeding.includes(s.urn));
    return linked.length > 0 ? linked : undefined;
}

/** How many zones a node group spans; when zones cannot be resolved, its distinct subnets stand in. */
function nodeGroupSpread(nodeGroup: StackResource, subnets: readonly StackResource[]): { count: number; unit: "zones" | "subnets" } | undefined {
    const resolved = nodeGroupSubnets(nodeGroup, subnets);
    if (resolved) {
        const zones = resolved.map(zoneOf);
        if (zones.every((z): z is string => typeof z === "string")) return { count: new Set(zones).size, unit: "zones" };
        return { count: new Set(resolved.map((s) => s.urn)).size, unit: "subnets" };
    }
    const ids = readList(nodeGroup.props.subnetIds);
    if (ids === undefined || ids === UNKNOWN) return undefined;
    const distinct = new Set(ids.map(readString));
    // Unknown ids may or may not be distinct subnets; only a known shortfall is reported.
    return distinct.has(UNKNOWN) ? undefined : { count: distinct.size, unit: "subnets" };
}

/**
 * The zones that a node group and its zonal siblings cover together: groups of one cluster with the
 * same instance types, one per zone, that the autoscaler balances as one (balance-similar-node-groups).
 * Undefined where any of their zones cannot be resolved.
 */
function siblingZones(nodeGroup: StackResource, nodeGroups: readonly StackResource[], subnets: readonly StackResource[]): Set<string> | undefined {
    const key = (g: StackResource) => {
        const cluster = readString(g.props.clusterName);
        const types = readList(g.props.instanceTypes);
        return typeof cluster === "string" && Array.isArray(types) ? JSON.stringify([cluster, types]) : undefined;
    };
    if (key(nodeGroup) === undefined) return undefined;
    const zones = nodeGroups.filter((g) => key(g) === key(nodeGroup)).map((g) => new Set(nodeGroupSubnets(g, subnets)?.map(zoneOf)));
    if (!zones.every((z) => z.size === 1 && [...z].every((zone) => typeof zone === "string"))) return undefined;
    return new Set(zones.flatMap((z) => [...z] as string[]));
}

export const multiAzHa = defineStackPolicy({
    name: "multi-az-ha",
    description: `Prod survives the loss of an availability zone: subnets in at least ${MINIMUM_ZONES} zones, every node group spread over at least ${MINIMUM_ZONES} (alone, or with its siblings of one zone each), and a NAT gateway per zone so that no zone's egress hangs on another.`,
    nist: ["CP-10"],
    anchors: ["SecurityHub:AutoScaling.2"],
    severity: "medium",
    enforcementLevel: "advisory",
    prodOnly: true,
    remediationSteps: `List ${MINIMUM_ZONES} or more zones in network.availabilityZones and in each node group's availabilityZones, and set network.natGateways to one-per-az.`,
    validate(resources, _context, report) {
        const subnets = ofType(resources, T.subnet);
        if (subnets.length === 0) return;
        const zones = subnets.map(zoneOf);
        const knownZones = new Set(zones.filter((z): z is string => typeof z === "string"));
        const allZonesKnown = knownZones.size >= MINIMUM_ZONES || !zones.some((z) => z === UNKNOWN);
        if (allZonesKnown && knownZones.size < MINIMUM_ZONES) {
            report(`subnets span ${knownZones.size} availability zone(s) (${[...knownZones].join(", ") || "none set"}); prod needs ${MINIMUM_ZONES}`);
        }

        const nodeGroups = ofType(resources, T.eksNodeGroup);
        for (const nodeGroup of nodeGroups) {
            const spread = nodeGroupSpread(nodeGroup, subnets);
            if (spread && spread.count < MINIMUM_ZONES && (siblingZones(nodeGroup, nodeGroups, subnets)?.size ?? 0) < MINIMUM_ZONES) report(`node group ${nodeGroup.name} spans ${spread.count} ${spread.unit}; prod needs ${MINIMUM_ZONES} zones`, nodeGroup);
        }

        const natGateways = ofType(resources, T.natGateway).filter((nat) => readString(nat.props.connectivityType) !== "private");
        // A regional NAT gateway serves every zone of its VPC by itself.
        const regional = natGateways.some((nat) => readString(nat.props.availabilityMode) === "regional");
        if (allZonesKnown && !regional && natGateways.length < knownZones.size) {
            report(`${natGateways.length} public NAT gateway(s) for ${knownZones.size} zones: a zone without its own loses egress when the NAT's zone fails`);
        }
    },
});
