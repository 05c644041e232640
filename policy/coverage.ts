/**
 * The pack's coverage of its anchors: every Security Hub NIST SP 800-53 Rev. 5 control and cdk-nag
 * NIST80053R5 rule (data/anchors.json, derived by scripts/derive-anchors.ts) that judges a type a
 * stack declares, or that AWS creates for one, and which rule enforces it (the rules' own
 * `anchors`) or why it is excluded (data/coverage-exclusions.ts). The README's coverage table is
 * rendered from here.
 */
import anchorData from "./data/anchors.json";
import { ANCHOR_TYPES, CREATED_BY_AWS, NEXT_WAVE_TYPES, UNTYPED_CONTROLS } from "./data/anchor-types";
import { EXCLUSIONS, Exclusion, PARTLY } from "./data/coverage-exclusions";
import { NistPolicy } from "./lib/policy";

export interface Anchor {
    /** "SecurityHub:S3.9", "cdk-nag:NIST.800.53.R5-S3BucketLoggingEnabled". */
    readonly id: string;
    readonly title: string;
    readonly nist: readonly string[];
    /** The anchor's resource types as its source names them. */
    readonly sourceTypes: readonly string[];
    /** The Pulumi types it judges. */
    readonly types: readonly string[];
}

function pulumiTypes(id: string, sourceTypes: readonly string[]): string[] {
    return [...new Set(sourceTypes.flatMap((type) => {
        const mapped = ANCHOR_TYPES[type];
        if (!mapped) throw new Error(`${id}: anchor resource type "${type}" is not mapped in data/anchor-types.ts`);
        return mapped;
    }))];
}

/** Every anchor check of the two AWS tools, Security Hub first, in their sources' order. */
export const ANCHORS: readonly Anchor[] = [
    ...anchorData.securityHub.controls.map((control) => {
        const id = `SecurityHub:${control.id}`;
        const sourceTypes = control.resourceTypes.length > 0 ? control.resourceTypes : UNTYPED_CONTROLS[control.id] ?? [];
        return { id, title: control.title, nist: control.nist, sourceTypes, types: pulumiTypes(id, sourceTypes) };
    }),
    ...anchorData.cdkNag.rules.map((rule) => {
        const id = `cdk-nag:${rule.id}`;
        return { id, title: rule.title, nist: rule.nist, sourceTypes: rule.resourceTypes, types: pulumiTypes(id, rule.resourceTypes) };
    }),
];

/** Pod Security Standards checks as anchor ids ("PSS:runAsNonRoot"), with their level. */
export const POD_SECURITY_ANCHORS: readonly { id: string; level: string }[] = anchorData.podSecurity.checks.map((check) => ({ id: `PSS:${check.id}`, level: check.level }));

/** The declared types plus what AWS creates for them. */
export function presentTypes(declared: Iterable<string>): Set<string> {
    const present = new Set(declared);
    for (const type of [...present]) for (const created of CREATED_BY_AWS[type] ?? []) present.add(created);
    return present;
}

export type CoverageStatus = "enforced" | "partly" | "excluded" | "missing";

export interface CoverageRow {
    readonly anchor: Anchor;
    readonly status: CoverageStatus;
    /** Names of the rules whose `anchors` list it. */
    readonly rules: readonly string[];
    readonly exclusion?: Exclusion;
    /** For a check enforced partly: what the rules leave out, and why. */
    readonly partly?: string;
}

/** Each anchor that judges one of `types`, with the rules enforcing it or its exclusion. */
export function coverage(types: ReadonlySet<string>, policies: readonly NistPolicy[]): CoverageRow[] {
    return ANCHORS.filter((anchor) => anchor.types.some((type) => types.has(type))).map((anchor) => {
        const rules = policies.filter((policy) => policy.anchors?.includes(anchor.id)).map((policy) => policy.name);
        const exclusion = EXCLUSIONS[anchor.id];
        const partly = PARTLY[anchor.id];
        return { anchor, rules, exclusion, partly, status: rules.length > 0 ? (partly ? "partly" : "enforced") : exclusion ? "excluded" : "missing" };
    });
}

/** The anchors of the types the next wave adds that no declared type brings already. */
export function nextWaveAnchors(declared: ReadonlySet<string>): Anchor[] {
    const next = new Set(NEXT_WAVE_TYPES.filter((type) => !declared.has(type)));
    return ANCHORS.filter((anchor) => anchor.types.some((type) => next.has(type)) && !anchor.types.some((type) => declared.has(type)));
}

/** Next-wave types no anchor check judges. */
function unjudgedNextWave(): string[] {
    return NEXT_WAVE_TYPES.filter((type) => !ANCHORS.some((anchor) => anchor.types.includes(type)));
}

const cell = (text: string) => text.replace(/\|/g, "\\|");

/** The README's coverage section: a summary per tool, the table, and the next wave's anchors. */
export function renderCoverage(declaredTypes: Iterable<string>, policies: readonly NistPolicy[]): string {
    const present = presentTypes(declaredTypes);
    const rows = coverage(present, policies);
    const tools = [
        { prefix: "SecurityHub:", name: `AWS Security Hub, NIST SP 800-53 Rev. 5 standard (${anchorData.securityHub.source.repository} at ${anchorData.securityHub.source.commit.slice(0, 12)}, ${anchorData.securityHub.source.commitDate.slice(0, 10)})` },
        { prefix: "cdk-nag:", name: `cdk-nag \`NIST80053R5Checks\` (npm ${anchorData.cdkNag.source.package}@${anchorData.cdkNag.source.version})` },
    ];
    const count = (prefix: string, status?: CoverageStatus) => rows.filter((r) => r.anchor.id.startsWith(prefix) && (!status || r.status === status)).length;
    const lines = [
        `Anchor lists derived ${anchorData.derived} by \`${anchorData.script}\`; applicability from the types dev and prod declare, plus what AWS creates for them (a node group's Auto Scaling group and instances, a VPC's default network ACL and security group).`,
        "",
        "| anchor | checks that apply to the declared types | enforced by a rule | partly, with the reason | excluded with a reason | missing |",
        "|---|---|---|---|---|---|",
        ...tools.map((t) => `| ${t.name} | ${count(t.prefix)} | ${count(t.prefix, "enforced")} | ${count(t.prefix, "partly")} | ${count(t.prefix, "excluded")} | ${count(t.prefix, "missing")} |`),
        "",
        "| anchor check | what it checks | NIST | enforced by | partly or excluded because |",
        "|---|---|---|---|---|",
        ...rows.map((r) => `| \`${r.anchor.id}\` | ${cell(r.anchor.title)} | ${r.anchor.nist.join(", ")} | ${r.rules.map((n) => `\`${n}\``).join(", ")} | ${r.partly ? cell(`partly: ${r.partly}`) : r.exclusion ? cell(`${r.exclusion.kind}: ${r.exclusion.reason}`) : r.status === "missing" ? "**missing**" : ""} |`),
        "",
        `Anchor checks of the types the next wave declares, for the rules that come with them (${unjudgedNextWave().map((t) => `\`${t}\``).join(", ")}: none in these lists):`,
        "",
        ...nextWaveAnchors(present).map((a) => `- \`${a.id}\`: ${a.title} (${a.nist.join(", ") || "no NIST requirement listed"})`),
        "",
        "| Pod Security Standards check | level | enforced by |",
        "|---|---|---|",
        ...POD_SECURITY_ANCHORS.map((check) => {
            const rules = policies.filter((policy) => policy.anchors?.includes(check.id)).map((policy) => `\`${policy.name}\``);
            return `| \`${check.id}\` | ${check.level} | ${rules.join(", ") || "**missing**"} |`;
        }),
    ];
    return lines.join("\n");
}

export const COVERAGE_BEGIN = "<!-- coverage: generated by scripts/coverage-table.ts -->";
export const COVERAGE_END = "<!-- coverage: end -->";

/** The README's text between the coverage markers. */
export function readCoverage(readme: string): string {
    const begin = readme.indexOf(COVERAGE_BEGIN);
    const end = readme.indexOf(COVERAGE_END);
    if (begin < 0 || end < begin) throw new Error(`policy/README.md: no coverage section (${COVERAGE_BEGIN} ... ${COVERAGE_END})`);
    return readme.slice(begin + COVERAGE_BEGIN.length, end).trim();
}

/** The README with its coverage section replaced by `section`. */
export function replaceCoverage(readme: string, section: string): string {
    readCoverage(readme);
    const begin = readme.indexOf(COVERAGE_BEGIN) + COVERAGE_BEGIN.length;
    return `${readme.slice(0, begin)}\n${section}\n${readme.slice(readme.indexOf(COVERAGE_END))}`;
}
