/**
 * Which function derives the workloads of each chart or custom resource the platform declares.
 * Each add-on folder owns its chart's model; this table only routes to it.
 */
import { addonWorkloads } from "../cluster/addons";
import { autoscalerWorkloads } from "../cluster/autoscaler";
import { veleroWorkloads } from "../backup/velero";
import { headlampWorkloads } from "../operations/headlamp";
import { kubecostWorkloads } from "../operations/kubecost";
import { istioBaseWorkloads, istiodWorkloads } from "../security/istio";
import { trivyWorkloads } from "../security/trivy";
import { grafanaWorkloads } from "../observability/grafana";
import { kafkaNodePoolWorkloads, strimziWorkloads } from "../observability/kafka";
import { kialiWorkloads } from "../observability/kiali";
import { lokiWorkloads } from "../observability/loki";
import { mimirWorkloads } from "../observability/mimir";
import { kubePrometheusStackWorkloads } from "../observability/prometheus";
import { tempoDistributedWorkloads, tempoWorkloads } from "../observability/tempo";
import { ChartWorkloads, DeclaredResource, Workload } from "./workloads";

/** Chart name (as in the catalog) to the function that reads its values. */
const CHART_WORKLOADS: Record<string, ChartWorkloads> = {
    "kube-prometheus-stack": kubePrometheusStackWorkloads,
    "mimir-distributed": mimirWorkloads,
    "strimzi-kafka-operator": strimziWorkloads,
    loki: lokiWorkloads,
    tempo: tempoWorkloads,
    "tempo-distributed": tempoDistributedWorkloads,
    grafana: grafanaWorkloads,
    "kiali-server": kialiWorkloads,
    "cluster-autoscaler": autoscalerWorkloads,
    base: istioBaseWorkloads,
    istiod: istiodWorkloads,
    "trivy-operator": trivyWorkloads,
    velero: veleroWorkloads,
    kubecost: kubecostWorkloads,
    headlamp: headlampWorkloads,
};

/** Resource type token to the function that reads a workload-bearing custom resource. */
const RESOURCE_WORKLOADS: Record<string, (inputs: Record<string, any>) => Workload[]> = {
    "kubernetes:kafka.strimzi.io/v1:KafkaNodePool": kafkaNodePoolWorkloads,
    "aws:eks/addon:Addon": addonWorkloads,
};

/** The charts and resource types whose workloads the platform knows. */
export function modelledCharts(): string[] {
    return Object.keys(CHART_WORKLOADS).sort();
}

/**
 * The workloads a declared resource runs: a Helm release through its chart's model, a custom
 * resource through its type's. Throws for a release whose chart has no model, so that a new chart
 * cannot slip past the pod count and the capacity plan.
 */
export function workloadsOf(resource: DeclaredResource): Workload[] {
    if (resource.type === "kubernetes:helm.sh/v3:Release") {
        const model = CHART_WORKLOADS[resource.inputs.chart];
        if (!model) throw new Error(`No workload model for chart "${resource.inputs.chart}": add one to components/helm/workload-registry.ts`);
        return model(resource.inputs.values ?? {});
    }
    return RESOURCE_WORKLOADS[resource.type]?.(resource.inputs) ?? [];
}
