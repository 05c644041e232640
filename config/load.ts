/**
 * Loads the stack config into one validated, typed object. This is the only module that reads
 * Pulumi config; components receive their slice of the result.
 */
import * as pulumi from "@pulumi/pulumi";
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
 * has already upgraded away from is refused rather than left to go stale.
 */
export function validateStackConfig(stackFile: Record<string, unknown>, today: Date = new Date()): StackConfig {
    const raw = withProfileDefaults(stackFile);
    const result = stackConfigSchema.safeParse(raw);
    if (!result.success) {
        // Without a valid profile, what it would have filled in has no default: that is the profile's error, not another.
        const profileFailed = result.error.issues.some((i) => i.path.join(".") === "profile");
        const restated = (issue: z.core.$ZodIssue) => profileFailed && (issue.path.join(".") === "protect" || isProfileDefault(issue.path as (string | number)[]))
            && valueAt(stackFile, issue.path as (string | number)[]) === undefined;
        throw new ConfigError(formatConfigIssues(new z.ZodError(result.error.issues.filter((i) => !restated(i))), raw, stackFile));
    }
    const { kubernetesVersion, supportType } = result.data.cluster;
    const outOfSupport = supportWindowProblem(kubernetesVersion, supportType, today);
    if (outOfSupport) throw new ConfigError([`cluster.kubernetesVersion: got ${JSON.stringify(kubernetesVersion)}; allowed: ${outOfSupport}`]);
    return result.data;
}

/**
 * One line per issue: the config key, the value found there, and what is allowed. A key inside a
 * named list item (a node group, a schedule) says which item by name; a whole item is described by
 * the check that failed, never dumped.
 */
export function formatConfigIssues(error: z.ZodError, raw: Record<string, unknown>, stackFile: Record<string, unknown> = raw): string[] {
    return error.issues.map((issue) => {
        const path = issue.path as (string | number)[];
        const key = path.length === 0 ? "(config)" : configKeyName(path);
        const value = valueAt(raw, path);
        // A value the stack file left out is the profile's: say so, or the user looks for it in vain.
        const fromProfile = value !== undefined && valueAt(stackFile, path) === undefined && isProfileDefault(path) ? ` (the ${String(raw.profile)} profile's default)` : "";
        // An unknown key is the mistake, not the object around it (which holds the profile's sizes too).
        const got = (issue as { params?: { got?: string } }).params?.got
            ?? (issue.code === "unrecognized_keys" ? "an object with keys it does not have"
                : value === undefined ? "nothing (the key is missing)" : `${JSON.stringify(value)}${fromProfile}`);
        const allowed = issue.code === "unrecognized_keys"
            ? `no keys other than the documented ones (unknown: ${issue.keys.join(", ")})`
            : issue.message;
        return `${key}: got ${got}${namedItem(raw, path)}; allowed: ${allowed}`;
    });
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

/** Reads the stack's config through Pulumi (the project's namespace plus aws:region) and validates it. */
export function loadStackConfig(): StackConfig {
    const project = new pulumi.Config();
    const raw: Record<string, unknown> = {
        region: new pulumi.Config("aws").get("region"),
        environment: project.get("environment"),
        profile: project.get("profile"),
        protect: readBoolean(project, "protect"),
    };
    for (const key of STRUCTURED_KEYS) raw[key] = readObject(project, key);
    return validateStackConfig(raw);
}

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
