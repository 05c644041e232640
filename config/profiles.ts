/**
 * What a profile sets when the stack file does not: the sizes of every workload the platform runs
 * (CPU and memory requests, memory limits), memcached's cache sizes, volume sizes and the like; the
 * replica counts stack files do not list (operators, caches, the add-ons, Mimir's lesser parts);
 * and the retentions that are not a stack's headline (Kafka's records, Trivy's reports). dev's sizes
 * fit t3a.medium nodes, prod's t4g.xlarge ones. A stack file overrides any of them under the same
 * keys; what it leaves out comes from here, key by key.
 */
import { isJsonObject } from "../lib/json";
import { BackupConfig, ClusterConfig, ObservabilityConfig, OperationsConfig, Profile, SecurityConfig, UiConfig, WorkloadSize } from "./schema";

/** The keys a profile fills in, section by section and component by component. */
export interface ProfileDefaults {
    readonly cluster: {
        readonly addons: ClusterConfig["addons"];
        readonly clusterAutoscaler: Pick<ClusterConfig["clusterAutoscaler"], "resources" | "replicas">;
    };
    readonly observability: {
        readonly prometheus: Pick<ObservabilityConfig["prometheus"], "resources" | "alertmanagerReplicas">;
        readonly mimir: Pick<ObservabilityConfig["mimir"], "resources" | "cacheMiB" | "cacheReplicas" | "volumes" | "querySchedulerReplicas" | "rulerReplicas" | "compactorReplicas" | "alertmanagerReplicas">;
        readonly kafka: Pick<ObservabilityConfig["kafka"], "resources" | "brokerHeap" | "retention" | "operatorReplicas">;
        readonly loki: Pick<ObservabilityConfig["loki"], "resources" | "cacheMiB" | "cacheReplicas">;
        readonly tempo: Pick<ObservabilityConfig["tempo"], "resources" | "memcachedReplicas">;
        readonly grafana: Pick<ObservabilityConfig["grafana"], "resources">;
        readonly kiali: Pick<ObservabilityConfig["kiali"], "resources">;
        readonly alloy: ObservabilityConfig["alloy"];
    };
    readonly security: {
        readonly istio: Pick<SecurityConfig["istio"], "resources">;
        readonly trivy: Pick<SecurityConfig["trivy"], "resources" | "concurrentScans" | "reportTtl" | "operatorReplicas">;
    };
    readonly backup: { readonly velero: Pick<BackupConfig["velero"], "resources"> };
    readonly operations: {
        readonly kubecost: Pick<OperationsConfig["kubecost"], "resources" | "volumes" | "savingsProfile" | "frontendReplicas">;
        readonly headlamp: Pick<OperationsConfig["headlamp"], "resources" | "replicas">;
    };
    readonly ui: { readonly controller: UiConfig["controller"] };
}

const size = (cpu: string, memory: string, memoryLimit: string): WorkloadSize => ({ cpu, memory, memoryLimit });

/**
 * The same in every profile: what the add-ons and the autoscaler need follows the node count, not
 * the stack's shape. Two CoreDNS and two EBS CSI controllers, as EKS installs them: one may move
 * during a node drain while the other serves.
 */
const CLUSTER_DEFAULTS: ProfileDefaults["cluster"] = {
    addons: {
        resources: {
            awsNode: size("25m", "64Mi", "256Mi"),
            kubeProxy: size("50m", "64Mi", "128Mi"),
            coredns: size("100m", "70Mi", "170Mi"),
            ebsController: size("20m", "64Mi", "256Mi"),
            ebsNode: size("10m", "40Mi", "256Mi"),
        },
        corednsReplicas: 2,
        ebsControllerReplicas: 2,
    },
    clusterAutoscaler: { resources: { autoscaler: size("100m", "300Mi", "600Mi") }, replicas: 1 },
};

/**
 * Mimir's components that stack files have no key of their own for keep the chart's counts in both
 * profiles (two query schedulers, one of the rest); dev runs no Mimir.
 */
const MIMIR_REPLICAS = { querySchedulerReplicas: 2, rulerReplicas: 1, compactorReplicas: 1, alertmanagerReplicas: 1 } as const;
/**
 * Kafka is a write-ahead log here: Mimir and Tempo flush to S3 within hours, so a day of history
 * covers any replay without filling the volumes.
 */
const KAFKA_RETENTION = "24h";

/** The Topic and User Operators reconcile a handful of KafkaTopics and KafkaUsers: idle JVMs. */
const ENTITY_OPERATOR = { topicOperator: size("50m", "256Mi", "384Mi"), userOperator: size("50m", "256Mi", "384Mi") };
/** A day, as the chart has it: images are scanned again daily, against the day's vulnerability database. */
const TRIVY_REPORT_TTL = "24h";

export const PROFILE_DEFAULTS: Readonly<Record<Profile, ProfileDefaults>> = {
    dev: {
        cluster: CLUSTER_DEFAULTS,
        observability: {
            prometheus: {
                resources: {
                    operator: size("50m", "64Mi", "128Mi"),
                    prometheus: size("200m", "768Mi", "1536Mi"),
                    alertmanager: size("10m", "32Mi", "64Mi"),
                    kubeStateMetrics: size("20m", "64Mi", "128Mi"),
                    nodeExporter: size("20m", "32Mi", "64Mi"),
                    configReloader: size("10m", "16Mi", "32Mi"),
                    webhookPatch: size("10m", "32Mi", "64Mi"),
                },
                alertmanagerReplicas: 1,
            },
            mimir: {
                resources: {
                    distributor: size("50m", "128Mi", "256Mi"),
                    ingester: size("100m", "384Mi", "768Mi"),
                    querier: size("50m", "128Mi", "256Mi"),
                    queryFrontend: size("20m", "64Mi", "128Mi"),
                    queryScheduler: size("20m", "32Mi", "64Mi"),
                    storeGateway: size("50m", "128Mi", "256Mi"),
                    compactor: size("50m", "128Mi", "256Mi"),
                    ruler: size("20m", "64Mi", "128Mi"),
                    alertmanager: size("10m", "32Mi", "64Mi"),
                    gateway: size("10m", "32Mi", "64Mi"),
                    resultsCache: size("20m", "80Mi", "80Mi"),
                    chunksCache: size("20m", "160Mi", "160Mi"),
                    memcachedExporter: size("10m", "16Mi", "32Mi"),
                    rolloutOperator: size("10m", "32Mi", "64Mi"),
                },
                cacheMiB: { results: 64, chunks: 128 },
                cacheReplicas: { chunks: 1, results: 1 },
                volumes: { ingester: "5Gi" },
                ...MIMIR_REPLICAS,
            },
            kafka: {
                resources: { operator: size("100m", "256Mi", "384Mi"), broker: size("200m", "1Gi", "1Gi"), ...ENTITY_OPERATOR },
                brokerHeap: "512m",
                retention: KAFKA_RETENTION,
                operatorReplicas: 1,
            },
            loki: {
                resources: {
                    singleBinary: size("100m", "256Mi", "512Mi"),
                    read: size("100m", "256Mi", "512Mi"),
                    write: size("100m", "256Mi", "512Mi"),
                    backend: size("50m", "192Mi", "384Mi"),
                    gateway: size("10m", "32Mi", "64Mi"),
                    gatewayMetrics: size("10m", "16Mi", "32Mi"),
                    rulesSidecar: size("10m", "32Mi", "64Mi"),
                    chunksCache: size("50m", "160Mi", "160Mi"),
                    resultsCache: size("50m", "80Mi", "80Mi"),
                    memcachedExporter: size("10m", "16Mi", "32Mi"),
                },
                cacheMiB: { chunks: 128, results: 64 },
                cacheReplicas: { chunks: 1, results: 1 },
            },
            tempo: {
                resources: {
                    distributor: size("50m", "128Mi", "256Mi"),
                    querier: size("50m", "128Mi", "256Mi"),
                    queryFrontend: size("50m", "64Mi", "128Mi"),
                    liveStore: size("50m", "256Mi", "512Mi"),
                    blockBuilder: size("50m", "256Mi", "512Mi"),
                    backendScheduler: size("20m", "64Mi", "128Mi"),
                    backendWorker: size("50m", "128Mi", "256Mi"),
                    metricsGenerator: size("50m", "128Mi", "256Mi"),
                    memcached: size("20m", "80Mi", "80Mi"),
                    singleBinary: size("100m", "256Mi", "512Mi"),
                },
                memcachedReplicas: 1,
            },
            grafana: { resources: { grafana: size("50m", "128Mi", "256Mi"), sidecar: size("10m", "48Mi", "96Mi") } },
            kiali: { resources: { server: size("10m", "64Mi", "256Mi") } },
            alloy: { resources: { logs: size("50m", "128Mi", "256Mi"), events: size("20m", "64Mi", "128Mi"), reloader: size("5m", "16Mi", "32Mi") } },
        },
        security: {
            istio: { resources: { istiod: size("100m", "256Mi", "512Mi"), proxy: size("10m", "64Mi", "128Mi"), ztunnel: size("50m", "96Mi", "512Mi"), cni: size("20m", "48Mi", "256Mi") } },
            trivy: { resources: { operator: size("50m", "128Mi", "256Mi"), scanJob: size("100m", "128Mi", "512Mi") }, concurrentScans: 1, reportTtl: TRIVY_REPORT_TTL, operatorReplicas: 1 },
        },
        backup: {
            velero: {
                resources: {
                    server: size("50m", "128Mi", "256Mi"),
                    nodeAgent: size("50m", "128Mi", "512Mi"),
                    plugin: size("10m", "32Mi", "64Mi"),
                    crdJob: size("20m", "64Mi", "128Mi"),
                    maintenance: size("50m", "128Mi", "512Mi"),
                },
            },
        },
        operations: {
            kubecost: {
                resources: {
                    finopsAgent: size("100m", "256Mi", "512Mi"),
                    aggregator: size("100m", "1Gi", "2Gi"),
                    localStore: size("20m", "64Mi", "256Mi"),
                    frontend: size("10m", "32Mi", "128Mi"),
                },
                volumes: { aggregatorDb: "8Gi", localStore: "4Gi" },
                savingsProfile: "development",
                frontendReplicas: 1,
            },
            headlamp: { resources: { server: size("20m", "64Mi", "128Mi") }, replicas: 1 },
        },
        ui: { controller: { resources: { controller: size("50m", "128Mi", "256Mi") }, replicas: 1 } },
    },
    prod: {
        cluster: CLUSTER_DEFAULTS,
        observability: {
            prometheus: {
                resources: {
                    operator: size("100m", "128Mi", "256Mi"),
                    prometheus: size("500m", "2Gi", "4Gi"),
                    alertmanager: size("20m", "64Mi", "128Mi"),
                    kubeStateMetrics: size("50m", "128Mi", "256Mi"),
                    nodeExporter: size("50m", "48Mi", "96Mi"),
                    configReloader: size("10m", "32Mi", "64Mi"),
                    webhookPatch: size("10m", "32Mi", "64Mi"),
                },
                // Two Alertmanagers gossip (the operator peers them): an alert is still sent once, and a node or zone may go.
                alertmanagerReplicas: 2,
            },
            mimir: {
                resources: {
                    distributor: size("100m", "256Mi", "512Mi"),
                    ingester: size("200m", "1Gi", "2Gi"),
                    querier: size("100m", "256Mi", "512Mi"),
                    queryFrontend: size("50m", "128Mi", "256Mi"),
                    queryScheduler: size("20m", "64Mi", "128Mi"),
                    storeGateway: size("100m", "256Mi", "512Mi"),
                    compactor: size("100m", "256Mi", "512Mi"),
                    ruler: size("50m", "128Mi", "256Mi"),
                    alertmanager: size("20m", "64Mi", "128Mi"),
                    gateway: size("20m", "48Mi", "96Mi"),
                    // memcached needs its cache (cacheMiB) plus connection overhead.
                    resultsCache: size("50m", "320Mi", "320Mi"),
                    chunksCache: size("100m", "640Mi", "640Mi"),
                    memcachedExporter: size("10m", "24Mi", "48Mi"),
                    rolloutOperator: size("20m", "64Mi", "128Mi"),
                },
                cacheMiB: { results: 256, chunks: 512 },
                cacheReplicas: { chunks: 1, results: 1 },
                volumes: { ingester: "20Gi" },
                ...MIMIR_REPLICAS,
            },
            kafka: {
                // The operator reconciles on change and every two minutes: mostly idle.
                resources: { operator: size("100m", "384Mi", "512Mi"), broker: size("250m", "1536Mi", "2Gi"), ...ENTITY_OPERATOR },
                brokerHeap: "1g",
                retention: KAFKA_RETENTION,
                operatorReplicas: 1,
            },
            loki: {
                resources: {
                    singleBinary: size("250m", "1Gi", "2Gi"),
                    read: size("200m", "512Mi", "1Gi"),
                    write: size("200m", "768Mi", "1536Mi"),
                    backend: size("100m", "384Mi", "768Mi"),
                    gateway: size("20m", "48Mi", "96Mi"),
                    gatewayMetrics: size("10m", "24Mi", "48Mi"),
                    rulesSidecar: size("10m", "48Mi", "96Mi"),
                    chunksCache: size("100m", "640Mi", "640Mi"),
                    resultsCache: size("50m", "160Mi", "160Mi"),
                    memcachedExporter: size("10m", "24Mi", "48Mi"),
                },
                cacheMiB: { chunks: 512, results: 128 },
                cacheReplicas: { chunks: 1, results: 1 },
            },
            tempo: {
                resources: {
                    distributor: size("100m", "256Mi", "512Mi"),
                    querier: size("100m", "384Mi", "768Mi"),
                    queryFrontend: size("50m", "128Mi", "256Mi"),
                    liveStore: size("100m", "512Mi", "1Gi"),
                    blockBuilder: size("100m", "384Mi", "768Mi"),
                    backendScheduler: size("20m", "64Mi", "128Mi"),
                    backendWorker: size("100m", "256Mi", "512Mi"),
                    metricsGenerator: size("50m", "256Mi", "512Mi"),
                    memcached: size("50m", "160Mi", "160Mi"),
                    singleBinary: size("250m", "1Gi", "2Gi"),
                },
                memcachedReplicas: 1,
            },
            grafana: { resources: { grafana: size("100m", "256Mi", "512Mi"), sidecar: size("20m", "64Mi", "128Mi") } },
            kiali: { resources: { server: size("50m", "128Mi", "512Mi") } },
            // CPU is requested for steady tailing; with no CPU limit a burst (a noisy pod) borrows idle cycles.
            alloy: { resources: { logs: size("50m", "192Mi", "384Mi"), events: size("25m", "96Mi", "192Mi"), reloader: size("5m", "24Mi", "48Mi") } },
        },
        security: {
            istio: { resources: { istiod: size("250m", "512Mi", "1Gi"), proxy: size("50m", "128Mi", "256Mi"), ztunnel: size("50m", "96Mi", "512Mi"), cni: size("20m", "48Mi", "256Mi") } },
            trivy: { resources: { operator: size("100m", "256Mi", "512Mi"), scanJob: size("100m", "256Mi", "1Gi") }, concurrentScans: 3, reportTtl: TRIVY_REPORT_TTL, operatorReplicas: 1 },
        },
        backup: {
            velero: {
                // The node agent and maintenance jobs hold Kopia's index and upload buffers in memory.
                resources: {
                    server: size("100m", "256Mi", "512Mi"),
                    nodeAgent: size("100m", "256Mi", "1Gi"),
                    plugin: size("10m", "32Mi", "64Mi"),
                    crdJob: size("50m", "64Mi", "256Mi"),
                    maintenance: size("100m", "256Mi", "1Gi"),
                },
            },
        },
        operations: {
            kubecost: {
                // The chart's defaults assume 10 nodes and 500 pods; these fit the platform's few nodes.
                resources: {
                    finopsAgent: size("200m", "512Mi", "1Gi"),
                    aggregator: size("200m", "2Gi", "3Gi"),
                    localStore: size("50m", "128Mi", "512Mi"),
                    frontend: size("10m", "64Mi", "256Mi"),
                },
                volumes: { aggregatorDb: "32Gi", localStore: "16Gi" },
                savingsProfile: "production",
                frontendReplicas: 1,
            },
            headlamp: { resources: { server: size("50m", "128Mi", "256Mi") }, replicas: 1 },
        },
        // One controller: the ALB serves on without it; only Ingress changes wait while it restarts.
        ui: { controller: { resources: { controller: size("50m", "128Mi", "256Mi") }, replicas: 1 } },
    },
};

/** Components the profile fills in whole (no switch or other key of the stack's own): a stack file may leave them out. */
const PROFILE_ONLY = new Set(["cluster.addons", "observability.alloy", "ui.controller"]);

/**
 * The stack file's config with the profile's defaults filled in. Merging goes key by key down to
 * each number: a workload given only `memory` keeps the profile's `cpu` and `memoryLimit`, and
 * every workload or count it does not name keeps the profile's. A value the stack file sets always
 * stands as written (the schema judges it). Sections and components the stack file lacks are not
 * made up (their own error says they are missing), except those the profile fills in whole.
 */
export function withProfileValues(raw: Record<string, unknown>, profile: Profile): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...raw };
    for (const [section, components] of Object.entries(PROFILE_DEFAULTS[profile])) {
        const given = raw[section];
        if (!isJsonObject(given)) continue;
        const filled: Record<string, unknown> = { ...given };
        for (const [component, defaults] of Object.entries(components as Record<string, object>)) {
            const own = given[component];
            if (own === undefined ? PROFILE_ONLY.has(`${section}.${component}`) : isJsonObject(own)) filled[component] = fillIn(defaults, isJsonObject(own) ? own : {});
        }
        merged[section] = filled;
    }
    return merged;
}

function fillIn(defaults: object, given: Record<string, unknown>): Record<string, unknown> {
    const filled: Record<string, unknown> = { ...given };
    for (const [key, value] of Object.entries(defaults)) {
        const own = given[key];
        if (own === undefined) filled[key] = structuredClone(value);
        else if (isJsonObject(value) && isJsonObject(own)) filled[key] = fillIn(value, own);
    }
    return filled;
}

/**
 * Whether a config key is one a profile fills in (so that a value found there may be the
 * profile's, not the stack file's): a key inside a component, or a component the profile fills in
 * whole. Sections and other components are the stack file's own.
 */
export function isProfileDefault(path: readonly (string | number)[]): boolean {
    let node: unknown = PROFILE_DEFAULTS.dev;
    for (const key of path) node = isJsonObject(node) ? node[String(key)] : undefined;
    return node !== undefined && (path.length > 2 || PROFILE_ONLY.has(path.join(".")));
}
