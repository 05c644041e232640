import { expect } from "chai";
import { INTERFACE_ENDPOINT_SERVICES } from "../config/schema";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { compareStacks, DECISIONS } from "../planner/compare";
import { CostEstimate, CostLine, estimateCost } from "../planner/cost";
import { buildInventory, STACK_LEVEL } from "../planner/inventory";
import { planJson, StackPlan } from "../planner/plan";
import { countPods } from "../planner/pods";
import { podsOf } from "../lib/workloads";
import { EKS_ADDON_REGISTRY, registryOf } from "../planner/images";
import * as fc from "fast-check";
import { formatAmount, formatQuantity, formatUsd, plural, toCents } from "../planner/format";
import { loadPriceTable } from "../planner/pricing";
import { renderComparison, renderComparisonMarkdown, renderPlan } from "../planner/render";
import { ofType, planOf, stack, stackWith } from "./support/stacks";

const table = loadPriceTable("us-east-1");

function estimate(run: StackRun): CostEstimate {
    return planOf(run).cost;
}

function lineOf(cost: CostEstimate, id: string): CostLine {
    const found = cost.lines.find((l) => l.id === id);
    if (!found) throw new Error(`no cost line ${id}; lines: ${cost.lines.map((l) => l.id).join(", ")}`);
    return found;
}

/** A resource record as the engine makes it, for graphs written by hand. */
function resource(type: string, name: string, inputs: Record<string, any>): PlannedResource {
    return { type, name, urn: `urn:pulumi:test::p::${type}::${name}`, custom: true, dependencies: [], protect: false, inputs, outputs: { ...inputs, id: name } };
}

describe("planner cost estimate", () => {
    it("prices prod's 3 NAT gateways at 3 x $0.045 x 730 = $98.55", async () => {
        const nat = lineOf(estimate(await stack("prod")), "nat-gateway-hours");
        expect(nat.factors.map((f) => f.value)).to.deep.equal([3, 730]);
        expect(nat.monthly).to.be.closeTo(98.55, 1e-9);
    });

    it("prices dev's Spot node group for its working hours: 2 x 260.71 h x ($0.0376 less 60%) = $7.84", async () => {
        const nodes = lineOf(estimate(await stack("dev")), "node-group:general");
        const hours = (60 * 730) / 168;
        expect(nodes).to.deep.equal({
            id: "node-group:general",
            category: "compute",
            item: "Node group general",
            detail: "t3a.medium, Spot: 60% below $0.0376/h on demand",
            factors: [{ value: 2, unit: "node" }, { value: hours, unit: "h" }],
            unitPrice: 0.01504,
            priceUnit: "h",
            assumption: "costAssumptions.spotDiscountPercent = 60 (as of 2026-11; Spot prices move with spare capacity)",
            note: "desired size; min 0 = $0.00, max 3 = $11.76; runs 60 h a week: MON,TUE,WED,THU,FRI 08:00-20:00 America/New_York (scheduled actions); priced as t3a.medium, the first of t3a.medium, t3.medium, c5a.large, c6a.large",
            monthly: toCents(2 * hours * 0.01504),
        });
        expect(nodes.monthly).to.equal(7.84);
    });

    it("follows the Spot assumption and the schedule: no discount and no schedule is the on-demand month", async () => {
        const cost = estimate(await stackWith("dev", (c) => { c.costAssumptions.spotDiscountPercent = 0; delete c.cluster.nodeGroups[0].schedule; }));
        expect(lineOf(cost, "node-group:general").monthly).to.equal(toCents(2 * 0.0376 * 730));
        expect(lineOf(cost, "node-group-volumes:general").factors).to.deep.equal([{ value: 2, unit: "node" }, { value: 20, unit: "GB" }]);
        const onDemand = estimate(await stackWith("dev", (c) => { c.cluster.nodeGroups[0].capacityType = "ON_DEMAND"; }));
        expect(lineOf(onDemand, "node-group:general")).to.include({ unitPrice: 0.0376, detail: "t3a.medium, on demand" }).and.not.have.property("assumption");
    });

    it("prices any current instance type at its list price: m5.large $0.096, m7g.large $0.0816", async () => {
        for (const [type, price] of [["m5.large", 0.096], ["m7g.large", 0.0816]] as const) {
            const run = await stackWith("dev", (c) => { Object.assign(c.cluster.nodeGroups[0], { instanceTypes: [type], capacityType: "ON_DEMAND" }); delete c.cluster.nodeGroups[0].schedule; });
            const nodes = lineOf(estimate(run), "node-group:general");
            expect(nodes, type).to.include({ unitPrice: price, detail: `${type}, on demand` });
            expect(nodes.monthly, type).to.equal(toCents(2 * 730 * price));
        }
    });

    it("refuses to guess the running hours of scheduled actions it cannot read as working hours", () => {
        const group = { ...resource("aws:eks/nodeGroup:NodeGroup", "ng", { instanceTypes: ["t3a.medium"], capacityType: "ON_DEMAND", scalingConfig: { minSize: 0, desiredSize: 1, maxSize: 1 } }), outputs: { id: "ng", resources: [{ autoscalingGroups: [{ name: "asg-1" }] }] } };
        const action = (name: string, recurrence: string, maxSize: number) => resource("aws:autoscaling/schedule:Schedule", name, { autoscalingGroupName: "asg-1", recurrence, minSize: 0, maxSize, desiredCapacity: 0, timeZone: "Etc/UTC" });
        const assumptions = { natGatewayGbPerMonth: 0, s3GbPerMonth: 0, logIngestionGbPerMonth: 0, interfaceEndpointGbPerMonth: 0, albLcus: 0, uiRequestsMillionsPerMonth: 0, uiMonthlyActiveUsers: 0, ampSamplesMillionsPerMonth: 0, workloadLogGbPerMonth: 0, logsInsightsGbScannedPerMonth: 0, xrayTracesMillionsPerMonth: 0, containerInsightsMetricsPerNode: 0, containerInsightsMetricsPerPod: 0, grafanaEditors: 0, grafanaViewers: 0, burstableCpuUsePercentOfRequests: 50, spotDiscountPercent: 60, spotDiscountAsOf: "2026-11" };
        const cost = (start: string, stop: string) => estimateCost({ resources: [group, action("up", start, 1), action("down", stop, 0)], assumptions, cpuRequestedMillicores: 0 }, table);
        expect(lineOf(cost("0 9 * * 1-5", "0 17 * * 1-5"), "node-group:general".replace("general", "ng")).factors[1].value).to.be.closeTo((40 * 730) / 168, 1e-9);
        expect(() => cost("0 9 * * 1-5", "0 17 * * 1-4")).to.throw(/Node group ng: its scheduled actions .*"0 9 \* \* 1-5".*cannot tell its running hours/);
        expect(() => cost("0 9 1 * *", "0 17 1 * *")).to.throw(/cannot tell its running hours/);
        expect(() => cost("0 17 * * 1-5", "0 9 * * 1-5")).to.throw(/cannot tell its running hours/);
    });

    it("prices the control plane at standard support, $0.10 x 730 = $73, in both stacks", async () => {
        for (const name of ["dev", "prod"] as const) {
            expect(lineOf(estimate(await stack(name)), "eks-control-plane").monthly, name).to.be.closeTo(73, 1e-9);
        }
    });

    it("prices a cluster below the minimum version at extended support, $0.60 x 730 = $438", () => {
        const cost = estimateCost({
            resources: [resource("aws:eks/cluster:Cluster", "old", { name: "old", version: "1.30" })],
            assumptions: { natGatewayGbPerMonth: 0, s3GbPerMonth: 0, logIngestionGbPerMonth: 0, interfaceEndpointGbPerMonth: 0, albLcus: 0, uiRequestsMillionsPerMonth: 0, uiMonthlyActiveUsers: 0, ampSamplesMillionsPerMonth: 0, workloadLogGbPerMonth: 0, logsInsightsGbScannedPerMonth: 0, xrayTracesMillionsPerMonth: 0, containerInsightsMetricsPerNode: 0, containerInsightsMetricsPerPod: 0, grafanaEditors: 0, grafanaViewers: 0, burstableCpuUsePercentOfRequests: 50, spotDiscountPercent: 60, spotDiscountAsOf: "2026-11" },
            cpuRequestedMillicores: 0,
        }, table);
        expect(cost.lines).to.have.length(1);
        expect(cost.lines[0].detail).to.contain("extended support");
        expect(cost.lines[0].monthly).to.be.closeTo(438, 1e-9);
    });

    it("prices interface endpoints per endpoint per AZ when prod chooses them: 10 x 3 x $0.01 x 730 = $219", async () => {
        expect(estimate(await stack("prod")).lines.some((l) => l.id.startsWith("interface-endpoint"))).to.equal(false);
        const run = await stackWith("prod", (c) => { c.network.interfaceEndpoints = [...INTERFACE_ENDPOINT_SERVICES]; });
        expect(lineOf(estimate(run), "interface-endpoint-hours").monthly).to.be.closeTo(219, 1e-9);
    });

    it("charges every Elastic IP as a public IPv4 address, and nothing for the bastion", async () => {
        const run = await stack("prod");
        const ipv4 = lineOf(estimate(run), "public-ipv4");
        expect(ofType(run, "aws:ec2/instance:Instance")).to.have.length(1);
        expect(ipv4.factors[0].value).to.equal(ofType(run, "aws:ec2/eip:Eip").length).and.equal(3);
        expect(ipv4.monthly).to.be.closeTo(3 * 0.005 * 730, 1e-9);
    });

    it("prices root volumes from the launch template for the hours their nodes exist: dev 2 x 20 GB gp2 x 60/168, prod 3 x 40 GB gp3", async () => {
        const dev = lineOf(estimate(await stack("dev")), "node-group-volumes:general");
        expect(dev.factors).to.deep.equal([{ value: 2, unit: "node" }, { value: 20, unit: "GB" }, { value: 60 / 168, unit: "month" }]);
        expect(dev.monthly).to.equal(toCents(2 * 20 * 0.1 * (60 / 168)));
        // One group per zone in prod: three lines of one node each.
        expect(estimate(await stack("prod")).lines.filter((l) => l.id.startsWith("node-group-volumes:")).map((l) => l.monthly)).to.deep.equal([3.2, 3.2, 3.2]);
    });

    it("prices the bastion and its root volume in prod only", async () => {
        const prod = estimate(await stack("prod"));
        expect(prod.lines.filter((l) => l.id.startsWith("instance")).map((l) => [l.detail, l.monthly])).to.deep.equal([["t4g.micro, on demand", toCents(0.0084 * 730)], ["gp3", toCents(8 * 0.08)]]);
        expect(estimate(await stack("dev")).lines.some((l) => l.id.startsWith("instance"))).to.equal(false);
    });

    it("counts one KMS key-month per declared key, and states each usage assumption beside its line", async () => {
        const run = await stack("prod");
        const cost = estimate(run);
        expect(lineOf(cost, "kms-keys").factors[0].value).to.equal(ofType(run, "aws:kms/key:Key").length);
        expect(lineOf(cost, "nat-gateway-data").assumption).to.equal(`costAssumptions.natGatewayGbPerMonth = ${run.config.costAssumptions.natGatewayGbPerMonth}`);
        expect(lineOf(cost, "logs-ingestion").assumption).to.contain("costAssumptions.logIngestionGbPerMonth");
    });

    it("keeps prod's CloudWatch storage at a year of ingestion: 20 GB x 12 x $0.03 = $7.20", async () => {
        expect(lineOf(estimate(await stack("prod")), "logs-storage").monthly).to.be.closeTo(7.2, 1e-9);
    });

    it("makes each line its factors times its unit price, and each total the sum of its lines", async () => {
        for (const name of ["dev", "prod"] as const) {
            const cost = estimate(await stack(name));
            for (const l of cost.lines) expect(l.monthly, l.id).to.equal(toCents(l.factors.reduce((p, f) => p * f.value, l.unitPrice)));
            expect(cost.total, name).to.be.closeTo(cost.lines.reduce((t, l) => t + l.monthly, 0), 1e-9);
            expect(new Set(cost.lines.map((l) => l.id)).size, `${name} line ids are unique`).to.equal(cost.lines.length);
        }
    });

    it("derives lines from the resources: prod overridden to 2 zones has 2 NAT gateways and 20 endpoint-AZs", async () => {
        const run = await stackWith("prod", (c) => {
            c.network.interfaceEndpoints = [...INTERFACE_ENDPOINT_SERVICES];
            c.network.availabilityZones = ["us-east-1a", "us-east-1b"];
            c.cluster.nodeGroups[0].availabilityZones = ["us-east-1a", "us-east-1b"];
            c.observability.mimir.ingesterZones = 2;
        });
        const cost = estimate(run);
        expect(lineOf(cost, "nat-gateway-hours").monthly).to.be.closeTo(2 * 0.045 * 730, 1e-9);
        expect(lineOf(cost, "interface-endpoint-hours").factors[0].value).to.equal(20);
        expect(lineOf(cost, "public-ipv4").factors[0].value).to.equal(2);
    });

    it("says beside the NAT data when an interface endpoint would pay for itself: 3 x $0.01 x 730 / ($0.045 - $0.01) = 626 GB", async () => {
        expect(lineOf(estimate(await stack("prod")), "nat-gateway-data").note).to.equal("an interface endpoint costs $21.90 a month in 3 zones and pays for itself above 626 GB a month of its service's traffic");
        expect(lineOf(estimate(await stack("dev")), "nat-gateway-data").note).to.equal("an interface endpoint costs $14.60 a month in 2 zones and pays for itself above 418 GB a month of its service's traffic");
    });

    it("fails with the type named when an instance type has no price", async () => {
        const run = await stack("dev");
        const noMedium = loadPriceTable("us-east-1");
        delete (noMedium.ec2.onDemandPerHour as Record<string, number>)["t3a.medium"];
        expect(() => estimateCost({ resources: run.resources, assumptions: run.config.costAssumptions, cpuRequestedMillicores: 0 }, noMedium)).to.throw(/No EC2 price for instance type "t3a\.medium"/);
    });
});

describe("planner inventory", () => {
    it("files every resource under exactly one top-level component, the default provider under the stack", async () => {
        const run = await stack("prod");
        const inventory = buildInventory(run.resources);
        expect(inventory.total).to.equal(run.resources.length);
        expect(inventory.byComponent.reduce((t, c) => t + c.total, 0)).to.equal(run.resources.length);
        expect(inventory.byType.reduce((t, c) => t + c.count, 0)).to.equal(run.resources.length);
        const stackLevel = inventory.byComponent.find((c) => c.component === STACK_LEVEL);
        expect(stackLevel?.types.map((t) => t.type)).to.deep.equal(["pulumi:providers:aws"]);
    });

    it("counts prod's network by type: 9 subnets, 3 NAT gateways, 1 (gateway) endpoint", async () => {
        const inventory = buildInventory((await stack("prod")).resources);
        const network = inventory.byComponent.find((c) => c.component.startsWith("platform:network:Network "));
        const count = (type: string) => network?.types.find((t) => t.type === type)?.count;
        expect(count("aws:ec2/subnet:Subnet")).to.equal(9);
        expect(count("aws:ec2/natGateway:NatGateway")).to.equal(3);
        expect(count("aws:ec2/vpcEndpoint:VpcEndpoint")).to.equal(1);
    });

    it("files a nested component's resources under its top-level ancestor (the bastion under the cluster)", async () => {
        const inventory = buildInventory((await stack("prod")).resources);
        const cluster = inventory.byComponent.find((c) => c.component.startsWith("platform:cluster:Cluster "));
        expect(cluster?.types.find((t) => t.type === "aws:ec2/instance:Instance")?.count).to.equal(1);
        expect(inventory.byComponent.some((c) => c.component.startsWith("platform:cluster:Bastion"))).to.equal(false);
    });
});

describe("planner pods", () => {
    it("runs a DaemonSet's pod on every node and other workloads at their replicas", () => {
        expect(podsOf({ kind: "DaemonSet", replicas: 1 }, 3)).to.equal(3);
        expect(podsOf({ kind: "StatefulSet", replicas: 2 }, 3)).to.equal(2);
    });

    it("counts pods per release and add-on at the desired node count, the total their sum", async () => {
        for (const name of ["dev", "prod"] as const) {
            const run = await stack(name);
            const pods = countPods(run.resources);
            const desired = ofType(run, "aws:eks/nodeGroup:NodeGroup").reduce((t, g) => t + g.inputs.scalingConfig.desiredSize, 0);
            expect(pods.nodeCount, name).to.equal(desired);
            expect(pods.total, name).to.equal(pods.sources.reduce((t, s) => t + s.pods, 0));
            expect(pods.sources.find((s) => s.name === "eks-addon vpc-cni")?.pods, `${name} aws-node`).to.equal(desired);
            expect(pods.sources.find((s) => s.component === "cluster-autoscaler")?.pods, `${name} autoscaler`).to.equal(1);
        }
    });
});

describe("planner comparison and reports", () => {
    let dev: StackRun;
    let prod: StackRun;
    let plans: StackPlan[];
    before(async () => {
        [dev, prod] = [await stack("dev"), await stack("prod")];
        plans = [planOf(dev), planOf(prod)];
    });
    const compare = () => compareStacks(
        { ...dev, stack: "dev", cost: plans[0].cost, pods: plans[0].pods, capacity: plans[0].capacity },
        { ...prod, stack: "prod", cost: plans[1].cost, pods: plans[1].pods, capacity: plans[1].capacity },
    );
    const row = (decision: string) => {
        const found = compare().decisions.find((d) => d.decision === decision);
        if (!found) throw new Error(`no row ${decision}`);
        return found;
    };

    it("reads a deployed component from its release, whose chart is a vendored folder", () => {
        expect(row("Prometheus").values).to.deep.equal(["on (kube-prometheus-stack), 1 replica, 1 Alertmanager", "on (kube-prometheus-stack), 2 replicas deduplicated by Mimir's HA tracker, 2 Alertmanagers"]);
        expect(row("Tempo").values).to.deep.equal(["single-binary, on (tempo)", "distributed, on (tempo-distributed)"]);
    });

    it("reads the mesh's dataplanes from the namespaces' labels, and Loki's replication factor beside its writers", () => {
        expect(row("Istio mTLS").values).to.deep.equal(["- (Istio off)", "STRICT, on (cni, istiod, ztunnel); ambient: aws-load-balancer-controller, headlamp, kafka, monitoring, trivy-system, velero; sidecars: kubecost"]);
        expect(row("Loki Write Replicas").values).to.deep.equal(["- (SingleBinary mode)", "3, replication factor 3"]);
    });

    it("compares capacity at the desired size: nodes, slots, requests and headroom from each stack's plan", () => {
        const capacity = Object.fromEntries(compare().capacity.map((r) => [r.id, r.values]));
        expect(capacity.nodes).to.deep.equal([2, 3]);
        expect(capacity["pod-slots"]).to.deep.equal([plans[0].capacity.pods.allocatable, plans[1].capacity.pods.allocatable]);
        expect(capacity["cpu-requested"]).to.deep.equal([plans[0].capacity.cpuMillicores.requested, plans[1].capacity.cpuMillicores.requested]);
        expect(capacity["memory-headroom"][1]).to.equal(Math.round(plans[1].capacity.memoryMiB.headroomPercent));
    });

    it("shows a capacity section in the plan, with a warning and the node count that fits when a stack does not fit", async () => {
        expect(renderPlan(plans[1])).to.match(/Capacity: fits at 3 nodes/).and.include("pod slots");
        const shrunk = planOf(await stackWith("prod", (c) => { Object.assign(c.cluster.nodeGroups[0], { minSize: 1, desiredSize: 1 }); }));
        const text = renderPlan(shrunk);
        expect(text).to.include("Capacity: DOES NOT FIT");
        expect(text).to.include("WARNING: does not fit at its desired 1 node; it fits at 3: raise desiredSize");
        expect(planJson(await stack("prod"), plans[1]).capacity.pods.allocatable).to.equal(plans[1].capacity.pods.allocatable);
    });

    it("has a row per decision of the spec's tables, each with a NIST column", () => {
        const names = compare().decisions.map((d) => d.decision);
        for (const decision of ["Availability Zones", "NAT Gateways", "Public Subnets", "Private Subnets", "Pod Subnets", "Istio mTLS", "Private EKS Endpoint",
            "Bastion Host", "Instance Type", "Node Count", "Node Min Size", "Node Max Size", "Disk Size", "Mimir", "Mimir Ingesters", "Mimir Cache",
            "Prometheus Retention", "Loki Mode", "Loki Retention", "Loki Storage", "Tempo Replicas", "Tempo Storage", "Trace Protocols", "Grafana Replicas",
            "Grafana Storage", "Kiali", "Pre-built Dashboards", "Trivy Operator", "Trivy Scan Scope", "IRSA for All Services", "KMS Encryption",
            "Mandatory Tagging", "Velero", "Backup Schedules", "Cross-Region Backup", "Node Agent (fsbackup)", "Kubecost", "Headlamp", "EKS Control Plane"]) {
            expect(names, decision).to.include(decision);
        }
        expect(DECISIONS.every((d) => d.nist !== "" && d.source !== "")).to.equal(true);
    });

    it("reads each value from the run: zones, NAT gateways, endpoint, instance type, node sizes, disk, Mimir", () => {
        expect(row("Availability Zones").values).to.deep.equal(["2 (us-east-1a, us-east-1b)", "3 (us-east-1a, us-east-1b, us-east-1c)"]);
        expect(row("NAT Gateways").values).to.deep.equal(["1 (us-east-1a)", "3 (us-east-1a, us-east-1b, us-east-1c)"]);
        expect(row("Private EKS Endpoint").values[1]).to.equal("private only");
        expect(row("Private EKS Endpoint").values[0]).to.match(/^public \(203\.0\.113\.0\/24\)/);
        expect(row("Bastion Host").values[0]).to.equal("none");
        expect(row("Instance Type").values).to.deep.equal(["t3a.medium, t3.medium, c5a.large, c6a.large (amd64, Spot)", "t4g.xlarge (arm64, on demand)"]);
        expect(row("Node Working Hours").values).to.deep.equal(["60 h a week: MON,TUE,WED,THU,FRI 08:00-20:00 America/New_York", "always on"]);
        expect([row("Node Count"), row("Node Min Size"), row("Node Max Size")].map((r) => r.values)).to.deep.equal([["2", "3 (1 + 1 + 1)"], ["0", "3 (1 + 1 + 1)"], ["3", "10 (4 + 3 + 3)"]]);
        expect(row("Disk Size").values).to.deep.equal(["20 GB gp2", "40 GB gp3"]);
        expect(row("Multi-AZ Nodes").values).to.deep.equal(["1 (us-east-1a)", "3 (us-east-1a, us-east-1b, us-east-1c), one node group per zone"]);
        expect(row("Mimir").values[0]).to.equal("off");
        expect(row("Mimir Ingesters").values).to.deep.equal(["- (Mimir off)", "3 zones"]);
        expect(row("Loki Retention").values).to.deep.equal(["7d", "90d"]);
        expect(row("Mandatory Tagging").values[0]).to.equal("CostCenter, Environment, Owner, Project");
    });

    it("pairs the cost lines and pods of both stacks, the deltas adding up to the totals' difference", () => {
        const comparison = compare();
        expect(comparison.costTotal.values).to.deep.equal([plans[0].cost.total, plans[1].cost.total]);
        expect(comparison.cost.reduce((t, r) => t + r.delta, 0)).to.be.closeTo(comparison.costTotal.delta, 1e-9);
        expect(comparison.cost.find((r) => r.id === "nat-gateway-hours")?.values).to.deep.equal([toCents(0.045 * 730), toCents(3 * 0.045 * 730)]);
        expect(comparison.cost.find((r) => r.id === "instance:Bastion")?.values).to.deep.equal([0, toCents(0.0084 * 730)]);
        expect(comparison.podTotal.delta).to.equal(plans[1].pods.total - plans[0].pods.total);
        expect(comparison.pods.reduce((t, r) => t + r.delta, 0)).to.equal(comparison.podTotal.delta);
    });

    it("writes the comparison as Markdown: a table per spec section, then cost, pods and policy", () => {
        const markdown = renderComparisonMarkdown(compare(), plans);
        for (const heading of ["## Networking & Security", "## Compute", "## Backup & DR", "## Monthly cost", "## Pods", "## Policy"]) expect(markdown).to.contain(heading);
        expect(markdown).to.contain("| **NAT Gateways** | 1 (us-east-1a) | 3 (us-east-1a, us-east-1b, us-east-1c) | SC-7 |");
    });

    it("prints every section of a stack's plan, with each line's arithmetic and the total", () => {
        const text = renderPlan(plans[1]);
        for (const heading of ["Inventory:", "Pods:", "Monthly cost estimate", "Policy ("]) expect(text).to.contain(heading);
        expect(text).to.contain("3 gateways × 730 h × $0.045/h").and.contain("$98.55");
    });

    it("puts everything in the JSON, every resource with its inputs and no mocked outputs", () => {
        const json = JSON.parse(JSON.stringify(planJson(prod, plans[1])));
        expect(json).to.include.keys("stack", "inventory", "pods", "cost", "policy", "config", "outputs", "resources");
        expect(json.resources).to.have.length(prod.resources.length);
        expect(json.resources[0]).to.include.keys("type", "name", "urn", "inputs").and.not.include.keys("outputs");
        expect(json.cost.total).to.equal(plans[1].cost.total);
    });
});

describe("image registries", () => {
    it("read the registry host from a reference as container runtimes do", () => {
        expect(["quay.io/prometheus/prometheus:v3", "grafana/loki:3", "memcached:1.6", "localhost/x:1", "registry:5000/x:1", "docker.io/grafana/grafana:13"].map(registryOf))
            .to.deep.equal(["quay.io", "docker.io", "docker.io", "localhost", "registry:5000", "docker.io"]);
        expect(registryOf("<EKS add-on coredns v1.12.4-eksbuild.1>")).to.equal(EKS_ADDON_REGISTRY);
    });
});

describe("counts in the plan's words", () => {
    it("write dollars and quantities as Intl.NumberFormat(\"en-US\") does, for any number: separators, rounding of the shortest decimal, ties, signs, tiny and huge values", () => {
        const usd = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        const quantity = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
        const numbers = fc.oneof(
            fc.double({ min: -1e22, max: 1e22, noNaN: true }),
            fc.double({ min: -1, max: 1, noNaN: true }),
            fc.integer({ min: -1e9, max: 1e9 }).map((cents) => cents / 100),
            // Ties at the third decimal, which binary doubles sit either side of.
            fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1000 + 0.0005),
            fc.constantFrom(0, -0, 0.005, 1.005, 9.995, 999.995, -1234567.891, 1e-7, -6e-7, 0.0049, 1e21),
        );
        fc.assert(fc.property(numbers, (n) => {
            expect(formatUsd(n)).to.equal(`$${usd.format(n)}`);
            expect(formatQuantity(n)).to.equal(quantity.format(n));
        }), { numRuns: 5000 });
    });

    it("say one of a thing, and the plural of more: -s, -es after s, -ies after a consonant's y", () => {
        expect([plural(1, "policy"), plural(2, "policy"), plural(0, "namespace"), plural(1, "namespace"), plural(3, "address"), plural(2, "key"), plural(2, "node group")])
            .to.deep.equal(["1 policy", "2 policies", "0 namespaces", "1 namespace", "3 addresses", "2 keys", "2 node groups"]);
    });
});

describe("the plan's figures and words", () => {
    let plans: StackPlan[];
    before(async () => {
        plans = [planOf(await stack("dev")), planOf(await stack("prod"))];
    });
    const isCents = (amount: number) => Math.abs(amount * 100 - Math.round(amount * 100)) < 1e-6;

    it("prices every line to the cent, and totals the lines as shown: --json carries cents, not float residue", async () => {
        for (const plan of plans) {
            const json = JSON.parse(JSON.stringify(planJson(await stack(plan.stack), plan)));
            const amounts = [json.cost.total, ...json.cost.lines.map((l: CostLine) => l.monthly)];
            expect(amounts.filter((a) => !isCents(a) || String(a).split(".")[1]?.length > 2), plan.stack).to.deep.equal([]);
            expect(json.cost.total, plan.stack).to.equal(toCents(json.cost.lines.reduce((t: number, l: CostLine) => t + l.monthly * 100, 0) / 100));
        }
    });

    it("compares in cents: every delta is the difference of the two amounts its row shows, the node groups' included", async () => {
        const [dev, prod] = [await stack("dev"), await stack("prod")];
        const side = (run: StackRun, plan: StackPlan) => ({ ...run, cost: plan.cost, pods: plan.pods, capacity: plan.capacity });
        const text = renderComparison(compareStacks(side(dev, plans[0]), side(prod, plans[1])), plans);
        const cents = (usd: string) => (usd.startsWith("-") ? -1 : 1) * Math.round(Number(usd.replace(/[^\d.]/g, "")) * 100);
        const rows = [...text.matchAll(/^ {2}(.+?) {2,}(\$[\d,.]+) {2,}(\$[\d,.]+) {2,}([+-]\$[\d,.]+)$/gm)].map(([, label, a, b, delta]) => ({ label, a, b, delta }));
        expect(rows.map((r) => r.label)).to.include.members(["Node group general", "Total per month"]);
        expect(rows.filter((r) => cents(r.b) - cents(r.a) !== cents(r.delta))).to.deep.equal([]);
    });

    it("lists every image a chart runs by its real reference, as the render has it; only the EKS add-ons' are EKS's to pick", () => {
        for (const plan of plans) {
            const described = plan.images.filter((i) => !/^[a-z0-9._-]+(:\d+)?(\/[a-z0-9._-]+)*:[\w.-]+(@sha256:[0-9a-f]{64})?$/.test(i.image));
            expect(described.filter((i) => !i.usedBy.every((u) => u.startsWith("eks-addon "))).map((i) => i.image), plan.stack).to.deep.equal([]);
        }
        expect(plans[1].images.map((i) => i.image)).to.include("docker.io/grafana/rollout-operator:v0.38.1");
    });

    it("counts in words that agree with their numbers, in both plans and in a plan where every count is 1", () => {
        const PLURALS = /\b1 (?:pod )?(nodes|pods|replicas|resources|slots|traces|volumes|policies|namespaces|addresses|gateways|endpoints|keys|clusters|instances|secrets|groups|zones|claims|violations|waivers|buckets|days|hours)\b/g;
        // Every whole number above 1 set to 1: each count the text prints meets "1".
        const ones = (value: unknown): unknown => (typeof value === "number" ? (Number.isInteger(value) && value > 1 ? 1 : value)
            : Array.isArray(value) ? value.map(ones)
            : value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ones(v)])) : value);
        for (const plan of plans) {
            for (const text of [renderPlan(plan), renderPlan(ones(plan) as StackPlan)]) {
                expect([...text.matchAll(PLURALS)].map((m) => m[0]), plan.stack).to.deep.equal([]);
            }
        }
        expect(renderPlan(plans[0])).to.include(`Pods: ${plans[0].pods.total} at ${plans[0].pods.nodeCount} nodes`);
        expect(renderPlan(ones(plans[0]) as StackPlan)).to.include("Pods: 1 at 1 node (").and.include(", 1 pod slot,").and.include("Inventory: 1 resource\n");
        expect([formatAmount(1, "million trace"), formatAmount(2, "million trace"), formatAmount(1, "address"), formatAmount(1, "h")]).to.deep.equal(["1 million traces", "2 million traces", "1 address", "1 h"]);
    });
});
