/**
 * The planner's capacity section: the stack's workloads against its node groups at their desired
 * and maximum sizes (the model and the joins are in lib/capacity.ts and lib/fit.ts, which the
 * program's own check before it deploys uses too).
 */
import { CapacityPlan } from "../lib/capacity";
import { NodeConfig, planStackCapacity } from "../lib/fit";
import { Workload } from "../lib/workloads";
import { plural } from "./format";

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
export function capacityReport(cluster: NodeConfig, workloads: readonly Workload[]): CapacityReport {
    const plan = planStackCapacity(cluster, workloads);
    const atMax = planStackCapacity(cluster, workloads, cluster.nodeGroups.reduce((total, g) => total + g.maxSize, 0));
    const warnings: string[] = [];
    if (!atMax.fits) {
        warnings.push(`does not fit even at the node groups' maximum ${plural(atMax.nodeCount, "node")}: raise maxSize or use larger instance types`);
    } else if (plan.nodeCount > 0 && !plan.fits) {
        warnings.push(`does not fit at its desired ${plural(plan.nodeCount, "node")}; it fits at ${plan.nodesNeededToFit}: raise desiredSize`);
    }
    return { ...plan, atMax, warnings };
}
