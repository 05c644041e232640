/**
 * Tags as a real preview delivers them. A resource's own `tags` are only part of the story: the
 * AWS provider adds its `defaultTags` at apply time, and `tagsAll` (their merge, computed by the
 * provider) may or may not be known yet. Reading only `tags` would fail every resource that, like
 * ours, takes the mandatory tags from the provider.
 */
import { AWS_TYPES } from "./aws-types";
import { at, isUnknown, Read, readJsonObject, readRecord, readString, UNKNOWN, Unknown } from "./values";

/** The four tags CM-8 asks of every taggable resource (see config/schema.ts `tags`). */
export const REQUIRED_TAGS = ["Project", "Environment", "Owner", "CostCenter"] as const;

/**
 * AWS types that take a `tags` map, which the provider's default tags reach: every such type of
 * the installed @pulumi/aws (data/aws-types.ts, derived from the package). Sub-resources without
 * tags (bucket policies, routes, role policy attachments, KMS aliases, access keys) are not in it:
 * CM-8 inventories them through the resource they belong to. Neither are Auto Scaling groups, whose
 * `tags` is a list with propagate-at-launch flags that default tags skip.
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set(AWS_TYPES.taggable);

/** Tag values by key; a value (or the whole set) may be unknown during preview. */
export type TagSet = Readonly<Record<string, string | Unknown>>;

/** One tag map as given: UNKNOWN when the whole map is, otherwise its string values. */
function readTagMap(value: unknown): Read<TagSet> {
    const map = readRecord(value);
    if (map === undefined || map === UNKNOWN) return map;
    const tags: Record<string, string | Unknown> = {};
    for (const key of Object.keys(map)) {
        const v = readString(map[key]);
        if (v !== undefined) tags[key] = v;
    }
    return tags;
}

/**
 * The provider's default tags. Explicit providers reach a preview with `defaultTags` as JSON text
 * (@pulumi/aws serialises object-valued provider config), the offline engine may hand an object.
 */
function providerDefaultTags(providerProps: unknown): Read<TagSet> {
    const defaultTags = readJsonObject(at(providerProps, "defaultTags"));
    if (defaultTags === undefined || defaultTags === UNKNOWN) return defaultTags;
    return readTagMap(defaultTags.tags);
}

export interface MergedTags {
    /** Provider default tags, then `tagsAll`, then the resource's own tags (which win, as in AWS). */
    readonly tags: TagSet;
    /**
     * True when the resource's tags or the provider's default tags are unknown as a whole and
     * `tagsAll` (their merge) is not known either: a tag missing from `tags` may still arrive.
     */
    readonly incomplete: boolean;
}

export function mergedTags(props: unknown, providerProps?: unknown): MergedTags {
    const defaults = providerDefaultTags(providerProps);
    const all = readTagMap(at(props, "tagsAll"));
    const own = readTagMap(at(props, "tags"));
    const tags: Record<string, string | Unknown> = {};
    for (const source of [defaults, all, own]) {
        if (source !== undefined && source !== UNKNOWN) Object.assign(tags, source);
    }
    const incomplete = (defaults === UNKNOWN || own === UNKNOWN) && (all === undefined || all === UNKNOWN);
    return { tags, incomplete };
}

/**
 * The required tags missing from `tags` or set to an empty string; tags whose value is still
 * unknown count as present.
 */
export function missingRequiredTags(tags: TagSet): string[] {
    return REQUIRED_TAGS.filter((key) => {
        const value = tags[key];
        if (isUnknown(value)) return false;
        return typeof value !== "string" || value.trim() === "";
    });
}
