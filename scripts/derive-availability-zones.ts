/**
 * Derives lib/data/availability-zones.json, each commercial region's availability zones (name and
 * ID), from networknext/next's generated Terraform datacenter map, which its tool (sellers/amazon.go)
 * writes from `aws ec2 describe-availability-zones --all-availability-zones` in every region. Usage:
 *
 *   npm run availability-zones -- <networknext/next git directory> [commit]     (default: HEAD)
 *
 * The git directory is a clone (or bare mirror) of github.com/networknext/next; the script reads the
 * file at the commit with `git show` and records the commit, its date and the day it ran.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { COMMERCIAL_REGIONS, deriveAvailabilityZones } from "../lib/regions";

const FILE = "terraform/prod/relays/amazon/generated.tf";
const [gitDir, ref = "HEAD"] = process.argv.slice(2);
if (!gitDir) throw new Error("usage: npm run availability-zones -- <networknext/next git directory> [commit]");
const git = (...args: string[]) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const commit = git("rev-parse", `${ref}^{commit}`).trim();
// The last commit that changed the file dates the data, not the head it was read at.
const commitDate = git("show", "-s", "--format=%cI", commit).trim();
const [lastChangedCommit, lastChangedDate] = git("log", "-1", "--format=%H %cI", commit, "--", FILE).trim().split(" ");
const derived = deriveAvailabilityZones(git("show", `${commit}:${FILE}`));
const regions = Object.fromEntries(Object.entries(derived).filter(([region]) => COMMERCIAL_REGIONS.includes(region)));
const table = {
    about: "The standard availability zones (name and zone ID) of each commercial region, as one AWS account's describe-availability-zones --all-availability-zones listed them. Zone names map to zone IDs per account in older regions; the IDs are the same everywhere. Derived by scripts/derive-availability-zones.ts; do not edit.",
    source: { repository: "networknext/next", commit, commitDate, lastChangedCommit, lastChangedDate, file: FILE, generatedBy: "sellers/amazon.go (aws ec2 describe-availability-zones --all-availability-zones, every region)", retrieved: new Date().toISOString().slice(0, 10) },
    regions,
};
const output = path.join(__dirname, "..", "lib", "data", "availability-zones.json");
// One region per line: a refresh shows as a readable diff of the regions that changed.
const rows = Object.entries(regions).map(([region, zones]) => `    ${JSON.stringify(region)}: ${JSON.stringify(zones)}`).join(",\n");
fs.writeFileSync(output, JSON.stringify({ ...table, regions: {} }, null, 2).replace(/"regions": \{\}/, `"regions": {\n${rows}\n  }`) + "\n");
const missing = COMMERCIAL_REGIONS.filter((r) => !Object.hasOwn(regions, r));
process.stderr.write(`wrote ${path.relative(process.cwd(), output)}: ${Object.keys(regions).length} regions, ${Object.values(regions).flat().length} zones, from ${FILE} at ${commit} (last changed ${lastChangedDate})${missing.length ? `; no zones for ${missing.join(", ")}` : ""}\n`);
