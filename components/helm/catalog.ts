/**
 * The Helm charts the platform installs, each pinned to one version from its current home
 * (grafana, tempo, tempo-distributed and loki moved to grafana-community in 2026).
 */
export interface ChartSource {
    /** The chart's name in its repository. */
    readonly chart: string;
    /** The pinned chart version; the committed key list in charts/keys is for exactly this version. */
    readonly version: string;
    readonly repo: string;
}

export const CHARTS = {
    clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.59.0", repo: "https://kubernetes.github.io/autoscaler" },
    kubePrometheusStack: { chart: "kube-prometheus-stack", version: "88.5.3", repo: "https://prometheus-community.github.io/helm-charts" },
    mimir: { chart: "mimir-distributed", version: "6.2.0", repo: "https://grafana.github.io/helm-charts" },
    strimzi: { chart: "strimzi-kafka-operator", version: "1.2.0", repo: "https://strimzi.io/charts/" },
    loki: { chart: "loki", version: "18.11.0", repo: "https://grafana-community.github.io/helm-charts" },
    tempo: { chart: "tempo", version: "2.2.4", repo: "https://grafana-community.github.io/helm-charts" },
    tempoDistributed: { chart: "tempo-distributed", version: "3.3.0", repo: "https://grafana-community.github.io/helm-charts" },
    grafana: { chart: "grafana", version: "12.11.1", repo: "https://grafana-community.github.io/helm-charts" },
    kialiServer: { chart: "kiali-server", version: "2.29.0", repo: "https://kiali.org/helm-charts" },
    istioBase: { chart: "base", version: "1.30.3", repo: "https://istio-release.storage.googleapis.com/charts" },
    istiod: { chart: "istiod", version: "1.30.3", repo: "https://istio-release.storage.googleapis.com/charts" },
    trivyOperator: { chart: "trivy-operator", version: "0.34.0", repo: "https://aquasecurity.github.io/helm-charts/" },
    velero: { chart: "velero", version: "12.1.0", repo: "https://vmware-tanzu.github.io/helm-charts" },
    kubecost: { chart: "kubecost", version: "3.2.1", repo: "https://kubecost.github.io/kubecost" },
    headlamp: { chart: "headlamp", version: "0.45.0", repo: "https://kubernetes-sigs.github.io/headlamp/" },
} as const satisfies Record<string, ChartSource>;
