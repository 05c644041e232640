/**
 * Copies the pinned charts from the shared chart collection (../shared/charts by default, or the
 * folder given as the first argument) into charts/vendor/ and rewrites charts/lock.json.
 *
 *   npm run charts:sync [-- <charts folder>]
 *
 * Each chart of components/helm/catalog.ts is copied whole from <collection>/<dir>/<version>/chart/,
 * with its provenance (source repository, commit, folder and recorded provenance) read from the
 * collection's SOURCE.txt. A pinned chart with no chart/ there is listed under `missing`; folders
 * of charts no longer pinned are removed.
 */
import * as fs from "fs";
import * as path from "path";
import { CHARTS } from "../components/helm/catalog";
import { ChartLock, LOCK_FILE, LockedChart, MissingChart, VENDOR_DIR, listFiles, treeDigest, vendorPath } from "../lib/helm/vendor";

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

function sync(): ChartLock {
    if (!fs.existsSync(collection)) throw new Error(`No chart collection at ${collection}: pass its folder as the first argument`);
    const charts: LockedChart[] = [];
    const missing: MissingChart[] = [];
    for (const { chart, version, repo } of Object.values(CHARTS)) {
        const base = path.join(collection, COLLECTION_DIR[chart] ?? chart, version);
        const source = path.join(base, "chart");
        const target = path.join(root, vendorPath(chart));
        fs.rmSync(target, { recursive: true, force: true });
        if (!fs.existsSync(source)) {
            missing.push({ chart, version, reason: `the collection has no chart/ for ${chart} ${version} (${path.relative(collection, base)})` });
            continue;
        }
        for (const file of listFiles(source)) {
            fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
            fs.copyFileSync(path.join(source, file), path.join(target, file));
        }
        const { fields, provenance } = readSource(path.join(base, "SOURCE.txt"));
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
    const lock: ChartLock = { charts: charts.sort((a, b) => a.chart.localeCompare(b.chart)), missing };
    fs.writeFileSync(path.join(root, LOCK_FILE), `${JSON.stringify(lock, undefined, 2)}\n`);
    return lock;
}

const lock = sync();
for (const c of lock.charts) console.log(`${c.chart} ${c.version}: ${c.digest}`);
for (const m of lock.missing) console.log(`${m.chart} ${m.version}: not vendored (${m.reason})`);
