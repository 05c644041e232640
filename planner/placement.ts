/**
 * Where the pods land: the capacity plan's node groups (one per zone where configured) as
 * individual nodes, with every pod of the stack placed on one of them. The aggregate plan
 * (lib/capacity.ts) says whether the sums fit; this shows which node, and so which zone, is tight.
 *
 * The placement imitates the scheduler's defaults, deterministically: DaemonSet pods first, one per
 * node; then the other workloads, largest memory request first, each replica to the node with the
 * fewest replicas of its workload in the zone with the fewest (the default topology spread), ties
 * to the least-allocated node (the default scoring). A pod pinned to zones (a nodeSelector or a
 * required node affinity on the zone label, as Mimir's zone-aware ingesters and store-gateways
 * are) goes only to nodes there. A pod no node has room for is listed as unplaced. Other
 * selectors, taints and affinities are not modelled, as in the aggregate plan.
 */
import { CapacityPlan, Workload } from "../lib/capacity";
import { capacityWorkloads, NodeConfig, nodePools } from "../lib/fit";
import { Workload as RunningWorkload } from "../lib/workloads";

/** One pod on a node: its workload and its requests. */
export interface PlacedPod {
    readonly workload: string;
    readonly component: string;
    readonly kind: Workload["kind"];
    readonly cpuMillicores: number;
    readonly memoryMiB: number;
}

/** A node of a node group, in its zone, with the pods placed on it and what they request of it. */
export interface PlacedNode {
    /** "<node group> #<n>", n from 1. */
    readonly name: string;
    readonly nodeGroup: string;
    readonly zone: string;
    readonly instanceType: string;
    readonly pods: readonly PlacedPod[];
    readonly podSlots: Use;
    readonly cpuMillicores: Use;
    readonly memoryMiB: Use;
}

/** Requested against allocatable, summed over some nodes. */
export interface Use { readonly requested: number; readonly allocatable: number }

export interface Placement {
    /** Zones in name order, each with its nodes at the desired size and their sums: which zone is tight. */
    readonly zones: readonly {
        readonly zone: string;
        readonly nodes: readonly PlacedNode[];
        readonly podSlots: Use;
        readonly cpuMillicores: Use;
        readonly memoryMiB: Use;
    }[];
    /** Pods no node had room for, one entry per pod. */
    readonly unplaced: readonly PlacedPod[];
}

interface NodeState {
    readonly name: string;
    readonly nodeGroup: string;
    readonly zone: string;
    readonly instanceType: string;
    readonly pods: PlacedPod[];
    readonly slots: number;
    readonly cpu: number;
    readonly memory: number;
}

const used = (node: NodeState) => ({
    pods: node.pods.length,
    cpu: node.pods.reduce((t, p) => t + p.cpuMillicores, 0),
    memory: node.pods.reduce((t, p) => t + p.memoryMiB, 0),
});

/** The label that names a node's zone. */
const ZONE_LABEL = "topology.kubernetes.io/zone";

/** The zones a workload's pods must run in, from its nodeSelector or required node affinity; undefined when any zone will do. */
export function pinnedZones(workload: Pick<RunningWorkload, "podSpec">): readonly string[] | undefined {
    const selected = workload.podSpec?.nodeSelector?.[ZONE_LABEL];
    if (typeof selected === "string") return [selected];
    const terms: any[] = workload.podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    // Terms are ORed: the pod is pinned only when every term names the zones it allows.
    const perTerm = terms.map((t) => (t.matchExpressions ?? []).find((e: any) => e.key === ZONE_LABEL && e.operator === "In")?.values as string[] | undefined);
    return perTerm.length > 0 && perTerm.every((zones) => zones !== undefined) ? [...new Set(perTerm.flat() as string[])] : undefined;
}

const fitsOn = (node: NodeState, pod: PlacedPod) => {
    const u = used(node);
    return u.pods + 1 <= node.slots && u.cpu + pod.cpuMillicores <= node.cpu && u.memory + pod.memoryMiB <= node.memory;
};

/** The larger of the CPU and memory shares a node has in use: lower is less allocated. */
const allocation = (node: NodeState) => {
    const u = used(node);
    return Math.max(node.cpu > 0 ? u.cpu / node.cpu : 1, node.memory > 0 ? u.memory / node.memory : 1);
};

/**
 * Places the stack's pods on the nodes of `plan` (the capacity plan at the desired size). Each
 * pool's nodes take the pool's zones in turn; a pool of a per-zone group has one zone.
 */
export function placePods(cluster: NodeConfig, workloads: readonly RunningWorkload[], plan: CapacityPlan): Placement {
    const pools = nodePools(cluster);
    const zonesOf = new Map(cluster.nodeGroups.flatMap((g) => (g.groupPerZone ? g.availabilityZones.map((z) => [`${g.name}-${z}`, [z]] as const) : [[g.name, g.availabilityZones] as const])));
    const nodes: NodeState[] = plan.pools.flatMap((pool, i) => Array.from({ length: pool.nodes }, (_, n) => {
        const name = pool.name ?? pools[i].name ?? `pool ${i + 1}`;
        const zones = zonesOf.get(name) ?? ["unknown zone"];
        return {
            name: `${name} #${n + 1}`, nodeGroup: name, zone: zones[n % zones.length], instanceType: pool.instanceType, pods: [],
            slots: pool.podSlotsPerNode, cpu: pool.allocatableCpuMillicoresPerNode, memory: pool.allocatableMemoryMiBPerNode,
        };
    }));
    const pod = (w: Workload): PlacedPod => ({ workload: w.name, component: w.component, kind: w.kind, cpuMillicores: w.cpuRequestMillicores, memoryMiB: w.memoryRequestMiB });
    const sized = capacityWorkloads(workloads);
    const unplaced: PlacedPod[] = [];
    for (const w of sized.filter((x) => x.kind === "DaemonSet")) {
        for (const node of nodes) (fitsOn(node, pod(w)) ? node.pods : unplaced).push(pod(w));
    }
    const others = sized.filter((x) => x.kind !== "DaemonSet").sort((a, b) => b.memoryRequestMiB - a.memoryRequestMiB || b.cpuRequestMillicores - a.cpuRequestMillicores || a.name.localeCompare(b.name));
    const pins = new Map(workloads.map((w) => [`${w.component}/${w.name}`, pinnedZones(w)]));
    for (const w of others) {
        const count = (n: NodeState) => n.pods.filter((p) => p.workload === w.name && p.component === w.component).length;
        const inZone = (zone: string) => nodes.filter((n) => n.zone === zone).reduce((t, n) => t + count(n), 0);
        const zones = pins.get(`${w.component}/${w.name}`);
        for (let r = 0; r < w.replicas; r++) {
            const candidates = nodes.filter((n) => (zones === undefined || zones.includes(n.zone)) && fitsOn(n, pod(w)))
                .sort((a, b) => inZone(a.zone) - inZone(b.zone) || count(a) - count(b) || allocation(a) - allocation(b) || nodes.indexOf(a) - nodes.indexOf(b));
            (candidates[0]?.pods ?? unplaced).push(pod(w));
        }
    }
    const zones = [...new Set(nodes.map((n) => n.zone))].sort();
    const sum = (placed: readonly PlacedNode[], key: "podSlots" | "cpuMillicores" | "memoryMiB"): Use =>
        ({ requested: placed.reduce((t, n) => t + n[key].requested, 0), allocatable: placed.reduce((t, n) => t + n[key].allocatable, 0) });
    return {
        zones: zones.map((zone) => {
            const placed = nodes.filter((n) => n.zone === zone).map((n): PlacedNode => {
                const u = used(n);
                return {
                    name: n.name, nodeGroup: n.nodeGroup, zone: n.zone, instanceType: n.instanceType, pods: n.pods,
                    podSlots: { requested: u.pods, allocatable: n.slots },
                    cpuMillicores: { requested: u.cpu, allocatable: n.cpu },
                    memoryMiB: { requested: u.memory, allocatable: n.memory },
                };
            });
            return { zone, nodes: placed, podSlots: sum(placed, "podSlots"), cpuMillicores: sum(placed, "cpuMillicores"), memoryMiB: sum(placed, "memoryMiB") };
        }),
        unplaced,
    };
}
