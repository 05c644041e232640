/**
 * The charts the project carries: each pinned chart whole under charts/vendor/<chart>/ (one pinned
 * version per chart; the folder is named for the chart alone so that a release's `chart` still ends
 * in the chart's name, which is how the policy pack recognises it),
 * and charts/lock.json recording where each came from and a digest of its tree. Releases install
 * from these folders and the renderer reads them, so what the tests render is what gets deployed.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as jsyaml from "js-yaml";
import * as path from "path";

/** One vendored chart as the lock file records it. */
export interface LockedChart {
    readonly chart: string;
    readonly version: string;
    readonly appVersion: string;
    /** The Helm repository that publishes this version. */
    readonly repo: string;
    /** The source repository, commit and folder the files were copied from. */
    readonly sourceRepo: string;
    readonly sourceCommit: string;
    readonly sourcePath: string;
    /** How the copy was made and where it differs from that commit (placeholders stamped at release, subchart sources). */
    readonly provenance: readonly string[];
    /** The vendored folder, relative to the project root. */
    readonly path: string;
    /** sha256 over every file's relative path and content, see {@link treeDigest}. */
    readonly digest: string;
}

export interface ChartLock {
    readonly charts: readonly LockedChart[];
}

export const LOCK_FILE = "charts/lock.json";
export const VENDOR_DIR = "charts/vendor";

let root: string | undefined;

/** The project root: the folder holding charts/lock.json, found upward (sources run from lib/, builds from dist/lib/). */
export function projectRoot(): string {
    if (root) return root;
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, LOCK_FILE))) return (root = dir);
        if (path.dirname(dir) === dir) throw new Error(`No ${LOCK_FILE} found above ${__dirname}`);
    }
}

export function readLock(dir = projectRoot()): ChartLock {
    return JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")) as ChartLock;
}

let checkoutLock: ChartLock | undefined;

/** This checkout's lock, read once per process: every release of every run looks its chart up. */
export function projectLock(): ChartLock {
    return (checkoutLock ??= readLock());
}

/** The folder a chart is vendored in, relative to the project root. */
export function vendorPath(chart: string): string {
    return `${VENDOR_DIR}/${chart}`;
}

/** The locked entry of a pinned chart, or undefined when the chart is not vendored. */
export function lockedChart(chart: string, version: string, lock = projectLock()): LockedChart | undefined {
    return lock.charts.find((c) => c.chart === chart && c.version === version);
}

/** Every regular file below `dir`, as sorted paths relative to it with forward slashes. */
export function listFiles(dir: string): string[] {
    const files: string[] = [];
    const walk = (sub: string) => {
        for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
            const rel = sub ? `${sub}/${entry.name}` : entry.name;
            if (entry.isDirectory()) walk(rel);
            else if (entry.isFile()) files.push(rel);
            else throw new Error(`${path.join(dir, rel)}: only regular files and folders can be vendored`);
        }
    };
    walk("");
    return files.sort();
}

/**
 * A digest of a chart folder: sha256 over "<path> <sha256 of content>" lines in path order, so it
 * changes with any file added, removed, renamed or edited, and not with timestamps or modes.
 */
export function treeDigest(dir: string): string {
    const lines = listFiles(dir).map((file) => `${file} ${crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, file))).digest("hex")}\n`);
    return `sha256:${crypto.createHash("sha256").update(lines.join("")).digest("hex")}`;
}

/** Where renders and other results derived from the vendored charts are kept; RENDER_CACHE_DIR moves it (the benchmark's cold run starts from an empty one). */
export function renderCacheDir(): string {
    return process.env.RENDER_CACHE_DIR || path.join(projectRoot(), ".cache", "renders");
}

const defaults = new Map<string, Record<string, any>>();

/**
 * A vendored chart's own values.yaml, parsed. The parse is kept beside the renders, keyed by the
 * chart's locked digest: a large values.yaml (tempo-distributed's) takes longer to parse than a
 * plan's whole policy evaluation, and it changes only with the chart.
 */
export function chartDefaults(chart: string): Record<string, any> {
    const known = defaults.get(chart);
    if (known) return known;
    const digest = projectLock().charts.find((c) => c.chart === chart)?.digest.replace(/^sha256:/, "");
    const cached = digest && path.join(renderCacheDir(), `values-${digest}.json`);
    let values: Record<string, any>;
    if (cached && fs.existsSync(cached)) values = JSON.parse(fs.readFileSync(cached, "utf8"));
    else {
        values = jsyaml.load(fs.readFileSync(path.join(projectRoot(), vendorPath(chart), "values.yaml"), "utf8")) as Record<string, any>;
        if (cached) {
            // Written aside and renamed, so that a concurrent run never reads half of it.
            fs.mkdirSync(path.dirname(cached), { recursive: true });
            const temporary = `${cached}.${process.pid}.tmp`;
            fs.writeFileSync(temporary, JSON.stringify(values));
            fs.renameSync(temporary, cached);
        }
    }
    defaults.set(chart, values);
    return values;
}
