/**
 * The original decision document's cost comparison of its observability options, from real plans: prod and dev each
 * planned in every observability mode (the shipped stack file with `observability.mode` changed, through the engine),
 * their cost lines grouped into the document's rows. The seed's three-way table is the first three columns (AWS
 * managed, self-managed prod, self-managed dev); AMP + AMG and hybrid follow, then dev in the other modes.
 */
import { RunOptions, runStack } from "../engine/run";
import { OBSERVABILITY_MODES, ObservabilityMode } from "../lib/observability-modes";
import { CostLine } from "./cost";
import { formatUsd } from "./format";
import { MANAGED_LINE_IDS, managedPrices } from "./managed-cost";
import { planStack, StackPlan } from "./plan";
import { PriceTable } from "./pricing";

/** The stacks compared, and the order of the columns: the seed's three-way table first. */
export const MODE_COLUMNS: readonly { readonly mode: ObservabilityMode; readonly stack: "prod" | "dev" }[] = [
    { mode: "aws-managed", stack: "prod" },
    { mode: "self-managed", stack: "prod" },
    { mode: "self-managed", stack: "dev" },
    { mode: "amp-amg", stack: "prod" },
    { mode: "hybrid", stack: "prod" },
    { mode: "aws-managed", stack: "dev" },
    { mode: "amp-amg", stack: "dev" },
    { mode: "hybrid", stack: "dev" },
];

export interface ModeColumn {
    readonly mode: ObservabilityMode;
    readonly stack: string;
    readonly total: number;
    readonly pods: number;
    readonly nodes: number;
}

export interface ModeRow {
    readonly label: string;
    /** One per column. */
    readonly values: readonly number[];
}

export interface ModeComparison {
    readonly region: string;
    readonly pricesAsOf: string;
    readonly managedPricesAsOf: string;
    readonly columns: readonly ModeColumn[];
    readonly rows: readonly ModeRow[];
    /** Each managed service's line with the usage assumption it rests on, as prod in the first mode that has it declares it. */
    readonly assumptions: readonly { readonly item: string; readonly assumption: string }[];
}

/** The row a cost line counts in: the document's infrastructure rows, and each managed service on its own. */
export function rowOf(line: CostLine): string {
    if (MANAGED_LINE_IDS.some((id) => line.id.startsWith(id))) return line.item;
    if (line.id.startsWith("rds-")) return "Grafana's database (RDS)";
    if (line.id.startsWith("pvc:")) return "Persistent volumes";
    switch (line.category) {
        case "control plane": return "EKS control plane";
        case "compute": return "Nodes and the bastion";
        case "network": return "Network (NAT, public IPv4, endpoints)";
        case "storage": return line.id.startsWith("s3") ? "S3" : "Nodes and the bastion";
        case "security": return "KMS keys";
        case "logging": return "CloudWatch Logs (flow, control-plane and database logs)";
    }
}

/** The comparison from one plan per column, in MODE_COLUMNS' order, priced at `table`'s region. */
export function compareModes(plans: readonly { readonly mode: ObservabilityMode; readonly stack: string; readonly plan: StackPlan }[], table: PriceTable): ModeComparison {
    const labels: string[] = [];
    for (const { plan } of plans) for (const line of plan.cost.lines) if (!labels.includes(rowOf(line))) labels.push(rowOf(line));
    const rows = labels.map((label) => ({ label, values: plans.map(({ plan }) => plan.cost.lines.filter((l) => rowOf(l) === label).reduce((t, l) => t + l.monthly, 0)) }));
    const assumptions: { item: string; assumption: string }[] = [];
    for (const { stack, plan } of plans) {
        if (stack !== "prod") continue;
        for (const line of plan.cost.lines) {
            if (MANAGED_LINE_IDS.some((id) => line.id.startsWith(id)) && line.assumption && !assumptions.some((a) => a.item === line.item)) assumptions.push({ item: line.item, assumption: line.assumption });
        }
    }
    return {
        region: table.region,
        pricesAsOf: table.asOf,
        managedPricesAsOf: managedPrices(table.region).date,
        columns: plans.map(({ mode, stack, plan }) => ({ mode, stack, total: plan.cost.total, pods: plan.pods.total, nodes: plan.pods.nodeCount })),
        rows,
        assumptions,
    };
}

/**
 * Plans each column's stack in its mode through the engine (the stack file with observability.mode changed), each at
 * its own region's prices; the comparison names prod's region.
 */
export async function planModes(options: RunOptions = {}, engine = runStack): Promise<ModeComparison> {
    const plans: { mode: ObservabilityMode; stack: string; plan: StackPlan; table: PriceTable }[] = [];
    for (const { mode, stack } of MODE_COLUMNS) {
        const planned = await planStack(stack, { ...options, override: (config) => { options.override?.(config); config.observability.mode = mode; } }, engine);
        plans.push({ mode, stack, plan: planned.plan, table: planned.table });
    }
    return compareModes(plans, plans.find((p) => p.stack === "prod")!.table);
}

const header = (c: ModeColumn) => `${c.mode} ${c.stack}`;

/** The comparison as text: the columns' totals, pods and nodes, then the rows, then the managed services' assumptions. */
export function renderModeComparison(c: ModeComparison): string {
    const labelWidth = Math.max(...c.rows.map((r) => r.label.length), "Total per month".length);
    const width = Math.max(...c.columns.map((col) => header(col).length), 10);
    const line = (label: string, cells: readonly string[]) => `  ${label.padEnd(labelWidth)}  ${cells.map((v) => v.padStart(width)).join("  ")}`;
    const out = [
        `Observability modes, each stack planned in each mode (${OBSERVABILITY_MODES.join(", ")}); ${c.columns[0].mode} prod, self-managed prod and self-managed dev are the original decision table's three-way comparison.`,
        `Prices: ${c.region} list prices as of ${c.pricesAsOf}; the managed services' as of ${c.managedPricesAsOf} (planner/data/managed-observability-prices.json); free tiers not applied.`,
        "",
        line("", c.columns.map(header)),
        ...c.rows.map((r) => line(r.label, r.values.map(formatUsd))),
        line("Total per month", c.columns.map((col) => formatUsd(col.total))),
        line("Pods", c.columns.map((col) => String(col.pods))),
        line("Nodes", c.columns.map((col) => String(col.nodes))),
        "",
        "Usage assumptions of the managed services (costAssumptions in the stack file):",
        ...c.assumptions.map((a) => `  ${a.item}: ${a.assumption}`),
    ];
    return `${out.join("\n")}\n`;
}
