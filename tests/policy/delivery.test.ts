/**
 * How the pack reaches users: waivers in the stack's pack config, the plan's waiver list and
 * SARIF, the npm wrappers around pulumi preview/up, and the engine's per-input dependencies.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as url from "url";
import { evaluatePack, loadPackConfigFile, PolicyPackConfig } from "../../policy/evaluate";
import { latestExpiry, waiverProblems } from "../../policy/lib/waivers";
import { allPolicies, PACK_NAME, PACK_VERSION } from "../../policy/policies";
import { kmsKeyRotation } from "../../policy/rules/kms/kms-key-rotation";
import { parseArgs } from "../../planner/cli";
import { policyReport, policySarif, waiverLines } from "../../planner/policy";
import { pulumiArgs, UsageError } from "../../scripts/pulumi-with-policy";
import { stack } from "../support/stacks";
import { planned } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const KEY = "aws:kms/key:Key";
const PACK_MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8"));

/**
 * SARIF 2.1.0's own JSON schema (OASIS, as @microsoft/jest-sarif ships it: draft-04, which ajv 6
 * reads with its draft-04 meta-schema).
 */
const validateSarif = (() => {
    const Ajv = require("ajv");
    const ajv = new Ajv({ schemaId: "auto", validateSchema: false, allErrors: true });
    ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));
    return ajv.compile(require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"));
})();

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "policy-delivery-"));
}

/**
 * `npm run preview` with a stand-in pulumi on PATH that records its arguments and exits 3. Started
 * when mocha loads this file: npm and the wrapper take seconds to start, and the suite runs meanwhile.
 */
const npmRunPreview = new Promise<{ status: number | null; stderr: string; log: string }>((resolve) => {
    const bin = tempDir();
    const log = path.join(bin, "args");
    fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\nprintf '%s\\n' "$@" > "${log}"\nexit 3\n`, { mode: 0o755 });
    execFile("npm", ["run", "--silent", "preview", "--", "--stack", "dev", "--diff"], { cwd: ROOT, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" },
        (error, _stdout, stderr) => resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, stderr, log }));
});

describe("policy waivers", () => {
    const keys = [planned(KEY, "imported", { enableKeyRotation: false }), planned(KEY, "legacy", { enableKeyRotation: false }), planned(KEY, "ok", { enableKeyRotation: true })];
    const config = (waivers: object[]): PolicyPackConfig => ({ "kms-key-rotation": { environment: "dev", waivers } });
    const run = (waivers: object[]) => evaluatePack(keys, config(waivers), [kmsKeyRotation], { today: "2026-11-30" });

    it("exempts the named resource until its last day, then reports it again naming the lapsed waiver", () => {
        const reason = "imported key material cannot rotate automatically";
        const active = run([{ resource: "imported", reason, expires: "2026-11-30" }]);
        expect(active.violations.map((v) => v.resourceName)).to.deep.equal(["legacy"]);
        expect(active.waived.map((v) => [v.resourceName, v.waiver.expires])).to.deep.equal([["imported", "2026-11-30"]]);
        const lapsed = run([{ resource: keys[0].urn, reason, expires: "2026-11-29" }]);
        expect(lapsed.violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["imported", `enableKeyRotation is not true (waiver expired 2026-11-29: ${reason})`],
            ["legacy", "enableKeyRotation is not true"],
        ]);
        expect(lapsed.waived).to.deep.equal([]);
    });

    it("gives every waiver a status, and reports one that matches nothing", () => {
        const reason = "documented exception approved by the security team";
        const { waivers } = run([
            { resource: "imported", reason, expires: "2099-01-01" },
            { resource: "ok", reason, expires: "2099-01-01" },
            { resource: "legacy", reason, expires: "2020-01-01" },
        ]);
        expect(waivers.map((w) => [w.resource, w.status, w.matched])).to.deep.equal([["imported", "applied", 1], ["ok", "unmatched", 0], ["legacy", "expired", 1]]);
        const lines = waiverLines({ pack: { name: PACK_NAME, version: PACK_VERSION }, packConfig: "x", sources: {}, violations: [], mandatory: 0, advisory: 0, waived: [], waivers });
        expect(lines).to.deep.equal([
            `  waiver kms-key-rotation on imported until 2099-01-01 (${reason}): exempts 1 violation(s)`,
            `  waiver kms-key-rotation on ok until 2099-01-01 (${reason}): WARNING: matches no violation; remove it`,
            `  waiver kms-key-rotation on legacy until 2020-01-01 (${reason}): EXPIRED: 1 violation(s) reported again`,
        ]);
    });

    it("refuses waivers without a resource, a written reason or a real expiry date, naming each mistake", () => {
        expect(waiverProblems({ resource: "r", reason: "because", expires: "2026-02-30", extra: 1 }, "w")).to.deep.equal([
            "w.extra: not a waiver field (resource, reason, expires)",
            "w.reason: got \"because\"; expected a written reason of at least 20 characters",
            "w.expires: got \"2026-02-30\"; expected a date YYYY-MM-DD",
        ]);
        const file = path.join(tempDir(), "dev.json");
        fs.writeFileSync(file, JSON.stringify({ "kms-key-rotation": { waivers: [{ resource: "", reason: "long enough reason for the test", expires: "2026-12-31" }] }, "s3-versioning": { waivers: "all" } }));
        expect(() => loadPackConfigFile(file)).to.throw(/2 bad waiver setting\(s\):\n {2}kms-key-rotation\.waivers\[0\]\.resource: got ""; expected the resource's name or URN\n {2}s3-versioning\.waivers: expected a list/);
    });

    it("refuses a waiver that runs more than a year past the day its config is checked, saying until when it may run", () => {
        const waiver = (expires: string) => ({ resource: "imported", reason: "imported key material cannot rotate automatically", expires });
        expect(latestExpiry("2026-12-07")).to.equal("2027-12-07");
        expect(latestExpiry("2028-02-29")).to.equal("2029-03-01");
        expect(waiverProblems(waiver("2027-12-07"), "w", "2026-12-07")).to.deep.equal([]);
        expect(waiverProblems(waiver("2027-12-08"), "w", "2026-12-07")).to.deep.equal([
            'w.expires: got "2027-12-08"; expected a date at most one year ahead, by 2027-12-07: a waiver is a risk accepted until the next yearly assessment (CA-2, CA-5) renews it',
        ]);
        const file = path.join(tempDir(), "prod.json");
        fs.writeFileSync(file, JSON.stringify({ "kms-key-rotation": { waivers: [waiver("2099-12-31")] } }));
        expect(() => loadPackConfigFile(file, "2026-12-07")).to.throw('kms-key-rotation.waivers[0].expires: got "2099-12-31"; expected a date at most one year ahead, by 2027-12-07');
        expect(loadPackConfigFile(file, "2099-06-01")).to.have.property("kms-key-rotation");
    });

    it("is part of every rule's config schema, so the Pulumi CLI validates waivers too", () => {
        for (const policy of allPolicies) {
            const schema = policy.configSchema.properties.waivers as { items: { required: string[] } };
            expect(schema.items.required, policy.name).to.deep.equal(["resource", "reason", "expires"]);
        }
    });
});

describe("policy report as SARIF", () => {
    it("has a rule per policy and a result per violation, waived ones suppressed with their reason", () => {
        const keys = [planned(KEY, "imported", { enableKeyRotation: false }), planned(KEY, "legacy", { enableKeyRotation: false })];
        const reason = "imported key material cannot rotate automatically";
        const { violations, waived, waivers } = evaluatePack(keys, { "kms-key-rotation": { environment: "prod", enforcementLevel: "mandatory", waivers: [{ resource: "imported", reason, expires: "2099-01-01" }] } }, [kmsKeyRotation]);
        const report = { pack: { name: PACK_NAME, version: PACK_VERSION }, packConfig: "policy/config/prod.json", violations, waived, waivers, mandatory: violations.length, advisory: 0, sources: {} };
        const sarif = policySarif([{ stack: "prod", report }]) as any;
        expect(sarif.version).to.equal("2.1.0");
        const run = sarif.runs[0];
        expect(run.tool.driver.rules.map((r: any) => r.id)).to.deep.equal(allPolicies.map((p) => p.name));
        const rule = run.tool.driver.rules[run.results[0].ruleIndex];
        expect(rule.id).to.equal("kms-key-rotation");
        expect(rule.properties["security-severity"]).to.equal("8.0");
        expect(run.results.map((r: any) => ({ level: r.level, text: r.message.text, urn: r.locations[0].logicalLocations[0].fullyQualifiedName, file: r.locations[0].physicalLocation.artifactLocation.uri, suppressed: r.suppressions?.[0].justification })))
            .to.deep.equal([
                { level: "error", text: "prod: aws:kms/key:Key legacy: enableKeyRotation is not true", urn: keys[1].urn, file: "Pulumi.prod.yaml", suppressed: undefined },
                { level: "error", text: "prod: aws:kms/key:Key imported: enableKeyRotation is not true", urn: keys[0].urn, file: "Pulumi.prod.yaml", suppressed: `${reason} (until 2099-01-01)` },
            ]);
    });

    it("is valid SARIF 2.1.0, names the pack's version and locates each finding at the line of ours that declares the resource", async () => {
        const run = await stack("prod");
        // Prod with the provider's Owner default tag gone (a finding on every taggable resource,
        // each declared somewhere else) and without its flow log (a finding about a VPC).
        const resources = run.resources.filter((r) => r.type !== "aws:ec2/flowLog:FlowLog").map((r) => {
            if (r.type !== "pulumi:providers:aws") return r;
            const defaultTags = JSON.parse(r.inputs.defaultTags);
            delete defaultTags.tags.Owner;
            return { ...r, inputs: { ...r.inputs, defaultTags: JSON.stringify(defaultTags) } };
        });
        const report = policyReport(resources, "prod");
        expect(report.pack).to.deep.equal({ name: "nist-800-53-eks", version: PACK_MANIFEST.version });
        const sarif = policySarif([{ stack: "prod", report }], {}) as any;
        expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).to.equal(true);
        const driver = sarif.runs[0].tool.driver;
        expect([driver.name, driver.version, driver.semanticVersion]).to.deep.equal([PACK_MANIFEST.name, PACK_MANIFEST.version, PACK_MANIFEST.version]);
        expect(fs.existsSync(url.fileURLToPath(driver.informationUri))).to.equal(true);
        expect(policySarif([{ stack: "prod", report }], { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/platform", GITHUB_SHA: "abc123" }))
            .to.have.nested.property("runs[0].tool.driver.informationUri", "https://github.com/acme/platform/blob/abc123/policy/README.md");
        const results: any[] = sarif.runs[0].results;
        expect(results.length).to.be.greaterThan(50);
        const files = new Set<string>();
        for (const result of results) {
            const { artifactLocation, region } = result.locations[0].physicalLocation;
            const urn = result.locations[0].logicalLocations?.[0].fullyQualifiedName;
            const resource = resources.find((r) => r.urn === urn)!;
            // Every finding on a resource points at the line of our program that constructs it.
            const line = fs.readFileSync(path.join(ROOT, artifactLocation.uri), "utf8").split("\n")[region.startLine - 1];
            expect(line, `${urn} at ${artifactLocation.uri}:${region.startLine}`).to.match(/\bnew [\w.]+\(/);
            expect(artifactLocation.uri).to.equal(resource.source!.file);
            files.add(artifactLocation.uri);
        }
        expect(files.size).to.be.greaterThan(5);
        expect([...files].every((f) => /^(components\/.+|platform)\.ts$/.test(f))).to.equal(true);
        // The schema check itself rejects what SARIF does not allow.
        expect(validateSarif({ ...sarif, runs: [{ ...sarif.runs[0], results: [{ ...results[0], level: "fatal" }] }] })).to.equal(false);
    });

    it("locates a finding about the whole stack at the stack's config file", () => {
        const report = policyReport([], "prod");
        const stackFinding = report.violations.find((v) => v.resourceUrn === undefined);
        expect(stackFinding, "prod with no resources misses stack-wide requirements").to.not.equal(undefined);
        const sarif = policySarif([{ stack: "prod", report }], {}) as any;
        const result = sarif.runs[0].results.find((r: any) => r.ruleId === stackFinding!.policy && r.message.text.includes("stack:"));
        expect(result.locations[0].physicalLocation).to.deep.equal({ artifactLocation: { uri: "Pulumi.prod.yaml" } });
        expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).to.equal(true);
    });

    it("is asked for with --sarif <file>, on one stack or a comparison", () => {
        expect(parseArgs(["--stack", "prod", "--sarif", "out/policy.sarif"])).to.deep.include({ stack: "prod", sarif: "out/policy.sarif" });
        expect(parseArgs(["--compare", "dev", "prod", "--sarif", "p.sarif"])).to.deep.include({ compare: ["dev", "prod"], sarif: "p.sarif" });
        expect(() => parseArgs(["--sarif"])).to.throw("--sarif needs a value");
    });
});

describe("npm run preview / up", () => {
    it("always passes the pack and the stack's own pack config, then the user's flags", () => {
        expect(pulumiArgs("preview", ["--stack", "prod", "--diff"], ROOT)).to.deep.equal([
            "preview", "--stack", "prod", "--policy-pack", path.join(ROOT, "policy"), "--policy-pack-config", path.join(ROOT, "policy", "config", "prod.json"), "--diff",
        ]);
        // A Tuesday at 10:00 in New York, inside dev's working hours.
        expect(pulumiArgs("up", ["--yes", "-s", "dev"], ROOT, new Date("2026-12-08T15:00:00Z")).slice(0, 7)).to.deep.equal(["up", "--stack", "dev", "--policy-pack", path.join(ROOT, "policy"), "--policy-pack-config", path.join(ROOT, "policy", "config", "dev.json")]);
    });

    it("refuses a missing or unknown stack, a swapped pack or config, and a stack without pack config", () => {
        // A folder of its own, whatever stacks a user has added beside the shipped two.
        const project = tempDir();
        for (const name of ["dev", "prod"]) fs.writeFileSync(path.join(project, `Pulumi.${name}.yaml`), "config: {}\n");
        expect(() => pulumiArgs("up", ["--yes"], project)).to.throw(UsageError, "name the stack: npm run up -- --stack <name> (stacks here: dev, prod)");
        expect(() => pulumiArgs("preview", ["--stack=qa"], project)).to.throw(UsageError, "--stack qa: no Pulumi.qa.yaml");
        expect(() => pulumiArgs("preview", ["--stack", "dev", "--policy-pack-config=other.json"], ROOT)).to.throw(UsageError, "--policy-pack-config=other.json: npm run preview always passes policy/ and policy/config/dev.json");
        fs.writeFileSync(path.join(project, "Pulumi.qa.yaml"), "config: {}\n");
        expect(() => pulumiArgs("preview", ["--stack", "qa"], project)).to.throw(UsageError, "no policy config policy/config/qa.json");
    });

    it("runs pulumi with those arguments and passes its exit status on (a stand-in pulumi on PATH)", async function () {
        this.timeout(60_000);
        const { status, stderr, log } = await npmRunPreview;
        expect(status, stderr).to.equal(3);
        expect(fs.readFileSync(log, "utf8").trim().split("\n")).to.deep.equal(pulumiArgs("preview", ["--stack", "dev", "--diff"], ROOT));
    });
});

describe("engine: per-input dependencies", () => {
    it("records which resource feeds each input, as the engine hands them to policy packs", async () => {
        const run = await stack("prod");
        const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
        const policies = run.resources.filter((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy");
        expect(policies).to.have.length.greaterThan(0);
        for (const policy of policies) {
            const feeding = policy.propertyDependencies?.bucket ?? [];
            expect(feeding.map((urn) => byUrn.get(urn)?.type), policy.name).to.deep.equal(["aws:s3/bucket:Bucket"]);
            expect(byUrn.get(feeding[0])!.outputs.id).to.equal(policy.inputs.bucket);
        }
        const nodeGroup = run.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup")!;
        expect(new Set(nodeGroup.propertyDependencies?.subnetIds?.map((urn) => byUrn.get(urn)?.type))).to.deep.equal(new Set(["aws:ec2/subnet:Subnet"]));
    });
});
