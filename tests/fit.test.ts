import { expect } from "chai";
import { ConfigError } from "../config/load";
import { WORKLOAD_TYPES, stackWorkloads } from "../components/helm/workloads";
import { planRun } from "../planner/plan";
import { loadPriceTable } from "../planner/pricing";
import { StackRun } from "../engine/run";
import { Workload, podTotals } from "../lib/workloads";
import { capacityWorkloads, nodePools, planStackCapacity } from "../lib/fit";
import { planOf, stack, stackWith } from "./support/stacks";

const workloads = (run: StackRun) => stackWorkloads(run.resources).workloads;

describe("will it fit", () => {
    for (const name of ["dev", "prod"] as const) {
        // Prod's HA replicas (three Loki writers, two Prometheus, two Alertmanagers) and the mesh's node
        // agents take most of what was spare at three nodes: 10% stays free, and the autoscaler adds
        // a node (up to ten) when a rollout's surge or a lost zone needs more.
        const floor = name === "prod" ? 10 : 20;
        it(`${name} fits at its desired size with at least ${floor}% CPU and memory headroom and free pod slots`, async () => {
            const run = await stack(name);
            const plan = planStackCapacity(run.config.cluster, workloads(run));
            expect(plan.fits).to.equal(true);
            expect(plan.nodeCount).to.equal(run.config.cluster.nodeGroups[0].desiredSize);
            expect(plan.cpuMillicores.headroomPercent).to.be.at.least(floor);
            expect(plan.memoryMiB.headroomPercent).to.be.at.least(floor);
            expect(plan.pods.free).to.be.greaterThan(0);
        });

        it(`${name}: the workloads the program records at declaration are the ones the engine sees`, async () => {
            const run = await stack(name);
            const describe = (list: readonly Workload[]) => list.map((w) =>
                `${w.source} ${w.kind} ${w.name} x${w.replicas} ${JSON.stringify(podTotals(w))} ${w.containers.map((c) => c.image).join(",")} ${JSON.stringify(w.claims)}`).sort();
            const fromGraph = describe(workloads(run));
            expect(fromGraph.length).to.be.greaterThan(10);
            // The declaration-time check renders the values with stand-ins for what is known only after
            // deploy (bucket names, role ARNs), and still sees the same pods, sizes, images and claims:
            // the planner reads those renders (planner/plan.ts runWorkloads), so a cold plan renders once.
            expect(describe(stackWorkloads(run.declaredWorkloads, run.config.cluster.kubernetesVersion).workloads)).to.deep.equal(fromGraph);
        });
    }

    it("the planner renders nothing the program has not: a plan reads the program's renders, not the engine's recorded values", async () => {
        const run = await stack("prod");
        const table = loadPriceTable("us-east-1");
        // Values Helm would refuse on every release the engine recorded: planning must not render them.
        const unrenderable = { ...run, resources: run.resources.map((r) => (r.type === WORKLOAD_TYPES.release ? { ...r, inputs: { ...r.inputs, values: { fullnameOverride: { not: "a string" } } } } : r)) };
        const plan = planRun(unrenderable, table);
        expect({ pods: plan.pods, capacity: plan.capacity, images: plan.images, cost: plan.cost.total }).to.deep.equal((({ pods, capacity, images, cost }) => ({ pods, capacity, images, cost: cost.total }))(planOf(run)));
        expect(plan.pods.total).to.be.greaterThan(90);
    });

    it("counts DaemonSet pods once per node", async () => {
        const run = await stack("prod");
        const three = planStackCapacity(run.config.cluster, workloads(run), 3);
        const four = planStackCapacity(run.config.cluster, workloads(run), 4);
        expect(four.daemonSetPodsPerNode).to.be.greaterThan(0);
        expect(four.pods.requested - three.pods.requested).to.equal(four.daemonSetPodsPerNode);
    });

    it("reports that prod no longer fits on one node, and the node count at which it would", async () => {
        const run = await stackWith("prod", (c) => { Object.assign(c.cluster.nodeGroups[0], { minSize: 1, desiredSize: 1 }); });
        const plan = planStackCapacity(run.config.cluster, workloads(run));
        expect(plan.nodeCount).to.equal(1);
        expect(plan.fits).to.equal(false);
        expect(plan.nodesNeededToFit).to.equal(3);
    });

    it("rejects, at preview, node groups that cannot hold the platform even at their max size", async () => {
        let error: unknown;
        try {
            await stackWith("prod", (c) => { Object.assign(c.cluster.nodeGroups[0], { minSize: 1, desiredSize: 1, maxSize: 1, groupPerZone: false }); });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.include("cluster.nodeGroups: got general: max 1 x t4g.xlarge").and.include("raise maxSize");
    });

    it("without prefix delegation, dev's custom networking leaves 12 slots a node, fewer than dev's pods", async () => {
        const run = await stackWith("dev", (c) => { c.cluster.prefixDelegation = false; });
        const plan = planStackCapacity(run.config.cluster, workloads(run));
        expect(plan.pools[0].podSlotsPerNode).to.equal(12);
        expect(plan.pods.allocatable).to.equal(24);
        // 27 pods (the log collectors among them) in 24 slots: dev needs prefix delegation.
        expect(plan.pods.free).to.equal(-3);
        const withPrefixes = planStackCapacity((await stack("dev")).config.cluster, workloads(await stack("dev")));
        expect(withPrefixes.pools[0].podSlotsPerNode).to.equal(110);
    });

    it("maps node groups to pools with custom networking and the stack's prefix delegation", async () => {
        const { config } = await stack("prod");
        // One pool per zone, as EKS gets one node group per zone: 3 desired and 10 at most, split 4 + 3 + 3.
        const pool = (zone: string, max: number) => ({ name: `general-${zone}`, instanceTypes: ["t4g.xlarge"], desired: 1, min: 1, max, customNetworking: true, prefixDelegation: true });
        expect(nodePools(config.cluster)).to.deep.equal([pool("us-east-1a", 4), pool("us-east-1b", 3), pool("us-east-1c", 3)]);
    });

    it("refuses to plan a workload that runs pods without requests, naming the container", () => {
        const workload = (replicas: number, cpu?: number): Workload => ({
            source: "demo", component: "demo", name: "api", namespace: "demo", kind: "Deployment", replicas, initContainers: [], claims: [], origin: "render", podLabels: {}, podAnnotations: {}, hostNetwork: false,
            containers: [{ name: "app", image: "demo:1", memoryRequestMiB: 64, memoryLimitMiB: 128, ...(cpu === undefined ? {} : { cpuRequestMillicores: cpu }) }, { name: "sidecar", image: "s:1", cpuRequestMillicores: 10, memoryRequestMiB: 16 }],
        });
        expect(() => capacityWorkloads([workload(2)])).to.throw(/demo Deployment api container app/);
        expect(capacityWorkloads([workload(0)])).to.deep.equal([]);
        // Per pod: the containers' sum; no limit when one container has none.
        expect(capacityWorkloads([workload(2, 100)])).to.deep.equal([{ name: "api", component: "demo", kind: "Deployment", replicas: 2, cpuRequestMillicores: 110, memoryRequestMiB: 80 }]);
    });
});
