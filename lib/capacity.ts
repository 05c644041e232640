/**
 * Capacity planning for EKS node pools on the VPC CNI: how many pods a node can hold, what the kubelet
 * leaves allocatable after its reservations, and whether a set of workloads fits a set of pools.
 * The instance facts are the project's data (instance-types.ts); the formulas are the ones EKS
 * itself uses (the max-pods calculator and the EKS-optimised AMI's kube-reserved defaults).
 */
import { findInstanceType, nearestInstanceTypes } from "./instance-types";

/** What the capacity model needs to know about an EC2 instance type. */
export interface InstanceFacts {
    readonly type: string;
    readonly vcpus: number;
    /** Nominal memory; the kernel keeps a little of it, so real allocatable memory is slightly lower. */
    readonly memoryGiB: number;
    /** Network interfaces of the default network card, the ones the VPC CNI gives pods. */
    readonly maxEnis: number;
    readonly ipv4PerEni: number;
    /** Prefix delegation needs the Nitro system. */
    readonly nitro: boolean;
}

/**
 * The facts for one instance type. Throws naming the type and the nearest real names for a type
 * that does not exist, and saying so for one whose network interfaces upstream does not list.
 */
export function instanceFacts(instanceType: string): InstanceFacts {
    const facts = findInstanceType(instanceType);
    if (!facts) {
        throw new Error(`Unknown instance type "${instanceType}": not a current EC2 type; nearest: ${nearestInstanceTypes(instanceType).join(", ")}`);
    }
    if (facts.maxEnis === null || facts.ipv4PerEni === null) {
        throw new Error(`Instance type "${instanceType}" has no network-interface facts in lib/data/instance-types.json, so its pod capacity cannot be planned`);
    }
    const { type, vcpus, memoryGiB, maxEnis, ipv4PerEni, nitro } = facts;
    return { type, vcpus, memoryGiB, maxEnis, ipv4PerEni, nitro };
}

/**
 * How the VPC CNI gives pods addresses. Two flags rather than one mode because they combine:
 * custom networking (pods in the 100.64 subnets) takes the primary ENI away from pods, and prefix
 * delegation puts a /28 in each address slot, and a cluster may run both.
 */
export interface CniNetworking {
    readonly customNetworking: boolean;
    readonly prefixDelegation: boolean;
}

/** Addresses in the /28 prefix that prefix delegation puts in each secondary-address slot. */
const ADDRESSES_PER_PREFIX = 16;
/** aws-node and kube-proxy use the node's own address, so they run without an ENI address. */
const HOST_NETWORK_PODS = 2;
/** EKS's max-pods ceiling; the calculator switches to the higher one only above 30 vCPUs. */
const MAX_PODS_CEILING_SMALL = 110;
const MAX_PODS_CEILING_LARGE = 250;
const LARGE_NODE_VCPUS = 30;

/** The EKS max-pods value for an instance type: see {@link maxPodsFromFacts}. Throws for an unknown type. */
export function maxPods(instanceType: string, networking: CniNetworking): number {
    return maxPodsFromFacts(instanceFacts(instanceType), networking);
}

/**
 * The EKS max-pods formula (amazon-eks-ami's max-pods-calculator.sh) for given facts:
 * ENIs for pods x (IPv4 per ENI - 1) x addresses per slot + 2, where the primary ENI carries no pods
 * under custom networking, a slot holds one address, or 16 (a /28) under prefix delegation, "- 1"
 * skips each ENI's own primary address and "+ 2" is aws-node and kube-proxy on the host network.
 * The result is capped at 110 pods, or 250 above 30 vCPUs. The spec says "fewer than 30 / above";
 * the calculator's test is `> 30`, which is what nodes get, so a 30-vCPU type is capped at 110.
 * Exported apart from {@link maxPods} so that facts outside the data file (tests, what-ifs) can be planned.
 */
export function maxPodsFromFacts(facts: InstanceFacts, networking: CniNetworking): number {
    if (networking.prefixDelegation && !facts.nitro) {
        // The calculator silently falls back to secondary IPs; a plan that assumed prefixes would be wrong.
        throw new Error(`Prefix delegation needs a Nitro instance type; ${facts.type} is not one`);
    }
    const podEnis = facts.maxEnis - (networking.customNetworking ? 1 : 0);
    const addressesPerSlot = networking.prefixDelegation ? ADDRESSES_PER_PREFIX : 1;
    const fromAddresses = podEnis * (facts.ipv4PerEni - 1) * addressesPerSlot + HOST_NETWORK_PODS;
    return Math.min(fromAddresses, facts.vcpus > LARGE_NODE_VCPUS ? MAX_PODS_CEILING_LARGE : MAX_PODS_CEILING_SMALL);
}

/** The kubelet's memory eviction threshold (evictionHard memory.available) on EKS-optimised AMIs. */
export const EVICTION_HARD_MEMORY_MIB = 100;

/**
 * Memory the EKS-optimised AMI reserves for the kubelet and container runtime: 255 MiB + 11 MiB per
 * pod of the node's max pods. It grows with max pods, which is why prefix delegation, by lifting max
 * pods to 110, costs a small node over a GiB of allocatable memory.
 */
export function kubeReservedMemoryMiB(maxPodsPerNode: number): number {
    requireWholeNumber(maxPodsPerNode, "max pods");
    return 255 + 11 * maxPodsPerNode;
}

/**
 * Memory pods can request on a node of `instanceType` whose kubelet runs with `maxPodsPerNode`:
 * nominal memory less kube-reserved and the eviction threshold. Slightly optimistic, as the kernel
 * keeps some of the nominal memory.
 */
export function allocatableMemoryMiB(instanceType: string, maxPodsPerNode: number): number {
    return instanceFacts(instanceType).memoryGiB * 1024 - kubeReservedMemoryMiB(maxPodsPerNode) - EVICTION_HARD_MEMORY_MIB;
}

/** kube-reserved CPU tiers in basis points of a core: 6% of the first, 1% of the second, 0.5% of the 3rd-4th, 0.25% above. */
const CPU_RESERVATION_TIERS: readonly { readonly upToCores: number; readonly basisPoints: number }[] = [
    { upToCores: 1, basisPoints: 600 },
    { upToCores: 2, basisPoints: 100 },
    { upToCores: 4, basisPoints: 50 },
    { upToCores: Infinity, basisPoints: 25 },
];

/**
 * CPU the EKS-optimised AMI reserves for the kubelet, in millicores, by tiers of cores (see
 * CPU_RESERVATION_TIERS). Each tier is rounded down to whole millicores as the AMI's integer shell
 * arithmetic does, which only matters for an odd number of cores above four.
 */
export function kubeReservedCpuMillicores(vcpus: number): number {
    requireWholeNumber(vcpus, "vCPUs");
    let reserved = 0;
    let tierStart = 0;
    for (const tier of CPU_RESERVATION_TIERS) {
        const coresInTier = Math.max(0, Math.min(vcpus, tier.upToCores) - tierStart);
        reserved += Math.floor((coresInTier * 1000 * tier.basisPoints) / 10_000);
        tierStart = tier.upToCores;
    }
    return reserved;
}

/** CPU pods can request on a node of `instanceType`, in millicores: all of its cores less kube-reserved. */
export function allocatableCpuMillicores(instanceType: string): number {
    const { vcpus } = instanceFacts(instanceType);
    return vcpus * 1000 - kubeReservedCpuMillicores(vcpus);
}

function requireWholeNumber(value: number, what: string): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${what} must be a whole number >= 0, got ${value}`);
}

/** A managed node group as the plan sees it. */
export interface NodePool extends CniNetworking {
    /** Names the pool in errors and in the plan. */
    readonly name?: string;
    /**
     * The group's instance types. The plan sizes every node as the first one, so list the smallest
     * first (or give types of one size, as a managed node group expects) to keep the plan conservative.
     */
    readonly instanceTypes: readonly string[];
    readonly desired: number;
    readonly min: number;
    readonly max: number;
}

/** The kind of controller a workload runs under; a DaemonSet runs one pod per node, a Job counts at its peak. */
export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job";

/** A set of identical pods. Requests and limits are per pod (the sum over its containers). */
export interface Workload {
    readonly name: string;
    /** What the workload belongs to (observability, mesh, ...), for the plan's per-component totals. */
    readonly component: string;
    readonly kind: WorkloadKind;
    /** Ignored for a DaemonSet, whose pod count is the node count. */
    readonly replicas: number;
    readonly cpuRequestMillicores: number;
    readonly memoryRequestMiB: number;
    /** Absent means no limit; the plan then counts the request (see CapacityPlan.memoryLimitsMiB). */
    readonly memoryLimitMiB?: number;
}

/** One pool at the planned size. */
export interface PoolCapacity {
    readonly name?: string;
    /** The pool's first instance type, which the plan sizes every node of the pool as. */
    readonly instanceType: string;
    readonly nodes: number;
    /** The node's max pods: its pod slots. */
    readonly podSlotsPerNode: number;
    readonly allocatableCpuMillicoresPerNode: number;
    readonly allocatableMemoryMiBPerNode: number;
}

/** Demand against supply of one resource over all nodes. */
export interface ResourceUse {
    readonly requested: number;
    readonly allocatable: number;
    /** allocatable - requested; negative is the shortfall. */
    readonly free: number;
    /** free as a percentage of allocatable; negative when over; -100 when something is requested of no nodes. */
    readonly headroomPercent: number;
}

/** Requests of one component at the planned size. */
export interface ComponentUse {
    readonly pods: number;
    readonly cpuMillicores: number;
    readonly memoryMiB: number;
}

/** The result of {@link planCapacity}. */
export interface CapacityPlan {
    /** Nodes over all pools at the planned size. */
    readonly nodeCount: number;
    readonly pools: readonly PoolCapacity[];
    /** Slots every node gives to DaemonSets before any other pod. */
    readonly daemonSetPodsPerNode: number;
    /** Pod slots: requested is the total pod count (DaemonSets once per node), allocatable the slots. */
    readonly pods: ResourceUse;
    readonly cpuMillicores: ResourceUse;
    readonly memoryMiB: ResourceUse;
    /** The lowest of the three headrooms: the resource that runs out first. */
    readonly headroomPercent: number;
    /**
     * Memory the pods may grow to (the request where there is no limit, so a lower bound). Above
     * memoryMiB.allocatable, the nodes are overcommitted: pods can be OOM-killed or evicted under load.
     */
    readonly memoryLimitsMiB: number;
    readonly byComponent: Readonly<Record<string, ComponentUse>>;
    /** Pods, CPU requests and memory requests each fit at the planned size. */
    readonly fits: boolean;
    /**
     * The fewest nodes, from the pools' minimum to their maximum, at which everything fits (along the
     * scaling order of {@link planCapacity}); undefined when it does not fit even at the maximum.
     */
    readonly nodesNeededToFit: number | undefined;
}

/**
 * Whether `workloads` fit `pools`, at the pools' desired sizes or at `nodeCount` nodes in all.
 *
 * A simple aggregate model: the sum of requests against the sum of allocatable over all nodes, with
 * every DaemonSet counted once per node (so adding nodes adds DaemonSet pods and requests too). It
 * ignores bin-packing fragmentation (free CPU on one node and free memory on another may not make
 * room for one pod), node selectors, taints, topology spread and DaemonSets limited to some nodes,
 * so `fits` is necessary, not sufficient: keep some headroom on top.
 *
 * With several pools a node count is spread along a fixed scaling order that passes through the
 * desired sizes: more nodes go to the first pool below its max (like the cluster autoscaler's priority
 * expander, pools listed highest priority first), fewer come off the last pool above its min.
 * Throws for a pool with bad sizes or an unknown instance type, for a bad workload, and for a
 * `nodeCount` outside the pools' total min..max.
 */
export function planCapacity(pools: readonly NodePool[], workloads: readonly Workload[], nodeCount?: number): CapacityPlan {
    if (pools.length === 0) throw new Error("planCapacity needs at least one node pool");
    const sized = pools.map((pool, i) => sizePool(pool, i));
    workloads.forEach(validateWorkload);
    const minNodes = sum(pools.map((p) => p.min));
    const maxNodes = sum(pools.map((p) => p.max));
    const plannedNodes = nodeCount ?? sum(pools.map((p) => p.desired));
    if (!Number.isSafeInteger(plannedNodes) || plannedNodes < minNodes || plannedNodes > maxNodes) {
        throw new Error(`nodeCount must be a whole number from the pools' total min ${minNodes} to total max ${maxNodes}, got ${plannedNodes}`);
    }
    let nodesNeededToFit: number | undefined;
    for (let n = minNodes; n <= maxNodes && nodesNeededToFit === undefined; n++) {
        if (evaluate(sized, nodesPerPool(pools, n), workloads).fits) nodesNeededToFit = n;
    }
    return { ...evaluate(sized, nodesPerPool(pools, plannedNodes), workloads), nodesNeededToFit };
}

/** A pool's per-node capacity, which does not depend on how many nodes it has. */
type SizedPool = Omit<PoolCapacity, "nodes">;

function sizePool(pool: NodePool, index: number): SizedPool {
    const label = `node pool ${pool.name ?? `#${index}`}`;
    if (pool.instanceTypes.length === 0) throw new Error(`${label} has no instance types`);
    for (const [key, value] of [["min", pool.min], ["desired", pool.desired], ["max", pool.max]] as const) {
        if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${label}: ${key} must be a whole number >= 0, got ${value}`);
    }
    if (!(pool.min <= pool.desired && pool.desired <= pool.max)) {
        throw new Error(`${label} needs min <= desired <= max, got min ${pool.min}, desired ${pool.desired}, max ${pool.max}`);
    }
    const instanceType = pool.instanceTypes[0];
    const podSlotsPerNode = maxPods(instanceType, pool);
    return {
        ...(pool.name === undefined ? {} : { name: pool.name }),
        instanceType,
        podSlotsPerNode,
        allocatableCpuMillicoresPerNode: allocatableCpuMillicores(instanceType),
        allocatableMemoryMiBPerNode: allocatableMemoryMiB(instanceType, podSlotsPerNode),
    };
}

function validateWorkload(w: Workload): void {
    const label = `workload ${w.name}`;
    if (w.kind !== "DaemonSet" && (!Number.isSafeInteger(w.replicas) || w.replicas < 0)) {
        throw new Error(`${label}: replicas must be a whole number >= 0, got ${w.replicas}`);
    }
    for (const [key, value] of [["cpuRequestMillicores", w.cpuRequestMillicores], ["memoryRequestMiB", w.memoryRequestMiB], ["memoryLimitMiB", w.memoryLimitMiB ?? 0]] as const) {
        if (!Number.isFinite(value) || value < 0) throw new Error(`${label}: ${key} must be a number >= 0, got ${value}`);
    }
    // The API server rejects a pod whose limit is below its request; so does the plan.
    if (w.memoryLimitMiB !== undefined && w.memoryLimitMiB < w.memoryRequestMiB) {
        throw new Error(`${label}: memoryLimitMiB (${w.memoryLimitMiB}) is below memoryRequestMiB (${w.memoryRequestMiB})`);
    }
}

/** Spreads `total` nodes over the pools along the scaling order described on {@link planCapacity}. */
function nodesPerPool(pools: readonly NodePool[], total: number): number[] {
    const counts = pools.map((p) => p.desired);
    let change = total - sum(counts);
    for (let i = 0; i < pools.length && change > 0; i++) {
        const added = Math.min(change, pools[i].max - counts[i]);
        counts[i] += added;
        change -= added;
    }
    for (let i = pools.length - 1; i >= 0 && change < 0; i--) {
        const removed = Math.min(-change, counts[i] - pools[i].min);
        counts[i] -= removed;
        change += removed;
    }
    return counts;
}

function evaluate(sized: readonly SizedPool[], counts: readonly number[], workloads: readonly Workload[]): Omit<CapacityPlan, "nodesNeededToFit"> {
    const pools = sized.map((pool, i) => ({ ...pool, nodes: counts[i] }));
    const nodeCount = sum(counts);
    const podsOf = (w: Workload) => (w.kind === "DaemonSet" ? nodeCount : w.replicas);
    const byComponent: Record<string, ComponentUse> = {};
    for (const w of workloads) {
        const pods = podsOf(w);
        const before = byComponent[w.component] ?? { pods: 0, cpuMillicores: 0, memoryMiB: 0 };
        byComponent[w.component] = {
            pods: before.pods + pods,
            cpuMillicores: before.cpuMillicores + pods * w.cpuRequestMillicores,
            memoryMiB: before.memoryMiB + pods * w.memoryRequestMiB,
        };
    }
    const use = (requested: number, allocatable: number): ResourceUse => ({
        requested,
        allocatable,
        free: allocatable - requested,
        // On no nodes the share is undefined: all of the request is short, which reads as -100%.
        headroomPercent: allocatable > 0 ? ((allocatable - requested) / allocatable) * 100 : requested > 0 ? -100 : 0,
    });
    const pods = use(sum(workloads.map(podsOf)), sum(pools.map((p) => p.nodes * p.podSlotsPerNode)));
    const cpuMillicores = use(sum(workloads.map((w) => podsOf(w) * w.cpuRequestMillicores)), sum(pools.map((p) => p.nodes * p.allocatableCpuMillicoresPerNode)));
    const memoryMiB = use(sum(workloads.map((w) => podsOf(w) * w.memoryRequestMiB)), sum(pools.map((p) => p.nodes * p.allocatableMemoryMiBPerNode)));
    return {
        nodeCount,
        pools,
        daemonSetPodsPerNode: workloads.filter((w) => w.kind === "DaemonSet").length,
        pods,
        cpuMillicores,
        memoryMiB,
        headroomPercent: Math.min(pods.headroomPercent, cpuMillicores.headroomPercent, memoryMiB.headroomPercent),
        memoryLimitsMiB: sum(workloads.map((w) => podsOf(w) * (w.memoryLimitMiB ?? w.memoryRequestMiB))),
        byComponent,
        fits: pods.free >= 0 && cpuMillicores.free >= 0 && memoryMiB.free >= 0,
    };
}

function sum(values: readonly number[]): number {
    return values.reduce((total, v) => total + v, 0);
}
