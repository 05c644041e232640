/**
 * Which environment a rule judges: prod adds requirements (private endpoint, long retention, HA,
 * backups, mesh-wide mTLS) that would make a cheap dev stack fail for no security gain.
 */
import { TagSet } from "./tags";

export const ENVIRONMENTS = ["dev", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** What the pack assumes when neither policy config nor an Environment tag says: the strict one. */
export const FALLBACK_ENVIRONMENT: Environment = "prod";

export function asEnvironment(value: unknown): Environment | undefined {
    if (typeof value !== "string") return undefined;
    const lower = value.trim().toLowerCase();
    return (ENVIRONMENTS as readonly string[]).includes(lower) ? (lower as Environment) : undefined;
}

/**
 * The environment from policy config, else from the Environment tag, else the strict fallback:
 * a stack that says nothing gets prod's checks rather than silently fewer (required-tags already
 * reports the missing tag).
 */
export function resolveEnvironment(configured: unknown, tags: ReadonlyArray<TagSet>): Environment {
    const fromConfig = asEnvironment(configured);
    if (fromConfig) return fromConfig;
    for (const set of tags) {
        const fromTag = asEnvironment(set.Environment);
        if (fromTag) return fromTag;
    }
    return FALLBACK_ENVIRONMENT;
}
