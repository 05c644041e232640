/**
 * What runs in the cluster: every Helm release rendered by the pinned Helm with the values the
 * program sends, plus what admission and operators add on top of the render (Istio sidecars in
 * meshed namespaces, Prometheus and Alertmanager pods from their custom resources, Kafka brokers
 * from the KafkaNodePool, Trivy's scan jobs at their concurrency limit). A model remains only where
 * no chart source exists: the EKS managed add-ons. The capacity check, the pod count, the volume
 * cost and the image inventory all read this one list.
 */
import { ReleaseRequest, RenderedRelease, Manifest, clusterApiVersions, renderReleases, renderReleasesSync } from "../../lib/helm/render";
import { lockedChart } from "../../lib/helm/vendor";
import { parseCpu, parseMemory } from "../../lib/quantity";
import { Claim, Container, Workload, manifestWorkloads, modelledWorkload, podWorkload, readContainer } from "../../lib/workloads";
import { addonWorkloads } from "../cluster/addons";
import { CLOUDWATCH_ADDON, CLOUDWATCH_AGENT_SERVICE, CLOUDWATCH_NAMESPACE, cloudwatchAddonWorkloads } from "../observability/cloudwatch-addon";
import { Address, ingressAddresses, kafkaBrokerLabels, prometheusOperatorPodLabels, resolveAddresses, serviceEndpoints, ServiceEndpoint } from "../../lib/wiring";
import { CHARTS } from "./catalog";

/** A resource as the program declares it (or the engine records it): its type token and inputs. */
export interface DeclaredResource {
    readonly type: string;
    readonly inputs: Record<string, any>;
}

export const WORKLOAD_TYPES = {
    release: "kubernetes:helm.sh/v3:Release",
    namespace: "kubernetes:core/v1:Namespace",
    kafka: "kubernetes:kafka.strimzi.io/v1:Kafka",
    kafkaNodePool: "kubernetes:kafka.strimzi.io/v1:KafkaNodePool",
    addon: "aws:eks/addon:Addon",
    job: "kubernetes:batch/v1:Job",
    cluster: "aws:eks/cluster:Cluster",
} as const;

/** The chart a release installs: the last segment of a vendored path or a repository chart name. */
export function releaseChart(inputs: Record<string, any>): string {
    return String(inputs.chart).split("/").pop()!;
}

/** The platform component a chart belongs to (several charts may make one, e.g. Tempo's two). */
export function componentOf(chart: string): string {
    const source = Object.values(CHARTS).find((c) => c.chart === chart);
    if (!source) throw new Error(`Chart ${chart} is not in the catalog (components/helm/catalog.ts)`);
    return source.component;
}

/** What the program sends Helm for each release whose chart is vendored. */
export function releaseRequests(resources: readonly DeclaredResource[], kubeVersion: string): ReleaseRequest[] {
    const releases = resources.filter((r) => r.type === WORKLOAD_TYPES.release);
    const apiVersions = clusterApiVersions(releases.map((r) => releaseChart(r.inputs)));
    return releases.filter((r) => lockedChart(releaseChart(r.inputs), r.inputs.version)).map((r) => ({
        name: String(r.inputs.name),
        namespace: String(r.inputs.namespace),
        chart: releaseChart(r.inputs),
        version: String(r.inputs.version),
        values: r.inputs.values ?? {},
        kubeVersion,
        apiVersions,
    }));
}

/** The Kubernetes minor version of the engine's recorded cluster. */
export function recordedKubeVersion(resources: readonly DeclaredResource[]): string {
    const cluster = resources.find((r) => r.type === WORKLOAD_TYPES.cluster);
    if (!cluster?.inputs.version) throw new Error("The stack declares no EKS cluster with a version: nothing to render its releases against");
    return String(cluster.inputs.version);
}

/** Renders every release of a stack with a bounded pool of Helm processes, filling the cache. */
export async function prerender(resources: readonly DeclaredResource[], kubeVersion = recordedKubeVersion(resources)): Promise<void> {
    await renderReleases(releaseRequests(resources, kubeVersion));
}

export interface StackWorkloads {
    readonly workloads: readonly Workload[];
    /** Each rendered release by its name. */
    readonly renders: ReadonlyMap<string, { readonly request: ReleaseRequest; readonly rendered: RenderedRelease }>;
}

const computed = new WeakMap<readonly DeclaredResource[], StackWorkloads>();

/**
 * Everything a stack runs (see the module comment). Releases render synchronously, from the
 * cache where their content was rendered before and in parallel Helm processes otherwise; a
 * render error names the release and chart.
 */
export function stackWorkloads(resources: readonly DeclaredResource[], kubeVersion?: string): StackWorkloads {
    const known = computed.get(resources);
    if (known) return known;
    const releases = resources.some((r) => r.type === WORKLOAD_TYPES.release);
    const requests = releaseRequests(resources, kubeVersion ?? (releases ? recordedKubeVersion(resources) : ""));
    const rendered = renderReleasesSync(requests);
    const renders = new Map(requests.map((request, i) => [request.name, { request, rendered: rendered[i] }]));
    const workloads: Workload[] = [];
    for (const resource of resources) {
        if (resource.type === WORKLOAD_TYPES.release) {
            const render = renders.get(String(resource.inputs.name));
            if (render) workloads.push(...manifestWorkloads(render.request.name, componentOf(render.request.chart), render.rendered.manifests), ...operatorWorkloads(render.request.name, componentOf(render.request.chart), render.rendered.manifests));
            else throw new Error(`Release ${resource.inputs.name}: chart ${releaseChart(resource.inputs)} ${resource.inputs.version} is not vendored (npm run charts:sync)`);
        } else if (resource.type === WORKLOAD_TYPES.addon) {
            // The CloudWatch add-on runs in its own namespace; the cluster's add-ons in kube-system.
            const cloudwatch = resource.inputs.addonName === CLOUDWATCH_ADDON;
            const modelled = cloudwatch ? cloudwatchAddonWorkloads(resource.inputs) : addonWorkloads(resource.inputs);
            workloads.push(...modelled.map((m) => modelledWorkload(`eks-addon ${resource.inputs.addonName}`, "eks-addons", cloudwatch ? CLOUDWATCH_NAMESPACE : "kube-system", m)));
        } else if (resource.type === WORKLOAD_TYPES.kafkaNodePool) {
            workloads.push(kafkaBrokers(resource, resources, renders));
        } else if (resource.type === WORKLOAD_TYPES.kafka && resource.inputs.spec?.entityOperator) {
            workloads.push(kafkaEntityOperator(resource, renders));
        } else if (resource.type === WORKLOAD_TYPES.job) {
            workloads.push(declaredJob(resource));
        }
    }
    workloads.push(...trivyScanJobs(renders));
    const result = { workloads: withSidecars(workloads, resources, renders), renders };
    computed.set(resources, result);
    return result;
}

/** The value of a `--flag=value` argument of the first container. */
function argument(manifest: Manifest | undefined, flag: string): string | undefined {
    const args: string[] = manifest?.spec?.template?.spec?.containers?.[0]?.args ?? [];
    return args.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
}

/** The claim template of a Prometheus or Alertmanager spec.storage, if it asks for one. */
function storageClaim(spec: any, name: string): Claim[] {
    const template = spec?.storage?.volumeClaimTemplate;
    if (!template?.spec?.resources?.requests?.storage) return [];
    return [{ name, perPod: true, sizeMiB: parseMemory(template.spec.resources.requests.storage), ...(template.spec.storageClassName ? { storageClass: template.spec.storageClassName } : {}) }];
}

/**
 * The StatefulSets the Prometheus operator creates from the Prometheus and Alertmanager objects a
 * release renders: the server container as the object specifies it, plus the config reloader
 * sized by the operator's own arguments.
 */
function operatorWorkloads(source: string, component: string, manifests: readonly Manifest[]): Workload[] {
    const operator = manifests.find((m) => m.kind === "Deployment" && argument(m, "prometheus-config-reloader") !== undefined);
    const reloader = (): Container[] => {
        const image = argument(operator, "prometheus-config-reloader");
        if (!image) return [];
        const quantity = (flag: string, parse: (q: string) => number) => {
            const value = argument(operator, flag);
            return value === undefined || value === "0" ? undefined : parse(value);
        };
        return [{
            name: "config-reloader",
            image,
            ...optional("cpuRequestMillicores", quantity("config-reloader-cpu-request", parseCpu)),
            ...optional("memoryRequestMiB", quantity("config-reloader-memory-request", parseMemory)),
            ...optional("cpuLimitMillicores", quantity("config-reloader-cpu-limit", parseCpu)),
            ...optional("memoryLimitMiB", quantity("config-reloader-memory-limit", parseMemory)),
        }];
    };
    return manifests.filter((m) => (m.kind === "Prometheus" || m.kind === "Alertmanager") && m.apiVersion === "monitoring.coreos.com/v1").map((m) => {
        const server = m.kind === "Prometheus" ? "prometheus" : "alertmanager";
        const replicas = (m.spec.replicas ?? 1) * (m.kind === "Prometheus" ? m.spec.shards ?? 1 : 1);
        const [port, portName] = m.kind === "Prometheus" ? [9090, "web"] : [9093, "http-web"];
        // Alertmanager's replicas gossip on 9094 (the operator's "mesh-tcp" port).
        const gossip = m.kind === "Alertmanager" ? [{ name: "mesh-tcp", containerPort: 9094, protocol: "TCP" }] : [];
        // The operator labels its pods, serves on a named port, and (prometheus-operator 0.7x+) runs
        // every container it makes with no privilege escalation, no capabilities and a read-only root.
        const labels = { ...(m.spec.podMetadata?.labels ?? {}), ...prometheusOperatorPodLabels(m.kind as "Prometheus" | "Alertmanager", m.metadata.name) };
        const securityContext = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
        const template = {
            metadata: { ...(m.spec.podMetadata ?? {}), labels },
            spec: {
                ...(m.spec.securityContext ? { securityContext: m.spec.securityContext } : {}),
                // The service account the object names: the pods' mesh identity.
                ...(m.spec.serviceAccountName ? { serviceAccountName: m.spec.serviceAccountName } : {}),
                containers: [
                    { name: server, image: m.spec.image, resources: m.spec.resources, ports: [{ name: portName, containerPort: port, protocol: "TCP" }, ...gossip], readinessProbe: { httpGet: { port: portName } }, securityContext },
                    ...reloader().map((c) => ({ name: c.name, image: c.image, ports: [{ name: "reloader-web", containerPort: 8080, protocol: "TCP" }], securityContext })),
                ],
            },
        };
        const workload = podWorkload({ source, component, name: `${server}-${m.metadata.name}`, namespace: m.metadata.namespace ?? "default", kind: "StatefulSet", replicas, template, claims: storageClaim(m.spec, `${server}-${m.metadata.name}-db`), origin: "operator", selector: prometheusOperatorPodLabels(m.kind as "Prometheus" | "Alertmanager", m.metadata.name) });
        return { ...workload, containers: [workload.containers[0], ...reloader()] };
    });
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
    return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** An environment variable of the rendered Strimzi operator's Deployment: how it maps operands to images. */
function strimziOperatorEnv(variable: string, renders: StackWorkloads["renders"], wanted: string): string {
    for (const { request, rendered } of renders.values()) {
        if (request.chart !== "strimzi-kafka-operator") continue;
        for (const m of rendered.manifests.filter((x) => x.kind === "Deployment")) {
            const value = (m.spec.template.spec.containers[0].env ?? []).find((e: any) => e.name === variable)?.value as string | undefined;
            if (value) return value;
        }
    }
    throw new Error(`${wanted} is declared without a rendered Strimzi operator release that sets ${variable}`);
}

/** The image the rendered Strimzi operator runs a Kafka version with. */
function kafkaImage(kafkaVersion: string, renders: StackWorkloads["renders"]): string {
    const images = strimziOperatorEnv("STRIMZI_KAFKA_IMAGES", renders, "A KafkaNodePool");
    const image = images.split("\n").map((line) => line.trim().split("=")).find(([version]) => version === kafkaVersion)?.[1];
    if (!image) throw new Error(`The Strimzi operator has no image for Kafka ${kafkaVersion}; it supports ${images}`);
    return image;
}

/**
 * The Entity Operator Strimzi runs for a Kafka that asks for one: one pod, a container per
 * operator the spec names, with the resources the spec gives each.
 */
function kafkaEntityOperator(kafka: DeclaredResource, renders: StackWorkloads["renders"]): Workload {
    const spec = kafka.inputs.spec.entityOperator;
    const operators = [
        { key: "topicOperator", container: "topic-operator", image: "STRIMZI_DEFAULT_TOPIC_OPERATOR_IMAGE" },
        { key: "userOperator", container: "user-operator", image: "STRIMZI_DEFAULT_USER_OPERATOR_IMAGE" },
    ].filter((o) => spec[o.key]);
    const contexts = strimziSecurityContexts(renders);
    const containers = operators.map((o) => ({ name: o.container, image: spec[o.key].image ?? strimziOperatorEnv(o.image, renders, "A Kafka with an Entity Operator"), resources: spec[o.key].resources, ...contexts.container }));
    const clusterName = String(kafka.inputs.metadata?.name);
    const name = `${clusterName}-entity-operator`;
    // Strimzi labels (and selects) the Entity Operator's pod by its cluster, kind and name, and runs it as the account of that name.
    const selector = { "strimzi.io/cluster": clusterName, "strimzi.io/kind": "Kafka", "strimzi.io/name": name };
    const metadata = spec.template?.pod?.metadata ?? {};
    const template = { metadata: { ...metadata, labels: { ...(metadata.labels ?? {}), ...selector, "strimzi.io/component-type": "entity-operator" } }, spec: { ...contexts.pod, serviceAccountName: name, containers } };
    return podWorkload({ source: clusterName, component: "kafka", name, namespace: String(kafka.inputs.metadata?.namespace), kind: "Deployment", replicas: 1, template, origin: "operator", selector });
}

/**
 * A Job the program declares itself, named (as a workload and as a source) by its pod's
 * app.kubernetes.io/name label: its object name may follow a secret's digest, known only at deploy.
 */
function declaredJob(job: DeclaredResource): Workload {
    const name = job.inputs.spec?.template?.metadata?.labels?.["app.kubernetes.io/name"];
    if (typeof name !== "string") throw new Error(`Job ${job.inputs.metadata?.name}: its pod template carries no app.kubernetes.io/name label to name it by`);
    return podWorkload({ source: name, component: "grafana-database", name, namespace: String(job.inputs.metadata?.namespace), kind: "Job", replicas: job.inputs.spec.parallelism ?? 1, template: job.inputs.spec.template, origin: "declared" });
}

/** Whether the rendered Strimzi operator runs its operands with its restricted pod security provider. */
function strimziRestricted(renders: StackWorkloads["renders"]): boolean {
    return [...renders.values()].some(({ request, rendered }) => request.chart === "strimzi-kafka-operator" && rendered.manifests.some((m) => m.kind === "Deployment" &&
        (m.spec.template.spec.containers[0].env ?? []).some((e: any) => e.name === "STRIMZI_POD_SECURITY_PROVIDER_CLASS" && e.value === "restricted")));
}

/** The security contexts Strimzi gives every operand's pod and containers under its restricted provider (none otherwise). */
function strimziSecurityContexts(renders: StackWorkloads["renders"]): { pod: Record<string, unknown>; container: Record<string, unknown> } {
    if (!strimziRestricted(renders)) return { pod: {}, container: {} };
    return {
        pod: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } },
        container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } },
    };
}

/** The broker pods Strimzi runs for a KafkaNodePool, placed like a StatefulSet (a StrimziPodSet). */
function kafkaBrokers(pool: DeclaredResource, resources: readonly DeclaredResource[], renders: StackWorkloads["renders"]): Workload {
    const clusterName = pool.inputs.metadata?.labels?.["strimzi.io/cluster"];
    const kafka = resources.find((r) => r.type === WORKLOAD_TYPES.kafka && r.inputs.metadata?.name === clusterName);
    if (!kafka) throw new Error(`KafkaNodePool ${pool.inputs.metadata?.name} names Kafka cluster ${clusterName}, which the stack does not declare`);
    const spec = pool.inputs.spec ?? {};
    const storage = spec.storage ?? {};
    const volumes: any[] = storage.type === "jbod" ? storage.volumes ?? [] : [storage];
    const claims: Claim[] = volumes.filter((v) => v.type === "persistent-claim").map((v, i) => ({ name: `data-${v.id ?? i}`, perPod: true, sizeMiB: parseMemory(v.size), ...(v.class ? { storageClass: v.class } : {}) }));
    const name = `${clusterName}-${pool.inputs.metadata?.name}`;
    // Strimzi labels each broker with its cluster, kind and pool, serves each listener on a port
    // named for it, and (with the operator's restricted pod security provider) runs it restricted.
    const roles: string[] = spec.roles ?? [];
    const labels = {
        ...(spec.template?.pod?.metadata?.labels ?? {}),
        ...kafkaBrokerLabels(String(clusterName)),
        "strimzi.io/name": `${clusterName}-kafka`,
        "strimzi.io/pool-name": String(pool.inputs.metadata?.name),
        ...(roles.includes("broker") ? { "strimzi.io/broker-role": "true" } : {}),
        ...(roles.includes("controller") ? { "strimzi.io/controller-role": "true" } : {}),
    };
    const ports = [
        { name: "tcp-ctrlplane", containerPort: 9090 },
        { name: "tcp-replication", containerPort: 9091 },
        ...(kafka.inputs.spec.kafka.listeners ?? []).map((l: any) => ({ name: `tcp-${l.name}`, containerPort: l.port })),
        ...(kafka.inputs.spec.kafka.metricsConfig ? [{ name: "tcp-prometheus", containerPort: 9404 }] : []),
    ].map((p) => ({ ...p, protocol: "TCP" }));
    const contexts = strimziSecurityContexts(renders);
    const template = {
        metadata: { ...(spec.template?.pod?.metadata ?? {}), labels },
        spec: {
            ...contexts.pod,
            // Strimzi runs each pool's brokers under the cluster's <name>-kafka service account.
            serviceAccountName: `${clusterName}-kafka`,
            containers: [{ name: "kafka", image: kafkaImage(kafka.inputs.spec.kafka.version, renders), resources: spec.resources, ports, ...contexts.container }],
        },
    };
    // Strimzi selects a pool's pods by the cluster, the component and the pool.
    const selector = { ...kafkaBrokerLabels(String(clusterName)), "strimzi.io/name": `${clusterName}-kafka`, "strimzi.io/pool-name": String(pool.inputs.metadata?.name) };
    return podWorkload({ source: String(pool.inputs.metadata?.name), component: "kafka", name, namespace: String(pool.inputs.metadata?.namespace), kind: "StatefulSet", replicas: spec.replicas ?? 0, template, claims, origin: "operator", selector });
}

/**
 * Trivy's scan jobs at their peak: the operator runs at most OPERATOR_CONCURRENT_SCAN_JOBS_LIMIT
 * at once, each with the scanner image and resources of its trivy config. (The node-collector
 * jobs have no resources the chart can set, so they are not counted.)
 */
function trivyScanJobs(renders: StackWorkloads["renders"]): Workload[] {
    const jobs: Workload[] = [];
    for (const { request, rendered } of renders.values()) {
        if (request.chart !== "trivy-operator") continue;
        const data = (suffix: string) => rendered.manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name.endsWith(suffix))?.data ?? {};
        const operator = data("trivy-operator-config");
        const trivy = data("trivy-operator-trivy-config");
        const limit = Number(operator.OPERATOR_CONCURRENT_SCAN_JOBS_LIMIT ?? 0);
        if (!trivy["trivy.repository"] || limit === 0) continue;
        const resources = (kind: string) => Object.fromEntries(["cpu", "memory"].filter((q) => trivy[`trivy.resources.${kind}.${q}`]).map((q) => [q, trivy[`trivy.resources.${kind}.${q}`]]));
        // The operator builds each scan pod with the security contexts its own ConfigMap carries.
        const scanJob = data("trivy-operator");
        const context = (key: string) => (scanJob[key] ? JSON.parse(scanJob[key]) : undefined);
        const podContext = context("scanJob.podTemplatePodSecurityContext");
        const containerContext = context("scanJob.podTemplateContainerSecurityContext");
        const template = {
            metadata: { labels: { "app.kubernetes.io/managed-by": "trivy-operator", "vulnerabilityReport.scanner": "Trivy" } },
            spec: {
                ...(podContext ? { securityContext: podContext } : {}),
                containers: [{ name: "trivy", image: `${trivy["trivy.repository"]}:${trivy["trivy.tag"]}`, resources: { requests: resources("requests"), limits: resources("limits") }, ...(containerContext ? { securityContext: containerContext } : {}) }],
            },
        };
        jobs.push(podWorkload({ source: request.name, component: componentOf(request.chart), name: "scan-vulnerabilityreport", namespace: request.namespace, kind: "Job", replicas: limit, template, origin: "operator" }));
    }
    return jobs;
}

/** What istiod's injection adds to a pod, as its rendered injector values configure it. */
interface Injection {
    /** The proxy as the capacity plan counts it. */
    readonly sidecar: Container;
    /** The injected containers as they run, with the security contexts Istio's injection template gives them. */
    readonly init: Record<string, any>;
    readonly proxy: Record<string, any>;
    /** The proxy's status port, where the kubelet's HTTP probes of the app containers go once rewritten; undefined when they are not. */
    readonly rewrittenProbePort?: number;
}

/**
 * The injection, from the injector's values and the security contexts its template
 * (istiod files/injection-template.yaml) writes: without istio-cni, istio-init runs as root and
 * adds NET_ADMIN and NET_RAW to redirect the pod's traffic; with it, istio-validation runs unprivileged.
 */
function injectionOf(renders: StackWorkloads["renders"]): Injection | undefined {
    for (const { request, rendered } of renders.values()) {
        if (request.chart !== "istiod") continue;
        const injector = rendered.manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name.startsWith("istio-sidecar-injector"));
        if (!injector) throw new Error(`istiod release ${request.name} renders no istio-sidecar-injector ConfigMap`);
        const values = JSON.parse(injector.data.values);
        const global = values.global;
        // The injector appends the image variant to the tag (the ambient profile's "distroless").
        const variant = global.proxy.variant || global.variant;
        const privileged = global.proxy.privileged === true;
        const seccomp = global.proxy.seccompProfile && Object.keys(global.proxy.seccompProfile).length > 0 ? { seccompProfile: global.proxy.seccompProfile } : {};
        const cni = values.pilot?.cni?.enabled === true;
        const init = cni
            ? { name: "istio-validation", securityContext: { allowPrivilegeEscalation: privileged, privileged, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsUser: 1337, runAsNonRoot: true, ...seccomp } }
            : { name: "istio-init", securityContext: { allowPrivilegeEscalation: privileged, privileged, capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] }, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0, ...seccomp } };
        const proxy = {
            name: "istio-proxy",
            ports: [{ name: "http-envoy-prom", containerPort: 15090, protocol: "TCP" }],
            readinessProbe: { httpGet: { path: "/healthz/ready", port: 15021 } },
            securityContext: { allowPrivilegeEscalation: privileged, capabilities: { drop: ["ALL"] }, privileged, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1337, runAsGroup: 1337, ...seccomp },
        };
        const rewrite = values.sidecarInjectorWebhook?.rewriteAppHTTPProbe !== false;
        return { sidecar: readContainer({ name: "istio-proxy", image: `${global.hub}/${global.proxy.image}:${global.tag}${variant ? `-${variant}` : ""}`, resources: global.proxy.resources }), init, proxy, ...(rewrite ? { rewrittenProbePort: Number(global.proxy.statusPort ?? 15020) } : {}) };
    }
    return undefined;
}

/**
 * Adds the Istio sidecar to every pod that admission injects: pods in a namespace labelled
 * istio-injection=enabled, unless on the host network or opted out with sidecar.istio.io/inject.
 */
function withSidecars(workloads: readonly Workload[], resources: readonly DeclaredResource[], renders: StackWorkloads["renders"]): Workload[] {
    const injection = injectionOf(renders);
    const meshed = new Set(resources.filter((r) => r.type === WORKLOAD_TYPES.namespace && r.inputs.metadata?.labels?.["istio-injection"] === "enabled").map((r) => String(r.inputs.metadata.name)));
    if (!injection || meshed.size === 0) return [...workloads];
    return workloads.map((w) => {
        const optOut = w.podAnnotations["sidecar.istio.io/inject"] === "false" || w.podLabels["sidecar.istio.io/inject"] === "false";
        if (!meshed.has(w.namespace) || w.hostNetwork || optOut || w.containers.length === 0) return w;
        // The injector rewrites the app containers' HTTP probes to the proxy's status port.
        const rewritten = (c: Record<string, any>) => injection.rewrittenProbePort === undefined ? c : Object.fromEntries(Object.entries(c).map(([key, value]) =>
            [key, /Probe$/.test(key) && (value as any)?.httpGet ? { ...(value as any), httpGet: { ...(value as any).httpGet, port: injection.rewrittenProbePort } } : value]));
        const podSpec = w.podSpec && { ...w.podSpec, initContainers: [injection.init, ...(w.podSpec.initContainers ?? [])], containers: [...(w.podSpec.containers ?? []).map(rewritten), injection.proxy] };
        return { ...w, containers: [...w.containers, injection.sidecar], ...(podSpec ? { podSpec } : {}) };
    });
}
/** The Services a stack will have (rendered, or made by operators from its custom resources). */
export function stackServices(resources: readonly DeclaredResource[]): ServiceEndpoint[] {
    // The CloudWatch add-on's operator serves the agent's receivers (OTLP for X-Ray, the X-Ray daemon protocol) on one Service.
    const cloudwatchAgent = resources.some((r) => r.type === WORKLOAD_TYPES.addon && r.inputs.addonName === CLOUDWATCH_ADDON) ? [{
        namespace: CLOUDWATCH_NAMESPACE,
        name: CLOUDWATCH_AGENT_SERVICE.name,
        ports: [
            { name: "otlp-grpc", port: CLOUDWATCH_AGENT_SERVICE.otlpGrpcPort, targetPort: CLOUDWATCH_AGENT_SERVICE.otlpGrpcPort, protocol: "TCP" as const },
            { name: "otlp-http", port: CLOUDWATCH_AGENT_SERVICE.otlpHttpPort, targetPort: CLOUDWATCH_AGENT_SERVICE.otlpHttpPort, protocol: "TCP" as const },
            { name: "xray", port: CLOUDWATCH_AGENT_SERVICE.xrayPort, targetPort: CLOUDWATCH_AGENT_SERVICE.xrayPort, protocol: "UDP" as const },
        ],
        madeBy: `the EKS add-on ${CLOUDWATCH_ADDON}`,
    }] : [];
    return [...serviceEndpoints(stackWorkloads(resources).renders.values(), resources.filter((r) => r.type === WORKLOAD_TYPES.kafka)), ...cloudwatchAgent];
}

/** The wiring graph of a stack (lib/wiring.ts): every address its values and custom resources name, resolved. */
export function stackWiring(resources: readonly (DeclaredResource & { readonly name?: string })[]): Address[] {
    const sources = resources.flatMap((r) => r.type === WORKLOAD_TYPES.release
        ? [{ client: String(r.inputs.name), usedBy: `${r.inputs.name} values`, tree: r.inputs.values }]
        : r.type.startsWith("kubernetes:") && r.inputs.spec ? [{ client: String(r.name ?? r.inputs.metadata?.name), usedBy: `${r.name ?? r.inputs.metadata?.name} spec`, tree: r.inputs.spec }] : []);
    const services = stackServices(resources);
    // The Ingresses the releases render: the load balancer their class stands for dials the backends.
    return [...resolveAddresses(sources, services), ...ingressAddresses(stackWorkloads(resources).renders.values(), services)];
}
