/**
 * Derives lib/data/alb-controller-iam-policy.json, the IAM policy the AWS Load Balancer Controller
 * needs, from the policy its maintainers publish beside each release (docs/install/iam_policy.json
 * of kubernetes-sigs/aws-load-balancer-controller) at the tag of the pinned chart's appVersion.
 * Usage:
 *
 *   npx ts-node --transpile-only scripts/derive-alb-controller-policy.ts <git dir of the repository> [tag]
 *
 * The git directory is a clone (bare or not) of the upstream repository; the tag defaults to the
 * appVersion charts/lock.json records for the chart. The file keeps the document as published and
 * the provenance (repository, tag, commit, path, SHA-256 of the file); lib/alb.ts scopes
 * it to one cluster.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { readLock } from "../lib/helm/vendor";

const REPOSITORY = "https://github.com/kubernetes-sigs/aws-load-balancer-controller";
const FILE = "docs/install/iam_policy.json";

const gitDir = process.argv[2];
if (!gitDir) throw new Error("usage: derive-alb-controller-policy.ts <git dir of kubernetes-sigs/aws-load-balancer-controller> [tag]");
const tag = process.argv[3] ?? readLock().charts.find((c) => c.chart === "aws-load-balancer-controller")?.appVersion;
if (!tag) throw new Error("charts/lock.json has no aws-load-balancer-controller: vendor the chart first (npm run charts:sync)");
const git = (...args: string[]) => execFileSync("git", ["-C", gitDir, ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
const commit = git("rev-list", "-n", "1", tag).trim();
const text = git("show", `${commit}:${FILE}`);
const table = {
    about: "The IAM policy the AWS Load Balancer Controller's maintainers publish for this release, as published. Derived by scripts/derive-alb-controller-policy.ts; do not edit.",
    source: { repository: REPOSITORY, tag, commit, file: FILE, sha256: createHash("sha256").update(text).digest("hex") },
    policy: JSON.parse(text),
};
const output = path.join(__dirname, "..", "lib", "data", "alb-controller-iam-policy.json");
fs.writeFileSync(output, `${JSON.stringify(table, null, 2)}\n`);
process.stderr.write(`wrote ${path.relative(process.cwd(), output)}: ${table.policy.Statement.length} statements from ${FILE} @ ${tag} (${commit})\n`);
