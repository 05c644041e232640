import { expect } from "chai";
import { main, parseArgs, UsageError } from "../planner/cli";
import { compareManaged, ManagedComparison } from "../planner/managed";
import { planRun } from "../planner/plan";
import { loadPriceTable } from "../planner/pricing";
import { run, stack } from "./support/stacks";

const table = loadPriceTable("us-east-1");

describe("the AWS-managed alternative (three-way comparison)", () => {
    let managed: ManagedComparison;
    let totals: { prod: number; dev: number };
    before(async () => {
        const [prodRun, devRun] = [await stack("prod"), await stack("dev")];
        const [prod, dev] = [planRun(prodRun, table), planRun(devRun, table)];
        totals = { prod: prod.cost.total, dev: dev.cost.total };
        managed = compareManaged({ plan: prod, config: prodRun.config }, { plan: dev }, table);
    });

    it("puts self-managed prod and dev at their own totals, and every column's rows add up to its total", () => {
        expect(managed.totals.slice(1)).to.deep.equal([totals.prod, totals.dev]);
        for (const column of [0, 1, 2]) {
            expect(managed.rows.reduce((t, r) => t + r.values[column], 0), `column ${column}`).to.be.closeTo(managed.totals[column], 1e-9);
        }
    });

    it("prices each managed service from a unit price and a stated usage assumption", () => {
        const line = (id: string) => managed.lines.find((l) => l.id === id)!;
        expect(line("managed-logs-ingestion")).to.deep.include({ factors: [{ value: 150, unit: "GB" }], unitPrice: 0.5, priceUnit: "GB", monthly: 75 });
        expect(line("managed-logs-ingestion").assumption).to.match(/^managed\.logIngestionGbPerMonth = 150 \(the original decision table puts/);
        // Prod keeps logs 90 days: 150 GB a month x 2,160 h / 730 h.
        expect(line("managed-logs-storage").monthly).to.be.closeTo(150 * (2160 / 730) * 0.03, 1e-9);
        expect(line("managed-xray-recorded").monthly).to.equal(10);
        expect(line("managed-dashboards").monthly).to.equal(15);
        expect(line("managed-alarms").monthly).to.be.closeTo(5, 1e-9);
        for (const l of managed.lines) expect(l.assumption, l.id).to.match(/^managed\.\w+ = \d+ \(/);
    });

    it("counts Container Insights metrics from the nodes and pods the managed stack keeps", () => {
        const metrics = managed.lines.find((l) => l.id === "managed-metrics")!;
        const [pods] = /x (\d+) pods/.exec(metrics.note!)!.slice(1).map(Number);
        expect(metrics.factors[0].value).to.equal(30 + 10 * managed.nodes.count + 10 * pods);
        expect(metrics.unitPrice).to.equal(0.3);
    });

    it("sizes the managed nodes as the fewest of prod's type that hold what stays, never below prod's minimum", () => {
        // Prod's minimum is 3 (a node in each zone), which already holds what stays.
        expect(managed.nodes).to.deep.include({ count: 3, instanceType: "t4g.xlarge" });
        expect(managed.rows[0].values[0]).to.be.closeTo((managed.rows[0].values[1] / 3) * managed.nodes.count, 1e-9);
        expect(managed.rows[1]).to.deep.include({ label: "Volumes of the self-managed telemetry stack" });
        expect(managed.rows[1].values[0]).to.equal(0);
        expect(managed.rows[1].values[1]).to.be.greaterThan(0);
    });

    it("prints from the CLI through the engine it is given, and refuses to be combined with another stack choice", async () => {
        let stdout = "";
        const planned: string[] = [];
        const code = await main(["--compare-managed"], { stdout: (t) => { stdout += t; }, stderr: () => undefined }, {}, (name, options) => (planned.push(name), run(name, options)));
        expect(code).to.equal(0);
        expect(planned).to.deep.equal(["prod", "dev"]);
        expect(stdout).to.include("AWS-managed alternative").and.include("Three-way monthly cost").and.include("assumption: managed.alarms = 50");
        expect(() => parseArgs(["--compare-managed", "--stack", "dev"])).to.throw(UsageError, /takes no --stack/);
    });
});
