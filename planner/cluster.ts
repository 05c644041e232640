/**
 * The plan's cluster summary, read from the declared resources: each EKS cluster's version and
 * support type (extended support costs six times standard), and the node groups in each zone.
 */
import { PlannedResource } from "../engine/types";
import { nodeGroups, ofType, subnetsById, TYPES } from "./resources";

export interface ClusterSummary {
    readonly name: string;
    readonly kubernetesVersion: string;
    /** The upgrade policy's support type; EKS applies EXTENDED when the cluster does not say. */
    readonly supportType: string;
    /** Node groups by the zone of their subnets, zones in name order; a group over several zones is listed in each. */
    readonly nodeGroupsByZone: Readonly<Record<string, readonly string[]>>;
    /** Whether the VPC CNI's network-policy agent enforces NetworkPolicies, and how many the stack declares in how many namespaces. */
    readonly networkPolicies: { readonly enforced: boolean; readonly policies: number; readonly namespaces: number };
}

/** EKS's default when a cluster declares no upgrade policy. */
const DEFAULT_SUPPORT_TYPE = "EXTENDED";

export function clusterSummaries(resources: readonly PlannedResource[]): ClusterSummary[] {
    const subnets = subnetsById(resources);
    const groups = nodeGroups(resources);
    const vpcCni = ofType(resources, TYPES.eksAddon).find((a) => a.inputs.addonName === "vpc-cni");
    const enforced = vpcCni?.inputs.configurationValues !== undefined && JSON.parse(vpcCni.inputs.configurationValues).enableNetworkPolicy === "true";
    const policies = ofType(resources, TYPES.networkPolicy);
    return ofType(resources, TYPES.eksCluster).map((cluster) => {
        const name = String(cluster.inputs.name ?? cluster.name);
        const byZone: Record<string, string[]> = {};
        for (const group of groups.filter((g) => g.resource.inputs.clusterName === undefined || g.resource.inputs.clusterName === name)) {
            const zones = [...new Set(group.subnetIds.map((id) => String(subnets.get(id)?.inputs.availabilityZone ?? "unknown zone")))];
            for (const zone of zones) (byZone[zone] ??= []).push(group.name);
        }
        return {
            name,
            kubernetesVersion: String(cluster.inputs.version),
            supportType: String(cluster.inputs.upgradePolicy?.supportType ?? DEFAULT_SUPPORT_TYPE),
            nodeGroupsByZone: Object.fromEntries(Object.entries(byZone).sort(([a], [b]) => a.localeCompare(b))),
            networkPolicies: { enforced, policies: policies.length, namespaces: new Set(policies.map((p) => p.inputs.metadata?.namespace)).size },
        };
    });
}
