/**
 * A stack's plan: the program run offline, then what it creates (inventory, pods), what it costs
 * whether it fits its nodes, and what the policy pack says of it. Each section is a field computed
 * from the same run, rendered as text by render.ts and as a page by html.ts.
 */
import { numbersAsWritten, readStackFileText, validateStackConfig } from "../config/load";
import { StackRun, runConfig, runStack, RunOptions } from "../engine/run";
import { findProjectDir } from "../engine/stack-file";
import { PlannedResource } from "../engine/types";
import { stackWorkloads } from "../components/helm/workloads";
import { Workload } from "../lib/workloads";
import { burstableWarnings, CostEstimate, estimateCost } from "./cost";
import { ClusterSummary, clusterSummaries } from "./cluster";
import { CapacityReport, capacityReport } from "./fit";
import { ImageUse, imageInventory } from "./images";
import { buildInventory, Inventory } from "./inventory";
import { PlannedLoadBalancer, plannedLoadBalancers } from "./load-balancers";
import { neighbourWarnings, otherStacks, packConfigDir, packConfigFor } from "./neighbours";
import { NetworkLayout, networkLayout } from "./network";
import { countPods, PodCount } from "./pods";
import { PodSecurityReport, podSecurityReport } from "./pod-security";
import { PolicyReport, policyReport } from "./policy";
import { loadPriceTable, PriceTable } from "./pricing";
import { TelemetryEdge, telemetryEdges } from "./telemetry";
import { DestroyLeftovers, destroyLeftovers } from "./volumes";

export interface StackPlan {
    readonly stack: string;
    readonly project: string;
    readonly environment: string;
    /** Each EKS cluster's version, support type and node groups per zone. */
    readonly clusters: readonly ClusterSummary[];
    /** The VPC, its subnets per zone, NAT gateways, endpoints, the control plane's endpoint and the bastion. */
    readonly network: NetworkLayout;
    readonly inventory: Inventory;
    /** The ALBs the AWS Load Balancer Controller will create (not Pulumi resources), with the hosts behind each. */
    readonly loadBalancers: readonly PlannedLoadBalancer[];
    readonly pods: PodCount;
    /** Every container image the stack runs, with its registry. */
    readonly images: readonly ImageUse[];
    readonly cost: CostEstimate;
    readonly capacity: CapacityReport;
    readonly policy: PolicyReport;
    /** Every edge of the wiring graph: its ends, how the hop is encrypted, whether the NetworkPolicies allow it. */
    readonly telemetry: readonly TelemetryEdge[];
    /** Every pod the stack runs against its namespace's Pod Security level. */
    readonly podSecurity: PodSecurityReport;
    /** The volumes a destroy would leave behind the cluster unless deleted first. */
    readonly destroy: DestroyLeftovers;
    /** What the stack cannot keep as it is: settings another stack of its account holds, a pack config it lacks. */
    readonly warnings: readonly string[];
}

/**
 * What the run's program runs, from the renders its own capacity check made at declaration: values
 * known only after deploy (bucket names, role ARNs) stand in as placeholders there, and they change
 * no pod, request, volume or image (tests/fit.test.ts compares both renders of every release), so
 * a cold plan renders each release once.
 */
export function runWorkloads(run: StackRun): readonly Workload[] {
    return stackWorkloads(run.declaredWorkloads, run.config.cluster.kubernetesVersion).workloads;
}

/** The plan of a run that has already happened. */
export function planRun(run: StackRun, table: PriceTable): StackPlan {
    const workloads = runWorkloads(run);
    const configDir = packConfigDir(run.projectDir);
    const packConfig = packConfigFor(run.stack, run.config.profile, configDir);
    const capacity = capacityReport(run.config.cluster, workloads);
    const costInput = { resources: run.resources, assumptions: run.config.costAssumptions, workloads, cpuRequestedMillicores: capacity.cpuMillicores.requested };
    return {
        stack: run.stack,
        project: run.project,
        environment: run.config.environment,
        clusters: clusterSummaries(run.resources),
        network: networkLayout(run.resources),
        inventory: buildInventory(run.resources),
        loadBalancers: plannedLoadBalancers(run.resources, stackWorkloads(run.declaredWorkloads, run.config.cluster.kubernetesVersion).renders.values()),
        pods: countPods(run.resources, workloads),
        images: imageInventory(workloads),
        cost: estimateCost(costInput, table),
        // The burstable groups' baseline beside the capacity plan's warnings: a group can fit its requests and still not run them at full speed.
        capacity: { ...capacity, warnings: [...capacity.warnings, ...burstableWarnings(costInput)] },
        policy: policyReport(run.resources, packConfig.name, undefined, configDir),
        telemetry: telemetryEdges(run),
        podSecurity: podSecurityReport(run.resources, workloads),
        destroy: destroyLeftovers(run.resources, workloads),
        warnings: [
            ...(packConfig.warning ? [packConfig.warning] : []),
            ...neighbourWarnings({ stack: run.stack, config: run.config }, otherStacks(run.projectDir, run.stack)),
        ],
    };
}

/**
 * Runs the program for `stack` under mocks (through `engine`: tests share runs) and plans it at its
 * region's prices. The config and its region's prices are checked first: a region the planner cannot
 * price is refused at once, not after the program ran.
 */
export async function planStack(stack: string, options: RunOptions = {}, engine = runStack): Promise<{ run: StackRun; plan: StackPlan; table: PriceTable }> {
    const { project, config } = runConfig(stack, options);
    const text = readStackFileText(options.projectDir ?? findProjectDir(), stack);
    const table = loadPriceTable(validateStackConfig(config, new Date(), () => (text === undefined ? new Map() : numbersAsWritten(text, project))).region);
    const run = await engine(stack, options);
    return { run, plan: planRun(run, table), table };
}

/** A resource as --json shows it: everything but the mocks' invented outputs. */
export type ResourceRecord = Omit<PlannedResource, "outputs">;

/** Everything a plan knows, machine-readable: the plan, the validated config, the stack outputs and every resource with its inputs (secrets stay "[secret]"). */
export function planJson(run: StackRun, plan: StackPlan) {
    const resources: ResourceRecord[] = run.resources.map(({ outputs: _outputs, ...record }) => record);
    return { ...plan, config: run.config, outputs: run.outputs, resources };
}
