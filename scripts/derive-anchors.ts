/**
 * Derives policy/data/anchors.json: the checks of the three tools the pack's coverage is measured
 * against, each with the resource types it judges and its NIST SP 800-53 Rev. 5 controls, from
 * their own public machine-readable sources, with where and when each was read. Usage:
 *
 *   npm run derive-anchors -- [--security-hub <git dir>] [--pod-security <git dir>]
 *
 * - AWS Security Hub's NIST SP 800-53 Rev. 5 standard: the list of controls in
 *   `doc_source/nist-standard.md` of github.com/awsdocs/aws-security-hub-user-guide at its last
 *   commit with content (AWS archived the repository in June 2023; the live user guide is not in a
 *   public repository), and per control its "Related requirements", "Resource type" and
 *   "Severity" lines from `doc_source/<service>-controls.md`.
 * - cdk-nag's `NIST80053R5Checks`: every `applyRule` of `lib/packs/nist-800-53-r5.js` in the npm
 *   package (rule id, its "Control IDs"), and the CloudFormation classes the rule's own module tests
 *   with `instanceof`. The tarball is checked against the integrity the registry publishes.
 * - Kubernetes Pod Security Standards: every check of `policy/check_*.go` in
 *   github.com/kubernetes/pod-security-admission at the tag of the cluster's minor version, read by
 *   scripts/derive-pss-checks.ts, which derives the pack's own Pod Security data from the same files.
 *
 * A git dir not given is cloned (bare) from GitHub into a temporary folder.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { derivePss } from "./derive-pss-checks";

const SECURITY_HUB = { repository: "https://github.com/awsdocs/aws-security-hub-user-guide", commit: "47bfe2f1de2e486914543113d2e751f3e2ed8868" };
const CDK_NAG = { package: "cdk-nag", version: "3.0.2", file: "lib/packs/nist-800-53-r5.js" };
const POD_SECURITY_REPOSITORY = "https://github.com/kubernetes/pod-security-admission";
const OUT = path.join(__dirname, "..", "policy", "data", "anchors.json");

function argument(name: string): string | undefined {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
}

function gitDir(given: string | undefined, repository: string, work: string): string {
    if (given) return given;
    const dir = path.join(work, path.basename(repository) + ".git");
    execFileSync("git", ["clone", "--bare", "--quiet", repository, dir]);
    return dir;
}

const git = (dir: string, ...args: string[]) => execFileSync("git", ["--git-dir", dir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });

/** Markdown of the user guide without its escapes (`\.`, `\-`, `\(`). */
const unescape = (text: string) => text.replace(/\\([\\.\-()[\]_*#+!])/g, "$1");

function securityHub(dir: string) {
    const show = (file: string) => unescape(git(dir, "show", `${SECURITY_HUB.commit}:doc_source/${file}`));
    const commitDate = git(dir, "show", "-s", "--format=%cI", SECURITY_HUB.commit).trim();
    const listed = [...show("nist-standard.md").matchAll(/\[\[([A-Za-z0-9]+\.\d+)\] ([^\]]+)\]\(([a-z0-9-]+\.md)#([a-z0-9-]+)\)/g)];
    const pages = new Map<string, string>();
    const controls = listed.map(([, id, title, file, anchor]) => {
        if (!pages.has(file)) pages.set(file, show(file));
        const page = pages.get(file)!;
        const start = page.indexOf(`<a name="${anchor}"></a>`);
        if (start < 0) throw new Error(`${file}: no section ${anchor} for ${id}`);
        const next = page.indexOf("\n## ", start);
        const section = page.slice(start, next < 0 ? undefined : next);
        const line = (label: string) => section.match(new RegExp(`\\*\\*${label}: *\\*\\* *(.*)`))?.[1]?.trim();
        const requirements = line("Related requirements") ?? "";
        const nist = [...requirements.matchAll(/NIST\.800-53\.r5 ([A-Z]{2}-[0-9A-Za-z()]+)/g)].map((m) => m[1]);
        // Types are code spans (`AWS::S3::Bucket`); account-level controls say so in words ("AWS account").
        const typeLine = line("Resource type") ?? "";
        const spans = [...typeLine.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        const resourceTypes = spans.length > 0 ? spans : typeLine.split(/, | and /).filter(Boolean);
        const severity = line("Severity");
        // A few sections omit their resource type (EC2.13; the coverage map names it for them) or
        // their requirements (Redshift.9): recorded as empty, as published.
        if (!severity) throw new Error(`${file}#${anchor}: ${id} has no severity`);
        return { id, title: title.trim(), severity, resourceTypes, nist };
    });
    return { source: { repository: SECURITY_HUB.repository, commit: SECURITY_HUB.commit, commitDate, files: "doc_source/nist-standard.md, doc_source/<service>-controls.md" }, controls };
}

function cdkNag(work: string) {
    const npm = (...args: string[]) => execFileSync("npm", [...args, "--loglevel=error"], { cwd: work, encoding: "utf8" }).trim();
    const spec = `${CDK_NAG.package}@${CDK_NAG.version}`;
    const published = npm("view", spec, "dist.integrity");
    const tarball = npm("pack", spec);
    const integrity = `sha512-${createHash("sha512").update(fs.readFileSync(path.join(work, tarball))).digest("base64")}`;
    if (integrity !== published) throw new Error(`${tarball}: integrity ${integrity}, but the registry publishes ${published}`);
    execFileSync("tar", ["xzf", tarball], { cwd: work });
    const root = path.join(work, "package");
    const pack = fs.readFileSync(path.join(root, CDK_NAG.file), "utf8");
    const rules = pack.split("this.applyRule({").slice(1).map((call) => {
        const info = call.match(/info: (['"])((?:(?!\1)[^\\]|\\.)*)\1/)?.[2];
        const [, dir, rule] = call.match(/rule: ([a-z0-9]+)_1\.([A-Za-z0-9]+),/) ?? [];
        if (!info || !rule) throw new Error(`${CDK_NAG.file}: an applyRule without info or rule: ${call.slice(0, 200)}`);
        const controls = info.match(/\(Control IDs?: (.*)\)\.?$/);
        if (!controls) throw new Error(`${rule}: no Control IDs in "${info}"`);
        const module = fs.readFileSync(path.join(root, "lib", "rules", dir, `${rule}.js`), "utf8");
        const imports = new Map([...module.matchAll(/const (\w+) = require\("aws-cdk-lib\/(aws-[a-z0-9-]+)"\)/g)].map((m) => [m[1], m[2]]));
        const classes = new Set([...module.matchAll(/instanceof (\w+)\.(Cfn\w+)/g)].map((m) => `${imports.get(m[1]) ?? m[1]}.${m[2]}`));
        if (classes.size === 0) throw new Error(`${rule}: no CloudFormation class tested in lib/rules/${dir}/${rule}.js`);
        return {
            id: `NIST.800.53.R5-${rule}`,
            title: info.slice(0, controls.index).replace(/ -\s*$/, "").trim(),
            resourceTypes: [...classes].sort(),
            nist: [...new Set(controls[1].split(",").map((c) => c.trim()))],
        };
    });
    return { source: { package: CDK_NAG.package, version: CDK_NAG.version, integrity, file: CDK_NAG.file }, rules };
}

/** The Pod Security checks as derive-pss-checks.ts reads them (the pack's own data comes from there too), each with its level. */
function podSecurity(dir: string) {
    const pss = derivePss(dir);
    const checks = (["baseline", "restricted"] as const).flatMap((level) => pss.checks[level].map((id) => ({ id, level })));
    checks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { source: { repository: POD_SECURITY_REPOSITORY, tag: pss.source.tag, commit: pss.source.commit, files: "policy/check_*.go" }, checks };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "anchors-"));
try {
    const anchors = {
        derived: new Date().toISOString().slice(0, 10),
        script: "scripts/derive-anchors.ts",
        securityHub: securityHub(gitDir(argument("--security-hub"), SECURITY_HUB.repository, work)),
        cdkNag: cdkNag(work),
        podSecurity: podSecurity(gitDir(argument("--pod-security"), POD_SECURITY_REPOSITORY, work)),
    };
    fs.writeFileSync(OUT, JSON.stringify(anchors, null, 2) + "\n");
    console.log(`${path.relative(process.cwd(), OUT)}: ${anchors.securityHub.controls.length} Security Hub controls, ${anchors.cdkNag.rules.length} cdk-nag rules, ${anchors.podSecurity.checks.length} Pod Security checks`);
} finally {
    fs.rmSync(work, { recursive: true, force: true });
}
