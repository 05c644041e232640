import { stackWith, stack } from "./tests/support/stacks";
import { planRun } from "./planner/plan";
import { loadPriceTable } from "./planner/pricing";
(async () => {
  const table = loadPriceTable();
  for (const mode of ["self-managed", "aws-managed", "amp-amg", "hybrid"]) {
    const out: string[] = [];
    for (const name of ["prod", "dev"]) {
      const run = mode === "self-managed" ? await stack(name) : await stackWith(name, (c) => { c.observability.mode = mode; });
      const plan = planRun(run, table);
      out.push(`${name} $${plan.cost.total.toFixed(2)} pods ${plan.pods.total}`);
    }
    console.log(mode, out.join(" | "));
  }
})();
