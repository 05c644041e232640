/**
 * The type-check, as part of `npm test`: tsc starts when mocha loads this file, before any test
 * runs, and checks the project on the second core while the suite runs on the first. In build mode
 * with its build info in node_modules/.cache (tsconfig.json): when no source is newer than the last
 * clean check, tsc skips the check in about a second; otherwise it re-checks what changed. `npm run
 * typecheck` runs the same check alone.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import * as path from "path";

const root = path.join(__dirname, "..");

const typecheck = new Promise<{ code: number | null; output: string }>((resolve) => {
    const tsc = spawn(process.execPath, [require.resolve("typescript/bin/tsc"), "--build", "--noEmit"], { cwd: root });
    let output = "";
    tsc.stdout.on("data", (chunk) => { output += chunk; });
    tsc.stderr.on("data", (chunk) => { output += chunk; });
    tsc.on("close", (code) => resolve({ code, output }));
});

describe("types", () => {
    it("check: tsc --build --noEmit over the whole project reports nothing", async function () {
        this.timeout(10 * 60_000);
        const { code, output } = await typecheck;
        expect(output.trim(), "tsc found type errors").to.equal("");
        expect(code).to.equal(0);
    });
});
