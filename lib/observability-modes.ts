/**
 * What each observability mode runs: the self-managed components it keeps and the AWS services it
 * declares in their place. The program builds from this table, the README's capability table is
 * checked against it, and the planner names a mode's parts by it.
 */
/**
 * How the platform is observed (the original decision document's four options): self-managed (the LGTM stack with
 * Kafka), aws-managed (Container Insights, CloudWatch Logs, X-Ray, CloudWatch dashboards and alarms), amp-amg (Amazon
 * Managed Service for Prometheus and Amazon Managed Grafana) or hybrid (Prometheus remote-writing to AMP, logs to
 * CloudWatch and Loki, the in-cluster Grafana over both, Kiali kept). README, "Observability modes".
 */
export const OBSERVABILITY_MODES = ["self-managed", "aws-managed", "amp-amg", "hybrid"] as const;

export type ObservabilityMode = (typeof OBSERVABILITY_MODES)[number];

/** The in-cluster components a mode may keep. */
export type SelfManagedPart = "prometheus" | "mimir" | "kafka" | "loki" | "alloy" | "tempo" | "grafana" | "kiali" | "kubecost";
/** The AWS services a mode may declare. */
export type ManagedService = "container-insights" | "cloudwatch-logs" | "xray" | "cloudwatch-dashboards" | "cloudwatch-alarms" | "amp" | "amg";

export interface ModeParts {
    /** Self-managed components the mode runs (each still subject to its own `enabled` key). */
    readonly keeps: readonly SelfManagedPart[];
    /** The AWS services it declares. */
    readonly services: readonly ManagedService[];
    /** Each capability of the original decision document's comparison, as this mode serves it. */
    readonly capabilities: Readonly<Record<Capability, string>>;
}

export const CAPABILITIES = ["metrics", "metrics storage", "logs", "traces", "dashboards", "alerting", "traffic visualization", "cost analysis"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const MODE_PARTS: Readonly<Record<ObservabilityMode, ModeParts>> = {
    "self-managed": {
        keeps: ["prometheus", "mimir", "kafka", "loki", "alloy", "tempo", "grafana", "kiali", "kubecost"],
        services: [],
        capabilities: {
            "metrics": "Prometheus",
            "metrics storage": "Mimir on S3 (Prometheus alone where Mimir is off)",
            "logs": "Alloy to Loki",
            "traces": "Tempo",
            "dashboards": "Grafana",
            "alerting": "Prometheus rules and Alertmanager",
            "traffic visualization": "Kiali",
            "cost analysis": "Kubecost",
        },
    },
    // The original document's Option B. Prometheus stays: Velero's, Trivy's and the mesh's monitors
    // are ServiceMonitors, and the operator's CRDs are what they are made of.
    "aws-managed": {
        keeps: ["prometheus"],
        services: ["container-insights", "cloudwatch-logs", "xray", "cloudwatch-dashboards", "cloudwatch-alarms"],
        capabilities: {
            "metrics": "Container Insights (the CloudWatch agent), Prometheus in the cluster",
            "metrics storage": "CloudWatch Metrics (15 months)",
            "logs": "Fluent Bit to CloudWatch Logs",
            "traces": "X-Ray, through the CloudWatch agent's OTLP receiver",
            "dashboards": "CloudWatch dashboards",
            "alerting": "CloudWatch alarms to SNS",
            "traffic visualization": "none (Kiali dropped: no AWS equivalent)",
            "cost analysis": "AWS Cost Explorer (Kubecost dropped)",
        },
    },
    "amp-amg": {
        keeps: ["prometheus", "kiali", "kubecost"],
        services: ["cloudwatch-logs", "xray", "amp", "amg"],
        capabilities: {
            "metrics": "Prometheus, remote-writing to AMP (SigV4)",
            "metrics storage": "Amazon Managed Service for Prometheus",
            "logs": "Fluent Bit to CloudWatch Logs",
            "traces": "X-Ray, through the CloudWatch agent's OTLP receiver",
            "dashboards": "Amazon Managed Grafana (AMP, CloudWatch and X-Ray)",
            "alerting": "AMP rule groups and its alert manager to SNS",
            "traffic visualization": "Kiali (on the in-cluster Prometheus)",
            "cost analysis": "Kubecost",
        },
    },
    // The original document's hybrid: AWS storage for metrics and a copy of the logs, Grafana and
    // Loki kept for queries CloudWatch cannot answer, Kiali kept for the mesh.
    "hybrid": {
        keeps: ["prometheus", "kafka", "loki", "alloy", "tempo", "grafana", "kiali", "kubecost"],
        services: ["cloudwatch-logs", "amp"],
        capabilities: {
            "metrics": "Prometheus, remote-writing to AMP (SigV4)",
            "metrics storage": "Amazon Managed Service for Prometheus",
            "logs": "Fluent Bit to CloudWatch Logs, and Alloy to Loki",
            "traces": "Tempo",
            "dashboards": "Grafana in the cluster (AMP, CloudWatch, Loki, Tempo)",
            "alerting": "AMP rule groups and its alert manager to SNS",
            "traffic visualization": "Kiali",
            "cost analysis": "Kubecost and AWS Cost Explorer",
        },
    },
};

export const keeps = (mode: ObservabilityMode, part: SelfManagedPart): boolean => MODE_PARTS[mode].keeps.includes(part);
export const uses = (mode: ObservabilityMode, service: ManagedService): boolean => MODE_PARTS[mode].services.includes(service);
