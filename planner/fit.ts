/**
 * Will the platform fit its nodes? Joins the stack's node groups and the workloads its charts and
 * add-ons declare to the capacity model, for the planner's capacity section and for the program's
 * own check before it deploys.
 */
import { ConfigError } from "../config/load";
import { ClusterConfig } from "../config/schema";
import { Workload as DeclaredWorkload, podTotals, unsizedContainers } from "../lib/workloads";
import { CapacityPlan, NodePool, Workload, planCapacity } from "./capacity";

type NodeConfig = Pick<ClusterConfig, "nodeGroups" | "prefixDelegation">;

/** The stack's node groups as capacity pools: custom networking always, prefix delegation per config. */
export function nodePools(cluster: NodeConfig): NodePool[] {
    return cluster.nodeGroups.map((group) => ({
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
export function capacityWorkloads(workloads: readonly DeclaredWorkload[]): Workload[] {
    const running = workloads.filter((w) => w.containers.length > 0 && (w.kind === "DaemonSet" || w.replicas > 0));
    const unsized = running.flatMap((w) => unsizedContainers(w).map((c) => `${w.source} ${w.kind} ${w.name} container ${c}`));
    if (unsized.length > 0) throw new Error(`These containers set no CPU and memory requests: ${unsized.join(", ")}`);
    return running.map((w) => ({ name: w.name, component: w.component, kind: w.kind, replicas: w.replicas, ...podTotals(w) }));
}

/** The capacity plan at the desired size, or at `nodeCount` nodes in all. */
export function planStackCapacity(cluster: NodeConfig, workloads: readonly DeclaredWorkload[], nodeCount?: number): CapacityPlan {
    return planCapacity(nodePools(cluster), capacityWorkloads(workloads), nodeCount);
}

/** Rejects node groups that cannot hold the platform's requests even at their maximum size. */
export function assertFitsAtMaxSize(cluster: NodeConfig, workloads: readonly DeclaredWorkload[]): void {
    const maxNodes = cluster.nodeGroups.reduce((total, g) => total + g.maxSize, 0);
    const plan = planStackCapacity(cluster, workloads, maxNodes);
    if (plan.fits) return;
    const sizes = cluster.nodeGroups.map((g) => `${g.name}: max ${g.maxSize} x ${g.instanceTypes.join("/")}`).join(", ");
    const short = [
        plan.pods.free < 0 && `${plan.pods.requested} pods for ${plan.pods.allocatable} pod slots`,
        plan.cpuMillicores.free < 0 && `${plan.cpuMillicores.requested}m CPU requested of ${plan.cpuMillicores.allocatable}m allocatable`,
        plan.memoryMiB.free < 0 && `${plan.memoryMiB.requested}Mi memory requested of ${plan.memoryMiB.allocatable}Mi allocatable`,
    ].filter(Boolean).join("; ");
    throw new ConfigError([
        `cluster.nodeGroups: got ${sizes}; allowed: node groups whose maximum size holds the platform's requests (at ${maxNodes} nodes: ${short}); raise maxSize or use larger instance types`,
    ]);
}

/**
 * The planner's capacity section: the plan at the desired size (zero nodes for node groups that
 * scale from zero), the plan at the node groups' maximum, and what to do if it does not fit.
 */
export interface CapacityReport extends CapacityPlan {
    /** The same workloads at every node group's maxSize: what the cluster autoscaler can reach. */
    readonly atMax: CapacityPlan;
    /** Empty when the stack fits at its desired size with free slots. */
    readonly warnings: readonly string[];
}

/** Plans the workloads of a stack's graph against its node groups at their desired and maximum sizes. */
export function capacityReport(cluster: NodeConfig, workloads: readonly DeclaredWorkload[]): CapacityReport {
    const plan = planStackCapacity(cluster, workloads);
    const atMax = planStackCapacity(cluster, workloads, cluster.nodeGroups.reduce((total, g) => total + g.maxSize, 0));
    const warnings: string[] = [];
    if (!atMax.fits) {
        warnings.push(`does not fit even at the node groups' maximum ${atMax.nodeCount} nodes: raise maxSize or use larger instance types`);
    } else if (plan.nodeCount > 0 && !plan.fits) {
        warnings.push(`does not fit at its desired ${plan.nodeCount} nodes; it fits at ${plan.nodesNeededToFit}: raise desiredSize`);
    }
    return { ...plan, atMax, warnings };
}
