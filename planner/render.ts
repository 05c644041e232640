/**
 * The planner's reports as text for a terminal and as Markdown for docs and pull requests. Pure
 * functions of a plan or a comparison: nothing here computes a figure.
 */
import { CapacityPlan } from "../lib/capacity";
import { KUBERNETES_SUPPORT } from "../lib/eks-versions";
import { Comparison, DeltaRow } from "./compare";
import { CostEstimate, CostLine } from "./cost";
import { DEPARTURES } from "./departures";
import { formatAmount, formatPrice, formatQuantity, formatUsd, plural } from "./format";
import { CAPABILITIES, MODE_PARTS, OBSERVABILITY_MODES, ObservabilityMode } from "../lib/observability-modes";
import { ModeComparison } from "./managed";
import { StackPlan } from "./plan";
import { PodCount } from "./pods";
import { podSecurityLines } from "./pod-security";
import { waiverLines } from "./policy";

/** Pads the cells of each column to a common width; the last column is left ragged. */
function textTable(rows: readonly (readonly string[])[], indent = "  "): string[] {
    const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
    return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ").trimEnd());
}

/** A Markdown table; pipes in cells are escaped. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
    const cell = (text: string) => text.replace(/\|/g, "\\|");
    return [`| ${header.map(cell).join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`)];
}

/** "3 gateways × 730 h × $0.045/h": the arithmetic of a line. */
function lineArithmetic(line: CostLine): string {
    return [...line.factors.map((f) => formatAmount(f.value, f.unit)), `${formatPrice(line.unitPrice)}/${line.priceUnit}`].join(" × ");
}

function itemLabel(line: CostLine): string {
    return line.detail ? `${line.item} (${line.detail})` : line.item;
}

/** The notes under a line: its assumption, what was counted, and each claim of a PVC line. */
function lineNotes(line: CostLine): string[] {
    return [
        ...(line.assumption ? [`assumption: ${line.assumption}`] : []),
        ...(line.note ? [line.note] : []),
        ...(line.claims ?? []).map((c) => `${c.source} ${c.path}: ${formatQuantity(c.sizeGb)} GB × ${c.count} [${c.countBasis}] on ${c.storageClass}`),
    ];
}

function costHeading(cost: CostEstimate): string {
    return `${cost.region} list prices as of ${cost.pricesAsOf} (EC2 on demand as of ${cost.ec2PricesAsOf}), ${cost.currency}, ${cost.hoursPerMonth} h a month`;
}

/** Until when EKS keeps the version as it is: after that day it upgrades the control plane itself. */
function supportUntil(cluster: StackPlan["clusters"][number]): string {
    const window = KUBERNETES_SUPPORT[cluster.kubernetesVersion];
    if (!window) return "";
    return ` until ${cluster.supportType === "STANDARD" ? window.endOfStandardSupport : window.endOfExtendedSupport} (README, "A Kubernetes minor upgrade")`;
}

function clustersText(plan: StackPlan): string[] {
    return plan.clusters.flatMap((c) => [
        `Cluster ${c.name}: Kubernetes ${c.kubernetesVersion}, ${c.supportType} support${supportUntil(c)}`,
        ...Object.entries(c.nodeGroupsByZone).map(([zone, groups]) => `  ${zone}: ${plural(groups.length, "node group")} (${groups.join(", ")})`),
        c.networkPolicies.enforced
            ? `  Network policies: enforced by the VPC CNI's network-policy agent; ${plural(c.networkPolicies.policies, "policy")} in ${plural(c.networkPolicies.namespaces, "namespace")}, default deny`
            : `  Network policies: NOT enforced (the vpc-cni add-on does not set enableNetworkPolicy); ${plural(c.networkPolicies.policies, "declared policy")} would do nothing`,
    ]);
}

function inventoryText(plan: StackPlan): string[] {
    const { inventory } = plan;
    const rows = inventory.byComponent.flatMap((c) => [[c.component, String(c.total)], ...c.types.map((t) => [`  ${t.type}`, String(t.count)])]);
    return [`Inventory: ${plural(inventory.total, "resource")}`, ...textTable(rows)];
}

function podsText(plan: StackPlan): string[] {
    const { pods } = plan;
    const note = (w: PodCount["sources"][number]["workloads"][number]) => [w.kind === "DaemonSet" ? "DaemonSet" : w.kind === "Job" ? "Job, at peak" : "", w.origin === "model" ? "model" : ""].filter(Boolean);
    const rows = pods.sources.map((s) => [s.name, s.component, String(s.pods), s.workloads.map((w) => `${w.name} ${w.pods}${note(w).length ? ` (${note(w).join(", ")})` : ""}`).join(", ")]);
    return [
        `Pods: ${pods.total} at ${plural(pods.nodeCount, "node")} (rendered charts and operators; DaemonSets run one pod per node; "model" where no chart source exists)`,
        ...textTable([["release / resource", "component", "pods", "workloads"], ...rows]),
    ];
}

function imagesText(plan: StackPlan): string[] {
    const registries = [...new Set(plan.images.map((i) => i.registry))];
    return [
        `Images: ${plan.images.length} from ${registries.length} registries`,
        ...registries.flatMap((registry) => [`  ${registry}`, ...textTable(plan.images.filter((i) => i.registry === registry).map((i) => [i.image, i.usedBy.join(", ")]), "    ")]),
    ];
}

function costText(plan: StackPlan): string[] {
    const { cost } = plan;
    const table = textTable(cost.lines.map((l) => [itemLabel(l), lineArithmetic(l), `= ${formatUsd(l.monthly).padStart(10)}`]));
    return [
        `Monthly cost estimate (${costHeading(cost)})`,
        // Notes are long: they go on lines of their own rather than widening the table.
        ...cost.lines.flatMap((l, i) => [table[i], ...lineNotes(l).map((n) => `      ${n}`)]),
        `  Total: ${formatUsd(cost.total)} a month`,
    ];
}

const percent = (value: number) => `${Math.round(value)}%`;

/** The pools and the requested/allocatable table of one capacity plan. */
function capacityTable(capacity: CapacityPlan): string[] {
    const pools = capacity.pools.map((p) =>
        `  ${p.name ?? "pool"}: ${p.nodes} x ${p.instanceType}, ${plural(p.podSlotsPerNode, "pod slot")}, ${p.allocatableCpuMillicoresPerNode}m CPU and ${p.allocatableMemoryMiBPerNode}Mi memory allocatable per node`);
    const rows = [
        ["", "requested", "allocatable", "free", "headroom"],
        ...([["pod slots", capacity.pods, ""], ["CPU", capacity.cpuMillicores, "m"], ["memory", capacity.memoryMiB, "Mi"]] as const).map(([label, use, unit]) =>
            [label, `${use.requested}${unit}`, `${use.allocatable}${unit}`, `${use.free}${unit}`, percent(use.headroomPercent)]),
    ];
    return [
        ...pools,
        ...textTable(rows),
        `  memory limits: ${capacity.memoryLimitsMiB}Mi (${capacity.memoryLimitsMiB > capacity.memoryMiB.allocatable ? "overcommitted" : "within allocatable"})`,
    ];
}

/** Capacity at the desired size when there are nodes there, and at the node groups' maximum. */
function capacityText(plan: StackPlan): string[] {
    const { capacity } = plan;
    const { atMax } = capacity;
    const maxVerdict = `${atMax.fits ? "fits" : "DOES NOT FIT"} at the maximum ${plural(atMax.nodeCount, "node")}`;
    const daemonSets = `${capacity.daemonSetPodsPerNode} DaemonSet pods on every node`;
    const warnings = capacity.warnings.map((w) => `  WARNING: ${w}`);
    if (capacity.nodeCount === 0) {
        return [
            `Capacity: the node groups scale from zero (desired 0 nodes): pods stay pending until the cluster autoscaler or a larger desiredSize adds nodes; ${maxVerdict} (the fewest that fit: ${atMax.nodesNeededToFit ?? "none"}); ${daemonSets}`,
            ...capacityTable(atMax),
            ...warnings,
        ];
    }
    const verdict = capacity.fits ? `fits at ${plural(capacity.nodeCount, "node")} (the fewest that fit: ${capacity.nodesNeededToFit})` : "DOES NOT FIT";
    const headroom = (["pods", "cpuMillicores", "memoryMiB"] as const).map((key) => percent(atMax[key].headroomPercent));
    return [
        `Capacity: ${verdict}; ${daemonSets}`,
        ...capacityTable(capacity),
        `  at the node groups' maximum: ${maxVerdict}, headroom ${headroom[0]} pod slots, ${headroom[1]} CPU, ${headroom[2]} memory`,
        ...warnings,
    ];
}

function policyText(plan: StackPlan): string[] {
    const { policy } = plan;
    const heading = `Policy (${policy.pack.name} ${policy.pack.version}, ${policy.packConfig}): ${policy.mandatory} mandatory, ${policy.advisory} advisory violations`;
    return [heading, ...policy.violations.map((v) =>
        `  [${v.enforcementLevel}] ${v.policy} (NIST ${v.nist.join(", ")}) ${v.resourceType ? `${v.resourceType} ${v.resourceName}` : "stack"}: ${v.message}`), ...waiverLines(policy)];
}

function destroyText(plan: StackPlan): string[] {
    const { destroy } = plan;
    if (destroy.volumes === 0) return ["A destroy: no claim outlives its release"];
    const fate = destroy.reclaimPolicy === "Retain"
        ? "their StorageClasses retain the volumes, so they stay after the claims go, deliberately (protected data), until deleted by hand"
        : "delete the claims before the cluster (README, \"A clean destroy\"), or their volumes stay behind it, untracked and billed";
    return [
        `A destroy: ${plural(destroy.volumes, "volume")} (${destroy.sizeGb} GB) from StatefulSet claims outlive their releases; ${fate}`,
        ...textTable(destroy.claims.map((c) => [c.source, c.path, `${c.count} x ${c.sizeGb} GB`])),
    ];
}

/** The report's sections, in order; a section is a function of the plan. */
/** The ALBs the controller will create: Pulumi does not declare them, so the plan says what they will be. */
function loadBalancersText(plan: StackPlan): string[] {
    if (plan.loadBalancers.length === 0) return ["Load balancers: none (ui.exposure none)"];
    return [`Load balancers (created by the AWS Load Balancer Controller from the Ingresses, not by Pulumi; priced below):`, ...plan.loadBalancers.flatMap((lb) => [
        `  ${lb.group}: ${lb.scheme} ALB, HTTPS 443 (${lb.tlsPolicy}) and HTTP 80 redirecting to it, from ${lb.inboundCidrs.join(", ")}; web ACL ${lb.webAcl ? "on" : "OFF"}; access logs ${lb.accessLogs ? "on" : "OFF"}`,
        ...lb.routes.map((r) => `    ${r.url} -> ${r.backend} (Ingress ${r.ingress}; sign-in at the ALB: ${r.signIn})`),
    ])];
}

const SECTIONS: readonly ((plan: StackPlan) => string[])[] = [clustersText, inventoryText, loadBalancersText, podsText, imagesText, costText, capacityText, policyText, (plan) => podSecurityLines(plan.podSecurity), destroyText];

/** The whole report for one stack. */
export function renderPlan(plan: StackPlan): string {
    const title = `Plan for stack ${plan.stack} (${plan.project}, ${plan.environment})`;
    const warnings = plan.warnings.length === 0 ? [] : ["", "Before the first pulumi up", ...plan.warnings.map((w) => `  WARNING: ${w}`)];
    return [title, ...warnings, ...SECTIONS.flatMap((section) => ["", ...section(plan)])].join("\n") + "\n";
}

const signedUsd = (amount: number) => (amount < 0 ? `-${formatUsd(-amount)}` : `+${formatUsd(amount)}`);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function deltaCells(row: DeltaRow, format: (n: number) => string, formatDelta: (n: number) => string): string[] {
    return [row.label, ...row.values.map(format), formatDelta(row.delta)];
}

/** The comparison as text: decisions, then cost and pods per stack with the deltas. */
export function renderComparison(comparison: Comparison, plans: readonly StackPlan[]): string {
    const [a, b] = comparison.stacks;
    const out = [`${a} vs ${b}`, ""];
    out.push(...textTable([["decision", a, b, "NIST"], ...comparison.decisions.map((d) => [d.decision, d.values[0], d.values[1], d.nist])]));
    out.push("", `Monthly cost (${costHeading(plans[0].cost)})`);
    out.push(...textTable([["item", a, b, "delta"], ...[...comparison.cost, comparison.costTotal].map((r) => deltaCells(r, formatUsd, signedUsd))]));
    out.push("", "Pods");
    out.push(...textTable([["component", a, b, "delta"], ...[...comparison.pods, comparison.podTotal].map((r) => deltaCells(r, String, signed))]));
    out.push("", "Capacity at the desired size");
    out.push(...textTable([["", a, b, "delta"], ...comparison.capacity.map((r) => deltaCells(r, String, signed))]));
    out.push("", `Policy (${plans[0].policy.pack.name} ${plans[0].policy.pack.version})`, ...textTable(plans.map((p) => [p.stack, `${p.policy.mandatory} mandatory`, `${p.policy.advisory} advisory`])));
    return out.join("\n") + "\n";
}

/** What each mode serves each capability with (the original document's comparison, as the modes declare it). */
export function modeCapabilityTable(): string[] {
    return markdownTable(["Capability", ...OBSERVABILITY_MODES], CAPABILITIES.map((capability) => [capability, ...OBSERVABILITY_MODES.map((mode) => MODE_PARTS[mode].capabilities[capability])]));
}

/** What each mode runs in the cluster and declares in AWS. */
export function modePartsTable(): string[] {
    return markdownTable(["Mode", "Runs in the cluster (where the stack turns it on)", "Declares in AWS"],
        OBSERVABILITY_MODES.map((mode) => [`\`${mode}\``, MODE_PARTS[mode].keeps.join(", "), MODE_PARTS[mode].services.join(", ") || "none"]));
}

/** Each mode's monthly total and pods, prod and dev side by side. */
export function modeCostTable(c: ModeComparison): string[] {
    const column = (mode: ObservabilityMode, stack: string) => c.columns.find((col) => col.mode === mode && col.stack === stack);
    return markdownTable(["Mode", "prod per month", "dev per month", "prod pods", "dev pods"], OBSERVABILITY_MODES.map((mode) => {
        const [prod, dev] = [column(mode, "prod"), column(mode, "dev")];
        return [`\`${mode}\``, prod ? formatUsd(prod.total) : "-", dev ? formatUsd(dev.total) : "-", prod ? String(prod.pods) : "-", dev ? String(dev.pods) : "-"];
    }));
}

/** The observability modes' section: what each keeps and declares, every column of the mode comparison, then the managed services' assumptions. */
function modesMarkdown(modes: ModeComparison): string[] {
    return [
        "## Observability modes (the original decision table's three-way comparison, and AMP + AMG and hybrid)",
        "",
        ...modeCapabilityTable(),
        "",
        ...modePartsTable(),
        "",
        `From \`npm run plan -- --compare-managed\`: prod and dev planned in each \`observability.mode\` from their stack files, priced from ${modes.region} list prices as of ${modes.pricesAsOf} and the managed services' as of ${modes.managedPricesAsOf} (\`planner/data/managed-observability-prices.json\`), with the usage assumptions below (each stack file's \`costAssumptions\`). The first three columns are the original table's three-way comparison.`,
        "",
        ...markdownTable(["Item", ...modes.columns.map((c) => `${c.mode} ${c.stack}`)], [
            ...modes.rows.map((r) => [r.label, ...r.values.map(formatUsd)]),
            ["**Total per month**", ...modes.columns.map((c) => `**${formatUsd(c.total)}**`)],
            ["Pods", ...modes.columns.map((c) => String(c.pods))],
        ]),
        "",
        ...markdownTable(["Managed service", "Assumption (prod)"], modes.assumptions.map((a) => [a.item, a.assumption])),
        "",
    ];
}

/**
 * The comparison as a Markdown document (docs/decisions.md for dev and prod): a table per section
 * of decisions, each followed by where the platform departs from the original decision table and why.
 */
export function renderComparisonMarkdown(comparison: Comparison, plans: readonly StackPlan[], modes?: ModeComparison): string {
    const [a, b] = comparison.stacks;
    const out = [
        `# ${a} vs ${b}: every decision, and its value in each stack`,
        "",
        `Generated by \`npm run plan -- --compare ${a} ${b} --markdown <file>\` from the program run offline; do not edit by hand.`,
        "Each value is read from the stack's declared resources or its validated config (the Source column says which).",
        "The rows follow the original dev-vs-prod decision table the platform was designed from; under each table, where the platform departs from that table, and why.",
        "",
    ];
    for (const section of [...new Set(comparison.decisions.map((d) => d.section))]) {
        const decisions = comparison.decisions.filter((d) => d.section === section);
        const rows = decisions.map((d) => [`**${d.decision}**`, d.values[0], d.values[1], d.nist, d.source]);
        out.push(`## ${section}`, "", ...markdownTable(["Decision", a, b, "NIST Control", "Source"], rows), "");
        const departures = decisions.filter((d) => DEPARTURES[d.decision] !== undefined).map((d) => `- **${d.decision}**: ${DEPARTURES[d.decision]}`);
        if (departures.length > 0) out.push("Where the platform departs from the original table:", "", ...departures, "");
    }
    out.push(`## Monthly cost`, "", `Prices: ${costHeading(plans[0].cost)}. Each line is computed from the declared resources; see \`npm run plan -- --stack <name>\` for the arithmetic and assumptions of every line.`, "");
    out.push(...markdownTable(["Item", a, b, "Delta"], [...comparison.cost, comparison.costTotal].map((r) => deltaCells(r, formatUsd, signedUsd))), "");
    out.push("## Pods", "", "Per platform component, from its charts rendered with the stack's values and what operators and admission add (a model only for the EKS add-ons, which have no chart); DaemonSets count one pod per node, jobs at their peak.", "");
    out.push(...markdownTable(["Component", a, b, "Delta"], [...comparison.pods, comparison.podTotal].map((r) => deltaCells(r, String, signed))), "");
    out.push("## Capacity", "", "At each stack's desired node count, each workload requesting the sizes its stack config gives (the profile's, config/profiles.ts, where the stack file sets none); DaemonSets count one pod per node, headroom is free capacity as a share of allocatable.", "");
    out.push(...markdownTable(["Measure", a, b, "Delta"], comparison.capacity.map((r) => deltaCells(r, String, signed))), "");
    out.push("## Policy", "", `Judged by the pack ${plans[0].policy.pack.name} ${plans[0].policy.pack.version}.`, "", ...markdownTable(["Stack", "Pack config", "Mandatory", "Advisory"], plans.map((p) => [p.stack, p.policy.packConfig, String(p.policy.mandatory), String(p.policy.advisory)])), "");
    if (modes) out.push(...modesMarkdown(modes));
    return out.join("\n");
}
