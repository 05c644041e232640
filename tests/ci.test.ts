/**
 * CI as a security boundary: pull-request code is untrusted until reviewed. These read every job of
 * every workflow and check the properties in general, so a job added later is held to them too.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { nodesOffUntil } from "../scripts/working-hours";
import { pulumiArgs, UsageError, WHILE_NODES_ARE_OFF } from "../scripts/pulumi-with-policy";
import { rawConfig } from "./support/config";
import { validateStackConfig } from "../config/load";

const ROOT = path.join(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const workflows = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((file) => ({ file, workflow: YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) }));
const jobs = workflows.flatMap(({ file, workflow }) => Object.entries<any>(workflow.jobs).map(([name, job]) => ({ id: `${file}:${name}`, job, on: workflow.on })));

/** Whether a job can run for a pull request: the workflow is triggered by one, and the job's condition does not rule it out. */
function runsForPullRequests(job: any, on: any): boolean {
    const triggers = typeof on === "string" ? [on] : Array.isArray(on) ? on : Object.keys(on);
    if (!triggers.some((t: string) => t === "pull_request" || t === "pull_request_target")) return false;
    const condition = String(job.if ?? "");
    return condition === "" || condition.includes("pull_request") || !/github\.event_name\s*==/.test(condition);
}
const text = (value: unknown) => JSON.stringify(value);
const steps = (job: any): any[] => job.steps ?? [];
const prodDeployRole = () => validateStackConfig(rawConfig("prod")).cluster.access.deployRoleArn;

describe("CI", () => {
    it("pins every action by a full commit SHA, with the tag beside it in a comment", () => {
        const source = workflows.map(({ file }) => fs.readFileSync(path.join(WORKFLOWS, file), "utf8")).join("\n");
        const uses = source.split("\n").filter((line) => /^\s*(-\s*)?uses:/.test(line));
        expect(uses.length).to.be.greaterThan(5);
        for (const line of uses) expect(line).to.match(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
        for (const { job } of jobs) for (const step of steps(job)) if (step.uses) expect(step.uses).to.match(/@[0-9a-f]{40}$/);
    });

    it("installs without running install scripts, everywhere", () => {
        const installs = jobs.flatMap(({ job }) => steps(job).map((s) => String(s.run ?? "")).filter((run) => /\bnpm (ci|install|i)\b/.test(run)));
        expect(installs.length).to.be.greaterThan(0);
        for (const run of installs) expect(run).to.include("--ignore-scripts");
    });

    it("gives no pull-request job a deploy role, prod's network without a reviewer, or credentials where it needs none", () => {
        const forPullRequests = jobs.filter(({ job, on }) => runsForPullRequests(job, on));
        expect(forPullRequests.map((j) => j.id).sort()).to.deep.equal(["ci.yml:plan", "ci.yml:preview-dev", "ci.yml:preview-prod", "ci.yml:test"]);
        for (const { id, job } of forPullRequests) {
            expect(text(job), id).to.not.include("AWS_DEPLOY_ROLE_ARN");
            expect(text(job), id).to.not.include(prodDeployRole());
            const labels = [job["runs-on"]].flat().map(String);
            if (labels.some((l) => l.includes("prod"))) expect(job.environment, `${id} runs in prod's VPC`).to.equal("prod-preview");
            // Jobs that reach no cloud get no token and no secret.
            if (labels.includes("ubuntu-latest")) {
                expect(text(job), id).to.not.match(/secrets\.|id-token|role-to-assume/);
            } else {
                // And the others only for this repository's branches: a fork's code never reaches a runner of ours.
                expect(job.if, id).to.include("github.event.pull_request.head.repo.full_name == github.repository");
            }
        }
        // No workflow runs a pull request's code with the base repository's secrets.
        for (const { workflow, file } of workflows) expect(Object.keys(workflow.on), file).to.not.include("pull_request_target");
        for (const { workflow, file } of workflows) expect(workflow.permissions, file).to.deep.equal({ contents: "read" });
    });

    it("uploads the pack's findings on both stacks as SARIF for code scanning, even when a mandatory one fails the plan", () => {
        const uploads = jobs.filter(({ job }) => steps(job).some((s) => String(s.uses ?? "").startsWith("github/codeql-action/upload-sarif@")));
        expect(uploads.map((j) => j.id)).to.deep.equal(["ci.yml:plan"]);
        const job = uploads[0].job;
        expect(job.permissions).to.deep.equal({ contents: "read", "security-events": "write" });
        const runs = steps(job).filter((s) => s.run);
        const writer = runs.find((s) => / --sarif /.test(s.run))!;
        expect(writer.run).to.equal("npm run plan -- --compare dev prod --sarif policy.sarif");
        // Written before any step that can fail on a finding, uploaded after all of them whatever they did.
        expect(steps(job).indexOf(writer)).to.be.lessThan(Math.min(...runs.filter((s) => s !== writer && /npm run plan/.test(s.run)).map((s) => steps(job).indexOf(s))));
        const upload = steps(job).find((s) => String(s.uses ?? "").startsWith("github/codeql-action/upload-sarif@"))!;
        expect(steps(job).indexOf(upload)).to.equal(steps(job).length - 1);
        expect(upload.with.sarif_file).to.equal("policy.sarif");
        expect(upload.if).to.include("always()").and.include("github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("deploys dev only while its nodes run, and again at their start", () => {
        const deploy = jobs.find((j) => j.id === "ci.yml:deploy-dev")!.job;
        const gate = steps(deploy).find((s) => s.id === "hours");
        expect(gate.run).to.equal("npm run working-hours -- --stack dev >> \"$GITHUB_OUTPUT\"");
        for (const step of steps(deploy).slice(steps(deploy).indexOf(gate) + 1)) expect(step.if).to.equal("steps.hours.outputs.running == 'true'");
        // The scheduled run falls 15 minutes after dev's start in New York, in summer (UTC-4) and winter (UTC-5) time.
        const schedule = validateStackConfig(rawConfig("dev")).cluster.nodeGroups[0].schedule!;
        const [cron] = workflows[0].workflow.on.schedule.map((s: any) => s.cron);
        const [minute, hours, , , days] = cron.split(" ");
        const [startHour, startMinute] = schedule.start.split(":").map(Number);
        expect(Number(minute)).to.equal(startMinute + 15);
        expect(hours.split(",").map(Number)).to.deep.equal([startHour + 4, startHour + 5]);
        expect(days).to.equal("1-5");
        expect(schedule.days).to.deep.equal(["MON", "TUE", "WED", "THU", "FRI"]);
        expect(deploy.if).to.include("github.event_name == 'schedule'");
    });
});

describe("updates while a schedule has every node off", () => {
    const dev = () => validateStackConfig(rawConfig("dev")).cluster;
    // New York is UTC-5 in December.
    const at = (iso: string) => new Date(iso);

    it("knows when dev's nodes run, in the schedule's time zone", () => {
        expect(nodesOffUntil(dev(), at("2026-12-08T13:00:00Z"))).to.equal(undefined); // Tue 08:00
        expect(nodesOffUntil(dev(), at("2026-12-08T12:59:00Z"))).to.equal("TUE 08:00 America/New_York"); // Tue 07:59
        expect(nodesOffUntil(dev(), at("2026-12-09T01:00:00Z"))).to.equal("WED 08:00 America/New_York"); // Tue 20:00
        expect(nodesOffUntil(dev(), at("2026-12-12T15:00:00Z"))).to.equal("MON 08:00 America/New_York"); // Sat 10:00
        expect(nodesOffUntil(dev(), at("2026-07-07T12:30:00Z"))).to.equal(undefined); // Tue 08:30 summer time
        // A group without a schedule runs always.
        const always = { nodeGroups: [...dev().nodeGroups, { ...dev().nodeGroups[0], schedule: undefined }] };
        expect(nodesOffUntil(always, at("2026-12-12T15:00:00Z"))).to.equal(undefined);
    });

    it("refuses `npm run up` while they are off, unless told the update changes no release", () => {
        const saturday = at("2026-12-12T15:00:00Z");
        expect(() => pulumiArgs("up", ["--stack", "dev"], ROOT, saturday)).to.throw(UsageError, "--stack dev: every node group is scaled to zero by its schedule until MON 08:00 America/New_York");
        expect(pulumiArgs("up", ["--stack", "dev", WHILE_NODES_ARE_OFF, "--yes"], ROOT, saturday).slice(-1)).to.deep.equal(["--yes"]);
        expect(() => pulumiArgs("preview", ["--stack", "dev"], ROOT, saturday)).to.not.throw();
        expect(() => pulumiArgs("up", ["--stack", "prod"], ROOT, saturday)).to.not.throw();
    });
});
