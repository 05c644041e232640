import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));

// Started when mocha loads this file: npm takes seconds to start, and the suite runs meanwhile.
const npmRunPlanHelp = new Promise<{ error: Error | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "plan", "--", "--help"], { cwd: root, encoding: "utf8" }, (error, stdout, stderr) => resolve({ error, stdout, stderr }));
});

describe("npm", () => {
    for (const folder of [".", "policy"]) {
        it(`${folder === "." ? "the project" : "the policy pack"} has reviewed every install script its lockfile holds, so npm ci does not warn`, () => {
            const lock = readJson(path.join(folder, "package-lock.json"));
            const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
                .filter(([, entry]) => entry.hasInstallScript)
                .map(([location]) => location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length))
                .sort();
            expect(withScripts).not.to.be.empty;
            expect(Object.keys(readJson(path.join(folder, "package.json")).allowScripts ?? {}).sort()).to.deep.equal(withScripts);
        });
    }

    it("runs a script without its banner on stdout, so `npm run plan -- --json | jq` reads JSON alone", async function () {
        this.timeout(120_000);
        const { error, stdout, stderr } = await npmRunPlanHelp;
        expect(error, stderr).to.equal(null);
        expect(stdout).to.match(/^Usage: npm run plan/);
    });
});
