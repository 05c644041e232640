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
    /** The platform component it is part of, for per-component totals: several charts may share one. */
    readonly component: string;
}

export const CHARTS = {
    clusterAutoscaler: { chart: "cluster-autoscaler", version: "9.59.0", repo: "https://kubernetes.github.io/autoscaler", component: "cluster-autoscaler" },
    kubePrometheusStack: { chart: "kube-prometheus-stack", version: "88.5.3", repo: "https://prometheus-community.github.io/helm-charts", component: "prometheus" },
    mimir: { chart: "mimir-distributed", version: "6.2.0", repo: "https://grafana.github.io/helm-charts", component: "mimir" },
    strimzi: { chart: "strimzi-kafka-operator", version: "1.2.0", repo: "https://strimzi.io/charts/", component: "kafka" },
    loki: { chart: "loki", version: "18.11.0", repo: "https://grafana-community.github.io/helm-charts", component: "loki" },
    tempo: { chart: "tempo", version: "2.2.4", repo: "https://grafana-community.github.io/helm-charts", component: "tempo" },
    tempoDistributed: { chart: "tempo-distributed", version: "3.3.0", repo: "https://grafana-community.github.io/helm-charts", component: "tempo" },
    grafana: { chart: "grafana", version: "12.11.1", repo: "https://grafana-community.github.io/helm-charts", component: "grafana" },
    kialiServer: { chart: "kiali-server", version: "2.29.0", repo: "https://kiali.org/helm-charts", component: "kiali" },
    istioBase: { chart: "base", version: "1.30.3", repo: "https://istio-release.storage.googleapis.com/charts", component: "istio" },
    istiod: { chart: "istiod", version: "1.30.3", repo: "https://istio-release.storage.googleapis.com/charts", component: "istio" },
    istioCni: { chart: "cni", version: "1.30.3", repo: "https://istio-release.storage.googleapis.com/charts", component: "istio" },
    ztunnel: { chart: "ztunnel", version: "1.30.3", repo: "https://istio-release.storage.googleapis.com/charts", component: "istio" },
    trivyOperator: { chart: "trivy-operator", version: "0.34.0", repo: "https://aquasecurity.github.io/helm-charts/", component: "trivy" },
    velero: { chart: "velero", version: "12.1.0", repo: "https://vmware-tanzu.github.io/helm-charts", component: "velero" },
    kubecost: { chart: "kubecost", version: "3.2.1", repo: "https://kubecost.github.io/kubecost", component: "kubecost" },
    headlamp: { chart: "headlamp", version: "0.45.0", repo: "https://kubernetes-sigs.github.io/headlamp/", component: "headlamp" },
    awsLoadBalancerController: { chart: "aws-load-balancer-controller", version: "3.5.0", repo: "https://aws.github.io/eks-charts", component: "aws-load-balancer-controller" },
    alloy: { chart: "alloy", version: "1.11.1", repo: "https://grafana.github.io/helm-charts", component: "alloy" },
} as const satisfies Record<string, ChartSource>;
