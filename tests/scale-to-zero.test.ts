import { expect } from "chai";
import { main } from "../planner/cli";
import { planJson } from "../planner/plan";
import { renderComparison, renderPlan } from "../planner/render";
import { compareStacks } from "../planner/compare";
import { planOf, run, stackWith } from "./support/stacks";

/** Every number in a JSON-able value, with its path. */
function numbers(value: unknown, at = "$"): [string, number][] {
    if (typeof value === "number") return [[at, value]];
    if (value === null || typeof value !== "object") return [];
    return Object.entries(value).flatMap(([k, v]) => numbers(v, `${at}.${k}`));
}

describe("a node group that scales from zero (desiredSize: 0)", () => {
    const scaledToZero = () => stackWith("dev", (c) => { c.cluster.nodeGroups[0].desiredSize = 0; });

    it("plans cleanly: capacity at the maximum size, no infinite or undefined figure anywhere", async () => {
        const zero = await scaledToZero();
        const plan = planOf(zero);
        expect(plan.capacity.nodeCount).to.equal(0);
        expect(plan.capacity.warnings).to.deep.equal([]);
        expect(plan.capacity.atMax).to.deep.include({ nodeCount: zero.config.cluster.nodeGroups[0].maxSize, fits: true });
        const notFinite = numbers(JSON.parse(JSON.stringify(planJson(zero, plan), (_, v) => (typeof v === "number" && !Number.isFinite(v) ? `NOT FINITE ${v}` : v))))
            .filter(([, v]) => !Number.isFinite(v));
        expect(notFinite).to.deep.equal([]);
        expect(JSON.stringify(plan)).not.to.match(/NOT FINITE|null/);

        const text = renderPlan(plan);
        expect(text).to.match(/Capacity: the node groups scale from zero \(desired 0 nodes\).*fits at the maximum 3 nodes/);
        expect(text).to.match(/general: 3 x t3a\.medium/);
        expect(text).not.to.match(/Infinity|NaN|undefined/);
    });

    it("compares against a stack with nodes, and the CLI exits 0", async () => {
        const zero = planOf(await scaledToZero());
        const dev = planOf(await run("dev"));
        const comparison = compareStacks({ ...(await scaledToZero()), cost: zero.cost, pods: zero.pods, capacity: zero.capacity }, { ...(await run("dev")), cost: dev.cost, pods: dev.pods, capacity: dev.capacity });
        expect(renderComparison(comparison, [zero, dev])).not.to.match(/Infinity|NaN/);
        let stdout = "";
        const code = await main(["--stack", "dev"], { stdout: (t) => { stdout += t; }, stderr: () => undefined }, { override: (c) => { c.cluster.nodeGroups[0].desiredSize = 0; } }, run);
        expect(code).to.equal(0);
        expect(stdout).to.include("scale from zero");
    });

    it("at the desired size with nodes, also reports the maximum", async () => {
        const plan = planOf(await run("prod"));
        expect(plan.capacity.atMax.nodeCount).to.equal(10);
        expect(renderPlan(plan)).to.match(/Capacity: fits at 3 nodes.*\n(.*\n)*  at the node groups' maximum: fits at the maximum 10 nodes, headroom \d+% pod slots, \d+% CPU, \d+% memory/);
    });
});
