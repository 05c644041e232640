/**
 * What runs in the cluster, read from Kubernetes objects: the pods each controller keeps, their
 * containers' images, requests and limits, and the volumes they claim. Pure functions of manifests;
 * components/helm/workloads.ts feeds them rendered charts and what operators and admission add.
 */
import { Manifest } from "./helm/render";
import { parseCpu, parseMemory } from "./quantity";

/** Jobs count at their peak: the pods that run at once. */
export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job";

/** One container as the pod runs it; a quantity the manifest leaves out is undefined. */
export interface Container {
    readonly name: string;
    readonly image: string;
    readonly cpuRequestMillicores?: number;
    readonly memoryRequestMiB?: number;
    readonly cpuLimitMillicores?: number;
    readonly memoryLimitMiB?: number;
}

/** A TCP port a container declares. */
export interface ContainerPort {
    readonly port: number;
    readonly name?: string;
}

/** A persistent volume claim. */
export interface Claim {
    readonly name: string;
    /** A StatefulSet's claim template (one volume per pod), or else one claim the pods share. */
    readonly perPod: boolean;
    readonly sizeMiB: number;
    /** Undefined when the claim names no class (the cluster's default class provisions it). */
    readonly storageClass?: string;
    /**
     * A claim template whose claims the StatefulSet deletes with itself (its
     * persistentVolumeClaimRetentionPolicy says whenDeleted: Delete). Otherwise a template's
     * claims outlive the StatefulSet, and so a Helm uninstall.
     */
    readonly deletedWithOwner?: boolean;
}

/** Where a workload's description comes from, strongest first. */
export type WorkloadOrigin =
    | "render" // a controller the chart renders
    | "operator" // pods an operator creates from a custom resource (Prometheus, Kafka)
    | "declared" // a Kubernetes workload the program declares itself (the database user's Job)
    | "model"; // a model of ours, only where no chart source exists (the EKS managed add-ons)

export interface Workload {
    /** The release or resource it comes from. */
    readonly source: string;
    /** What it belongs to, for per-component totals: the chart, "kafka", "eks-addons". */
    readonly component: string;
    /** The controller's name (the object's metadata.name). */
    readonly name: string;
    readonly namespace: string;
    readonly kind: WorkloadKind;
    /** Pods for a Deployment or StatefulSet, pods at once for a Job; ignored for a DaemonSet. */
    readonly replicas: number;
    /** App containers and sidecars, including ones admission injects. */
    readonly containers: readonly Container[];
    /** Init containers, which run before the app containers and so count only at their largest. */
    readonly initContainers: readonly Container[];
    /** Claims each pod of a StatefulSet gets; for other kinds, claims the workload mounts. */
    readonly claims: readonly Claim[];
    readonly origin: WorkloadOrigin;
    /** The pod template's labels and annotations, for admission (sidecar injection) decisions. */
    readonly podLabels: Readonly<Record<string, string>>;
    readonly podAnnotations: Readonly<Record<string, string>>;
    /** Pods on the node's network namespace: admission injects no sidecar into them. */
    readonly hostNetwork: boolean;
    /**
     * The labels the controller selects its pods by (spec.selector.matchLabels): stable across
     * upgrades, unlike template labels that name a chart version. Undefined where there is none.
     */
    readonly selectorLabels?: Readonly<Record<string, string>>;
    /**
     * The pod template's spec as it will run (containers with their ports, probes and security
     * contexts, including what admission injects), for the network policies and the Pod Security
     * checks; undefined for a model, which has none.
     */
    readonly podSpec?: Readonly<Record<string, any>>;
}

/** A pod's effective requests and limits, as the scheduler sees them. */
export interface PodResources {
    readonly cpuRequestMillicores: number;
    readonly memoryRequestMiB: number;
    /** Undefined when some container sets no memory limit, so the pod has none. */
    readonly memoryLimitMiB?: number;
}

const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0);

/**
 * Requests and the memory limit of one pod: the sum over its containers, or the largest init
 * container's where that is larger, as the scheduler computes them. A request left unset counts
 * as zero here; {@link unsizedContainers} names those.
 */
export function podTotals(workload: Pick<Workload, "containers" | "initContainers">): PodResources {
    const largest = (key: "cpuRequestMillicores" | "memoryRequestMiB" | "memoryLimitMiB") =>
        Math.max(sum(workload.containers.map((c) => c[key] ?? 0)), ...workload.initContainers.map((c) => c[key] ?? 0));
    const limited = workload.containers.every((c) => c.memoryLimitMiB !== undefined);
    return {
        cpuRequestMillicores: largest("cpuRequestMillicores"),
        memoryRequestMiB: largest("memoryRequestMiB"),
        ...(limited ? { memoryLimitMiB: largest("memoryLimitMiB") } : {}),
    };
}

/** The containers that set no CPU or no memory request: the scheduler cannot account for them. */
export function unsizedContainers(workload: Pick<Workload, "containers">): string[] {
    return workload.containers.filter((c) => c.cpuRequestMillicores === undefined || c.memoryRequestMiB === undefined).map((c) => c.name);
}

/** Pods a workload runs at `nodeCount` nodes: its replicas, or one per node for a DaemonSet. */
export function podsOf(workload: Pick<Workload, "kind" | "replicas">, nodeCount: number): number {
    return workload.kind === "DaemonSet" ? nodeCount : workload.replicas;
}

/** A container spec's image and resources. */
export function readContainer(spec: Record<string, any>): Container {
    const quantity = (parse: (q: string | number) => number, value: unknown) => (value === undefined || value === null ? undefined : parse(value as string));
    const requests = spec.resources?.requests ?? {};
    const limits = spec.resources?.limits ?? {};
    // Kubernetes defaults an unset request to the limit.
    const cpuRequest = requests.cpu ?? limits.cpu;
    const memoryRequest = requests.memory ?? limits.memory;
    return {
        name: String(spec.name),
        image: String(spec.image),
        ...(cpuRequest !== undefined ? { cpuRequestMillicores: quantity(parseCpu, cpuRequest) } : {}),
        ...(memoryRequest !== undefined ? { memoryRequestMiB: quantity(parseMemory, memoryRequest) } : {}),
        ...(limits.cpu !== undefined ? { cpuLimitMillicores: quantity(parseCpu, limits.cpu) } : {}),
        ...(limits.memory !== undefined ? { memoryLimitMiB: quantity(parseMemory, limits.memory) } : {}),
    };
}

/** A PersistentVolumeClaim, or a claim template (`perPod`): its size and class. */
export function readClaim(claim: Record<string, any>, perPod: boolean): Claim {
    const storage = claim.spec?.resources?.requests?.storage;
    if (storage === undefined) throw new Error(`PersistentVolumeClaim ${claim.metadata?.name} requests no storage`);
    return {
        name: String(claim.metadata?.name),
        perPod,
        sizeMiB: parseMemory(storage),
        ...(claim.spec?.storageClassName ? { storageClass: String(claim.spec.storageClassName) } : {}),
    };
}

/** Kinds that run pods, and where their pod template is. */
const POD_TEMPLATES: Readonly<Record<string, (spec: any) => any>> = {
    Deployment: (spec) => spec.template,
    StatefulSet: (spec) => spec.template,
    DaemonSet: (spec) => spec.template,
    Job: (spec) => spec.template,
    CronJob: (spec) => spec.jobTemplate?.spec?.template,
};

/** The TCP ports a workload's containers declare (what a scrape or a peer may reach), with their names; none for a model. */
export function workloadPorts(w: Workload): ContainerPort[] {
    const pod = w.podSpec ?? {};
    return [...(pod.containers ?? []), ...(pod.initContainers ?? [])].flatMap((c: any) => (c.ports ?? [])
        .filter((p: any) => (p.protocol ?? "TCP") === "TCP" && typeof p.containerPort === "number")
        .map((p: any): ContainerPort => (p.name ? { port: p.containerPort, name: p.name } : { port: p.containerPort })));
}

/** The pods' service account, their mesh identity; undefined for a model, which does not know it. */
export function serviceAccountOf(w: Workload): string | undefined {
    return w.podSpec ? w.podSpec.serviceAccountName ?? "default" : undefined;
}

/** A workload from a pod template and what runs it. */
export function podWorkload(args: { source: string; component: string; name: string; namespace: string; kind: WorkloadKind; replicas: number; template: any; claims?: readonly Claim[]; origin: WorkloadOrigin; selector?: Readonly<Record<string, string>> }): Workload {
    const pod = args.template?.spec ?? {};
    return {
        source: args.source,
        component: args.component,
        name: args.name,
        namespace: args.namespace,
        kind: args.kind,
        replicas: args.replicas,
        containers: (pod.containers ?? []).map(readContainer),
        // Init containers with restartPolicy Always are sidecars: they run beside the app containers.
        initContainers: (pod.initContainers ?? []).filter((c: any) => c.restartPolicy !== "Always").map(readContainer),
        claims: args.claims ?? [],
        origin: args.origin,
        podLabels: args.template?.metadata?.labels ?? {},
        podAnnotations: args.template?.metadata?.annotations ?? {},
        hostNetwork: pod.hostNetwork === true,
        ...(args.selector ? { selectorLabels: { ...args.selector } } : {}),
        podSpec: pod,
    };
}

/**
 * The workloads of rendered manifests: Deployments, StatefulSets (with their claim templates),
 * DaemonSets, and Jobs and CronJobs at their parallelism. Stand-alone PersistentVolumeClaims are
 * attached to the workload that mounts them, or become a claim-only entry when none does.
 */
export function manifestWorkloads(source: string, component: string, manifests: readonly Manifest[]): Workload[] {
    const claims = new Map(manifests.filter((m) => m.kind === "PersistentVolumeClaim").map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, readClaim(m, false)]));
    const mounted = new Set<string>();
    const workloads: Workload[] = [];
    for (const manifest of manifests) {
        const template = POD_TEMPLATES[manifest.kind]?.(manifest.spec ?? {});
        if (!template) continue;
        const namespace = manifest.metadata.namespace ?? "default";
        const shared = (template.spec?.volumes ?? []).flatMap((volume: any) => {
            const key = `${namespace}/${volume.persistentVolumeClaim?.claimName}`;
            const claim = claims.get(key);
            if (!claim) return [];
            mounted.add(key);
            return [claim];
        });
        const kind: WorkloadKind = manifest.kind === "CronJob" ? "Job" : (manifest.kind as WorkloadKind);
        const job = manifest.kind === "CronJob" ? manifest.spec.jobTemplate.spec : manifest.spec;
        const replicas = kind === "Job" ? job.parallelism ?? 1 : kind === "DaemonSet" ? 1 : manifest.spec.replicas ?? 1;
        const deletedWithOwner = manifest.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === "Delete";
        const templates = kind === "StatefulSet" ? (manifest.spec.volumeClaimTemplates ?? []).map((c: any) => ({ ...readClaim(c, true), ...(deletedWithOwner ? { deletedWithOwner } : {}) })) : [];
        const selector = kind === "Job" ? undefined : manifest.spec?.selector?.matchLabels;
        workloads.push(podWorkload({ source, component, name: manifest.metadata.name, namespace, kind, replicas, template, claims: [...templates, ...shared], origin: "render", ...(selector ? { selector } : {}) }));
    }
    // A claim no pod mounts is still provisioned: it stays in the plan under a workload of no pods.
    const unmounted = [...claims].filter(([key]) => !mounted.has(key)).map(([, claim]) => claim);
    if (unmounted.length > 0) {
        workloads.push({ source, component, name: "(unmounted claims)", namespace: manifests[0]?.metadata.namespace ?? "default", kind: "Deployment", replicas: 0, containers: [], initContainers: [], claims: unmounted, origin: "render", podLabels: {}, podAnnotations: {}, hostNetwork: false });
    }
    return workloads;
}

/** A workload of a model (see WorkloadOrigin): one container with its image, requests and memory limit. */
export interface ModelledWorkload {
    readonly name: string;
    readonly kind: WorkloadKind;
    readonly replicas: number;
    readonly image: string;
    readonly resources?: { readonly requests: { readonly cpu: string; readonly memory: string }; readonly limits: { readonly memory: string } };
}

/** A modelled workload as the capacity check, the pod count and the image inventory read it. */
export function modelledWorkload(source: string, component: string, namespace: string, m: ModelledWorkload): Workload {
    const container: Container = {
        name: m.name,
        image: m.image,
        ...(m.resources ? { cpuRequestMillicores: parseCpu(m.resources.requests.cpu), memoryRequestMiB: parseMemory(m.resources.requests.memory), memoryLimitMiB: parseMemory(m.resources.limits.memory) } : {}),
    };
    return { source, component, name: m.name, namespace, kind: m.kind, replicas: m.replicas, containers: [container], initContainers: [], claims: [], origin: "model", podLabels: {}, podAnnotations: {}, hostNetwork: false };
}
