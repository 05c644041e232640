import { expect } from "chai";
import { execFile } from "child_process";
import * as path from "path";

const root = path.join(__dirname, "..");

/** Runs `script` in a fresh node process (TypeScript through Sucrase) and returns what it prints as JSON. */
function inFreshProcess(script: string): Promise<any> {
    return new Promise((resolve, reject) => {
        execFile(process.execPath, ["-r", "sucrase/register/ts", "-e", script], { cwd: root, encoding: "utf8" }, (error, stdout, stderr) => {
            if (error) reject(new Error(`${error.message}\n${stderr}`));
            else resolve(JSON.parse(stdout));
        });
    });
}

const LOADED = `const loaded = (name) => Object.keys(require.cache).some((f) => f.includes("/node_modules/" + name + "/"));`;

// Started when mocha loads this file, so that the child's SDK load overlaps the suite.
const startup = inFreshProcess(`${LOADED}
    require("./planner/startup");
    const pulumi = require("@pulumi/pulumi");
    require("@pulumi/aws"); require("@pulumi/kubernetes");
    const before = { typescript: loaded("typescript"), arborist: loaded("@npmcli/arborist") };
    const ts = require("@pulumi/pulumi/typescript-shim");
    const parsed = ts.createSourceFile("f.ts", "const x = 1;", ts.ScriptTarget.Latest).statements.length;
    const codePaths = typeof pulumi.runtime.computeCodePaths;
    console.log(JSON.stringify({ before, after: { typescript: loaded("typescript") }, parsed, codePaths }));`);
startup.catch(() => undefined);

describe("planner start-up", () => {
    it("loads the Pulumi SDK without the TypeScript compiler or npm's Arborist, and still gives both on first use", async function () {
        this.timeout(60_000);
        expect(await startup).to.deep.equal({ before: { typescript: false, arborist: false }, after: { typescript: true }, parsed: 1, codePaths: "function" });
    });
});
