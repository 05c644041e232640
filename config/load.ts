/**
 * Loads the stack config into one validated, typed object. This is the only module that reads
 * Pulumi config; components receive their slice of the result.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
import { z } from "zod";
import { supportWindowProblem } from "../lib/eks-versions";
import { isProfileDefault, withProfileValues } from "./profiles";
import { PROFILES, Profile, StackConfig, stackConfigSchema } from "./schema";

/** The structured keys of the project's namespace, in the order the stack files list them. */
export const STRUCTURED_KEYS = ["tags", "network", "cluster", "observability", "security", "backup", "operations", "ui", "costAssumptions"] as const;

/** Thrown for stack config that is missing or out of range; the message names every bad key. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/**
 * The keys a profile fills in when the stack file leaves them out: `profile` itself for a stack
 * whose environment is named after one (dev, prod), `protect` (true for prod-like stacks), and
 * every size, count and retention in config/profiles.ts.
 */
export function withProfileDefaults(raw: Record<string, unknown>): Record<string, unknown> {
    const named = (PROFILES as readonly unknown[]).includes(raw.environment) ? raw.environment : undefined;
    const profile = raw.profile ?? named;
    if (!(PROFILES as readonly unknown[]).includes(profile)) return { ...raw, ...(profile !== undefined ? { profile } : {}) };
    return {
        ...withProfileValues(raw, profile as Profile),
        profile,
        ...(raw.protect === undefined ? { protect: profile === "prod" } : {}),
    };
}

/**
 * Validates a raw config object (the shape of the stack file), profile defaults applied, and returns
 * it typed. `today` dates the Kubernetes version's support window: a stack file whose version EKS
 * has already upgraded away from is refused rather than left to go stale. `written` gives the
 * stack file's unquoted numbers as written (numbersAsWritten), so that an error can show them; it
 * is asked only when there is an error, since reading them parses the file's text once more.
 */
export function validateStackConfig(stackFile: Record<string, unknown>, today: Date = new Date(), written: () => ReadonlyMap<string, string> = () => new Map()): StackConfig {
    const raw = withProfileDefaults(stackFile);
    const result = stackConfigSchema.safeParse(raw);
    const issues = result.success ? [] : result.error.issues;
    // Without a valid profile, what it would have filled in has no default: that is the profile's error, not another.
    const profileFailed = issues.some((i) => i.path.join(".") === "profile");
    const restated = (issue: z.core.$ZodIssue) => profileFailed && (issue.path.join(".") === "protect" || isProfileDefault(issue.path as (string | number)[]))
        && valueAt(stackFile, issue.path as (string | number)[]) === undefined;
    const problems = issues.length === 0 ? [] : formatConfigIssues(new z.ZodError(issues.filter((i) => !restated(i))), raw, stackFile, written());
    // The support window is dated by the run, so it is checked here, beside the schema's errors, where the keys it reads have none.
    const read = ["cluster.kubernetesVersion", "cluster.supportType"];
    const readsBroken = issues.some((i) => read.some((key) => key === i.path.join(".") || key.startsWith(`${i.path.join(".")}.`)));
    const [kubernetesVersion, supportType] = read.map((key) => valueAt(raw, key.split(".")));
    const outOfSupport = readsBroken ? undefined : supportWindowProblem(kubernetesVersion as string, supportType as "STANDARD" | "EXTENDED", today);
    if (outOfSupport) problems.push(`cluster.kubernetesVersion: got ${JSON.stringify(kubernetesVersion)}; allowed: ${outOfSupport}`);
    if (problems.length > 0 || !result.success) throw new ConfigError(problems);
    return result.data;
}

/** Where the README documents the stack config: its "Stack config" section and table. */
export const CONFIG_DOCS = "README.md#stack-config";

/**
 * One line per mistake: the config key, the value found there, and what is allowed. A key inside a
 * named list item (a node group, a schedule) says which item by name; a whole item is described by
 * the check that failed, never dumped. An unknown key gets a line of its own with the nearest
 * allowed keys and all of them; the key it was probably meant to be is then not reported missing.
 */
export function formatConfigIssues(error: z.ZodError, raw: Record<string, unknown>, stackFile: Record<string, unknown> = raw, written: ReadonlyMap<string, string> = new Map()): string[] {
    // A discriminated union stops at a missing discriminator and never reports its object's unknown
    // keys, of which the misspelt discriminator is one: they are looked up here instead.
    const missingDiscriminator = (issue: z.core.$ZodIssue) => issue.code === "invalid_union" && "discriminator" in issue && valueAt(raw, issue.path as (string | number)[]) === undefined;
    const unknownAt = (parent: (string | number)[], keys: readonly string[]) => keys.map((key) => ({ parent, key, nearest: nearestKeys(key, allowedKeys(parent)) }));
    const unknownKeysOf = (issue: z.core.$ZodIssue) => {
        if (issue.code === "unrecognized_keys") return unknownAt(issue.path as (string | number)[], issue.keys);
        if (!missingDiscriminator(issue)) return [];
        const parent = (issue.path as (string | number)[]).slice(0, -1);
        const object = valueAt(raw, parent);
        const allowed = allowedKeys(parent);
        return object !== null && typeof object === "object" ? unknownAt(parent, Object.keys(object).filter((k) => !allowed.includes(k))) : [];
    };
    const unknownKeys = error.issues.flatMap(unknownKeysOf);
    const meant = new Set(unknownKeys.flatMap(({ parent, nearest }) => nearest.map((key) => configKeyName([...parent, key]))));
    return error.issues.flatMap((issue) => {
        const path = issue.path as (string | number)[];
        const key = path.length === 0 ? "(config)" : configKeyName(path);
        const value = valueAt(raw, path);
        const unknown = unknownKeysOf(issue);
        if (issue.code === "unrecognized_keys" || unknown.length > 0) {
            return unknown.map((u) => {
                const allowed = allowedKeys(u.parent);
                const where = u.parent.length === 0 ? "the stack config's keys" : `the keys of ${configKeyName(u.parent)}`;
                const guess = u.nearest.length > 0 ? ` (did you mean ${u.nearest.map((k) => configKeyName([...u.parent, k])).join(" or ")}?)` : "";
                return `${configKeyName([...u.parent, u.key])}: got a key that does not exist here${guess}; allowed: ${where}: ${allowed.join(", ")}`;
            });
        }
        if (value === undefined && meant.has(key)) return [];
        // A value the stack file left out is the profile's: say so, or the user looks for it in vain.
        const fromProfile = value !== undefined && valueAt(stackFile, path) === undefined && isProfileDefault(path) ? ` (the ${String(raw.profile)} profile's default)` : "";
        const section = value === undefined && expectsObject(issue) ? allowedKeys(path) : [];
        // As the stack file writes it, if that is what was read (not a value changed since).
        const asWritten = typeof value === "number" && Number(written.get(path.join("."))) === value ? written.get(path.join(".")) : undefined;
        // A number where text is expected that, in quotes, would be taken: 1.30 for a version.
        const unquoted = typeof value === "number" && issue.code === "invalid_type" && issue.expected === "string"
            && schemasAt(path).some((schema) => schema.safeParse(asWritten ?? String(value)).success);
        const got = (issue as { params?: { got?: string } }).params?.got
            ?? (section.length > 0 ? `nothing (the section is missing${path.length === 1 ? ` from the stack file: nist-eks-platform:${key}` : ""})`
                : value === undefined ? "nothing (the key is missing)"
                : unquoted ? `the number ${JSON.stringify(value)} (${asWritten !== undefined ? `the stack file's unquoted ${asWritten}, which YAML reads as a number` : `an unquoted value, which YAML reads as a number${Number.isInteger(value) ? "" : ", without its trailing zeros (1.30 as 1.3)"}`})`
                : `${JSON.stringify(value)}${fromProfile}`);
        const allowed = section.length > 0 ? `an object with the keys ${section.join(", ")}, as ${CONFIG_DOCS} documents (the ${String(path[0])} row of its table)`
            : unquoted ? `${issue.message}, as text: write it in quotes${asWritten !== undefined ? `, "${asWritten}"` : ""}`
            : issue.message;
        return [`${key}: got ${got}${namedItem(raw, path)}; allowed: ${allowed}`];
    });
}

/** Whether an issue says an object was expected (a section or a component). */
function expectsObject(issue: z.core.$ZodIssue): boolean {
    return issue.code === "invalid_type" && issue.expected === "object";
}

/** The keys the schema allows at `path` (an object's, or every object's a union there takes); none where it takes no object. */
export function allowedKeys(path: readonly (string | number)[]): string[] {
    const objects = schemasAt(path).map((schema) => schema._zod.def as unknown as { type: string; shape?: object }).filter((def) => def.type === "object");
    return [...new Set(objects.flatMap((def) => Object.keys(def.shape!)))];
}

/** The schemas that take the value at `path`: more than one where a union takes it. */
function schemasAt(path: readonly (string | number)[]): z.ZodType[] {
    const walk = (schema: z.ZodType, rest: readonly (string | number)[]): z.ZodType[] => {
        const def = schema._zod.def as unknown as Record<string, any>;
        if (["optional", "nullable", "default"].includes(def.type)) return walk(def.innerType, rest);
        if (def.type === "pipe") return walk(def.in, rest);
        if (def.type === "union") return (def.options as z.ZodType[]).flatMap((option) => walk(option, rest));
        if (rest.length === 0) return [schema];
        if (def.type === "object") return def.shape[rest[0]] ? walk(def.shape[rest[0]], rest.slice(1)) : [];
        if (def.type === "array" && typeof rest[0] === "number") return walk(def.element, rest.slice(1));
        return [];
    };
    return walk(stackConfigSchema, path);
}

/**
 * The allowed keys nearest to a misspelt one: those at the smallest edit distance (a letter
 * added, left out, changed, or two swapped; case aside), if that is small for the key's length.
 */
export function nearestKeys(key: string, allowed: readonly string[]): string[] {
    const word = key.toLowerCase();
    let best = Math.max(2, Math.floor(key.length / 3));
    let nearest: string[] = [];
    for (const candidate of allowed) {
        // The lengths alone put a candidate this far away at least.
        if (Math.abs(candidate.length - word.length) > best) continue;
        const distance = editDistance(word, candidate.toLowerCase());
        if (distance < best) [best, nearest] = [distance, [candidate]];
        else if (distance === best) nearest.push(candidate);
    }
    return nearest;
}

/** The optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
function editDistance(a: string, b: string): number {
    // Three rows of the table: the one before last (for transpositions), the last, and this one.
    let before = new Uint16Array(b.length + 1);
    let last = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
    let row = new Uint16Array(b.length + 1);
    for (let i = 1; i <= a.length; i++) {
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            let d = last[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            if (last[j] + 1 < d) d = last[j] + 1;
            if (row[j - 1] + 1 < d) d = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] && before[j - 2] + 1 < d) d = before[j - 2] + 1;
            row[j] = d;
        }
        const spare = before;
        before = last;
        last = row;
        row = spare;
    }
    return last[b.length];
}

/** The list items a key sits in, by name: ` in node group "general"`. */
function namedItem(raw: Record<string, unknown>, path: (string | number)[]): string {
    const items: string[] = [];
    path.forEach((segment, i) => {
        if (typeof segment !== "number") return;
        const name = (valueAt(raw, path.slice(0, i + 1)) as { name?: unknown } | undefined)?.name;
        const list = String(path[i - 1] ?? "item");
        if (typeof name === "string") items.push(`${ITEM_NOUNS[list] ?? list} "${name}"`);
    });
    return items.length === 0 ? "" : ` in ${items.join(", ")}`;
}

const ITEM_NOUNS: Record<string, string> = { nodeGroups: "node group", schedules: "schedule" };

function configKeyName(path: (string | number)[]): string {
    if (path[0] === "region") return "aws:region";
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
    return path.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

/**
 * Reads the stack's config through Pulumi (the project's namespace plus aws:region) and validates
 * it. Keys of the namespace that the schema does not have are passed on, to be reported with the
 * nearest real ones. `stackFileText` is the stack file as written, for the unquoted numbers an error
 * shows; by default Pulumi.<stack>.yaml in the working directory, where `pulumi` runs the program.
 */
export function loadStackConfig(stackFileText: string | undefined = readStackFileText(process.cwd(), pulumi.getStack())): StackConfig {
    const project = new pulumi.Config();
    const raw: Record<string, unknown> = {
        region: new pulumi.Config("aws").get("region"),
        environment: project.get("environment"),
        profile: project.get("profile"),
        protect: readBoolean(project, "protect"),
    };
    for (const key of STRUCTURED_KEYS) raw[key] = readObject(project, key);
    const namespace = `${pulumi.getProject()}:`;
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        const key = fullKey.slice(namespace.length);
        // Secret config (loadStackSecrets) is no key of the schema's.
        if (fullKey.startsWith(namespace) && !(key in raw) && !SECRET_KEYS.includes(key)) raw[key] = project.getObject(key) ?? project.get(key);
    }
    return validateStackConfig(raw, new Date(), () => (stackFileText === undefined ? new Map() : numbersAsWritten(stackFileText, pulumi.getProject())));
}

/** The text of Pulumi.<stack>.yaml in `projectDir`, if there is one. */
export function readStackFileText(projectDir: string, stack: string): string | undefined {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
}

/**
 * The numbers a stack file writes unquoted, as written, by config key in short form
 * ("cluster.kubernetesVersion" → "1.30"): YAML reads them as numbers, and 1.30 as 1.3.
 */
export function numbersAsWritten(text: string, project: string): Map<string, string> {
    const found = new Map<string, string>();
    const document = parseDocument(text);
    visit(document, {
        Scalar(_key, node, ancestors) {
            if (typeof node.value !== "number" || node.source === undefined) return;
            // The path down from the document: a pair's key, or an item's index in its list.
            const keys = ancestors.flatMap((ancestor, i): (string | number)[] => {
                if (isPair(ancestor) && isScalar(ancestor.key)) return [String(ancestor.key.value)];
                if (isSeq(ancestor)) return [ancestor.items.indexOf((ancestors[i + 1] ?? node) as never)];
                return [];
            });
            if (keys[0] !== "config" || keys.length < 2) return;
            const [full, ...rest] = keys.slice(1);
            const short = full === "aws:region" ? "region" : String(full).startsWith(`${project}:`) ? String(full).slice(project.length + 1) : String(full);
            found.set([short, ...rest].join("."), node.source);
        },
    });
    return found;
}

/** Keys of the namespace that hold secrets, read as Pulumi secrets by loadStackSecrets alone. */
const SECRET_KEYS: readonly string[] = ["uiOidcClientSecret"];

/** The secrets the config names (Pulumi secret config, never in the stack file's plain text). */
export function loadStackSecrets(): { uiOidcClientSecret?: pulumi.Output<string> } {
    const secret = new pulumi.Config().getSecret("uiOidcClientSecret");
    return secret === undefined ? {} : { uiOidcClientSecret: secret };
}

function readBoolean(config: pulumi.Config, key: string): unknown {
    const text = config.get(key);
    return text === "true" ? true : text === "false" ? false : text;
}

function readObject(config: pulumi.Config, key: string): unknown {
    try {
        return config.getObject(key);
    } catch {
        throw new ConfigError([`${key}: got text that is not JSON or YAML structure; allowed: an object as documented in the README`]);
    }
}
