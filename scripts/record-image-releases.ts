/**
 * Records lib/data/image-releases.json: for every image the platform runs (the image table, lib/data/images.json,
 * and every image the two stacks' rendered releases run), whether its upstream published it, from
 * local snapshots of the upstream repositories. Usage:
 *
 *   npm run image-releases -- <mirrors directory> [--also <image> ...]
 *
 * The directory holds one git directory per upstream, named <owner>+<name> (a clone or a bare
 * mirror; <owner>+<name>/repo also works). For each image the rule in lib/image-releases.ts names
 * the git tag that releases it; the script records the tag's commit, or else the released section
 * of the project's changelog, or a publisher's file naming the image, with the snapshot's date.
 * Without any of these it records the image as unconfirmed when its version is newer than every
 * tag in the snapshot (published after it, perhaps) and absent otherwise. `--also` adds images no
 * stack renders yet (a chart about to be vendored).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runStack } from "../engine/run";
import { prerender } from "../components/helm/workloads";
import { ImageRelease, compareVersions, upstreamRule } from "../lib/image-releases";
import { PINNED_IMAGES, canonicalImage } from "../lib/images";
import { imageInventory } from "../planner/images";

const args = process.argv.slice(2);
const mirrors = args[0];
if (!mirrors || mirrors.startsWith("--")) throw new Error("usage: npm run image-releases -- <mirrors directory> [--also <image> ...]");
const also = args.flatMap((a, i) => (args[i - 1] === "--also" ? [a] : []));

function gitDir(upstream: string): string | undefined {
    const base = path.join(mirrors, upstream.replace("/", "+"));
    return [path.join(base, "repo"), base].find((dir) => fs.existsSync(path.join(dir, "HEAD")) || fs.existsSync(path.join(dir, ".git")));
}

function git(dir: string, ...argv: string[]): string {
    return execFileSync("git", ["--git-dir", fs.existsSync(path.join(dir, ".git")) ? path.join(dir, ".git") : dir, ...argv], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).trim();
}

function record(image: string): ImageRelease {
    const rule = upstreamRule(image);
    const tag = image.slice(image.lastIndexOf(":") + 1);
    if (!rule) return { image, upstream: "unknown", gitTag: "", status: "unrecorded", reason: "no upstream rule in lib/image-releases.ts" };
    const wanted = rule.gitTag(tag);
    const gitTag = "exact" in wanted ? wanted.exact : `${wanted.prefix}*`;
    const base = { image, upstream: rule.upstream, gitTag };
    const declared = rule.declaredIn;
    const declaredDir = declared && gitDir(declared.upstream);
    if (declared && declaredDir) {
        const commit = git(declaredDir, "rev-parse", `${declared.ref}^{commit}`);
        const file = git(declaredDir, "show", `${commit}:${declared.path}`);
        const snapshot = git(declaredDir, "log", "-1", "--format=%cs", "--all");
        if (file.includes(declared.text(tag))) return { ...base, status: "published", commit, evidence: `${declared.upstream}@${declared.ref} ${declared.path} names ${declared.text(tag)}`, snapshot };
    }
    const dir = gitDir(rule.snapshotOf ?? rule.upstream);
    if (!dir) return { ...base, status: "unrecorded", reason: `no snapshot of ${rule.snapshotOf ?? rule.upstream} in ${mirrors}` };
    const snapshot = git(dir, "log", "-1", "--format=%cs", "--all");
    const tags = git(dir, "tag", "--list").split("\n").filter(Boolean);
    const match = "exact" in wanted ? tags.find((t) => t === wanted.exact) : tags.filter((t) => t.startsWith(wanted.prefix)).sort(compareVersions).pop();
    if (match) return { ...base, status: "published", commit: git(dir, "rev-parse", `${match}^{commit}`), evidence: `tag ${match}`, snapshot };
    if (rule.changelog) {
        const commit = git(dir, "rev-parse", "HEAD");
        const heading = rule.changelog.heading(tag);
        if (git(dir, "show", `${commit}:${rule.changelog.path}`).split("\n").includes(heading)) {
            return { ...base, status: "published", commit, evidence: `${rule.snapshotOf ?? rule.upstream} ${rule.changelog.path} lists "${heading}" as released`, snapshot };
        }
    }
    // The newest tag of the same naming scheme (same prefix before the first digit), to judge whether the snapshot predates the release.
    const scheme = (t: string) => t.slice(0, t.search(/\d/));
    const newestTag = tags.filter((t) => scheme(t) === scheme(gitTag) && /\d/.test(t)).sort(compareVersions).pop();
    const newer = newestTag === undefined || compareVersions(gitTag.replace(/\*$/, "0"), newestTag) > 0;
    return newer
        ? { ...base, status: "unconfirmed", snapshot, newestTag, reason: `newer than every tag of the snapshot of ${snapshot} (newest ${newestTag}): published after it, if at all` }
        : { ...base, status: "absent", snapshot, newestTag };
}

async function main(): Promise<void> {
    const images = new Set<string>();
    for (const entry of Object.values(PINNED_IMAGES).flat()) {
        // Placeholders (<EKS add-on ...>, tags the program derives) are not tags: the renders carry their real ones.
        if (!entry.image.includes("<")) images.add(canonicalImage(entry.image));
    }
    for (const stack of ["dev", "prod"]) {
        const run = await runStack(stack, { projectDir: path.join(__dirname, "..") });
        await prerender(run.resources);
        for (const use of imageInventory(run.resources)) if (!use.image.includes("<")) images.add(canonicalImage(use.image));
    }
    for (const image of also) images.add(canonicalImage(image));
    const releases = [...images].sort().map(record);
    const table = {
        about: "Whether upstream published each image the platform runs, at its tag: the git tag that releases it in a snapshot of the upstream repository (or its changelog, or a publisher's file naming it), with the snapshot's newest commit date. Recorded by scripts/record-image-releases.ts; do not edit.",
        recorded: new Date().toISOString().slice(0, 10),
        images: releases,
    };
    const output = path.join(__dirname, "..", "lib", "data", "image-releases.json");
    fs.writeFileSync(output, `${JSON.stringify(table, null, 2)}\n`);
    const counts = releases.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
    process.stderr.write(`wrote ${path.relative(process.cwd(), output)}: ${releases.length} images, ${JSON.stringify(counts)}\n`);
}

main().catch((e) => { process.stderr.write(`${e.stack ?? e}\n`); process.exit(1); });
