import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import YAML from "yaml";
import { ObservabilityConfig } from "../../config/schema";
import { keeps } from "../../lib/observability-modes";
import { KubernetesContext } from "../cluster/context";
import { createDatabaseClientUser } from "../database/client-user";
import { CHARTS } from "../helm/catalog";
import { Edge, grafanaOAuth, uiIngress, uiOpenId } from "../edge";
import { createNamespace, installHelmChart } from "../helm/release";
import { AccessLogs } from "../storage/access-logs";
import { SecureBucket } from "../storage/secure-bucket";
import { ALLOY_RELEASES, AlloyRole, alloyValues } from "./alloy";
import { bucketAccessPolicy, createBucket } from "./buckets";
import { DASHBOARD_FOLDER_ANNOTATION, DASHBOARD_LABEL, GRAFANA_ADMIN_SECRET, GRAFANA_DATABASE_CA, GRAFANA_DATABASE_SECRET, dashboardsFor, grafanaDatasources, grafanaValues } from "./grafana";
import {
    KAFKA_BOOTSTRAP, KAFKA_CLUSTER_NAME, KAFKA_METRICS, KAFKA_METRICS_RULES, KAFKA_POOL_NAME, KAFKA_READY_ANNOTATIONS, KAFKA_SASL_BOOTSTRAP,
    KAFKA_ACCESS_READY_ANNOTATIONS, createKafkaSaslCredentials, createKafkaTls, kafkaClients, kafkaNeeded, kafkaNodePoolSpec, kafkaPodMonitorSpecs,
    kafkaSpec, kafkaTopicSpec, kafkaUserSpec, strimziValues,
} from "./kafka";
import { KIALI_SIGNING_KEY_SECRET, kialiValues } from "./kiali";
import { ampRemoteWritePolicy, ampUrls, grafanaReadPolicy, ManagedObservability } from "./managed";
import { LOKI_SERVICE_ACCOUNT, lokiValues } from "./loki";
import { MIMIR_SERVICE_ACCOUNT, mimirValues } from "./mimir";
import { istioProxyPodMonitorSpec, istiodServiceMonitorSpec, PROMETHEUS_SERVICE_ACCOUNT, prometheusValues } from "./prometheus";
import { KAFKA_NAMESPACE, MONITORING_NAMESPACE, URLS, storageClassFor } from "./shared";
import { GRAFANA_SERVICE_ACCOUNT } from "./grafana";
import { TEMPO_SERVICE_ACCOUNT, metricsGeneratorRemoteWrite, tempoDistributedValues, tempoSingleValues } from "./tempo";

export interface ObservabilityArgs {
    /** The observability slice of the validated stack config. */
    readonly config: ObservabilityConfig;
    /** Whether the Istio mesh runs: Kiali, the mesh scrape targets and the mesh dashboard exist only then. */
    readonly istioEnabled: boolean;
    /** The cluster: providers, IRSA, storage classes, keys, and what workloads wait for. */
    readonly ctx: KubernetesContext;
    /** Where the buckets' server access logs go. */
    readonly accessLogs: AccessLogs;
    /** The availability zones nodes run in, in order; Mimir's ingester and store-gateway zones are pinned to them. */
    readonly availabilityZones: readonly string[];
    /** The UIs' ALB, where the stack exposes Grafana and Kiali (ui.exposure internal or internet). */
    readonly edge?: Edge;
    /** What the AWS services of a mode other than self-managed need: the add-on's version and the keys. */
    readonly managed?: {
        readonly addonVersion: string;
        readonly logsKmsKeyArn: pulumi.Input<string>;
        readonly telemetryKmsKeyArn?: pulumi.Input<string>;
    };
    /** Grafana's shared PostgreSQL database, where the mode keeps Grafana and config.grafana.database.engine is postgres. */
    readonly grafanaDatabase?: {
        readonly address: pulumi.Input<string>;
        readonly name: string;
        /** Grafana's own least-privilege user, never the master. */
        readonly user: string;
        /** A Pulumi secret; it reaches Grafana only through a Kubernetes Secret. */
        readonly password: pulumi.Input<string>;
        /** The PostgreSQL major version, and what the Job that sets up Grafana's user reads the master password with. */
        readonly engineVersion: string;
        readonly masterSecretArn: pulumi.Input<string>;
        readonly kmsKeyArn: pulumi.Input<string>;
        /** PEM certificates of the CA that signs the server's certificate, which Grafana verifies. */
        readonly caBundle: string;
    };
}

/**
 * The config as the mode runs it: a component the mode does not keep is off, whatever its own `enabled` says, so
 * that a stack switches mode by one key and back without losing its settings. Kafka follows its users (kafkaNeeded).
 */
export function effectiveObservability(config: ObservabilityConfig): ObservabilityConfig {
    const mode = config.mode;
    return {
        ...config,
        mimir: { ...config.mimir, enabled: config.mimir.enabled && keeps(mode, "mimir") },
        tempo: { ...config.tempo, enabled: config.tempo.enabled && keeps(mode, "tempo") },
        kiali: { ...config.kiali, enabled: config.kiali.enabled && keeps(mode, "kiali") },
    };
}

/**
 * The buckets the LGTM stack keeps its data in, by purpose, as the mode runs it: Mimir's, Loki's on S3 and distributed
 * Tempo's. Data expires with its retention; rules and Alertmanager state never expire.
 */
export function observabilityBuckets(given: ObservabilityConfig): { purpose: string; retention?: string }[] {
    const config = effectiveObservability(given);
    return [
        ...(config.mimir.enabled ? [{ purpose: "mimir-blocks", retention: config.mimir.retention }, { purpose: "mimir-ruler" }, { purpose: "mimir-alertmanager" }] : []),
        ...(keeps(config.mode, "loki") && config.loki.storage === "s3" ? [{ purpose: "loki-chunks", retention: config.loki.retention }, { purpose: "loki-ruler" }] : []),
        ...(config.tempo.enabled && config.tempo.mode === "distributed" ? [{ purpose: "tempo-traces", retention: config.tempo.retention }] : []),
    ];
}

/**
 * The observability stack (AU-2, AU-6, AU-11, SI-4): Prometheus, Mimir on Kafka (over TLS), Loki
 * fed by Alloy, and Tempo with its metrics generator, on encrypted S3 with IRSA roles scoped to their
 * own buckets; Grafana with linked datasources and the platform dashboards, sharing a database
 * where it runs more than one replica; and Kiali where the mesh runs.
 */
export class Observability extends pulumi.ComponentResource {
    /** Prometheus' in-cluster URL (live metrics, short retention). */
    public readonly prometheusUrl: string;
    /** Where PromQL queries with the longest history go: Mimir where it runs, Prometheus otherwise. */
    public readonly metricsQueryUrl: pulumi.Input<string>;
    /** Loki's push and query URL, where the mode keeps Loki. */
    public readonly lokiUrl?: string;
    /** Where the mesh sends its traces (OTLP gRPC): Tempo, or the CloudWatch agent's receiver for X-Ray. */
    public readonly tracingEndpoint?: string;
    /** The mode's AWS services, where it has any. */
    public readonly managed?: ManagedObservability;
    /** Tempo's query URL and its OTLP gRPC receiver (for the mesh's tracing provider); undefined without Tempo. */
    public readonly tempoQueryUrl?: string;
    public readonly tempoOtlpGrpcEndpoint?: string;
    /** The in-cluster Grafana's URL, or Amazon Managed Grafana's. */
    public readonly grafanaUrl?: pulumi.Input<string>;
    /** The in-cluster Grafana's admin password, a Pulumi secret. */
    public readonly grafanaAdminPassword?: pulumi.Output<string>;
    /** The Kafka bootstrap address; undefined where no Kafka runs. */
    public readonly kafkaBootstrap?: string;
    /** Bucket names by purpose (mimir-blocks, loki-chunks, ...). */
    public readonly bucketNames: Record<string, pulumi.Output<string>>;
    /** The Grafana release's name (its pods alone reach Grafana's database), where the mode keeps Grafana. */
    public readonly grafanaRelease?: string;
    /** What installs the ServiceMonitor and PodMonitor CRDs (kube-prometheus-stack): other components' monitors wait for it. */
    public readonly monitoringCrds: pulumi.Resource[];

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:Observability", name, {}, opts);
        const { ctx } = args;
        const mode = args.config.mode;
        const config = effectiveObservability(args.config);
        const inCluster = (dependsOn: pulumi.Input<pulumi.Resource>[], protect = false): pulumi.CustomResourceOptions =>
            ({ parent: this, provider: ctx.kubernetesProvider, dependsOn, protect });
        const monitoring = createNamespace(MONITORING_NAMESPACE, ctx, this);

        if (config.tempo.enabled && config.tempo.mode === "distributed" && config.tempo.storage !== "s3") throw new Error("observability.tempo: distributed mode keeps traces in S3 (storage: s3)");
        const buckets: Record<string, SecureBucket> = Object.fromEntries(observabilityBuckets(config).map(({ purpose, retention }) =>
            [purpose, createBucket(`${name}-${purpose}`, retention, ctx, args.accessLogs, this)]));
        this.bucketNames = Object.fromEntries(Object.entries(buckets).map(([purpose, bucket]) => [purpose, bucket.name]));

        if (mode !== "self-managed") {
            if (!args.managed) throw new Error(`observability.mode ${mode}: the platform passed no add-on version or keys for the AWS services`);
            this.managed = new ManagedObservability(`${name}-managed`, { mode, config: config.managed, ctx, ...args.managed }, { parent: this });
        }
        const amp = this.managed?.amp;

        // kube-prometheus-stack first: its CRDs (ServiceMonitor, PodMonitor) are what the other
        // releases' monitors are made of.
        // Where AMP stores the metrics, Prometheus signs its remote writes (SigV4) as its own IRSA role.
        const prometheus = installHelmChart(`${name}-prometheus`, {
            source: CHARTS.kubePrometheusStack,
            namespace: monitoring,
            irsa: amp ? { serviceAccount: PROMETHEUS_SERVICE_ACCOUNT, policy: amp.arn.apply(ampRemoteWritePolicy) } : undefined,
            refs: amp ? { ampRemoteWrite: amp.remoteWriteUrl } : undefined,
            values: (refs) => prometheusValues(config, {
                clusterName: ctx.clusterName,
                storageClassName: ctx.storageClassName,
                remoteWrite: config.mimir.enabled ? { url: URLS.mimirPush }
                    : amp ? { url: refs.ampRemoteWrite, sigv4Region: ctx.region, roleArn: refs.irsaRoleArn! } : undefined,
                // Without Mimir, Tempo's metrics generator writes its series to Prometheus itself.
                remoteWriteReceiver: config.tempo.enabled && !config.mimir.enabled,
            }),
        }, ctx, this);
        this.monitoringCrds = [prometheus.release];
        const monitorCrds = this.monitoringCrds;

        const kafka: pulumi.Resource[] = [];
        if (kafkaNeeded(config)) {
            const kafkaNamespace = createNamespace(KAFKA_NAMESPACE, ctx, this);
            // The operator also watches the clients' namespace, where the KafkaUsers and their Secrets live.
            const strimzi = installHelmChart(`${name}-strimzi`, { source: CHARTS.strimzi, namespace: kafkaNamespace, values: () => strimziValues(config), dependsOn: [monitoring] }, ctx, this);
            const clients = kafkaClients(config);
            const credentialArgs = {
                kafkaNamespace: kafkaNamespace.metadata.name,
                clientNamespace: monitoring.metadata.name,
                provider: ctx.kubernetesProvider,
                dependsOn: [kafkaNamespace, monitoring],
            };
            const credentials = [
                ...(clients.some((c) => c.authentication === "tls") ? createKafkaTls(`${name}-kafka`, credentialArgs, this) : []),
                ...createKafkaSaslCredentials(`${name}-kafka`, { ...credentialArgs, clients, protect: ctx.protect }, this),
            ];
            const metricsConfig = new corev1.ConfigMap(`${name}-kafka-metrics`, {
                metadata: { name: KAFKA_METRICS.configMap, namespace: kafkaNamespace.metadata.name },
                data: { [KAFKA_METRICS.key]: YAML.stringify(KAFKA_METRICS_RULES) },
            }, inCluster([kafkaNamespace]));
            // The operator release brings the CRDs; the cluster objects wait for it. Pulumi waits
            // until Strimzi reports the cluster Ready, so Mimir and Tempo (which depend on it)
            // start against brokers that accept writes instead of rolling back after Helm's timeout.
            const cluster = new apiextensions.CustomResource(`${name}-kafka`, {
                apiVersion: "kafka.strimzi.io/v1",
                kind: "Kafka",
                metadata: { name: KAFKA_CLUSTER_NAME, namespace: kafkaNamespace.metadata.name, annotations: KAFKA_READY_ANNOTATIONS },
                spec: kafkaSpec(config),
            }, inCluster([strimzi.release, metricsConfig, ...credentials], ctx.protect));
            const poolSpec = kafkaNodePoolSpec(config, { storageClassName: ctx.gp3StorageClassName });
            const pool = new apiextensions.CustomResource(`${name}-kafka-pool`, {
                apiVersion: "kafka.strimzi.io/v1",
                kind: "KafkaNodePool",
                metadata: { name: KAFKA_POOL_NAME, namespace: kafkaNamespace.metadata.name, labels: { "strimzi.io/cluster": KAFKA_CLUSTER_NAME } },
                spec: poolSpec,
            }, inCluster([strimzi.release], ctx.protect));
            ctx.declaredWorkloads.push(
                { type: "kubernetes:kafka.strimzi.io/v1:Kafka", inputs: { metadata: { name: KAFKA_CLUSTER_NAME, namespace: KAFKA_NAMESPACE }, spec: kafkaSpec(config) } },
                { type: "kubernetes:kafka.strimzi.io/v1:KafkaNodePool", inputs: { metadata: { name: KAFKA_POOL_NAME, namespace: KAFKA_NAMESPACE, labels: { "strimzi.io/cluster": KAFKA_CLUSTER_NAME } }, spec: poolSpec } },
            );
            for (const [monitorName, spec] of Object.entries(kafkaPodMonitorSpecs())) {
                new apiextensions.CustomResource(`${name}-${monitorName}`, {
                    apiVersion: "monitoring.coreos.com/v1",
                    kind: "PodMonitor",
                    metadata: { name: monitorName, namespace: kafkaNamespace.metadata.name },
                    spec,
                }, inCluster([...monitorCrds, kafkaNamespace]));
                // The network policies admit Prometheus to what each monitor scrapes.
                ctx.declaredWorkloads.push({ type: "kubernetes:monitoring.coreos.com/v1:PodMonitor", inputs: { metadata: { name: monitorName, namespace: KAFKA_NAMESPACE }, spec } });
            }
            // Each client's topic and user: the Topic Operator creates the topic, the User Operator
            // sets the ACLs (and issues an mTLS client's certificate). Pulumi waits until each is
            // Ready, so the clients start against a topic that exists and credentials that work.
            const access: pulumi.Resource[] = [];
            for (const client of clients) {
                access.push(new apiextensions.CustomResource(`${name}-kafka-topic-${client.user}`, {
                    apiVersion: "kafka.strimzi.io/v1",
                    kind: "KafkaTopic",
                    metadata: { name: client.topic.name, namespace: kafkaNamespace.metadata.name, labels: { "strimzi.io/cluster": KAFKA_CLUSTER_NAME }, annotations: KAFKA_ACCESS_READY_ANNOTATIONS },
                    spec: kafkaTopicSpec(config, client),
                }, inCluster([cluster], ctx.protect)));
                access.push(new apiextensions.CustomResource(`${name}-kafka-user-${client.user}`, {
                    apiVersion: "kafka.strimzi.io/v1",
                    kind: "KafkaUser",
                    metadata: { name: client.user, namespace: monitoring.metadata.name, labels: { "strimzi.io/cluster": KAFKA_CLUSTER_NAME }, annotations: KAFKA_ACCESS_READY_ANNOTATIONS },
                    spec: kafkaUserSpec(client),
                }, inCluster([cluster])));
            }
            kafka.push(cluster, pool, ...access, ...credentials);
            this.kafkaBootstrap = KAFKA_BOOTSTRAP;
        }

        if (config.mimir.enabled) {
            const mimirBuckets = [buckets["mimir-blocks"], buckets["mimir-ruler"], buckets["mimir-alertmanager"]];
            installHelmChart(`${name}-mimir`, {
                source: CHARTS.mimir,
                namespace: monitoring,
                irsa: { serviceAccount: MIMIR_SERVICE_ACCOUNT, policy: bucketAccessPolicy(mimirBuckets, ctx) },
                refs: { blocks: mimirBuckets[0].name, ruler: mimirBuckets[1].name, alertmanager: mimirBuckets[2].name },
                values: ({ irsaRoleArn, blocks, ruler, alertmanager }) => mimirValues(config, {
                    region: ctx.region,
                    buckets: { blocks, ruler, alertmanager },
                    roleArn: irsaRoleArn!,
                    availabilityZones: args.availabilityZones,
                    storageClassName: ctx.storageClassName,
                    kafkaAddress: config.mimir.architecture === "ingest-storage" ? KAFKA_BOOTSTRAP : undefined,
                }),
                dependsOn: [...monitorCrds, ...kafka],
            }, ctx, this);
        }

        if (keeps(mode, "loki")) {
            const lokiOnS3 = config.loki.storage === "s3";
            const lokiBuckets = lokiOnS3 ? [buckets["loki-chunks"], buckets["loki-ruler"]] : [];
            const loki = installHelmChart(`${name}-loki`, {
                source: CHARTS.loki,
                namespace: monitoring,
                irsa: lokiOnS3 ? { serviceAccount: LOKI_SERVICE_ACCOUNT, policy: bucketAccessPolicy(lokiBuckets, ctx) } : undefined,
                refs: lokiOnS3 ? { chunks: lokiBuckets[0].name, ruler: lokiBuckets[1].name } : undefined,
                values: (refs) => {
                    const base = { region: ctx.region, storageClassName: ctx.storageClassName };
                    return lokiOnS3 ? lokiValues(config, { ...base, roleArn: refs.irsaRoleArn, buckets: { chunks: refs.chunks, ruler: refs.ruler } }) : lokiValues(config, base);
                },
                dependsOn: monitorCrds,
            }, ctx, this);

            // Collectors after Loki's release, so that their first pushes find the gateway.
            for (const role of ["logs", "events"] as AlloyRole[]) {
                installHelmChart(`${name}-${ALLOY_RELEASES[role]}`, {
                    source: CHARTS.alloy,
                    namespace: monitoring,
                    values: () => alloyValues(role, { config: config.alloy, clusterName: ctx.clusterName }),
                    dependsOn: [...monitorCrds, loki.release],
                }, ctx, this);
            }
            this.lokiUrl = URLS.loki;
        }

        if (config.tempo.enabled && config.tempo.mode === "distributed") {
            const traces = buckets["tempo-traces"];
            installHelmChart(`${name}-tempo`, {
                source: CHARTS.tempoDistributed,
                namespace: monitoring,
                irsa: { serviceAccount: TEMPO_SERVICE_ACCOUNT, policy: bucketAccessPolicy([traces], ctx) },
                refs: { bucket: traces.name },
                values: ({ irsaRoleArn, bucket }) => tempoDistributedValues(config, {
                    region: ctx.region, bucket, roleArn: irsaRoleArn!, kafkaAddress: KAFKA_SASL_BOOTSTRAP,
                    remoteWriteUrl: metricsGeneratorRemoteWrite(config.mimir.enabled),
                }),
                dependsOn: [...monitorCrds, ...kafka],
            }, ctx, this);
            this.tempoQueryUrl = URLS.tempoDistributedQuery;
            this.tempoOtlpGrpcEndpoint = URLS.tempoDistributedOtlpGrpc;
        } else if (config.tempo.enabled) {
            installHelmChart(`${name}-tempo`, {
                source: CHARTS.tempo,
                namespace: monitoring,
                values: () => tempoSingleValues(config, { storageClassName: ctx.storageClassName, remoteWriteUrl: metricsGeneratorRemoteWrite(config.mimir.enabled) }),
                dependsOn: monitorCrds,
            }, ctx, this);
            this.tempoQueryUrl = URLS.tempoSingleQuery;
            this.tempoOtlpGrpcEndpoint = URLS.tempoSingleOtlpGrpc;
        }

        this.metricsQueryUrl = config.mimir.enabled ? URLS.mimirQuery : amp ? amp.endpoint.apply((e) => ampUrls(e).query) : URLS.prometheus;
        if (keeps(mode, "grafana")) {
            // The admin password lives only in a Secret the chart points at, never in release values.
            // Grafana reads it when it first creates its database, so it is protected in prod: a new
            // password would not reach an existing Grafana.
            const adminPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this, protect: ctx.protect });
            // RandomPassword marks its result secret; saying so here keeps it secret whatever the provider does.
            this.grafanaAdminPassword = pulumi.secret(adminPassword.result);
            const adminSecret = new corev1.Secret(`${name}-grafana-admin`, {
                metadata: { name: GRAFANA_ADMIN_SECRET.name, namespace: monitoring.metadata.name },
                type: "Opaque",
                stringData: { [GRAFANA_ADMIN_SECRET.userKey]: "admin", [GRAFANA_ADMIN_SECRET.passwordKey]: this.grafanaAdminPassword },
            }, inCluster([monitoring], ctx.protect));
            for (const dashboard of dashboardsFor(config, args.istioEnabled)) {
                const stem = dashboard.file.replace(/\.json$/, "");
                new corev1.ConfigMap(`${name}-dashboard-${stem}`, {
                    metadata: {
                        name: `dashboard-${stem}`,
                        namespace: monitoring.metadata.name,
                        labels: { [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value },
                        annotations: { [DASHBOARD_FOLDER_ANNOTATION]: "Platform" },
                    },
                    data: { [dashboard.file]: JSON.stringify(dashboard.json) },
                }, inCluster([monitoring]));
            }
            const database = args.grafanaDatabase;
            if ((config.grafana.database.engine === "postgres") !== (database !== undefined)) {
                throw new Error(`observability.grafana.database.engine is ${config.grafana.database.engine}, but the platform ${database ? "passed" : "did not pass"} a database`);
            }
            const grafanaInputs: pulumi.Resource[] = [adminSecret];
            let databaseUserJob: pulumi.Output<string> | undefined;
            if (database) {
                const passwordSecret = new corev1.Secret(`${name}-grafana-database`, {
                    metadata: { name: GRAFANA_DATABASE_SECRET.name, namespace: monitoring.metadata.name },
                    type: "Opaque",
                    stringData: { [GRAFANA_DATABASE_SECRET.passwordKey]: pulumi.secret(database.password) },
                }, inCluster([monitoring]));
                const caConfigMap = new corev1.ConfigMap(`${name}-grafana-database-ca`, {
                    metadata: { name: GRAFANA_DATABASE_CA.configMap, namespace: monitoring.metadata.name },
                    data: { [GRAFANA_DATABASE_CA.key]: database.caBundle },
                }, inCluster([monitoring]));
                // Grafana starts only once its own user exists with this password.
                const userJob = createDatabaseClientUser(`${name}-grafana-db`, {
                    address: database.address,
                    databaseName: database.name,
                    engineVersion: database.engineVersion,
                    username: database.user,
                    passwordSecret: { name: GRAFANA_DATABASE_SECRET.name, key: GRAFANA_DATABASE_SECRET.passwordKey },
                    password: database.password,
                    masterSecretArn: database.masterSecretArn,
                    kmsKeyArn: database.kmsKeyArn,
                    serverCa: { configMap: GRAFANA_DATABASE_CA.configMap, key: GRAFANA_DATABASE_CA.key },
                    namespace: MONITORING_NAMESPACE,
                    dependsOn: [monitoring, passwordSecret, caConfigMap],
                }, ctx, this);
                grafanaInputs.push(passwordSecret, caConfigMap, userJob);
                databaseUserJob = userJob.metadata.name;
            }
            this.grafanaRelease = `${name}-grafana`;
            const grafanaExposure = args.edge?.exposure("grafana");
            // In hybrid, Grafana queries AMP (SigV4) and CloudWatch as its own IRSA role.
            const grafanaReads = amp ? pulumi.all([amp.arn, pulumi.all(this.managed!.logGroupArns)]).apply(([workspaceArn, logGroupArns]) => grafanaReadPolicy({ workspaceArn, logGroupArns, xray: false })) : undefined;
            installHelmChart(this.grafanaRelease, {
                source: CHARTS.grafana,
                namespace: monitoring,
                irsa: grafanaReads ? { serviceAccount: GRAFANA_SERVICE_ACCOUNT, policy: grafanaReads } : undefined,
                refs: {
                ...(database && databaseUserJob ? { databaseAddress: database.address, databaseUserJob } : {}),
                ...(amp ? { ampEndpoint: amp.endpoint } : {}),
                ...(grafanaExposure?.refs ?? {}),
            } as Record<string, pulumi.Input<string>>,
                values: (refs: Record<string, string>) => grafanaValues(config, {
                    roleArn: refs.irsaRoleArn,
                    ingress: grafanaExposure && uiIngress(grafanaExposure, "/api/health", refs),
                    oauth: grafanaExposure && grafanaOAuth(grafanaExposure, refs),
                    storageClassName: config.grafana.storageClass ? storageClassFor(config.grafana.storageClass, ctx) : undefined,
                    database: database ? { address: refs.databaseAddress, name: database.name, user: database.user, userJob: refs.databaseUserJob } : undefined,
                    datasources: grafanaDatasources({
                        metricsUrl: amp ? ampUrls(refs.ampEndpoint).query : config.mimir.enabled ? URLS.mimirQuery : URLS.prometheus,
                        metricsName: config.mimir.enabled ? "Mimir" : amp ? "Amazon Managed Prometheus" : "Prometheus",
                        aws: amp ? { region: ctx.region } : undefined,
                        tempoUrl: this.tempoQueryUrl,
                        istioEnabled: args.istioEnabled,
                    }),
                }),
                dependsOn: [...monitorCrds, ...grafanaInputs, ...(grafanaExposure?.ready ?? []), ...(grafanaExposure?.clientSecretIn(MONITORING_NAMESPACE, monitoring) ?? [])],
            }, ctx, this);

        }
        if (args.istioEnabled) {
            new apiextensions.CustomResource(`${name}-istio-proxies`, {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PodMonitor",
                metadata: { name: "istio-proxies", namespace: monitoring.metadata.name },
                spec: istioProxyPodMonitorSpec(),
            }, inCluster(monitorCrds));
            new apiextensions.CustomResource(`${name}-istiod`, {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: { name: "istiod", namespace: monitoring.metadata.name },
                spec: istiodServiceMonitorSpec(),
            }, inCluster(monitorCrds));
            ctx.declaredWorkloads.push(
                { type: "kubernetes:monitoring.coreos.com/v1:PodMonitor", inputs: { metadata: { name: "istio-proxies", namespace: MONITORING_NAMESPACE }, spec: istioProxyPodMonitorSpec() } },
                { type: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", inputs: { metadata: { name: "istiod", namespace: MONITORING_NAMESPACE }, spec: istiodServiceMonitorSpec() } },
            );
            if (config.kiali.enabled) {
                // Generated once per stack and kept in the state, so upgrades keep sessions valid.
                const signingKey = new random.RandomPassword(`${name}-kiali-signing-key`, { length: KIALI_SIGNING_KEY_SECRET.length, special: false }, { parent: this });
                const signingKeySecret = new corev1.Secret(`${name}-kiali-signing-key`, {
                    metadata: { name: KIALI_SIGNING_KEY_SECRET.name, namespace: monitoring.metadata.name },
                    type: "Opaque",
                    stringData: { [KIALI_SIGNING_KEY_SECRET.key]: pulumi.secret(signingKey.result) },
                }, inCluster([monitoring]));
                const kialiExposure = args.edge?.exposure("kiali");
                installHelmChart(`${name}-kiali`, {
                    source: CHARTS.kialiServer,
                    namespace: monitoring,
                    refs: kialiExposure?.refs,
                    values: (refs) => kialiValues(config, {
                        prometheusUrl: URLS.prometheus,
                        tempoUrl: this.tempoQueryUrl,
                        grafanaExternalUrl: config.grafana.url,
                        grafanaInCluster: keeps(mode, "grafana"),
                        ingress: kialiExposure && uiIngress(kialiExposure, "/kiali/healthz", refs),
                        openId: kialiExposure && uiOpenId(kialiExposure, refs),
                    }),
                    dependsOn: [signingKeySecret, ...(kialiExposure?.ready ?? []), ...(kialiExposure?.clientSecretIn(MONITORING_NAMESPACE, monitoring) ?? [])],
                }, ctx, this);
            }
        }

        this.prometheusUrl = URLS.prometheus;
        this.grafanaUrl = keeps(mode, "grafana") ? URLS.grafana : this.managed?.grafanaWorkspaceUrl;
        this.tracingEndpoint = this.tempoOtlpGrpcEndpoint ?? this.managed?.otlpGrpcEndpoint;
        this.registerOutputs({
            prometheusUrl: this.prometheusUrl,
            metricsQueryUrl: this.metricsQueryUrl,
            lokiUrl: this.lokiUrl,
            tempoQueryUrl: this.tempoQueryUrl,
            tempoOtlpGrpcEndpoint: this.tempoOtlpGrpcEndpoint,
            grafanaUrl: this.grafanaUrl,
            grafanaAdminPassword: this.grafanaAdminPassword,
            kafkaBootstrap: this.kafkaBootstrap,
            bucketNames: this.bucketNames,
        });
    }
}
