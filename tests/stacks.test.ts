import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateStackConfig } from "../config/load";
import { findProjectDir } from "../engine/stack-file";
import { main } from "../planner/cli";
import { rawConfig, rejectionOf } from "./support/config";
import { run } from "./support/stacks";

const projectDir = findProjectDir();
const stackFile = (name: string) => fs.readFileSync(path.join(projectDir, `Pulumi.${name}.yaml`), "utf8");

/** The problems validation finds in prod's config after `change`; none when it is accepted. */
const problems = (change: (c: Record<string, any>) => void) => rejectionOf("prod", change)?.problems ?? [];

/** prod's stack file copied under another name, with its names and tags changed, as a user would. */
const staging = stackFile("prod")
    .replace("nist-eks-platform:environment: prod", "nist-eks-platform:environment: staging")
    .replace("Environment: prod", "Environment: staging")
    .replace("name: nist-eks-prod", "name: nist-eks-staging");

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
            expect(stdout).to.match(/^Plan for stack staging \(nist-eks-platform, staging\)/).and.include("Policy (policy/config/prod.json): 0 mandatory");
            const staged = await run("staging", { projectDir: dir });
            expect(staged.config).to.deep.include({ environment: "staging", profile: "prod", protect: true });
            const cluster = staged.resources.find((r) => r.type === "aws:eks/cluster:Cluster")!;
            expect(cluster.inputs.name).to.equal("nist-eks-staging");
            expect(cluster.protect).to.equal(true);
            const prod = await run("prod", { projectDir: dir });
            const defaultTags = (r: typeof staged) => r.resources.filter((x) => x.type === "pulumi:providers:aws").map((x) => JSON.parse(x.inputs.defaultTags).tags.Environment);
            expect(defaultTags(staged)).to.include("staging").and.not.include("prod");
            expect(JSON.stringify(staged.resources)).not.to.include("nist-eks-prod");
            // Same profile, same shape: the same resource types in the same numbers.
            const census = (r: typeof staged) => r.resources.map((x) => x.type).sort();
            expect(census(staged)).to.deep.equal(census(prod));
        });

        it("compares against prod: --compare staging prod", async () => {
            const { code, stdout } = await cli(["--compare", "staging", "prod"]);
            expect(code).to.equal(0);
            expect(stdout).to.match(/^staging vs prod\n/).and.match(/Instance Type\s+t4g\.xlarge \(arm64, on demand\)\s+t4g\.xlarge \(arm64, on demand\)/);
        });
    });
});
