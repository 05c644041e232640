/**
 * Planner properties that the two shipped stacks cannot tell apart from their mistakes: inputs
 * where min, desired and max all differ, so that a swap of any two changes the answer.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { NodeGroupConfig } from "../config/schema";
import { stackWorkloads } from "../components/helm/workloads";
import { NodePool, Workload, planCapacity } from "../lib/capacity";
import { compareStacks } from "../planner/compare";
import { maxSizeShortfall, nodePools } from "../lib/fit";
import { planOf, stack, stackWith } from "./support/stacks";

/** Three distinct sizes in order: min < desired < max. */
const distinctSizes = fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 3, maxLength: 3 }).map((v) => [...v].sort((a, b) => a - b));
const TYPES = ["t3a.medium", "t3a.xlarge", "m6i.large", "t3a.2xlarge"];

const group = (name: string, [min, desired, max]: number[], type: string): NodeGroupConfig => ({
    name, instanceTypes: [type], capacityType: "ON_DEMAND", minSize: min, desiredSize: desired, maxSize: max, diskSizeGb: 20, volumeType: "gp3", availabilityZones: ["us-east-1a"], groupPerZone: false, releaseVersion: "latest-at-creation",
});

describe("planner properties (min, desired and max told apart)", () => {
    it("maps each node group's min, desired and max to the pool's, whole", () => {
        fc.assert(fc.property(fc.array(fc.tuple(distinctSizes, fc.constantFrom(...TYPES)), { minLength: 1, maxLength: 4 }), fc.boolean(), (groups, prefixDelegation) => {
            const nodeGroups = groups.map(([sizes, type], i) => group(`g${i}`, sizes, type));
            expect(nodePools({ nodeGroups, prefixDelegation })).to.deep.equal(nodeGroups.map((g) => ({
                name: g.name, instanceTypes: g.instanceTypes, desired: g.desiredSize, min: g.minSize, max: g.maxSize, customNetworking: true, prefixDelegation,
            })));
        }));
    });

    it("plans every pool at its min at the total minimum, at its max at the total maximum, and needs a count within them", () => {
        const pools = fc.array(distinctSizes.map(([min, desired, max]) => ({ min, desired, max })), { minLength: 1, maxLength: 4 });
        const workload = fc.record({ cpu: fc.integer({ min: 0, max: 20_000 }), replicas: fc.integer({ min: 0, max: 40 }) });
        fc.assert(fc.property(pools, workload, (sizes, w) => {
            const nodePoolList: NodePool[] = sizes.map((s, i) => ({ name: `p${i}`, instanceTypes: ["m6i.large"], ...s, customNetworking: false, prefixDelegation: false }));
            const workloads: Workload[] = [{ name: "app", component: "demo", kind: "Deployment", replicas: w.replicas, cpuRequestMillicores: w.cpu / Math.max(w.replicas, 1), memoryRequestMiB: 10 }];
            const total = (key: "min" | "desired" | "max") => sizes.reduce((sum, s) => sum + s[key], 0);
            const atMin = planCapacity(nodePoolList, workloads, total("min"));
            const atMax = planCapacity(nodePoolList, workloads, total("max"));
            expect(atMin.pools.map((p) => p.nodes)).to.deep.equal(sizes.map((s) => s.min));
            expect(atMax.pools.map((p) => p.nodes)).to.deep.equal(sizes.map((s) => s.max));
            expect(planCapacity(nodePoolList, workloads).pools.map((p) => p.nodes)).to.deep.equal(sizes.map((s) => s.desired));
            const needed = atMin.nodesNeededToFit;
            if (needed !== undefined) {
                expect(needed).to.be.within(total("min"), total("max"));
                expect(planCapacity(nodePoolList, workloads, needed).fits).to.equal(true);
                if (needed > total("min")) expect(planCapacity(nodePoolList, workloads, needed - 1).fits).to.equal(false);
            } else {
                expect(atMax.fits).to.equal(false);
            }
        }));
    });

    it("checks the fit at the groups' maximum, not their minimum or desired size", async () => {
        const run = await stack("prod");
        const workloads = stackWorkloads(run.resources).workloads;
        const sized = (sizes: number[]) => ({ ...run.config.cluster, nodeGroups: [group("general", sizes, "t3a.xlarge")] });
        // Prod needs 3 nodes: a group that may grow to 3 passes whatever its min and desired are.
        expect(maxSizeShortfall(sized([0, 1, 3]), workloads)).to.equal(undefined);
        expect(maxSizeShortfall(sized([0, 1, 2]), workloads)).to.include("general: max 2 x t3a.xlarge");
    });

    it("prints min and max where they belong in the comparison and the cost notes", async () => {
        const run = await stackWith("dev", (c) => { Object.assign(c.cluster.nodeGroups[0], { minSize: 1, desiredSize: 2, maxSize: 5 }); });
        const plan = planOf(run);
        const other = await stack("prod");
        const otherPlan = planOf(other);
        const comparison = compareStacks({ ...run, stack: "dev", cost: plan.cost, pods: plan.pods, capacity: plan.capacity }, { ...other, stack: "prod", cost: otherPlan.cost, pods: otherPlan.pods, capacity: otherPlan.capacity });
        const row = (decision: string) => comparison.decisions.find((d) => d.decision === decision)!.values[0];
        expect([row("Node Min Size"), row("Node Count"), row("Node Max Size")]).to.deep.equal(["1", "2", "5"]);
        const line = plan.cost.lines.find((l) => l.id === "node-group:general")!;
        // Dev's nodes run 60 of the week's 168 hours.
        const monthly = (nodes: number) => `$${(nodes * line.unitPrice * line.factors[1].value).toFixed(2)}`;
        expect(line.note).to.match(new RegExp(`^desired size; min 1 = \\${monthly(1)}, max 5 = \\${monthly(5)}; runs 60 h a week`));
    });
});
