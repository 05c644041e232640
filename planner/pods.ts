/**
 * Pods per Helm release (and per workload-bearing resource such as an EKS add-on), and in total,
 * from the workload models in components/helm/workload-registry.ts: the same models the capacity
 * plan reads, so the count and the plan cannot disagree.
 */
import { PlannedResource } from "../engine/types";
import { workloadsOf } from "../components/helm/workload-registry";
import { Workload } from "../components/helm/workloads";
import { desiredNodeCount, TYPES } from "./resources";

/** One workload of a release, with the pods it runs at the planned node count. */
export interface WorkloadPods {
    readonly name: string;
    readonly kind: Workload["kind"];
    readonly pods: number;
}

/** The pods one release or resource runs. */
export interface SourcePods {
    /** The resource name: a release's, or an add-on's. */
    readonly name: string;
    readonly type: string;
    /** The chart of a release, the add-on name of an EKS add-on. */
    readonly what: string;
    readonly component: string;
    readonly pods: number;
    readonly workloads: readonly WorkloadPods[];
}

export interface PodCount {
    /** Nodes at the node groups' desired sizes: each DaemonSet runs one pod on each. */
    readonly nodeCount: number;
    readonly total: number;
    readonly sources: readonly SourcePods[];
}

/** Pods a workload runs: its replicas, or one per node for a DaemonSet. */
export function podsOf(workload: Pick<Workload, "kind" | "replicas">, nodeCount: number): number {
    return workload.kind === "DaemonSet" ? nodeCount : workload.replicas;
}

/**
 * Counts the pods of every resource that runs workloads, at the desired node count. A release
 * whose chart has no model makes workloadsOf throw, which stops the plan: a count that silently
 * skipped a chart would understate every figure built on it.
 */
export function countPods(resources: readonly PlannedResource[]): PodCount {
    const nodeCount = desiredNodeCount(resources);
    const sources: SourcePods[] = [];
    for (const resource of resources) {
        const workloads = workloadsOf(resource);
        if (workloads.length === 0) continue;
        const rows = workloads.map((w) => ({ name: w.name, kind: w.kind, pods: podsOf(w, nodeCount) }));
        sources.push({
            name: resource.name,
            type: resource.type,
            what: String(resource.type === TYPES.helmRelease ? resource.inputs.chart : resource.inputs.addonName ?? resource.type.split(":").pop()),
            component: workloads[0].component,
            pods: sum(rows.map((r) => r.pods)),
            workloads: rows,
        });
    }
    return { nodeCount, total: sum(sources.map((s) => s.pods)), sources };
}

export function sum(values: readonly number[]): number {
    return values.reduce((total, v) => total + v, 0);
}
