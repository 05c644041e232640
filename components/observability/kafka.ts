/**
 * The Kafka that Mimir and Tempo write through: the Strimzi operator from its chart, and the
 * cluster itself as `Kafka` and `KafkaNodePool` custom resources (API kafka.strimzi.io/v1, KRaft),
 * so that policies can read replication, storage and placement from the objects themselves.
 */
import { ObservabilityConfig } from "../../config/schema";
import { PodResources, podResources } from "../helm/values";
import { KAFKA_NAMESPACE, MONITORING_NAMESPACE, SizeProfile } from "./shared";

/** The Kafka cluster's name; Strimzi names its bootstrap service after it. */
export const KAFKA_CLUSTER_NAME = "observability";
/** The node pool's name: every node is both KRaft controller and broker. */
export const KAFKA_POOL_NAME = "dual-role";
export const KAFKA_PORT = 9092;
/** A Kafka version 1.2.0 supports, with its metadata version: pinned so upgrades are deliberate. */
export const KAFKA_VERSION = { version: "4.3.1", metadataVersion: "4.3-IV0" } as const;
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** The bootstrap address clients in the cluster connect to. */
export const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER_NAME}-kafka-bootstrap.${KAFKA_NAMESPACE}.svc.cluster.local:${KAFKA_PORT}`;

const OPERATOR_SIZES: Record<SizeProfile, PodResources> = {
    dev: podResources("100m", "256Mi", "384Mi"),
    prod: podResources("200m", "384Mi", "512Mi"),
};
/** Broker pods, and the JVM heap inside them (the rest is page cache and off-heap). */
const BROKER_SIZES: Record<SizeProfile, { resources: PodResources; heap: string }> = {
    dev: { resources: podResources("200m", "1Gi", "1Gi"), heap: "512m" },
    prod: { resources: podResources("250m", "1536Mi", "2Gi"), heap: "1g" },
};

/** Whether this stack runs Kafka: config asks for it and some writer uses it. */
export function kafkaNeeded(config: ObservabilityConfig): boolean {
    const mimirUsesIt = config.mimir.enabled && config.mimir.architecture === "ingest-storage";
    const tempoUsesIt = config.tempo.enabled && config.tempo.mode === "distributed";
    return config.kafka.enabled && (mimirUsesIt || tempoUsesIt);
}

/** The strimzi-kafka-operator values: one operator watching its own namespace. */
export function strimziValues(profile: SizeProfile): Record<string, unknown> {
    return {
        replicas: 1,
        resources: OPERATOR_SIZES[profile],
        // Strimzi writes NetworkPolicies for each listener, so only the peers named there reach the brokers.
        generateNetworkPolicy: true,
    };
}

/** The `Kafka` custom resource's spec: listeners, replication defaults and rack awareness. */
export function kafkaSpec(config: ObservabilityConfig): Record<string, unknown> {
    const kafka = config.kafka;
    return {
        kafka: {
            ...KAFKA_VERSION,
            listeners: [{
                name: "plain",
                port: KAFKA_PORT,
                type: "internal",
                tls: false,
                // Only the observability namespace produces and consumes (SC-7).
                networkPolicyPeers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": MONITORING_NAMESPACE } } }],
            }],
            // Each broker learns its zone, and replicas of a partition land in different zones.
            rack: { type: "topology-label", topologyKey: ZONE_LABEL },
            config: {
                "default.replication.factor": kafka.replicationFactor,
                "min.insync.replicas": kafka.minInsyncReplicas,
                "offsets.topic.replication.factor": kafka.replicationFactor,
                "transaction.state.log.replication.factor": kafka.replicationFactor,
                "transaction.state.log.min.isr": kafka.minInsyncReplicas,
                // Kafka is a write-ahead log here: Mimir and Tempo flush to S3 within hours, so a
                // day of history covers any replay without filling the volumes.
                "log.retention.hours": 24,
            },
        },
    };
}

export interface KafkaNodePoolOptions {
    readonly profile: SizeProfile;
    /** The encrypted gp3 StorageClass. */
    readonly storageClassName: string;
}

/** The `KafkaNodePool` spec: brokers spread evenly over zones on encrypted gp3 claims. */
export function kafkaNodePoolSpec(config: ObservabilityConfig, opts: KafkaNodePoolOptions): Record<string, unknown> {
    const size = BROKER_SIZES[opts.profile];
    return {
        replicas: config.kafka.brokers,
        roles: ["controller", "broker"],
        // deleteClaim false: removing the pool keeps the volumes, and the data on them.
        storage: { type: "persistent-claim", size: config.kafka.storageSize, class: opts.storageClassName, deleteClaim: false },
        resources: size.resources,
        jvmOptions: { "-Xms": size.heap, "-Xmx": size.heap },
        template: {
            pod: {
                topologySpreadConstraints: [{
                    maxSkew: 1,
                    topologyKey: ZONE_LABEL,
                    whenUnsatisfiable: "DoNotSchedule",
                    labelSelector: { matchLabels: { "strimzi.io/cluster": KAFKA_CLUSTER_NAME, "strimzi.io/pool-name": KAFKA_POOL_NAME } },
                }],
            },
        },
    };
}
