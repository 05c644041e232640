/**
 * `npm run bench [-- --runs N]`: how fast the offline planner is, as ratios that hold on any
 * machine, each figure a median over N runs (default 5):
 *
 * - floor: a node process that only loads @pulumi/pulumi, @pulumi/aws and @pulumi/kubernetes;
 * - warm: `npm run plan -- --stack prod` as a whole process, npm included, on an unchanged build
 *   (dist/, the renders and the planner's V8 code cache as a first plan left them); reported as a
 *   ratio to the floor (target: within 1.6 times it), and, for information, without the code cache
 *   (PLANNER_COMPILE_CACHE=off), which the floor does not have either;
 * - cold: the same command with no build yet (dist/ removed), an empty render cache (Helm renders
 *   every release) and no code cache, as right after `npm ci` on a fresh clone (target: under 10 s);
 * - scaling: the program evaluated in this process at prod size and with the platform declared
 *   four times over, as time per resource (target: linear, a ratio near 1);
 * - each stack's compiled planner with its peak memory (target: under 5 s and 500 MB).
 *
 * Peak memory is the kernel's maximum resident set size of the planner process (getrusage's
 * ru_maxrss): read from GNU `/usr/bin/time -v` where it exists, else reported by the planner
 * process itself through a preloaded probe (bench-probe.ts) that writes
 * process.resourceUsage().maxRSS when the process exits. Both are the same figure.
 */
import "../planner/startup";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { listStacks, findProjectDir } from "../engine/stack-file";
import { runStack } from "../engine/run";
import { createPlatform } from "../platform";

const TARGET_SECONDS = 5;
const TARGET_MB = 500;
const TARGET_WARM_RATIO = 1.6;
const TARGET_COLD_SECONDS = 10;
const SCALE = 4;
const GNU_TIME = "/usr/bin/time";
/** The planner's exit statuses that mean it ran: fine, or a mandatory policy violation to report. */
const PLANNER_RAN = new Set([0, 1]);
const LOAD_SDKS = 'require("@pulumi/pulumi"); require("@pulumi/aws"); require("@pulumi/kubernetes");';

interface Measurement {
    readonly seconds: number;
    /** Peak resident set size in MB (10^6 bytes). */
    readonly peakMb: number;
}

/** GNU time -v reports the peak in kilobytes (KiB) on a line of its own. */
function parseGnuTimeRssKb(report: string): number {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    if (!match) throw new Error(`no "Maximum resident set size" in /usr/bin/time output:\n${report}`);
    return Number(match[1]);
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** GNU time's -v flag is what distinguishes it from the BSD time on macOS, which lacks it. */
function hasGnuTime(): boolean {
    return fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ["-v", "true"], { encoding: "utf8" }).status === 0;
}

interface ProcessTime {
    /** Wall time, start-up included. */
    readonly seconds: number;
    /** User plus system CPU time of the process and its children (GNU time); NaN without it. */
    readonly cpuSeconds: number;
}

/**
 * One process, timed; fails unless it exits with one of `ok`. CPU time, read through GNU time,
 * is what a busy machine distorts least: other processes lengthen the wall time, not the CPU time.
 */
function timeProcess(command: string, args: readonly string[], ok: ReadonlySet<number>, cwd: string, gnuTime: boolean, env: NodeJS.ProcessEnv = {}): ProcessTime {
    const cpuFile = path.join(os.tmpdir(), `planner-bench-${process.pid}.cpu`);
    const [file, argv] = gnuTime ? [GNU_TIME, ["-o", cpuFile, "-f", "%U %S", command, ...args]] : [command, [...args]];
    const started = performance.now();
    const result = spawnSync(file, argv, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });
    const seconds = (performance.now() - started) / 1000;
    if (result.status === null || !ok.has(result.status)) {
        throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}): ${result.stderr.trim().split("\n")[0]}`);
    }
    const cpuSeconds = gnuTime ? fs.readFileSync(cpuFile, "utf8").trim().split(/\s+/).slice(-2).map(Number).reduce((a, b) => a + b, 0) : NaN;
    return { seconds, cpuSeconds };
}

/** One run of the compiled planner for `stack`, as a fresh process, with its peak memory. */
function measure(cli: string, stack: string, gnuTime: boolean): Measurement {
    const probeFile = path.join(os.tmpdir(), `planner-bench-${process.pid}.rss`);
    const command = gnuTime ? GNU_TIME : process.execPath;
    const args = gnuTime ? ["-v", process.execPath, cli, "--stack", stack] : ["--require", path.join(__dirname, "bench-probe.js"), cli, "--stack", stack];
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, PLANNER_BENCH_RSS_FILE: probeFile }, maxBuffer: 256 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    if (result.status === null || !PLANNER_RAN.has(result.status)) {
        throw new Error(`the planner failed for stack ${stack} (exit ${result.status}): ${result.stderr.trim().split("\n")[0]}`);
    }
    const rssKb = gnuTime ? parseGnuTimeRssKb(result.stderr) : Number(fs.readFileSync(probeFile, "utf8"));
    return { seconds, peakMb: (rssKb * 1024) / 1e6 };
}

/** Seconds per declared resource of one in-process run of prod with the platform declared `copies` times. */
async function evaluationSecondsPerResource(copies: number): Promise<number> {
    const program: typeof createPlatform = async (config) => {
        const platforms = Array.from({ length: copies }, (_, i) => createPlatform(i === 0 ? config : { ...config, cluster: { ...config.cluster, name: `${config.cluster.name}-${i}` } }));
        return (await Promise.all(platforms))[0];
    };
    const started = performance.now();
    const run = await runStack("prod", { program });
    return (performance.now() - started) / 1000 / run.resources.length;
}

function parseRuns(argv: readonly string[]): number {
    const at = argv.indexOf("--runs");
    const runs = at === -1 ? 5 : Number(argv[at + 1]);
    if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number >= 1, got ${argv[at + 1]}`);
    return runs;
}

const verdict = (ok: boolean) => (ok ? "within target" : "OVER TARGET");
const list = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(", ");

async function main(): Promise<void> {
    const runs = parseRuns(process.argv.slice(2));
    const projectDir = findProjectDir();
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const gnuTime = hasGnuTime();
    console.log(`Planner benchmark: node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}, ${runs} runs each`);

    // A plan first, untimed: it leaves the build, the renders and the code cache as a warm plan finds them.
    timeProcess(npm, ["run", "plan", "--", "--stack", "prod"], PLANNER_RAN, projectDir, gnuTime);
    // Interleaved, so that a change in the machine's load affects all sides alike.
    const floor: ProcessTime[] = [];
    const warm: ProcessTime[] = [];
    const uncached: ProcessTime[] = [];
    for (let i = 0; i < runs; i++) {
        floor.push(timeProcess(process.execPath, ["-e", LOAD_SDKS], new Set([0]), projectDir, gnuTime));
        warm.push(timeProcess(npm, ["run", "plan", "--", "--stack", "prod"], PLANNER_RAN, projectDir, gnuTime));
        uncached.push(timeProcess(npm, ["run", "plan", "--", "--stack", "prod"], PLANNER_RAN, projectDir, gnuTime, { PLANNER_COMPILE_CACHE: "off" }));
    }
    const wall = (times: readonly ProcessTime[]) => median(times.map((t) => t.seconds));
    const cpu = (times: readonly ProcessTime[]) => median(times.map((t) => t.cpuSeconds));
    const ratio = wall(warm) / wall(floor);
    const cpuNote = (times: readonly ProcessTime[], of?: readonly ProcessTime[]) =>
        (gnuTime ? `; CPU ${cpu(times).toFixed(2)} s${of ? `, ${(cpu(times) / cpu(of)).toFixed(2)}x the floor's` : ""}` : "");
    console.log(`  floor  node loading the three Pulumi SDKs: median ${wall(floor).toFixed(2)} s (runs ${list(floor.map((t) => t.seconds))})${cpuNote(floor)}`);
    console.log(`  warm   npm run plan -- --stack prod: median ${wall(warm).toFixed(2)} s (runs ${list(warm.map((t) => t.seconds))}), ${ratio.toFixed(2)}x the floor${cpuNote(warm, floor)}: ${verdict(ratio <= TARGET_WARM_RATIO)} (${TARGET_WARM_RATIO}x)`);
    console.log(`         without its code cache: median ${wall(uncached).toFixed(2)} s (runs ${list(uncached.map((t) => t.seconds))}), ${(wall(uncached) / wall(floor)).toFixed(2)}x the floor${cpuNote(uncached, floor)}`);

    const cold: ProcessTime[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
        fs.rmSync(path.join(projectDir, "dist"), { recursive: true, force: true });
        const emptyRenderCache = fs.mkdtempSync(path.join(os.tmpdir(), "render-cache-"));
        const emptyCodeCache = fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-"));
        cold.push(timeProcess(npm, ["run", "plan", "--", "--stack", "prod"], PLANNER_RAN, projectDir, gnuTime, { RENDER_CACHE_DIR: emptyRenderCache, PLANNER_COMPILE_CACHE_DIR: emptyCodeCache }));
        fs.rmSync(emptyRenderCache, { recursive: true, force: true });
        fs.rmSync(emptyCodeCache, { recursive: true, force: true });
    }
    console.log(`  cold   the same with no build, no renders and no code cache yet: median ${wall(cold).toFixed(2)} s (runs ${list(cold.map((t) => t.seconds))})${cpuNote(cold)}: ${verdict(wall(cold) < TARGET_COLD_SECONDS)} (${TARGET_COLD_SECONDS} s)`);

    // Warm-up: the JIT, the lazily loaded SDK modules, and the renders of both sizes' releases.
    await evaluationSecondsPerResource(1);
    await evaluationSecondsPerResource(SCALE);
    const single: number[] = [];
    const scaled: number[] = [];
    for (let i = 0; i < runs; i++) {
        single.push(await evaluationSecondsPerResource(1));
        scaled.push(await evaluationSecondsPerResource(SCALE));
    }
    const growth = median(scaled) / median(single);
    console.log(`  scale  program evaluation per resource, ${SCALE}x the resources vs prod: ${growth.toFixed(2)}x (${(median(single) * 1000).toFixed(2)} vs ${(median(scaled) * 1000).toFixed(2)} ms): ${verdict(growth <= 1.25)} (linear)`);

    const cli = path.join(__dirname, "..", "planner", "cli.js");
    console.log(`  stacks compiled planner, peak memory from ${gnuTime ? "/usr/bin/time -v" : "process.resourceUsage() in the planner"}:`);
    for (const stack of listStacks(projectDir)) {
        const measurements = Array.from({ length: runs }, () => measure(cli, stack, gnuTime));
        const seconds = median(measurements.map((m) => m.seconds));
        const peakMb = Math.max(...measurements.map((m) => m.peakMb));
        console.log(`    ${stack.padEnd(8)} median ${seconds.toFixed(2)} s (runs ${list(measurements.map((m) => m.seconds))}), peak ${peakMb.toFixed(0)} MB: ${verdict(seconds < TARGET_SECONDS && peakMb < TARGET_MB)} (${TARGET_SECONDS} s, ${TARGET_MB} MB)`);
    }
}

if (require.main === module) {
    main().catch((error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
    });
}
