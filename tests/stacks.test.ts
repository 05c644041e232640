import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { execFileSync } from "child_process";
import { CORE_SCHEMA, load } from "js-yaml";
import YAML, { parseDocument } from "yaml";
import { validateStackConfig } from "../config/load";
import { PROFILE_DEFAULTS } from "../config/profiles";
import { StackRun } from "../engine/run";
import { findProjectDir, readStackFile, stackFileFromText } from "../engine/stack-file";
import { stackWorkloads } from "../components/helm/workloads";
import { main } from "../planner/cli";
import { runConfig } from "../engine/run";
import { neighbourWarnings, otherStacks } from "../planner/neighbours";
import { pulumiArgs } from "../scripts/pulumi-with-policy";
import { rawConfig, rejectionOf } from "./support/config";
import { ofType, planOf, run, single, stack } from "./support/stacks";

const projectDir = findProjectDir();
const stackFile = (name: string) => fs.readFileSync(path.join(projectDir, `Pulumi.${name}.yaml`), "utf8");

/** The problems validation finds in prod's config after `change`; none when it is accepted. */
const problems = (change: (c: Record<string, any>) => void) => rejectionOf("prod", change)?.problems ?? [];

/** The log group prod's Session Manager preferences send every shell session in the account and region to. */
const PRODS_SESSION_LOGS = "/aws/ssm/nist-eks-prod/sessions";

/**
 * prod's stack file copied under another name, with its names and tags changed, as a user would,
 * and four sizes changed in part: Loki's writers get more memory (their cpu and limit stay
 * prod's), the events collector and CoreDNS more cpu (sections prod's file does not have), and
 * Kubecost's database a larger volume (its local store's stays). Replica counts change beside
 * siblings that keep prod's (EBS CSI controllers but not CoreDNS, Mimir's rulers, compactors and
 * query schedulers each by another number but not its alertmanagers, Mimir's chunks cache and
 * Loki's results cache but not their others), on every path a count
 * takes to a pod: an add-on's configuration, a rendered chart, an operator's custom resource and
 * Mimir's model; and Kafka keeps three days of records. It runs beside prod in prod's account and
 * region, so prod owns the Session Manager preferences and staging's bastion logs to prod's group.
 */
const staging = (() => {
    const doc = parseDocument(stackFile("prod")
        .replace("nist-eks-platform:environment: prod", "nist-eks-platform:environment: staging")
        .replace("Environment: prod", "Environment: staging")
        .replace("name: nist-eks-prod", "name: nist-eks-staging")
        // The UIs' host names under the stack's own domain, as the README's recipe for a new stack says.
        .replace("domain: nist-eks-prod.example.com", "domain: nist-eks-staging.example.com")
        .replace("grafana.nist-eks-prod.", "grafana.nist-eks-staging."));
    doc.setIn(["config", "nist-eks-platform:observability", "loki", "resources"], { write: { memory: "1Gi" } });
    doc.setIn(["config", "nist-eks-platform:observability", "alloy"], { resources: { events: { cpu: "50m" } } });
    doc.setIn(["config", "nist-eks-platform:operations", "kubecost", "volumes"], { aggregatorDb: "64Gi" });
    doc.setIn(["config", "nist-eks-platform:cluster", "addons"], { resources: { coredns: { cpu: "150m" } }, ebsControllerReplicas: 3 });
    const set = (section: string, path: string[], value: unknown) => doc.setIn(["config", `nist-eks-platform:${section}`, ...path], value);
    set("cluster", ["clusterAutoscaler", "replicas"], 2);
    set("observability", ["prometheus", "alertmanagerReplicas"], 3);
    set("observability", ["mimir", "rulerReplicas"], 2);
    set("observability", ["mimir", "compactorReplicas"], 4);
    set("observability", ["mimir", "querySchedulerReplicas"], 3);
    set("observability", ["mimir", "cacheReplicas"], { chunks: 2 });
    set("observability", ["loki", "cacheReplicas"], { results: 2 });
    set("observability", ["tempo", "memcachedReplicas"], 2);
    set("observability", ["kafka", "operatorReplicas"], 2);
    set("observability", ["kafka", "retention"], "3d");
    set("security", ["trivy", "operatorReplicas"], 2);
    set("operations", ["headlamp", "replicas"], 2);
    set("operations", ["kubecost", "frontendReplicas"], 3);
    set("cluster", ["bastion", "sessionPreferences"], "existing");
    set("cluster", ["bastion", "sessionLogGroupName"], PRODS_SESSION_LOGS);
    return doc.toString();
})();

/**
 * Each workload in the order the run declares it: its component, kind, containers as [name, cpu m,
 * memory MiB, limit MiB] and claims in MiB. Names are left out: some carry the cluster's.
 */
function shapes(r: StackRun) {
    return stackWorkloads(r.resources).workloads.map((w) => ({
        component: w.component,
        kind: w.kind,
        containers: [...w.initContainers, ...w.containers].map((c) => [c.name, c.cpuRequestMillicores, c.memoryRequestMiB, c.memoryLimitMiB]),
        claims: w.claims.map((c) => c.sizeMiB),
    }));
}

/** YAML that the two readers of a stack file could read apart if their schemas differed. */
const TRICKY_STACK_FILE = `config:
  aws:region: us-east-1
  nist-eks-platform:cluster:
    kubernetesVersion: 1.30
    quoted: "1.30"
    octal: 0o17
    leadingZero: 017
    hex: 0x1F
    exponent: 1e3
    infinity: .inf
    yes: yes
    on: on
    bool: true
    nothing: ~
    empty:
    date: 2027-06-30
    anchor: &sizes { cpu: 100m, memory: 1Gi }
    alias: *sizes
    merge: { <<: *sizes, cpu: 200m }
    folded: >
      one
      two
    literal: |
      line
    list: [a, "b", 1, -2.5]
`;

describe("reading stack files", () => {
    it("reads each shipped stack file and YAML's look-alike scalars as the yaml package's own parse does, through js-yaml's core schema", () => {
        for (const text of [stackFile("dev"), stackFile("prod"), TRICKY_STACK_FILE]) {
            expect(load(text, { schema: CORE_SCHEMA })).to.deep.equal(YAML.parse(text));
            expect(stackFileFromText(projectDir, "any", "any.yaml", text).config).to.deep.equal(YAML.parse(text).config);
        }
        expect(readStackFile(projectDir, "prod").config).to.deep.equal(YAML.parse(stackFile("prod")).config);
    });
});

describe("any stack from a stack file", () => {
    it("takes any lower-case environment name with a profile, and refuses others naming the key", () => {
        for (const name of ["staging", "qa", "prod-eu"]) {
            expect(problems((c) => { c.environment = name; c.tags.Environment = name; })).to.deep.equal([]);
        }
        expect(problems((c) => { c.environment = "Prod EU"; c.tags.Environment = "Prod EU"; })).to.deep.equal([
            'environment: got "Prod EU"; allowed: a lower-case environment name such as dev, staging, qa or prod-eu (letters, digits and dashes, at most 20)',
        ]);
    });

    it("needs a profile where the environment is not named after one, and defaults protect from it", () => {
        expect(problems((c) => { c.environment = "qa"; c.tags.Environment = "qa"; delete c.profile; })).to.deep.equal([
            "profile: got nothing (the key is missing); allowed: one of dev, prod",
        ]);
        const named = (stack: string, change: (c: Record<string, any>) => void = () => undefined) => {
            const raw = rawConfig(stack);
            change(raw);
            const { profile, protect } = validateStackConfig(raw);
            return { profile, protect };
        };
        expect(named("prod", (c) => { delete c.profile; })).to.deep.equal({ profile: "prod", protect: true });
        expect(named("dev", (c) => { delete c.profile; })).to.deep.equal({ profile: "dev", protect: false });
        expect(named("dev", (c) => { c.environment = "qa"; c.tags.Environment = "qa"; c.profile = "prod"; })).to.deep.equal({ profile: "prod", protect: true });
        expect(named("prod", (c) => { c.protect = false; })).to.deep.equal({ profile: "prod", protect: false });
    });

    describe("a third stack: prod's file copied as staging", () => {
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "staging-"));
            for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
            fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), staging);
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        const cli = async (argv: string[]) => {
            let [stdout, stderr] = ["", ""];
            const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } }, { projectDir: dir }, run);
            return { code, stdout, stderr };
        };

        it("plans, with its own names and tags, prod's sizes, protection and policy levels", async () => {
            const { code, stdout, stderr } = await cli(["--stack", "staging"]);
            expect(stderr).to.equal("");
            expect(code).to.equal(0);
            // Without a pack config of its own, the plan says whose it applies, and that a preview would need one.
            expect(stdout).to.match(/^Plan for stack staging \(nist-eks-platform, staging\)\n\nBefore the first pulumi up\n {2}WARNING: no policy\/config\/staging\.json: this plan applies the prod profile's policy\/config\/prod\.json, and npm run preview -- --stack staging refuses to run without a config of its own: cp policy\/config\/prod\.json policy\/config\/staging\.json\n\n/)
                .and.include(`Policy (nist-800-53-eks ${JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "package.json"), "utf8")).version}, policy/config/prod.json): 0 mandatory`);
            const staged = await run("staging", { projectDir: dir });
            expect(staged.config).to.deep.include({ environment: "staging", profile: "prod", protect: true });
            const cluster = staged.resources.find((r) => r.type === "aws:eks/cluster:Cluster")!;
            expect(cluster.inputs.name).to.equal("nist-eks-staging");
            expect(cluster.protect).to.equal(true);
            const prod = await stack("prod");
            const defaultTags = (r: typeof staged) => r.resources.filter((x) => x.type === "pulumi:providers:aws").map((x) => JSON.parse(x.inputs.defaultTags).tags.Environment);
            expect(defaultTags(staged)).to.include("staging").and.not.include("prod");
            // prod's name appears only where staging's bastion writes to prod's sessions log group.
            expect(staged.resources.filter((x) => JSON.stringify(x).includes("nist-eks-prod")).map((x) => x.name)).to.deep.equal(["nist-eks-staging-bastion-session-logs"]);
            // Same profile, same shape: the same resource types in the same numbers, but for the
            // preferences document and sessions log group, which prod owns.
            const census = (r: typeof staged) => r.resources.map((x) => x.type).sort();
            const lessProdsOwn = census(prod);
            for (const type of ["aws:cloudwatch/logGroup:LogGroup", "aws:ssm/document:Document"]) lessProdsOwn.splice(lessProdsOwn.indexOf(type), 1);
            expect(census(staged)).to.deep.equal(lessProdsOwn);
        });

        it("leaves the account's Session Manager preferences to prod: no document and no sessions log group of its own, and its bastion writes to prod's group alone", async () => {
            const [staged, prod] = await Promise.all([run("staging", { projectDir: dir }), stack("prod")]);
            const owned = (r: StackRun) => ({
                documents: ofType(r, "aws:ssm/document:Document").map((d) => d.inputs.name),
                sessionGroups: ofType(r, "aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name).filter((name) => name.startsWith("/aws/ssm/")),
            });
            expect([owned(staged), owned(prod)]).to.deep.equal([{ documents: [], sessionGroups: [] }, { documents: ["SSM-SessionManagerRunShell"], sessionGroups: [PRODS_SESSION_LOGS] }]);
            const prodsGroup = ofType(prod, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === PRODS_SESSION_LOGS)!;
            // The statements of the bastion role's one inline policy.
            const sessionPolicy = (r: StackRun) => {
                const role = single(r, "aws:iam/instanceProfile:InstanceProfile").inputs.role;
                const [policy, ...others] = ofType(r, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === role);
                expect(others).to.deep.equal([]);
                return JSON.parse(policy.inputs.policy).Statement;
            };
            expect(sessionPolicy(staged)).to.deep.equal([
                { Sid: "WriteSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: [prodsGroup.outputs.arn, `${prodsGroup.outputs.arn}:*`] },
                { Sid: "CheckLogGroupEncryption", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
            ]);
            expect(sessionPolicy(staged)).to.deep.equal(sessionPolicy(prod));
            // The log estimate spreads the assumed ingestion over the groups the stack has: one fewer, the same dollars.
            const logLines = (r: StackRun) => planOf(r).cost.lines.filter((l) => l.category === "logging");
            expect(logLines(prod).map((l) => l.id)).to.deep.equal(["logs-ingestion", "logs-storage"]);
            expect(logLines(staged)).to.deep.equal(logLines(prod).map((l) => ({ ...l, assumption: l.assumption!.replace("(over 6 log groups)", "(over 5 log groups)") })));
        });

        it("takes the sizes its file sets over the profile's, key by key, through to the rendered pods and the add-ons' configuration", async () => {
            const [staged, prod] = await Promise.all([run("staging", { projectDir: dir }), stack("prod")]);
            const sizes = PROFILE_DEFAULTS.prod;
            expect(staged.config.observability.loki.resources).to.deep.equal({ ...sizes.observability.loki.resources, write: { cpu: "200m", memory: "1Gi", memoryLimit: "1536Mi" } });
            expect(staged.config.observability.alloy).to.deep.equal({ resources: { ...sizes.observability.alloy.resources, events: { cpu: "50m", memory: "96Mi", memoryLimit: "192Mi" } } });
            expect(staged.config.operations.kubecost.volumes).to.deep.equal({ aggregatorDb: "64Gi", localStore: "16Gi" });

            expect(staged.config.cluster.addons.resources).to.deep.equal({ ...sizes.cluster.addons.resources, coredns: { cpu: "150m", memory: "70Mi", memoryLimit: "170Mi" } });

            // Every workload as prod's, but for the four the file changes.
            const changed: Record<string, ReturnType<typeof shapes>[number]> = {
                "coredns": { component: "eks-addons", kind: "Deployment", containers: [["coredns", 150, 70, 170]], claims: [] },
                "loki-write": { component: "loki", kind: "StatefulSet", containers: [["write", 200, 1024, 1536]], claims: [10240] },
                "alloy-events": { component: "alloy", kind: "Deployment", containers: [["alloy", 50, 96, 192], ["config-reloader", 5, 24, 48]], claims: [] },
                "nist-eks-prod-operations-kubecost-aggregator": {
                    component: "kubecost", kind: "StatefulSet", containers: [["aggregator", 200, 2048, 3072], ["istio-proxy", 50, 128, 256]], claims: [65536, 1024],
                },
            };
            const names = stackWorkloads(prod.resources).workloads.map((w) => w.name);
            expect(Object.keys(changed).filter((name) => !names.includes(name))).to.deep.equal([]);
            expect(shapes(staged)).to.deep.equal(shapes(prod).map((shape, i) => changed[names[i]] ?? shape));
        });

        it("takes the replica counts and the Kafka retention its file sets through to the pods and the Kafka resource, and counts them with its sizes in the capacity plan", async () => {
            const [staged, prod] = await Promise.all([run("staging", { projectDir: dir }), stack("prod")]);
            // Every workload's pods as prod's, but for those whose counts the file changes.
            const changed: Record<string, number> = {
                "ebs-csi-controller": 3,
                "nist-eks-prod-autoscaler-aws-cluster-autoscaler": 2,
                "alertmanager-kube-prometheus-stack-alertmanager": 3,
                "mimir-ruler": 2,
                "mimir-compactor": 4,
                "mimir-query-scheduler": 3,
                "mimir-chunks-cache": 2,
                "loki-results-cache": 2,
                "tempo-memcached": 2,
                "strimzi-cluster-operator": 2,
                "nist-eks-prod-security-trivy-trivy-operator": 2,
                "nist-eks-prod-operations-headlamp": 2,
                "nist-eks-prod-operations-kubecost-frontend": 3,
            };
            const prodWorkloads = stackWorkloads(prod.resources).workloads;
            const names = prodWorkloads.map((w) => w.name);
            expect(Object.keys(changed).filter((name) => !names.includes(name))).to.deep.equal([]);
            const replicas = (r: StackRun) => stackWorkloads(r.resources).workloads.map((w) => [w.component, w.kind, w.replicas]);
            expect(replicas(staged)).to.deep.equal(prodWorkloads.map((w) => [w.component, w.kind, changed[w.name] ?? w.replicas]));

            // The Kafka resource keeps records three days; its other settings stay prod's.
            const kafkaConfig = (r: StackRun) => r.resources.find((x) => x.type === "kubernetes:kafka.strimzi.io/v1:Kafka")!.inputs.spec.kafka.config;
            expect(kafkaConfig(staged)).to.deep.equal({ ...kafkaConfig(prod), "log.retention.hours": 72 });

            const [a, b] = [planOf(staged), planOf(prod)];
            // 16 more pods. The sizes add 125m and 768 MiB (three writers +256 MiB each, one collector +25m,
            // two CoreDNS +50m each); the counts add 1,110m and 3,580 MiB: an EBS controller (20m, 64),
            // an autoscaler (100m, 300), a third Alertmanager with its reloader (30m, 96), a ruler
            // (50m, 128), three compactors (3 x 100m, 256), a query scheduler (20m, 64), a Mimir chunks
            // cache with its exporter (110m, 664), a Loki results cache with its exporter (60m, 184), a Tempo memcached
            // (50m, 160), a Strimzi operator (100m, 384), a Trivy operator (100m, 256), a Headlamp in the
            // ambient mesh, without a sidecar (50m, 128), and two Kubecost frontends with their sidecars (2 x 60m, 192).
            expect([a.pods.total - b.pods.total, a.capacity.cpuMillicores.requested - b.capacity.cpuMillicores.requested, a.capacity.memoryMiB.requested - b.capacity.memoryMiB.requested])
                .to.deep.equal([16, 125 + 1110, 768 + 3580]);
        });

        it("compares against prod: --compare staging prod", async () => {
            const { code, stdout } = await cli(["--compare", "staging", "prod"]);
            expect(code).to.equal(0);
            expect(stdout).to.match(/^staging vs prod\n/).and.match(/Instance Type\s+t4g\.xlarge \(arm64, on demand\)\s+t4g\.xlarge \(arm64, on demand\)/);
        });
    });
});

describe("the README's recipe for a third stack", () => {
    const readme = fs.readFileSync(path.join(projectDir, "README.md"), "utf8");
    const start = readme.indexOf("\n### Adding a stack\n");
    const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
    const fenced = (language: string) => [...section.matchAll(new RegExp("^```" + language + "\\n([\\s\\S]*?)^```", "gm"))].map((m) => m[1]);
    /** A block's commands, continued lines joined. */
    const commands = (block: string) => block.replace(/\\\n\s*/g, " ").split("\n").map((line) => line.trim()).filter(Boolean);
    let dir: string;
    const cli = async (argv: string[]) => {
        let [stdout, stderr] = ["", ""];
        const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } }, { projectDir: dir }, run);
        return { code, stdout, stderr };
    };
    const configOf = (stack: string) => ({ stack, config: validateStackConfig(runConfig(stack, { projectDir: dir }).config) });

    before(() => {
        // A clone's files that the recipe reads, with the pack installed as in the project.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "add-stack-"));
        fs.mkdirSync(path.join(dir, "policy", "config"), { recursive: true });
        for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "README.md", "policy/config/dev.json", "policy/config/prod.json"]) fs.copyFileSync(path.join(projectDir, file), path.join(dir, file));
        fs.symlinkSync(path.join(projectDir, "policy", "node_modules"), path.join(dir, "policy", "node_modules"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("is two blocks of commands and a stack-file change", () => {
        expect([fenced("bash").length, fenced("yaml").length]).to.deep.equal([2, 1]);
        expect(commands(fenced("bash")[1]).every((c) => c.startsWith("npm run plan -- "))).to.equal(true);
    });

    it("makes a stack file and a pack config; the plan warns about what the copy keeps of prod's until the change below it", () => {
        for (const command of commands(fenced("bash")[0])) execFileSync("bash", ["-c", command], { cwd: dir, stdio: "pipe" });
        expect(fs.readFileSync(path.join(dir, "policy", "config", "staging.json"), "utf8")).to.equal(fs.readFileSync(path.join(projectDir, "policy", "config", "prod.json"), "utf8"));
        const staging = configOf("staging");
        expect(staging.config).to.deep.include({ environment: "staging", profile: "prod" });
        expect(staging.config.cluster.name).to.equal("nist-eks-staging");
        expect(neighbourWarnings(staging, otherStacks(dir, "staging"))).to.deep.equal([
            "cluster.bastion.sessionPreferences is create, as prod says, in account 123456789012 and us-east-1: one stack per account and region owns the Session Manager preferences, " +
                "and whichever runs pulumi up second fails with DocumentAlreadyExists; all but the owner say existing, with the owner's sessionLogGroupName " +
                "(prod's: /aws/ssm/nist-eks-prod/sessions; README: \"Session Manager preferences\")",
        ]);
        // Had the name stayed prod's, every name the platform gives would meet prod's.
        expect(neighbourWarnings({ stack: "staging", config: configOf("prod").config }, otherStacks(dir, "staging"))).to.include(
            "cluster.name is nist-eks-prod, as prod has in account 123456789012: the EKS cluster, its IAM roles, log groups, KMS aliases and node groups are named from it, " +
                "so the first pulumi up fails on names prod already holds; give this stack a cluster name of its own",
        );
    });

    it("with the change, plans with its own pack config and no warning, compares with prod, and previews with its own pack config", async () => {
        const file = path.join(dir, "Pulumi.staging.yaml");
        const doc = parseDocument(fs.readFileSync(file, "utf8"));
        const leaves = (node: any, at: string[]): [string[], unknown][] => (node !== null && typeof node === "object" ? Object.entries(node).flatMap(([k, v]) => leaves(v, [...at, k])) : [[at, node]]);
        for (const [at, value] of leaves(YAML.parse(fenced("yaml")[0]), ["config"])) doc.setIn(at, value);
        fs.writeFileSync(file, doc.toString());
        expect(configOf("staging").config.cluster.bastion).to.deep.include({ sessionPreferences: "existing", sessionLogGroupName: "/aws/ssm/nist-eks-prod/sessions" });
        // Nothing left to warn about, for staging or the shipped stacks beside it.
        for (const name of ["staging", "dev", "prod"]) expect(neighbourWarnings(configOf(name), otherStacks(dir, name)), name).to.deep.equal([]);

        // Its own pack config is the one applied: a waiver only staging's file has shows in its plan.
        const packConfig = path.join(dir, "policy", "config", "staging.json");
        const own = JSON.parse(fs.readFileSync(packConfig, "utf8"));
        const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
        own["s3-versioning"] = { ...(typeof own["s3-versioning"] === "object" ? own["s3-versioning"] : {}), waivers: [{ resource: "staging-only", reason: "a waiver that only staging's pack config holds", expires }] };
        fs.writeFileSync(packConfig, JSON.stringify(own, null, 2));

        const [plan, compare] = commands(fenced("bash")[1]).map((c) => c.replace(/^npm run plan -- /, "").split(/\s+/));
        const planned = await cli(plan);
        expect([planned.code, planned.stderr]).to.deep.equal([0, ""]);
        expect(planned.stdout).to.match(/^Plan for stack staging \(nist-eks-platform, staging\)\n\n(?!Before the first pulumi up)/)
            .and.include(`Policy (nist-800-53-eks ${JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "package.json"), "utf8")).version}, policy/config/staging.json): 0 mandatory`)
            .and.include(`waiver s3-versioning on staging-only until ${expires} (a waiver that only staging's pack config holds): WARNING: matches no violation; remove it`)
            .and.not.include("WARNING: no policy/config");
        const compared = await cli(compare);
        expect([compared.code, compared.stderr]).to.deep.equal([0, ""]);
        expect(compared.stdout).to.match(/^staging vs prod\n/);
        expect(pulumiArgs("preview", ["--stack", "staging"], dir)).to.deep.equal(["preview", "--stack", "staging", "--policy-pack", path.join(dir, "policy"), "--policy-pack-config", packConfig]);
    });
});
