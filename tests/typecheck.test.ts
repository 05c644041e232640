/**
 * The type-check, as part of `npm test`: tsc starts when mocha loads this file, before any test
 * runs, and checks the project on the second core while the suite runs on the first. In build mode
 * with its build info in node_modules/.cache (tsconfig.json): when no source is newer than the last
 * clean check, tsc skips the check in about a second; otherwise it re-checks what changed. `npm run
 * typecheck` runs the same check alone.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const root = path.join(__dirname, "..");

/** Where tsc keeps its build info, as tsconfig.json says. */
function buildInfoFile(): string {
    const { config } = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
    return path.resolve(root, config.compilerOptions.tsBuildInfoFile);
}

const started = new Date();
const typecheck = new Promise<{ code: number | null; output: string }>((resolve) => {
    const tsc = spawn(process.execPath, [require.resolve("typescript/bin/tsc"), "--build", "--noEmit"], { cwd: root });
    let output = "";
    tsc.stdout.on("data", (chunk) => { output += chunk; });
    tsc.stderr.on("data", (chunk) => { output += chunk; });
    tsc.on("close", (code) => resolve({ code, output }));
}).then((result) => {
    // With --noEmit, tsc rewrites its build info only when the check's result changed: after a clean
    // re-check of unchanged sources (a checkout or a touch makes tsconfig.json or a source newer), the
    // old file stays older than them and every later run re-checks the whole project (~9 s of CPU).
    // Dated to when this check started, it is newer only than what this check has seen.
    if (result.code === 0 && result.output.trim() === "") {
        const info = buildInfoFile();
        if (fs.existsSync(info) && fs.statSync(info).mtime < started) fs.utimesSync(info, started, started);
    }
    return result;
});

describe("types", () => {
    it("check: tsc --build --noEmit over the whole project reports nothing", async function () {
        this.timeout(10 * 60_000);
        const { code, output } = await typecheck;
        expect(output.trim(), "tsc found type errors").to.equal("");
        expect(code).to.equal(0);
    });
});
