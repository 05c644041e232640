import { expect } from "chai";
import * as fc from "fast-check";
import {
    allocatableCpuMillicores, allocatableMemoryMiB, InstanceFacts, instanceFacts, kubeReservedCpuMillicores,
    kubeReservedMemoryMiB, maxPods, maxPodsFromFacts, NodePool, planCapacity, Workload,
} from "../lib/capacity";
import { parseCpu, parseMemory } from "../lib/quantity";

const PLAIN = { customNetworking: false, prefixDelegation: false };
const CUSTOM = { customNetworking: true, prefixDelegation: false };
const PREFIX = { customNetworking: false, prefixDelegation: true };
const CUSTOM_PREFIX = { customNetworking: true, prefixDelegation: true };
/** The seven types of the spec's instance-facts table. */
const SPEC_TYPES = ["t3a.medium", "t3a.large", "t3a.xlarge", "t3a.2xlarge", "t3.medium", "t4g.medium", "m6i.large"];

describe("capacity", () => {
    describe("instance facts", () => {
        it("match the spec's table for its seven types", () => {
            const table: Record<string, [number, number, number, number]> = {
                "t3a.medium": [2, 4, 3, 6], "t3a.large": [2, 8, 3, 12], "t3a.xlarge": [4, 16, 4, 15], "t3a.2xlarge": [8, 32, 4, 15],
                "t3.medium": [2, 4, 3, 6], "t4g.medium": [2, 4, 3, 6], "m6i.large": [2, 8, 3, 10],
            };
            for (const [type, [vcpus, memoryGiB, maxEnis, ipv4PerEni]] of Object.entries(table)) {
                expect(instanceFacts(type), type).to.deep.equal({ type, vcpus, memoryGiB, maxEnis, ipv4PerEni, nitro: true });
            }
        });

        it("cover any current type, Xen ones marked as such", () => {
            expect(instanceFacts("m5.large")).to.deep.equal({ type: "m5.large", vcpus: 2, memoryGiB: 8, maxEnis: 3, ipv4PerEni: 10, nitro: true });
            expect(instanceFacts("m7g.large")).to.deep.equal({ type: "m7g.large", vcpus: 2, memoryGiB: 8, maxEnis: 3, ipv4PerEni: 10, nitro: true });
            expect(instanceFacts("m4.large").nitro).to.equal(false);
            expect(instanceFacts("i3.large").nitro).to.equal(false);
            expect(instanceFacts("i3en.large").nitro).to.equal(true);
        });

        it("count only the default network card's ENIs, which the VPC CNI uses", () => {
            // 64 ENIs over all cards, 2 on card 0: the EKS AMI gives it 2 x 49 + 2 = 100 pods.
            expect(instanceFacts("p5.48xlarge")).to.include({ maxEnis: 2, ipv4PerEni: 50 });
            expect(maxPods("p5.48xlarge", PLAIN)).to.equal(100);
        });

        it("name an unknown type and suggest the nearest real ones", () => {
            expect(() => instanceFacts("m5.larg")).to.throw(Error, /"m5\.larg".*nearest: m5\.large,/);
            expect(() => instanceFacts("constructor")).to.throw(Error, /"constructor"/);
        });

        it("refuse a type without network-interface facts rather than guessing its pods", () => {
            expect(() => instanceFacts("hpc7a.12xlarge")).to.throw(Error, /"hpc7a\.12xlarge" has no network-interface facts/);
        });
    });

    describe("maxPods", () => {
        it("matches the spec's figures", () => {
            expect(maxPods("t3a.medium", PLAIN)).to.equal(17); // 3 x 5 + 2
            expect(maxPods("t3a.medium", CUSTOM)).to.equal(12); // 2 x 5 + 2
            expect(maxPods("t3a.xlarge", CUSTOM)).to.equal(44); // 3 x 14 + 2
        });

        it("computes the plain and custom-networking formula for every known type", () => {
            const expected: Record<string, [number, number]> = {
                "t3a.medium": [17, 12], "t3a.large": [35, 24], "t3a.xlarge": [58, 44], "t3a.2xlarge": [58, 44],
                "t3.medium": [17, 12], "t4g.medium": [17, 12], "m6i.large": [29, 20],
            };
            for (const type of SPEC_TYPES) {
                expect([maxPods(type, PLAIN), maxPods(type, CUSTOM)], type).to.deep.equal(expected[type]);
            }
        });

        it("caps prefix delegation at 110 below 30 vCPUs, with or without custom networking", () => {
            // t3a.medium: 3 x 5 x 16 + 2 = 242 and 2 x 5 x 16 + 2 = 162, both above the ceiling.
            expect(maxPods("t3a.medium", PREFIX)).to.equal(110);
            expect(maxPods("t3a.medium", CUSTOM_PREFIX)).to.equal(110);
            for (const type of SPEC_TYPES) expect(maxPods(type, CUSTOM_PREFIX), type).to.equal(110);
        });

        const big: InstanceFacts = { type: "m5.8xlarge", vcpus: 32, memoryGiB: 128, maxEnis: 8, ipv4PerEni: 30, nitro: true };

        it("caps at 250 above 30 vCPUs, and at 110 at exactly 30 as the EKS calculator does", () => {
            expect(maxPodsFromFacts(big, PLAIN)).to.equal(234); // 8 x 29 + 2, under the ceiling
            expect(maxPodsFromFacts(big, PREFIX)).to.equal(250); // 8 x 29 x 16 + 2 = 3714
            expect(maxPodsFromFacts({ ...big, vcpus: 30 }, PLAIN)).to.equal(110);
        });

        it("refuses prefix delegation on a non-Nitro type, which the CNI would silently ignore", () => {
            const xen: InstanceFacts = { type: "m4.large", vcpus: 2, memoryGiB: 8, maxEnis: 2, ipv4PerEni: 10, nitro: false };
            expect(maxPodsFromFacts(xen, PLAIN)).to.equal(20);
            expect(() => maxPodsFromFacts(xen, PREFIX)).to.throw(Error, /Nitro.*m4\.large/);
        });

        it("names an unknown type", () => {
            expect(() => maxPods("t9.micro", PLAIN)).to.throw(Error, /"t9\.micro".*nearest: t3\.micro, t2\.micro, t1\.micro/);
        });

        it("never gives fewer pods with prefix delegation, nor more with custom networking, and stays within the ceiling", () => {
            const facts = fc.record({
                type: fc.constant("x.large"), vcpus: fc.integer({ min: 1, max: 192 }), memoryGiB: fc.integer({ min: 1, max: 768 }),
                maxEnis: fc.integer({ min: 2, max: 15 }), ipv4PerEni: fc.integer({ min: 2, max: 50 }), nitro: fc.constant(true),
            });
            fc.assert(fc.property(facts, fc.boolean(), (f, custom) => {
                const plain = maxPodsFromFacts(f, { customNetworking: custom, prefixDelegation: false });
                const prefixed = maxPodsFromFacts(f, { customNetworking: custom, prefixDelegation: true });
                expect(prefixed).to.be.at.least(plain);
                expect(maxPodsFromFacts(f, { ...CUSTOM, prefixDelegation: false })).to.be.at.most(maxPodsFromFacts(f, PLAIN));
                expect(prefixed).to.be.at.most(f.vcpus > 30 ? 250 : 110);
                expect(plain).to.be.at.least(2);
            }));
        });
    });

    describe("kubelet reservations", () => {
        it("reserve 255 MiB + 11 MiB per pod", () => {
            expect(kubeReservedMemoryMiB(12)).to.equal(387);
            expect(kubeReservedMemoryMiB(17)).to.equal(442);
            expect(kubeReservedMemoryMiB(110)).to.equal(1465);
            expect(() => kubeReservedMemoryMiB(-1)).to.throw(Error, /max pods.*-1/);
            expect(() => kubeReservedMemoryMiB(1.5)).to.throw(Error, /max pods.*1\.5/);
        });

        it("leave memory less kube-reserved and the 100 MiB eviction threshold", () => {
            expect(allocatableMemoryMiB("t3a.medium", 12)).to.equal(4096 - 387 - 100); // 3609
            expect(allocatableMemoryMiB("t3a.medium", 110)).to.equal(4096 - 1465 - 100); // 2531: prefix delegation costs over 1 GiB
            expect(allocatableMemoryMiB("t3a.xlarge", 44)).to.equal(16384 - 739 - 100); // 15545
        });

        it("reserve CPU by tiers: 6% of core 1, 1% of core 2, 0.5% of cores 3-4, 0.25% above", () => {
            expect(kubeReservedCpuMillicores(0)).to.equal(0);
            expect(kubeReservedCpuMillicores(1)).to.equal(60);
            expect(kubeReservedCpuMillicores(2)).to.equal(70);
            expect(kubeReservedCpuMillicores(4)).to.equal(80);
            expect(kubeReservedCpuMillicores(5)).to.equal(82); // 2.5m for the fifth core, rounded down as the AMI does
            expect(kubeReservedCpuMillicores(8)).to.equal(90);
            expect(kubeReservedCpuMillicores(48)).to.equal(190); // 80 + 44 x 2.5
            expect(() => kubeReservedCpuMillicores(2.5)).to.throw(Error, /vCPUs.*2\.5/);
        });

        it("leave CPU less kube-reserved", () => {
            expect(allocatableCpuMillicores("t3a.medium")).to.equal(1930);
            expect(allocatableCpuMillicores("t3a.xlarge")).to.equal(3920);
            expect(allocatableCpuMillicores("t3a.2xlarge")).to.equal(7910);
        });

        it("never reserve less CPU for more cores, nor leave less allocatable", () => {
            fc.assert(fc.property(fc.integer({ min: 0, max: 447 }), (vcpus) => {
                expect(kubeReservedCpuMillicores(vcpus + 1)).to.be.at.least(kubeReservedCpuMillicores(vcpus));
                expect((vcpus + 1) * 1000 - kubeReservedCpuMillicores(vcpus + 1)).to.be.greaterThan(vcpus * 1000 - kubeReservedCpuMillicores(vcpus));
            }));
        });
    });

    describe("parseCpu", () => {
        it("reads cores and millicores", () => {
            expect(parseCpu("250m")).to.equal(250);
            expect(parseCpu("1")).to.equal(1000);
            expect(parseCpu("0.5")).to.equal(500);
            expect(parseCpu(".5")).to.equal(500);
            expect(parseCpu("1.005")).to.equal(1005);
            expect(parseCpu("2.500")).to.equal(2500);
            expect(parseCpu(2)).to.equal(2000);
        });

        it("rejects malformed quantities and precision finer than 1m, quoting the value", () => {
            for (const bad of ["", "m", "-1", "250 m", "1.5m", "0.0005", "1e3", "1cpu", " 1"]) {
                expect(() => parseCpu(bad), bad).to.throw(Error, `Not a Kubernetes CPU quantity: ${JSON.stringify(bad)}`);
            }
        });

        it("round-trips whole millicores in both spellings", () => {
            fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (m) => {
                expect(parseCpu(`${m}m`)).to.equal(m);
                expect(parseCpu(String(m / 1000))).to.equal(m);
            }));
        });
    });

    describe("parseMemory", () => {
        it("reads binary and decimal units into MiB", () => {
            expect(parseMemory("512Mi")).to.equal(512);
            expect(parseMemory("1Gi")).to.equal(1024);
            expect(parseMemory("1.5Gi")).to.equal(1536);
            expect(parseMemory("1G")).to.equal(1e9 / 2 ** 20); // 953.67...
            expect(parseMemory("1000M")).to.equal(1e9 / 2 ** 20);
            expect(parseMemory("2048Ki")).to.equal(2);
            expect(parseMemory(1048576)).to.equal(1);
        });

        it("rejects malformed quantities, quoting the value", () => {
            for (const bad of ["", "Mi", "1gi", "-1Gi", "1 Gi", "1GB", "1e9", "one"]) {
                expect(() => parseMemory(bad), bad).to.throw(Error, `Not a Kubernetes memory quantity: ${JSON.stringify(bad)}`);
            }
        });

        it("round-trips whole MiB, GiB and bytes", () => {
            fc.assert(fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => {
                expect(parseMemory(`${n}Mi`)).to.equal(n);
                expect(parseMemory(`${n}Gi`)).to.equal(n * 1024);
                expect(parseMemory(String(n * 2 ** 20))).to.equal(n);
            }));
        });
    });

    describe("planCapacity", () => {
        const pool = (overrides: Partial<NodePool> = {}): NodePool => ({
            name: "general", instanceTypes: ["t3a.medium"], min: 1, desired: 2, max: 3, customNetworking: true, prefixDelegation: false, ...overrides,
        });
        const workload = (overrides: Partial<Workload> = {}): Workload => ({
            name: "app", component: "apps", kind: "Deployment", replicas: 1, cpuRequestMillicores: 100, memoryRequestMiB: 128, ...overrides,
        });

        /** 2 DaemonSets (4 pods on 2 nodes) and 26 other pods: 30 pods on 2 nodes. */
        const thirtyPods: Workload[] = [
            workload({ name: "aws-node", component: "system", kind: "DaemonSet", replicas: 0, cpuRequestMillicores: 25, memoryRequestMiB: 64 }),
            workload({ name: "kube-proxy", component: "system", kind: "DaemonSet", replicas: 0, cpuRequestMillicores: 100, memoryRequestMiB: 64 }),
            workload({ name: "coredns", component: "system", replicas: 2, cpuRequestMillicores: 100, memoryRequestMiB: 70, memoryLimitMiB: 170 }),
            workload({ name: "loki", component: "observability", kind: "StatefulSet", replicas: 1, cpuRequestMillicores: 100, memoryRequestMiB: 256 }),
            workload({ name: "grafana", component: "observability", replicas: 1, cpuRequestMillicores: 50, memoryRequestMiB: 128 }),
            workload({ name: "prometheus", component: "observability", kind: "StatefulSet", replicas: 1, cpuRequestMillicores: 200, memoryRequestMiB: 512 }),
            workload({ name: "apps", component: "apps", replicas: 21, cpuRequestMillicores: 20, memoryRequestMiB: 32 }),
        ];

        it("scenario: 2 x t3a.medium with custom networking have 24 slots, too few for 30 pods", () => {
            const plan = planCapacity([pool()], thirtyPods);
            expect(plan.nodeCount).to.equal(2);
            expect(plan.pools).to.deep.equal([{ name: "general", instanceType: "t3a.medium", nodes: 2, podSlotsPerNode: 12, allocatableCpuMillicoresPerNode: 1930, allocatableMemoryMiBPerNode: 3609 }]);
            expect(plan.daemonSetPodsPerNode).to.equal(2);
            expect(plan.pods).to.deep.equal({ requested: 30, allocatable: 24, free: -6, headroomPercent: -25 });
            // CPU and memory would fit; the pod slots are what runs out.
            expect(plan.cpuMillicores).to.include({ requested: 970 + 2 * 125, allocatable: 3860 });
            expect(plan.memoryMiB).to.include({ requested: 1708 + 2 * 128, allocatable: 7218 });
            expect(plan.headroomPercent).to.equal(-25);
            expect(plan.fits).to.equal(false);
            // 3 nodes: 36 slots for 26 + 3 x 2 = 32 pods.
            expect(plan.nodesNeededToFit).to.equal(3);
            expect(planCapacity([pool({ max: 2 })], thirtyPods).nodesNeededToFit).to.equal(undefined);
        });

        it("scenario: with prefix delegation the same 30 pods fit, at the cost of memory", () => {
            const plan = planCapacity([pool({ prefixDelegation: true })], thirtyPods);
            expect(plan.pools[0]).to.include({ podSlotsPerNode: 110, allocatableMemoryMiBPerNode: 2531 });
            expect(plan.pods).to.include({ requested: 30, allocatable: 220, free: 190 });
            expect(plan.pods.headroomPercent).to.be.closeTo((190 / 220) * 100, 1e-9);
            expect(plan.memoryMiB).to.include({ requested: 1964, allocatable: 5062 });
            expect(plan.fits).to.equal(true);
            // One node: 28 pods in 110 slots, 1095m of 1930m, 1836 of 2531 MiB.
            expect(plan.nodesNeededToFit).to.equal(1);
        });

        it("totals requests, limits and each component at the planned size", () => {
            const plan = planCapacity([pool()], thirtyPods, 3);
            expect(plan.memoryLimitsMiB).to.equal(1708 + 2 * 100 + 3 * 128);
            expect(plan.byComponent).to.deep.equal({
                system: { pods: 8, cpuMillicores: 3 * 125 + 200, memoryMiB: 3 * 128 + 140 },
                observability: { pods: 3, cpuMillicores: 350, memoryMiB: 896 },
                apps: { pods: 21, cpuMillicores: 420, memoryMiB: 672 },
            });
        });

        it("counts a DaemonSet once per node whatever its replicas say", () => {
            const ds = workload({ kind: "DaemonSet", replicas: 99 });
            expect(planCapacity([pool()], [ds]).pods.requested).to.equal(2);
            expect(planCapacity([pool()], [ds], 3).pods.requested).to.equal(3);
        });

        it("spreads a node count over pools: up into the first pool with room, down out of the last", () => {
            const pools = [pool({ name: "a", min: 1, desired: 1, max: 3 }), pool({ name: "b", instanceTypes: ["t3a.xlarge"], min: 0, desired: 2, max: 2 })];
            const nodes = (n?: number) => planCapacity(pools, [], n).pools.map((p) => p.nodes);
            expect(nodes()).to.deep.equal([1, 2]);
            expect(nodes(5)).to.deep.equal([3, 2]);
            expect(nodes(4)).to.deep.equal([2, 2]);
            expect(nodes(2)).to.deep.equal([1, 1]);
            expect(nodes(1)).to.deep.equal([1, 0]);
        });

        it("sizes every node of a pool as its first instance type", () => {
            expect(planCapacity([pool({ instanceTypes: ["t3a.xlarge", "t3a.medium"] })], []).pools[0]).to.include({ instanceType: "t3a.xlarge", podSlotsPerNode: 44 });
        });

        it("reports no headroom, not NaN, on zero nodes, and -100%, not -Infinity, for requests on zero nodes", () => {
            const empty = planCapacity([pool({ min: 0, desired: 0 })], []);
            expect(empty.pods.headroomPercent).to.equal(0);
            expect(empty.fits).to.equal(true);
            expect(empty.nodesNeededToFit).to.equal(0);
            expect(planCapacity([pool({ min: 0, desired: 0 })], [workload()]).headroomPercent).to.equal(-100);
        });

        it("rejects bad pools, workloads and node counts with a message naming them", () => {
            expect(() => planCapacity([], [])).to.throw(Error, /at least one node pool/);
            expect(() => planCapacity([pool({ min: 3, desired: 2 })], [])).to.throw(Error, /node pool general needs min <= desired <= max, got min 3, desired 2, max 3/);
            expect(() => planCapacity([pool({ name: undefined, max: 1.5 })], [])).to.throw(Error, /node pool #0: max must be a whole number/);
            expect(() => planCapacity([pool({ instanceTypes: [] })], [])).to.throw(Error, /general has no instance types/);
            expect(() => planCapacity([pool({ instanceTypes: ["x9.huge"] })], [])).to.throw(Error, /"x9\.huge".*nearest/);
            expect(() => planCapacity([pool()], [workload({ name: "web", replicas: -1 })])).to.throw(Error, /workload web: replicas .* got -1/);
            expect(() => planCapacity([pool()], [workload({ name: "web", cpuRequestMillicores: NaN })])).to.throw(Error, /workload web: cpuRequestMillicores .* got NaN/);
            expect(() => planCapacity([pool()], [workload({ name: "web", memoryRequestMiB: 256, memoryLimitMiB: 128 })])).to.throw(Error, /workload web: memoryLimitMiB \(128\) is below memoryRequestMiB \(256\)/);
            expect(() => planCapacity([pool()], [], 4)).to.throw(Error, /nodeCount .* min 1 to total max 3, got 4/);
            expect(() => planCapacity([pool()], [], 0)).to.throw(Error, /got 0/);
        });

        describe("properties", () => {
            const nodePool = fc.record({
                instanceType: fc.constantFrom(...SPEC_TYPES),
                min: fc.integer({ min: 0, max: 3 }), extraDesired: fc.integer({ min: 0, max: 3 }), extraMax: fc.integer({ min: 0, max: 3 }),
                customNetworking: fc.boolean(), prefixDelegation: fc.boolean(),
            }).map(({ instanceType, min, extraDesired, extraMax, ...cni }): NodePool => ({
                instanceTypes: [instanceType], min, desired: min + extraDesired, max: Math.max(1, min + extraDesired + extraMax), ...cni,
            }));
            const pools = fc.array(nodePool, { minLength: 1, maxLength: 3 });
            const oneWorkload = fc.record({
                name: fc.constantFrom("a", "b", "c"), component: fc.constantFrom("system", "observability", "apps"),
                kind: fc.constantFrom<Workload["kind"]>("Deployment", "StatefulSet", "DaemonSet"), replicas: fc.integer({ min: 0, max: 40 }),
                cpuRequestMillicores: fc.integer({ min: 0, max: 2000 }), memoryRequestMiB: fc.integer({ min: 0, max: 4096 }),
            });
            const workloads = fc.array(oneWorkload, { maxLength: 8 });
            const totalMin = (ps: NodePool[]) => ps.reduce((n, p) => n + p.min, 0);
            const totalMax = (ps: NodePool[]) => ps.reduce((n, p) => n + p.max, 0);

            it("adding a workload never increases headroom, nor makes an unfitting plan fit", () => {
                fc.assert(fc.property(pools, workloads, oneWorkload, (ps, ws, extra) => {
                    const before = planCapacity(ps, ws);
                    const after = planCapacity(ps, [...ws, extra]);
                    for (const key of ["pods", "cpuMillicores", "memoryMiB"] as const) {
                        expect(after[key].headroomPercent).to.be.at.most(before[key].headroomPercent);
                    }
                    expect(after.headroomPercent).to.be.at.most(before.headroomPercent);
                    if (!before.fits) expect(after.fits).to.equal(false);
                }));
            });

            it("nodesNeededToFit, when defined, fits and one node fewer does not", () => {
                fc.assert(fc.property(pools, workloads, (ps, ws) => {
                    const plan = planCapacity(ps, ws);
                    if (plan.nodesNeededToFit === undefined) {
                        for (let n = totalMin(ps); n <= totalMax(ps); n++) expect(planCapacity(ps, ws, n).fits).to.equal(false);
                        return;
                    }
                    expect(planCapacity(ps, ws, plan.nodesNeededToFit).fits).to.equal(true);
                    if (plan.nodesNeededToFit > totalMin(ps)) expect(planCapacity(ps, ws, plan.nodesNeededToFit - 1).fits).to.equal(false);
                    if (plan.fits) expect(plan.nodesNeededToFit).to.be.at.most(plan.nodeCount);
                }));
            });

            it("DaemonSet pods and requests grow by one per DaemonSet with each node", () => {
                fc.assert(fc.property(pools, workloads, (ps, ws) => {
                    const daemonSets = ws.filter((w) => w.kind === "DaemonSet");
                    const others = ws.filter((w) => w.kind !== "DaemonSet").reduce((n, w) => n + w.replicas, 0);
                    const dsCpu = daemonSets.reduce((n, w) => n + w.cpuRequestMillicores, 0);
                    for (let n = totalMin(ps); n <= totalMax(ps); n++) {
                        const plan = planCapacity(ps, ws, n);
                        expect(plan.nodeCount).to.equal(n);
                        expect(plan.pods.requested).to.equal(others + n * daemonSets.length);
                        if (n > totalMin(ps)) expect(plan.cpuMillicores.requested - planCapacity(ps, ws, n - 1).cpuMillicores.requested).to.equal(dsCpu);
                    }
                }));
            });
        });
    });
});
