/**
 * Derives lib/data/burstable-credits.json, every burstable instance type's vCPUs and CPU credits
 * earned an hour (its baseline), from the credit table in the markdown source of AWS's EC2 user
 * guide. Usage:
 *
 *   npm run burstable-credits -- <awsdocs/amazon-ec2-user-guide git directory> [commit]
 *
 * The repository was archived in 2023 (its last commit deletes the content), so the default commit
 * is the last one that changed the table's file. The script checks the vCPUs against
 * lib/data/instance-types.json and that every current T2, T3, T3a and T4g type is listed.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { deriveBurstableCredits, deriveDefaultModes } from "../lib/burstable";
import { findInstanceType, INSTANCE_TYPE_NAMES } from "../lib/instance-types";

const FILE = "doc_source/burstable-credits-baseline-concepts.md";
const [gitDir, ref] = process.argv.slice(2);
if (!gitDir) throw new Error("usage: npm run burstable-credits -- <awsdocs/amazon-ec2-user-guide git directory> [commit]");
const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const commit = ref ? git("rev-parse", `${ref}^{commit}`).trim() : git("log", "-1", "--format=%H", "HEAD^", "--", FILE).trim();
const commitDate = git("show", "-s", "--format=%cI", commit).trim();
const markdown = git("show", `${commit}:${FILE}`);
const types = deriveBurstableCredits(markdown);
const defaultModes = deriveDefaultModes(markdown);
const families = ["t2", "t3", "t3a", "t4g"];
const current = INSTANCE_TYPE_NAMES.filter((t) => families.includes(t.split(".")[0]));
const problems = [
    ...families.filter((f) => !Object.hasOwn(defaultModes, f)).map((f) => `${f}: no default credit mode in the table`),
    ...current.filter((t) => !Object.hasOwn(types, t)).map((t) => `${t} is a current type the table does not list`),
    ...Object.entries(types).filter(([t, f]) => findInstanceType(t)?.vcpus !== f.vcpus).map(([t, f]) => `${t}: ${f.vcpus} vCPUs in the table, ${findInstanceType(t)?.vcpus} in lib/data/instance-types.json`),
];
if (problems.length > 0) throw new Error(problems.join("\n"));
const table = {
    about: "Each burstable EC2 type's vCPUs and the CPU credits it earns an hour (its baseline: credits / 60 vCPUs), and the credit mode each family launches in when none is set. Derived by scripts/derive-burstable-credits.ts; do not edit.",
    source: { repository: "awsdocs/amazon-ec2-user-guide", commit, commitDate, file: FILE, retrieved: new Date().toISOString().slice(0, 10) },
    defaultModes,
    types,
};
const rows = Object.entries(types).map(([t, f]) => `    ${JSON.stringify(t)}: ${JSON.stringify(f)}`).join(",\n");
const output = path.join(__dirname, "..", "lib", "data", "burstable-credits.json");
fs.writeFileSync(output, JSON.stringify({ ...table, types: {} }, null, 2).replace(/"types": \{\}/, `"types": {\n${rows}\n  }`) + "\n");
process.stderr.write(`wrote ${path.relative(process.cwd(), output)}: ${Object.keys(types).length} burstable types from ${FILE} at ${commit} (${commitDate})\n`);
