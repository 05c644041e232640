import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { principalResourceKey } from "../components/cluster/access";
import { findProjectDir } from "../engine/stack-file";
import { EXIT_BAD_INPUT, EXIT_MANDATORY_VIOLATION, EXIT_OK, main, parseArgs, UsageError } from "../planner/cli";
import { RunOptions } from "../engine/run";
import { run } from "./support/stacks";

/** Runs the CLI in-process and captures what it writes. */
async function cli(argv: string[], runOptions: RunOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } }, runOptions, run);
    return { code, stdout, stderr };
}

/** A project folder holding this project's Pulumi.yaml and the given stack files. */
function fixtureProject(stacks: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "planner-cli-"));
    fs.copyFileSync(path.join(findProjectDir(), "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
    return dir;
}

const stackFile = (name: string) => fs.readFileSync(path.join(findProjectDir(), `Pulumi.${name}.yaml`), "utf8");

/** One line on stderr, starting "error:", and no stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
    const lines = stderr.trimEnd().split("\n");
    expect(lines, stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: /).and.match(pattern);
    expect(stderr).not.to.match(/\n\s+at /);
}

describe("planner CLI arguments", () => {
    it("defaults to the dev stack and reads --compare's two stacks", () => {
        expect(parseArgs([])).to.deep.include({ stack: "dev", json: false, help: false });
        expect(parseArgs(["--compare", "dev", "prod", "--markdown", "x.md", "--json"])).to.deep.include({ compare: ["dev", "prod"], markdown: "x.md", json: true });
    });

    it("rejects unknown arguments, missing values and --markdown without --compare", () => {
        expect(() => parseArgs(["--bogus"])).to.throw(UsageError, /unknown argument "--bogus"/);
        expect(() => parseArgs(["--stack"])).to.throw(UsageError, /--stack needs a value/);
        expect(() => parseArgs(["--compare", "dev"])).to.throw(UsageError, /--compare needs two stacks, <a> and <b>: <b> is missing after "dev"/);
        expect(() => parseArgs(["--compare"])).to.throw(UsageError, /<a> and <b>: both are missing/);
        expect(() => parseArgs(["--compare", "dev", "--json"])).to.throw(UsageError, /<b> is missing/);
        expect(() => parseArgs(["--markdown", "x.md"])).to.throw(UsageError, /--markdown needs --compare/);
    });

    it("prints the usage for --help and exits 0, and exits 2 on a bad argument", async () => {
        expect((await cli(["--help"])).code).to.equal(EXIT_OK);
        const bad = await cli(["--bogus"]);
        expect(bad.code).to.equal(EXIT_BAD_INPUT);
        expect(bad.stderr).to.match(/^error: unknown argument/).and.contain("Usage:");
    });
});

describe("planner CLI bad input", () => {
    const project = fixtureProject({
        // Every other key as prod has it, so the bastion's type is the only problem.
        pricey: stackFile("prod").replace(/instanceType: t4g\.micro/, "instanceType: trn2.48xlarge"),
        invalid: stackFile("dev").replace("natGateways: single", "natGateways: sometimes").replace('kubernetesVersion: "1.35"', "kubernetesVersion: 1.30")
            .replace("flowLogRetentionDays:", "flowLogRetentionDay:"),
        malformed: "config:\n  network: [unclosed\n",
        empty: "# no config block\n",
    });
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("names an unknown stack and the stacks there are", async () => {
        const { code, stderr } = await cli(["--stack", "staging"], { projectDir: project });
        expect(code).to.equal(EXIT_BAD_INPUT);
        expectOneLineError(stderr, /Unknown stack "staging".*stacks: empty, invalid, malformed, pricey/);
    });

    it("reports a malformed stack file with its line and a code frame, and one without config", async () => {
        const malformed = await cli(["--stack", "malformed"], { projectDir: project });
        expect(malformed.code).to.equal(EXIT_BAD_INPUT);
        expect(malformed.stderr).to.equal([
            `error: ${path.join(project, "Pulumi.malformed.yaml")}:3:1: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
            "1 | config:",
            "2 |   network: [unclosed",
            "3 |",
            "  | ^",
            "",
        ].join("\n"));
        const empty = await cli(["--stack", "empty"], { projectDir: project });
        expect(empty.code).to.equal(EXIT_BAD_INPUT);
        expectOneLineError(empty.stderr, /has no config: block/);
    });

    it("reports every config mistake on a line of its own, with the key, the value and what is allowed", async () => {
        const { code, stderr } = await cli(["--stack", "invalid"], { projectDir: project });
        expect(code).to.equal(EXIT_BAD_INPUT);
        expect(stderr).to.equal([
            "error: invalid config in Pulumi.invalid.yaml, 3 mistakes:",
            '  - network.natGateways: got "sometimes"; allowed: one of single, one-per-az',
            "  - network.flowLogRetentionDay: got a key that does not exist here (did you mean network.flowLogRetentionDays?); allowed: the keys of network: vpcCidr, podCidr, availabilityZones, " +
                "publicSubnetPrefixLength, privateSubnetPrefixLength, podSubnetPrefixLength, natGateways, interfaceEndpoints, flowLogRetentionDays",
            // The stack file's own text, which YAML read as the number 1.3.
            '  - cluster.kubernetesVersion: got the number 1.3 (the stack file\'s unquoted 1.30, which YAML reads as a number); allowed: a Kubernetes minor version such as 1.35, as text: write it in quotes, "1.30"',
            "",
        ].join("\n"));
    });

    it("reports an instance type without a price", async () => {
        const { code, stderr } = await cli(["--stack", "pricey"], { projectDir: project });
        expect(code).to.equal(EXIT_BAD_INPUT);
        expectOneLineError(stderr, /No EC2 price for instance type "trn2\.48xlarge".*upstream publishes no on-demand price/);
    });
});

describe("planner CLI comparison", () => {
    it("writes the comparison as Markdown and prints it as text", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "planner-md-"));
        const file = path.join(dir, "docs", "compare.md");
        try {
            const { stdout, stderr } = await cli(["--compare", "dev", "prod", "--markdown", file]);
            expect(stderr).to.equal(`wrote ${file}\n`);
            expect(stdout).to.match(/^dev vs prod/).and.contain("Total per month");
            expect(fs.readFileSync(file, "utf8")).to.match(/^# dev vs prod/).and.contain("| **Node Count** | 2 | 3 (1 + 1 + 1) | CP-10 |");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("planner CLI policy exit status", () => {
    it("exits 0 for dev, which has no mandatory violation", async () => {
        const { code, stdout } = await cli(["--stack", "dev"]);
        // The pack's name and version as policy/package.json gives them, then the config it ran with.
        const { name, version } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "package.json"), "utf8"));
        expect(stdout).to.include(`Policy (${name} ${version}, policy/config/dev.json): 0 mandatory`);
        expect(code).to.equal(EXIT_OK);
    });

    it("exits 1 when prod is given a public endpoint, naming the rule and its NIST control", async () => {
        const { code, stdout } = await cli(["--stack", "prod", "--json"], {
            override: (c) => {
                c.cluster.endpointPublicAccess = true;
                c.cluster.publicAccessCidrs = ["203.0.113.0/24"];
            },
        });
        expect(code).to.equal(EXIT_MANDATORY_VIOLATION);
        const violation = JSON.parse(stdout).policy.violations.find((v: { policy: string }) => v.policy === "eks-no-public-endpoint");
        expect(violation).to.include({ enforcementLevel: "mandatory", resourceType: "aws:eks/cluster:Cluster" });
        expect(violation.nist).to.include("SC-7");
    });
});

describe("planner CLI image inventory", () => {
    it("lists every image the stack runs with its registry, in the text report and in --json", async () => {
        const text = await cli(["--stack", "dev"]);
        const json = await cli(["--stack", "dev", "--json"]);
        const images: { image: string; registry: string; usedBy: string[] }[] = JSON.parse(json.stdout).images;
        const registries = [...new Set(images.map((i) => i.registry))];
        expect(text.stdout).to.include(`Images: ${images.length} from ${registries.length} registries`);
        for (const { image, registry } of images) {
            expect(text.stdout).to.include(`  ${registry}\n`).and.include(`    ${image}`);
            expect(image.startsWith("<EKS add-on") || registry === "docker.io" || image.startsWith(`${registry}/`), image).to.equal(true);
        }
        // Rendered, operator-made and injected containers alike: Prometheus itself comes from its custom resource.
        expect(images.find((i) => i.image.startsWith("quay.io/prometheus/prometheus:"))?.usedBy).to.deep.equal(["nist-eks-dev-observability-prometheus StatefulSet prometheus-kube-prometheus-stack-prometheus/prometheus"]);
        expect(images.find((i) => i.image === "docker.io/grafana/tempo:2.10.8")?.registry).to.equal("docker.io");
    });
});

describe("planner CLI --diff", () => {
    const VIEWER = "arn:aws:iam::123456789012:role/platform-viewer";
    /** Dev's stack file with one more access entry, as a team's earlier revision might have it. */
    const devWithViewer = () => {
        const doc = parseDocument(stackFile("dev"));
        (doc.getIn(["config", "nist-eks-platform:cluster", "access", "entries"]) as any).add(doc.createNode({ principalArn: VIEWER, policy: "view", namespaces: ["monitoring"] }));
        return doc.toString();
    };
    const key = `nist-eks-dev-access-${principalResourceKey(VIEWER)}`;

    it("reads --diff's ref or file, alone or with --json, and not with --compare or --sarif", () => {
        expect(parseArgs(["--stack", "prod", "--diff", "main", "--json"])).to.deep.include({ stack: "prod", diff: "main", json: true });
        expect(() => parseArgs(["--diff"])).to.throw(UsageError, /--diff needs a value/);
        expect(() => parseArgs(["--diff", "main", "--compare", "dev", "prod"])).to.throw(UsageError, /--diff compares one stack/);
        expect(() => parseArgs(["--diff", "main", "--sarif", "x.sarif"])).to.throw(UsageError, /--diff compares one stack/);
    });

    it("prints what an update from another stack file would do, per resource, with data and access flagged", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "planner-diff-"));
        const file = path.join(dir, "Pulumi.dev-before.yaml");
        fs.writeFileSync(file, devWithViewer());
        try {
            const text = await cli(["--stack", "dev", "--diff", file]);
            expect(text.code).to.equal(EXIT_OK);
            const unchanged = (await run("dev")).resources.filter((r) => r.custom).length;
            expect(text.stdout).to.equal([
                `Changes to stack dev from ${file} (same program, offline):`,
                "",
                `  -  delete  aws:eks/accessEntry:AccessEntry  ${key}`,
                `  -  delete  aws:eks/accessPolicyAssociation:AccessPolicyAssociation  ${key}-view`,
                "",
                `Resources: 0 to create, 0 to update, 0 to replace, 2 to delete, ${unchanged} unchanged`,
                "",
                "Stateful or access-bearing resources replaced or deleted:",
                `  ! delete ${key}: access`,
                `  ! delete ${key}-view: access`,
                "",
            ].join("\n"));
            const json = JSON.parse((await cli(["--stack", "dev", "--diff", file, "--json"])).stdout);
            expect(json.counts).to.deep.equal({ create: 0, update: 0, replace: 0, delete: 2, same: unchanged });
            expect(json.changes.map((c: { operation: string; name: string; holds: string; blocked: boolean }) => [c.operation, c.name, c.holds, c.blocked])).to.deep.equal([
                ["delete", key, "access", false], ["delete", `${key}-view`, "access", false],
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("takes the stack file at a git ref, and names a ref that is neither a file nor a revision", async () => {
        const project = fixtureProject({ dev: devWithViewer() });
        try {
            const git = (...args: string[]) => execFileSync("git", args, { cwd: project, stdio: "ignore" });
            git("init", "-q");
            git("add", ".");
            git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "earlier");
            fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), stackFile("dev"));
            const { code, stdout } = await cli(["--stack", "dev", "--diff", "HEAD"], { projectDir: project });
            expect(code).to.equal(EXIT_OK);
            expect(stdout.split("\n")[0]).to.equal("Changes to stack dev from HEAD:Pulumi.dev.yaml (same program, offline):");
            expect(stdout).to.contain(`  -  delete  aws:eks/accessEntry:AccessEntry  ${key}\n`).and.contain("0 to create, 0 to update, 0 to replace, 2 to delete");
            const bad = await cli(["--stack", "dev", "--diff", "no-such-ref"], { projectDir: project });
            expect(bad.code).to.equal(EXIT_BAD_INPUT);
            expectOneLineError(bad.stderr, /--diff no-such-ref: neither a stack file nor a git revision that holds Pulumi\.dev\.yaml \(git: fatal: /);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    it("exits 1 when a protected resource would be deleted, calling it blocked", async () => {
        const prod = await run("prod");
        const logs = prod.resources.find((r) => r.name === "nist-eks-prod-control-plane-logs")!;
        expect(logs.protect).to.equal(true);
        // The earlier config is prod's; the new one (as a program change might) declares no control-plane log group.
        const engine = async (_stack: string, options: RunOptions = {}) => (options.override ? prod : { ...prod, resources: prod.resources.filter((r) => r !== logs) });
        let stdout = "";
        const code = await main(["--stack", "prod", "--diff", path.join(findProjectDir(), "Pulumi.prod.yaml")], { stdout: (t) => { stdout += t; }, stderr: () => undefined }, {}, engine);
        expect(code).to.equal(EXIT_MANDATORY_VIOLATION);
        expect(stdout).to.contain(`  -  delete  aws:cloudwatch/logGroup:LogGroup  ${logs.name}  BLOCKED: protected\n`)
            .and.contain(`Blocked: these are protected, and Pulumi refuses to delete a protected resource (a replacement deletes the old one):\n  x delete ${logs.name}\n`);
    });
});
