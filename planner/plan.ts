/**
 * A stack's plan: the program run offline, then what it creates (inventory, pods), what it costs
 * whether it fits its nodes, and what the policy pack says of it. Each section is a field computed
 * from the same run, rendered by one function in render.ts.
 */
import { StackRun, runStack, RunOptions } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { prerender, stackWorkloads } from "../components/helm/workloads";
import { hasPackConfig } from "../policy/evaluate";
import { CostEstimate, estimateCost } from "./cost";
import { ClusterSummary, clusterSummaries } from "./cluster";
import { CapacityReport, capacityReport } from "./fit";
import { ImageUse, imageInventory } from "./images";
import { buildInventory, Inventory } from "./inventory";
import { countPods, PodCount } from "./pods";
import { PolicyReport, policyReport } from "./policy";
import { PriceTable } from "./pricing";
import { DestroyLeftovers, destroyLeftovers } from "./volumes";

export interface StackPlan {
    readonly stack: string;
    readonly project: string;
    readonly environment: string;
    /** Each EKS cluster's version, support type and node groups per zone. */
    readonly clusters: readonly ClusterSummary[];
    readonly inventory: Inventory;
    readonly pods: PodCount;
    /** Every container image the stack runs, with its registry. */
    readonly images: readonly ImageUse[];
    readonly cost: CostEstimate;
    readonly capacity: CapacityReport;
    readonly policy: PolicyReport;
    /** The volumes a destroy would leave behind the cluster unless deleted first. */
    readonly destroy: DestroyLeftovers;
}

/** The plan of a run that has already happened. */
export function planRun(run: StackRun, table: PriceTable): StackPlan {
    return {
        stack: run.stack,
        project: run.project,
        environment: run.config.environment,
        clusters: clusterSummaries(run.resources),
        inventory: buildInventory(run.resources),
        pods: countPods(run.resources),
        images: imageInventory(run.resources),
        cost: estimateCost({ resources: run.resources, assumptions: run.config.costAssumptions }, table),
        capacity: capacityReport(run.config.cluster, stackWorkloads(run.resources).workloads),
        // A stack's own pack config (policy/config/<stack>.json), or its profile's until it has one.
        policy: policyReport(run.resources, hasPackConfig(run.stack) ? run.stack : run.config.profile),
        destroy: destroyLeftovers(run.resources),
    };
}

/** Runs the program for `stack` under mocks (through `engine`: tests share runs) and plans it. */
export async function planStack(stack: string, table: PriceTable, options: RunOptions = {}, engine = runStack): Promise<{ run: StackRun; plan: StackPlan }> {
    const run = await engine(stack, options);
    // The releases render with the values the engine recorded, in parallel; the plan reads the cache.
    await prerender(run.resources);
    return { run, plan: planRun(run, table) };
}

/** A resource as --json shows it: everything but the mocks' invented outputs. */
export type ResourceRecord = Omit<PlannedResource, "outputs">;

/** Everything a plan knows, machine-readable: the plan, the validated config, the stack outputs and every resource with its inputs (secrets stay "[secret]"). */
export function planJson(run: StackRun, plan: StackPlan) {
    const resources: ResourceRecord[] = run.resources.map(({ outputs: _outputs, ...record }) => record);
    return { ...plan, config: run.config, outputs: run.outputs, resources };
}
