/**
 * Loki: prod runs the simple-scalable targets (read, write, backend) on S3; dev runs one binary on
 * a local volume. Retention is the compactor's, so logs are deleted at the configured age (AU-11).
 */
import { ObservabilityConfig } from "../../config/schema";
import { durationToGoHours } from "../../lib/duration";
import { PodResources, podResources } from "../helm/values";
import { SizeProfile } from "./shared";

/** The service account every Loki pod runs as; the IRSA trust names exactly this account. */
export const LOKI_SERVICE_ACCOUNT = "loki";

type LokiPart = "singleBinary" | "read" | "write" | "backend" | "gateway" | "gatewayMetrics" | "rulesSidecar" | "chunksCache" | "resultsCache" | "memcachedExporter";
const SIZES: Record<SizeProfile, Record<LokiPart, PodResources>> = {
    dev: {
        singleBinary: podResources("100m", "256Mi", "512Mi"),
        read: podResources("100m", "256Mi", "512Mi"),
        write: podResources("100m", "256Mi", "512Mi"),
        backend: podResources("50m", "192Mi", "384Mi"),
        gateway: podResources("10m", "32Mi", "64Mi"),
        gatewayMetrics: podResources("10m", "16Mi", "32Mi"),
        rulesSidecar: podResources("10m", "32Mi", "64Mi"),
        chunksCache: podResources("50m", "160Mi", "160Mi"),
        resultsCache: podResources("50m", "80Mi", "80Mi"),
        memcachedExporter: podResources("10m", "16Mi", "32Mi"),
    },
    prod: {
        singleBinary: podResources("250m", "1Gi", "2Gi"),
        read: podResources("200m", "512Mi", "1Gi"),
        write: podResources("200m", "768Mi", "1536Mi"),
        backend: podResources("100m", "384Mi", "768Mi"),
        gateway: podResources("20m", "48Mi", "96Mi"),
        gatewayMetrics: podResources("10m", "24Mi", "48Mi"),
        rulesSidecar: podResources("10m", "48Mi", "96Mi"),
        // memcached needs its cache size (allocatedMemory) plus connection overhead.
        chunksCache: podResources("100m", "640Mi", "640Mi"),
        resultsCache: podResources("50m", "160Mi", "160Mi"),
        memcachedExporter: podResources("10m", "24Mi", "48Mi"),
    },
};
/** memcached's own cache size, in MB, inside the memory above. */
const CACHE_MB: Record<SizeProfile, { chunks: number; results: number }> = { dev: { chunks: 128, results: 64 }, prod: { chunks: 512, results: 128 } };

export interface LokiValuesOptions {
    readonly profile: SizeProfile;
    readonly region: string;
    /** The StorageClass of the write, backend and single-binary volumes. */
    readonly storageClassName: string;
    /** The chunk and ruler buckets; undefined on filesystem storage. */
    readonly buckets?: { readonly chunks: string; readonly ruler: string };
    /** The IRSA role for the Loki service account; undefined on filesystem storage. */
    readonly roleArn?: string;
}

/**
 * Loki 18 calls a single binary `Monolithic`; `SingleBinary` is only its deprecated alias, so the
 * config's SingleBinary is written under the current name. SimpleScalable is deprecated too, but
 * the spec asks for it and the chart still supports it.
 */
export function lokiDeploymentMode(config: ObservabilityConfig): "Monolithic" | "SimpleScalable" {
    return config.loki.deploymentMode === "SingleBinary" ? "Monolithic" : "SimpleScalable";
}

/**
 * Replication across writers: 3 needs 3 writers. With 2, a factor of 2 would need both for every
 * push (quorum 2 of 2) and so halve write availability; a factor of 1 keeps any writer able to
 * accept, and the write-ahead log on each writer's volume keeps acknowledged lines.
 */
export function lokiReplicationFactor(config: ObservabilityConfig): number {
    return config.loki.deploymentMode === "SimpleScalable" && config.loki.writeReplicas >= 3 ? 3 : 1;
}

/** The loki chart values for one stack. */
export function lokiValues(config: ObservabilityConfig, opts: LokiValuesOptions): Record<string, unknown> {
    const loki = config.loki;
    const size = SIZES[opts.profile];
    const scalable = loki.deploymentMode === "SimpleScalable";
    const onS3 = loki.storage === "s3";
    if (onS3 && (opts.buckets === undefined || opts.roleArn === undefined)) throw new Error("Loki on S3 needs its buckets and IRSA role");
    const volume = { size: loki.storageSize, storageClass: opts.storageClassName };
    return {
        fullnameOverride: "loki",
        deploymentMode: lokiDeploymentMode(config),
        serviceAccount: {
            create: true,
            name: LOKI_SERVICE_ACCOUNT,
            annotations: opts.roleArn ? { "eks.amazonaws.com/role-arn": opts.roleArn } : {},
        },
        loki: {
            // One tenant: Grafana and collectors need no X-Scope-OrgID header.
            auth_enabled: false,
            commonConfig: { replication_factor: lokiReplicationFactor(config) },
            schemaConfig: {
                configs: [{
                    from: "2024-04-01",
                    store: "tsdb",
                    object_store: onS3 ? "s3" : "filesystem",
                    schema: "v13",
                    index: { prefix: "index_", period: "24h" },
                }],
            },
            storage: onS3
                ? { type: "s3", bucketNames: { chunks: opts.buckets!.chunks, ruler: opts.buckets!.ruler }, s3: { region: opts.region } }
                : { type: "filesystem" },
            limits_config: { retention_period: durationToGoHours(loki.retention) },
            compactor: { retention_enabled: true, delete_request_store: onS3 ? "s3" : "filesystem" },
            // No usage reports leave the cluster (SC-7).
            analytics: { reporting_enabled: false },
        },
        singleBinary: scalable
            ? { replicas: 0 }
            : { replicas: 1, resources: size.singleBinary, persistence: { enabled: true, ...volume } },
        read: { replicas: scalable ? loki.readReplicas : 0, ...(scalable ? { resources: size.read } : {}) },
        write: { replicas: scalable ? loki.writeReplicas : 0, ...(scalable ? { resources: size.write, persistence: { volumeClaimsEnabled: true, ...volume } } : {}) },
        backend: { replicas: scalable ? loki.backendReplicas : 0, ...(scalable ? {
            resources: size.backend,
            // 18.x renamed the backend's switch to `enabled` and still reads the deprecated one: set both.
            persistence: { enabled: true, volumeClaimsEnabled: true, ...volume },
        } : {}) },
        // The gateway pod also runs an access-log exporter, which the chart leaves unsized.
        gateway: { enabled: true, replicas: loki.gatewayReplicas, resources: size.gateway, metrics: { resources: size.gatewayMetrics } },
        // The rules sidecar runs beside the backend or single binary.
        sidecar: { resources: size.rulesSidecar },
        // Object storage is slow to read back: caches pay off there. A single binary reads its own disk.
        chunksCache: { enabled: scalable, allocatedMemory: CACHE_MB[opts.profile].chunks, resources: size.chunksCache },
        resultsCache: { enabled: scalable, allocatedMemory: CACHE_MB[opts.profile].results, resources: size.resultsCache },
        memcachedExporter: { resources: size.memcachedExporter },
        // The canary is a DaemonSet of synthetic log writers; the self-monitoring dashboard watches real traffic instead.
        lokiCanary: { enabled: false },
        test: { enabled: false },
        minio: { enabled: false },
        monitoring: { serviceMonitor: { enabled: true } },
    };
}

