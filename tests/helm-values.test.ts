/**
 * Every Helm release the program declares, in both stacks, whoever's component it belongs to:
 * Helm ignores a values key the chart does not have, so a typo or a key removed upstream would
 * configure nothing without this check; and a workload without requests and a memory limit
 * escapes both the scheduler's accounting and the capacity plan.
 */
import { expect } from "chai";
import { workloadsOf } from "../components/helm/workload-registry";
import { unknownValuesKeys } from "../lib/chart-keys";
import { ofType, stack } from "./support/stacks";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("helm values of every release", () => {
    for (const name of ["dev", "prod"] as const) {
        describe(name, () => {
            it("set only keys the pinned chart version has", async () => {
                const run = await stack(name);
                const releases = ofType(run, RELEASE);
                expect(releases.length).to.be.greaterThan(0);
                const unknown = Object.fromEntries(releases
                    .map((r) => [`${r.name} (${r.inputs.chart} ${r.inputs.version})`, unknownValuesKeys(r.inputs.chart, r.inputs.version, r.inputs.values)] as const)
                    .filter(([, keys]) => keys.length > 0));
                expect(unknown).to.deep.equal({});
            });

            it("give every workload CPU and memory requests and a memory limit", async () => {
                const run = await stack(name);
                const unsized: string[] = [];
                for (const resource of run.resources) {
                    for (const w of workloadsOf(resource)) {
                        const r = w.resources;
                        if (!r?.requests.cpu || !r.requests.memory || !r.limits.memory) unsized.push(`${resource.name}: ${w.component}/${w.name}`);
                    }
                }
                expect(unsized).to.deep.equal([]);
            });

            it("have a workload model for every chart", async () => {
                const run = await stack(name);
                for (const release of ofType(run, RELEASE)) expect(() => workloadsOf(release), release.inputs.chart).to.not.throw();
            });
        });
    }
});
