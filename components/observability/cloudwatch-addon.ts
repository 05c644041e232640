/**
 * The amazon-cloudwatch-observability EKS add-on, as the observability modes configure it: what it is called, where it
 * runs, the configuration it gets and the workloads that configuration makes (a model: EKS installs it without a chart we
 * could render). Apart from the component, so that the workload model reads it without the component's imports.
 */
import { sortedJson } from "../../lib/json";
import { ObservabilityMode, uses } from "../../lib/observability-modes";
import { ModelledWorkload } from "../../lib/workloads";
import { podResourcesOf } from "../helm/values";

/** The EKS add-on of Container Insights, the CloudWatch agent and Fluent Bit. */
export const CLOUDWATCH_ADDON = "amazon-cloudwatch-observability";
/** Its namespace and the service account the agent and Fluent Bit run as (the role below is for it alone). */
export const CLOUDWATCH_NAMESPACE = "amazon-cloudwatch";
export const CLOUDWATCH_SERVICE_ACCOUNT = "cloudwatch-agent";
/** The agent's Service and its OTLP gRPC receiver for traces, which it sends on to X-Ray. */
export const CLOUDWATCH_AGENT_SERVICE = { name: "cloudwatch-agent", otlpGrpcPort: 4315, otlpHttpPort: 4316, xrayPort: 2000 } as const;
export const CLOUDWATCH_OTLP_GRPC = `${CLOUDWATCH_AGENT_SERVICE.name}.${CLOUDWATCH_NAMESPACE}.svc.cluster.local:${CLOUDWATCH_AGENT_SERVICE.otlpGrpcPort}`;

/** The sizes the add-on's agent and Fluent Bit run with, the same in every profile: they follow the node, not the stack. */
export const CLOUDWATCH_ADDON_SIZES = {
    agent: { cpu: "100m", memory: "128Mi", memoryLimit: "512Mi" },
    fluentBit: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
    /** The operator that installs the agent and Fluent Bit from the add-on's configuration. */
    manager: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
} as const;

/** The log groups Container Insights and Fluent Bit write to, by purpose: Fluent Bit's three, and the agent's performance events. */
export function containerInsightsLogGroups(clusterName: string, mode: ObservabilityMode): Record<string, string> {
    const fluentBit = { application: `/aws/containerinsights/${clusterName}/application`, dataplane: `/aws/containerinsights/${clusterName}/dataplane`, host: `/aws/containerinsights/${clusterName}/host` };
    return uses(mode, "container-insights") ? { ...fluentBit, performance: `/aws/containerinsights/${clusterName}/performance` } : fluentBit;
}

/**
 * The add-on's configuration: Fluent Bit ships container logs; the agent collects Container Insights metrics where the
 * mode has them, and receives traces (OTLP and the X-Ray protocol) for X-Ray where the mode has X-Ray. The keys are the
 * values the add-on's chart (aws-observability/helm-charts, amazon-cloudwatch-observability) reads: agent.config,
 * agent.resources, containerLogs.enabled, containerLogs.fluentBit.resources, manager.resources. Unlike vpc-cni's, no
 * schema checks them offline: EKS publishes this add-on's schema only through DescribeAddonConfiguration.
 */
export function cloudwatchAddonConfiguration(mode: ObservabilityMode): string {
    const agentConfig = {
        ...(uses(mode, "container-insights") ? { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: false } } } } : {}),
        ...(uses(mode, "xray") ? { traces: { traces_collected: { xray: {}, otlp: {} } } } : {}),
    };
    return sortedJson({
        agent: { config: agentConfig, resources: podResourcesOf(CLOUDWATCH_ADDON_SIZES.agent) },
        containerLogs: { enabled: true, fluentBit: { resources: podResourcesOf(CLOUDWATCH_ADDON_SIZES.fluentBit) } },
        manager: { resources: podResourcesOf(CLOUDWATCH_ADDON_SIZES.manager) },
    });
}

/** MODEL, not a render: what the add-on runs, read back from the configuration we send (as components/cluster/addons.ts does). */
export function cloudwatchAddonWorkloads(inputs: Record<string, any>): ModelledWorkload[] {
    const values = inputs.configurationValues ? JSON.parse(inputs.configurationValues) : {};
    const image = `<EKS add-on ${CLOUDWATCH_ADDON} ${inputs.addonVersion ?? "(default version)"}>`;
    return [
        { name: "cloudwatch-agent", kind: "DaemonSet", replicas: 1, image, resources: values.agent?.resources },
        ...(values.containerLogs?.enabled ? [{ name: "fluent-bit", kind: "DaemonSet" as const, replicas: 1, image, resources: values.containerLogs.fluentBit?.resources }] : []),
        { name: "amazon-cloudwatch-observability-controller-manager", kind: "Deployment", replicas: 1, image, resources: values.manager?.resources },
    ];
}
