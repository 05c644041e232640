/**
 * The offline planner's command line: `npm run plan -- [options]`. It runs compiled (dist/) for a
 * fast start; `main` takes the arguments and returns the exit status, so tests call it in-process.
 */
// First: it defers parts of @pulumi/pulumi before any other import loads the SDK.
import "./startup";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/load";
import { prerender } from "../components/helm/workloads";
import { RunOptions, runStack, toShortKeys } from "../engine/run";
import { findProjectDir, StackFile, stackFileFromText, StackFileError } from "../engine/stack-file";
import { compareStacks } from "./compare";
import { diffRuns, renderDiff } from "./diff";
import { HtmlReportInput, renderHtmlReport } from "./html";
import { planModes, renderModeComparison } from "./managed";
import { planJson, planRun, planStack, StackPlan } from "./plan";
import { policySarif } from "./policy";
import { loadPriceTable } from "./pricing";
import { renderComparison, renderComparisonMarkdown, renderPlan } from "./render";

const USAGE = `Usage: npm run plan -- [--stack <name>] [--json] [--sarif <file>] [--html <file>]
       npm run plan -- --stack <name> --diff <ref|file> [--json] [--html <file>]
       npm run plan -- --compare <a> <b> [--markdown <file>] [--json] [--sarif <file>] [--html <file>]
       npm run plan -- --compare-managed [--json]

Runs the Pulumi program offline (mocks, no AWS account, no Pulumi CLI) and prints what a stack
creates (inventory, pods), what it costs a month, and what the NIST 800-53 policy pack says of it.

  --stack <name>       the stack to plan (Pulumi.<name>.yaml); default dev
  --diff <ref|file>    what an update from another config to this stack file's would do: the stack
                       file at a git ref (git show <ref>:Pulumi.<name>.yaml) or another stack file,
                       both run through this program; per resource create, update, replace (with the
                       inputs that force it) or delete, flagging data and access replaced or deleted
  --compare <a> <b>    two stacks side by side: a row per dev-vs-prod decision, cost and pod deltas
  --markdown <file>    with --compare: also write the comparison as Markdown to <file>
  --compare-managed    prod and dev planned in each observability mode (self-managed, aws-managed,
                       amp-amg, hybrid): the original table's three-way cost and the other two options
  --json               print everything machine-readable, every resource with its inputs
  --sarif <file>       also write the policy report as SARIF 2.1.0 (for code scanning) to <file>
  --html <file>        also write the report as one self-contained HTML page (network and placement,
                       cost, telemetry paths, compliance, images; with --diff, the changes too)
  --help               print this help

Exit status: 0 fine, 1 a mandatory policy violation or a pod its namespace's Pod Security level
refuses (with --diff: a protected resource would be
replaced or deleted, which Pulumi refuses, or a replacement created first under its fixed name),
2 bad arguments or bad input
(unknown stack, unreadable stack file, invalid config, an instance type without a price).
`;

export const EXIT_OK = 0;
export const EXIT_MANDATORY_VIOLATION = 1;
export const EXIT_BAD_INPUT = 2;

export interface CliArgs {
    readonly help: boolean;
    readonly stack: string;
    readonly compare?: readonly [string, string];
    readonly compareManaged?: boolean;
    /** A git ref or a stack file to compare the stack's config with. */
    readonly diff?: string;
    readonly markdown?: string;
    readonly sarif?: string;
    /** Where to write the HTML report. */
    readonly html?: string;
    readonly json: boolean;
}

/** Thrown for arguments the CLI does not understand; main prints it with the usage hint. */
export class UsageError extends Error {}

/** Parses the arguments (after `node cli.js`). Throws UsageError for anything it cannot use. */
export function parseArgs(argv: readonly string[]): CliArgs {
    let stack: string | undefined;
    let compare: [string, string] | undefined;
    let markdown: string | undefined;
    let sarif: string | undefined;
    let diff: string | undefined;
    let html: string | undefined;
    let json = false;
    let help = false;
    let compareManaged = false;
    const valueOf = (i: number, flag: string): string => {
        const value = argv[i];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
        return value;
    };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        switch (arg) {
            case "--help": case "-h": help = true; break;
            case "--json": json = true; break;
            case "--stack": stack = valueOf(++i, arg); break;
            case "--markdown": markdown = valueOf(++i, arg); break;
            case "--sarif": sarif = valueOf(++i, arg); break;
            case "--diff": diff = valueOf(++i, arg); break;
            case "--html": html = valueOf(++i, arg); break;
            case "--compare": {
                const [a, b] = [argv[i + 1], argv[i + 2]].map((v) => (v === undefined || v.startsWith("--") ? undefined : v));
                if (a === undefined) throw new UsageError("--compare needs two stacks, <a> and <b>: both are missing");
                if (b === undefined) throw new UsageError(`--compare needs two stacks, <a> and <b>: <b> is missing after "${a}"`);
                compare = [a, b];
                i += 2;
                break;
            }
            case "--compare-managed": compareManaged = true; break;
            default: throw new UsageError(`unknown argument "${arg}"`);
        }
    }
    if (stack !== undefined && compare) throw new UsageError("--stack and --compare do not go together");
    if (markdown !== undefined && !compare) throw new UsageError("--markdown needs --compare");
    if (compareManaged && (stack !== undefined || compare || sarif !== undefined || html !== undefined)) throw new UsageError("--compare-managed compares prod and dev; it takes no --stack, --compare, --sarif or --html");
    if (diff !== undefined && (compare || compareManaged || sarif !== undefined)) throw new UsageError("--diff compares one stack with another config of it; it takes no --compare, --compare-managed or --sarif");
    return {
        help, stack: stack ?? "dev", json, ...(compare ? { compare } : {}), ...(compareManaged ? { compareManaged } : {}), ...(diff !== undefined ? { diff } : {}),
        ...(markdown !== undefined ? { markdown } : {}), ...(sarif !== undefined ? { sarif } : {}), ...(html !== undefined ? { html } : {}),
    };
}

/** Where main writes; tests capture it. */
export interface Io {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

const processIo: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/**
 * The error for stderr, without a stack trace: every expected failure says what to fix. A config
 * error lists its problems one a line; a stack file error keeps its code frame; others lose their
 * line breaks.
 */
function errorText(error: unknown, stack?: string): string {
    if (error instanceof ConfigError) return `invalid config${stack ? ` in Pulumi.${stack}.yaml` : ""}, ${error.problems.length === 1 ? "1 mistake" : `${error.problems.length} mistakes`}:\n${error.problems.map((p) => `  - ${p}`).join("\n")}`;
    if (error instanceof StackFileError) return error.message;
    const message = error instanceof Error ? error.message : String(error);
    return message.split("\n").map((l) => l.trim()).filter(Boolean).join(" ");
}

/** Writes the plans' policy reports as SARIF to `file`, saying so on stderr (stdout stays the report). */
function writeSarif(file: string, plans: readonly StackPlan[], io: Io): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(policySarif(plans.map((p) => ({ stack: p.stack, report: p.policy }))), null, 2)}\n`);
    io.stderr(`wrote ${file}\n`);
}

/** Writes the HTML report to `file`, saying so on stderr (stdout stays the report). */
function writeHtml(file: string, input: HtmlReportInput, io: Io): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, renderHtmlReport(input));
    io.stderr(`wrote ${file}\n`);
}

/** The exit status of plans: a mandatory violation fails them, and so does a pod its namespace's Pod Security level refuses, which blocks the update as surely. */
export const exitFor = (plans: readonly StackPlan[]) => (plans.some((p) => p.policy.mandatory > 0 || p.podSecurity.findings.length > 0) ? EXIT_MANDATORY_VIOLATION : EXIT_OK);

/**
 * Runs the CLI and returns its exit status. Tests pass `runOptions` (another project folder, an
 * override) and `engine` (their shared, memoised runs).
 */
export async function main(argv: readonly string[], io: Io = processIo, runOptions: RunOptions = {}, engine: typeof runStack = runStack): Promise<number> {
    let args: CliArgs;
    try {
        args = parseArgs(argv);
    } catch (error) {
        io.stderr(`error: ${errorText(error)}\n${USAGE}`);
        return EXIT_BAD_INPUT;
    }
    if (args.help) {
        io.stdout(USAGE);
        return EXIT_OK;
    }
    let current = args.stack;
    try {
        if (args.compareManaged) {
            current = "prod and dev in each observability mode";
            const modes = await planModes(runOptions, engine);
            io.stdout(args.json ? `${JSON.stringify(modes, null, 2)}\n` : renderModeComparison(modes));
            return EXIT_OK;
        }
        if (args.diff !== undefined) {
            const base = baseStackFile(runOptions.projectDir ?? findProjectDir(), args.stack, args.diff);
            const baseConfig = toShortKeys(base.file.config, base.file.project);
            const after = await engine(args.stack, runOptions);
            const before = await engine(args.stack, { ...runOptions, override: (config) => { for (const key of Object.keys(config)) delete config[key]; Object.assign(config, structuredClone(baseConfig)); } });
            // Volumes are read from the rendered releases of the config being left.
            await prerender(before.resources);
            const diff = diffRuns(args.stack, base.label, before.resources, after.resources);
            if (args.html !== undefined) writeHtml(args.html, { plans: [planRun(after, loadPriceTable(after.config.region))], diff }, io);
            io.stdout(args.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff));
            // An up would stop at each: Pulumi refuses the protected, the provider the duplicate name, an operator the lowered field.
            return diff.changes.some((c) => c.blocked || c.nameCollision || c.lowers) ? EXIT_MANDATORY_VIOLATION : EXIT_OK;
        }
        if (!args.compare) {
            const { run, plan } = await planStack(args.stack, runOptions, engine);
            if (args.sarif !== undefined) writeSarif(args.sarif, [plan], io);
            if (args.html !== undefined) writeHtml(args.html, { plans: [plan] }, io);
            io.stdout(args.json ? `${JSON.stringify(planJson(run, plan), null, 2)}\n` : renderPlan(plan));
            return exitFor([plan]);
        }
        const sides: Awaited<ReturnType<typeof planStack>>[] = [];
        for (const stack of args.compare) {
            current = stack;
            sides.push(await planStack(stack, runOptions, engine));
        }
        const [a, b] = sides.map(({ run, plan }) => ({ ...run, cost: plan.cost, pods: plan.pods, capacity: plan.capacity }));
        const comparison = compareStacks(a, b);
        const plans = sides.map((s) => s.plan);
        if (args.sarif !== undefined) writeSarif(args.sarif, plans, io);
        if (args.html !== undefined) writeHtml(args.html, { plans, comparison }, io);
        if (args.markdown !== undefined) {
            fs.mkdirSync(path.dirname(path.resolve(args.markdown)), { recursive: true });
            // Dev and prod also get the comparison of the observability modes (the original table's three-way one).
            const both = ["prod", "dev"].every((name) => args.compare!.includes(name));
            const modes = both ? await planModes(runOptions, engine) : undefined;
            fs.writeFileSync(args.markdown, renderComparisonMarkdown(comparison, plans, modes));
            // stderr, so that --json keeps stdout to the JSON document alone.
            io.stderr(`wrote ${args.markdown}\n`);
        }
        io.stdout(args.json ? `${JSON.stringify({ comparison, stacks: sides.map(({ run, plan }) => planJson(run, plan)) }, null, 2)}\n` : renderComparison(comparison, plans));
        return exitFor(plans);
    } catch (error) {
        io.stderr(`error: ${errorText(error, current)}\n`);
        return EXIT_BAD_INPUT;
    }
}

/**
 * The config `--diff` compares with: `ref` as a stack file when it is one, else the stack's file
 * at git revision `ref` (read with git in the project's folder).
 */
export function baseStackFile(projectDir: string, stack: string, ref: string): { label: string; file: StackFile } {
    const candidate = path.resolve(ref);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        return { label: ref, file: stackFileFromText(projectDir, stack, candidate, fs.readFileSync(candidate, "utf8")) };
    }
    const file = `Pulumi.${stack}.yaml`;
    let text: string;
    try {
        text = execFileSync("git", ["show", `${ref}:./${file}`], { cwd: projectDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        const reason = String((error as { stderr?: string }).stderr ?? "").trim().split("\n")[0];
        throw new StackFileError(`--diff ${ref}: neither a stack file nor a git revision that holds ${file}${reason ? ` (git: ${reason})` : ""}`);
    }
    return { label: `${ref}:${file}`, file: stackFileFromText(projectDir, stack, `${ref}:${file}`, text) };
}

/** Runs the CLI as this process: its arguments, its stdout and stderr, its exit status. */
export function runAsProcess(argv: readonly string[] = process.argv.slice(2)): void {
    // A reader that stops early (| head) closes the pipe: that ends the report, it is not a failure.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "EPIPE") throw error;
        process.exit(process.exitCode ?? 0);
    });
    main(argv).then((code) => {
        process.exitCode = code;
    });
}

if (require.main === module) runAsProcess();
