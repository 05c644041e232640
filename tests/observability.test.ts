import { createHash } from "crypto";
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource, SECRET_PLACEHOLDER } from "../engine/types";
import { CHARTS } from "../components/helm/catalog";
import { releaseChart, stackWorkloads } from "../components/helm/workloads";
import { NONCURRENT_VERSION_DAYS, expiryDays, s3AccessPolicy } from "../components/observability/buckets";
import { DASHBOARDS, GRAFANA_ADMIN_SECRET, grafanaDatasources, grafanaValues } from "../components/observability/grafana";
import { KAFKA_BOOTSTRAP, KAFKA_SASL_BOOTSTRAP, kafkaNodePoolSpec, kafkaSpec } from "../components/observability/kafka";
import { kialiValues } from "../components/observability/kiali";
import { LOKI_SERVICE_ACCOUNT, lokiValues } from "../components/observability/loki";
import { MIMIR_SERVICE_ACCOUNT, mimirValues, mimirZones } from "../components/observability/mimir";
import { prometheusValues, retentionSize } from "../components/observability/prometheus";
import { MONITORING_NAMESPACE, URLS, storageClassFor } from "../components/observability/shared";
import { TEMPO_SERVICE_ACCOUNT, singleBinaryConfig, singleBinaryReceivers, tempoDistributedValues, tempoSingleValues } from "../components/observability/tempo";
import { ObservabilityConfig, StackConfig } from "../config/schema";
import { parseCpu, parseMemory } from "../lib/quantity";
import { chartWorkloads } from "./support/render";
import { ofType, stack, stackWith } from "./support/stacks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const NODE_POOL = "kubernetes:kafka.strimzi.io/v1:KafkaNodePool";
const KAFKA = "kubernetes:kafka.strimzi.io/v1:Kafka";
const OBSERVABILITY = "platform:observability:Observability";
const SECURE_BUCKET = "platform:storage:SecureBucket";
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

/** The observability slice exactly as a stack file declares it. */
async function configOf(name: "dev" | "prod"): Promise<ObservabilityConfig> {
    return (await stack(name)).config.observability;
}

const releases = (run: StackRun) => ofType(run, RELEASE);
const releaseOf = (run: StackRun, chart: string): PlannedResource => {
    const found = releases(run).filter((r) => releaseChart(r.inputs) === chart);
    expect(found, `releases of ${chart}`).to.have.length(1);
    return found[0];
};
const observabilityChildren = (run: StackRun): PlannedResource[] => {
    const component = ofType(run, OBSERVABILITY);
    expect(component).to.have.length(1);
    const urns = new Set([component[0].urn]);
    // Everything below the component, at any depth.
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of run.resources) if (r.parent && urns.has(r.parent) && !urns.has(r.urn)) { urns.add(r.urn); grew = true; }
    }
    return run.resources.filter((r) => urns.has(r.urn) && r.urn !== component[0].urn);
};
const childrenOf = (run: StackRun, parent: PlannedResource) => run.resources.filter((r) => r.parent === parent.urn);
const childOfType = (run: StackRun, parent: PlannedResource, type: string): PlannedResource => {
    const found = childrenOf(run, parent).filter((r) => r.type === type);
    expect(found, `${type} of ${parent.name}`).to.have.length(1);
    return found[0];
};
const buckets = (run: StackRun) => observabilityChildren(run).filter((r) => r.type === SECURE_BUCKET);
const bucketNamed = (run: StackRun, purpose: string) => {
    const found = buckets(run).filter((b) => b.name.endsWith(`-${purpose}`));
    expect(found, purpose).to.have.length(1);
    return found[0];
};
const bucketArnOf = (run: StackRun, secureBucket: PlannedResource): string => childOfType(run, secureBucket, "aws:s3/bucket:Bucket").outputs.arn;
const nodeCount = (config: StackConfig) => config.cluster.nodeGroups.reduce((sum, g) => sum + g.desiredSize, 0);

/** Pods per component of the observability releases and resources, rendered; DaemonSets count once per node, jobs at peak. */
function podsOf(run: StackRun): Record<string, number> {
    const nodes = nodeCount(run.config);
    const counts: Record<string, number> = {};
    // Releases by name; operator-run pods (Kafka brokers) by their custom resource's name.
    const mine = new Set(observabilityChildren(run).flatMap((r) => [r.name, r.inputs.metadata?.name]));
    for (const w of stackWorkloads(run.resources).workloads.filter((x) => mine.has(x.source) && x.containers.length > 0)) {
        counts[w.component] = (counts[w.component] ?? 0) + (w.kind === "DaemonSet" ? nodes : w.replicas);
    }
    return counts;
}

describe("observability", () => {
    describe("value builders", () => {
        it("keep Prometheus' retention, volume and selectors, and write to Mimir only when asked", async () => {
            const config = await configOf("prod");
            const values = prometheusValues(config, { clusterName: "c", storageClassName: "gp3", remoteWrite: { url: URLS.mimirPush }, remoteWriteReceiver: false }) as any;
            const spec = values.prometheus.prometheusSpec;
            expect(spec.retention).to.equal("15d");
            expect(spec.retentionSize).to.equal("42GB");
            expect(spec.storageSpec.volumeClaimTemplate.spec).to.deep.equal({ storageClassName: "gp3", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "50Gi" } } });
            expect(spec.remoteWrite).to.deep.equal([{ url: URLS.mimirPush }]);
            expect(spec.enableRemoteWriteReceiver).to.equal(false);
            for (const key of ["serviceMonitor", "podMonitor", "rule", "probe", "scrapeConfig"]) expect(spec[`${key}SelectorNilUsesHelmValues`], key).to.equal(false);
            for (const scraper of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"]) expect(values[scraper], scraper).to.deep.equal({ enabled: false });
            expect(values.grafana).to.deep.equal({ enabled: false });
            const local = prometheusValues(config, { clusterName: "c", storageClassName: "gp2-encrypted", remoteWriteReceiver: true }) as any;
            expect(local.prometheus.prometheusSpec.remoteWrite).to.deep.equal([]);
            expect(local.prometheus.prometheusSpec.enableRemoteWriteReceiver).to.equal(true);
            expect(() => retentionSize("50G")).to.throw(/size in Gi/);
        });

        it("pin one Mimir ingester and store-gateway per availability zone and write through Kafka", async () => {
            const config = await configOf("prod");
            const values = mimirValues(config, {
                region: "us-east-1", buckets: { blocks: "b", ruler: "r", alertmanager: "a" }, roleArn: "arn:role",
                availabilityZones: ZONES, storageClassName: "gp3", kafkaAddress: KAFKA_BOOTSTRAP,
            }) as any;
            const zones = ZONES.map((az, i) => ({ name: `zone-${"abc"[i]}`, nodeSelector: { "topology.kubernetes.io/zone": az } }));
            expect(values.ingester.replicas).to.equal(3);
            expect(values.ingester.zoneAwareReplication).to.deep.equal({ enabled: true, zones });
            expect(values.store_gateway.zoneAwareReplication).to.deep.equal({ enabled: true, zones });
            const structured = values.mimir.structuredConfig;
            // mTLS with the KafkaUser mimir's certificate, to a topic Mimir does not create.
            expect(structured.ingest_storage).to.deep.equal({
                kafka: {
                    address: KAFKA_BOOTSTRAP, topic: "mimir-ingest", auto_create_topic_enabled: false,
                    tls_enabled: true, tls_ca_path: "/etc/kafka-ca/ca.crt", tls_cert_path: "/etc/kafka-user/user.crt", tls_key_path: "/etc/kafka-user/user.key",
                },
            });
            expect(values.global).to.deep.equal({
                extraVolumes: [
                    { name: "kafka-ca", configMap: { name: "kafka-ca" } },
                    { name: "kafka-user-mimir", secret: { secretName: "kafka-user-mimir", items: [{ key: "user.crt", path: "user.crt" }, { key: "user.key", path: "user.key" }] } },
                ],
                extraVolumeMounts: [{ name: "kafka-ca", mountPath: "/etc/kafka-ca", readOnly: true }, { name: "kafka-user-mimir", mountPath: "/etc/kafka-user", readOnly: true }],
            });
            expect([structured.blocks_storage.s3.bucket_name, structured.ruler_storage.s3.bucket_name, structured.alertmanager_storage.s3.bucket_name]).to.deep.equal(["b", "r", "a"]);
            expect(structured.limits.compactor_blocks_retention_period).to.equal("8760h");
            expect(values.minio).to.deep.equal({ enabled: false });
            expect(values.kafka).to.deep.equal({ enabled: false });
            expect(values.rollout_operator.enabled).to.equal(true);
            expect(values["results-cache"].enabled).to.equal(true);
            expect(values["chunks-cache"].enabled).to.equal(true);
            expect(values.serviceAccount).to.deep.equal({ create: true, name: MIMIR_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": "arn:role" } });
        });

        it("switch Mimir to the classic architecture with the chart's own preset, and refuse zones without nodes", async () => {
            const prod = await configOf("prod");
            const classic: ObservabilityConfig = { ...prod, mimir: { ...prod.mimir, architecture: "classic" } };
            const values = mimirValues(classic, {
                region: "us-east-1", buckets: { blocks: "b", ruler: "r", alertmanager: "a" }, roleArn: "arn", availabilityZones: ZONES, storageClassName: "gp2-encrypted",
            }) as any;
            expect(values.mimir.structuredConfig.ingest_storage).to.deep.equal({ enabled: false, kafka: { address: null, topic: null, auto_create_topic_default_partitions: null } });
            expect(values.mimir.structuredConfig.ingester).to.deep.equal({ push_grpc_method_enabled: null });
            expect(() => mimirValues(prod, { region: "us-east-1", buckets: { blocks: "b", ruler: "r", alertmanager: "a" }, roleArn: "arn", availabilityZones: ZONES, storageClassName: "gp3" }))
                .to.throw(/Kafka address/);
            expect(() => mimirZones(prod, ["us-east-1a"])).to.throw(/nodes run in only 1 zone/);
            const single: ObservabilityConfig = { ...prod, mimir: { ...prod.mimir, ingesterZones: 1 } };
            const one = mimirValues(single, { region: "us-east-1", buckets: { blocks: "b", ruler: "r", alertmanager: "a" }, roleArn: "arn", availabilityZones: ZONES, storageClassName: "gp3", kafkaAddress: "k:9092" }) as any;
            expect(one.ingester.zoneAwareReplication).to.deep.equal({ enabled: false });
            expect(one.rollout_operator.enabled).to.equal(false);
        });

        it("write Loki's single binary as Monolithic on the filesystem, and simple-scalable on S3", async () => {
            const dev = lokiValues(await configOf("dev"), { region: "us-east-1", storageClassName: "gp2-encrypted" }) as any;
            expect(dev.deploymentMode).to.equal("Monolithic");
            expect(dev.singleBinary.replicas).to.equal(1);
            expect([dev.read.replicas, dev.write.replicas, dev.backend.replicas]).to.deep.equal([0, 0, 0]);
            expect(dev.loki.storage).to.deep.equal({ type: "filesystem" });
            expect(dev.loki.schemaConfig.configs[0]).to.include({ store: "tsdb", object_store: "filesystem", schema: "v13" });
            expect(dev.loki.limits_config.retention_period).to.equal("168h");
            expect(dev.loki.compactor).to.deep.equal({ retention_enabled: true, delete_request_store: "filesystem" });
            expect(dev.singleBinary.persistence).to.deep.equal({ enabled: true, size: "10Gi", storageClass: "gp2-encrypted" });

            const prodConfig = await configOf("prod");
            const prod = lokiValues(prodConfig, { region: "us-east-1", storageClassName: "gp3", buckets: { chunks: "c", ruler: "r" }, roleArn: "arn" }) as any;
            expect(prod.deploymentMode).to.equal("SimpleScalable");
            expect([prod.read.replicas, prod.write.replicas, prod.backend.replicas, prod.gateway.replicas]).to.deep.equal([2, 3, 2, 2]);
            expect(prod.loki.storage).to.deep.equal({ type: "s3", bucketNames: { chunks: "c", ruler: "r" }, s3: { region: "us-east-1" } });
            expect(prod.loki.limits_config.retention_period).to.equal("2160h");
            // Three writers, one per zone, keep three copies of every stream.
            expect(prod.loki.commonConfig.replication_factor).to.equal(3);
            const zone = (component: string) => [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { "app.kubernetes.io/name": "loki", "app.kubernetes.io/component": component } } }];
            expect([prod.read, prod.write, prod.backend, prod.gateway].map((c) => c.topologySpreadConstraints)).to.deep.equal(["read", "write", "backend", "gateway"].map(zone));
            expect(prod.gateway.podDisruptionBudget).to.deep.equal({ maxUnavailable: 1 });
            expect(prod.serviceAccount).to.deep.equal({ create: true, name: LOKI_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": "arn" } });
            expect(() => lokiValues(prodConfig, { region: "us-east-1", storageClassName: "gp3" })).to.throw(/buckets/);
        });

        it("give every Tempo partition one live-store and one block-builder, and keep receivers to the config", async () => {
            const prod = await configOf("prod");
            const values = tempoDistributedValues(prod, { region: "us-east-1", bucket: "t", roleArn: "arn", kafkaAddress: KAFKA_SASL_BOOTSTRAP, remoteWriteUrl: URLS.mimirPush }) as any;
            expect(values.ingest.kafka).to.deep.equal({ address: KAFKA_SASL_BOOTSTRAP, topic: "tempo-traces", auto_create_topic_enabled: false });
            expect(values.liveStore.replicas).to.equal(2);
            expect(values.blockBuilder.replicas).to.equal(2);
            expect(values.backendScheduler.config.provider.compaction.compaction.block_retention).to.equal("720h");
            expect(values.storage.trace).to.deep.equal({ backend: "s3", s3: { bucket: "t", endpoint: "s3.us-east-1.amazonaws.com", region: "us-east-1" } });
            expect(values.traces.otlp).to.deep.equal({ grpc: { enabled: true }, http: { enabled: true } });
            expect(values.traces.zipkin).to.deep.equal({ enabled: true });
            expect(values.traces.jaeger.grpc).to.deep.equal({ enabled: true });
            // Set explicitly: the chart reads it above one replica without a default of its own.
            expect(values.backendWorker).to.deep.include({ podDisruptionBudget: { enabled: true }, maxUnavailable: 1 });
            // No single replica on the read or write path.
            const rendered = chartWorkloads(CHARTS.tempoDistributed, values);
            expect(rendered.map((w) => w.name).sort()).to.deep.equal(["tempo-backend-scheduler", "tempo-backend-worker", "tempo-block-builder", "tempo-distributor", "tempo-live-store", "tempo-memcached", "tempo-metrics-generator", "tempo-querier", "tempo-query-frontend"]);
            for (const w of rendered.filter((x) => !/backend-scheduler|memcached/.test(x.name))) expect(w.replicas, w.name).to.be.at.least(2);

            const dev = tempoSingleValues(await configOf("dev"), { storageClassName: "gp2-encrypted", remoteWriteUrl: URLS.prometheusRemoteWrite }) as any;
            expect(dev.tempo.retention).to.equal("168h");
            expect(dev.tempo.receivers.otlp).to.deep.equal({ protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } });
            // Jaeger stays a map the chart's port templates can read, with no endpoint to expose...
            expect(dev.tempo.receivers.jaeger).to.deep.equal({ protocols: { grpc: { endpoint: null }, thrift_binary: { endpoint: null }, thrift_compact: { endpoint: null }, thrift_http: { endpoint: null } } });
            expect(dev.tempo.receivers).to.not.have.property("zipkin");
            // ...and is left out of Tempo's own config.
            expect(dev.config).to.include('toYaml (omit .Values.tempo.receivers "jaeger") |').and.not.include("toYaml .Values.tempo.receivers |");
            expect(Object.keys(singleBinaryReceivers(new Set(["otlp", "zipkin"]))).sort()).to.deep.equal(["jaeger", "otlp", "zipkin"]);
            expect(singleBinaryReceivers(new Set(["zipkin"])).otlp).to.deep.equal({ protocols: { grpc: { endpoint: null }, http: { endpoint: null } } });
            expect(singleBinaryConfig(new Set(["otlp", "jaeger"]))).to.equal(undefined);
            expect(singleBinaryConfig(new Set(["zipkin"]))).to.include('toYaml (omit .Values.tempo.receivers "jaeger" "otlp") |');
            expect(dev.persistence).to.deep.equal({ enabled: true, size: "10Gi", storageClassName: "gp2-encrypted" });
        });

        it("link traces to logs and metrics, and logs back to traces, with Grafana's variables escaped", () => {
            const [metrics, loki, tempo] = grafanaDatasources({ metricsUrl: URLS.mimirQuery, metricsName: "Mimir", tempoUrl: URLS.tempoDistributedQuery, istioEnabled: true }) as any[];
            expect(metrics).to.include({ type: "prometheus", uid: "metrics", url: URLS.mimirQuery, isDefault: true });
            expect(loki.jsonData.derivedFields[0]).to.include({ datasourceUid: "tempo", url: "$${__value.raw}" });
            expect(tempo.jsonData.tracesToLogsV2).to.include({ datasourceUid: "loki", filterByTraceID: true });
            expect(tempo.jsonData.tracesToMetrics.datasourceUid).to.equal("metrics");
            for (const q of tempo.jsonData.tracesToMetrics.queries) expect(q.query).to.contain("$$__tags").and.contain("istio_request");
            const withoutTempo = grafanaDatasources({ metricsUrl: URLS.prometheus, metricsName: "Prometheus", istioEnabled: false });
            expect(withoutTempo.map((d) => d.type)).to.deep.equal(["prometheus", "loki"]);
        });

        it("point Grafana at the admin Secret, never at a password, and keep a single SQLite Grafana on its own volume", async () => {
            const values = grafanaValues(await configOf("dev"), { storageClassName: "gp2-encrypted", datasources: [] }) as any;
            expect(values.admin).to.deep.equal({ existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: "admin-user", passwordKey: "admin-password" });
            expect(values).to.not.have.property("adminPassword");
            expect(values.persistence).to.deep.equal({ enabled: true, type: "statefulset", size: "5Gi", storageClassName: "gp2-encrypted" });
            const [grafana] = chartWorkloads(CHARTS.grafana, values);
            expect({ kind: grafana.kind, replicas: grafana.replicas, claims: grafana.claims }).to.deep.equal({ kind: "StatefulSet", replicas: 1, claims: [{ name: "storage", perPod: true, sizeMiB: 5120, storageClass: "gp2-encrypted" }] });
            expect(grafana.containers.find((c) => c.name === "grafana")).to.include({
                cpuRequestMillicores: parseCpu(values.resources.requests.cpu), memoryRequestMiB: parseMemory(values.resources.requests.memory), memoryLimitMiB: parseMemory(values.resources.limits.memory),
            });
            // Without type: statefulset the chart makes a Deployment sharing one claim.
            const [shared] = chartWorkloads(CHARTS.grafana, { replicas: 3, persistence: { enabled: true } });
            expect({ kind: shared.kind, replicas: shared.replicas, perPod: shared.claims.map((c) => c.perPod) }).to.deep.equal({ kind: "Deployment", replicas: 3, perPod: [false] });
            expect(() => storageClassFor("gp2", { storageClassName: "gp3", gp3StorageClassName: "gp3" })).to.throw(/only available where/);
            expect(storageClassFor("gp2", { storageClassName: "gp2-encrypted", gp3StorageClassName: "gp3" })).to.equal("gp2-encrypted");
        });

        it("wire Kiali to Prometheus and Tempo, read-only", async () => {
            const values = kialiValues(await configOf("prod"), { prometheusUrl: URLS.prometheus, tempoUrl: URLS.tempoDistributedQuery, grafanaExternalUrl: "http://localhost:3000", grafanaInCluster: true }) as any;
            expect(values.external_services.prometheus).to.deep.equal({ url: URLS.prometheus });
            expect(values.external_services.tracing).to.include({ enabled: true, provider: "tempo", internal_url: URLS.tempoDistributedQuery });
            expect(values.deployment).to.include({ replicas: 2, view_only_mode: true });
        });

        it("replicate Kafka three ways across zones with two in sync, on encrypted gp3 claims", async () => {
            const config = await configOf("prod");
            const spec = kafkaSpec(config) as any;
            expect(spec.kafka.rack).to.deep.equal({ type: "topology-label", topologyKey: "topology.kubernetes.io/zone" });
            expect(spec.kafka.config).to.include({ "default.replication.factor": 3, "min.insync.replicas": 2, "offsets.topic.replication.factor": 3 });
            expect(spec.kafka.config).to.include({ "auto.create.topics.enable": false });
            const pool = kafkaNodePoolSpec(config, { storageClassName: "gp3" }) as any;
            expect(pool).to.deep.include({ replicas: 3, roles: ["controller", "broker"] });
            expect(pool.storage).to.deep.equal({ type: "persistent-claim", size: "50Gi", class: "gp3", deleteClaim: false });
            expect(pool.template.pod.topologySpreadConstraints[0]).to.include({ topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", maxSkew: 1 });
            // The brokers Strimzi runs from the pool, with the image its operator uses for the pinned
            // Kafka version, and the Entity Operator it runs from the Kafka resource, sized by its spec.
            const operands = stackWorkloads((await stack("prod")).resources).workloads.filter((w) => w.component === "kafka" && w.origin === "operator");
            expect(operands.map((w) => ({ name: w.name, kind: w.kind, replicas: w.replicas, images: w.containers.map((c) => c.image), claims: w.claims, origin: w.origin }))).to.deep.equal([{
                name: "observability-dual-role", kind: "StatefulSet", replicas: 3, images: ["quay.io/strimzi/kafka:1.2.0-kafka-4.3.1"],
                claims: [{ name: "data-0", perPod: true, sizeMiB: 51200, storageClass: "gp3" }], origin: "operator",
            }, {
                name: "observability-entity-operator", kind: "Deployment", replicas: 1, images: ["quay.io/strimzi/operator:1.2.0", "quay.io/strimzi/operator:1.2.0"], claims: [], origin: "operator",
            }]);
            const [brokers, entityOperator] = operands;
            expect(brokers.containers[0]).to.include({ cpuRequestMillicores: parseCpu(pool.resources.requests.cpu), memoryRequestMiB: parseMemory(pool.resources.requests.memory) });
            const entity = (spec.entityOperator as any);
            expect(entityOperator.containers.map((c) => ({ name: c.name, cpu: c.cpuRequestMillicores, memory: c.memoryRequestMiB, limit: c.memoryLimitMiB }))).to.deep.equal(["topicOperator", "userOperator"].map((key) => ({
                name: key === "topicOperator" ? "topic-operator" : "user-operator",
                cpu: parseCpu(entity[key].resources.requests.cpu), memory: parseMemory(entity[key].resources.requests.memory), limit: parseMemory(entity[key].resources.limits.memory),
            })));
        });

        it("scope S3 access to exact bucket ARNs and the S3 key through S3, with no wildcard action", () => {
            const policy = JSON.parse(s3AccessPolicy(["arn:aws:s3:::a", "arn:aws:s3:::b"], "arn:aws:kms:us-east-1:1:key/k", "us-east-1"));
            const actions = policy.Statement.flatMap((s: any) => s.Action);
            expect(actions.filter((a: string) => a.includes("*"))).to.deep.equal([]);
            expect(policy.Statement.find((s: any) => s.Sid === "ListOwnBuckets").Resource).to.deep.equal(["arn:aws:s3:::a", "arn:aws:s3:::b"]);
            expect(policy.Statement.find((s: any) => s.Sid === "ReadWriteOwnObjects").Resource).to.deep.equal(["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]);
            const kms = policy.Statement.find((s: any) => s.Sid === "UseS3KeyThroughS3");
            expect(kms.Resource).to.deep.equal(["arn:aws:kms:us-east-1:1:key/k"]);
            expect(kms.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
            expect([expiryDays("90d"), expiryDays("720h"), expiryDays("36h"), expiryDays("2w")]).to.deep.equal([90, 30, 2, 14]);
        });
    });

    describe("dashboards", () => {
        it("are five real dashboards with unique uids and PromQL in every panel", () => {
            expect(DASHBOARDS.map((d) => d.file)).to.deep.equal(["cluster-overview.json", "node-resources.json", "pod-resources.json", "istio-mesh.json", "lgtm-self-monitoring.json"]);
            expect(new Set(DASHBOARDS.map((d) => d.json.uid)).size).to.equal(5);
            for (const { file, json } of DASHBOARDS) {
                const panels = (json.panels as any[]).filter((p) => p.type !== "row");
                expect(panels.length, file).to.be.at.least(8);
                for (const panel of panels) {
                    expect(panel.targets, `${file}: ${panel.title}`).to.have.length.at.least(1);
                    for (const target of panel.targets) {
                        const expr: string = target.expr;
                        expect(expr, `${file}: ${panel.title}`).to.be.a("string").and.match(/[a-z][a-z0-9]*_[a-z0-9_]+|\bup\b/);
                        for (const [open, close] of [["(", ")"], ["{", "}"], ["[", "]"]]) {
                            expect(expr.split(open).length, `${file}: ${panel.title}: ${open}${close} balance`).to.equal(expr.split(close).length);
                        }
                    }
                }
            }
        });
    });

    describe("dev", () => {
        it("runs Prometheus, a single-binary Loki and Tempo, and Grafana: no Mimir, Kafka or Kiali", async () => {
            const run = await stack("dev");
            expect(releases(run).filter((r) => observabilityChildren(run).includes(r)).map((r) => releaseChart(r.inputs)).sort())
                .to.deep.equal(["alloy", "alloy", "grafana", "kube-prometheus-stack", "loki", "tempo"]);
            expect(ofType(run, KAFKA)).to.have.length(0);
            expect(ofType(run, NODE_POOL)).to.have.length(0);
        });

        it("keeps 3 days of metrics, 7 days of logs and traces, all on local volumes", async () => {
            const run = await stack("dev");
            const prometheus = releaseOf(run, "kube-prometheus-stack").inputs.values;
            expect(prometheus.prometheus.prometheusSpec.retention).to.equal("3d");
            expect(prometheus.prometheus.prometheusSpec.remoteWrite).to.deep.equal([]);
            const loki = releaseOf(run, "loki").inputs.values;
            expect(loki.deploymentMode).to.equal("Monolithic");
            expect(loki.loki.storage.type).to.equal("filesystem");
            expect(loki.loki.limits_config.retention_period).to.equal("168h");
            const tempo = releaseOf(run, "tempo").inputs.values;
            expect(tempo.tempo.retention).to.equal("168h");
            expect(Object.keys(tempo.tempo.receivers).sort()).to.deep.equal(["jaeger", "otlp"]);
            expect(tempo.config).to.include('omit .Values.tempo.receivers "jaeger"');
            expect(buckets(run)).to.have.length(0);
            expect(ofType(run, "aws:iam/role:Role").filter((r) => observabilityChildren(run).includes(r))).to.have.length(0);
        });

        it("runs one small Grafana on a 5 GB gp2 volume, with no dashboards", async () => {
            const run = await stack("dev");
            const grafana = releaseOf(run, "grafana").inputs.values;
            expect(grafana.replicas).to.equal(1);
            expect(grafana.persistence).to.include({ size: "5Gi", storageClassName: "gp2-encrypted" });
            expect(grafana.sidecar.dashboards.enabled).to.equal(false);
            expect(ofType(run, "kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata?.labels?.grafana_dashboard)).to.have.length(0);
        });

        it("creates buckets that pulumi destroy may empty when dev stores logs in S3", async () => {
            const run = await stackWith("dev", (c) => {
                c.observability.loki = { ...c.observability.loki, deploymentMode: "SimpleScalable", readReplicas: 1, writeReplicas: 1, backendReplicas: 1, storage: "s3" };
            });
            for (const purpose of ["loki-chunks", "loki-ruler"]) {
                const bucket = childOfType(run, bucketNamed(run, purpose), "aws:s3/bucket:Bucket");
                expect(bucket.protect, purpose).to.equal(false);
                expect(bucket.inputs.forceDestroy, purpose).to.equal(true);
            }
        });

        it("runs Mimir in the classic architecture without Kafka when dev asks for it", async () => {
            const run = await stackWith("dev", (c) => {
                c.network.availabilityZones = ZONES;
                c.cluster.nodeGroups[0].availabilityZones = ZONES;
                c.observability.mimir = { ...c.observability.mimir, enabled: true, architecture: "classic", ingesterZones: 3 };
            });
            const mimir = releaseOf(run, "mimir-distributed").inputs.values;
            expect(mimir.mimir.structuredConfig.ingest_storage.enabled).to.equal(false);
            expect(mimir.kafka.enabled).to.equal(false);
            expect(ofType(run, KAFKA)).to.have.length(0);
            expect(releases(run).map((r) => releaseChart(r.inputs))).to.not.include("strimzi-kafka-operator");
            expect(releaseOf(run, "kube-prometheus-stack").inputs.values.prometheus.prometheusSpec.remoteWrite).to.deep.equal([{ url: URLS.mimirPush }]);
        });
    });

    describe("prod", () => {
        it("links alerts and Kiali to Grafana's UI host, not to a port-forward on the reader's own machine", async () => {
            const run = await stack("prod");
            const grafana = JSON.parse(JSON.stringify(releaseOf(run, "grafana").inputs.values));
            const kiali = releaseOf(run, "kiali-server").inputs.values;
            const url = new URL(run.config.observability.grafana.url);
            expect([url.protocol, url.hostname]).to.deep.equal(["https:", `grafana.${run.config.cluster.name}.example.com`]);
            expect([grafana["grafana.ini"].server.root_url, kiali.external_services.grafana.external_url]).to.deep.equal([run.config.observability.grafana.url, run.config.observability.grafana.url]);
        });

        it("runs every add-on, each at its catalog version", async () => {
            const run = await stack("prod");
            const mine = observabilityChildren(run);
            const charts = releases(run).filter((r) => mine.includes(r));
            expect(charts.map((r) => releaseChart(r.inputs)).sort()).to.deep.equal([
                "alloy", "alloy", "grafana", "kiali-server", "kube-prometheus-stack", "loki", "mimir-distributed", "strimzi-kafka-operator", "tempo-distributed",
            ]);
            const catalog = Object.values(CHARTS);
            for (const release of charts) {
                const pinned = catalog.find((c) => c.chart === releaseChart(release.inputs))!;
                expect(release.inputs.version, release.name).to.equal(pinned.version);
            }
        });

        it("keeps 15 days in Prometheus and writes everything to Mimir, which keeps a year", async () => {
            const run = await stack("prod");
            const spec = releaseOf(run, "kube-prometheus-stack").inputs.values.prometheus.prometheusSpec;
            expect(spec.retention).to.equal("15d");
            expect(spec.storageSpec.volumeClaimTemplate.spec.storageClassName).to.equal("gp3");
            expect(spec.remoteWrite).to.deep.equal([{ url: URLS.mimirPush }]);
            const mimir = releaseOf(run, "mimir-distributed").inputs.values;
            expect(mimir.mimir.structuredConfig.limits.compactor_blocks_retention_period).to.equal("8760h");
            expect([mimir.distributor.replicas, mimir.querier.replicas, mimir.query_frontend.replicas, mimir.gateway.replicas]).to.deep.equal([2, 2, 2, 2]);
            expect(mimir.ingester.zoneAwareReplication.zones.map((z: any) => z.nodeSelector["topology.kubernetes.io/zone"])).to.deep.equal(ZONES);
            expect(mimir.mimir.structuredConfig.ingest_storage.kafka.address).to.equal(KAFKA_BOOTSTRAP);
        });

        it("declares the Kafka cluster as its own objects, after the operator, protected", async () => {
            const run = await stack("prod");
            const operator = releaseOf(run, "strimzi-kafka-operator");
            for (const type of [KAFKA, NODE_POOL]) {
                const found = ofType(run, type);
                expect(found, type).to.have.length(1);
                expect(found[0].inputs.apiVersion).to.equal("kafka.strimzi.io/v1");
                expect(found[0].dependencies, type).to.include(operator.urn);
                expect(found[0].protect, type).to.equal(true);
            }
            const pool = ofType(run, NODE_POOL)[0].inputs;
            expect(pool.metadata.labels).to.deep.equal({ "strimzi.io/cluster": "observability" });
            expect(pool.spec.storage.class).to.equal("gp3");
            const kafka = ofType(run, KAFKA)[0].inputs.spec.kafka;
            expect(kafka.config).to.include({ "default.replication.factor": 3, "min.insync.replicas": 2 });
            // Mimir and Tempo wait for the cluster objects.
            for (const chart of ["mimir-distributed", "tempo-distributed"]) {
                expect(releaseOf(run, chart).dependencies, chart).to.include.members(ofType(run, KAFKA).map((k) => k.urn));
            }
        });

        it("runs Loki simple-scalable on S3 for 90 days and Tempo distributed for 30 days", async () => {
            const run = await stack("prod");
            const loki = releaseOf(run, "loki").inputs.values;
            expect(loki.deploymentMode).to.equal("SimpleScalable");
            expect(loki.loki.storage.type).to.equal("s3");
            expect(loki.loki.limits_config.retention_period).to.equal("2160h");
            expect(loki.loki.compactor).to.deep.equal({ retention_enabled: true, delete_request_store: "s3" });
            const tempo = releaseOf(run, "tempo-distributed").inputs.values;
            expect(tempo.backendScheduler.config.provider.compaction.compaction.block_retention).to.equal("720h");
            expect(tempo.storage.trace.backend).to.equal("s3");
            expect(tempo.ingest.kafka.address).to.equal(KAFKA_SASL_BOOTSTRAP);
        });

        it("protects six encrypted, private, TLS-only, versioned buckets whose expiry follows retention", async () => {
            const run = await stack("prod");
            const s3KeyArn = run.resources.find((r) => r.type === "aws:kms/key:Key" && r.name.endsWith("-s3"))!.outputs.arn;
            const expected: Record<string, number | undefined> = {
                "mimir-blocks": 365, "mimir-ruler": undefined, "mimir-alertmanager": undefined, "loki-chunks": 90, "loki-ruler": undefined, "tempo-traces": 30,
            };
            expect(buckets(run)).to.have.length(6);
            for (const [purpose, days] of Object.entries(expected)) {
                const secure = bucketNamed(run, purpose);
                const bucket = childOfType(run, secure, "aws:s3/bucket:Bucket");
                expect(bucket.protect, purpose).to.equal(true);
                expect(bucket.inputs.forceDestroy, purpose).to.equal(false);
                expect(bucket.outputs.bucket.length, purpose).to.be.at.most(63);
                const sse = childOfType(run, secure, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
                expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault, purpose).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: s3KeyArn });
                const pab = childOfType(run, secure, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
                expect(pab.inputs, purpose).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
                const policy = JSON.parse(childOfType(run, secure, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy);
                expect(policy.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
                expect(childOfType(run, secure, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration.status, purpose).to.equal("Enabled");
                const rule = childOfType(run, secure, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules[0];
                expect(rule.expiration?.days, purpose).to.equal(days);
                expect(rule.noncurrentVersionExpiration.noncurrentDays, purpose).to.equal(NONCURRENT_VERSION_DAYS);
            }
        });

        it("gives Mimir, Loki and Tempo one IRSA role each, trusted by exactly the service account in their values and scoped to their own buckets", async () => {
            const run = await stack("prod");
            const cases = [
                { chart: "mimir-distributed", account: MIMIR_SERVICE_ACCOUNT, purposes: ["mimir-blocks", "mimir-ruler", "mimir-alertmanager"] },
                { chart: "loki", account: LOKI_SERVICE_ACCOUNT, purposes: ["loki-chunks", "loki-ruler"] },
                { chart: "tempo-distributed", account: TEMPO_SERVICE_ACCOUNT, purposes: ["tempo-traces"] },
            ];
            // The fourth role under observability is the one that sets up Grafana's database user (telemetry.test.ts).
            const roles = ofType(run, "aws:iam/role:Role").filter((r) => observabilityChildren(run).includes(r) && !r.name.endsWith("-grafana-db-setup-role"));
            expect(roles).to.have.length(3);
            for (const { chart, account, purposes } of cases) {
                const release = releaseOf(run, chart);
                const values = release.inputs.values;
                expect(values.serviceAccount.name, chart).to.equal(account);
                const role = roles.find((r) => r.name === `${release.name}-irsa-role`)!;
                expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"], chart).to.equal(role.outputs.arn);
                const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
                const sub = Object.entries(trust).find(([k]) => k.endsWith(":sub"))![1];
                expect(sub, chart).to.equal(`system:serviceaccount:${MONITORING_NAMESPACE}:${account}`);
                const policy = JSON.parse(ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${release.name}-irsa-policy`)!.inputs.policy);
                const arns = purposes.map((p) => bucketArnOf(run, bucketNamed(run, p)));
                expect(policy.Statement.find((s: any) => s.Sid === "ListOwnBuckets").Resource, chart).to.deep.equal(arns);
                expect(policy.Statement.flatMap((s: any) => s.Action).filter((a: string) => a.includes("*")), chart).to.deep.equal([]);
            }
        });

        it("loads the five dashboards for the sidecar and runs two Grafanas on the shared database, without volumes", async () => {
            const run = await stack("prod");
            const grafana = releaseOf(run, "grafana").inputs.values;
            expect(grafana.replicas).to.equal(2);
            expect(grafana.persistence).to.deep.equal({ enabled: false });
            expect(grafana.sidecar.dashboards).to.include({ enabled: true, label: "grafana_dashboard", labelValue: "1" });
            const maps = ofType(run, "kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata?.labels?.grafana_dashboard === "1");
            expect(maps.map((m) => Object.keys(m.inputs.data)[0]).sort()).to.deep.equal(DASHBOARDS.map((d) => d.file).sort());
            for (const map of maps) expect(map.inputs.metadata.namespace).to.equal(MONITORING_NAMESPACE);
            const types = grafana.datasources["datasources.yaml"].datasources.map((d: any) => `${d.name}:${d.url}`);
            expect(types).to.deep.equal([`Mimir:${URLS.mimirQuery}`, `Loki:${URLS.loki}`, `Tempo:${URLS.tempoDistributedQuery}`]);
        });

        it("keeps the telemetry pipeline and Kafka out of the mesh, and installs the monitor CRDs before any monitor", async () => {
            const run = await stack("prod");
            for (const name of [MONITORING_NAMESPACE, "kafka"]) {
                const namespace = ofType(run, "kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata?.name === name)!;
                expect(namespace.inputs.metadata.labels ?? {}, name).to.not.have.property("istio-injection");
            }
            const crds = releaseOf(run, "kube-prometheus-stack").urn;
            for (const chart of ["mimir-distributed", "loki", "tempo-distributed", "grafana"]) expect(releaseOf(run, chart).dependencies, chart).to.include(crds);
            for (const monitor of [...ofType(run, "kubernetes:monitoring.coreos.com/v1:PodMonitor"), ...ofType(run, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor")]) {
                expect(monitor.dependencies, monitor.name).to.include(crds);
            }
        });

        it("runs Kiali, and scrapes the mesh for it, only where Istio runs", async () => {
            const run = await stack("prod");
            expect(releaseOf(run, "kiali-server").inputs.values.deployment.replicas).to.equal(2);
            const mesh = (r: StackRun) => ofType(r, "kubernetes:monitoring.coreos.com/v1:PodMonitor").filter((m) => m.inputs.metadata.name === "istio-proxies");
            expect(mesh(run)).to.have.length(1);
            const noMesh = await stackWith("prod", (c) => {
                c.security.istio.enabled = false;
                c.observability.kiali.enabled = false;
            });
            expect(releases(noMesh).map((r) => releaseChart(r.inputs))).to.not.include("kiali-server");
            expect(mesh(noMesh)).to.have.length(0);
            expect(ofType(noMesh, "kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata?.labels?.grafana_dashboard).map((c) => c.inputs.metadata.name))
                .to.not.include("dashboard-istio-mesh");
        });
    });

    describe("the Grafana admin password", () => {
        for (const name of ["dev", "prod"] as const) {
            it(`is a secret that appears in no release values and no ConfigMap (${name})`, async () => {
                const run = await stack(name);
                const password = ofType(run, "random:index/randomPassword:RandomPassword").find((p) => p.name.endsWith("-grafana-admin"))!;
                expect(password.inputs).to.include({ length: 32 });
                // The engine's mock derives the value from the stack and resource name (engine/mocks.ts).
                const plain = createHash("sha256").update(`${name}/${password.name}`).digest("hex").slice(0, 32);
                for (const resource of [...releases(run), ...ofType(run, "kubernetes:core/v1:ConfigMap")]) {
                    expect(JSON.stringify(resource.inputs), resource.name).to.not.contain(plain);
                }
                const secret = ofType(run, "kubernetes:core/v1:Secret").find((s) => s.inputs.metadata?.name === GRAFANA_ADMIN_SECRET.name)!;
                expect(secret.inputs.stringData).to.equal(SECRET_PLACEHOLDER);
                expect(releaseOf(run, "grafana").inputs.values.admin.existingSecret).to.equal(GRAFANA_ADMIN_SECRET.name);
            });
        }
    });

    describe("pods", () => {
        it("dev runs 4 Prometheus-stack pods, a node-exporter per node and 2 admission-webhook jobs at peak, 2 Loki, 1 Tempo, 1 Grafana and an Alloy per node plus one", async () => {
            const run = await stack("dev");
            expect(nodeCount(run.config)).to.equal(2);
            expect(podsOf(run)).to.deep.equal({ prometheus: 8, loki: 2, tempo: 1, grafana: 1, alloy: 3 });
        });

        it("prod runs 22 Mimir, 11 Loki, 16 Tempo, 3 Kafka brokers, their operator and Entity Operator, 2 Grafana and the Job that sets up their database user, 2 Kiali and 4 Alloy pods beside the Prometheus stack", async () => {
            const run = await stack("prod");
            expect(nodeCount(run.config)).to.equal(3);
            expect(podsOf(run)).to.deep.equal({ prometheus: 11, mimir: 22, kafka: 5, loki: 11, tempo: 16, grafana: 2, "grafana-database": 1, kiali: 2, alloy: 4 });
        });
    });
});
