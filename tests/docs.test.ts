import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { compareStacks } from "../planner/compare";
import { planModes } from "../planner/managed";
import { DEPARTURES } from "../planner/departures";
import { renderComparisonMarkdown } from "../planner/render";
import { planOf, run, stack } from "./support/stacks";

const root = path.join(__dirname, "..");
const SKIPPED = new Set(["node_modules", "dist", ".git", ".cache", "vendor"]);

/** Every file of the project a clone carries (vendored and built folders aside). */
function projectFiles(dir = root): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (SKIPPED.has(entry.name)) return [];
        const file = path.join(dir, entry.name);
        return entry.isDirectory() ? projectFiles(file) : [file];
    });
}

describe("docs", () => {
    it("docs/decisions.md is what the planner generates for dev and prod today", async () => {
        const sides = await Promise.all(["dev", "prod"].map(async (name) => {
            const run = await stack(name);
            return { run, plan: planOf(run) };
        }));
        const [a, b] = sides.map(({ run, plan }) => ({ ...run, cost: plan.cost, pods: plan.pods, capacity: plan.capacity }));
        const modes = await planModes({}, run);
        const expected = renderComparisonMarkdown(compareStacks(a, b), sides.map((s) => s.plan), modes);
        const committed = fs.readFileSync(path.join(root, "docs", "decisions.md"), "utf8");
        expect(committed === expected, "docs/decisions.md is stale: npm run plan -- --compare dev prod --markdown docs/decisions.md").to.equal(true);
    });

    it("explains each departure under a decision row that exists", async () => {
        const [dev, prod] = await Promise.all([stack("dev"), stack("prod")]);
        const [pd, pp] = [planOf(dev), planOf(prod)];
        const names = compareStacks({ ...dev, cost: pd.cost, pods: pd.pods, capacity: pd.capacity }, { ...prod, cost: pp.cost, pods: pp.pods, capacity: pp.capacity }).decisions.map((d) => d.decision);
        expect(Object.keys(DEPARTURES).filter((name) => !names.includes(name))).to.deep.equal([]);
    });

    it("no file cites the upstream errata, and the README, docs and stack files do not send readers to 'the spec': the project states its decisions itself", () => {
        const userFacing = (file: string) => /^(README\.md|docs\/.*\.md|Pulumi\.[^/]+\.yaml)$/.test(path.relative(root, file));
        const citations = projectFiles()
            .filter((file) => /\.(ts|js|json|ya?ml|md)$/.test(file) && file !== __filename)
            .flatMap((file) => fs.readFileSync(file, "utf8").split("\n").map((line, i) => [file, i + 1, line] as const))
            .filter(([file, , line]) => /ERRATA/i.test(line) || (userFacing(file) && /\bthe spec\b|\bspec's\b/i.test(line)))
            .map(([file, n, line]) => `${path.relative(root, file)}:${n}: ${line.trim()}`);
        expect(citations).to.deep.equal([]);
    });
});
