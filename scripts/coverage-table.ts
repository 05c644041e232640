/**
 * Writes the coverage section of policy/README.md (between its coverage markers) from the rules'
 * `anchors`, the exclusions and the types dev and prod declare (policy/coverage.ts). Usage:
 *
 *   npm run coverage-table
 *
 * tests/policy/coverage.test.ts fails while the committed section differs from what this writes.
 */
import * as fs from "fs";
import * as path from "path";
import { runStack } from "../engine/run";
import { COVERAGE_BEGIN, COVERAGE_END, renderCoverage, replaceCoverage } from "../policy/coverage";
import { allPolicies } from "../policy/policies";

const README = path.join(__dirname, "..", "policy", "README.md");

(async () => {
    const declared = new Set<string>();
    for (const name of ["dev", "prod"]) for (const resource of (await runStack(name)).resources) declared.add(resource.type);
    const readme = fs.readFileSync(README, "utf8");
    fs.writeFileSync(README, replaceCoverage(readme, renderCoverage(declared, allPolicies)));
    console.log(`${path.relative(process.cwd(), README)}: coverage section between ${COVERAGE_BEGIN} and ${COVERAGE_END} rewritten`);
})().catch((error) => {
    console.error(error);
    process.exit(1);
});
