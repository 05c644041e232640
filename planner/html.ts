/**
 * The plan as one self-contained HTML page for a change review: inline CSS and SVG, no script, no
 * fetch, printable. Pure functions of the plans (and of a comparison or a diff): every figure is
 * one the planner computed and `--json` prints; this module only draws and formats. Text is
 * escaped; every picture has a title and a label, and a table beside it says the same in words.
 */
import { Comparison } from "./compare";
import { StackDiff } from "./diff";
import { formatQuantity, formatUsd, plural } from "./format";
import { PlacedNode } from "./placement";
import { StackPlan } from "./plan";
import { nistFamily, NIST_FAMILIES, RuleOutcome } from "./policy";
import { itemLabel, lineArithmetic } from "./render";
import { TelemetryEdge, TelemetryRole } from "./telemetry";

/** What a report shows: one or two plans, their comparison where there are two, a diff where asked. */
export interface HtmlReportInput {
    readonly plans: readonly StackPlan[];
    readonly comparison?: Comparison;
    readonly diff?: StackDiff;
}

/** The report's sections, in order: their anchors and headings (the README's screenshots are one per section). */
export const REPORT_SECTIONS = [
    { id: "network", title: "Network and placement" },
    { id: "cost", title: "Cost" },
    { id: "telemetry", title: "Telemetry paths" },
    { id: "compliance", title: "Compliance" },
    { id: "images", title: "Images" },
] as const;

/** Escapes text for an element's content or a quoted attribute. */
export function escapeHtml(text: string | number): string {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const e = escapeHtml;
const attrs = (values: Readonly<Record<string, string | number>>) => Object.entries(values).map(([k, v]) => ` ${k}="${e(v)}"`).join("");

/** A fixed palette (colour-blind-safe), assigned to components in name order so that a component keeps its colour across stacks. */
const PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#7f7f7f", "#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#aa4499", "#882255"];

function componentColours(plans: readonly StackPlan[]): Map<string, string> {
    const names = [...new Set(plans.flatMap((p) => p.capacity.placement.zones.flatMap((z) => z.nodes.flatMap((n) => n.pods.map((pod) => pod.component)))))].sort();
    return new Map(names.map((name, i) => [name, PALETTE[i % PALETTE.length]]));
}

const PROTECTION_STYLE: Record<TelemetryEdge["protection"], { colour: string; dash: string; label: string }> = {
    "mesh mTLS": { colour: "#117733", dash: "", label: "mesh mTLS" },
    "application TLS": { colour: "#0072b2", dash: "", label: "application TLS" },
    plaintext: { colour: "#cc3311", dash: "6 4", label: "plaintext (named exception)" },
};

const STATUS_LABEL: Record<RuleOutcome["status"], string> = { pass: "pass", fail: "FAIL", waived: "waived", disabled: "disabled" };

const CSS = `
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --ok: #117733; --bad: #cc3311; --warn: #b35c00; }
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 16px 24px 48px; max-width: 1240px; color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
p, li { overflow-wrap: anywhere; }
.muted { color: var(--muted); }
nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 8px 0; list-style: none; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 8px; margin: 12px 0; }
.summary div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.summary strong { display: block; font-size: 18px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 12px; table-layout: fixed; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
svg { display: block; max-width: 100%; }
svg:not(.bar) { height: auto; }
.zones { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 12px; }
.zone { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; break-inside: avoid; }
.node { border-top: 1px dashed var(--line); padding-top: 6px; margin-top: 6px; }
.node h5 { margin: 0 0 4px; font-size: 13px; }
.zone-use { margin: 0; font-weight: 600; }
.figure { display: block; font-size: 12px; font-variant-numeric: tabular-nums; }
table.bars th, table.bars td { border: 0; padding: 2px 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0; padding: 0; list-style: none; font-size: 12px; }
.legend svg { display: inline-block; vertical-align: middle; margin-right: 4px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.pass { color: var(--ok); }
.fail, .denied, .plaintext { color: var(--bad); }
.waived, .disabled { color: var(--warn); }
.delta-up { color: var(--bad); }
.delta-down { color: var(--ok); }
code { font-size: 12px; overflow-wrap: anywhere; }
details summary { cursor: pointer; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-before: page; }
  details { display: block; }
  a { color: inherit; text-decoration: none; }
}
`;

/** A horizontal bar of segments against a capacity, as an SVG with a title and an aria label. */
function barSvg(label: string, segments: readonly { value: number; colour: string; title: string }[], capacity: number, width = 320, height = 14): string {
    const total = segments.reduce((t, s) => t + s.value, 0);
    const scale = Math.max(capacity, total) > 0 ? width / Math.max(capacity, total) : 0;
    let x = 0;
    const rects = segments.filter((s) => s.value > 0).map((s) => {
        const w = s.value * scale;
        const rect = `<rect${attrs({ x: x.toFixed(2), y: 0, width: w.toFixed(2), height, fill: s.colour })}><title>${e(s.title)}</title></rect>`;
        x += w;
        return rect;
    }).join("");
    const over = total > capacity ? `<line${attrs({ x1: (capacity * scale).toFixed(2), x2: (capacity * scale).toFixed(2), y1: 0, y2: height, stroke: "#cc3311", "stroke-width": 2 })}/>` : "";
    // Drawn at `width` units and stretched to its cell, so a bar always spans its column.
    return `<svg role="img" class="bar"${attrs({ "aria-label": label, width: "100%", height, viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: "none" })}><title>${e(label)}</title><rect${attrs({ x: 0, y: 0, width, height, fill: "#eaeef2" })}/>${rects}${over}</svg>`;
}

const percent = (part: number, whole: number) => (whole > 0 ? `${formatQuantity((part / whole) * 100)}%` : "-");

function nodeBlock(node: PlacedNode, colours: Map<string, string>): string {
    const byComponent = new Map<string, { cpu: number; memory: number; pods: number }>();
    for (const pod of node.pods) {
        const c = byComponent.get(pod.component) ?? { cpu: 0, memory: 0, pods: 0 };
        byComponent.set(pod.component, { cpu: c.cpu + pod.cpuMillicores, memory: c.memory + pod.memoryMiB, pods: c.pods + 1 });
    }
    const components = [...byComponent.entries()].sort(([a], [b]) => a.localeCompare(b));
    const segments = (pick: (v: { cpu: number; memory: number; pods: number }) => number, unit: string) =>
        components.map(([name, v]) => ({ value: pick(v), colour: colours.get(name) ?? "#7f7f7f", title: `${name}: ${formatQuantity(pick(v))} ${unit}` }));
    const row = (what: string, key: string, used: { requested: number; allocatable: number }, unit: string, pick: (v: { cpu: number; memory: number; pods: number }) => number) =>
        `<tr${attrs({ "data-resource": key, "data-requested": used.requested, "data-allocatable": used.allocatable })}><th scope="row">${e(what)}</th><td>${barSvg(`${node.name} ${what}: ${formatQuantity(used.requested)} of ${formatQuantity(used.allocatable)} ${unit} requested`, segments(pick, unit), used.allocatable)}<span class="figure">${e(formatQuantity(used.requested))} / ${e(formatQuantity(used.allocatable))} ${e(unit)} (${e(percent(used.requested, used.allocatable))})</span></td></tr>`;
    const pods = components.map(([name, v]) => `${name} ${v.pods}`).join(", ");
    return `<div class="node"${attrs({ "data-node": node.name })}><h5>${e(node.name)} <span class="muted">${e(node.instanceType)}, node group ${e(node.nodeGroup)}</span></h5>`
        + `<table class="bars"><colgroup><col class="w-what"><col></colgroup><tbody>`
        + row("CPU", "cpu", node.cpuMillicores, "millicores", (v) => v.cpu)
        + row("memory", "memory", node.memoryMiB, "MiB", (v) => v.memory)
        + row("pod slots", "pods", node.podSlots, "pods", (v) => v.pods)
        + `</tbody></table><details><summary>${e(plural(node.pods.length, "pod"))}: ${e(pods)}</summary><ul>${node.pods.map((p) => `<li>${e(p.component)}: ${e(p.kind)} ${e(p.workload)} (${e(p.cpuMillicores)}m CPU, ${e(p.memoryMiB)} MiB)</li>`).join("")}</ul></details></div>`;
}

/** The VPC as boxes: the control plane's endpoint on top, then a column per zone with its subnets, NAT gateway and bastion. */
function networkSvg(plan: StackPlan): string {
    const { network } = plan;
    const zones = network.zones;
    const width = 1160;
    const columnWidth = (width - 40 - (zones.length - 1) * 16) / Math.max(zones.length, 1);
    const top = 96;
    const boxHeight = 64;
    const tierFill: Record<string, string> = { public: "#dbeefd", private: "#e6f4ea", pods: "#fdf1dc" };
    const parts: string[] = [];
    const text = (x: number, y: number, content: string, extra: Record<string, string | number> = {}) => `<text${attrs({ x, y, ...extra })}>${e(content)}</text>`;
    parts.push(text(16, 66, `VPC ${network.vpcCidrs.join(" + ")}`, { "font-weight": 700, "font-size": 16 }));
    const cp = network.controlPlane.map((c) => `${c.cluster} API endpoint: ${c.publicAccess ? `public from ${c.publicAccessCidrs.join(", ")}` : "no public access"}; ${c.privateAccess ? "private in the VPC" : "no private access"}`).join("; ");
    parts.push(`<rect${attrs({ x: 4, y: 4, width: width - 8, height: 32, rx: 6, fill: "#eef1f4", stroke: "#57606a" })}/>`);
    parts.push(text(16, 25, `EKS control plane: ${cp}`, { "font-size": 13 }));
    // Nodes sit in the private subnets; their pods take addresses from the zone's pod subnet.
    const nodesIn = (zone: string) => {
        const nodes = plan.capacity.placement.zones.find((z) => z.zone === zone)?.nodes ?? [];
        return nodes.length > 0 ? [`${plural(nodes.length, "node")} (${[...new Set(nodes.map((n) => n.instanceType))].join(", ")})`] : [];
    };
    zones.forEach((zone, i) => {
        const x = 20 + i * (columnWidth + 16);
        parts.push(text(x, top - 4 + 8, zone.zone, { "font-weight": 700 }));
        zone.subnets.forEach((subnet, j) => {
            const y = top + 12 + j * (boxHeight + 10);
            parts.push(`<rect${attrs({ x, y, width: columnWidth, height: boxHeight, rx: 6, fill: tierFill[subnet.tier] ?? "#eeeeee", stroke: "#8c959f" })}><title>${e(`${subnet.name} ${subnet.cidr}`)}</title></rect>`);
            parts.push(text(x + 10, y + 22, `${subnet.tier} ${subnet.cidr}`, { "font-weight": 600 }));
            const extras = [
                ...(subnet.tier === "public" && zone.natGateways > 0 ? [`NAT gateway${zone.natGateways > 1 ? ` x${zone.natGateways}` : ""}`] : []),
                ...(subnet.tier === "private" ? nodesIn(zone.zone) : []),
                ...network.bastions.filter((b) => b.zone === zone.zone && b.tier === subnet.tier).map((b) => `bastion ${b.instanceType}${b.publicIp ? ", public IP" : ", no public IP"}`),
            ];
            if (extras.length > 0) parts.push(text(x + 10, y + 44, extras.join("; "), { "font-size": 12 }));
        });
    });
    const bottom = top + 12 + zones.reduce((m, z) => Math.max(m, z.subnets.length), 0) * (boxHeight + 10) + 16;
    parts.push(text(16, bottom + 8, `VPC endpoints: ${network.endpoints.map((ep) => `${ep.service} (${ep.type})`).join(", ") || "none"}`, { "font-size": 13 }));
    const height = bottom + 26;
    parts.unshift(`<rect${attrs({ x: 4, y: 44, width: width - 8, height: height - 48, rx: 8, fill: "none", stroke: "#57606a", "stroke-width": 2 })}/>`);
    const label = `${plan.stack}: VPC ${network.vpcCidrs.join(" and ")}, ${plural(zones.length, "zone")}, ${plural(zones.reduce((t, z) => t + z.natGateways, 0), "NAT gateway")}, ${plural(network.endpoints.length, "VPC endpoint")}, ${plural(network.bastions.length, "bastion")}`;
    return `<svg role="img"${attrs({ "aria-label": label, viewBox: `0 0 ${width} ${height}`, width, height, "font-size": 13, "font-family": "system-ui, sans-serif" })}><title>${e(label)}</title>${parts.join("")}</svg>`;
}

function networkSection(plan: StackPlan, colours: Map<string, string>): string {
    const { network, capacity } = plan;
    const zoneRows = network.zones.map((z) => `<tr${attrs({ "data-zone": z.zone })}><th scope="row">${e(z.zone)}</th>${["public", "private", "pods"].map((tier) => `<td>${e(z.subnets.filter((s) => s.tier === tier).map((s) => s.cidr).join(", ") || "-")}</td>`).join("")}<td class="num">${e(z.natGateways)}</td></tr>`).join("");
    const legend = [...colours].filter(([name]) => capacity.placement.zones.some((z) => z.nodes.some((n) => n.pods.some((p) => p.component === name))))
        .map(([name, colour]) => `<li><svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12"><rect width="12" height="12" fill="${e(colour)}"/></svg>${e(name)}</li>`).join("");
    const share = (use: { requested: number; allocatable: number }) => percent(use.requested, use.allocatable);
    const placement = capacity.placement.zones.map((z) => `<div class="zone"${attrs({ "data-placement-zone": z.zone })}><h4>${e(z.zone)}: ${e(plural(z.nodes.length, "node"))}</h4>`
        + `<p class="zone-use">requested: CPU ${e(share(z.cpuMillicores))}, memory ${e(share(z.memoryMiB))}, pod slots ${e(share(z.podSlots))}</p>${z.nodes.map((n) => nodeBlock(n, colours)).join("") || '<p class="muted">no nodes at the desired size</p>'}</div>`).join("");
    // A zone the VPC spans but no node group runs in (dev's second zone) shows as empty.
    const empty = network.zones.filter((z) => !capacity.placement.zones.some((p) => p.zone === z.zone))
        .map((z) => `<div class="zone"${attrs({ "data-empty-zone": z.zone })}><h4>${e(z.zone)}: no nodes</h4><p class="muted">No node group runs in this zone at the desired size.</p></div>`).join("");
    const unplaced = capacity.placement.unplaced.length > 0 ? `<p class="fail">${e(plural(capacity.placement.unplaced.length, "pod"))} fit on no node: ${e(capacity.placement.unplaced.map((p) => `${p.component} ${p.workload}`).join(", "))}</p>` : "";
    const totals = (["cpuMillicores", "memoryMiB", "pods"] as const).map((key) => {
        const use = capacity[key];
        const unit = key === "cpuMillicores" ? "millicores CPU" : key === "memoryMiB" ? "MiB memory" : "pod slots";
        return `${formatQuantity(use.requested)} of ${formatQuantity(use.allocatable)} ${unit}`;
    }).join("; ");
    return `<div${attrs({ "data-stack": plan.stack })}><h3>${e(plan.stack)}</h3>${networkSvg(plan)}`
        + `<table><caption class="muted">Subnets per zone (VPC ${e(network.vpcCidrs.join(" + "))})</caption><thead><tr><th scope="col">zone</th><th scope="col">public</th><th scope="col">private</th><th scope="col">pods</th><th scope="col" class="num">NAT gateways</th></tr></thead><tbody>${zoneRows}</tbody></table>`
        + `<h4>Where the pods run (${e(plural(capacity.nodeCount, "node"))} at the desired size; requests ${e(totals)})</h4>`
        + `<p class="muted">Each bar is a node's allocatable CPU, memory or pod slots; the coloured parts are the requests of the pods placed on it, by component.</p>`
        + `<ul class="legend">${legend}</ul>${unplaced}<div class="zones">${placement}${empty}</div></div>`;
}

function costSection(input: HtmlReportInput): string {
    const { plans, comparison } = input;
    const width = 360;
    if (comparison) {
        const max = Math.max(...comparison.cost.flatMap((row) => row.values), 1);
        const linesOf = (id: string) => plans.map((p) => p.cost.lines.find((l) => l.id === id));
        const rows = comparison.cost.map((row) => {
            const lines = linesOf(row.id);
            const bars = row.values.map((v, i) => barSvg(`${comparison.stacks[i]} ${row.label}: ${formatUsd(v)} a month`, [{ value: v, colour: i === 0 ? "#56b4e9" : "#0072b2", title: `${comparison.stacks[i]}: ${formatUsd(v)}` }], max, width, 10)).join("");
            const stated = lines.map((l) => l?.assumption);
            // One assumption where the stacks share it, else each stack's own.
            const assumptions = new Set(stated).size === 1 ? stated.filter((a): a is string => a !== undefined)
                : stated.flatMap((a, i) => (a !== undefined ? [`${comparison.stacks[i]}: ${a}`] : []));
            return `<tr${attrs({ "data-cost-line": row.id })}><th scope="row">${e(row.label)}${assumptions.length > 0 ? `<br><span class="muted">${e(assumptions.join("; "))}</span>` : ""}</th><td>${bars}</td>${row.values.map((v) => `<td class="num" data-monthly>${e(formatUsd(v))}</td>`).join("")}<td class="num ${row.delta > 0 ? "delta-up" : row.delta < 0 ? "delta-down" : ""}" data-delta>${e(`${row.delta > 0 ? "+" : ""}${formatUsd(row.delta)}`)}</td></tr>`;
        }).join("");
        const total = comparison.costTotal;
        return `<p class="muted">Monthly cost per line, ${e(comparison.stacks.join(" (light) and "))} (dark), at ${e(plans[0].cost.region)} prices of ${e(plans[0].cost.pricesAsOf)} (EC2 ${e(plans[0].cost.ec2PricesAsOf)}); the usage assumptions sit under the lines they drive.</p>`
            + `<table class="cost"><colgroup><col class="w-label"><col class="w-bar"><col class="w-num"><col class="w-num"><col class="w-num"></colgroup><thead><tr><th scope="col">line</th><th scope="col">a month</th>${comparison.stacks.map((s) => `<th scope="col" class="num">${e(s)}</th>`).join("")}<th scope="col" class="num">delta</th></tr></thead><tbody>${rows}</tbody>`
            + `<tfoot><tr data-cost-total><th scope="row">Total</th><td></td>${total.values.map((v) => `<td class="num" data-monthly>${e(formatUsd(v))}</td>`).join("")}<td class="num" data-delta>${e(`${total.delta > 0 ? "+" : ""}${formatUsd(total.delta)}`)}</td></tr></tfoot></table>`;
    }
    return plans.map((plan) => {
        const max = Math.max(...plan.cost.lines.map((l) => l.monthly), 1);
        const rows = plan.cost.lines.map((line) => `<tr${attrs({ "data-cost-line": line.id })}><th scope="row">${e(itemLabel(line))}<br><span class="muted">${e(lineArithmetic(line))}</span>${line.assumption ? `<br><span class="muted">assumes ${e(line.assumption)}</span>` : ""}</th><td>${barSvg(`${itemLabel(line)}: ${formatUsd(line.monthly)} a month`, [{ value: line.monthly, colour: "#0072b2", title: formatUsd(line.monthly) }], max, width, 12)}</td><td class="num" data-monthly>${e(formatUsd(line.monthly))}</td></tr>`).join("");
        return `<div${attrs({ "data-stack": plan.stack })}><h3>${e(plan.stack)}: ${e(formatUsd(plan.cost.total))} a month</h3><p class="muted">At ${e(plan.cost.region)} prices of ${e(plan.cost.pricesAsOf)} (EC2 ${e(plan.cost.ec2PricesAsOf)}), ${e(plan.cost.hoursPerMonth)} hours a month; each line's arithmetic and usage assumption under its name.</p>`
            + `<table class="cost"><colgroup><col class="w-label"><col class="w-bar"><col class="w-num"></colgroup><thead><tr><th scope="col">line</th><th scope="col">a month</th><th scope="col" class="num">${e(plan.cost.currency)}</th></tr></thead><tbody>${rows}</tbody>`
            + `<tfoot><tr data-cost-total><th scope="row">Total</th><td></td><td class="num" data-monthly>${e(formatUsd(plan.cost.total))}</td></tr></tfoot></table></div>`;
    }).join("");
}

const ROLES: readonly { role: TelemetryRole; title: string }[] = [
    { role: "producer", title: "Producers" },
    { role: "transport", title: "Transports" },
    { role: "store", title: "Stores" },
    { role: "grafana", title: "Grafana and UIs" },
];

/**
 * The wiring graph as four columns (producers, transports, stores, Grafana), a box per release,
 * an arrow from each caller to the release it calls, coloured by the hop's protection.
 */
function telemetrySvg(plan: StackPlan): string {
    const edges = plan.telemetry;
    const roles = new Map<string, TelemetryRole>();
    for (const edge of edges) {
        if (!roles.has(edge.from)) roles.set(edge.from, edge.fromRole);
        if (!roles.has(edge.toRelease)) roles.set(edge.toRelease, edge.toRole);
    }
    const width = 1160;
    const boxWidth = 220;
    const gap = (width - 20 - 60 - ROLES.length * boxWidth) / (ROLES.length - 1);
    const rowHeight = 40;
    const position = new Map<string, { x: number; y: number }>();
    let rows = 0;
    ROLES.forEach(({ role }, column) => {
        const names = [...roles].filter(([, r]) => r === role).map(([name]) => name).sort();
        names.forEach((name, i) => position.set(name, { x: 10 + column * (boxWidth + gap), y: 40 + i * rowHeight }));
        rows = Math.max(rows, names.length);
    });
    const height = 50 + rows * rowHeight;
    const headers = ROLES.map(({ title }, column) => `<text${attrs({ x: 10 + column * (boxWidth + gap), y: 22, "font-weight": 700 })}>${e(title)}</text>`).join("");
    const mid = 13;
    const paths = edges.map((edge) => {
        const a = position.get(edge.from)!;
        const b = position.get(edge.toRelease)!;
        const style = PROTECTION_STYLE[edge.protection];
        let d: string;
        if (edge.from === edge.toRelease) {
            // A release calling its own Service (Grafana's alerting peers): a loop on the box's right.
            d = `M${a.x + boxWidth},${a.y + 6} C${a.x + boxWidth + 36},${a.y - 8} ${a.x + boxWidth + 36},${a.y + 34} ${a.x + boxWidth},${a.y + 20}`;
        } else if (a.x === b.x) {
            d = `M${a.x + boxWidth},${a.y + mid} C${a.x + boxWidth + 50},${a.y + mid} ${b.x + boxWidth + 50},${b.y + mid} ${b.x + boxWidth},${b.y + mid}`;
        } else {
            const [x1, x2] = a.x < b.x ? [a.x + boxWidth, b.x] : [a.x, b.x + boxWidth];
            const bend = (x2 - x1) / 2;
            d = `M${x1},${a.y + mid} C${x1 + bend},${a.y + mid} ${x2 - bend},${b.y + mid} ${x2},${b.y + mid}`;
        }
        return `<path${attrs({ d, fill: "none", stroke: style.colour, "stroke-width": 2, ...(style.dash ? { "stroke-dasharray": style.dash } : {}), "marker-end": `url(#arrow-${plan.stack}-${edge.protection === "plaintext" ? "bad" : "ok"})` })}><title>${e(`${edge.from} -> ${edge.to}:${edge.port}: ${edge.protection}; NetworkPolicies: ${edge.policy}`)}</title></path>`;
    }).join("");
    const boxes = [...position].map(([name, p]) => `<rect${attrs({ x: p.x, y: p.y, width: boxWidth, height: 26, rx: 4, fill: "#eef1f4", stroke: "#57606a" })}/><text${attrs({ x: p.x + 8, y: p.y + 17, "font-size": 12 })}>${e(name)}</text>`).join("");
    const marker = (kind: string, colour: string) => `<marker${attrs({ id: `arrow-${plan.stack}-${kind}`, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" })}><path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
    const count = (p: TelemetryEdge["protection"]) => edges.filter((x) => x.protection === p).length;
    const label = `${plan.stack}: ${plural(edges.length, "telemetry edge")}, ${count("mesh mTLS")} mesh mTLS, ${count("application TLS")} application TLS, ${count("plaintext")} plaintext`;
    return `<svg role="img"${attrs({ "aria-label": label, viewBox: `0 0 ${width} ${height}`, width, height, "font-size": 13, "font-family": "system-ui, sans-serif" })}><title>${e(label)}</title><defs>${marker("ok", "#57606a")}${marker("bad", "#cc3311")}</defs>${headers}${paths}${boxes}</svg>`;
}

function telemetrySection(plan: StackPlan): string {
    const legend = Object.values(PROTECTION_STYLE).map((s) => `<li><svg aria-hidden="true" width="28" height="10" viewBox="0 0 28 10"><line x1="0" y1="5" x2="28" y2="5" stroke="${e(s.colour)}" stroke-width="3"${s.dash ? ` stroke-dasharray="${e(s.dash)}"` : ""}/></svg>${e(s.label)}</li>`).join("");
    const cluster = plan.clusters[0];
    const enforcement = cluster ? `${plural(cluster.networkPolicies.policies, "NetworkPolicy")} in ${plural(cluster.networkPolicies.namespaces, "namespace")}, ${cluster.networkPolicies.enforced ? "enforced by the VPC CNI's network-policy agent" : "not enforced (the VPC CNI's network policy is off)"}` : "no cluster";
    const rows = plan.telemetry.map((edge) => `<tr${attrs({ "data-edge": `${edge.from} -> ${edge.to}:${edge.port}`, "data-protection": edge.protection, "data-policy": edge.policy })}><td>${e(edge.from)}</td><td>${e(edge.to)}:${e(edge.port)}</td><td><span class="badge ${edge.protection === "plaintext" ? "plaintext" : "pass"}">${e(edge.protection)}</span><br><span class="muted">${e(edge.how)}</span></td><td><span class="badge ${edge.policy === "denied" ? "denied" : edge.policy === "allowed" ? "pass" : "waived"}">${e(edge.policy)}</span></td></tr>`).join("");
    return `<div${attrs({ "data-stack": plan.stack })}><h3>${e(plan.stack)}</h3><ul class="legend">${legend}</ul>${telemetrySvg(plan)}<p class="muted">In-cluster policies: ${e(enforcement)}. Each edge is an address the stack's values name, resolved to the Service it reaches; arrows point from the caller to the release it calls; "allowed" means the policies admit every client pod to every pod behind the Service on that port.</p>`
        + `<table><colgroup><col class="w-end"><col class="w-end"><col><col class="w-num"></colgroup><thead><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">encryption</th><th scope="col">NetworkPolicies</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function complianceSection(plans: readonly StackPlan[]): string {
    const rules = plans[0].policy.rules;
    const families = [...new Set(rules.flatMap((r) => r.nist.map(nistFamily)))].sort();
    const statusCell = (plan: StackPlan, rule: string) => {
        const outcome = plan.policy.rules.find((r) => r.policy === rule);
        const status = outcome?.status ?? "disabled";
        return `<td${attrs({ "data-stack": plan.stack, "data-status": status })}><span class="badge ${status}">${e(STATUS_LABEL[status])}</span>${outcome && outcome.violations + outcome.waived > 0 ? ` <span class="muted">${e(outcome.violations)} found, ${e(outcome.waived)} waived</span>` : ""}</td>`;
    };
    const summary = plans.map((plan) => {
        const count = (s: RuleOutcome["status"]) => plan.policy.rules.filter((r) => r.status === s).length;
        return `<div><strong>${e(plan.stack)}</strong>${e(count("pass"))} pass, ${e(count("fail"))} fail, ${e(count("waived"))} waived, ${e(count("disabled"))} disabled; ${e(plan.policy.mandatory)} mandatory ${plan.policy.mandatory === 1 ? "violation" : "violations"}</div>`;
    }).join("");
    const tables = families.map((family) => {
        const inFamily = rules.filter((r) => r.nist.some((c) => nistFamily(c) === family));
        const rows = inFamily.map((r) => `<tr${attrs({ "data-rule": r.policy })}><th scope="row"><code>${e(r.policy)}</code></th><td>${e(r.nist.filter((c) => nistFamily(c) === family).join(", "))}</td><td>${e(r.severity)}</td>${plans.map((p) => statusCell(p, r.policy)).join("")}</tr>`).join("");
        return `<section${attrs({ "data-family": family, "aria-labelledby": `family-${family}` })}><h3${attrs({ id: `family-${family}` })}>${e(family)}: ${e(NIST_FAMILIES[family] ?? "other controls")} <span class="muted">(${e(plural(inFamily.length, "rule"))})</span></h3>`
            + `<table><colgroup><col class="w-rule"><col class="w-controls"><col class="w-num">${plans.map(() => '<col class="w-status">').join("")}</colgroup><thead><tr><th scope="col">rule</th><th scope="col">controls</th><th scope="col">severity</th>${plans.map((p) => `<th scope="col">${e(p.stack)}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table></section>`;
    }).join("");
    const waivers = plans.flatMap((plan) => plan.policy.waivers.map((w) => `<tr${attrs({ "data-waiver": `${plan.stack} ${w.policy} ${w.resource}` })}><td>${e(plan.stack)}</td><td><code>${e(w.policy)}</code></td><td>${e(w.resource)}</td><td>${e(w.reason)}</td><td>${e(w.expires)}</td><td><span class="badge ${w.status === "applied" ? "waived" : "fail"}">${e(w.status)}</span> ${e(w.matched)}</td></tr>`));
    const waiverTable = waivers.length > 0
        ? `<table><thead><tr><th scope="col">stack</th><th scope="col">rule</th><th scope="col">resource</th><th scope="col">reason</th><th scope="col">expires</th><th scope="col">status, matched</th></tr></thead><tbody>${waivers.join("")}</tbody></table>`
        : `<p>No waivers: ${e(plans.map((p) => p.policy.packConfig).join(" and "))} ${plans.length === 1 ? "exempts" : "exempt"} nothing.</p>`;
    return `<p class="muted">The CrossGuard pack evaluated offline over each stack's resources with the stack's own pack config, grouped by NIST SP 800-53 Rev. 5 control family; a rule with controls in several families is listed under each.</p><div class="summary">${summary}</div>${tables}<h3>Waivers</h3>${waiverTable}`;
}

function imagesSection(plans: readonly StackPlan[]): string {
    const images = [...new Set(plans.flatMap((p) => p.images.map((i) => i.image)))].sort();
    const prefixes = plans.map((p) => `${p.clusters[0]?.name ?? p.stack}-`);
    const short = (release: string) => prefixes.reduce((r, prefix) => (r.startsWith(prefix) ? r.slice(prefix.length) : r), release);
    const rows = images.map((image) => {
        const uses = plans.map((p) => p.images.find((i) => i.image === image));
        const first = uses.find((u) => u !== undefined)!;
        return `<tr${attrs({ "data-image": image })}><td><code>${e(first.repository)}</code></td><td><code>${e(first.tag || "(none)")}</code></td><td>${e(first.platforms.join(", ") || "unknown")}</td>${uses.map((u) => `<td>${u ? e([...new Set(u.releases.map(short))].join(", ")) : '<span class="muted">not run</span>'}</td>`).join("")}</tr>`;
    }).join("");
    return `<p class="muted">Every image the stacks' pods run (init containers, injected sidecars and operator-made pods included), the platforms its tag is published for, and the releases that run it.</p>`
        + `<table><colgroup><col class="w-image"><col class="w-tag"><col class="w-platforms">${plans.map(() => "<col>").join("")}</colgroup><thead><tr><th scope="col">image</th><th scope="col">tag</th><th scope="col">platforms</th>${plans.map((p) => `<th scope="col">releases in ${e(p.stack)}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table>`;
}

function diffSection(diff: StackDiff): string {
    const { create, update, replace, delete: del, same } = diff.counts;
    const rows = diff.changes.map((c) => `<tr${attrs({ "data-change": c.urn, "data-operation": c.operation })}><td><span class="badge ${c.operation === "replace" || c.operation === "delete" ? "fail" : "pass"}">${e(c.operation)}</span>${c.blocked ? ' <span class="badge fail">blocked: protected</span>' : ""}</td><td><code>${e(c.type)}</code></td><td>${e(c.name)}</td><td>${e(c.operation === "replace" ? c.replaceReasons.map((r) => r.input).join(", ") : c.changed.join(", "))}${c.holds ? ` <strong class="fail">loses ${e(c.holds)}</strong>` : ""}${c.nameCollision ? ` <strong class="fail">keeps ${e(c.nameCollision)}</strong>` : ""}${c.lowers ? ` <strong class="fail">lowers ${e(c.lowers)}</strong>` : ""}${c.retained ? " <strong>retained: stays in the account</strong>" : ""}</td></tr>`).join("");
    return `<section id="changes" aria-labelledby="changes-title"><h2 id="changes-title">Changes from ${e(diff.base)}</h2><p>${e(create)} to create, ${e(update)} to update, ${e(replace)} to replace, ${e(del)} to delete, ${e(same)} unchanged.</p>`
        + `<table><colgroup><col class="w-op"><col class="w-type"><col class="w-name"><col></colgroup><thead><tr><th scope="col">change</th><th scope="col">type</th><th scope="col">resource</th><th scope="col">inputs</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Column widths of the fixed-layout tables, so that long names wrap instead of widening the page. */
const COLUMN_CSS = `
col.w-what { width: 90px; } col.w-num { width: 190px; } col.w-label { width: 38%; } col.w-bar { width: 380px; }
col.w-end { width: 24%; } col.w-rule { width: 30%; } col.w-controls { width: 22%; } col.w-status { width: 16%; }
col.w-image { width: 34%; } col.w-tag { width: 14%; } col.w-platforms { width: 14%; }
col.w-op { width: 150px; } col.w-type { width: 30%; } col.w-name { width: 28%; }
table.cost col.w-num { width: 110px; }
`;

/** The whole report: a page for one stack, a comparison of two, or one stack with a diff. */
export function renderHtmlReport(input: HtmlReportInput): string {
    const { plans, comparison, diff } = input;
    if (plans.length === 0) throw new Error("renderHtmlReport needs at least one plan");
    const colours = componentColours(plans);
    const title = comparison ? `Plan: ${comparison.stacks.join(" vs ")}` : diff ? `Plan: ${plans[0].stack}, changes from ${diff.base}` : `Plan: ${plans[0].stack}`;
    const summary = plans.map((p) => `<div${attrs({ "data-summary": p.stack })}><strong>${e(p.stack)}</strong>${e(formatUsd(p.cost.total))} a month; ${e(plural(p.capacity.nodeCount, "node"))}, ${e(plural(p.pods.total, "pod"))}; ${e(plural(p.network.zones.length, "zone"))}; ${e(p.policy.mandatory)} mandatory, ${e(p.policy.advisory)} advisory findings</div>`).join("");
    const sections: Record<(typeof REPORT_SECTIONS)[number]["id"], string> = {
        network: plans.map((p) => networkSection(p, colours)).join(""),
        cost: costSection(input),
        telemetry: plans.map(telemetrySection).join(""),
        compliance: complianceSection(plans),
        images: imagesSection(plans),
    };
    const nav = [...(diff ? [{ id: "changes", title: "Changes" }] : []), ...REPORT_SECTIONS].map((s) => `<li><a href="#${e(s.id)}">${e(s.title)}</a></li>`).join("");
    const body = REPORT_SECTIONS.map((s) => `<section${attrs({ id: s.id, "aria-labelledby": `${s.id}-title` })}><h2${attrs({ id: `${s.id}-title` })}>${e(s.title)}</h2>${sections[s.id]}</section>`).join("\n");
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${CSS}${COLUMN_CSS}</style>
</head>
<body>
<header><h1>${e(title)}</h1><p class="muted">Project ${e(plans[0].project)}; computed offline by the planner (npm run plan) from the same run as its --json output.</p><nav aria-label="Sections"><ul>${nav}</ul></nav><div class="summary">${summary}</div></header>
<main>
${diff ? diffSection(diff) : ""}
${body}
</main>
</body>
</html>
`;
}
