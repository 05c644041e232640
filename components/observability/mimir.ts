/**
 * Mimir (mimir-distributed): long-term metrics on S3. In ingest-storage mode distributors write to
 * the platform's Kafka and ingesters consume from it; ingesters and store-gateways run one per
 * zone, each zone pinned to one availability zone, so losing a zone loses no data (CP-10).
 */
import { ObservabilityConfig } from "../../config/schema";
import { durationToGoHours } from "../../lib/duration";
import { Workload } from "../../lib/workloads";
import { CHARTS } from "../helm/catalog";
import { podResourcesOf } from "../helm/values";
import { KAFKA_CA_FILE, KAFKA_TOPICS, KAFKA_USER_CERT, MIMIR_INGESTERS_PER_ZONE, kafkaCaVolume, kafkaUserCertVolume } from "./kafka";
import { HA_LABELS } from "./shared";
import { ROLE_ARN_ANNOTATION, withoutAwsCredentials } from "../../lib/irsa";

/** The service account every Mimir pod runs as; the IRSA trust names exactly this account. */
export const MIMIR_SERVICE_ACCOUNT = "mimir";

export interface MimirBuckets {
    readonly blocks: string;
    readonly ruler: string;
    readonly alertmanager: string;
}

export interface MimirValuesOptions {
    readonly region: string;
    readonly buckets: MimirBuckets;
    readonly roleArn: string;
    /** The availability zones nodes run in, in order; ingester zone i is pinned to zone i. */
    readonly availabilityZones: readonly string[];
    /** The StorageClass of ingester, store-gateway, compactor and alertmanager volumes. */
    readonly storageClassName: string;
    /** The Kafka bootstrap address (host:port); required in ingest-storage mode. */
    readonly kafkaAddress?: string;
}

/** mimir-distributed refuses zone-aware store-gateways over fewer zones than this. */
const MIN_STORE_GATEWAY_ZONES = 3;
/** The containers of the chart's memcached pods: memcached and its metrics exporter. */
const MEMCACHED_CONTAINERS = ["memcached", "exporter"];

/** Mimir's zones: `zone-a`, `zone-b`, ... each pinned by node selector to one availability zone. */
export function mimirZones(config: ObservabilityConfig, availabilityZones: readonly string[]): { name: string; availabilityZone: string }[] {
    const count = config.mimir.ingesterZones;
    if (availabilityZones.length < count) {
        throw new Error(`observability.mimir.ingesterZones is ${count}, but nodes run in only ${availabilityZones.length} zone(s) (${availabilityZones.join(", ")}): pods pinned to a zone without nodes would never schedule`);
    }
    return availabilityZones.slice(0, count).map((availabilityZone, i) => ({ name: `zone-${String.fromCharCode(97 + i)}`, availabilityZone }));
}

/**
 * What the classic (Kafka-less) architecture changes: the chart's preset
 * classic-architecture.yaml, which removes the ingest-storage settings its base config writes.
 */
const CLASSIC_ARCHITECTURE = {
    ingest_storage: { enabled: false, kafka: { address: null, topic: null, auto_create_topic_default_partitions: null } },
    distributor: { remote_timeout: null },
    ingester: { push_grpc_method_enabled: null },
};

/** The mimir-distributed values for one stack. */
export function mimirValues(config: ObservabilityConfig, opts: MimirValuesOptions): Record<string, unknown> {
    const mimir = config.mimir;
    const size = mimir.resources;
    const ingestStorage = mimir.architecture === "ingest-storage";
    if (ingestStorage && !opts.kafkaAddress) throw new Error("Mimir in ingest-storage mode needs a Kafka address");
    const zones = mimirZones(config, opts.availabilityZones);
    const zoneAware = zones.length > 1;
    const zoneAwareReplication = zoneAware
        ? { enabled: true, zones: zones.map((z) => ({ name: z.name, nodeSelector: { "topology.kubernetes.io/zone": z.availabilityZone } })) }
        : { enabled: false };
    const volume = (sizeOf?: string) => ({ storageClass: opts.storageClassName, ...(sizeOf ? { size: sizeOf } : {}) });
    const ca = kafkaCaVolume();
    const cert = kafkaUserCertVolume("mimir");
    return withZoneSpreads({
        // Every Mimir pod gets the Kafka CA and the KafkaUser's certificate: distributors produce,
        // ingesters consume, query-frontends read offsets.
        ...(ingestStorage ? { global: { extraVolumes: [ca.volume, cert.volume], extraVolumeMounts: [ca.mount, cert.mount] } } : {}),
        fullnameOverride: "mimir",
        serviceAccount: { create: true, name: MIMIR_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: opts.roleArn } },
        // Object storage is S3 and Kafka is the platform's Strimzi cluster: the bundled demo MinIO
        // (with its fixed password) and single-broker Kafka stay off.
        minio: { enabled: false },
        kafka: { enabled: false },
        // The rollout operator sequences zone-by-zone restarts; without zones there is nothing to sequence.
        rollout_operator: { enabled: zoneAware, resources: podResourcesOf(size.rolloutOperator) },
        mimir: {
            structuredConfig: {
                // One tenant ("anonymous"): Prometheus and Grafana need no X-Scope-OrgID header.
                multitenancy_enabled: false,
                // No usage reports leave the cluster (SC-7).
                usage_stats: { enabled: false },
                common: { storage: { backend: "s3", s3: { endpoint: `s3.${opts.region}.amazonaws.com`, region: opts.region } } },
                blocks_storage: { s3: { bucket_name: opts.buckets.blocks } },
                ruler_storage: { s3: { bucket_name: opts.buckets.ruler } },
                alertmanager_storage: { s3: { bucket_name: opts.buckets.alertmanager } },
                limits: { compactor_blocks_retention_period: durationToGoHours(mimir.retention), ...HA_DEDUPLICATION.limits },
                // Kafka is reached over TLS (SC-8), verifying the listener against the platform's Kafka
                // CA and presenting the KafkaUser mimir's certificate (IA-3). The topic is a KafkaTopic
                // of the platform's: Mimir does not create it.
                ...(ingestStorage ? {
                    ingest_storage: {
                        kafka: {
                            address: opts.kafkaAddress,
                            topic: KAFKA_TOPICS.mimir,
                            auto_create_topic_enabled: false,
                            tls_enabled: true,
                            tls_ca_path: KAFKA_CA_FILE,
                            tls_cert_path: `${KAFKA_USER_CERT.mountPath}/${KAFKA_USER_CERT.certificate}`,
                            tls_key_path: `${KAFKA_USER_CERT.mountPath}/${KAFKA_USER_CERT.key}`,
                        },
                    },
                } : CLASSIC_ARCHITECTURE),
                distributor: { ...(ingestStorage ? {} : CLASSIC_ARCHITECTURE.distributor), ...HA_DEDUPLICATION.distributor },
            },
        },
        // The service account's role is for object storage: the components that never read or write
        // it (distributors, the query scheduler, the gateway, the caches) run without its credentials.
        distributor: { replicas: mimir.distributorReplicas, resources: podResourcesOf(size.distributor), podAnnotations: withoutAwsCredentials(["distributor"]) },
        // MIMIR_INGESTERS_PER_ZONE per zone: `replicas` is the total across zones.
        ingester: { replicas: zones.length * MIMIR_INGESTERS_PER_ZONE, resources: podResourcesOf(size.ingester), persistentVolume: volume(mimir.volumes.ingester), zoneAwareReplication },
        // The chart takes two zones for ingesters in ingest-storage mode, but at least three for
        // store-gateways: with fewer, they run one per zone without zone pinning (spread over nodes).
        store_gateway: { replicas: zones.length, resources: podResourcesOf(size.storeGateway), persistentVolume: volume(), zoneAwareReplication: zones.length >= MIN_STORE_GATEWAY_ZONES ? zoneAwareReplication : { enabled: false } },
        querier: { replicas: mimir.querierReplicas, resources: podResourcesOf(size.querier) },
        query_frontend: { replicas: mimir.queryFrontendReplicas, resources: podResourcesOf(size.queryFrontend) },
        query_scheduler: { replicas: mimir.querySchedulerReplicas, resources: podResourcesOf(size.queryScheduler), podAnnotations: withoutAwsCredentials(["query-scheduler"]) },
        compactor: { replicas: mimir.compactorReplicas, resources: podResourcesOf(size.compactor), persistentVolume: volume() },
        ruler: { replicas: mimir.rulerReplicas, resources: podResourcesOf(size.ruler) },
        alertmanager: { replicas: mimir.alertmanagerReplicas, resources: podResourcesOf(size.alertmanager), persistentVolume: volume() },
        // It exports per-tenant limits; with a single tenant it has nothing to say.
        overrides_exporter: { enabled: false },
        gateway: { replicas: mimir.gatewayReplicas, resources: podResourcesOf(size.gateway), podAnnotations: withoutAwsCredentials(["gateway"]) },
        "results-cache": { enabled: mimir.resultsCache, replicas: mimir.cacheReplicas.results, allocatedMemory: mimir.cacheMiB.results, resources: podResourcesOf(size.resultsCache), podAnnotations: withoutAwsCredentials(MEMCACHED_CONTAINERS) },
        "chunks-cache": { enabled: mimir.chunksCache, replicas: mimir.cacheReplicas.chunks, allocatedMemory: mimir.cacheMiB.chunks, resources: podResourcesOf(size.chunksCache), podAnnotations: withoutAwsCredentials(MEMCACHED_CONTAINERS) },
        memcachedExporter: { resources: podResourcesOf(size.memcachedExporter) },
        metaMonitoring: { serviceMonitor: { enabled: true } },
    });
}

/**
 * Mimir's HA deduplication (keys of Mimir 3.2.0's distributor.ha_tracker and limits): Prometheus
 * runs several replicas that send the same series with their own `__replica__` label; the
 * distributors elect one replica per `cluster` in the HA tracker, whose store is memberlist (the
 * ring Mimir already gossips, the default and stable HA-tracker store since Mimir 3.0), accept
 * only its samples, switch to another replica when it stops sending, and drop the replica label,
 * so that two replicas do not double the samples.
 */
export const HA_DEDUPLICATION = {
    distributor: { ha_tracker: { enable_ha_tracker: true, kvstore: { store: "memberlist" } } },
    limits: { accept_ha_samples: true, ha_cluster_label: HA_LABELS.cluster, ha_replica_label: HA_LABELS.replica },
} as const;

/** Mimir's replicated Deployments (the zone-aware StatefulSets keep one pod per zone already). */
const SPREAD_COMPONENTS = ["distributor", "querier", "query_frontend", "query_scheduler", "gateway", "ruler", "compactor", "alertmanager"] as const;

/**
 * Spreads each of Mimir's components over zones rather than hosts (the chart's default), so that
 * two distributors or queriers never share a zone; the chart adds each component's own selector.
 */
function withZoneSpreads(values: Record<string, any>): Record<string, unknown> {
    const spread = { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" };
    return { ...values, ...Object.fromEntries(SPREAD_COMPONENTS.map((c) => [c, { ...values[c], topologySpreadConstraints: spread }])) };
}

/**
 * The config error for rendered Mimir containers that run without CPU and memory requests or
 * without a memory limit, or undefined when every one is sized. Mimir's ingesters and caches grow
 * until the node runs out of memory unless a limit stops them, and every part has its size in
 * observability.mimir.resources, so an unsized container is a values builder that missed one.
 */
export function unsizedMimirContainers(workloads: readonly Workload[]): string | undefined {
    const unsized = workloads.filter((w) => w.component === CHARTS.mimir.component).flatMap((w) =>
        [...w.initContainers, ...w.containers].filter((c) => c.cpuRequestMillicores === undefined || c.memoryRequestMiB === undefined || c.memoryLimitMiB === undefined).map((c) => `${w.kind} ${w.name} container ${c.name}`));
    if (unsized.length === 0) return undefined;
    return `observability.mimir.resources: the rendered ${CHARTS.mimir.chart} ${CHARTS.mimir.version} runs ${unsized.join(", ")} without CPU and memory requests and a memory limit; allowed: every Mimir container sized from observability.mimir.resources`;
}
