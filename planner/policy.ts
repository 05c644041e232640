/**
 * The policy section: the CrossGuard pack (policy/) evaluated offline over the stack's resources,
 * with the stack's own pack config (the file `npm run preview -- --stack <name>` passes), so that
 * the plan shows what `pulumi preview --policy-pack` would block before anything is deployed, which
 * waivers exempt what, and which waivers match nothing. It can be written as SARIF for code scanning.
 */
import * as path from "path";
import * as url from "url";
import { PlannedResource, SourceLocation } from "../engine/types";
import { evaluatePack, loadPackConfig, Violation, WaivedViolation, WaiverStatus } from "../policy/evaluate";
import { allPolicies, PACK_NAME, PACK_VERSION } from "../policy/policies";

export interface PolicyReport {
    /** The pack that judged, as policy/package.json names and versions it. */
    readonly pack: { readonly name: string; readonly version: string };
    /** The pack config the levels and waivers come from: policy/config/<stack>.json. */
    readonly packConfig: string;
    readonly violations: readonly Violation[];
    readonly mandatory: number;
    readonly advisory: number;
    /** Violations that a waiver in force exempts. */
    readonly waived: readonly WaivedViolation[];
    /** Every waiver of the config, with what it matched. */
    readonly waivers: readonly WaiverStatus[];
    /** Where the program declares each resource a violation (waived or not) names, by URN. */
    readonly sources: Readonly<Record<string, SourceLocation>>;
}

/**
 * Evaluates the pack over a stack's resources with the pack config named `stack` (in `configDir`,
 * policy/config/ by default); `today` fixes the waiver date.
 */
export function policyReport(resources: readonly PlannedResource[], stack: string, today?: string, configDir?: string): PolicyReport {
    const { violations, waived, waivers } = evaluatePack(resources, loadPackConfig(stack, configDir), allPolicies, today ? { today } : {});
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const named = new Set([...violations, ...waived].map((v) => v.resourceUrn));
    const sources = Object.fromEntries(resources.filter((r) => named.has(r.urn) && r.source).map((r) => [r.urn, r.source!]));
    return { pack: { name: PACK_NAME, version: PACK_VERSION }, packConfig: `policy/config/${stack}.json`, violations, mandatory, advisory: violations.length - mandatory, waived, waivers, sources };
}

/** What the plan says about waivers: each one, and a warning for those that match nothing. */
export function waiverLines(report: PolicyReport): string[] {
    return report.waivers.map((w) => {
        const what = w.status === "applied" ? `exempts ${w.matched} violation(s)`
            : w.status === "expired" ? `EXPIRED: ${w.matched} violation(s) reported again`
            : "WARNING: matches no violation; remove it";
        return `  waiver ${w.policy} on ${w.resource} until ${w.expires} (${w.reason}): ${what}`;
    });
}

/** SARIF 2.1.0 levels: mandatory findings block a deployment, advisory ones do not. */
const SARIF_LEVEL = { mandatory: "error", advisory: "warning" } as const;
/** GitHub code scanning's security-severity scores by the pack's severities. */
const SECURITY_SEVERITY = { low: "3.0", medium: "5.5", high: "8.0", critical: "9.5" } as const;

/**
 * Where the pack is documented: its README at the commit being scanned when the plan runs in
 * GitHub Actions (so code scanning links to the version that judged), else the README on disk.
 */
export function packInformationUri(env: NodeJS.ProcessEnv = process.env): string {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_SHA: sha } = env;
    if (server && repository && sha) return `${server}/${repository}/blob/${sha}/policy/README.md`;
    return url.pathToFileURL(path.join(__dirname, "..", "policy", "README.md")).href;
}

/**
 * The report as a SARIF 2.1.0 log for code scanning: one rule per policy of the pack, the pack's
 * name and version as the tool, one result per violation (waived ones included, marked suppressed
 * with the waiver's reason), located at the line of our source that declares the resource, or at
 * the stack's config file for a finding about the whole stack.
 */
export function policySarif(reports: ReadonlyArray<{ readonly stack: string; readonly report: PolicyReport }>, env: NodeJS.ProcessEnv = process.env): object {
    const rules = allPolicies.map((policy) => ({
        id: policy.name,
        name: policy.name,
        shortDescription: { text: policy.description.split(" [NIST")[0] },
        fullDescription: { text: policy.description },
        help: { text: policy.remediationSteps },
        properties: { tags: ["security", ...policy.nist.map((c) => `NIST-800-53/${c}`)], "security-severity": SECURITY_SEVERITY[policy.severity], nist: [...policy.nist] },
    }));
    const index = new Map(rules.map((r, i) => [r.id, i]));
    const location = (stack: string, report: PolicyReport, v: Violation) => {
        const source = v.resourceUrn === undefined ? undefined : report.sources[v.resourceUrn];
        return source ? { artifactLocation: { uri: source.file }, region: { startLine: source.line } } : { artifactLocation: { uri: `Pulumi.${stack}.yaml` } };
    };
    const result = (stack: string, report: PolicyReport, v: Violation, suppression?: WaivedViolation["waiver"]) => ({
        ruleId: v.policy,
        ruleIndex: index.get(v.policy),
        level: SARIF_LEVEL[v.enforcementLevel],
        message: { text: `${stack}: ${v.resourceType ? `${v.resourceType} ${v.resourceName}` : "stack"}: ${v.message}` },
        locations: [{
            physicalLocation: location(stack, report, v),
            ...(v.resourceUrn ? { logicalLocations: [{ fullyQualifiedName: v.resourceUrn, name: v.resourceName, kind: "resource" }] } : {}),
        }],
        partialFingerprints: { "pulumiPolicy/v1": `${stack}|${v.policy}|${v.resourceUrn ?? "stack"}|${v.message}` },
        properties: { stack, enforcementLevel: v.enforcementLevel, severity: v.severity },
        ...(suppression ? { suppressions: [{ kind: "external", status: "accepted", justification: `${suppression.reason} (until ${suppression.expires})` }] } : {}),
    });
    return {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: PACK_NAME, version: PACK_VERSION, semanticVersion: PACK_VERSION, informationUri: packInformationUri(env), rules } },
            results: reports.flatMap(({ stack, report }) => [
                ...report.violations.map((v) => result(stack, report, v)),
                ...report.waived.map((v) => result(stack, report, v, v.waiver)),
            ]),
        }],
    };
}
