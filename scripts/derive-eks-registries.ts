/**
 * Derives lib/data/eks-addon-registries.json, the account of the ECR registry EKS pulls its
 * managed add-ons' images from in each region, from eksctl's source at a tagged release. Usage:
 *
 *   npm run eks-registries -- <eksctl git directory> [tag]     (default tag: the one the table records)
 *
 * The git directory is a clone (or bare mirror) of github.com/eksctl-io/eksctl; the script reads
 * one file at the tag with `git show` and records the tag, its commit and the date.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EKS_ADDON_REGISTRIES, deriveEksRegistries } from "../lib/eks-registries";

const FILE = "pkg/apis/eksctl.io/v1alpha5/types.go";
const [gitDir, tag = EKS_ADDON_REGISTRIES.source.tag] = process.argv.slice(2);
if (!gitDir) throw new Error("usage: npm run eks-registries -- <eksctl git directory> [tag]");
const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const commit = git("rev-parse", `${tag}^{commit}`).trim();
const derived = deriveEksRegistries(git("show", `${commit}:${FILE}`));
const table = {
    about: "The AWS account of the ECR registry EKS pulls its managed add-ons' images from (<account>.dkr.ecr.<region>.amazonaws.com), by region: defaultAccount everywhere accounts does not list. Derived by scripts/derive-eks-registries.ts from eksctl's EKSResourceAccountID; do not edit.",
    source: { repository: "eksctl-io/eksctl", tag, commit, file: FILE, retrieved: new Date().toISOString().slice(0, 10) },
    ...derived,
};
const output = path.join(__dirname, "..", "lib", "data", "eks-addon-registries.json");
fs.writeFileSync(output, `${JSON.stringify(table, null, 2)}\n`);
process.stderr.write(`wrote ${path.relative(process.cwd(), output)}: ${Object.keys(derived.accounts).length} regional accounts and the default ${derived.defaultAccount}, from eksctl ${tag} (${commit})\n`);
