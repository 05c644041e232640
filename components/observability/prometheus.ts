/**
 * Prometheus through kube-prometheus-stack: the operator, one Prometheus, Alertmanager,
 * kube-state-metrics and node-exporter. Grafana comes from its own release, so the bundled one is off.
 */
import { ObservabilityConfig } from "../../config/schema";
import { podResourcesOf, zoneSpread } from "../helm/values";
import { HA_LABELS } from "./shared";
import { ROLE_ARN_ANNOTATION } from "../../lib/irsa";

export interface PrometheusValuesOptions {
    /** The cluster's name, stamped on every series as `cluster` so that Mimir can tell sources apart. */
    readonly clusterName: string;
    /** The StorageClass of the TSDB volume. */
    readonly storageClassName: string;
    /**
     * Where samples are remote-written for long-term storage (undefined keeps them local only): Mimir's push URL, or
     * AMP's, signed with SigV4 for its region as the IRSA role of Prometheus' service account.
     */
    readonly remoteWrite?: { readonly url: string; readonly sigv4Region?: string; readonly roleArn?: string };
    /** Accept remote writes (Tempo's metrics generator where no Mimir runs). */
    readonly remoteWriteReceiver: boolean;
}

/** The service account Prometheus runs as (the chart's, named after fullnameOverride): AMP's IRSA role is for it. */
export const PROMETHEUS_SERVICE_ACCOUNT = "kube-prometheus-stack-prometheus";

/** Keeps the TSDB under 85% of its volume: size-based retention stops a burst of series from filling the disk before time-based retention catches up. */
export function retentionSize(storageSize: string): string {
    const gib = Number(/^(\d+)Gi$/.exec(storageSize)?.[1]);
    if (!Number.isFinite(gib) || gib <= 0) throw new Error(`"${storageSize}" is not a size in Gi such as 50Gi`);
    return `${Math.floor(gib * 0.85)}GB`;
}

/** The labels the Prometheus operator gives the pods of the Prometheus and Alertmanager below. */
export const OPERATED_POD_LABELS = {
    prometheus: { "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/instance": "kube-prometheus-stack-prometheus" },
    alertmanager: { "app.kubernetes.io/name": "alertmanager", "alertmanager": "kube-prometheus-stack-alertmanager" },
} as const;

/**
 * The kube-prometheus-stack values for one stack. Above one replica, Prometheus and Alertmanager
 * spread over zones and keep a PodDisruptionBudget; Prometheus replicas scrape the same targets and
 * send the same `cluster` with their own `__replica__` label, which Mimir's HA tracker deduplicates
 * (mimir.ts), and Alertmanager replicas gossip (the operator peers them) so an alert goes out once.
 */
export function prometheusValues(config: ObservabilityConfig, opts: PrometheusValuesOptions): Record<string, unknown> {
    const prometheus = config.prometheus;
    const size = prometheus.resources;
    const ha = (replicas: number, labels: Readonly<Record<string, string>>) => replicas > 1
        ? { podDisruptionBudget: { enabled: true, minAvailable: 1 }, spread: { topologySpreadConstraints: zoneSpread(labels) } }
        : { podDisruptionBudget: { enabled: false }, spread: {} };
    const prometheusHa = ha(prometheus.replicas, OPERATED_POD_LABELS.prometheus);
    const alertmanagerHa = ha(prometheus.alertmanagerReplicas, OPERATED_POD_LABELS.alertmanager);
    return {
        fullnameOverride: "kube-prometheus-stack",
        // Our own grafana release owns dashboards and datasources.
        grafana: { enabled: false },
        // EKS runs etcd, the scheduler and the controller manager out of reach, and kube-proxy
        // exposes no metrics port on the node: these scrapes would only ever fail.
        kubeEtcd: { enabled: false },
        kubeScheduler: { enabled: false },
        kubeControllerManager: { enabled: false },
        kubeProxy: { enabled: false },
        prometheusOperator: {
            resources: podResourcesOf(size.operator),
            prometheusConfigReloader: { resources: podResourcesOf(size.configReloader) },
            admissionWebhooks: { patch: { resources: podResourcesOf(size.webhookPatch) } },
        },
        prometheus: {
            ...(opts.remoteWrite?.roleArn ? { serviceAccount: { annotations: { [ROLE_ARN_ANNOTATION]: opts.remoteWrite.roleArn } } } : {}),
            podDisruptionBudget: prometheusHa.podDisruptionBudget,
            prometheusSpec: {
                replicas: prometheus.replicas,
                ...prometheusHa.spread,
                replicaExternalLabelName: HA_LABELS.replica,
                retention: prometheus.retention,
                retentionSize: retentionSize(prometheus.storageSize),
                resources: podResourcesOf(size.prometheus),
                externalLabels: { [HA_LABELS.cluster]: opts.clusterName },
                // Select ServiceMonitors, PodMonitors, rules, probes and scrape configs from every
                // release, not only those labelled with this release's name.
                serviceMonitorSelectorNilUsesHelmValues: false,
                podMonitorSelectorNilUsesHelmValues: false,
                ruleSelectorNilUsesHelmValues: false,
                probeSelectorNilUsesHelmValues: false,
                scrapeConfigSelectorNilUsesHelmValues: false,
                storageSpec: {
                    volumeClaimTemplate: {
                        spec: {
                            storageClassName: opts.storageClassName,
                            accessModes: ["ReadWriteOnce"],
                            resources: { requests: { storage: prometheus.storageSize } },
                        },
                    },
                },
                remoteWrite: opts.remoteWrite === undefined ? [] : [{ url: opts.remoteWrite.url, ...(opts.remoteWrite.sigv4Region ? { sigv4: { region: opts.remoteWrite.sigv4Region } } : {}) }],
                enableRemoteWriteReceiver: opts.remoteWriteReceiver,
            },
        },
        alertmanager: {
            podDisruptionBudget: alertmanagerHa.podDisruptionBudget,
            alertmanagerSpec: { replicas: prometheus.alertmanagerReplicas, ...alertmanagerHa.spread, resources: podResourcesOf(size.alertmanager) },
        },
        "kube-state-metrics": { resources: podResourcesOf(size.kubeStateMetrics) },
        "prometheus-node-exporter": { resources: podResourcesOf(size.nodeExporter) },
    };
}

/**
 * The PodMonitor that scrapes every Istio sidecar's merged metrics endpoint (port 15020, outside
 * mTLS), so that Kiali, the mesh dashboard and trace-to-metrics links have request metrics.
 * It follows Istio's own prometheus-operator example.
 */
export function istioProxyPodMonitorSpec(): Record<string, unknown> {
    return {
        selector: { matchExpressions: [{ key: "istio-prometheus-ignore", operator: "DoesNotExist" }] },
        namespaceSelector: { any: true },
        jobLabel: "envoy-stats",
        podMetricsEndpoints: [{
            path: "/stats/prometheus",
            interval: "15s",
            relabelings: [
                { action: "keep", sourceLabels: ["__meta_kubernetes_pod_container_name"], regex: "istio-proxy" },
                { action: "keep", sourceLabels: ["__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape"], regex: "true" },
                {
                    action: "replace",
                    sourceLabels: ["__meta_kubernetes_pod_annotation_prometheus_io_port", "__meta_kubernetes_pod_ip"],
                    regex: "(\\d+);((([0-9]+?)(\\.|$)){4})",
                    replacement: "$2:$1",
                    targetLabel: "__address__",
                },
                { action: "labeldrop", regex: "__meta_kubernetes_pod_label_(.+)" },
                { action: "replace", sourceLabels: ["__meta_kubernetes_namespace"], targetLabel: "namespace" },
                { action: "replace", sourceLabels: ["__meta_kubernetes_pod_name"], targetLabel: "pod" },
            ],
        }],
    };
}

/** The ServiceMonitor for istiod's own metrics (xDS pushes, connected proxies). */
export function istiodServiceMonitorSpec(): Record<string, unknown> {
    return {
        jobLabel: "istio",
        targetLabels: ["app"],
        selector: { matchExpressions: [{ key: "istio", operator: "In", values: ["pilot"] }] },
        namespaceSelector: { any: true },
        endpoints: [{ port: "http-monitoring", interval: "15s" }],
    };
}
