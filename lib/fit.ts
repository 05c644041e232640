/**
 * Will the platform fit its nodes? Joins a stack's node groups and the workloads it runs to the
 * capacity model: for the program's own check before it deploys, and for the planner's report.
 */
import { CapacityPlan, NodePool, Workload, planCapacity } from "./capacity";
import { nodeGroupsByZone } from "./zonal";
import { Workload as RunningWorkload, podTotals, unsizedContainers } from "./workloads";

/** The node groups as the stack config gives them, and whether the CNI hands out prefixes. */
export interface NodeConfig {
    readonly nodeGroups: readonly {
        readonly name: string;
        readonly instanceTypes: readonly string[];
        readonly desiredSize: number;
        readonly minSize: number;
        readonly maxSize: number;
        readonly availabilityZones: readonly string[];
        readonly groupPerZone: boolean;
    }[];
    readonly prefixDelegation: boolean;
}

/** The stack's node groups as EKS gets them (one per zone where configured) as capacity pools: custom networking always, prefix delegation per config. */
export function nodePools(cluster: NodeConfig): NodePool[] {
    return nodeGroupsByZone(cluster.nodeGroups).map((group) => ({
        name: group.name,
        instanceTypes: group.instanceTypes,
        desired: group.desiredSize,
        min: group.minSize,
        max: group.maxSize,
        customNetworking: true,
        prefixDelegation: cluster.prefixDelegation,
    }));
}

/**
 * The stack's workloads as pods with requests in numbers. Throws naming every container that runs
 * without CPU and memory requests: a pod the scheduler cannot account for makes every plan a guess.
 */
export function capacityWorkloads(workloads: readonly RunningWorkload[]): Workload[] {
    const running = workloads.filter((w) => w.containers.length > 0 && (w.kind === "DaemonSet" || w.replicas > 0));
    const unsized = running.flatMap((w) => unsizedContainers(w).map((c) => `${w.source} ${w.kind} ${w.name} container ${c}`));
    if (unsized.length > 0) throw new Error(`These containers set no CPU and memory requests: ${unsized.join(", ")}`);
    return running.map((w) => ({ name: w.name, component: w.component, kind: w.kind, replicas: w.replicas, ...podTotals(w) }));
}

/** The capacity plan at the desired size, or at `nodeCount` nodes in all. */
export function planStackCapacity(cluster: NodeConfig, workloads: readonly RunningWorkload[], nodeCount?: number): CapacityPlan {
    return planCapacity(nodePools(cluster), capacityWorkloads(workloads), nodeCount);
}

/**
 * What is short when the node groups run at their maximum size, as a config error message for
 * `cluster.nodeGroups`; undefined when the platform's requests fit.
 */
export function maxSizeShortfall(cluster: NodeConfig, workloads: readonly RunningWorkload[]): string | undefined {
    const maxNodes = cluster.nodeGroups.reduce((total, g) => total + g.maxSize, 0);
    const plan = planStackCapacity(cluster, workloads, maxNodes);
    if (plan.fits) return undefined;
    const sizes = cluster.nodeGroups.map((g) => `${g.name}: max ${g.maxSize} x ${g.instanceTypes.join("/")}`).join(", ");
    const short = [
        plan.pods.free < 0 && `${plan.pods.requested} pods for ${plan.pods.allocatable} pod slots`,
        plan.cpuMillicores.free < 0 && `${plan.cpuMillicores.requested}m CPU requested of ${plan.cpuMillicores.allocatable}m allocatable`,
        plan.memoryMiB.free < 0 && `${plan.memoryMiB.requested}Mi memory requested of ${plan.memoryMiB.allocatable}Mi allocatable`,
    ].filter(Boolean).join("; ");
    return `cluster.nodeGroups: got ${sizes}; allowed: node groups whose maximum size holds the platform's requests (at ${maxNodes} nodes: ${short}); raise maxSize or use larger instance types`;
}
