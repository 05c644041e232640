import { expect } from "chai";
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
});
