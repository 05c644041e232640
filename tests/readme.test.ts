import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { planRun } from "../planner/plan";
import { loadPriceTable } from "../planner/pricing";
import { stack } from "./support/stacks";

const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const usd = (n: number) => `$${n.toFixed(2)}`;

describe("README figures", () => {
    it("quote the totals, pods and capacity the planner computes today", async () => {
        const [dev, prod] = [planRun(await stack("dev"), loadPriceTable()), planRun(await stack("prod"), loadPriceTable())];
        expect(readme).to.include(`| **Total** | **${usd(dev.cost.total)}** | **${usd(prod.cost.total)}** |`);
        expect(readme).to.include(`| **Total** | **${dev.pods.total}** | **${prod.pods.total}** | |`);
        expect(readme).to.include(`| pod slots used | ${dev.capacity.pods.requested} of ${dev.capacity.pods.allocatable} | ${prod.capacity.pods.requested} of ${prod.capacity.pods.allocatable} |`);
    });

    it("gives the two quick-start commands", () => {
        expect(readme).to.include("npm ci && npm run plan");
        expect(readme).to.include("npm ci && npm test");
    });
});
