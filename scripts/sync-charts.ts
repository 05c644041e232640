/**
 * Copies the pinned charts from the shared chart collection (../shared/charts by default, or the
 * folder given as the first argument) into charts/vendor/ and rewrites charts/lock.json.
 *
 *   npm run charts:sync [-- <charts folder>]
 *
 * Each chart of components/helm/catalog.ts is copied whole from <collection>/<dir>/<version>/chart/,
 * with its provenance (source repository, commit, folder and recorded provenance) read from the
 * collection's SOURCE.txt, or, where the chart was rebuilt rather than archived from one commit
 * (mimir-distributed 6.2.0), from the SOURCE.md beside it that names the commit and lists every edit.
 * A pinned chart with no chart/ there stops the sync: releases install only from charts/vendor/.
 * Folders of charts no longer pinned are removed.
 */
import * as fs from "fs";
import * as path from "path";
import { CHARTS } from "../components/helm/catalog";
import { ChartLock, LOCK_FILE, LockedChart, VENDOR_DIR, listFiles, treeDigest, vendorPath } from "../lib/helm/vendor";

const root = path.join(__dirname, "..");
const collection = path.resolve(process.argv[2] ?? path.join(root, "..", "shared", "charts"));

/** The collection names Istio's base and cni charts by their release names. */
const COLLECTION_DIR: Readonly<Record<string, string>> = { base: "istio-base", cni: "istio-cni" };

/** The "key: value" lines of a SOURCE.txt, and its "chart/..." lines: how the copy was made and where it differs. */
function readSource(file: string): { fields: Record<string, string>; provenance: string[] } {
    const fields: Record<string, string> = {};
    const provenance: string[] = [];
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        if (line.startsWith("chart/")) {
            if (!/: none\b/.test(line)) provenance.push(line);
            continue;
        }
        const field = /^([A-Za-z]+): (.*)$/.exec(line);
        if (field && !(field[1] in fields)) fields[field[1]] = field[2].trim();
    }
    return { fields, provenance };
}

/**
 * The provenance a SOURCE.md gives in its bullets ("- **Commit:** `<sha>`", "- **Path:** ...",
 * "- **Source repo:** <url>"), its numbered edits and its vendored dependencies, as lock lines.
 */
function readSourceNotes(file: string): { fields: Record<string, string>; provenance: string[] } {
    const fields: Record<string, string> = {};
    const provenance: string[] = [];
    let section = "";
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        if (line.startsWith("## ")) section = line.slice(3).trim();
        const bullet = /^- \*\*([A-Za-z ]+):\*\* (.*)$/.exec(line);
        if (bullet && section === "") {
            const value = bullet[2];
            if (bullet[1] === "Commit") fields.commit = /`([0-9a-f]{40})`/.exec(value)?.[1] ?? "";
            if (bullet[1] === "Path") fields.path = /`([^`]+)`/.exec(value)?.[1] ?? "";
            if (bullet[1] === "Source repo") fields.sourceRepo = /(https:\/\/github\.com\/[\w.-]+\/[\w-]+(?:\.[\w-]+)*)/.exec(value)?.[1]?.replace(/\.$/, "") ?? "";
        }
        const edit = /^\d+\. (.*)$/.exec(line);
        if (edit && section.startsWith("Edits")) provenance.push(`chart/ edit: ${edit[1]}`);
        const dependency = /^- `([\w-]+)` ([\d.]+): (.*)$/.exec(line);
        if (dependency && section.startsWith("Vendored dependencies")) provenance.push(`chart/charts/${dependency[1]}: ${dependency[2]} ${dependency[3]}`);
    }
    for (const key of ["commit", "path", "sourceRepo"]) {
        if (!fields[key]) throw new Error(`${file}: no ${key} in its opening bullets`);
    }
    return { fields, provenance };
}

/**
 * Files a collection's chart/ may hold that are no part of the chart: the backups `patch` leaves
 * (`values.yaml.orig`, the unedited file an edit was applied to). Each one left out is a lock line.
 */
const NOT_CHART_FILES = /\.orig$/;

function sync(): ChartLock {
    if (!fs.existsSync(collection)) throw new Error(`No chart collection at ${collection}: pass its folder as the first argument`);
    const charts: LockedChart[] = [];
    for (const { chart, version, repo } of Object.values(CHARTS)) {
        const base = path.join(collection, COLLECTION_DIR[chart] ?? chart, version);
        const source = path.join(base, "chart");
        const target = path.join(root, vendorPath(chart));
        if (!fs.existsSync(source)) throw new Error(`${chart} ${version}: the collection has no chart/ (${path.relative(collection, base)}); releases install only from charts/vendor/, so every pinned chart must be vendored`);
        fs.rmSync(target, { recursive: true, force: true });
        const leftOut = listFiles(source).filter((file) => NOT_CHART_FILES.test(file));
        for (const file of listFiles(source).filter((f) => !leftOut.includes(f))) {
            fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
            fs.copyFileSync(path.join(source, file), path.join(target, file));
        }
        const txt = readSource(path.join(base, "SOURCE.txt"));
        const notes = txt.fields.commit ? undefined : readSourceNotes(path.join(base, "SOURCE.md"));
        const fields = { ...txt.fields, ...notes?.fields };
        const provenance = [...txt.provenance, ...(notes?.provenance ?? []), ...leftOut.map((file) => `chart/${file}: left out (a backup that patching an edit leaves, not part of the chart)`)];
        if (fields.helmRepo !== repo) throw new Error(`${chart} ${version}: the catalog pins repository ${repo}, the collection says ${fields.helmRepo}`);
        charts.push({
            chart,
            version,
            appVersion: fields.appVersion,
            repo,
            sourceRepo: fields.sourceRepo,
            sourceCommit: fields.commit,
            sourcePath: fields.path,
            provenance,
            path: vendorPath(chart),
            digest: treeDigest(target),
        });
    }
    const pinned = new Set(charts.map((c) => path.basename(c.path)));
    for (const entry of fs.existsSync(path.join(root, VENDOR_DIR)) ? fs.readdirSync(path.join(root, VENDOR_DIR)) : []) {
        if (!pinned.has(entry)) fs.rmSync(path.join(root, VENDOR_DIR, entry), { recursive: true, force: true });
    }
    const lock: ChartLock = { charts: charts.sort((a, b) => a.chart.localeCompare(b.chart)) };
    fs.writeFileSync(path.join(root, LOCK_FILE), `${JSON.stringify(lock, undefined, 2)}\n`);
    return lock;
}

const lock = sync();
for (const c of lock.charts) console.log(`${c.chart} ${c.version}: ${c.digest}`);
