import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

// scripts/build.js is plain JavaScript, so that `npm run plan` needs no compiler to decide whether to build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = require("../scripts/build.js") as { sourceFiles(): string[]; patternToRegExp(pattern: string): RegExp };

const root = path.join(__dirname, "..");

describe("the planner build (scripts/build.js)", () => {
    it("compiles exactly the files tsconfig.build.json names, as TypeScript reads it", () => {
        const { config } = ts.readConfigFile(path.join(root, "tsconfig.build.json"), ts.sys.readFile);
        const expected = ts.parseJsonConfigFileContent(config, ts.sys, root).fileNames.map((f) => path.relative(root, f)).sort();
        expect(build.sourceFiles()).to.deep.equal(expected);
    });

    it("reads the tsconfig pattern forms it supports, and refuses others", () => {
        expect(build.patternToRegExp("*.ts").test("index.ts")).to.equal(true);
        expect(build.patternToRegExp("*.ts").test("lib/cidr.ts")).to.equal(false);
        expect(build.patternToRegExp("lib/**/*.ts").test("lib/cidr.ts")).to.equal(true);
        expect(build.patternToRegExp("lib/**/*.ts").test("lib/a/b.ts")).to.equal(true);
        expect(build.patternToRegExp("tests/**").test("tests/support/stacks.ts")).to.equal(true);
        expect(build.patternToRegExp("policy/index.ts").test("policy/index.tsx")).to.equal(false);
        expect(() => build.patternToRegExp("lib/{a,b}.ts")).to.throw(/unsupported tsconfig pattern/);
    });

    it("rebuilds what changed, a source or the JSON it imports, and reads no unchanged source again, touched or not", () => {
        const project = fs.mkdtempSync(path.join(os.tmpdir(), "build-"));
        try {
            for (const file of ["scripts/build.js", "tsconfig.json", "tsconfig.build.json"]) {
                fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
                fs.copyFileSync(path.join(root, file), path.join(project, file));
            }
            fs.symlinkSync(path.join(root, "node_modules"), path.join(project, "node_modules"));
            const write = (file: string, text: string) => {
                fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
                fs.writeFileSync(path.join(project, file), text);
            };
            write("lib/limits.json", '{ "max": 3 }\n');
            write("lib/a.ts", 'import limits from "./limits.json";\nexport const a: number = limits.max;\n');
            write("lib/b.ts", "export const b: string = \"one\";\n");
            // A build, with each source read (and so transpiled) logged.
            const build = () => {
                const script = `const fs = require("fs"); const read = fs.readFileSync; const seen = [];
                    fs.readFileSync = function (file, ...rest) { if (String(file).endsWith(".ts")) seen.push(require("path").relative(process.cwd(), String(file))); return read.call(this, file, ...rest); };
                    require("./scripts/build.js").build(); console.log(JSON.stringify(seen.sort()));`;
                return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" }));
            };
            const output = (file: string) => fs.readFileSync(path.join(project, "dist", file), "utf8");

            expect(build()).to.deep.equal(["lib/a.ts", "lib/b.ts"]);
            expect(build()).to.deep.equal([]);
            // Touched, not changed: read once more to learn so, then never again.
            const later = new Date(Date.now() + 60_000);
            fs.utimesSync(path.join(project, "lib/b.ts"), later, later);
            const before = fs.statSync(path.join(project, "dist/lib/b.js")).mtimeMs;
            expect(build()).to.deep.equal(["lib/b.ts"]);
            expect(fs.statSync(path.join(project, "dist/lib/b.js")).mtimeMs).to.equal(before);
            expect(build()).to.deep.equal([]);
            // A changed source, and a changed JSON import, are rebuilt.
            write("lib/b.ts", "export const b: string = \"two\";\n");
            write("lib/limits.json", '{ "max": 4 }\n');
            expect(build()).to.deep.equal(["lib/a.ts", "lib/b.ts"]);
            expect(output("lib/b.js")).to.include('"two"');
            expect(output("lib/limits.json")).to.equal('{ "max": 4 }\n');
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});
