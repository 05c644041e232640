import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { INTERFACE_ENDPOINT_SERVICES } from "../config/schema";
import { CostLine } from "../planner/cost";
import { compareManaged } from "../planner/managed";
import { planRun, StackPlan } from "../planner/plan";
import { instanceHourlyPrice, loadPriceTable } from "../planner/pricing";
import { stack, stackWith } from "./support/stacks";
import { StackRun } from "../engine/run";

const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const usd = (n: number) => `$${n.toFixed(2)}`;
const table = loadPriceTable("us-east-1");

describe("README figures", () => {
    let runs: { dev: StackRun; prod: StackRun };
    let dev: StackPlan;
    let prod: StackPlan;
    before(async () => {
        runs = { dev: await stack("dev"), prod: await stack("prod") };
        [dev, prod] = [planRun(runs.dev, table), planRun(runs.prod, table)];
    });
    const sum = (plan: StackPlan, ...prefixes: string[]) => plan.cost.lines.filter((l: CostLine) => prefixes.some((p) => l.id.startsWith(p))).reduce((t, l) => t + l.monthly, 0);

    it("quote the totals, pods and capacity the planner computes today", () => {
        expect(readme).to.include(`| **Total** | **${usd(dev.cost.total)}** | **${usd(prod.cost.total)}** |`);
        expect(readme).to.include(`| **Total** | **${dev.pods.total}** | **${prod.pods.total}** | |`);
        expect(readme).to.include(`| pod slots used | ${dev.capacity.pods.requested} of ${dev.capacity.pods.allocatable} | ${prod.capacity.pods.requested} of ${prod.capacity.pods.allocatable} |`);
        // Prod's HA (three Loki writers, two Prometheus) takes it a little past $593, within the table's $593-608.
        expect(prod.cost.total).to.be.below(608);
        expect(dev.cost.total).to.be.at.most(150);
    });

    it("quote each row of the cost table as computed", () => {
        // A zero is written $0 in the table.
        const cell = (n: number) => (n === 0 ? "$0" : usd(n));
        const row = (label: string, devValue: number, prodValue: number) => {
            const line = readme.split("\n").find((l) => l.startsWith(`| ${label} |`)) ?? "";
            const [, devCell, prodCell] = line.split(" | ");
            expect([devCell?.split(" (")[0], prodCell?.split(" (")[0]], label).to.deep.equal([cell(devValue), cell(prodValue)]);
        };
        row("EKS control plane", sum(dev, "eks-control-plane"), sum(prod, "eks-control-plane"));
        row("Nodes", sum(dev, "node-group:"), sum(prod, "node-group:"));
        row("Node root volumes", sum(dev, "node-group-volumes:"), sum(prod, "node-group-volumes:"));
        row("Bastion and its volume", sum(dev, "instance"), sum(prod, "instance"));
        row("NAT gateways and their data", sum(dev, "nat-gateway"), sum(prod, "nat-gateway"));
        row("Public IPv4 (each NAT's EIP)", sum(dev, "public-ipv4"), sum(prod, "public-ipv4"));
        row("Interface VPC endpoints", sum(dev, "interface-endpoint"), sum(prod, "interface-endpoint"));
        row("Persistent volumes (the claims the rendered charts and operators make)", sum(dev, "pvc:"), sum(prod, "pvc:"));
        row("S3", sum(dev, "s3"), sum(prod, "s3"));
        row("KMS keys", sum(dev, "kms"), sum(prod, "kms"));
        row("CloudWatch Logs (flow, control-plane, session and database logs)", sum(dev, "logs-"), sum(prod, "logs-"));
        row("Grafana's database (RDS PostgreSQL db.t4g.micro Multi-AZ, 20 GB gp3, the master password's secret)", sum(dev, "rds-"), sum(prod, "rds-"));
    });

    it("quote the levers' figures: endpoints, Grafana's database, Graviton, Spot hours and the dev/prod ratio", async () => {
        const withEndpoints = planRun(await stackWith("prod", (c) => { c.network.interfaceEndpoints = [...INTERFACE_ENDPOINT_SERVICES]; }), table);
        const endpointsAll = sum(withEndpoints, "interface-endpoint");
        expect(withEndpoints.cost.total - prod.cost.total).to.be.closeTo(endpointsAll, 1e-9);
        expect(readme).to.include(`all ten together cost ${usd(endpointsAll)} a month in prod`).and.include(`all ten would add ${usd(endpointsAll)}`);
        const oneEndpoint = 3 * table.vpcEndpoints.interfacePerHourPerAz * 730;
        const breakEven = Math.ceil(oneEndpoint / (table.natGateway.perGbProcessed - table.vpcEndpoints.interfacePerGbProcessed));
        expect(readme).to.include(`One endpoint\n  costs ${usd(oneEndpoint)} a month in prod's 3 zones and pays for itself above ${breakEven} GB a month`);

        const database = sum(prod, "rds-");
        // The instance, its storage, and the Secrets Manager secret RDS keeps the master password in.
        expect(database).to.be.closeTo(730 * 0.032 + 20 * 0.23 + 0.4, 1e-9);
        expect(readme).to.include(`Prod's total\nincludes Grafana's HA database (a Multi-AZ db.t4g.micro with 20 GB of gp3, ${usd(database)}) and stays within\nthe original table's $593-608.`);

        const saving = Math.round((1 - instanceHourlyPrice(table, "t4g.xlarge") / instanceHourlyPrice(table, "t3a.xlarge")) * 100);
        expect(readme).to.include(`t3a.xlarge's 4 vCPU and 16 GiB for ${saving}% less`);
        expect(readme).to.include(`Two t3a.medium cost ${usd(2 * instanceHourlyPrice(table, "t3a.medium") * 730)} a month on demand`);
        expect(readme).to.include(`${usd(sum(prod, "instance"))} a month. An SSM port-forward`);
        expect(readme).to.include(`(${runs.dev.config.costAssumptions.spotDiscountPercent}%, as of ${runs.dev.config.costAssumptions.spotDiscountAsOf})`);
        const share = Math.round((dev.cost.total / prod.cost.total) * 100);
        expect(readme).to.include(`dev costs ${share}% of prod, a reduction of ${100 - share}%`);
    });

    it("quote the three-way comparison --compare-managed computes", () => {
        const managed = compareManaged({ plan: prod, config: runs.prod.config }, { plan: dev }, table);
        expect(readme).to.include(`| **Total per month** | **${usd(managed.totals[0])}** | **${usd(managed.totals[1])}** | **${usd(managed.totals[2])}** |`);
        expect(readme).to.include(`fewest of prod's type that hold what stays, never below prod's minimum (${managed.nodes.count} x ${managed.nodes.instanceType})`);
    });


    it("gives the two quick-start commands", () => {
        expect(readme).to.include("npm ci && npm run plan");
        expect(readme).to.include("npm ci && npm test");
    });
});
