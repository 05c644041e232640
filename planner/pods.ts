/**
 * Pods per Helm release (and per workload-bearing resource such as an EKS add-on or a Kafka node
 * pool), and in total, from the stack's rendered workloads (components/helm/workloads.ts): the
 * same list the capacity plan reads, so the count and the plan cannot disagree.
 */
import { PlannedResource } from "../engine/types";
import { stackWorkloads } from "../components/helm/workloads";
import { Workload, WorkloadOrigin, podsOf } from "../lib/workloads";
import { desiredNodeCount } from "./resources";

/** One workload of a release, with the pods it runs at the planned node count. */
export interface WorkloadPods {
    readonly name: string;
    readonly kind: Workload["kind"];
    readonly pods: number;
    /** A render, an operator's reading of a custom resource, or a model (EKS add-ons, Mimir). */
    readonly origin: WorkloadOrigin;
}

/** The pods one release or resource runs. */
export interface SourcePods {
    /** The release's name, the add-on's, or the custom resource's. */
    readonly name: string;
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

/**
 * Counts the pods of every workload the stack runs (by default, what the resources' values render)
 * at the desired node count, grouped by source.
 */
export function countPods(resources: readonly PlannedResource[], workloads: readonly Workload[] = stackWorkloads(resources).workloads): PodCount {
    const nodeCount = desiredNodeCount(resources);
    const bySource = new Map<string, { component: string; rows: WorkloadPods[] }>();
    for (const w of workloads) {
        if (w.containers.length === 0) continue;
        const entry = bySource.get(w.source) ?? { component: w.component, rows: [] };
        entry.rows.push({ name: w.name, kind: w.kind, pods: podsOf(w, nodeCount), origin: w.origin });
        bySource.set(w.source, entry);
    }
    const sources = [...bySource].map(([name, { component, rows }]) => ({ name, component, pods: sum(rows.map((r) => r.pods)), workloads: rows }));
    return { nodeCount, total: sum(sources.map((s) => s.pods)), sources };
}

export function sum(values: readonly number[]): number {
    return values.reduce((total, v) => total + v, 0);
}
