/**
 * The cost lines of the observability modes' AWS services, from what a stack declares (the CloudWatch add-on, its log
 * groups, dashboards, alarms, AMP and Amazon Managed Grafana workspaces), the dated unit prices of
 * data/managed-observability-prices.json (by region, each with its date and source; free tiers not applied) and the
 * usage assumptions (config costAssumptions) printed beside each line.
 */
import { CostAssumptions } from "../config/schema";
import { PlannedResource } from "../engine/types";
import prices from "./data/managed-observability-prices.json";
import { CostLine, Factor, priceLine } from "./cost-line";
import { plural } from "./format";
import { PriceTable, pricesInRegion } from "./pricing";

const CLOUDWATCH_ADDON = "amazon-cloudwatch-observability";

/** The ids (or id prefixes) of the lines below, so that a comparison can tell the managed services from the rest. */
export const MANAGED_LINE_IDS = ["container-insights-metrics", "workload-logs-", "logs-insights", "xray-", "cloudwatch-dashboards", "cloudwatch-alarms", "amp-", "amg-"] as const;

interface ManagedPrices {
    readonly date: string;
    readonly source: string;
    readonly amp: { readonly ingestionTiers: readonly { readonly upToMillionSamples: number | null; readonly perMillionSamples: number }[] };
    readonly amg: { readonly editorPerMonth: number; readonly viewerPerMonth: number };
    readonly cloudwatch: { readonly metricPerMonth: number; readonly dashboardPerMonth: number; readonly alarmPerMonth: number; readonly insightsPerGbScanned: number };
    readonly xray: { readonly perMillionTracesRecorded: number; readonly perMillionTracesRetrieved: number };
}

/** The region's prices; a region the file does not price stops the estimate rather than pricing it as another. */
export function managedPrices(region: string): ManagedPrices {
    return pricesInRegion<ManagedPrices>(prices, region, "observability-service (planner/data/managed-observability-prices.json)");
}

/** AMP's ingestion over its tiers: the price of `millions` samples a month. */
export function ampIngestionCost(millions: number, tiers: ManagedPrices["amp"]["ingestionTiers"]): number {
    let cost = 0;
    let below = 0;
    for (const tier of tiers) {
        const top = tier.upToMillionSamples ?? Infinity;
        const inTier = Math.max(0, Math.min(millions, top) - below);
        cost += inTier * tier.perMillionSamples;
        below = top;
    }
    return cost;
}

const line = (spec: Omit<CostLine, "monthly" | "category"> & { category?: CostLine["category"] }): CostLine =>
    priceLine({ category: "logging", ...spec });
const assumed = (key: keyof CostAssumptions, a: CostAssumptions) => `costAssumptions.${key} = ${a[key]}`;

/** The managed services a stack declares, priced; none for a self-managed stack. */
export function managedObservabilityLines(resources: readonly PlannedResource[], a: CostAssumptions, table: PriceTable, pods: number, nodes: number): CostLine[] {
    const addon = resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === CLOUDWATCH_ADDON);
    const amp = resources.filter((r) => r.type === "aws:amp/workspace:Workspace");
    const amg = resources.filter((r) => r.type === "aws:grafana/workspace:Workspace");
    if (!addon && amp.length === 0 && amg.length === 0) return [];
    const p = managedPrices(table.region);
    const agent = addon ? JSON.parse(addon.inputs.configurationValues ?? "{}").agent?.config ?? {} : {};
    const lines: CostLine[] = [];
    if (agent.logs?.metrics_collected?.kubernetes) {
        const factors: Factor[] = [{ value: a.containerInsightsMetricsPerNode * nodes + a.containerInsightsMetricsPerPod * pods, unit: "metric" }];
        lines.push(line({ id: "container-insights-metrics", item: "Container Insights metrics", factors, unitPrice: p.cloudwatch.metricPerMonth, priceUnit: "metric-month",
            assumption: `${assumed("containerInsightsMetricsPerNode", a)} x ${plural(nodes, "node")}; ${assumed("containerInsightsMetricsPerPod", a)} x ${plural(pods, "pod")}` }));
    }
    if (addon) {
        const groups = resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && String(r.inputs.name).startsWith("/aws/containerinsights/"));
        const days = Math.max(...groups.map((g) => Number(g.inputs.retentionInDays)));
        const gb = a.workloadLogGbPerMonth;
        lines.push(
            line({ id: "workload-logs-ingestion", item: "CloudWatch Logs ingestion (Fluent Bit)", factors: [{ value: gb, unit: "GB" }], unitPrice: table.cloudwatchLogs.ingestedPerGb, priceUnit: "GB", assumption: assumed("workloadLogGbPerMonth", a) }),
            line({ id: "workload-logs-storage", item: "CloudWatch Logs storage (Fluent Bit)", factors: [{ value: (gb * days) / (table.hoursPerMonth / 24), unit: "GB" }], unitPrice: table.cloudwatchLogs.storedPerGbMonth, priceUnit: "GB-month",
                assumption: assumed("workloadLogGbPerMonth", a), note: `steady state: ${days} days kept (observability.managed.logRetentionDays), uncompressed` }),
            line({ id: "logs-insights", item: "CloudWatch Logs Insights queries", factors: [{ value: a.logsInsightsGbScannedPerMonth, unit: "GB" }], unitPrice: p.cloudwatch.insightsPerGbScanned, priceUnit: "GB scanned", assumption: assumed("logsInsightsGbScannedPerMonth", a) }),
        );
    }
    if (agent.traces) {
        lines.push(
            line({ id: "xray-recorded", item: "X-Ray traces recorded", factors: [{ value: a.xrayTracesMillionsPerMonth, unit: "million trace" }], unitPrice: p.xray.perMillionTracesRecorded, priceUnit: "million", assumption: assumed("xrayTracesMillionsPerMonth", a) }),
            line({ id: "xray-retrieved", item: "X-Ray traces retrieved", factors: [{ value: a.xrayTracesMillionsPerMonth, unit: "million trace" }], unitPrice: p.xray.perMillionTracesRetrieved, priceUnit: "million", assumption: `${assumed("xrayTracesMillionsPerMonth", a)} (each read back once)` }),
        );
    }
    const dashboards = resources.filter((r) => r.type === "aws:cloudwatch/dashboard:Dashboard").length;
    if (dashboards > 0) lines.push(line({ id: "cloudwatch-dashboards", item: "CloudWatch dashboards", factors: [{ value: dashboards, unit: "dashboard" }], unitPrice: p.cloudwatch.dashboardPerMonth, priceUnit: "dashboard-month" }));
    const alarms = resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").length;
    if (alarms > 0) lines.push(line({ id: "cloudwatch-alarms", item: "CloudWatch alarms", factors: [{ value: alarms, unit: "alarm" }], unitPrice: p.cloudwatch.alarmPerMonth, priceUnit: "alarm-month" }));
    for (const [i] of amp.entries()) {
        const millions = a.ampSamplesMillionsPerMonth;
        const cost = ampIngestionCost(millions, p.amp.ingestionTiers);
        lines.push(line({ id: `amp-ingestion${amp.length > 1 ? ` ${i + 1}` : ""}`, item: "AMP samples ingested", factors: [{ value: millions, unit: "million sample" }], unitPrice: millions > 0 ? cost / millions : p.amp.ingestionTiers[0].perMillionSamples,
            priceUnit: "million (tiered)", assumption: assumed("ampSamplesMillionsPerMonth", a), note: "AMP's tiers: the first 2 billion samples a month at $0.09 a million, less above" }));
    }
    for (const [i] of amg.entries()) {
        const suffix = amg.length > 1 ? ` ${i + 1}` : "";
        lines.push(
            line({ id: `amg-editors${suffix}`, item: "Managed Grafana editors", factors: [{ value: a.grafanaEditors, unit: "user" }], unitPrice: p.amg.editorPerMonth, priceUnit: "user-month", assumption: assumed("grafanaEditors", a) }),
            line({ id: `amg-viewers${suffix}`, item: "Managed Grafana viewers", factors: [{ value: a.grafanaViewers, unit: "user" }], unitPrice: p.amg.viewerPerMonth, priceUnit: "user-month", assumption: assumed("grafanaViewers", a) }),
        );
    }
    return lines;
}
