/**
 * Waivers: the one way to exempt a resource from a rule. A waiver lives in the stack's policy
 * config, under the rule it exempts from, and says which resource, why, and until when:
 *
 *     "s3-versioning": { "waivers": [{ "resource": "scratch-bucket", "reason": "...", "expires": "2026-12-31" }] }
 *
 * The pack applies it on every preview and update (a waived violation is not reported); from the
 * day after `expires` the violation is reported again, naming the lapsed waiver. The offline plan
 * lists every waiver with what it matched, and reports those that match nothing.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

export interface Waiver {
    /** The resource's name (its logical name) or its full URN. */
    readonly resource: string;
    /** Why the exemption is acceptable, for the reviewer and the auditor. */
    readonly reason: string;
    /** The last day (UTC, YYYY-MM-DD) the waiver applies. */
    readonly expires: string;
}

/** The shortest reason accepted: a word or two is not a reason. */
export const MINIMUM_REASON_LENGTH = 20;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The config property every rule takes, so that the CLI validates waivers against it too. */
export const WAIVERS_PROPERTY: PolicyConfigSchema["properties"][string] = {
    type: "array",
    description: "Resources exempted from this rule, each with a written reason and the last day the exemption holds",
    items: {
        type: "object",
        additionalProperties: false,
        required: ["resource", "reason", "expires"],
        properties: {
            resource: { type: "string", minLength: 1, description: "The resource's name or URN" },
            reason: { type: "string", minLength: MINIMUM_REASON_LENGTH, description: "Why the exemption is acceptable" },
            expires: { type: "string", pattern: DATE.source, description: "The last day (UTC) the waiver applies, YYYY-MM-DD" },
        },
    },
};

/** A calendar date that exists (2026-02-30 does not). */
function isDate(text: string): boolean {
    const match = DATE.exec(text);
    if (!match) return false;
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * The last day a waiver written on `on` may run to: one year ahead. A waiver is a risk accepted,
 * and a risk acceptance is decided again at least at each yearly assessment (NIST SP 800-53 CA-2,
 * CA-5's plan of action): a later date would let it outlive the review that must renew it.
 */
export function latestExpiry(on: string): string {
    const date = new Date(`${on}T00:00:00Z`);
    date.setUTCFullYear(date.getUTCFullYear() + 1);
    return date.toISOString().slice(0, 10);
}

/**
 * What is wrong with one waiver as given, one message per mistake; `where` names it
 * (e.g. `s3-versioning.waivers[0]`). With `on`, the day a config file is checked, an expiry more
 * than a year after it is one too.
 */
export function waiverProblems(value: unknown, where: string, on?: string): string[] {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${where}: expected an object { resource, reason, expires }, got ${JSON.stringify(value)}`];
    const given = value as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(given)) {
        if (!["resource", "reason", "expires"].includes(key)) problems.push(`${where}.${key}: not a waiver field (resource, reason, expires)`);
    }
    if (typeof given.resource !== "string" || given.resource.trim() === "") problems.push(`${where}.resource: got ${JSON.stringify(given.resource)}; expected the resource's name or URN`);
    if (typeof given.reason !== "string" || given.reason.trim().length < MINIMUM_REASON_LENGTH) {
        problems.push(`${where}.reason: got ${JSON.stringify(given.reason)}; expected a written reason of at least ${MINIMUM_REASON_LENGTH} characters`);
    }
    if (typeof given.expires !== "string" || !isDate(given.expires)) problems.push(`${where}.expires: got ${JSON.stringify(given.expires)}; expected a date YYYY-MM-DD`);
    else if (on !== undefined && given.expires > latestExpiry(on)) {
        problems.push(`${where}.expires: got ${JSON.stringify(given.expires)}; expected a date at most one year ahead, by ${latestExpiry(on)}: a waiver is a risk accepted until the next yearly assessment (CA-2, CA-5) renews it`);
    }
    return problems;
}

/** The well-formed waivers of a rule's config (the CLI and loadPackConfig reject the others). */
export function readWaivers(value: unknown): Waiver[] {
    if (!Array.isArray(value)) return [];
    return value.filter((w, i): w is Waiver => waiverProblems(w, String(i)).length === 0);
}

/** Today as YYYY-MM-DD in UTC. */
export function today(now: Date = new Date()): string {
    return now.toISOString().slice(0, 10);
}

export function isExpired(waiver: Waiver, on: string = today()): boolean {
    return waiver.expires < on;
}

/** The waiver of `waivers` that names the resource, if any. */
export function waiverFor(waivers: readonly Waiver[], resource: { readonly urn: string; readonly name: string }): Waiver | undefined {
    return waivers.find((w) => w.resource === resource.urn || w.resource === resource.name);
}

/** A violation's message once a lapsed waiver no longer covers it. */
export function lapsedMessage(message: string, waiver: Waiver): string {
    return `${message} (waiver expired ${waiver.expires}: ${waiver.reason})`;
}
