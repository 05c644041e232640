import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CHARTS } from "../components/helm/catalog";
import { chartLocation } from "../components/helm/release";
import { VENDOR_DIR, projectRoot, readLock, treeDigest, vendorPath } from "../lib/helm/vendor";

describe("vendored charts", () => {
    const lock = readLock();
    const root = projectRoot();

    it("lock every pinned chart of the catalog, each vendored, and nothing else: no chart is left to a repository", () => {
        const pinned = Object.values(CHARTS).map((c) => `${c.chart}@${c.version} ${c.repo}`).sort();
        expect(lock.charts.map((c) => `${c.chart}@${c.version} ${c.repo}`).sort()).to.deep.equal(pinned);
        expect(Object.keys(lock)).to.deep.equal(["charts"]);
    });

    it("refuse to install a pinned chart that is not vendored", () => {
        expect(() => chartLocation({ ...CHARTS.mimir, version: "6.1.0" })).to.throw("Chart mimir-distributed 6.1.0 is not vendored (charts/lock.json): run npm run charts:sync");
        expect(chartLocation(CHARTS.mimir)).to.deep.equal({ chart: "./charts/vendor/mimir-distributed" });
    });

    it("hold exactly the tree the lock's digest names, in the folder it names", () => {
        for (const c of lock.charts) {
            expect(c.path, c.chart).to.equal(vendorPath(c.chart));
            expect(treeDigest(path.join(root, c.path)), `${c.chart} ${c.version}: re-run npm run charts:sync`).to.equal(c.digest);
        }
        expect(fs.readdirSync(path.join(root, VENDOR_DIR)).sort()).to.deep.equal(lock.charts.map((c) => path.basename(c.path)).sort());
    });

    it("are the chart and version their Chart.yaml declares, with provenance down to a commit", () => {
        for (const c of lock.charts) {
            const chartYaml = fs.readFileSync(path.join(root, c.path, "Chart.yaml"), "utf8");
            expect(/^name:\s*(\S+)/m.exec(chartYaml)?.[1], c.path).to.equal(c.chart);
            expect(/^version:\s*"?([^"\s]+)/m.exec(chartYaml)?.[1], c.path).to.equal(c.version);
            expect(c.sourceCommit, c.chart).to.match(/^[0-9a-f]{40}$/);
            expect(c.sourceRepo, c.chart).to.match(/^https:\/\/github\.com\//);
        }
    });

    it("change the digest when any file is added, edited or removed", () => {
        const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "tree-"));
        fs.writeFileSync(path.join(dir, "a.yaml"), "a: 1\n");
        const one = treeDigest(dir);
        fs.writeFileSync(path.join(dir, "a.yaml"), "a: 2\n");
        const edited = treeDigest(dir);
        fs.mkdirSync(path.join(dir, "t"));
        fs.writeFileSync(path.join(dir, "t", "b.yaml"), "");
        const added = treeDigest(dir);
        fs.renameSync(path.join(dir, "t", "b.yaml"), path.join(dir, "t", "c.yaml"));
        const renamed = treeDigest(dir);
        expect(new Set([one, edited, added, renamed]).size).to.equal(4);
        fs.rmSync(dir, { recursive: true });
    });
});
