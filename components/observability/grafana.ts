/**
 * Grafana: datasources for metrics (Prometheus or Mimir), logs and traces with the links between
 * them, the platform dashboards from ConfigMaps, and an admin password that never enters values.
 */
import { GrafanaOAuth, UiIngress } from "../../lib/alb";
import { ObservabilityConfig } from "../../config/schema";
import { podResourcesOf, zoneSpread } from "../helm/values";
import clusterOverview from "./dashboards/cluster-overview.json";
import istioMesh from "./dashboards/istio-mesh.json";
import lgtmSelfMonitoring from "./dashboards/lgtm-self-monitoring.json";
import nodeResources from "./dashboards/node-resources.json";
import podResourcesDashboard from "./dashboards/pod-resources.json";
import { MONITORING_NAMESPACE, URLS } from "./shared";
import { ROLE_ARN_ANNOTATION } from "../../lib/irsa";

/** The Secret holding the admin user and password; the chart reads it through `admin.existingSecret`. */
export const GRAFANA_ADMIN_SECRET = { name: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } as const;

/** The label the dashboard sidecar watches, and the annotation that names a dashboard's folder. */
export const DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;
export const DASHBOARD_FOLDER_ANNOTATION = "grafana_folder";

export interface Dashboard {
    /** The ConfigMap key and file name, e.g. cluster-overview.json. */
    readonly file: string;
    readonly json: { readonly uid: string; readonly title: string; readonly panels: readonly unknown[] };
    /** Only meaningful where Istio runs. */
    readonly needsIstio: boolean;
}

/** The five platform dashboards committed under ./dashboards. */
export const DASHBOARDS: readonly Dashboard[] = [
    { file: "cluster-overview.json", json: clusterOverview, needsIstio: false },
    { file: "node-resources.json", json: nodeResources, needsIstio: false },
    { file: "pod-resources.json", json: podResourcesDashboard, needsIstio: false },
    { file: "istio-mesh.json", json: istioMesh, needsIstio: true },
    { file: "lgtm-self-monitoring.json", json: lgtmSelfMonitoring, needsIstio: false },
];

/** The dashboards a stack loads: none without the sidecar, and the mesh dashboard only with a mesh. */
export function dashboardsFor(config: ObservabilityConfig, istioEnabled: boolean): Dashboard[] {
    return config.grafana.dashboards ? DASHBOARDS.filter((d) => istioEnabled || !d.needsIstio) : [];
}

/** The dashboards Kiali links to, by title, with the Grafana variables its links fill in. */
export const KIALI_DASHBOARDS = [
    { name: "Istio mesh", variables: { namespace: "var-namespace", datasource: "var-datasource" } },
];

/** The Secret holding the shared database's password, which Grafana reads into GF_DATABASE_PASSWORD. */
export const GRAFANA_DATABASE_SECRET = { name: "grafana-database", passwordKey: "password" } as const;

/**
 * The ConfigMap holding the RDS CA bundle of the stack's region, and where Grafana's pods mount it:
 * Grafana hands the file to the PostgreSQL driver as its root certificate (sslrootcert).
 */
export const GRAFANA_DATABASE_CA = { configMap: "grafana-database-ca", key: "rds-ca.pem", mountPath: "/etc/grafana/database-ca" } as const;

/** Unified alerting's gossip port; replicas find each other through the chart's headless service. */
export const GRAFANA_GOSSIP_PORT = 9094;
export const GRAFANA_HA_PEERS = `grafana-headless.${MONITORING_NAMESPACE}.svc.cluster.local:${GRAFANA_GOSSIP_PORT}`;

/** Where Grafana keeps its state when it shares a PostgreSQL database. */
export interface GrafanaDatabase {
    /** host:port of the database. */
    readonly address: string;
    readonly name: string;
    readonly user: string;
    /**
     * The Job that last set the user's password (its name follows the password): a pod annotation,
     * so that Grafana restarts onto a rotated password right after the database has it.
     */
    readonly userJob: string;
}

/** The pod annotation that names the Job which set Grafana's database password. */
export const DATABASE_USER_JOB_ANNOTATION = "platform.nist-eks/database-user-job";

/** Stable datasource uids, so that dashboards, links and Kiali can refer to them. */
export const DATASOURCE_UIDS = { metrics: "metrics", loki: "loki", tempo: "tempo" } as const;

export interface DatasourceOptions {
    /** Where PromQL queries go: Mimir when it runs (long-term history), Prometheus otherwise. */
    readonly metricsUrl: string;
    readonly metricsName: "Mimir" | "Prometheus" | "Amazon Managed Prometheus";
    /** Where the metrics are AMP's (hybrid): queries are signed with SigV4 for this region, and CloudWatch is a datasource too. */
    readonly aws?: { readonly region: string };
    /** Tempo's query endpoint; undefined where Tempo is off. */
    readonly tempoUrl?: string;
    /** With Istio, trace-to-metrics links open the mesh's request metrics for the span's service. */
    readonly istioEnabled: boolean;
}

/**
 * The provisioned datasources. Grafana expands `$VAR` in provisioning files, so the `$` of
 * Grafana's own link variables is doubled.
 */
export function grafanaDatasources(opts: DatasourceOptions): Record<string, unknown>[] {
    const metrics = {
        name: opts.metricsName,
        uid: DATASOURCE_UIDS.metrics,
        type: "prometheus",
        access: "proxy",
        url: opts.metricsUrl,
        isDefault: true,
        jsonData: {
            httpMethod: "POST",
            // The default credential chain: the IRSA role of Grafana's service account.
            ...(opts.aws ? { sigV4Auth: true, sigV4AuthType: "default", sigV4Region: opts.aws.region } : {}),
            ...(opts.tempoUrl ? { exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: DATASOURCE_UIDS.tempo }] } : {}),
        },
    };
    const loki = {
        name: "Loki",
        uid: DATASOURCE_UIDS.loki,
        type: "loki",
        access: "proxy",
        url: URLS.loki,
        jsonData: {
            maxLines: 1000,
            ...(opts.tempoUrl ? {
                // A trace id in a log line becomes a link to the trace.
                derivedFields: [{ name: "TraceID", matcherRegex: "(?:traceID|trace_id|traceId)[=:\"\\s]+(\\w+)", datasourceUid: DATASOURCE_UIDS.tempo, url: "$${__value.raw}" }],
            } : {}),
        },
    };
    const cloudwatch = opts.aws ? [{ name: "CloudWatch", uid: "cloudwatch", type: "cloudwatch", access: "proxy", jsonData: { authType: "default", defaultRegion: opts.aws.region } }] : [];
    if (!opts.tempoUrl) return [metrics, loki, ...cloudwatch];
    const spanMetrics = opts.istioEnabled
        ? {
            tags: [{ key: "istio.canonical_service", value: "destination_canonical_service" }, { key: "istio.namespace", value: "destination_service_namespace" }],
            queries: [
                { name: "Request rate", query: "sum(rate(istio_requests_total{reporter=\"destination\", $$__tags}[5m]))" },
                { name: "Error rate", query: "sum(rate(istio_requests_total{reporter=\"destination\", response_code=~\"5..\", $$__tags}[5m]))" },
                { name: "p95 latency (ms)", query: "histogram_quantile(0.95, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter=\"destination\", $$__tags}[5m])))" },
            ],
        }
        : {
            tags: [{ key: "k8s.namespace.name", value: "namespace" }, { key: "k8s.pod.name", value: "pod" }],
            queries: [
                { name: "Pod CPU", query: "sum(rate(container_cpu_usage_seconds_total{container!=\"\", $$__tags}[5m]))" },
                { name: "Pod memory", query: "sum(container_memory_working_set_bytes{container!=\"\", $$__tags})" },
            ],
        };
    const tempo = {
        name: "Tempo",
        uid: DATASOURCE_UIDS.tempo,
        type: "tempo",
        access: "proxy",
        url: opts.tempoUrl,
        jsonData: {
            tracesToLogsV2: {
                datasourceUid: DATASOURCE_UIDS.loki,
                spanStartTimeShift: "-5m",
                spanEndTimeShift: "5m",
                filterByTraceID: true,
                tags: [{ key: "k8s.namespace.name", value: "namespace" }],
            },
            tracesToMetrics: { datasourceUid: DATASOURCE_UIDS.metrics, spanStartTimeShift: "-5m", spanEndTimeShift: "5m", ...spanMetrics },
            serviceMap: { datasourceUid: DATASOURCE_UIDS.metrics },
            nodeGraph: { enabled: true },
            lokiSearch: { datasourceUid: DATASOURCE_UIDS.loki },
        },
    };
    return [metrics, loki, tempo, ...cloudwatch];
}

/** The service account Grafana runs as (the chart's, named after fullnameOverride): hybrid's IRSA role is for it. */
export const GRAFANA_SERVICE_ACCOUNT = "grafana";

export interface GrafanaValuesOptions {
    /** The IRSA role Grafana signs AMP and CloudWatch queries as (hybrid). */
    readonly roleArn?: string;
    /** The StorageClass for the SQLite volume; undefined with a shared database. */
    readonly storageClassName?: string;
    readonly datasources: Record<string, unknown>[];
    /** The shared PostgreSQL database; undefined keeps each replica on SQLite. */
    readonly database?: GrafanaDatabase;
    /** Grafana's Ingress on the UIs' ALB, where the stack exposes the UIs (components/edge). */
    readonly ingress?: UiIngress;
    /** Sign-in with the ALB's identity provider, its groups giving the role (components/edge grafanaOAuth). */
    readonly oauth?: GrafanaOAuth;
}

/**
 * What a shared database changes: state (users, dashboards, alert rules, sessions) in PostgreSQL
 * over verified TLS (the CA bundle in {@link GRAFANA_DATABASE_CA}), no volume, and unified
 * alerting peering over the headless service so that the replicas' Alertmanagers deduplicate and
 * each alert is sent once.
 */
function sharedDatabaseValues(database: GrafanaDatabase): { values: Record<string, unknown>; ini: Record<string, unknown> } {
    return {
        values: {
            persistence: { enabled: false },
            headlessService: true,
            envValueFrom: { GF_DATABASE_PASSWORD: { secretKeyRef: { name: GRAFANA_DATABASE_SECRET.name, key: GRAFANA_DATABASE_SECRET.passwordKey } } },
            podAnnotations: { [DATABASE_USER_JOB_ANNOTATION]: database.userJob },
            extraConfigmapMounts: [{ name: "database-ca", configMap: GRAFANA_DATABASE_CA.configMap, mountPath: GRAFANA_DATABASE_CA.mountPath, readOnly: true }],
        },
        ini: {
            // RDS refuses plaintext (rds.force_ssl), and verify-full checks that the server's
            // certificate chains to the region's RDS root and names the host Grafana dialled, so
            // nothing between can pose as the database (SC-8, IA-3). The host is the RDS endpoint,
            // which the certificate names: no server_cert_name (a MySQL-only key) is needed.
            database: {
                type: "postgres", host: database.address, name: database.name, user: database.user,
                ssl_mode: "verify-full", ca_cert_path: `${GRAFANA_DATABASE_CA.mountPath}/${GRAFANA_DATABASE_CA.key}`,
            },
            // Sessions and short-lived state in the database: a login survives a pod restart and works on every replica.
            remote_cache: { type: "database" },
            unified_alerting: {
                enabled: true,
                ha_peers: GRAFANA_HA_PEERS,
                ha_listen_address: `\${POD_IP}:${GRAFANA_GOSSIP_PORT}`,
                ha_advertise_address: `\${POD_IP}:${GRAFANA_GOSSIP_PORT}`,
            },
        },
    };
}

/**
 * Sign-in with the provider the ALB signs users in with: Grafana redirects there itself (the
 * provider's session makes it silent), creates the user on first sign-in, and takes the role from
 * the groups claim; a user in none of the role groups is refused (role_attribute_strict). The
 * login form stays for the admin user (break-glass: /login?disableAutoLogin), whose password is a
 * Secret. The client's secret reaches Grafana as an environment variable from its Secret.
 */
function oauthValues(oauth: GrafanaOAuth): { ini: Record<string, unknown>; envValueFrom: Record<string, unknown> } {
    return {
        ini: {
            "auth.generic_oauth": {
                enabled: true,
                name: oauth.name,
                client_id: oauth.clientId,
                scopes: "openid email profile",
                auth_url: oauth.authUrl,
                token_url: oauth.tokenUrl,
                api_url: oauth.apiUrl,
                use_pkce: true,
                allow_sign_up: true,
                auto_login: true,
                login_attribute_path: "email",
                email_attribute_path: "email",
                role_attribute_path: oauth.roleAttributePath,
                role_attribute_strict: true,
            },
        },
        envValueFrom: { GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: { secretKeyRef: { name: oauth.clientSecret.name, key: oauth.clientSecret.key } } },
    };
}

/** The grafana chart values for one stack. */
export function grafanaValues(config: ObservabilityConfig, opts: GrafanaValuesOptions): Record<string, unknown> {
    const grafana = config.grafana;
    if (grafana.replicas > 1 && !opts.database) {
        throw new Error(`observability.grafana.replicas is ${grafana.replicas}: more than one Grafana needs a shared database (observability.grafana.database.engine postgres)`);
    }
    if (!opts.database && (grafana.storageSize === undefined || opts.storageClassName === undefined)) {
        throw new Error("observability.grafana: Grafana on SQLite needs storageSize and storageClass for its volume");
    }
    const shared = opts.database ? sharedDatabaseValues(opts.database) : undefined;
    const oauth = opts.oauth ? oauthValues(opts.oauth) : undefined;
    return {
        fullnameOverride: "grafana",
        replicas: grafana.replicas,
        ...(opts.roleArn ? { serviceAccount: { annotations: { [ROLE_ARN_ANNOTATION]: opts.roleArn } } } : {}),
        // Replicas on a shared database: one in each zone, and a drain takes one at a time.
        ...(grafana.replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 }, topologySpreadConstraints: zoneSpread({ "app.kubernetes.io/name": "grafana" }) } : {}),
        ...(shared?.values ?? {
            // SQLite on the pod's own EBS volume, for the single replica the schema allows on SQLite.
            persistence: { enabled: true, type: "statefulset", size: grafana.storageSize, storageClassName: opts.storageClassName },
        }),
        // The CSI driver applies fsGroup, so the chown init container, which runs as root, is not needed.
        initChownData: { enabled: false },
        admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
        resources: podResourcesOf(grafana.resources.grafana),
        sidecar: {
            resources: podResourcesOf(grafana.resources.sidecar),
            dashboards: {
                enabled: grafana.dashboards,
                label: DASHBOARD_LABEL.key,
                labelValue: DASHBOARD_LABEL.value,
                folderAnnotation: DASHBOARD_FOLDER_ANNOTATION,
                provider: { foldersFromFilesStructure: true },
            },
        },
        datasources: { "datasources.yaml": { apiVersion: 1, datasources: opts.datasources } },
        serviceMonitor: { enabled: true },
        ...(opts.ingress ? { ingress: { enabled: true, ingressClassName: opts.ingress.className, annotations: { ...opts.ingress.annotations }, hosts: [opts.ingress.host], path: "/", pathType: "Prefix" } } : {}),
        "grafana.ini": {
            analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
            users: { allow_sign_up: false },
            // Links in alert notifications and Kiali's trace links use the address operators open.
            server: { root_url: grafana.url },
            // SigV4 signing of datasource requests (AMP in hybrid) is off unless turned on.
            ...(opts.roleArn ? { auth: { sigv4_auth_enabled: true } } : {}),
            ...(shared?.ini ?? {}),
            ...(oauth?.ini ?? {}),
        },
        ...(shared?.values.envValueFrom || oauth ? { envValueFrom: { ...(shared?.values.envValueFrom as object | undefined), ...oauth?.envValueFrom } } : {}),
    };
}
