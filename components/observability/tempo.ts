/**
 * Tempo. Prod runs tempo-distributed (Tempo 3), whose write path goes through Kafka: distributors
 * produce to a topic, live-stores serve recent traces from it and block-builders cut blocks to S3.
 * Dev runs the single-binary tempo chart on a local volume.
 */
import { ObservabilityConfig } from "../../config/schema";
import { durationToGoHours } from "../../lib/duration";
import { chartDefaults } from "../../lib/helm/vendor";
import { podResourcesOf, RUNTIME_DEFAULT_SECCOMP } from "../helm/values";
import { KAFKA_CLIENT_PASSWORD_ENV, KAFKA_SASL_CLIENT_SECRET, KAFKA_TOPICS, kafkaSaslClientSecret, tempoPartitions } from "./kafka";
import { URLS } from "./shared";
import { ROLE_ARN_ANNOTATION, withoutAwsCredentials } from "../../lib/irsa";

/** The service account Tempo's pods run as; the IRSA trust names exactly this account. */
export const TEMPO_SERVICE_ACCOUNT = "tempo";

/** The line of the chart's config template that writes the topic auto-creation partitions. */
const AUTO_CREATE_PARTITIONS_LINE = /\n *auto_create_topic_default_partitions: \{\{ \$\.Values\.ingest\.kafka\.auto_create_topic_default_partitions \}\}/;

/**
 * The chart's own Tempo config template without `auto_create_topic_default_partitions`. Tempo
 * 3.0.3 writes that value into the brokers' cluster-wide num.partitions (for every auto-created
 * topic, Mimir's included); the topic is declared instead, and the key has no business in the
 * config. Throws if a chart update moved the line, so that the edit cannot silently stop applying.
 */
export function distributedConfigTemplate(): string {
    const template = chartDefaults("tempo-distributed").config;
    if (typeof template !== "string" || !AUTO_CREATE_PARTITIONS_LINE.test(template)) {
        throw new Error("The vendored tempo-distributed chart's config template no longer writes ingest.kafka.auto_create_topic_default_partitions as expected: revisit distributedConfigTemplate");
    }
    return template.replace(AUTO_CREATE_PARTITIONS_LINE, "");
}

/**
 * The metrics generator's processors: service graphs (Grafana's service map, Kiali's trace
 * edges) and span metrics (request rate, errors and duration per service and span).
 */
export const METRICS_GENERATOR_PROCESSORS = ["service-graphs", "span-metrics"] as const;

/** Every tenant runs the generator's processors (Tempo runs one tenant here). */
const GENERATOR_OVERRIDES = { defaults: { metrics_generator: { processors: [...METRICS_GENERATOR_PROCESSORS] } } };

/**
 * Where generated series are written: Mimir's push API where Mimir runs (the metrics datasource
 * then is Mimir), Prometheus' remote-write receiver otherwise.
 */
export function metricsGeneratorRemoteWrite(mimirEnabled: boolean): string {
    return mimirEnabled ? URLS.mimirPush : URLS.prometheusRemoteWrite;
}

export interface TempoDistributedValuesOptions {
    readonly region: string;
    readonly bucket: string;
    readonly roleArn: string;
    /** The Kafka bootstrap address (host:port) the write path produces to and consumes from. */
    readonly kafkaAddress: string;
    /** Where the metrics generator remote-writes service-graph and span metrics. */
    readonly remoteWriteUrl: string;
}

/** The tempo-distributed values (prod). */
export function tempoDistributedValues(config: ObservabilityConfig, opts: TempoDistributedValuesOptions): Record<string, unknown> {
    const tempo = config.tempo;
    const size = tempo.resources;
    const replicas = tempo.replicas;
    const partitions = tempoPartitions(config);
    const receivers = new Set(tempo.receivers);
    // Only the components that talk to Kafka (TEMPO_KAFKA_COMPONENTS) get the password in their environment.
    const kafkaPassword = [{ name: KAFKA_CLIENT_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: kafkaSaslClientSecret("tempo"), key: KAFKA_SASL_CLIENT_SECRET.passwordKey } } }];
    return {
        fullnameOverride: "tempo",
        // No usage reports leave the cluster (SC-7).
        reportingEnabled: false,
        serviceAccount: { create: true, name: TEMPO_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: opts.roleArn } },
        // The topic is a KafkaTopic of the platform's; Tempo neither creates it nor touches broker configs.
        ingest: { kafka: { address: opts.kafkaAddress, topic: KAFKA_TOPICS.tempo, auto_create_topic_enabled: false } },
        config: distributedConfigTemplate(),
        // Tempo 3.0.3's Kafka client knows SASL PLAIN and no TLS (SC-8: see the README): it
        // authenticates as the KafkaUser tempo, its password expanded from the environment at start,
        // never written in values or the config map.
        // Every Tempo pod (memcached too) runs with the runtime's seccomp profile: restricted.
        tempo: { podSecurityContext: { fsGroup: 1000, seccompProfile: RUNTIME_DEFAULT_SECCOMP }, structuredConfig: { ingest: { kafka: { sasl_username: "tempo", sasl_password: `\${${KAFKA_CLIENT_PASSWORD_ENV}}` } } } },
        defaults: { extraArgs: ["-config.expand-env=true"] },
        storage: {
            trace: { backend: "s3", s3: { bucket: opts.bucket, endpoint: `s3.${opts.region}.amazonaws.com`, region: opts.region } },
        },
        // The service account's role is for object storage: the distributors (which write to Kafka)
        // and memcached run without its credentials.
        distributor: { replicas, resources: podResourcesOf(size.distributor), extraEnv: kafkaPassword, podAnnotations: withoutAwsCredentials(["distributor"]) },
        querier: { replicas, resources: podResourcesOf(size.querier) },
        queryFrontend: { replicas, resources: podResourcesOf(size.queryFrontend) },
        liveStore: { replicas: partitions, resources: podResourcesOf(size.liveStore), extraEnv: kafkaPassword },
        blockBuilder: { replicas: partitions, resources: podResourcesOf(size.blockBuilder), extraEnv: kafkaPassword },
        // The chart reads backendWorker.podDisruptionBudget.enabled above one replica without
        // defaulting it (a nil pointer otherwise); set like the other components' budgets.
        backendWorker: { replicas, resources: podResourcesOf(size.backendWorker), podDisruptionBudget: { enabled: true }, maxUnavailable: 1 },
        // It consumes the trace topic like the live-stores; one replica per partition spreads the load.
        metricsGenerator: {
            enabled: true,
            replicas: partitions,
            resources: podResourcesOf(size.metricsGenerator),
            extraEnv: kafkaPassword,
            config: { storage: { remote_write: [{ url: opts.remoteWriteUrl, send_exemplars: true }], remote_write_add_org_id_header: false } },
        },
        overrides: GENERATOR_OVERRIDES,
        backendScheduler: {
            resources: podResourcesOf(size.backendScheduler),
            // Go durations have no day unit.
            config: { provider: { compaction: { compaction: { block_retention: durationToGoHours(tempo.retention) } } } },
        },
        memcached: { replicas: tempo.memcachedReplicas, resources: podResourcesOf(size.memcached), podAnnotations: withoutAwsCredentials(["memcached"]) },
        traces: {
            otlp: { grpc: { enabled: receivers.has("otlp") }, http: { enabled: receivers.has("otlp") } },
            jaeger: {
                grpc: { enabled: receivers.has("jaeger") },
                thriftHttp: { enabled: receivers.has("jaeger") },
                thriftCompact: { enabled: receivers.has("jaeger") },
                thriftBinary: { enabled: receivers.has("jaeger") },
            },
            zipkin: { enabled: receivers.has("zipkin") },
        },
        metaMonitoring: { serviceMonitor: { enabled: true } },
    };
}

/** The receiver blocks of the single-binary chart, passed to Tempo verbatim. */
const SINGLE_RECEIVERS = {
    otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } },
    jaeger: { protocols: { grpc: { endpoint: "0.0.0.0:14250" }, thrift_http: { endpoint: "0.0.0.0:14268" }, thrift_compact: { endpoint: "0.0.0.0:6831" }, thrift_binary: { endpoint: "0.0.0.0:6832" } } },
    zipkin: { endpoint: "0.0.0.0:9411" },
} as const;

/** The receivers the single-binary chart's values.yaml turns on. */
const SINGLE_DEFAULT_RECEIVERS = new Set(["jaeger", "otlp"]);

/**
 * The `tempo.receivers` map. Helm merges it into the chart's defaults, and the chart's Service and
 * StatefulSet templates read `<receiver>.protocols.<protocol>.endpoint` of the default receivers
 * whatever the values say: deleting a default receiver with null makes them dereference nil, and
 * Helm cannot render the release. So a default receiver the config leaves out keeps its protocol
 * blocks with each endpoint nulled (no port is exposed), and {@link singleBinaryConfig} keeps it out
 * of Tempo's own config. A non-default receiver left out is simply omitted.
 */
export function singleBinaryReceivers(wanted: ReadonlySet<string>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(SINGLE_RECEIVERS).flatMap(([name, block]): [string, unknown][] => {
        if (wanted.has(name)) return [[name, block]];
        if (!SINGLE_DEFAULT_RECEIVERS.has(name)) return [];
        const protocols = Object.keys((block as { protocols: Record<string, unknown> }).protocols);
        return [[name, { protocols: Object.fromEntries(protocols.map((protocol) => [protocol, { endpoint: null }])) }]];
    }));
}

/** Where the chart's config template writes the receivers into Tempo's config. */
const RECEIVERS_IN_CONFIG = "toYaml .Values.tempo.receivers |";

/**
 * The chart's own Tempo config template with the default receivers the config leaves out omitted
 * from `distributor.receivers` (a jaeger block with empty protocols would still start the receiver
 * on its default ports), or undefined when every default receiver is wanted. Throws if a chart
 * update moved the line it edits, so that the edit cannot silently stop applying.
 */
export function singleBinaryConfig(wanted: ReadonlySet<string>): string | undefined {
    const unwanted = [...SINGLE_DEFAULT_RECEIVERS].filter((name) => !wanted.has(name)).sort();
    if (unwanted.length === 0) return undefined;
    const template = chartDefaults("tempo").config;
    if (typeof template !== "string" || !template.includes(RECEIVERS_IN_CONFIG)) {
        throw new Error(`The vendored tempo chart's config template no longer contains "${RECEIVERS_IN_CONFIG}": revisit singleBinaryConfig`);
    }
    return template.replace(RECEIVERS_IN_CONFIG, `toYaml (omit .Values.tempo.receivers ${unwanted.map((name) => JSON.stringify(name)).join(" ")}) |`);
}

export interface TempoSingleValuesOptions {
    /** The StorageClass of the local trace volume. */
    readonly storageClassName: string;
    /** Where the metrics generator remote-writes service-graph and span metrics. */
    readonly remoteWriteUrl: string;
}

/** The single-binary tempo values (dev): traces on the pod's own volume. */
export function tempoSingleValues(config: ObservabilityConfig, opts: TempoSingleValuesOptions): Record<string, unknown> {
    const tempo = config.tempo;
    if (tempo.storage !== "local") throw new Error("observability.tempo: the single binary keeps traces on its local volume (storage: local)");
    const receivers = new Set(tempo.receivers);
    return {
        fullnameOverride: "tempo",
        replicas: tempo.replicas,
        tempo: {
            retention: durationToGoHours(tempo.retention),
            resources: podResourcesOf(tempo.resources.singleBinary),
            receivers: singleBinaryReceivers(receivers),
            metricsGenerator: {
                enabled: true,
                // Its WAL beside the traces on the persistent volume, not in the image's /tmp.
                storage: { path: "/var/tempo/generator/wal", remote_write: [{ url: opts.remoteWriteUrl, send_exemplars: true }] },
            },
            overrides: GENERATOR_OVERRIDES,
            // No usage reports leave the cluster (SC-7).
            reportingEnabled: false,
            // Restricted (the chart's pod context already runs it as 10001).
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: RUNTIME_DEFAULT_SECCOMP },
        },
        persistence: { enabled: true, size: tempo.storageSize, storageClassName: opts.storageClassName },
        serviceMonitor: { enabled: true },
        ...(singleBinaryConfig(receivers) ? { config: singleBinaryConfig(receivers) } : {}),
    };
}
