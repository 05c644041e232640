/**
 * Mimir (mimir-distributed): long-term metrics on S3. In ingest-storage mode distributors write to
 * the platform's Kafka and ingesters consume from it; ingesters and store-gateways run one per
 * zone, each zone pinned to one availability zone, so losing a zone loses no data (CP-10).
 */
import { ObservabilityConfig } from "../../config/schema";
import { durationToGoHours } from "../../lib/duration";
import { PodResources, podResources, podResourcesOf } from "../helm/values";
import type { ModelledWorkload } from "../helm/workloads";
import { KAFKA_CA_FILE, KAFKA_TOPICS, KAFKA_USER_CERT, MIMIR_INGESTERS_PER_ZONE, kafkaCaVolume, kafkaUserCertVolume } from "./kafka";

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
    return {
        // Every Mimir pod gets the Kafka CA and the KafkaUser's certificate: distributors produce,
        // ingesters consume, query-frontends read offsets.
        ...(ingestStorage ? { global: { extraVolumes: [ca.volume, cert.volume], extraVolumeMounts: [ca.mount, cert.mount] } } : {}),
        fullnameOverride: "mimir",
        serviceAccount: { create: true, name: MIMIR_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": opts.roleArn } },
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
                limits: { compactor_blocks_retention_period: durationToGoHours(mimir.retention) },
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
            },
        },
        distributor: { replicas: mimir.distributorReplicas, resources: podResourcesOf(size.distributor) },
        // MIMIR_INGESTERS_PER_ZONE per zone: `replicas` is the total across zones.
        ingester: { replicas: zones.length * MIMIR_INGESTERS_PER_ZONE, resources: podResourcesOf(size.ingester), persistentVolume: volume(mimir.volumes.ingester), zoneAwareReplication },
        store_gateway: { replicas: zones.length, resources: podResourcesOf(size.storeGateway), persistentVolume: volume(), zoneAwareReplication },
        querier: { replicas: mimir.querierReplicas, resources: podResourcesOf(size.querier) },
        query_frontend: { replicas: mimir.queryFrontendReplicas, resources: podResourcesOf(size.queryFrontend) },
        query_scheduler: { replicas: mimir.querySchedulerReplicas, resources: podResourcesOf(size.queryScheduler) },
        compactor: { replicas: mimir.compactorReplicas, resources: podResourcesOf(size.compactor), persistentVolume: volume() },
        ruler: { replicas: mimir.rulerReplicas, resources: podResourcesOf(size.ruler) },
        alertmanager: { replicas: mimir.alertmanagerReplicas, resources: podResourcesOf(size.alertmanager), persistentVolume: volume() },
        // It exports per-tenant limits; with a single tenant it has nothing to say.
        overrides_exporter: { enabled: false },
        gateway: { replicas: mimir.gatewayReplicas, resources: podResourcesOf(size.gateway) },
        "results-cache": { enabled: mimir.resultsCache, replicas: mimir.cacheReplicas.results, allocatedMemory: mimir.cacheMiB.results, resources: podResourcesOf(size.resultsCache) },
        "chunks-cache": { enabled: mimir.chunksCache, replicas: mimir.cacheReplicas.chunks, allocatedMemory: mimir.cacheMiB.chunks, resources: podResourcesOf(size.chunksCache) },
        memcachedExporter: { resources: podResourcesOf(size.memcachedExporter) },
        metaMonitoring: { serviceMonitor: { enabled: true } },
    };
}

/** The chart's default zones when a values file does not redefine them. */
const DEFAULT_ZONE_COUNT = 3;
/**
 * The images mimir-distributed 6.2.0 defaults to (its values.yaml and appVersion); the subcharts'
 * tags are not recorded without their source, and the inventory says so.
 */
const MIMIR_IMAGES = {
    mimir: "docker.io/grafana/mimir:3.2.0",
    memcached: "memcached:1.6.42-alpine",
    kafka: "apache/kafka-native:4.1.0",
    minio: "quay.io/minio/minio:<default of minio chart 5.4.0>",
    rolloutOperator: "grafana/rollout-operator:<default of rollout-operator chart 0.50.1>",
} as const;

function valueAt(values: unknown, path: readonly string[]): any {
    return path.reduce<any>((node, key) => (node !== null && typeof node === "object" ? node[key] : undefined), values);
}

/** The resources a values block sets at `path`, or undefined where the chart default ({}) stays. */
function resourcesAt(values: unknown, path: readonly string[]): PodResources | undefined {
    const block = valueAt(values, path);
    const cpu = block?.requests?.cpu;
    const memory = block?.requests?.memory;
    const memoryLimit = block?.limits?.memory;
    if (typeof cpu !== "string" || typeof memory !== "string" || typeof memoryLimit !== "string") return undefined;
    return podResources(cpu, memory, memoryLimit);
}

/**
 * MODEL, not a render: mimir-distributed 6.2.0's chart source is not vendored yet (see
 * charts/lock.json `missing`), so its workloads are read from its values with the chart's defaults
 * where values leave a setting unset. A zone-aware component runs one StatefulSet per zone of
 * ceil(replicas / zones) pods; a StatefulSet's persistentVolume size becomes a claim per pod.
 * Remove once the chart is vendored and rendered like the others.
 */
export function mimirWorkloads(values: Record<string, any>): ModelledWorkload[] {
    const workloads: ModelledWorkload[] = [];
    const on = (path: string[], byDefault: boolean) => (valueAt(values, path) ?? byDefault) === true;
    const push = (name: string, kind: ModelledWorkload["kind"], replicas: number, key: string, image: string = MIMIR_IMAGES.mimir) => {
        const volume = valueAt(values, [key, "persistentVolume"]);
        const claims = kind === "StatefulSet" && volume?.enabled !== false && typeof volume?.size === "string"
            ? [{ name: "storage", size: volume.size as string, ...(volume.storageClass ? { storageClass: volume.storageClass as string } : {}) }]
            : [];
        if (replicas > 0) workloads.push({ name, kind, replicas, image, resources: resourcesAt(values, [key, "resources"]), claims });
    };
    const component = (key: string, name: string, kind: ModelledWorkload["kind"], defaultReplicas: number, zoneAwareByDefault = false) => {
        if (!on([key, "enabled"], true)) return;
        const replicas: number = valueAt(values, [key, "replicas"]) ?? defaultReplicas;
        if (on([key, "zoneAwareReplication", "enabled"], zoneAwareByDefault)) {
            const zones: { name: string }[] = valueAt(values, [key, "zoneAwareReplication", "zones"])
                ?? Array.from({ length: DEFAULT_ZONE_COUNT }, (_, i) => ({ name: `zone-${String.fromCharCode(97 + i)}` }));
            for (const zone of zones) push(`${name}-${zone.name}`, kind, Math.ceil(replicas / zones.length), key);
        } else {
            push(name, kind, replicas, key);
        }
    };
    component("alertmanager", "alertmanager", on(["alertmanager", "statefulSet", "enabled"], true) ? "StatefulSet" : "Deployment", 1);
    component("distributor", "distributor", "Deployment", 1);
    component("ingester", "ingester", "StatefulSet", 3, true);
    component("overrides_exporter", "overrides-exporter", "Deployment", 1);
    component("ruler", "ruler", "Deployment", 1);
    if (on(["ruler", "enabled"], true) && on(["ruler", "remoteEvaluationDedicatedQueryPath"], false)) {
        push("ruler-querier", "Deployment", valueAt(values, ["ruler_querier", "replicas"]) ?? 2, "ruler_querier");
        push("ruler-query-frontend", "Deployment", valueAt(values, ["ruler_query_frontend", "replicas"]) ?? 1, "ruler_query_frontend");
        push("ruler-query-scheduler", "Deployment", valueAt(values, ["ruler_query_scheduler", "replicas"]) ?? 2, "ruler_query_scheduler");
    }
    component("querier", "querier", "Deployment", 2);
    component("query_frontend", "query-frontend", "Deployment", 1);
    component("query_scheduler", "query-scheduler", "Deployment", 2);
    component("store_gateway", "store-gateway", "StatefulSet", 1, true);
    component("compactor", "compactor", "StatefulSet", 1);
    component("gateway", "gateway", "Deployment", 1);
    for (const cache of ["results-cache", "chunks-cache", "index-cache", "metadata-cache"]) {
        if (on([cache, "enabled"], false)) push(cache, "StatefulSet", valueAt(values, [cache, "replicas"]) ?? 1, cache, MIMIR_IMAGES.memcached);
    }
    if (on(["continuous_test", "enabled"], false)) push("continuous-test", "Deployment", valueAt(values, ["continuous_test", "replicas"]) ?? 1, "continuous_test");
    if (on(["kafka", "enabled"], true)) push("kafka", "StatefulSet", 1, "kafka", MIMIR_IMAGES.kafka);
    if (on(["minio", "enabled"], true)) push("minio", "Deployment", 1, "minio", MIMIR_IMAGES.minio);
    if (on(["rollout_operator", "enabled"], true)) push("rollout-operator", "Deployment", 1, "rollout_operator", MIMIR_IMAGES.rolloutOperator);
    return workloads;
}
