/**
 * The original decision table's three-way comparison, computed: the AWS-managed alternative (its Option B: Container
 * Insights, CloudWatch Logs, X-Ray, CloudWatch dashboards and alarms instead of the self-managed
 * telemetry stack) next to self-managed prod and dev. The managed column is prod's own
 * infrastructure with the replaced components taken out (their pods, and so the nodes they need,
 * and their volumes) and the managed services priced from dated unit prices and printed usage
 * assumptions (data/managed-alternative.json).
 */
import { StackConfig } from "../config/schema";
import { durationToHours } from "../lib/duration";
import assumptionsFile from "./data/managed-alternative.json";
import { CostLine, Factor } from "./cost";
import { formatAmount, formatPrice, formatUsd } from "./format";
import { StackPlan } from "./plan";
import { PriceTable } from "./pricing";

type UsageKey = keyof typeof assumptionsFile.usage;

/** One usage assumption of the managed alternative, with what it rests on. */
export interface ManagedAssumption {
    readonly key: UsageKey;
    readonly value: number;
    readonly basis: string;
}

export interface ThreeWayRow {
    readonly label: string;
    /** Managed, self-managed prod, self-managed dev. */
    readonly values: readonly [number, number, number];
    readonly note?: string;
}

export interface ManagedComparison {
    readonly assumptionsAsOf: string;
    readonly replaces: readonly string[];
    /** Nodes the managed alternative needs: prod's node group at the fewest nodes that hold what is left. */
    readonly nodes: { readonly count: number; readonly instanceType: string; readonly basis: string };
    /** The managed services, priced. */
    readonly lines: readonly CostLine[];
    readonly rows: readonly ThreeWayRow[];
    readonly totals: readonly [number, number, number];
}

const usage = (key: UsageKey): ManagedAssumption => ({ key, ...assumptionsFile.usage[key] });
const assumptionText = (a: ManagedAssumption) => `managed.${a.key} = ${a.value} (${a.basis})`;

function priced(id: string, item: string, factors: Factor[], unitPrice: number, priceUnit: string, assumptions: readonly ManagedAssumption[], note?: string): CostLine {
    return {
        id, category: "logging", item, factors, unitPrice, priceUnit,
        monthly: factors.reduce((p, f) => p * f.value, unitPrice),
        assumption: assumptions.map(assumptionText).join("; "),
        ...(note ? { note } : {}),
    };
}

/** Cost lines of Grafana's RDS database. */
const isDatabaseLine = (line: CostLine) => line.id.startsWith("rds-");

/** Cost lines of a plan that are the nodes: instance hours and root volumes. */
/** The nodes' own lines: their hours, root volumes and surplus CPU credits, which scale with the nodes. */
const isNodeLine = (line: CostLine) => ["node-group:", "node-group-volumes:", "cpu-credits:"].some((prefix) => line.id.startsWith(prefix));

/** What a stack's persistent volumes of the replaced components cost: their claims, by the release that declares them. */
function replacedVolumes(plan: StackPlan, replaces: readonly string[]): number {
    const componentOf = new Map(plan.pods.sources.map((s) => [s.name, s.component]));
    return plan.cost.lines.filter((l) => l.id.startsWith("pvc:")).reduce((total, l) => total + (l.claims ?? [])
        .filter((c) => replaces.includes(componentOf.get(c.source) ?? ""))
        .reduce((sum, c) => sum + c.sizeGb * c.count * l.unitPrice, 0), 0);
}

/**
 * The fewest nodes of prod's group (at least its minimum) that hold the requests of what stays,
 * plus the two agents on every node. Requests are prod's at its desired size, an upper bound for
 * fewer nodes, as DaemonSets shrink with them.
 */
function managedNodeCount(prod: StackPlan, replaces: readonly string[], minSize: number): number {
    const pool = prod.capacity.pools[0];
    const kept = Object.entries(prod.capacity.byComponent).filter(([component]) => !replaces.includes(component)).map(([, use]) => use);
    const cpu = kept.reduce((t, u) => t + u.cpuMillicores, 0);
    const memory = kept.reduce((t, u) => t + u.memoryMiB, 0);
    const pods = kept.reduce((t, u) => t + u.pods, 0);
    const agents = { cpu: usage("agentCpuMillicoresPerNode").value, memory: usage("agentMemoryMiBPerNode").value, pods: usage("agentPodsPerNode").value };
    for (let n = Math.max(1, minSize); ; n++) {
        if (cpu + n * agents.cpu <= n * pool.allocatableCpuMillicoresPerNode && memory + n * agents.memory <= n * pool.allocatableMemoryMiBPerNode
            && pods + n * agents.pods <= n * pool.podSlotsPerNode) return n;
    }
}

/** The three-way comparison from the prod and dev plans (prod's config gives the log retention and the node group's minimum). */
export function compareManaged(prod: { plan: StackPlan; config: StackConfig }, dev: { plan: StackPlan }, table: PriceTable): ManagedComparison {
    const replaces = assumptionsFile.replaces;
    const group = prod.config.cluster.nodeGroups[0];
    const count = managedNodeCount(prod.plan, replaces, group.minSize);
    const pool = prod.plan.capacity.pools[0];
    const prodNodeCost = prod.plan.cost.lines.filter(isNodeLine).reduce((t, l) => t + l.monthly, 0);
    // Every pool is of the one group's type (one per zone when the group is zonal): a node costs the same in each.
    const managedNodeCost = (prodNodeCost / prod.plan.capacity.nodeCount) * count;
    const nodesNow = prod.plan.pods.nodeCount;
    const pods = prod.plan.pods.total - prod.plan.pods.sources.filter((s) => replaces.includes(s.component)).reduce((t, s) => t + s.pods, 0) + count * usage("agentPodsPerNode").value;

    const metrics = [usage("containerInsightsMetricsPerCluster"), usage("containerInsightsMetricsPerNode"), usage("containerInsightsMetricsPerPod")];
    const metricCount = metrics[0].value + metrics[1].value * count + metrics[2].value * pods;
    const retention = usage("logIngestionGbPerMonth");
    const retainedMonths = (durationToHours(prod.config.observability.loki.retention) ?? 0) / table.hoursPerMonth;
    const lines: CostLine[] = [
        priced("managed-metrics", "Container Insights metrics", [{ value: metricCount, unit: "metric" }], table.cloudwatch.metricPerMonth, "metric-month", metrics,
            `${metrics[0].value} + ${metrics[1].value} x ${count} nodes + ${metrics[2].value} x ${pods} pods`),
        priced("managed-logs-ingestion", "CloudWatch Logs ingestion (Fluent Bit)", [{ value: retention.value, unit: "GB" }], table.cloudwatchLogs.ingestedPerGb, "GB", [retention]),
        priced("managed-logs-storage", "CloudWatch Logs storage", [{ value: retention.value * retainedMonths, unit: "GB" }], table.cloudwatchLogs.storedPerGbMonth, "GB-month", [retention],
            `steady state: ${prod.config.observability.loki.retention} kept (prod's log retention, observability.loki.retention), uncompressed`),
        priced("managed-logs-insights", "CloudWatch Logs Insights queries", [{ value: usage("logsInsightsGbScannedPerMonth").value, unit: "GB" }], table.cloudwatchLogs.insightsPerGbScanned, "GB scanned", [usage("logsInsightsGbScannedPerMonth")]),
        priced("managed-xray-recorded", "X-Ray traces recorded", [{ value: usage("xrayTracesRecordedMillionsPerMonth").value, unit: "million trace" }], table.xray.perMillionTracesRecorded, "million", [usage("xrayTracesRecordedMillionsPerMonth")]),
        priced("managed-xray-retrieved", "X-Ray traces retrieved", [{ value: usage("xrayTracesRetrievedMillionsPerMonth").value, unit: "million trace" }], table.xray.perMillionTracesRetrieved, "million", [usage("xrayTracesRetrievedMillionsPerMonth")]),
        priced("managed-dashboards", "CloudWatch dashboards", [{ value: usage("dashboards").value, unit: "dashboard" }], table.cloudwatch.dashboardPerMonth, "dashboard-month", [usage("dashboards")]),
        priced("managed-alarms", "CloudWatch alarms", [{ value: usage("alarms").value, unit: "alarm" }], table.cloudwatch.alarmPerMonth, "alarm-month", [usage("alarms")]),
    ];

    const split = (plan: StackPlan) => {
        const nodes = plan.cost.lines.filter(isNodeLine).reduce((t, l) => t + l.monthly, 0);
        const volumes = replacedVolumes(plan, replaces);
        // The only database is Grafana's, which CloudWatch dashboards replace along with Grafana.
        const database = plan.cost.lines.filter(isDatabaseLine).reduce((t, l) => t + l.monthly, 0);
        return { nodes, volumes, database, rest: plan.cost.total - nodes - volumes - database };
    };
    const [p, d] = [split(prod.plan), split(dev.plan)];
    const managedServices = lines.reduce((t, l) => t + l.monthly, 0);
    const rows: ThreeWayRow[] = [
        { label: "Nodes, their root volumes and CPU credits", values: [managedNodeCost, p.nodes, d.nodes], note: `managed: ${count} x ${pool.instanceType} hold what stays (prod runs ${nodesNow})` },
        { label: "Volumes of the self-managed telemetry stack", values: [0, p.volumes, d.volumes], note: `persistent volumes of ${replaces.join(", ")}` },
        { label: "Grafana's database", values: [0, p.database, d.database], note: "managed: none, CloudWatch dashboards keep no database of ours" },
        { label: "Control plane, network, keys, S3, bastion, platform logs", values: [p.rest, p.rest, d.rest], note: "managed: as prod (the S3 assumption kept whole, an upper bound)" },
        ...lines.map((l): ThreeWayRow => ({ label: l.item, values: [l.monthly, 0, 0] })),
    ];
    const totals: [number, number, number] = [managedNodeCost + p.rest + managedServices, prod.plan.cost.total, dev.plan.cost.total];
    return {
        assumptionsAsOf: assumptionsFile.asOf,
        replaces,
        nodes: { count, instanceType: pool.instanceType, basis: `the fewest of prod's ${pool.instanceType} nodes, at least its minSize ${group.minSize}, that hold the requests left without ${replaces.join(", ")} plus ${usage("agentPodsPerNode").value} agent pods a node` },
        lines,
        rows,
        totals,
    };
}

/** The comparison as text: the managed lines with their arithmetic and assumptions, then the three columns. */
export function renderManagedComparison(c: ManagedComparison, table: PriceTable): string {
    const out = [
        `AWS-managed alternative (the original decision table's Option B), priced from ${table.region} list prices as of ${table.asOf}; usage assumptions as of ${c.assumptionsAsOf} (planner/data/managed-alternative.json), free tiers not applied`,
        `  replaces: ${c.replaces.join(", ")}; nodes: ${c.nodes.count} x ${c.nodes.instanceType} (${c.nodes.basis})`,
    ];
    const width = Math.max(...c.lines.map((l) => l.item.length));
    for (const l of c.lines) {
        const arithmetic = [...l.factors.map((f) => formatAmount(f.value, f.unit)), `${formatPrice(l.unitPrice)}/${l.priceUnit}`].join(" × ");
        out.push(`  ${l.item.padEnd(width)}  ${arithmetic} = ${formatUsd(l.monthly)}`);
        if (l.assumption) out.push(`      assumption: ${l.assumption}`);
        if (l.note) out.push(`      ${l.note}`);
    }
    out.push("", "Three-way monthly cost");
    const labelWidth = Math.max(...c.rows.map((r) => r.label.length), "Total".length);
    const cell = (v: number) => formatUsd(v).padStart(12);
    out.push(`  ${"".padEnd(labelWidth)}  ${"AWS managed".padStart(12)}  ${"prod".padStart(12)}  ${"dev".padStart(12)}`);
    for (const r of c.rows) out.push(`  ${r.label.padEnd(labelWidth)}  ${r.values.map(cell).join("  ")}${r.note ? `   ${r.note}` : ""}`);
    out.push(`  ${"Total".padEnd(labelWidth)}  ${c.totals.map(cell).join("  ")}`);
    return `${out.join("\n")}\n`;
}
