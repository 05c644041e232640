/**
 * IAM policy documents read for what they grant. Actions and resources are glob patterns (`*` and
 * `?` anywhere, actions case-insensitive), `NotAction`/`NotResource`/`NotPrincipal` grant the
 * complement of their list, principals come as `"*"` or a map of AWS/Service/Federated lists, and
 * conditions narrow a grant. Rules judge every statement that applies, never the first that passes.
 */
import { statementsOf } from "./policy-document";
import { isUnknown, Read, readRecord, readString, readStringOrList, UNKNOWN, Unknown } from "./values";

/** A list of patterns, or its complement when given as Not*. */
export interface PatternSet {
    readonly negated: boolean;
    /** Patterns as written; an unknown element may be anything. */
    readonly patterns: ReadonlyArray<string | Unknown>;
}

export interface Condition {
    readonly operator: string;
    /** Condition keys compare case-insensitively in IAM; kept as written for messages. */
    readonly key: string;
    readonly values: ReadonlyArray<string | Unknown>;
}

export interface ParsedStatement {
    /** `statement 2 (Sid)`, for messages. */
    readonly label: string;
    readonly effect: Read<string>;
    readonly actions: PatternSet | undefined | Unknown;
    readonly resources: PatternSet | undefined | Unknown;
    /** Principals by kind (AWS, Service, Federated, CanonicalUser; "*" as AWS "*"); undefined in identity policies. */
    readonly principals: { readonly negated: boolean; readonly byKind: Readonly<Record<string, ReadonlyArray<string | Unknown>>> } | undefined | Unknown;
    readonly conditions: readonly Condition[] | Unknown;
}

/** Compiled globs: a plan matches the same few hundred patterns against every statement. */
const compiledGlobs = new Map<string, RegExp>();

/** A glob of IAM's kind as a regular expression. */
function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
    const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
    let compiled = compiledGlobs.get(key);
    if (compiled === undefined) compiledGlobs.set(key, (compiled = compileGlob(pattern, caseInsensitive)));
    return compiled;
}

function compileGlob(pattern: string, caseInsensitive: boolean): RegExp {
    const body = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
    return new RegExp(`^${body}$`, caseInsensitive ? "i" : "");
}

/** Whether the IAM pattern matches `value` (actions compare without case, ARNs with). */
export function globMatches(pattern: string, value: string, caseInsensitive = false): boolean {
    return globToRegExp(pattern, caseInsensitive).test(value);
}

/**
 * Actions of unrelated services, short and long names: a pattern that matches all of them matches
 * every action there is (`*`, `*:*`, `?*:*`), not one service's (`s3:*`) or a verb's (`*:Get*`).
 */
const PROBE_ACTIONS = ["iam:PassRole", "s3:GetObject", "ec2:RunInstances", "sts:AssumeRole", "kms:Decrypt", "organizations:LeaveOrganization", "a4b:X", "lambda:InvokeFunction"];
/**
 * An account lives in one partition, so a grant can only ever reach resources of its own: a pattern
 * that matches every resource of one partition (`arn:aws:*`, `arn:aws:*:*:*:*`) grants what `*`
 * grants. Each partition with two of its regions; two accounts, since a pattern that pins one
 * account is scoped, not everything.
 */
const PARTITIONS: Readonly<Record<string, readonly string[]>> = { aws: ["us-east-1", "eu-west-1"], "aws-cn": ["cn-north-1", "cn-northwest-1"], "aws-us-gov": ["us-gov-west-1", "us-gov-east-1"] };
const ACCOUNTS = ["123456789012", "210987654321"];

/**
 * ARNs of every shape, per partition: global services without region or account (S3 buckets and
 * objects), global with account (IAM), regional (EC2, KMS, SQS), in both regions and accounts, and a
 * service no policy names, so that listing services one by one never adds up to "every resource".
 */
function resourceProbes(partition: string): string[] {
    const [first, second] = PARTITIONS[partition];
    const [mine, other] = ACCOUNTS;
    return [
        `arn:${partition}:s3:::bucket`, `arn:${partition}:s3:::bucket/key`,
        `arn:${partition}:iam::${mine}:role/admin`, `arn:${partition}:iam::${other}:user/ops`,
        `arn:${partition}:ec2:${first}:${mine}:instance/i-1`, `arn:${partition}:kms:${second}:${other}:key/k`,
        `arn:${partition}:sqs:${first}:${other}:q`, `arn:${partition}:probe-service-z:${second}:${mine}:thing/x`,
    ];
}

/** What each escalation action acts on: IAM roles, users, groups or managed policies. */
type IamKind = "role" | "user" | "group" | "policy";

/** The IAM resources of a kind in a partition, of both accounts, with and without a path. */
function iamProbes(partition: string, kind: IamKind): string[] {
    return ACCOUNTS.flatMap((account) => [`arn:${partition}:iam::${account}:${kind}/admin`, `arn:${partition}:iam::${account}:${kind}/team/app`]);
}

/** IAM actions that let a principal grant itself more (privilege escalation paths), with the kind of resource each acts on. */
const ESCALATION_TARGETS: Readonly<Record<string, IamKind>> = {
    "iam:AttachGroupPolicy": "group", "iam:AttachRolePolicy": "role", "iam:AttachUserPolicy": "user", "iam:CreateAccessKey": "user",
    "iam:CreateLoginProfile": "user", "iam:CreatePolicyVersion": "policy", "iam:PassRole": "role", "iam:PutGroupPolicy": "group",
    "iam:PutRolePolicy": "role", "iam:PutUserPolicy": "user", "iam:SetDefaultPolicyVersion": "policy",
    "iam:UpdateAssumeRolePolicy": "role", "iam:UpdateLoginProfile": "user", "iam:AddUserToGroup": "group",
};
export const ESCALATION_ACTIONS = Object.keys(ESCALATION_TARGETS);

/**
 * Condition keys that pin who may use a grant open to any principal: an organisation, an account,
 * a principal or source ARN, or an external id (and KMS's own kms:CallerAccount).
 */
const NARROWING_KEYS = ["aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:userid", "sts:externalid", "aws:resourceorgid", "kms:calleraccount"];

function patternSet(statement: Readonly<Record<string, unknown>>, positive: string, negative: string): PatternSet | undefined | Unknown {
    for (const [key, negated] of [[positive, false], [negative, true]] as const) {
        if (!(key in statement)) continue;
        const list = readStringOrList(statement[key]);
        if (list === UNKNOWN) return UNKNOWN;
        if (list !== undefined) return { negated, patterns: list };
    }
    return undefined;
}

function principalsOf(statement: Readonly<Record<string, unknown>>): ParsedStatement["principals"] {
    for (const [key, negated] of [["Principal", false], ["NotPrincipal", true]] as const) {
        if (!(key in statement)) continue;
        const value = statement[key];
        const text = readString(value);
        if (text === UNKNOWN) return UNKNOWN;
        if (text !== undefined) return { negated, byKind: { AWS: [text] } };
        const map = readRecord(value);
        if (map === UNKNOWN) return UNKNOWN;
        if (map === undefined) return undefined;
        const byKind: Record<string, ReadonlyArray<string | Unknown>> = {};
        for (const [kind, entries] of Object.entries(map)) {
            const list = readStringOrList(entries);
            byKind[kind] = list === UNKNOWN ? [UNKNOWN] : list ?? [];
        }
        return { negated, byKind };
    }
    return undefined;
}

function conditionsOf(value: unknown): readonly Condition[] | Unknown {
    const operators = readRecord(value);
    if (operators === UNKNOWN) return UNKNOWN;
    const conditions: Condition[] = [];
    for (const [operator, keys] of Object.entries(operators ?? {})) {
        const map = readRecord(keys);
        if (map === UNKNOWN) return UNKNOWN;
        for (const [key, values] of Object.entries(map ?? {})) {
            const list = readStringOrList(values);
            // Booleans and numbers are written unquoted too.
            const given: ReadonlyArray<string | Unknown> = list === UNKNOWN ? [UNKNOWN] : list ?? (typeof values === "boolean" || typeof values === "number" ? [String(values)] : []);
            conditions.push({ operator, key, values: given });
        }
    }
    return conditions;
}

/** The statements of a document (JSON text or object), parsed; UNKNOWN/undefined as statementsOf. */
export function parsePolicyDocument(document: unknown): Read<readonly ParsedStatement[]> {
    const statements = statementsOf(document);
    if (statements === undefined || statements === UNKNOWN) return statements;
    return statements.map((statement, i) => {
        const sid = readString(statement.Sid);
        return {
            label: `statement ${i}${typeof sid === "string" && sid !== "" ? ` (${sid})` : ""}`,
            effect: readString(statement.Effect),
            actions: patternSet(statement, "Action", "NotAction"),
            resources: patternSet(statement, "Resource", "NotResource"),
            principals: principalsOf(statement),
            conditions: conditionsOf(statement.Condition),
        };
    });
}

/** True when the text parsed is a policy document at all (has statements with an effect). */
export function isPolicyDocument(statements: readonly ParsedStatement[]): boolean {
    return statements.length > 0 && statements.every((s) => s.effect !== undefined);
}

/** Whether the set matches every value of `probes` (a NotX set: unless its list already does). */
function coversAll(set: PatternSet, probes: readonly string[], caseInsensitive: boolean): boolean {
    const matchesAll = set.patterns.some((p) => typeof p === "string" && probes.every((probe) => globMatches(p, probe, caseInsensitive)));
    // NotAction ["s3:*"] grants everything but S3: as good as all for least privilege.
    return set.negated ? !matchesAll && !set.patterns.some(isUnknown) : matchesAll;
}

/** Whether the set matches `value` (an unknown pattern does not count as a match). */
export function setMatches(set: PatternSet, value: string, caseInsensitive: boolean): boolean {
    const hit = set.patterns.some((p) => typeof p === "string" && globMatches(p, value, caseInsensitive));
    return set.negated ? !hit && !set.patterns.some(isUnknown) : hit;
}

export function allowsAllActions(statement: ParsedStatement): boolean {
    return typeof statement.actions === "object" && coversAll(statement.actions, PROBE_ACTIONS, true);
}

/** Whether the set, its patterns taken together, matches every probe of some partition. */
function coversPartition(set: PatternSet, probes: (partition: string) => readonly string[]): boolean {
    return Object.keys(PARTITIONS).some((partition) => probes(partition).every((arn) => setMatches(set, arn, false)));
}

/**
 * Whether the statement's resources are every resource there is: `*`, `arn:*`, `NotResource`, or a
 * pattern (or patterns together) matching every resource of a partition, such as `arn:aws:*:*:*:*`.
 * A pattern scoped to a service, an account or a resource is not.
 */
export function appliesToAllResources(statement: ParsedStatement): boolean {
    const resources = statement.resources;
    return typeof resources === "object" && coversPartition(resources, resourceProbes);
}

/**
 * Whether the statement reaches every resource `action` (an escalation action) can act on: for
 * iam:PassRole every role, `arn:aws:iam::*:role/*` as much as `*`; every role of one account is scoped.
 */
export function appliesToAllTargetsOf(statement: ParsedStatement, action: string): boolean {
    const resources = statement.resources;
    const kind = ESCALATION_TARGETS[action];
    return typeof resources === "object" && kind !== undefined && coversPartition(resources, (partition) => iamProbes(partition, kind));
}

export function isAllow(statement: ParsedStatement): boolean {
    return statement.effect === "Allow";
}

/** The escalation actions a statement grants. */
export function escalationActions(statement: ParsedStatement): string[] {
    const actions = statement.actions;
    if (typeof actions !== "object") return [];
    return ESCALATION_ACTIONS.filter((action) => setMatches(actions, action, true));
}

/** How the action set reads in a message. */
export function describeSet(set: PatternSet): string {
    const list = set.patterns.map((p) => (typeof p === "string" ? p : "(unknown)")).join(", ");
    return set.negated ? `everything but ${list}` : list;
}

/** True when the statement names any principal at all ("*", AWS "*", or NotPrincipal). */
export function anyPrincipal(statement: ParsedStatement): boolean {
    const principals = statement.principals;
    if (typeof principals !== "object") return false;
    if (principals.negated) return true;
    return Object.entries(principals.byKind).some(([kind, list]) => (kind === "AWS" || kind === "*") && list.some((p) => p === "*"));
}

/** An operator that admits only the listed values (not StringNotEquals, not Null). */
function pins(operator: string): boolean {
    // ...IfExists also admits requests without the key at all.
    if (/IfExists$/i.test(operator)) return false;
    const bare = operator.replace(/^(ForAnyValue|ForAllValues):/i, "");
    return !/Not|^Null$/i.test(bare);
}

/**
 * Whether the conditions pin the grant to known callers: a narrowing key (organisation, account,
 * source ARN, external id) with a value that is not all wildcard. An unknown condition set counts.
 */
export function narrowedByCondition(statement: ParsedStatement): boolean {
    if (statement.conditions === UNKNOWN) return true;
    return statement.conditions.some((c) => NARROWING_KEYS.includes(c.key.toLowerCase()) && pins(c.operator) && c.values.length > 0
        && c.values.every((v) => v === UNKNOWN || (typeof v === "string" && !/^[*?]*$/.test(v))));
}

/** The federated identity providers a statement trusts for web identity or SAML. */
export function federatedProviders(statement: ParsedStatement): ReadonlyArray<string | Unknown> {
    const principals = statement.principals;
    if (typeof principals !== "object" || principals.negated) return [];
    return principals.byKind.Federated ?? [];
}

/**
 * Whether a web-identity grant names which identities of the provider may use it: a condition on
 * the token's subject (`<issuer>:sub`, or Cognito's `amr`) whose values are not all wildcard. The
 * audience alone does not do: every EKS service account token has the same `sts.amazonaws.com`.
 */
export function subjectPinned(statement: ParsedStatement): boolean {
    if (statement.conditions === UNKNOWN) return true;
    return statement.conditions.some((c) => /(:sub|:amr)$/i.test(c.key) && pins(c.operator)
        && c.values.length > 0 && c.values.every((v) => v === UNKNOWN || (typeof v === "string" && !/^[*?]*$/.test(v))));
}
