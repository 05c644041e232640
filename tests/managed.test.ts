import { expect } from "chai";
import { main, parseArgs, UsageError } from "../planner/cli";
import { CostLine } from "../planner/cost";
import { toCents } from "../planner/format";
import { compareModes, MODE_COLUMNS, ModeComparison, planModes, rowOf } from "../planner/managed";
import { ampIngestionCost, managedPrices } from "../planner/managed-cost";
import { StackPlan } from "../planner/plan";
import { loadPriceTable } from "../planner/pricing";
import { inMode, planOf, run } from "./support/stacks";

const table = loadPriceTable("us-east-1");
const lineOf = (plan: StackPlan, id: string): CostLine => {
    const found = plan.cost.lines.find((l) => l.id === id);
    if (!found) throw new Error(`no cost line ${id}`);
    return found;
};

describe("observability modes, priced and compared", function () {
    this.timeout(300_000);
    let modes: ModeComparison;
    let plans: StackPlan[];
    before(async () => {
        plans = [];
        for (const { mode, stack } of MODE_COLUMNS) plans.push(planOf(await inMode(stack, mode)));
        modes = await planModes({}, run);
    });

    it("plans every column from a real engine run of its stack in its mode, and each column's rows add up to its total", () => {
        expect(modes.columns.map((c) => [c.mode, c.stack, c.total, c.pods])).to.deep.equal(MODE_COLUMNS.map((c, i) => [c.mode, c.stack, plans[i].cost.total, plans[i].pods.total]));
        modes.columns.forEach((column, i) => expect(modes.rows.reduce((t, r) => t + r.values[i], 0), `${column.mode} ${column.stack}`).to.be.closeTo(column.total, 1e-6));
        // The managed services appear only where a mode declares them.
        const row = (label: string) => modes.rows.find((r) => r.label === label)!.values;
        expect(row("AMP samples ingested").map((v) => v > 0)).to.deep.equal(MODE_COLUMNS.map((c) => c.mode === "amp-amg" || c.mode === "hybrid"));
        expect(row("CloudWatch dashboards").map((v) => v > 0)).to.deep.equal(MODE_COLUMNS.map((c) => c.mode === "aws-managed"));
        expect(row("Grafana's database (RDS)").map((v) => v > 0)).to.deep.equal(MODE_COLUMNS.map((c) => c.mode !== "aws-managed" && c.mode !== "amp-amg" && c.stack === "prod"));
    });

    it("prices aws-managed prod's services from the declared resources, the dated prices and the stack's assumptions", () => {
        const plan = plans[0];
        const prices = managedPrices("us-east-1");
        const a = { nodes: plan.pods.nodeCount, pods: plan.pods.total };
        const metrics = lineOf(plan, "container-insights-metrics");
        expect(metrics.factors).to.deep.equal([{ value: 10 * a.nodes + 10 * a.pods, unit: "metric" }]);
        expect(metrics.assumption).to.equal(`costAssumptions.containerInsightsMetricsPerNode = 10 x ${a.nodes} nodes; costAssumptions.containerInsightsMetricsPerPod = 10 x ${a.pods} pods`);
        expect(lineOf(plan, "workload-logs-ingestion")).to.deep.include({ factors: [{ value: 150, unit: "GB" }], unitPrice: 0.5, monthly: 75, assumption: "costAssumptions.workloadLogGbPerMonth = 150" });
        // 90 days kept (observability.managed.logRetentionDays): 150 GB x 90 / (730 / 24) days.
        expect(lineOf(plan, "workload-logs-storage").monthly).to.equal(toCents(150 * 90 / (730 / 24) * 0.03));
        expect(lineOf(plan, "logs-insights").monthly).to.equal(toCents(1000 * prices.cloudwatch.insightsPerGbScanned));
        expect(lineOf(plan, "xray-recorded").monthly).to.equal(2 * 5);
        expect(lineOf(plan, "cloudwatch-dashboards")).to.deep.include({ factors: [{ value: 2, unit: "dashboard" }], monthly: 6 });
        expect(lineOf(plan, "cloudwatch-alarms").monthly).to.equal(toCents(4 * 0.1));
        expect(plan.cost.lines.filter((l) => l.id.startsWith("amp-") || l.id.startsWith("amg-"))).to.deep.equal([]);
    });

    it("prices AMP's ingestion over its tiers and Managed Grafana per user, in amp-amg prod", () => {
        const tiers = managedPrices("us-east-1").amp.ingestionTiers;
        expect(ampIngestionCost(2000, tiers)).to.be.closeTo(180, 1e-9);
        expect(ampIngestionCost(3000, tiers)).to.be.closeTo(180 + 1000 * 0.035, 1e-9);
        expect(ampIngestionCost(300_000, tiers)).to.be.closeTo(180 + 250_000 * 0.035 + 48_000 * 0.016, 1e-6);
        const plan = plans[3];
        expect(lineOf(plan, "amp-ingestion").monthly).to.equal(180);
        expect(lineOf(plan, "amg-editors").monthly).to.equal(27);
        expect(lineOf(plan, "amg-viewers").monthly).to.equal(25);
        expect(plan.cost.lines.some((l) => l.id === "container-insights-metrics"), "amp-amg collects no Container Insights metrics").to.equal(false);
        expect(() => managedPrices("eu-west-9")).to.throw(/region: got "eu-west-9"; the planner has observability-service .*prices only for us-east-1/);
    });

    it("groups every line of every plan into a row, the managed services each on their own", () => {
        for (const plan of plans) for (const line of plan.cost.lines) expect(rowOf(line), line.id).to.be.a("string").and.not.equal("");
        expect(modes.assumptions.map((a) => a.item)).to.include.members(["Container Insights metrics", "AMP samples ingested", "Managed Grafana editors", "X-Ray traces recorded"]);
    });

    it("prints from the CLI through the engine it is given, and refuses to be combined with another stack choice", async () => {
        let stdout = "";
        const planned: string[] = [];
        const code = await main(["--compare-managed"], { stdout: (t) => { stdout += t; }, stderr: () => undefined }, {}, (name, options) => (planned.push(name), run(name, options)));
        expect(code).to.equal(0);
        expect(planned).to.deep.equal(MODE_COLUMNS.map((c) => c.stack));
        expect(stdout).to.include("aws-managed prod").and.include("hybrid dev").and.include("AMP samples ingested: costAssumptions.ampSamplesMillionsPerMonth = 2000");
        expect(() => parseArgs(["--compare-managed", "--stack", "dev"])).to.throw(UsageError, /takes no --stack/);
    });

    it("compares what it is given, in the order given", () => {
        const two = compareModes([{ mode: "self-managed", stack: "prod", plan: plans[1] }, { mode: "self-managed", stack: "dev", plan: plans[2] }], table);
        expect(two.columns.map((c) => c.total)).to.deep.equal([plans[1].cost.total, plans[2].cost.total]);
    });
});
