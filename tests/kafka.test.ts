/**
 * Kafka as its consumers read it: the listener key Strimzi hands to the brokers, the listeners and
 * who may use each, the KafkaUsers' ACLs and the KafkaTopics, and the clients' Kafka settings
 * checked against the keys their pinned versions accept.
 */
import { expect } from "chai";
import { configKeys } from "../lib/config-keys";
import { createPrivateKey } from "crypto";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { releaseChart, stackWorkloads } from "../components/helm/workloads";
import {
    KAFKA_BOOTSTRAP, KAFKA_LISTENER_CERT_SECRET, KAFKA_SASL_BOOTSTRAP, KAFKA_SASL_USERS_SECRET, TEMPO_KAFKA_COMPONENTS, createKafkaTls,
} from "../components/observability/kafka";
import { runStack, StackRun } from "../engine/run";
import { PlannedResource, SECRET_PLACEHOLDER } from "../engine/types";
import { ofType, single, stack } from "./support/stacks";

const KAFKA = "kubernetes:kafka.strimzi.io/v1:Kafka";
const TOPIC = "kubernetes:kafka.strimzi.io/v1:KafkaTopic";
const USER = "kubernetes:kafka.strimzi.io/v1:KafkaUser";
const SECRET = "kubernetes:core/v1:Secret";
const RELEASE = "kubernetes:helm.sh/v3:Release";

const releaseOf = (run: StackRun, chart: string): PlannedResource => ofType(run, RELEASE).find((r) => releaseChart(r.inputs) === chart)!;
const inMonitoring = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } };
const tempoPods = {
    ...inMonitoring,
    podSelector: { matchLabels: { "app.kubernetes.io/name": "tempo" }, matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["distributor", "live-store", "block-builder", "metrics-generator"] }] },
};

/** Whether a label selector (matchLabels, and matchExpressions with In) selects these labels. */
function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] }, labels: Record<string, string>): boolean {
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    return byLabel && (selector.matchExpressions ?? []).every((e) => {
        if (e.operator !== "In") throw new Error(`selects() reads only In expressions, not ${e.operator}`);
        return e.values.includes(labels[e.key]);
    });
}


/** The keys of the ingest Kafka block each client's pinned version defines (charts/config-keys, derived from upstream). */
const KAFKA_CLIENT_KEYS = {
    tempo: { version: "3.0.3", block: "ingest.kafka", keys: Object.keys(configKeys("tempo", "3.0.3").files.config.keys!.ingest.keys!.kafka.keys!) },
    mimir: { version: "3.2.0", block: "ingest_storage.kafka", keys: Object.keys(configKeys("mimir", "3.2.0").files.config.keys!.ingest_storage.keys!.kafka.keys!) },
};

describe("Kafka", () => {
    describe("the listener key", () => {
        /** The text of the listener Secret's key, as the program hands it to the Kubernetes provider. */
        async function declaredListenerKey(): Promise<string> {
            let secret: corev1.Secret | undefined;
            await runStack("prod", {
                program: async () => {
                    const parent = new pulumi.ComponentResource("test:kafka:Listener", "listener");
                    const provider = new KubernetesProvider("k8s", {}, { parent });
                    const [listener] = createKafkaTls("t", { kafkaNamespace: "kafka", clientNamespace: "monitoring", provider, dependsOn: [] }, parent);
                    secret = listener as corev1.Secret;
                    return { outputs: {}, declaredWorkloads: [] };
                },
            });
            return new Promise((resolve) => secret!.stringData.apply((data) => resolve(data!["tls.key"])));
        }

        it("is PKCS#8, the only PEM key Strimzi 0.49+ hands to Kafka", async () => {
            const pem = await declaredListenerKey();
            expect(pem.split("\n")[0]).to.equal("-----BEGIN PRIVATE KEY-----");
            // Parsed as what it says it is, it re-encodes to itself as PKCS#8: an ECDSA P-256 key.
            const key = createPrivateKey({ key: pem, format: "pem" });
            expect(key.asymmetricKeyType).to.equal("ec");
            expect(key.asymmetricKeyDetails).to.deep.equal({ namedCurve: "prime256v1" });
            expect(key.export({ type: "pkcs8", format: "pem" })).to.equal(pem);
        });

        it("reaches the Kafka namespace only as a Pulumi secret", async () => {
            const secret = ofType(await stack("prod"), SECRET).find((s) => s.inputs.metadata.name === KAFKA_LISTENER_CERT_SECRET)!;
            expect(secret.inputs.stringData).to.equal(SECRET_PLACEHOLDER);
        });
    });

    describe("prod", () => {
        it("serves Mimir mTLS on 9093 and Tempo SASL PLAIN on 9094, each to its own pods, and authorizes every request", async () => {
            const kafka = single(await stack("prod"), KAFKA);
            expect(kafka.inputs.spec.kafka.listeners).to.deep.equal([{
                name: "tls", port: 9093, type: "internal", tls: true,
                authentication: { type: "tls" },
                configuration: { brokerCertChainAndKey: { secretName: KAFKA_LISTENER_CERT_SECRET, certificate: "tls.crt", key: "tls.key" } },
                networkPolicyPeers: [{ ...inMonitoring, podSelector: { matchLabels: { "app.kubernetes.io/name": "mimir" } } }],
            }, {
                name: "sasl", port: 9094, type: "internal", tls: false,
                authentication: {
                    type: "custom",
                    sasl: true,
                    listenerConfig: {
                        "sasl.enabled.mechanisms": "PLAIN",
                        // The password is a reference the brokers resolve from the Secret, never text in the resource.
                        "plain.sasl.jaas.config": 'org.apache.kafka.common.security.plain.PlainLoginModule required user_tempo="${strimzisecrets:kafka/kafka-sasl-users:tempo}";',
                    },
                },
                networkPolicyPeers: [tempoPods],
            }]);
            expect(kafka.inputs.spec.kafka.authorization).to.deep.equal({ type: "simple" });
            expect(kafka.inputs.spec.kafka.config["auto.create.topics.enable"]).to.equal(false);
            expect(kafka.inputs.spec.entityOperator).to.deep.equal({
                topicOperator: { resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "384Mi" } } },
                userOperator: { watchedNamespace: "monitoring", secretPrefix: "kafka-user-", resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { memory: "384Mi" } } },
            });
        });

        it("gives each client only its own topic and consumer groups", async () => {
            const users = ofType(await stack("prod"), USER).map((u) => ({ metadata: u.inputs.metadata, spec: u.inputs.spec }));
            const metadata = (name: string) => ({ name, namespace: "monitoring", labels: { "strimzi.io/cluster": "observability" }, annotations: { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "600" } });
            const readGroup = (name: string, patternType: string) => ({ resource: { type: "group", name, patternType }, operations: ["Describe", "Read"] });
            const ownTopic = (name: string) => ({ resource: { type: "topic", name, patternType: "literal" }, operations: ["Describe", "Read", "Write"] });
            expect(users).to.deep.equal([{
                metadata: metadata("mimir"),
                spec: { authentication: { type: "tls" }, authorization: { type: "simple", acls: [ownTopic("mimir-ingest"), readGroup("mimir-ingester-", "prefix")] } },
            }, {
                // Tempo authenticates with SASL PLAIN on its own listener: no certificate, and the password is the platform's.
                metadata: metadata("tempo"),
                spec: { authorization: { type: "simple", acls: [ownTopic("tempo-traces"), readGroup("block-builder", "literal"), readGroup("metrics-generator", "literal"), readGroup("tempo-live-store", "literal")] } },
            }]);
        });

        it("declares each client's topic: Mimir's one partition per ingester of a zone, Tempo's one per write-path replica, replicated 3 ways with 2 in sync", async () => {
            const run = await stack("prod");
            const topics = ofType(run, TOPIC).map((t) => ({ metadata: t.inputs.metadata, spec: t.inputs.spec, protect: t.protect }));
            const metadata = (name: string) => ({ name, namespace: "kafka", labels: { "strimzi.io/cluster": "observability" }, annotations: { "pulumi.com/waitFor": "condition=Ready", "pulumi.com/timeoutSeconds": "600" } });
            expect(topics).to.deep.equal([
                { metadata: metadata("mimir-ingest"), spec: { partitions: 1, replicas: 3, config: { "min.insync.replicas": 2 } }, protect: true },
                { metadata: metadata("tempo-traces"), spec: { partitions: run.config.observability.tempo.replicas, replicas: 3, config: { "min.insync.replicas": 2 } }, protect: true },
            ]);
            // Every partition has its consumer: a live-store and a block-builder per Tempo partition.
            const tempo = releaseOf(run, "tempo-distributed").inputs.values;
            expect([tempo.liveStore.replicas, tempo.blockBuilder.replicas]).to.deep.equal([2, 2]);
            // The clients and their topics wait for the cluster, and the clients for their topics and users.
            const kafka = single(run, KAFKA);
            for (const resource of [...ofType(run, TOPIC), ...ofType(run, USER)]) expect(resource.dependencies, resource.name).to.include(kafka.urn);
            for (const chart of ["mimir-distributed", "tempo-distributed"]) {
                expect(releaseOf(run, chart).dependencies, chart).to.include.members([...ofType(run, TOPIC), ...ofType(run, USER)].map((r) => r.urn));
            }
        });

        it("hands each client its credentials through Secrets it mounts, never as text in its values", async () => {
            const run = await stack("prod");
            const mimir = releaseOf(run, "mimir-distributed").inputs.values;
            expect(mimir.mimir.structuredConfig.ingest_storage.kafka).to.deep.equal({
                address: KAFKA_BOOTSTRAP, topic: "mimir-ingest", auto_create_topic_enabled: false,
                tls_enabled: true, tls_ca_path: "/etc/kafka-ca/ca.crt", tls_cert_path: "/etc/kafka-user/user.crt", tls_key_path: "/etc/kafka-user/user.key",
            });
            // The User Operator writes the certificate into kafka-user-mimir in Mimir's namespace.
            expect(mimir.global.extraVolumes[1]).to.deep.equal({ name: "kafka-user-mimir", secret: { secretName: "kafka-user-mimir", items: [{ key: "user.crt", path: "user.crt" }, { key: "user.key", path: "user.key" }] } });

            const tempo = releaseOf(run, "tempo-distributed").inputs.values;
            expect(tempo.ingest.kafka).to.deep.equal({ address: KAFKA_SASL_BOOTSTRAP, topic: "tempo-traces", auto_create_topic_enabled: false });
            expect(tempo.tempo.structuredConfig.ingest.kafka).to.deep.equal({ sasl_username: "tempo", sasl_password: "${KAFKA_SASL_PASSWORD}" });
            expect(tempo.defaults.extraArgs).to.deep.equal(["-config.expand-env=true"]);
            const password = [{ name: "KAFKA_SASL_PASSWORD", valueFrom: { secretKeyRef: { name: "tempo-kafka-credentials", key: "password" } } }];
            for (const key of ["distributor", "liveStore", "blockBuilder", "metricsGenerator"]) expect(tempo[key].extraEnv, key).to.deep.equal(password);
            for (const key of ["querier", "queryFrontend", "backendWorker", "backendScheduler"]) expect(tempo[key].extraEnv, key).to.equal(undefined);

            // Both copies of the password are Pulumi secrets: the brokers' in Kafka's namespace, Tempo's in its own.
            const secrets = ofType(run, SECRET).filter((s) => [KAFKA_SASL_USERS_SECRET, "tempo-kafka-credentials"].includes(s.inputs.metadata.name));
            expect(secrets.map((s) => [s.inputs.metadata.namespace, s.inputs.metadata.name, s.inputs.stringData]).sort()).to.deep.equal([
                ["kafka", KAFKA_SASL_USERS_SECRET, SECRET_PLACEHOLDER],
                ["monitoring", "tempo-kafka-credentials", SECRET_PLACEHOLDER],
            ]);
            const password0 = single(run, "random:index/randomPassword:RandomPassword", "-kafka-tempo-password");
            expect(password0.protect).to.equal(true);
            for (const secret of secrets) expect(secret.dependencies, secret.inputs.metadata.name).to.include(password0.urn);
            // The brokers' service account may read that one Secret, and nothing else of ours.
            const role = single(run, "kubernetes:rbac.authorization.k8s.io/v1:Role", "-sasl-users-reader");
            expect(role.inputs.rules).to.deep.equal([{ apiGroups: [""], resources: ["secrets"], resourceNames: [KAFKA_SASL_USERS_SECRET], verbs: ["get"] }]);
            const binding = single(run, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "-sasl-users-reader");
            expect(binding.inputs.subjects).to.deep.equal([{ kind: "ServiceAccount", name: "observability-kafka", namespace: "kafka" }]);
            expect(binding.inputs.roleRef).to.deep.equal({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.inputs.metadata.name });
        });

        it("admits to Tempo's listener exactly the rendered Tempo pods that hold the password", async () => {
            const run = await stack("prod");
            const pods = [...stackWorkloads(run.resources).renders.values()]
                .filter((r) => r.request.namespace === "monitoring")
                .flatMap((r) => r.rendered.manifests.filter((m) => ["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(m.kind)));
            const admitted = pods.filter((m) => selects(tempoPods.podSelector, m.spec.template.metadata?.labels ?? {})).map((m) => m.metadata.name).sort();
            const withPassword = pods.filter((m) => m.spec.template.spec.containers.some((c: any) => (c.env ?? []).some((e: any) => e.name === "KAFKA_SASL_PASSWORD"))).map((m) => m.metadata.name).sort();
            expect(admitted).to.deep.equal(TEMPO_KAFKA_COMPONENTS.map((c) => `tempo-${c}`).sort());
            expect(withPassword).to.deep.equal(admitted);
        });

        it("renders Tempo's and Mimir's Kafka settings with only keys their pinned versions accept", async () => {
            const run = await stack("prod");
            const render = [...stackWorkloads(run.resources).renders.values()].find((r) => r.request.chart === "tempo-distributed")!;
            const config = render.rendered.manifests.find((m) => m.kind === "ConfigMap" && m.data?.["tempo.yaml"]);
            const tempoKafka = YAML.parse(config!.data["tempo.yaml"]).ingest.kafka;
            expect(Object.keys(tempoKafka).filter((key) => !KAFKA_CLIENT_KEYS.tempo.keys.includes(key)), `Tempo ${KAFKA_CLIENT_KEYS.tempo.version} ${KAFKA_CLIENT_KEYS.tempo.block}`).to.deep.equal([]);
            // Tempo writes no broker-wide setting: the key that rewrites num.partitions is gone, and auto-creation is off.
            expect(tempoKafka).to.deep.equal({ address: KAFKA_SASL_BOOTSTRAP, topic: "tempo-traces", auto_create_topic_enabled: false, sasl_username: "tempo", sasl_password: "${KAFKA_SASL_PASSWORD}" });
            const mimirKafka = releaseOf(run, "mimir-distributed").inputs.values.mimir.structuredConfig.ingest_storage.kafka;
            expect(Object.keys(mimirKafka).filter((key) => !KAFKA_CLIENT_KEYS.mimir.keys.includes(key)), `Mimir ${KAFKA_CLIENT_KEYS.mimir.version} ${KAFKA_CLIENT_KEYS.mimir.block}`).to.deep.equal([]);
        });

        it("key lists tell Tempo 3.0.3 (SASL PLAIN only) from Mimir 3.2.0 (TLS and SASL)", () => {
            expect(KAFKA_CLIENT_KEYS.tempo.keys).to.include.members(["address", "topic", "sasl_username", "sasl_password", "auto_create_topic_enabled"]);
            expect(KAFKA_CLIENT_KEYS.tempo.keys.filter((key) => key.startsWith("tls_"))).to.deep.equal([]);
            expect(KAFKA_CLIENT_KEYS.mimir.keys).to.include.members(["tls_enabled", "tls_ca_path", "tls_cert_path", "tls_key_path", "sasl_mechanism"]);
        });
    });

    describe("dev", () => {
        it("runs no Kafka, so it declares no listener, topic, user or credential", async () => {
            const run = await stack("dev");
            for (const type of [KAFKA, TOPIC, USER, "kubernetes:rbac.authorization.k8s.io/v1:Role"]) expect(ofType(run, type), type).to.have.length(0);
            expect(ofType(run, SECRET).map((s) => s.inputs.metadata.name)).to.not.include.members([KAFKA_SASL_USERS_SECRET, "tempo-kafka-credentials", KAFKA_LISTENER_CERT_SECRET]);
        });
    });
});
