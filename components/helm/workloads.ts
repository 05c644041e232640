/**
 * What runs in the cluster, derived from what the program declares: each chart (and each
 * workload-bearing custom resource) knows, from its values, which workloads it runs, how many
 * replicas each has and what each requests. Pod counts and the capacity plan both read this.
 */

export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet";

/** Requests and the memory limit of one pod, as Kubernetes quantities ("250m", "512Mi"). */
export interface PodResources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
}

export interface Workload {
    /** The platform component it belongs to, e.g. "mimir" or "velero". */
    readonly component: string;
    /** The workload's name within the component, e.g. "ingester-zone-a". */
    readonly name: string;
    readonly kind: WorkloadKind;
    /** Pods for a Deployment or StatefulSet; ignored for a DaemonSet, which runs one per node. */
    readonly replicas: number;
    /** Undefined when the values leave the chart's empty default in place. */
    readonly resources?: PodResources;
}

/** A resource as the engine (or a test) sees it: its type token and resolved inputs. */
export interface DeclaredResource {
    readonly type: string;
    readonly inputs: Record<string, any>;
}

/** Derives the workloads of one chart from the values a Release sets. */
export type ChartWorkloads = (values: Record<string, any>) => Workload[];

/** Reads a path of plain keys from a values object. */
export function valueAt(values: unknown, path: readonly string[]): any {
    return path.reduce<any>((node, key) => (node !== null && typeof node === "object" ? node[key] : undefined), values);
}

/** The resources a values block sets at `path`, or undefined where the chart default ({}) stays. */
export function resourcesAt(values: unknown, path: readonly string[]): PodResources | undefined {
    const block = valueAt(values, path);
    const cpu = block?.requests?.cpu;
    const memory = block?.requests?.memory;
    const memoryLimit = block?.limits?.memory;
    if (typeof cpu !== "string" || typeof memory !== "string" || typeof memoryLimit !== "string") return undefined;
    return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}

/** A values block that sets requests and a memory limit, for the platform's add-ons to use. */
export function podResources(cpu: string, memory: string, memoryLimit: string): { requests: { cpu: string; memory: string }; limits: { memory: string } } {
    return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}
