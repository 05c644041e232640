/**
 * Loki: prod runs the simple-scalable targets (read, write, backend) on S3; dev runs one binary on
 * a local volume. Retention is the compactor's, so logs are deleted at the configured age (AU-11).
 */
import { ObservabilityConfig } from "../../config/schema";
import { durationToGoHours } from "../../lib/duration";
import { podResourcesOf, zoneSpread } from "../helm/values";
import { ROLE_ARN_ANNOTATION, withoutAwsCredentials } from "../../lib/irsa";

/** The service account every Loki pod runs as; the IRSA trust names exactly this account. */
export const LOKI_SERVICE_ACCOUNT = "loki";
/** The chart's name for the rules sidecar's container. */
const LOKI_RULES_SIDECAR = "loki-sc-rules";

export interface LokiValuesOptions {
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
    const size = loki.resources;
    const scalable = loki.deploymentMode === "SimpleScalable";
    const onS3 = loki.storage === "s3";
    if (onS3 && (opts.buckets === undefined || opts.roleArn === undefined)) throw new Error("Loki on S3 needs its buckets and IRSA role");
    const volume = { size: loki.storageSize, storageClass: opts.storageClassName };
    // Each simple-scalable target spreads over zones: with three writers and a replication factor
    // of 3, every stream has a copy in each zone, and a zone's loss leaves a quorum of two.
    const spread = (component: string) => ({ topologySpreadConstraints: zoneSpread({ "app.kubernetes.io/name": "loki", "app.kubernetes.io/component": component }) });
    // The rules sidecar beside the backend or single binary reads ConfigMaps, not the buckets: it runs without the role's credentials.
    const rulesSidecarUncredentialed = opts.roleArn ? { podAnnotations: withoutAwsCredentials([LOKI_RULES_SIDECAR]) } : {};
    return {
        fullnameOverride: "loki",
        deploymentMode: lokiDeploymentMode(config),
        serviceAccount: {
            create: true,
            name: LOKI_SERVICE_ACCOUNT,
            annotations: opts.roleArn ? { [ROLE_ARN_ANNOTATION]: opts.roleArn } : {},
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
            : { replicas: 1, resources: podResourcesOf(size.singleBinary), persistence: { enabled: true, ...volume }, ...rulesSidecarUncredentialed },
        read: { replicas: scalable ? loki.readReplicas : 0, ...(scalable ? { resources: podResourcesOf(size.read), ...spread("read") } : {}) },
        write: { replicas: scalable ? loki.writeReplicas : 0, ...(scalable ? { resources: podResourcesOf(size.write), ...spread("write"), persistence: { volumeClaimsEnabled: true, ...volume } } : {}) },
        backend: { replicas: scalable ? loki.backendReplicas : 0, ...(scalable ? {
            resources: podResourcesOf(size.backend),
            ...spread("backend"),
            // 18.x renamed the backend's switch to `enabled` and still reads the deprecated one: set both.
            persistence: { enabled: true, volumeClaimsEnabled: true, ...volume },
            ...rulesSidecarUncredentialed,
        } : {}) },
        // The gateway pod also runs an access-log exporter, which the chart leaves unsized.
        gateway: {
            enabled: true,
            replicas: loki.gatewayReplicas,
            resources: podResourcesOf(size.gateway),
            metrics: { resources: podResourcesOf(size.gatewayMetrics) },
            // The chart's budget needs a bound to render; one gateway at a time may go.
            ...(loki.gatewayReplicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 }, ...spread("gateway") } : {}),
        },
        // The rules sidecar runs beside the backend or single binary.
        sidecar: { resources: podResourcesOf(size.rulesSidecar) },
        // Object storage is slow to read back: caches pay off there. A single binary reads its own disk.
        chunksCache: { enabled: scalable, replicas: loki.cacheReplicas.chunks, allocatedMemory: loki.cacheMiB.chunks, resources: podResourcesOf(size.chunksCache) },
        resultsCache: { enabled: scalable, replicas: loki.cacheReplicas.results, allocatedMemory: loki.cacheMiB.results, resources: podResourcesOf(size.resultsCache) },
        memcachedExporter: { resources: podResourcesOf(size.memcachedExporter) },
        // The canary is a DaemonSet of synthetic log writers; the self-monitoring dashboard watches real traffic instead.
        lokiCanary: { enabled: false },
        test: { enabled: false },
        minio: { enabled: false },
        monitoring: { serviceMonitor: { enabled: true } },
    };
}

