import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { bastionAmiParameter } from "../components/cluster/bastion";
import { validateStackConfig } from "../config/load";
import { INTERFACE_ENDPOINT_SERVICES } from "../config/schema";
import { CostLine } from "../planner/cost";
import { planModes } from "../planner/managed";
import { modeCapabilityTable, modeCostTable, modePartsTable } from "../planner/render";
import { StackPlan } from "../planner/plan";
import { instanceHourlyPrice, loadPriceTable } from "../planner/pricing";
import { rawConfig } from "./support/config";
import { planOf, run, stack, stackWith } from "./support/stacks";
import { StackRun } from "../engine/run";

const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const usd = (n: number) => `$${n.toFixed(2)}`;
const table = loadPriceTable("us-east-1");

describe("README: rolling the bastion", () => {
    it("reads the AMI parameter of the architecture of the bastion it rolls, the one the program reads", async () => {
        const start = readme.indexOf("\n### Rolling the bastion\n");
        const section = readme.slice(start, readme.indexOf("\n### ", start + 1));
        const parameters = [...section.matchAll(/aws ssm get-parameter --name (\S+)/g)].map((m) => m[1]);
        const stacks = [...section.matchAll(/--stack (\w+)/g)].map((m) => m[1]);
        expect(new Set(stacks)).to.deep.equal(new Set(["prod"]));
        const prod = await stack("prod");
        expect(parameters).to.deep.equal([bastionAmiParameter(prod.config.cluster.bastion.instanceType)]);
        expect(parameters[0]).to.match(/-arm64$/);
    });
});

describe("README: its commands", () => {
    it("name npm scripts that exist", () => {
        const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts);
        const named = [...new Set([...readme.matchAll(/npm run ([a-z][\w:-]*)/g)].map((m) => m[1]))];
        expect(named).to.include.members(["plan", "preview", "up"]);
        expect(named.filter((name) => !scripts.includes(name))).to.deep.equal([]);
    });

    it("set config paths that, applied to the stack file they name, validate", () => {
        const commands = [...readme.matchAll(/pulumi config set --path '([\w-]+):([^']+)' ("[^"]*"|\S+) --stack (\w+)/g)];
        expect(commands.map((m) => m[2])).to.include.members(["cluster.bastion.ami", "cluster.publicAccessCidrs[0]"]);
        for (const [command, namespace, key, value, name] of commands) {
            expect(namespace, command).to.equal("nist-eks-platform");
            const raw = rawConfig(name);
            // The shell's own substitution stands for an address: $(curl -s https://checkip.amazonaws.com)/32.
            const text = value.replace(/^"\$\(curl [^)]*\)\/32"$/, "198.51.100.7/32");
            const keys = key.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
            keys.slice(0, -1).reduce<any>((node, k) => node[k], raw)[keys[keys.length - 1]] = text;
            expect(() => validateStackConfig(raw), command).not.to.throw();
        }
    });
});

describe("README figures", () => {
    let runs: { dev: StackRun; prod: StackRun };
    let dev: StackPlan;
    let prod: StackPlan;
    before(async () => {
        runs = { dev: await stack("dev"), prod: await stack("prod") };
        [dev, prod] = [planOf(runs.dev), planOf(runs.prod)];
    });
    const sum = (plan: StackPlan, ...prefixes: string[]) => plan.cost.lines.filter((l: CostLine) => prefixes.some((p) => l.id.startsWith(p))).reduce((t, l) => t + l.monthly, 0);

    it("quote the totals, pods and capacity the planner computes today", () => {
        expect(readme).to.include(`| **Total** | **${usd(dev.cost.total)}** | **${usd(prod.cost.total)}** |`);
        expect(readme).to.include(`| **Total** | **${dev.pods.total}** | **${prod.pods.total}** | |`);
        expect(readme).to.include(`| pod slots used | ${dev.capacity.pods.requested} of ${dev.capacity.pods.allocatable} | ${prod.capacity.pods.requested} of ${prod.capacity.pods.allocatable} |`);
        // Prod's HA (three Loki writers, two Prometheus) takes it a little past $593, within the table's $593-608,
        // before the UIs' front door, which the table does not price.
        const frontDoor = (plan: StackPlan) => sum(plan, "alb-", "waf-", "cognito-");
        expect(prod.cost.total - frontDoor(prod)).to.be.below(608);
        expect(dev.cost.total - frontDoor(dev)).to.be.at.most(150);
        expect(frontDoor(prod)).to.be.within(20, 40);
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
        row("Grafana's database (RDS PostgreSQL db.t4g.micro Multi-AZ, 20 GB gp3, AWS Backup's copy, the master password's secret)", sum(dev, "rds-"), sum(prod, "rds-"));
        row("The UIs' front door (the ALB's hours and LCUs, its web ACL, Cognito's users)", sum(dev, "alb-", "waf-", "cognito-"), sum(prod, "alb-", "waf-", "cognito-"));
        // Every line of the estimate is in some row: the rows add up to the total.
        const rowPrefixes = ["eks-control-plane", "node-group:", "node-group-volumes:", "cpu-credits:", "instance", "nat-gateway", "public-ipv4", "interface-endpoint", "gateway-endpoint", "pvc:", "s3", "kms", "logs-", "rds-", "alb-", "waf-", "cognito-"];
        for (const plan of [dev, prod]) expect(sum(plan, ...rowPrefixes)).to.be.closeTo(plan.cost.total, 1e-9);
    });

    it("quote the levers' figures: endpoints, Grafana's database, Graviton, Spot hours and the dev/prod ratio", async () => {
        const withEndpoints = planOf(await stackWith("prod", (c) => { c.network.interfaceEndpoints = [...INTERFACE_ENDPOINT_SERVICES]; }));
        const endpointsAll = sum(withEndpoints, "interface-endpoint");
        expect(withEndpoints.cost.total - prod.cost.total).to.be.closeTo(endpointsAll, 1e-9);
        expect(readme).to.include(`all ten together cost ${usd(endpointsAll)} a month in prod`).and.include(`all ten would add ${usd(endpointsAll)}`);
        const oneEndpoint = 3 * table.vpcEndpoints.interfacePerHourPerAz * 730;
        const breakEven = Math.ceil(oneEndpoint / (table.natGateway.perGbProcessed - table.vpcEndpoints.interfacePerGbProcessed));
        expect(readme).to.include(`One endpoint\n  costs ${usd(oneEndpoint)} a month in prod's 3 zones and pays for itself above ${breakEven} GB a month`);

        const database = sum(prod, "rds-");
        // The instance, its storage, AWS Backup's full copy, and the Secrets Manager secret RDS keeps the master password in.
        expect(database).to.be.closeTo(730 * 0.032 + 20 * 0.23 + 20 * 0.095 + 0.4, 1e-9);
        expect(readme).to.include(`Prod's total\nincludes Grafana's HA database (a Multi-AZ db.t4g.micro with 20 GB of gp3 and AWS Backup's copy of it, ${usd(database)}); without the\nUIs' front door (${usd(sum(prod, "alb-", "waf-", "cognito-"))}), which the original table reserves subnets for but does not price, it stays within\nthe original table's $593-608.`);

        const saving = Math.round((1 - instanceHourlyPrice(table, "t4g.xlarge") / instanceHourlyPrice(table, "t3a.xlarge")) * 100);
        expect(readme).to.include(`t3a.xlarge's 4 vCPU and 16 GiB for ${saving}% less`);
        expect(readme).to.include(`Two t3a.medium cost ${usd(2 * instanceHourlyPrice(table, "t3a.medium") * 730)} a month on demand`);
        expect(readme).to.include(`${usd(sum(prod, "instance"))} a month. An SSM port-forward`);
        expect(readme).to.include(`(${runs.dev.config.costAssumptions.spotDiscountPercent}%, as of ${runs.dev.config.costAssumptions.spotDiscountAsOf})`);
        const share = Math.round((dev.cost.total / prod.cost.total) * 100);
        expect(readme).to.include(`dev costs ${share}% of prod, a reduction of ${100 - share}%`);
    });

    it("quote what each observability mode keeps, declares and costs in prod and dev, as --compare-managed plans them", async () => {
        const modes = await planModes({}, run);
        for (const markdown of [modeCapabilityTable(), modePartsTable(), modeCostTable(modes)]) expect(readme).to.include(markdown.join("\n"));
        const column = (mode: string) => modes.columns.find((c) => c.mode === mode && c.stack === "prod")!;
        expect(readme).to.include(`leave emptier (${column("aws-managed").pods} pods instead of ${column("self-managed").pods})`);
    });

    it("gives the quick start's commands, installing once", () => {
        const start = readme.indexOf("\n## Quick start");
        const block = readme.slice(readme.indexOf("```bash\n", start) + 8, readme.indexOf("\n```", readme.indexOf("```bash\n", start) + 8));
        const commands = block.split("\n").map((line) => line.split("#")[0].trim());
        expect(commands).to.deep.equal(["npm ci", "npm run plan", "npm test"]);
        // npm ci installs the pack too (its postinstall), so nothing else is needed before either command.
        expect(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts.postinstall).to.include("policy");
    });
});
