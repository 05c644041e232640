/**
 * The Kafka that Mimir and Tempo write through: the Strimzi operator from its chart, and the
 * cluster itself as `Kafka` and `KafkaNodePool` custom resources (API kafka.strimzi.io/v1, KRaft),
 * so that policies can read replication, storage and placement from the objects themselves.
 * Clients connect over TLS (SC-8) to a listener whose certificate the platform issues from its own
 * CA, so that the CA can be handed to the clients' namespace; Strimzi's own cluster CA stays
 * in charge of broker-to-broker and controller traffic, which it always encrypts.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ObservabilityConfig } from "../../config/schema";
import { durationToHours } from "../../lib/duration";
import { podResourcesOf } from "../helm/values";
import { KAFKA_NAMESPACE, MONITORING_NAMESPACE } from "./shared";

/** The Kafka cluster's name; Strimzi names its bootstrap service after it. */
export const KAFKA_CLUSTER_NAME = "observability";
/** The node pool's name: every node is both KRaft controller and broker. */
export const KAFKA_POOL_NAME = "dual-role";
/** The TLS client listener (Strimzi's convention for an internal TLS listener). */
export const KAFKA_PORT = 9093;
export const KAFKA_LISTENER = "tls";
/** A Kafka version 1.2.0 supports, with its metadata version: pinned so upgrades are deliberate. */
export const KAFKA_VERSION = { version: "4.3.1", metadataVersion: "4.3-IV0" } as const;
export const ZONE_LABEL = "topology.kubernetes.io/zone";

/** The bootstrap address clients in the cluster connect to. */
export const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER_NAME}-kafka-bootstrap.${KAFKA_NAMESPACE}.svc.cluster.local:${KAFKA_PORT}`;

/**
 * Pulumi's Kubernetes provider holds the Kafka resource until its Ready condition is True (Strimzi
 * sets it once every broker serves), for up to the time a three-broker rollout takes.
 */
export const KAFKA_READY_ANNOTATIONS = { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "1200" } as const;

/** The listener's certificate and key (in Kafka's namespace), and the CA clients trust (in theirs). */
export const KAFKA_LISTENER_CERT_SECRET = "kafka-listener-tls";
export const KAFKA_CA = { configMap: "kafka-ca", key: "ca.crt", mountPath: "/etc/kafka-ca" } as const;
/** Where a client pod finds the CA, through kafkaCaVolume. */
export const KAFKA_CA_FILE = `${KAFKA_CA.mountPath}/${KAFKA_CA.key}`;

/** The volume and mount that put the CA in a client pod. */
export function kafkaCaVolume(): { volume: Record<string, unknown>; mount: Record<string, unknown> } {
    return {
        volume: { name: KAFKA_CA.configMap, configMap: { name: KAFKA_CA.configMap } },
        mount: { name: KAFKA_CA.configMap, mountPath: KAFKA_CA.mountPath, readOnly: true },
    };
}

/**
 * The names the listener certificate covers: the bootstrap service, and every broker as Strimzi
 * advertises it (pod name under the brokers' headless service), with and without the cluster domain.
 */
export function kafkaListenerDnsNames(): string[] {
    const names: string[] = [];
    for (const service of [`${KAFKA_CLUSTER_NAME}-kafka-bootstrap`, `*.${KAFKA_CLUSTER_NAME}-kafka-brokers`]) {
        names.push(`${service}.${KAFKA_NAMESPACE}.svc`, `${service}.${KAFKA_NAMESPACE}.svc.cluster.local`);
    }
    return names;
}

/** Hours the CA and the listener certificate are valid (10 years, 1 year), and how early `pulumi up` renews the certificate (30 days). */
export const KAFKA_CERT_VALIDITY = { caHours: 10 * 365 * 24, certificateHours: 365 * 24, earlyRenewalHours: 30 * 24 } as const;

/** The JMX exporter rules the brokers serve metrics with: broker, request, log and controller MBeans, with bounded labels. */
export const KAFKA_METRICS = { configMap: "kafka-metrics", key: "kafka-metrics-config.yml" } as const;
export const KAFKA_METRICS_RULES = {
    lowercaseOutputName: true,
    rules: [
        { pattern: "kafka.server<type=(.+), name=(.+), clientId=(.+), topic=(.+), partition=(.*)><>Value", name: "kafka_server_$1_$2", type: "GAUGE", labels: { clientId: "$3", topic: "$4", partition: "$5" } },
        { pattern: "kafka.server<type=(.+), name=(.+)PerSec\\w*, topic=(.+)><>Count", name: "kafka_server_$1_$2_total", type: "COUNTER", labels: { topic: "$3" } },
        { pattern: "kafka.server<type=(.+), name=(.+)PerSec\\w*><>Count", name: "kafka_server_$1_$2_total", type: "COUNTER" },
        { pattern: "kafka.server<type=(.+), name=(.+)><>(Value|Count)", name: "kafka_server_$1_$2", type: "GAUGE" },
        { pattern: "kafka.network<type=(.+), name=(.+), request=(.+)><>Count", name: "kafka_network_$1_$2_total", type: "COUNTER", labels: { request: "$3" } },
        { pattern: "kafka.log<type=(.+), name=(.+), topic=(.+), partition=(.*)><>Value", name: "kafka_log_$1_$2", type: "GAUGE", labels: { topic: "$3", partition: "$4" } },
        { pattern: "kafka.controller<type=(.+), name=(.+)><>(Count|Value)", name: "kafka_controller_$1_$2", type: "GAUGE" },
    ],
} as const;

/** Whether this stack runs Kafka: config asks for it and some writer uses it. */
export function kafkaNeeded(config: ObservabilityConfig): boolean {
    const mimirUsesIt = config.mimir.enabled && config.mimir.architecture === "ingest-storage";
    const tempoUsesIt = config.tempo.enabled && config.tempo.mode === "distributed";
    return config.kafka.enabled && (mimirUsesIt || tempoUsesIt);
}

/** The strimzi-kafka-operator values: the operator, watching its own namespace; its replicas elect one leader. */
export function strimziValues(config: ObservabilityConfig): Record<string, unknown> {
    return {
        replicas: config.kafka.operatorReplicas,
        resources: podResourcesOf(config.kafka.resources.operator),
        // The platform's generated NetworkPolicies (lib/boundaries.ts) govern the brokers: Strimzi's
        // own would be added to them and widen them (its metrics port admits every pod).
        generateNetworkPolicy: false,
        // Brokers and every other operand run as Pod Security's restricted level asks.
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
    };
}

/** The `Kafka` custom resource's spec: listeners, replication defaults and rack awareness. */
export function kafkaSpec(config: ObservabilityConfig): Record<string, unknown> {
    const kafka = config.kafka;
    return {
        kafka: {
            ...KAFKA_VERSION,
            listeners: [{
                name: KAFKA_LISTENER,
                port: KAFKA_PORT,
                type: "internal",
                // Clients' traffic is encrypted (SC-8) with a certificate from the platform's CA.
                tls: true,
                configuration: { brokerCertChainAndKey: { secretName: KAFKA_LISTENER_CERT_SECRET, certificate: "tls.crt", key: "tls.key" } },
                // Only the observability namespace produces and consumes (SC-7).
                networkPolicyPeers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": MONITORING_NAMESPACE } } }],
            }],
            // Brokers serve JMX metrics on Strimzi's tcp-prometheus port (9404) for the PodMonitor below.
            metricsConfig: { type: "jmxPrometheusExporter", valueFrom: { configMapKeyRef: { name: KAFKA_METRICS.configMap, key: KAFKA_METRICS.key } } },
            // Each broker learns its zone, and replicas of a partition land in different zones.
            rack: { type: "topology-label", topologyKey: ZONE_LABEL },
            config: {
                "default.replication.factor": kafka.replicationFactor,
                "min.insync.replicas": kafka.minInsyncReplicas,
                "offsets.topic.replication.factor": kafka.replicationFactor,
                "transaction.state.log.replication.factor": kafka.replicationFactor,
                "transaction.state.log.min.isr": kafka.minInsyncReplicas,
                "log.retention.hours": durationToHours(kafka.retention),
            },
        },
    };
}

export interface KafkaNodePoolOptions {
    /** The encrypted gp3 StorageClass. */
    readonly storageClassName: string;
}

/** The `KafkaNodePool` spec: brokers spread evenly over zones on encrypted gp3 claims. */
export function kafkaNodePoolSpec(config: ObservabilityConfig, opts: KafkaNodePoolOptions): Record<string, unknown> {
    const kafka = config.kafka;
    return {
        replicas: config.kafka.brokers,
        roles: ["controller", "broker"],
        // deleteClaim false: removing the pool keeps the volumes, and the data on them.
        storage: { type: "persistent-claim", size: config.kafka.storageSize, class: opts.storageClassName, deleteClaim: false },
        resources: podResourcesOf(kafka.resources.broker),
        jvmOptions: { "-Xms": kafka.brokerHeap, "-Xmx": kafka.brokerHeap },
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

/** The PodMonitor specs for the operator's metrics (reconciliations) and the brokers' JMX metrics. */
export function kafkaPodMonitorSpecs(): Record<"strimzi-operator" | "kafka-brokers", Record<string, unknown>> {
    return {
        "strimzi-operator": {
            selector: { matchLabels: { "strimzi.io/kind": "cluster-operator" } },
            podMetricsEndpoints: [{ port: "http", path: "/metrics", interval: "30s" }],
        },
        "kafka-brokers": {
            selector: { matchLabels: { "strimzi.io/kind": "Kafka", "strimzi.io/cluster": KAFKA_CLUSTER_NAME } },
            podMetricsEndpoints: [{ port: "tcp-prometheus", path: "/metrics", interval: "30s" }],
        },
    };
}

export interface KafkaTlsArgs {
    /** Kafka's namespace (the listener certificate) and the clients' (the CA). */
    readonly kafkaNamespace: pulumi.Input<string>;
    readonly clientNamespace: pulumi.Input<string>;
    readonly provider: KubernetesProvider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The platform's Kafka CA and the listener certificate it signs: the listener's Secret in Kafka's
 * namespace, the CA's certificate in the clients'. The CA's key never leaves the Pulumi state (a
 * secret there); the certificate is renewed by the first `pulumi up` inside the renewal window,
 * and Strimzi rolls the brokers onto it.
 */
export function createKafkaTls(name: string, args: KafkaTlsArgs, parent: pulumi.Resource): pulumi.Resource[] {
    const opts = { parent };
    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
    const ca = new tls.SelfSignedCert(`${name}-ca`, {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: `${name} Kafka CA`, organization: "nist-eks-platform" },
        validityPeriodHours: KAFKA_CERT_VALIDITY.caHours,
        allowedUses: ["cert_signing", "crl_signing"],
    }, opts);
    const listenerKey = new tls.PrivateKey(`${name}-listener-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
    const request = new tls.CertRequest(`${name}-listener-csr`, {
        privateKeyPem: listenerKey.privateKeyPem,
        subject: { commonName: `${KAFKA_CLUSTER_NAME}-kafka-bootstrap.${KAFKA_NAMESPACE}.svc` },
        dnsNames: kafkaListenerDnsNames(),
    }, opts);
    const certificate = new tls.LocallySignedCert(`${name}-listener`, {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        caCertPem: ca.certPem,
        validityPeriodHours: KAFKA_CERT_VALIDITY.certificateHours,
        earlyRenewalHours: KAFKA_CERT_VALIDITY.earlyRenewalHours,
        allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
    }, opts);
    const k8sOpts = { parent, provider: args.provider, dependsOn: args.dependsOn };
    const listener = new corev1.Secret(`${name}-listener-tls`, {
        metadata: { name: KAFKA_LISTENER_CERT_SECRET, namespace: args.kafkaNamespace },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": certificate.certPem, "tls.key": pulumi.secret(listenerKey.privateKeyPem) },
    }, k8sOpts);
    const trust = new corev1.ConfigMap(`${name}-ca`, {
        metadata: { name: KAFKA_CA.configMap, namespace: args.clientNamespace },
        data: { [KAFKA_CA.key]: ca.certPem },
    }, k8sOpts);
    // The Kafka resource waits for both, and the clients wait for it: their pods mount the CA.
    return [listener, trust];
}
