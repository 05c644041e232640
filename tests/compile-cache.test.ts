/**
 * The planner's V8 code cache (scripts/compile-cache.js): a module runs from cached code only while
 * it is the file that code was compiled from, and a cache that is missing, stale or broken only
 * costs a compile.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const cacheModule = path.join(__dirname, "..", "scripts", "compile-cache.js");

describe("the planner's code cache", () => {
    let project: string;
    let cacheFile: string;
    const write = (file: string, text: string) => fs.writeFileSync(path.join(project, file), text);
    /** A process that enables the cache for the project, loads main.js and prints what it returns, with what V8 was given. */
    const run = () => {
        const script = `const vm = require("vm"); const given = [];
            const Script = vm.Script; vm.Script = function (source, options) { const s = new Script(source, options); given.push([require("path").basename(options.filename), options.cachedData === undefined ? "compiled" : s.cachedDataRejected ? "refused" : "cached"]); return s; };
            require(${JSON.stringify(cacheModule)}).enableCompileCache(${JSON.stringify(cacheFile)}, ${JSON.stringify(project)});
            const value = require(${JSON.stringify(path.join(project, "main.js"))})();
            process.on("exit", () => console.log(JSON.stringify({ value, given })));`;
        return JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
    };

    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "compile-cache-"));
        cacheFile = path.join(project, ".cache", "planner.bin");
        write("main.js", "#!/usr/bin/env node\nconst { double } = require(\"./lib\");\nmodule.exports = () => [double(21), __filename.endsWith(\"main.js\"), typeof require.resolve(\"./lib\")];\n");
        write("lib.js", "\"use strict\";\nexports.double = (n) => n * 2;\n");
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    it("compiles a project's modules once and runs them from the cache after, with the same results", () => {
        expect(run()).to.deep.equal({ value: [42, true, "string"], given: [["main.js", "compiled"], ["lib.js", "compiled"]] });
        const written = fs.statSync(cacheFile).mtimeMs;
        expect(run()).to.deep.equal({ value: [42, true, "string"], given: [["main.js", "cached"], ["lib.js", "cached"]] });
        // Nothing compiled afresh, nothing written.
        expect(fs.statSync(cacheFile).mtimeMs).to.equal(written);
    });

    it("never runs a changed module from the code of its earlier text, and keeps the others cached", () => {
        run();
        write("lib.js", "\"use strict\";\nexports.double = (n) => n * 3;\n");
        expect(run()).to.deep.equal({ value: [63, true, "string"], given: [["main.js", "cached"], ["lib.js", "compiled"]] });
        expect(run().given).to.deep.equal([["main.js", "cached"], ["lib.js", "cached"]]);
    });

    it("compiles afresh, and rewrites, a cache that is broken or from another V8", () => {
        run();
        fs.writeFileSync(cacheFile, "not a cache");
        expect(run()).to.deep.equal({ value: [42, true, "string"], given: [["main.js", "compiled"], ["lib.js", "compiled"]] });
        // Code V8 did not write for these sources is refused by V8 itself.
        const raw = fs.readFileSync(cacheFile);
        const headerLength = raw.readUInt32LE(0);
        fs.writeFileSync(cacheFile, Buffer.concat([raw.subarray(0, 4 + headerLength), Buffer.alloc(raw.length - 4 - headerLength, 7)]));
        expect(run()).to.deep.equal({ value: [42, true, "string"], given: [["main.js", "refused"], ["lib.js", "refused"]] });
        expect(run().given).to.deep.equal([["main.js", "cached"], ["lib.js", "cached"]]);
    });
});
