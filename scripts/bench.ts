/**
 * `npm run bench [-- --runs N]`: times the compiled planner (`node dist/planner/cli.js --stack <s>`)
 * for each stack as a whole process, start-up included, over several runs, and prints the median
 * wall time and the peak resident memory against the targets (5 s, 500 MB per stack on 2 cores).
 * First it plans prod once with an empty render cache (every release rendered by Helm: the cold
 * plan of a fresh clone), then the timed runs reuse the cache (the warm plan of an unchanged stack).
 *
 * Wall time is measured here around each spawn. Peak memory is the kernel's maximum resident set
 * size of the planner process (getrusage's ru_maxrss): read from GNU `/usr/bin/time -v` where it
 * exists, else reported by the planner process itself through a preloaded probe (bench-probe.ts)
 * that writes process.resourceUsage().maxRSS when the process exits. Both are the same figure.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { listStacks, findProjectDir } from "../engine/stack-file";

const TARGET_SECONDS = 5;
const TARGET_MB = 500;
const GNU_TIME = "/usr/bin/time";
/** The planner's exit statuses that mean it ran: fine, or a mandatory policy violation to report. */
const PLANNER_RAN = new Set([0, 1]);

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

/** One run of the planner for `stack`, as a fresh process. */
function measure(cli: string, stack: string, gnuTime: boolean, env: NodeJS.ProcessEnv = {}): Measurement {
    const probeFile = path.join(os.tmpdir(), `planner-bench-${process.pid}.rss`);
    const command = gnuTime ? GNU_TIME : process.execPath;
    const args = gnuTime ? ["-v", process.execPath, cli, "--stack", stack] : ["--require", path.join(__dirname, "bench-probe.js"), cli, "--stack", stack];
    const started = performance.now();
    const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...env, PLANNER_BENCH_RSS_FILE: probeFile }, maxBuffer: 256 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    if (result.status === null || !PLANNER_RAN.has(result.status)) {
        throw new Error(`the planner failed for stack ${stack} (exit ${result.status}): ${result.stderr.trim().split("\n")[0]}`);
    }
    const rssKb = gnuTime ? parseGnuTimeRssKb(result.stderr) : Number(fs.readFileSync(probeFile, "utf8"));
    return { seconds, peakMb: (rssKb * 1024) / 1e6 };
}

function parseRuns(argv: readonly string[]): number {
    const at = argv.indexOf("--runs");
    const runs = at === -1 ? 5 : Number(argv[at + 1]);
    if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`--runs needs a whole number >= 1, got ${argv[at + 1]}`);
    return runs;
}

function main(): void {
    const runs = parseRuns(process.argv.slice(2));
    const cli = path.join(__dirname, "..", "planner", "cli.js");
    const gnuTime = hasGnuTime();
    console.log(`Planner benchmark: node ${process.version}, ${os.cpus().length} CPUs, ${runs} runs per stack; peak memory from ${gnuTime ? "/usr/bin/time -v" : "process.resourceUsage() in the planner"}`);
    const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), "render-cache-"));
    const cold = measure(cli, "prod", gnuTime, { RENDER_CACHE_DIR: emptyCache });
    fs.rmSync(emptyCache, { recursive: true, force: true });
    measure(cli, "prod", gnuTime);
    let warmProd = NaN;
    for (const stack of listStacks(findProjectDir())) {
        const measurements = Array.from({ length: runs }, () => measure(cli, stack, gnuTime));
        const seconds = median(measurements.map((m) => m.seconds));
        if (stack === "prod") warmProd = seconds;
        const peakMb = Math.max(...measurements.map((m) => m.peakMb));
        const verdict = seconds < TARGET_SECONDS && peakMb < TARGET_MB ? "within target" : "OVER TARGET";
        console.log(`  ${stack.padEnd(6)} median ${seconds.toFixed(2)} s (runs ${measurements.map((m) => m.seconds.toFixed(2)).join(", ")}), peak ${peakMb.toFixed(0)} MB: ${verdict} (${TARGET_SECONDS} s, ${TARGET_MB} MB)`);
    }
    console.log(`  prod cold (empty render cache: Helm renders every release) ${cold.seconds.toFixed(2)} s, peak ${cold.peakMb.toFixed(0)} MB; warm ${warmProd.toFixed(2)} s: cold/warm ${(cold.seconds / warmProd).toFixed(1)}x`);
}

if (require.main === module) main();
