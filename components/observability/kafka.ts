/**
 * The Kafka that Mimir and Tempo write through: the Strimzi operator from its chart, and the
 * cluster itself as `Kafka` and `KafkaNodePool` custom resources (API kafka.strimzi.io/v1, KRaft),
 * so that policies can read replication, storage, placement, listeners and ACLs from the objects
 * themselves. Every client authenticates and is authorized by ACLs of its own (`KafkaUser`), and
 * the topics are declared (`KafkaTopic`) rather than auto-created:
 * - Mimir connects over TLS (SC-8) with a client certificate (IA-3) to a listener whose
 *   certificate the platform issues from its own CA, so that the CA can be handed to the
 *   clients' namespace.
 * - Tempo 3.0.3's Kafka client has no TLS, only SASL PLAIN, so it gets a listener of its own that
 *   authenticates it with a password from a Kubernetes Secret, admits only Tempo's Kafka-facing
 *   pods, and crosses the pod network inside the mesh's mTLS where the stack runs the mesh.
 * Strimzi's own cluster CA stays in charge of broker-to-broker and controller traffic, which it
 * always encrypts and authenticates.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { ObservabilityConfig } from "../../config/schema";
import { durationToHours } from "../../lib/duration";
import { podResourcesOf } from "../helm/values";
import { KAFKA_NAMESPACE, MONITORING_NAMESPACE } from "./shared";

/** The Kafka cluster's name; Strimzi names its bootstrap service after it. */
export const KAFKA_CLUSTER_NAME = "observability";
/** The node pool's name: every node is both KRaft controller and broker. */
export const KAFKA_POOL_NAME = "dual-role";
/** The TLS client listener (Strimzi's convention for an internal TLS listener): mTLS clients. */
export const KAFKA_PORT = 9093;
export const KAFKA_LISTENER = "tls";
/**
 * The SASL PLAIN listener for clients without Kafka TLS (Tempo 3.0.3): no TLS of its own, so it
 * admits only the pods named in its network policy peers and relies on the mesh for encryption.
 */
export const KAFKA_SASL_PORT = 9094;
export const KAFKA_SASL_LISTENER = "sasl";
/** A Kafka version 1.2.0 supports, with its metadata version: pinned so upgrades are deliberate. */
export const KAFKA_VERSION = { version: "4.3.1", metadataVersion: "4.3-IV0" } as const;
export const ZONE_LABEL = "topology.kubernetes.io/zone";

const BOOTSTRAP_HOST = `${KAFKA_CLUSTER_NAME}-kafka-bootstrap.${KAFKA_NAMESPACE}.svc.cluster.local`;
/** The bootstrap address of the TLS listener (Mimir). */
export const KAFKA_BOOTSTRAP = `${BOOTSTRAP_HOST}:${KAFKA_PORT}`;
/** The bootstrap address of the SASL PLAIN listener (Tempo). */
export const KAFKA_SASL_BOOTSTRAP = `${BOOTSTRAP_HOST}:${KAFKA_SASL_PORT}`;

/**
 * Pulumi's Kubernetes provider holds the Kafka resource until its Ready condition is True (Strimzi
 * sets it once every broker serves), for up to the time a three-broker rollout takes.
 */
export const KAFKA_READY_ANNOTATIONS = { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "1200" } as const;
/** KafkaTopics and KafkaUsers are Ready once the Entity Operator has applied them, within minutes of the cluster. */
export const KAFKA_ACCESS_READY_ANNOTATIONS = { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "600" } as const;

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

/** Mimir's ingesters per zone. Each owns the partition of its ordinal in every zone, so Mimir's topic has this many partitions. */
export const MIMIR_INGESTERS_PER_ZONE = 1;
/** The topics, named in the clients' config and declared as KafkaTopics. */
export const KAFKA_TOPICS = { mimir: "mimir-ingest", tempo: "tempo-traces" } as const;

/**
 * Kafka partitions of the trace topic. Every partition needs exactly one block-builder and one
 * live-store (the chart's rule), so the partition count is the write-path replica count.
 */
export function tempoPartitions(config: ObservabilityConfig): number {
    return config.tempo.replicas;
}

/** The tempo-distributed components that talk to Kafka (Tempo 3.0.3): the distributor produces, the others consume. */
export const TEMPO_KAFKA_COMPONENTS = ["distributor", "live-store", "block-builder", "metrics-generator"] as const;

/** An ACL of a KafkaUser, as Strimzi's `simple` authorization reads it. */
export interface KafkaAcl {
    readonly resource: { readonly type: "topic" | "group"; readonly name: string; readonly patternType: "literal" | "prefix" };
    readonly operations: readonly ("Describe" | "Read" | "Write")[];
}

/** A program that produces to or consumes from the platform's Kafka. */
export interface KafkaClient {
    /** The KafkaUser, whose name is the principal its ACLs name (CN=<name> for a certificate). */
    readonly user: "mimir" | "tempo";
    /** tls: a client certificate the User Operator issues (IA-3); sasl-plain: a password from a Secret. */
    readonly authentication: "tls" | "sasl-plain";
    /** The one topic it reads and writes, and its partition count. */
    readonly topic: { readonly name: string; readonly partitions: number };
    /** The consumer groups it commits offsets under, as upstream names them. */
    readonly groups: readonly KafkaAcl["resource"][];
    /** The pods that connect, as network policy peers of its listener (SC-7). */
    readonly pods: Record<string, unknown>;
}

/**
 * The clients of this stack's Kafka and what each may touch: its own topic (Describe, Read,
 * Write) and its own consumer groups (Describe, Read), nothing else (AC-3, AC-6). Neither may
 * create, alter or delete topics, or change broker configs.
 * - Mimir's ingesters commit under their instance IDs (`mimir-ingester-zone-a-0`, ...: Mimir
 *   3.2's consumer_group left empty); distributors produce, query-frontends read offsets.
 * - Tempo 3.0.3's block-builders and metrics generators use the fixed groups `block-builder` and
 *   `metrics-generator`; live-stores their instance ID without its ordinal (`tempo-live-store`).
 */
export function kafkaClients(config: ObservabilityConfig): KafkaClient[] {
    const clients: KafkaClient[] = [];
    const inMonitoring = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": MONITORING_NAMESPACE } } };
    if (config.mimir.enabled && config.mimir.architecture === "ingest-storage") {
        clients.push({
            user: "mimir",
            authentication: "tls",
            topic: { name: KAFKA_TOPICS.mimir, partitions: MIMIR_INGESTERS_PER_ZONE },
            groups: [{ type: "group", name: "mimir-ingester-", patternType: "prefix" }],
            pods: { ...inMonitoring, podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } } },
        });
    }
    if (config.tempo.enabled && config.tempo.mode === "distributed") {
        clients.push({
            user: "tempo",
            authentication: "sasl-plain",
            topic: { name: KAFKA_TOPICS.tempo, partitions: tempoPartitions(config) },
            groups: ["block-builder", "metrics-generator", "tempo-live-store"].map((name) => ({ type: "group", name, patternType: "literal" })),
            pods: {
                ...inMonitoring,
                podSelector: {
                    matchLabels: { "app.kubernetes.io/name": "tempo" },
                    matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: [...TEMPO_KAFKA_COMPONENTS] }],
                },
            },
        });
    }
    return clients;
}

/** A client's ACLs: its topic, then its groups. */
export function kafkaAcls(client: KafkaClient): KafkaAcl[] {
    return [
        { resource: { type: "topic", name: client.topic.name, patternType: "literal" }, operations: ["Describe", "Read", "Write"] },
        ...client.groups.map((resource): KafkaAcl => ({ resource, operations: ["Describe", "Read"] })),
    ];
}

/** The `KafkaUser` spec of a client: mTLS clients get a certificate; a SASL client's password is the platform's (see createKafkaSaslCredentials). */
export function kafkaUserSpec(client: KafkaClient): Record<string, unknown> {
    return {
        ...(client.authentication === "tls" ? { authentication: { type: "tls" } } : {}),
        authorization: { type: "simple", acls: kafkaAcls(client) },
    };
}

/** The `KafkaTopic` spec of a client's topic: its partitions, with the cluster's replication factor and min in-sync replicas. */
export function kafkaTopicSpec(config: ObservabilityConfig, client: KafkaClient): Record<string, unknown> {
    return {
        partitions: client.topic.partitions,
        replicas: config.kafka.replicationFactor,
        config: { "min.insync.replicas": config.kafka.minInsyncReplicas },
    };
}

/**
 * The User Operator watches the clients' namespace, so the Secret it writes a certificate into
 * is one the clients can mount; its name is the user's with this prefix.
 */
export const KAFKA_USER_SECRET_PREFIX = "kafka-user-";
/** Where an mTLS client pod finds its certificate and key, from the User Operator's Secret. */
export const KAFKA_USER_CERT = { mountPath: "/etc/kafka-user", certificate: "user.crt", key: "user.key" } as const;

/** The volume and mount that put a KafkaUser's certificate and key in a client pod. */
export function kafkaUserCertVolume(user: string): { volume: Record<string, unknown>; mount: Record<string, unknown> } {
    const name = `${KAFKA_USER_SECRET_PREFIX}${user}`;
    return {
        volume: { name, secret: { secretName: name, items: [KAFKA_USER_CERT.certificate, KAFKA_USER_CERT.key].map((key) => ({ key, path: key })) } },
        mount: { name, mountPath: KAFKA_USER_CERT.mountPath, readOnly: true },
    };
}

/**
 * SASL PLAIN passwords: the brokers read them from a Secret in Kafka's namespace through Strimzi's
 * Kubernetes secrets config provider (so they appear in no custom resource), each client from a
 * Secret of its own in its namespace.
 */
export const KAFKA_SASL_USERS_SECRET = "kafka-sasl-users";
export const KAFKA_SASL_CLIENT_SECRET = { suffix: "-kafka-credentials", passwordKey: "password" } as const;
/** The environment variable a SASL client's pods read the password from (expanded into their config at start). */
export const KAFKA_CLIENT_PASSWORD_ENV = "KAFKA_SASL_PASSWORD";
/** The Secret in the client's namespace that holds a SASL client's password. */
export function kafkaSaslClientSecret(user: string): string {
    return `${user}${KAFKA_SASL_CLIENT_SECRET.suffix}`;
}
/** The brokers' service account (Strimzi names it after the cluster), which reads the SASL users' Secret. */
export const KAFKA_BROKER_SERVICE_ACCOUNT = `${KAFKA_CLUSTER_NAME}-kafka`;

/** The JAAS line of the SASL listener: one `user_<name>` per client, each password a config provider reference. */
export function saslJaasConfig(clients: readonly KafkaClient[]): string {
    const users = clients.filter((c) => c.authentication === "sasl-plain")
        .map((c) => `user_${c.user}="\${strimzisecrets:${KAFKA_NAMESPACE}/${KAFKA_SASL_USERS_SECRET}:${c.user}}"`);
    return `org.apache.kafka.common.security.plain.PlainLoginModule required ${users.join(" ")};`;
}

/**
 * The Entity Operator: the Topic Operator turns the KafkaTopics into topics, the User Operator the
 * KafkaUsers into ACLs and client certificates. Each runs as a container of one pod.
 */
export function entityOperatorSpec(config: ObservabilityConfig): Record<string, unknown> {
    return {
        topicOperator: { resources: podResourcesOf(config.kafka.resources.topicOperator) },
        userOperator: { watchedNamespace: MONITORING_NAMESPACE, secretPrefix: KAFKA_USER_SECRET_PREFIX, resources: podResourcesOf(config.kafka.resources.userOperator) },
    };
}

/**
 * The strimzi-kafka-operator values: the operator, watching its own namespace and the clients'
 * (where the KafkaUsers live, so that it can grant the User Operator there); its replicas elect
 * one leader.
 */
export function strimziValues(config: ObservabilityConfig): Record<string, unknown> {
    return {
        replicas: config.kafka.operatorReplicas,
        resources: podResourcesOf(config.kafka.resources.operator),
        watchNamespaces: [MONITORING_NAMESPACE],
        // The platform's generated NetworkPolicies (lib/boundaries.ts) govern the brokers: Strimzi's
        // own would be added to them and widen them (its metrics port admits every pod).
        generateNetworkPolicy: false,
        // Brokers and every other operand run as Pod Security's restricted level asks.
        extraEnvs: [{ name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" }],
    };
}

/**
 * The listeners clients use, one per authentication its clients need: mTLS on the TLS listener,
 * SASL PLAIN on the SASL listener; each admits only its own clients' pods (SC-7).
 */
export function kafkaListeners(config: ObservabilityConfig): Record<string, unknown>[] {
    const clients = kafkaClients(config);
    const tlsClients = clients.filter((c) => c.authentication === "tls");
    const saslClients = clients.filter((c) => c.authentication === "sasl-plain");
    const listeners: Record<string, unknown>[] = [];
    if (tlsClients.length > 0) {
        listeners.push({
            name: KAFKA_LISTENER,
            port: KAFKA_PORT,
            type: "internal",
            // Clients' traffic is encrypted (SC-8) with a certificate from the platform's CA, and
            // each client presents a certificate from Strimzi's clients CA (IA-3).
            tls: true,
            authentication: { type: "tls" },
            configuration: { brokerCertChainAndKey: { secretName: KAFKA_LISTENER_CERT_SECRET, certificate: "tls.crt", key: "tls.key" } },
            networkPolicyPeers: tlsClients.map((c) => c.pods),
        });
    }
    if (saslClients.length > 0) {
        listeners.push({
            name: KAFKA_SASL_LISTENER,
            port: KAFKA_SASL_PORT,
            type: "internal",
            // Tempo 3.0.3's client cannot speak TLS to Kafka: the mesh encrypts this hop (README, SC-8).
            tls: false,
            authentication: {
                type: "custom",
                sasl: true,
                listenerConfig: { "sasl.enabled.mechanisms": "PLAIN", "plain.sasl.jaas.config": saslJaasConfig(saslClients) },
            },
            networkPolicyPeers: saslClients.map((c) => c.pods),
        });
    }
    return listeners;
}

/** The `Kafka` custom resource's spec: listeners, authorization, replication defaults and rack awareness. */
export function kafkaSpec(config: ObservabilityConfig): Record<string, unknown> {
    const kafka = config.kafka;
    return {
        kafka: {
            ...KAFKA_VERSION,
            listeners: kafkaListeners(config),
            // Every request is checked against the KafkaUsers' ACLs; Strimzi's own components are super users.
            authorization: { type: "simple" },
            // Brokers serve JMX metrics on Strimzi's tcp-prometheus port (9404) for the PodMonitor below.
            metricsConfig: { type: "jmxPrometheusExporter", valueFrom: { configMapKeyRef: { name: KAFKA_METRICS.configMap, key: KAFKA_METRICS.key } } },
            // Each broker learns its zone, and replicas of a partition land in different zones.
            rack: { type: "topology-label", topologyKey: ZONE_LABEL },
            config: {
                // Topics exist because a KafkaTopic declares them; a client asking for a topic that does not exist gets an error.
                "auto.create.topics.enable": false,
                "default.replication.factor": kafka.replicationFactor,
                "min.insync.replicas": kafka.minInsyncReplicas,
                "offsets.topic.replication.factor": kafka.replicationFactor,
                "transaction.state.log.replication.factor": kafka.replicationFactor,
                "transaction.state.log.min.isr": kafka.minInsyncReplicas,
                "log.retention.hours": durationToHours(kafka.retention),
            },
        },
        entityOperator: entityOperatorSpec(config),
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
        // Strimzi 0.49+ hands listener keys to Kafka as PEM, which must be PKCS#8; the provider's
        // privateKeyPem of an ECDSA key is SEC1 ("BEGIN EC PRIVATE KEY"), which Kafka refuses.
        stringData: { "tls.crt": certificate.certPem, "tls.key": pulumi.secret(listenerKey.privateKeyPemPkcs8) },
    }, k8sOpts);
    const trust = new corev1.ConfigMap(`${name}-ca`, {
        metadata: { name: KAFKA_CA.configMap, namespace: args.clientNamespace },
        data: { [KAFKA_CA.key]: ca.certPem },
    }, k8sOpts);
    // The Kafka resource waits for both, and the clients wait for it: their pods mount the CA.
    return [listener, trust];
}

export interface KafkaSaslArgs extends KafkaTlsArgs {
    /** The SASL clients of this stack's Kafka (see kafkaClients). */
    readonly clients: readonly KafkaClient[];
    /** Whether the passwords are protected (prod): a new one would cut the client off until both Secrets roll. */
    readonly protect: boolean;
}

/**
 * A password per SASL client, generated by Pulumi and kept secret in its state: in Kafka's
 * namespace one Secret holds every user's password for the brokers, which read it through
 * Strimzi's secrets config provider (the brokers' service account may get that Secret and no
 * other of ours); in the client's namespace each client's Secret holds its own, for its pods'
 * environment. Returns what the Kafka resource and the clients wait for.
 */
export function createKafkaSaslCredentials(name: string, args: KafkaSaslArgs, parent: pulumi.Resource): pulumi.Resource[] {
    const sasl = args.clients.filter((c) => c.authentication === "sasl-plain");
    if (sasl.length === 0) return [];
    const k8sOpts = { parent, provider: args.provider, dependsOn: args.dependsOn };
    const passwords = Object.fromEntries(sasl.map((c) => {
        const password = new random.RandomPassword(`${name}-${c.user}-password`, { length: 32, special: false }, { parent, protect: args.protect });
        return [c.user, pulumi.secret(password.result)];
    }));
    const users = new corev1.Secret(`${name}-sasl-users`, {
        metadata: { name: KAFKA_SASL_USERS_SECRET, namespace: args.kafkaNamespace },
        type: "Opaque",
        stringData: passwords,
    }, k8sOpts);
    const role = new rbacv1.Role(`${name}-sasl-users-reader`, {
        metadata: { name: `${KAFKA_SASL_USERS_SECRET}-reader`, namespace: args.kafkaNamespace },
        rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [KAFKA_SASL_USERS_SECRET], verbs: ["get"] }],
    }, k8sOpts);
    const binding = new rbacv1.RoleBinding(`${name}-sasl-users-reader`, {
        metadata: { name: `${KAFKA_SASL_USERS_SECRET}-reader`, namespace: args.kafkaNamespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${KAFKA_SASL_USERS_SECRET}-reader` },
        subjects: [{ kind: "ServiceAccount", name: KAFKA_BROKER_SERVICE_ACCOUNT, namespace: KAFKA_NAMESPACE }],
    }, { ...k8sOpts, dependsOn: [role] });
    const clientSecrets = sasl.map((c) => new corev1.Secret(`${name}-${c.user}-credentials`, {
        metadata: { name: kafkaSaslClientSecret(c.user), namespace: args.clientNamespace },
        type: "Opaque",
        stringData: { [KAFKA_SASL_CLIENT_SECRET.passwordKey]: passwords[c.user] },
    }, k8sOpts));
    return [users, role, binding, ...clientSecrets];
}
