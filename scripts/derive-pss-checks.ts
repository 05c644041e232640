/**
 * Derives the Pod Security Standards' checks from Kubernetes' own implementation, the
 * k8s.io/pod-security-admission module that the API server's admission plugin runs, at the tag that
 * matches the clusters' Kubernetes minor version (the namespaces enforce `latest`, which is the API
 * server's own): each check's id and level (policy/check_*.go: `ID:`, `Level:`), and the value sets
 * the checks compare with (safe sysctls, baseline capabilities, SELinux types, restricted volume
 * types), taken at the newest version a check defines for that minor. Only ids and value names are
 * written, with where they came from; the checks' logic is ours (policy/lib/pod-security-standards.ts)
 * and tests/pod-security.test.ts holds it to these ids.
 *
 * Run: `npm run pss-checks -- <clone of github.com/kubernetes/pod-security-admission>` (reads the
 * tag with `git show`, writes policy/data/pod-security-standards.ts).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { PssData } from "../policy/lib/pod-security-standards";

/** pod-security-admission v0.<minor> ships with Kubernetes 1.<minor>; the clusters run 1.35. */
export const PSA_TAG = "v0.35.6";
export const KUBERNETES_MINOR = 35;
export const OUTPUT = path.join(__dirname, "..", "policy", "data", "pod-security-standards.ts");

const git = (repo: string, ...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });

/** The string literals inside a `sets.New...(...)` call that starts at `from`. */
function setLiterals(text: string, from: number): string[] {
    const end = text.indexOf(")", from);
    return [...text.slice(from, end).matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

/** The literals of the set assigned to `name` (name = sets.New...(...) or name.Union(sets.NewString(...))). */
function namedSet(text: string, name: string): { base?: string; values: string[] } {
    const match = new RegExp(`\\b${name}\\s*=\\s*(?:(\\w+)\\.Union\\()?sets\\.New\\w*\\(`).exec(text);
    if (!match) throw new Error(`no set ${name}`);
    return { ...(match[1] ? { base: match[1] } : {}), values: setLiterals(text, match.index + match[0].length) };
}

/** A set built by unions, followed back to its first. */
function unionSet(text: string, name: string): string[] {
    const { base, values } = namedSet(text, name);
    return [...(base ? unionSet(text, base) : []), ...values];
}

/** The versioned name whose version is the newest not above the target minor: `prefix1_31`, `prefixV1Dot32`. */
function newestFor(text: string, pattern: RegExp): string {
    const names = [...new Set([...text.matchAll(pattern)].map((m) => m[0]))];
    const minor = (name: string) => Number(/(\d+)$/.exec(name)![1]);
    const usable = names.filter((n) => minor(n) <= KUBERNETES_MINOR).sort((a, b) => minor(a) - minor(b));
    if (usable.length === 0) throw new Error(`no version of ${pattern} up to 1.${KUBERNETES_MINOR}`);
    return usable[usable.length - 1];
}

/** Go's field name as the JSON key the API uses: ConfigMap as configMap, CSI as csi. */
function jsonName(field: string): string {
    return field === field.toUpperCase() ? field.toLowerCase() : field[0].toLowerCase() + field.slice(1);
}

export function derivePss(repo: string): PssData {
    const show = (file: string) => git(repo, "show", `${PSA_TAG}:${file}`);
    const files = git(repo, "ls-tree", "--name-only", PSA_TAG, "policy/").split("\n").filter((f) => /^policy\/check_[^/]+\.go$/.test(f) && !f.endsWith("_test.go")).sort();
    const checks: Record<"baseline" | "restricted", string[]> = { baseline: [], restricted: [] };
    for (const file of files) {
        const text = show(file);
        const level = /Level:\s*api\.Level(Baseline|Restricted)/.exec(text)?.[1];
        // The id is a literal, or a constant declared as `<name> CheckID = "<id>"`.
        const literal = /\bID:\s*"([^"]+)"/.exec(text)?.[1];
        const constant = /\bID:\s*(\w+)/.exec(text)?.[1];
        const id = literal ?? (constant ? new RegExp(`\\b${constant}\\s+CheckID\\s*=\\s*"([^"]+)"`).exec(text)?.[1] : undefined);
        if (!level || !id) throw new Error(`${file}: no check id or level`);
        // A check that starts after the target minor does not apply yet.
        const versions = [...text.matchAll(/MinimumVersion:\s*api\.MajorMinorVersion\(1,\s*(\d+)\)/g)].map((m) => Number(m[1]));
        if (Math.min(...versions) > KUBERNETES_MINOR) continue;
        checks[level.toLowerCase() as "baseline" | "restricted"].push(id);
    }
    const sysctls = show("policy/check_sysctls.go");
    const selinux = show("policy/check_seLinuxOptions.go");
    const volumes = show("policy/check_restrictedVolumes.go");
    // The allowed volume sources are the first case of the check's switch.
    const allowedCase = /case\s+((?:volume\.\w+\s*!=\s*nil,?\s*)+):/.exec(volumes);
    if (!allowedCase) throw new Error("policy/check_restrictedVolumes.go: no allowed volume case");
    return {
        source: {
            repository: "github.com/kubernetes/pod-security-admission",
            tag: PSA_TAG,
            commit: git(repo, "rev-list", "-n1", PSA_TAG).trim(),
            kubernetes: `1.${KUBERNETES_MINOR}`,
            derivedBy: "scripts/derive-pss-checks.ts",
        },
        checks,
        safeSysctls: unionSet(sysctls, newestFor(sysctls, /sysctlsAllowedV1Dot\d+/g)).sort(),
        baselineCapabilities: namedSet(show("policy/check_capabilities_baseline.go"), "capabilities_allowed_1_0").values.sort(),
        seLinuxTypes: namedSet(selinux, newestFor(selinux, /selinuxAllowedTypes1_\d+/g)).values,
        restrictedVolumes: [...allowedCase[1].matchAll(/volume\.(\w+)/g)].map((m) => jsonName(m[1])),
    };
}

export function renderPss(data: PssData): string {
    return `/**
 * The Pod Security Standards' check ids and value sets, derived by ${data.source.derivedBy} from
 * ${data.source.repository} at ${data.source.tag} (Kubernetes ${data.source.kubernetes}). Do not edit: re-run the script.
 */
import type { PssData } from "../lib/pod-security-standards";

export const PSS_DATA: PssData = ${JSON.stringify(data, null, 4)};
`;
}

if (require.main === module) {
    const repo = process.argv[2];
    if (!repo) throw new Error("usage: npm run pss-checks -- <clone of github.com/kubernetes/pod-security-admission>");
    fs.writeFileSync(OUTPUT, renderPss(derivePss(repo)));
    console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
}
