/**
 * The AWS services of the aws-managed, amp-amg and hybrid observability modes (lib/observability-modes.ts says which
 * mode declares what): the amazon-cloudwatch-observability add-on (Container Insights, the CloudWatch agent with its
 * OTLP receiver for X-Ray, Fluent Bit), its log groups, CloudWatch dashboards and alarms, an Amazon Managed Service for
 * Prometheus workspace with the platform's rules and alert manager, and an Amazon Managed Grafana workspace.
 */
import * as amp from "@pulumi/aws/amp";
import * as cloudwatch from "../aws/cloudwatch";
import * as eks from "@pulumi/aws/eks";
import * as grafana from "@pulumi/aws/grafana";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { ObservabilityConfig } from "../../config/schema";
import { sortedJson } from "../../lib/json";
import { ObservabilityMode, uses } from "../../lib/observability-modes";
import { KubernetesContext } from "../cluster/context";
import { createIrsaRole } from "../cluster/irsa";
import { CLOUDWATCH_ADDON, CLOUDWATCH_NAMESPACE, CLOUDWATCH_OTLP_GRPC, CLOUDWATCH_SERVICE_ACCOUNT, cloudwatchAddonConfiguration, containerInsightsLogGroups } from "./cloudwatch-addon";

/** The Grafana version Amazon Managed Grafana runs for the workspace. */
export const AMG_GRAFANA_VERSION = "10.4";

/** The platform's own alerts, written once: as AMP (Prometheus) rules and, on Container Insights metrics, as CloudWatch alarms. */
export const PLATFORM_ALERTS = [
    { name: "NodeCpuHigh", summary: "A node's CPU is above 80% for 15 minutes", expr: "1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[5m])) > 0.8", metric: "node_cpu_utilization", threshold: 80 },
    { name: "NodeMemoryHigh", summary: "A node's memory is above 85% for 15 minutes", expr: "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.85", metric: "node_memory_utilization", threshold: 85 },
    { name: "NodeFilesystemFilling", summary: "A node's root filesystem is above 85% for 15 minutes", expr: "1 - node_filesystem_avail_bytes{mountpoint=\"/\"} / node_filesystem_size_bytes{mountpoint=\"/\"} > 0.85", metric: "node_filesystem_utilization", threshold: 85 },
    { name: "NodeNotReady", summary: "A node has been failing for 15 minutes", expr: "sum(kube_node_status_condition{condition=\"Ready\",status=\"true\"} == 0) > 0", metric: "cluster_failed_node_count", threshold: 0 },
] as const;

/** The recording rules AMP evaluates, so that dashboards over months read pre-aggregated series. */
export const PLATFORM_RECORDING_RULES = [
    { record: "namespace:container_cpu_usage_seconds:rate5m", expr: "sum by (namespace) (rate(container_cpu_usage_seconds_total{container!=\"\"}[5m]))" },
    { record: "namespace:container_memory_working_set_bytes:sum", expr: "sum by (namespace) (container_memory_working_set_bytes{container!=\"\"})" },
] as const;

/** The rule group namespace's data: Prometheus rule-file YAML, as AMP takes it. */
export function ampRuleGroups(clusterName: string): string {
    return YAML.stringify({
        groups: [
            { name: "platform-alerts", rules: PLATFORM_ALERTS.map((a) => ({ alert: a.name, expr: a.expr, for: "15m", labels: { severity: "warning", cluster: clusterName }, annotations: { summary: a.summary } })) },
            { name: "platform-recording", rules: PLATFORM_RECORDING_RULES.map((r) => ({ record: r.record, expr: r.expr })) },
        ],
    });
}

/** AMP's alert manager: every alert to the stack's SNS topics, signed for the workspace's region. */
export function ampAlertManagerDefinition(topicArns: readonly string[], region: string): string {
    return YAML.stringify({
        alertmanager_config: YAML.stringify({
            route: { receiver: "sns", group_by: ["alertname", "cluster"] },
            receivers: [{ name: "sns", sns_configs: topicArns.map((topic_arn) => ({ topic_arn, sigv4: { region }, attributes: { cluster: "{{ .CommonLabels.cluster }}" } })) }],
        }),
    });
}

/** What Prometheus needs to write to the workspace, and nothing more. */
export function ampRemoteWritePolicy(workspaceArn: string): string {
    return sortedJson({ Version: "2012-10-17", Statement: [{ Sid: "RemoteWrite", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: workspaceArn }] });
}

const AMP_QUERY_ACTIONS = ["aps:GetLabels", "aps:GetMetricMetadata", "aps:GetSeries", "aps:QueryMetrics"];
/** CloudWatch Metrics, X-Ray's reads and DescribeLogGroups take no resource-level permissions: their Resource is "*". */
const CLOUDWATCH_METRICS_READ = ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmsForMetric", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics"];
const LOGS_QUERY = ["logs:GetLogEvents", "logs:GetLogGroupFields", "logs:GetQueryResults", "logs:StartQuery", "logs:StopQuery"];
const XRAY_READ = ["xray:BatchGetTraces", "xray:GetServiceGraph", "xray:GetTimeSeriesServiceStatistics", "xray:GetTraceGraph", "xray:GetTraceSummaries"];

/** The log groups' ARNs with their streams, as IAM matches them. */
const logGroupResources = (logGroupArns: readonly string[]) => logGroupArns.flatMap((a) => [a, `${a}:*`]).sort();

/**
 * What a Grafana (in the cluster, or Amazon Managed Grafana's workspace role) reads: the AMP workspace, CloudWatch
 * metrics, the stack's log groups through Logs Insights, X-Ray where the mode has it, and (AMG) the alert topics.
 */
export function grafanaReadPolicy(opts: { workspaceArn?: string; logGroupArns: readonly string[]; xray: boolean; topicArns?: readonly string[] }): string {
    const statements: object[] = [
        ...(opts.workspaceArn ? [{ Sid: "QueryAmp", Effect: "Allow", Action: AMP_QUERY_ACTIONS, Resource: opts.workspaceArn }] : []),
        { Sid: "ReadCloudWatchMetrics", Effect: "Allow", Action: CLOUDWATCH_METRICS_READ, Resource: "*" },
        { Sid: "ListLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
        { Sid: "QueryLogs", Effect: "Allow", Action: LOGS_QUERY, Resource: logGroupResources(opts.logGroupArns) },
        ...(opts.xray ? [{ Sid: "ReadXRay", Effect: "Allow", Action: XRAY_READ, Resource: "*" }] : []),
        ...(opts.topicArns && opts.topicArns.length > 0 ? [{ Sid: "NotifyAlertTopics", Effect: "Allow", Action: ["sns:Publish"], Resource: [...opts.topicArns].sort() }] : []),
    ];
    return sortedJson({ Version: "2012-10-17", Statement: statements });
}

/**
 * The add-on's role: Fluent Bit writes to the stack's log groups only, the agent puts Container Insights metrics in
 * their namespace only, and sends traces to X-Ray where the mode has it.
 */
export function cloudwatchAgentPolicy(opts: { logGroupArns: readonly string[]; containerInsights: boolean; xray: boolean }): string {
    const statements: object[] = [
        { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:PutRetentionPolicy"], Resource: logGroupResources(opts.logGroupArns) },
        // The agent and Fluent Bit read their node's instance and volume facts to label what they send.
        { Sid: "DescribeNodes", Effect: "Allow", Action: ["ec2:DescribeTags", "ec2:DescribeVolumes"], Resource: "*" },
        ...(opts.containerInsights ? [{ Sid: "PutContainerInsightsMetrics", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "ContainerInsights" } } }] : []),
        ...(opts.xray ? [{ Sid: "SendTraces", Effect: "Allow", Action: ["xray:GetSamplingRules", "xray:GetSamplingStatisticSummaries", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"], Resource: "*" }] : []),
    ];
    return sortedJson({ Version: "2012-10-17", Statement: statements });
}

/** Amazon Managed Grafana's trust: the service, for workspaces of this account only. */
export function grafanaServiceTrustPolicy(accountId: string, partition: string, region: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: "grafana.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:${partition}:grafana:${region}:${accountId}:/workspaces/*` } },
        }],
    });
}

/** The CloudWatch dashboards of aws-managed: the cluster's Container Insights metrics, and its logs. */
export function cloudwatchDashboards(clusterName: string, region: string, logGroups: Record<string, string>): Record<string, unknown> {
    const metric = (name: string) => ["ContainerInsights", name, "ClusterName", clusterName];
    const widget = (title: string, metrics: unknown[][], y: number, x: number) => ({ type: "metric", x, y, width: 12, height: 6, properties: { title, region, metrics, stat: "Average", period: 300, view: "timeSeries" } });
    return {
        cluster: {
            widgets: [
                widget("Node CPU (%)", [metric("node_cpu_utilization")], 0, 0),
                widget("Node memory (%)", [metric("node_memory_utilization")], 0, 12),
                widget("Node filesystem (%)", [metric("node_filesystem_utilization")], 6, 0),
                widget("Nodes and failed nodes", [metric("cluster_node_count"), metric("cluster_failed_node_count")], 6, 12),
            ],
        },
        logs: {
            widgets: [{
                type: "log", x: 0, y: 0, width: 24, height: 12,
                properties: { title: "Errors in container logs", region, view: "table", query: `SOURCE '${logGroups.application}' | fields @timestamp, kubernetes.namespace_name, kubernetes.pod_name, log | filter log like /(?i)error/ | sort @timestamp desc | limit 100` },
            }],
        },
    };
}

export interface ManagedObservabilityArgs {
    readonly mode: ObservabilityMode;
    /** observability.managed of the validated config. */
    readonly config: ObservabilityConfig["managed"];
    readonly ctx: KubernetesContext;
    /** The add-on version, resolved (pinned, or what EKS offers). */
    readonly addonVersion: string;
    /** The logs key (CloudWatch Logs) and, where AMP or AMG run, the telemetry key they encrypt with. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    readonly telemetryKmsKeyArn?: pulumi.Input<string>;
}

/** The AMP workspace's addresses, as Prometheus and Grafana use them. */
export interface AmpWorkspace {
    readonly arn: pulumi.Output<string>;
    /** https://aps-workspaces.<region>.amazonaws.com/workspaces/ws-.../ */
    readonly endpoint: pulumi.Output<string>;
    readonly remoteWriteUrl: pulumi.Output<string>;
}

/** AMP's remote-write and query URLs from its workspace endpoint (which ends with a slash). */
export const ampUrls = (endpoint: string) => ({ remoteWrite: `${endpoint}api/v1/remote_write`, query: endpoint.replace(/\/$/, "") });

export class ManagedObservability extends pulumi.ComponentResource {
    /** The log groups by purpose, and their ARNs. */
    public readonly logGroupNames: Record<string, string>;
    public readonly logGroupArns: pulumi.Output<string>[];
    public readonly amp?: AmpWorkspace;
    /** The agent's OTLP gRPC receiver for traces (to X-Ray), where the mode has X-Ray. */
    public readonly otlpGrpcEndpoint?: string;
    /** Amazon Managed Grafana's URL. */
    public readonly grafanaWorkspaceUrl?: pulumi.Output<string>;

    constructor(name: string, args: ManagedObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:ManagedObservability", name, {}, opts);
        const { mode, config, ctx } = args;
        const child: pulumi.CustomResourceOptions = { parent: this };
        const stateful: pulumi.CustomResourceOptions = { parent: this, protect: ctx.protect };

        this.logGroupNames = containerInsightsLogGroups(ctx.clusterName, mode);
        const groups = Object.entries(this.logGroupNames).map(([purpose, logGroupName]) => new cloudwatch.LogGroup(`${name}-${purpose}`, {
            name: logGroupName, retentionInDays: config.logRetentionDays, kmsKeyId: args.logsKmsKeyArn,
        }, stateful));
        this.logGroupArns = groups.map((g) => g.arn);
        const groupArns = pulumi.all(this.logGroupArns);

        // The add-on after its log groups, so that Fluent Bit finds them encrypted and with their retention.
        const role = createIrsaRole(`${name}-cloudwatch-agent`, {
            oidcProviderArn: ctx.oidcProviderArn, oidcIssuer: ctx.oidcIssuer, namespace: CLOUDWATCH_NAMESPACE, serviceAccount: CLOUDWATCH_SERVICE_ACCOUNT,
            policy: groupArns.apply((logGroupArns) => cloudwatchAgentPolicy({ logGroupArns, containerInsights: uses(mode, "container-insights"), xray: uses(mode, "xray") })),
        }, child);
        const configurationValues = cloudwatchAddonConfiguration(mode);
        ctx.declaredWorkloads.push({ type: "aws:eks/addon:Addon", inputs: { addonName: CLOUDWATCH_ADDON, addonVersion: args.addonVersion, configurationValues } });
        new eks.Addon(`${name}-${CLOUDWATCH_ADDON}`, {
            clusterName: ctx.clusterName, addonName: CLOUDWATCH_ADDON, addonVersion: args.addonVersion, configurationValues,
            serviceAccountRoleArn: role.arn, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE",
        }, { parent: this, dependsOn: [...groups, ...ctx.ready] });
        if (uses(mode, "xray")) this.otlpGrpcEndpoint = CLOUDWATCH_OTLP_GRPC;

        if (uses(mode, "cloudwatch-dashboards")) {
            for (const [dashboard, body] of Object.entries(cloudwatchDashboards(ctx.clusterName, ctx.region, this.logGroupNames))) {
                new cloudwatch.Dashboard(`${name}-dashboard-${dashboard}`, { dashboardName: `${ctx.clusterName}-${dashboard}`, dashboardBody: sortedJson(body) }, child);
            }
        }
        if (uses(mode, "cloudwatch-alarms")) {
            for (const alert of PLATFORM_ALERTS) {
                new cloudwatch.MetricAlarm(`${name}-alarm-${alert.name}`, {
                    name: `${ctx.clusterName}-${alert.name}`,
                    alarmDescription: alert.summary,
                    namespace: "ContainerInsights",
                    metricName: alert.metric,
                    dimensions: { ClusterName: ctx.clusterName },
                    statistic: "Maximum",
                    period: 300,
                    evaluationPeriods: 3,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: alert.threshold,
                    // No data is the agent or the nodes gone: as alarming as the threshold.
                    treatMissingData: "breaching",
                    alarmActions: [...config.alarmTopicArns],
                    okActions: [...config.alarmTopicArns],
                }, child);
            }
        }

        if (uses(mode, "amp")) {
            if (!args.telemetryKmsKeyArn) throw new Error(`observability.mode ${mode}: the AMP workspace needs the telemetry key`);
            const ampLogs = new cloudwatch.LogGroup(`${name}-amp`, { name: `/aws/vendedlogs/prometheus/${ctx.clusterName}`, retentionInDays: config.logRetentionDays, kmsKeyId: args.logsKmsKeyArn }, stateful);
            const workspace = new amp.Workspace(`${name}-amp`, {
                alias: `${ctx.clusterName}-metrics`,
                kmsKeyArn: args.telemetryKmsKeyArn,
                loggingConfiguration: { logGroupArn: pulumi.interpolate`${ampLogs.arn}:*` },
            }, stateful);
            new amp.RuleGroupNamespace(`${name}-amp-rules`, { workspaceId: workspace.id, name: "platform", data: ampRuleGroups(ctx.clusterName) }, child);
            new amp.AlertManagerDefinition(`${name}-amp-alertmanager`, { workspaceId: workspace.id, definition: ampAlertManagerDefinition(config.alarmTopicArns, ctx.region) }, child);
            this.amp = { arn: workspace.arn, endpoint: workspace.prometheusEndpoint, remoteWriteUrl: workspace.prometheusEndpoint.apply((e) => ampUrls(e).remoteWrite) };
            this.logGroupArns.push(ampLogs.arn);
        }

        if (uses(mode, "amg")) {
            const amgRole = new iam.Role(`${name}-grafana-role`, { assumeRolePolicy: grafanaServiceTrustPolicy(ctx.accountId, ctx.partition, ctx.region) }, child);
            new iam.RolePolicy(`${name}-grafana-policy`, {
                role: amgRole.id,
                policy: pulumi.all([this.amp!.arn, groupArns]).apply(([workspaceArn, logGroupArns]) => grafanaReadPolicy({ workspaceArn, logGroupArns, xray: uses(mode, "xray"), topicArns: config.alarmTopicArns })),
            }, child);
            const auth = config.grafana;
            const workspace = new grafana.Workspace(`${name}-grafana`, {
                name: `${ctx.clusterName}-grafana`,
                description: `${ctx.clusterName}: dashboards over AMP, CloudWatch and X-Ray`,
                accountAccessType: "CURRENT_ACCOUNT",
                authenticationProviders: [auth.authentication === "saml" ? "SAML" : "AWS_SSO"],
                permissionType: "CUSTOMER_MANAGED",
                roleArn: amgRole.arn,
                dataSources: ["CLOUDWATCH", "PROMETHEUS", "XRAY"],
                notificationDestinations: ["SNS"],
                grafanaVersion: AMG_GRAFANA_VERSION,
                kmsKeyId: args.telemetryKmsKeyArn,
                // No plugin installs from the workspace's UI: what it runs is what is declared here.
                configuration: sortedJson({ plugins: { pluginAdminEnabled: false }, unifiedAlerting: { enabled: true } }),
            }, stateful);
            if (auth.authentication === "saml") {
                new grafana.WorkspaceSamlConfiguration(`${name}-grafana-saml`, {
                    workspaceId: workspace.id,
                    idpMetadataUrl: auth.idpMetadataUrl,
                    roleAssertion: auth.roleAttribute,
                    adminRoleValues: [...auth.adminRoleValues],
                    editorRoleValues: [...auth.editorRoleValues],
                    loginValidityDuration: auth.loginValidityMinutes,
                }, child);
            }
            this.grafanaWorkspaceUrl = pulumi.interpolate`https://${workspace.endpoint}`;
        }

        this.registerOutputs({ logGroupNames: this.logGroupNames, ampEndpoint: this.amp?.endpoint, otlpGrpcEndpoint: this.otlpGrpcEndpoint, grafanaWorkspaceUrl: this.grafanaWorkspaceUrl });
    }
}
