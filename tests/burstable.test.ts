import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { validateStackConfig } from "../config/load";
import { createNodeLaunchTemplate } from "../components/cluster/nodes";
import { runStack } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { BURSTABLE, baselineMillicores, burstableFacts, creditMode, deriveBurstableCredits, deriveDefaultModes } from "../lib/burstable";
import { INSTANCE_TYPE_NAMES, findInstanceType } from "../lib/instance-types";
import { burstableUse, burstableWarnings, CostInput, estimateCost } from "../planner/cost";
import { loadPriceTable } from "../planner/pricing";
import { rawConfig, rejectionOf } from "./support/config";
import { ofType, planOf, stack } from "./support/stacks";
import { toCents } from "../planner/format";

const table = loadPriceTable("us-east-1");
const problems = (message: string) => message.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));

/** A resource record as the engine makes it, for graphs written by hand. */
function resource(type: string, name: string, inputs: Record<string, any>, outputs: Record<string, any> = {}): PlannedResource {
    return { type, name, urn: `urn:pulumi:test::p::${type}::${name}`, custom: true, dependencies: [], protect: false, inputs, outputs: { ...inputs, id: name, ...outputs } };
}

/** One node group of `nodes` x `type` with a launch template that sets `cpuCredits` (or nothing). */
function groupGraph(type: string, nodes: number, cpuCredits?: string): PlannedResource[] {
    return [
        resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", cpuCredits ? { creditSpecification: { cpuCredits } } : {}, { id: "lt-1" }),
        resource("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: [type], capacityType: "ON_DEMAND", launchTemplate: { id: "lt-1" }, labels: { "platform/node-group": "general" }, scalingConfig: { minSize: nodes, desiredSize: nodes, maxSize: nodes } }),
    ];
}

const assumptions = (percent: number) => ({ ...rawConfig("prod").costAssumptions, burstableCpuUsePercentOfRequests: percent });
const input = (resources: PlannedResource[], requested: number, percent: number): CostInput => ({ resources, assumptions: assumptions(percent), cpuRequestedMillicores: requested });

describe("burstable nodes", () => {
    describe("baseline facts", () => {
        const markdown = [
            "| T4g |  Earned credits, Surplus credits  |  Standard, Unlimited \\(default\\)  |  7 days  | ",
            "| T2 |  Earned credits, Launch credits  |  Standard \\(default\\), Unlimited  |  0 days  | ",
            "|  Instance type  |  CPU credits earned per hour  |  Maximum  |  vCPUs  |  Baseline  | ",
            "| t2\\.xlarge |  54  |  1296  |  4  |  22\\.5%\\*\\*  | ",
            "| t4g\\.xlarge | 96 | 2304 | 4 | 40%\\*\\* | ",
        ].join("\n");

        it("derive each type's vCPUs and credits an hour, and each family's launch default, from the user guide's tables", () => {
            expect(deriveBurstableCredits(markdown)).to.deep.equal({ "t2.xlarge": { vcpus: 4, creditsPerHour: 54 }, "t4g.xlarge": { vcpus: 4, creditsPerHour: 96 } });
            expect(deriveDefaultModes(markdown)).to.deep.equal({ t2: "standard", t4g: "unlimited" });
        });

        it("refuse a row whose baseline is not its credits over its vCPUs, and a family with no single default", () => {
            expect(() => deriveBurstableCredits("| t4g\\.xlarge | 96 | 2304 | 4 | 20%\\*\\* |")).to.throw("t4g.xlarge: 96 credits an hour over 4 vCPUs is 40.00%, but the table says 20%");
            expect(() => deriveDefaultModes("| T3 | x | Standard, Unlimited | y |")).to.throw('T3: the credit modes "Standard, Unlimited" mark 0 defaults');
        });

        it("cover every current T2, T3, T3a and T4g type with its vCPUs, and give baselines in millicores", () => {
            const current = INSTANCE_TYPE_NAMES.filter((t) => /^t(2|3|3a|4g)\./.test(t));
            expect(Object.keys(BURSTABLE.types).sort()).to.deep.equal([...current].sort());
            for (const type of current) expect(BURSTABLE.types[type].vcpus, type).to.equal(findInstanceType(type)!.vcpus);
            expect(BURSTABLE.source).to.include({ repository: "awsdocs/amazon-ec2-user-guide", file: "doc_source/burstable-credits-baseline-concepts.md" });
            expect(["t4g.medium", "t4g.xlarge", "t3a.medium", "t2.xlarge"].map((t) => baselineMillicores(burstableFacts(t)!))).to.deep.equal([400, 1600, 400, 900]);
            expect(burstableFacts("m7g.large")).to.equal(undefined);
            expect([creditMode("t4g.xlarge"), creditMode("t2.micro"), creditMode("t4g.xlarge", "standard")]).to.deep.equal(["unlimited", "standard", "standard"]);
        });
    });

    describe("in the plan", () => {
        it("price prod's t4g.xlarge nodes' surplus credits: half the requests above each node's 1,600m baseline, at $0.04 a vCPU-hour", async () => {
            const plan = planOf(await stack("prod"));
            const requested = plan.capacity.cpuMillicores.requested;
            const share = Math.round(requested / 3);
            const used = Math.round(share / 2);
            const lines = plan.cost.lines.filter((l) => l.id.startsWith("cpu-credits:"));
            expect(lines.map((l) => l.id)).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"].map((zone) => `cpu-credits:general-${zone}`));
            expect(lines[0]).to.deep.include({
                category: "compute", detail: "t4g.xlarge, unlimited", unitPrice: 0.04, priceUnit: "vCPU-h",
                factors: [{ value: (used - 1600) / 1000, unit: "vCPU" }, { value: 730, unit: "h" }],
                assumption: `costAssumptions.burstableCpuUsePercentOfRequests = 50 (${used}m used of ${share}m requested)`,
            });
            expect(lines[0].monthly).to.equal(toCents(((used - 1600) / 1000) * 730 * 0.04));
            // The README's "at full use": every requested millicore used, above the 3 x 1,600m baseline.
            const run = await stack("prod");
            const full = estimateCost({ resources: run.resources, assumptions: { ...run.config.costAssumptions, burstableCpuUsePercentOfRequests: 100 }, cpuRequestedMillicores: requested }, table);
            expect(requested).to.equal(10410);
            expect(full.lines.filter((l) => l.id.startsWith("cpu-credits:")).reduce((t, l) => t + l.monthly, 0)).to.be.closeTo(3 * toCents(((3470 - 1600) / 1000) * 730 * 0.04), 1e-9).and.closeTo(164, 0.5);
            expect(plan.capacity.warnings.filter((w) => w.includes("baseline"))).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"].map((zone) =>
                `node group general-${zone}: its pods request ${share}m CPU, above the 1600m baseline of its 1 t4g.xlarge node (unlimited credits): sustained use above the baseline is billed as surplus CPU credits (the cost estimate prices it at costAssumptions.burstableCpuUsePercentOfRequests); cpuCredits: standard throttles instead`));
        });

        it("share the requests over the groups by vCPUs, and bill nothing at or below the baseline", () => {
            const resources = [...groupGraph("t4g.medium", 2), ...groupGraph("m7g.large", 2).map((r) => ({ ...r, name: `${r.name}-2`, inputs: r.type.includes("launch") ? r.inputs : { ...r.inputs, launchTemplate: { id: "lt-2" } }, outputs: r.type.includes("launch") ? { ...r.outputs, id: "lt-2" } : r.outputs }))];
            expect(burstableUse(input(resources, 2000, 50)).map((u) => [u.instanceType, u.requestedMillicores, u.usedMillicores, u.baselineMillicores, u.mode])).to.deep.equal([["t4g.medium", 1000, 500, 800, "unlimited"]]);
            expect(estimateCost(input(resources, 2000, 50), table).lines.filter((l) => l.id.startsWith("cpu-credits"))).to.deep.equal([]);
            expect(burstableWarnings(input(resources, 2000, 50))).to.have.length(1);
            expect(burstableWarnings(input(resources, 1600, 50))).to.deep.equal([]);
        });

        it("bill nothing in standard mode and say the nodes are throttled instead", () => {
            const standard = input(groupGraph("t4g.medium", 2, "standard"), 4000, 100);
            expect(estimateCost(standard, table).lines.filter((l) => l.id.startsWith("cpu-credits"))).to.deep.equal([]);
            expect(burstableWarnings(standard)).to.deep.equal([
                "node group general: its pods request 4000m CPU, above the 800m baseline of its 2 t4g.medium nodes (standard credits): sustained use above the baseline is throttled to it once the node's credits run out; cpuCredits: unlimited bills the surplus instead",
            ]);
            const unlimited = estimateCost(input(groupGraph("t4g.medium", 2), 4000, 100), table).lines.find((l) => l.id === "cpu-credits:general")!;
            expect(unlimited.monthly).to.be.closeTo(3.2 * 730 * 0.04, 1e-9);
        });
    });

    describe("cpuCredits in config", () => {
        it("is set on the launch template where configured, and left to the family's default where not", async () => {
            const templates: Record<string, any> = {};
            const base = validateStackConfig(rawConfig("prod")).cluster.nodeGroups[0];
            await runStack("prod", {
                program: async () => {
                    for (const cpuCredits of ["standard", "unlimited", undefined] as const) {
                        const group = { ...base, ...(cpuCredits ? { cpuCredits } : {}) };
                        const template = createNodeLaunchTemplate(`lt-${cpuCredits ?? "default"}`, { group, prefixDelegation: false, metadataHopLimit: 2, ebsKmsKeyArn: "arn:key", nodeSecurityGroupId: "sg-1", tags: {} as any, clusterName: "c" }, {});
                        templates[cpuCredits ?? "default"] = await new Promise((resolve) => pulumi.output(template.creditSpecification).apply(resolve));
                    }
                    return { outputs: {}, declaredWorkloads: [] };
                },
            });
            expect(templates).to.deep.equal({ standard: { cpuCredits: "standard" }, unlimited: { cpuCredits: "unlimited" }, default: undefined });
            expect(ofType(await stack("prod"), "aws:ec2/launchTemplate:LaunchTemplate").map((t) => t.inputs.creditSpecification)).to.deep.equal([undefined, undefined, undefined]);
        });

        it("is accepted for a group of burstable types and refused, naming the others, for a group with any other", () => {
            expect(rejectionOf("prod", (c) => { c.cluster.nodeGroups[0].cpuCredits = "standard"; })).to.equal(undefined);
            expect(problems(rejectionOf("dev", (c) => { c.cluster.nodeGroups[0].cpuCredits = "standard"; })!.message)).to.deep.equal([
                'cluster.nodeGroups[0].cpuCredits: got "standard" in node group "general"; allowed: absent unless every instance type of the group is burstable (t2, t3, t3a, t4g): c5a.large, c6a.large have no CPU credits',
            ]);
            expect(problems(rejectionOf("prod", (c) => { c.cluster.nodeGroups[0].cpuCredits = "burst"; })!.message)[0]).to.match(/^cluster\.nodeGroups\[0\]\.cpuCredits: got "burst" in node group "general"; allowed: one of standard, unlimited$/);
        });
    });
});
