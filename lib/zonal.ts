/**
 * One managed node group per availability zone. Zonal volumes and zone-pinned pods (Mimir's
 * ingesters and store-gateways, Kafka brokers) need a node in one particular zone; the Cluster
 * Autoscaler can only add one there if some group lives in that zone alone. A group configured
 * with `groupPerZone` becomes one group per zone, its sizes split over the zones.
 */

/** What the split reads of a node group (the stack config's node group has more). */
export interface ZonalGroup {
    readonly name: string;
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
    readonly availabilityZones: readonly string[];
    readonly groupPerZone: boolean;
}

/** The longest prefix EKS takes for a node group name: 63 characters less the provider's 26-character unique suffix. */
export const NODE_GROUP_NAME_PREFIX_MAX = 37;

/** What `total` nodes come to in the zone at `index` of `zones`: an even split, the remainder to the first zones. */
export function zoneShare(total: number, zones: number, index: number): number {
    return Math.floor(total / zones) + (index < total % zones ? 1 : 0);
}

/**
 * The node groups EKS gets: a `groupPerZone` group as one group per zone (named `<group>-<zone>`,
 * sizes split by {@link zoneShare}, which keeps min <= desired <= max in every zone), any other as is.
 */
export function nodeGroupsByZone<G extends ZonalGroup>(groups: readonly G[]): G[] {
    return groups.flatMap((group) => !group.groupPerZone ? [group] : group.availabilityZones.map((zone, i, zones) => ({
        ...group,
        name: `${group.name}-${zone}`,
        minSize: zoneShare(group.minSize, zones.length, i),
        desiredSize: zoneShare(group.desiredSize, zones.length, i),
        maxSize: zoneShare(group.maxSize, zones.length, i),
        availabilityZones: [zone],
    })));
}

/**
 * The prefix of a node group's name: EKS refuses two groups of one name, and Pulumi creates a
 * replacement before it deletes the old group, so a fixed name would fail every replacement.
 */
export function nodeGroupNamePrefix(clusterName: string, groupName: string): string {
    return `${clusterName}-${groupName}-`;
}
