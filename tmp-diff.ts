import { runStack } from "./engine/run";
import { diffRuns, renderDiff } from "./planner/diff";
import { prerender } from "./components/helm/workloads";
(async () => {
  const a = await runStack("prod"); await prerender(a.resources);
  const b = await runStack("prod", { override: (c) => { c.cluster.access.entries.push({ principalArn: "arn:aws:iam::123456789012:role/platform-viewer", policy: "view", namespaces: ["monitoring"] }); c.cluster.kubernetesVersion = "1.34"; } });
  console.log(renderDiff(diffRuns("prod", "test", a.resources, b.resources)));
})();
