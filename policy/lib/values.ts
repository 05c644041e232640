/**
 * Reading resource properties the way a real preview delivers them, without ever throwing.
 *
 * During `pulumi preview` the policy SDK hands rules their props wrapped in a proxy that throws an
 * `UnknownValueError` as soon as a rule touches a value the preview cannot know yet (an ARN of a key
 * that is still to be created, say). The SDK turns that error into an advisory "can't run policy"
 * note, which would silently switch off the whole rule for the resource. Rules read props through
 * these helpers instead: they see past the proxy and get `UNKNOWN` for such values, so each rule can
 * skip exactly the one check that depends on it.
 */

/**
 * The sentinels @pulumi/policy 1.21 (proxy.js) puts in place of values a preview cannot know,
 * one per kind of value. The engine sends every unknown as the string one; the others are listed so
 * that no sentinel is ever mistaken for data.
 */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (and what the engine sends for any unknown)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The string sentinel, for callers (the offline evaluator, tests) that need to produce an unknown. */
export const UNKNOWN_STRING_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What the readers return for a value that is not known yet. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/** A value read from props: known, absent (undefined), or not known yet. */
export type Read<T> = T | undefined | Unknown;

/** Pulumi's wire signature for a secret: `{ [SIG_KEY]: SECRET_SIG, value }` (@pulumi/pulumi runtime/rpc). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The property names the SDK's proxies answer to reveal themselves (proxy.js). */
const IS_SPECIAL_PROXY = "__isSpecialProxy";
const SPECIAL_PROXY_TARGET = "__getSpecialProxyTarget";

export function isUnknown(value: unknown): boolean {
    return value === UNKNOWN || (typeof value === "string" && UNKNOWN_SENTINELS.has(value));
}

/** True for a value that still carries Pulumi's secret signature. */
export function isSecretMarker(value: unknown): boolean {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/**
 * The object behind the SDK's unknown-checking proxy; other values as they are. The proxy wraps
 * lazily, so the target's own children are plain objects.
 */
export function unwrapProxy(value: unknown): unknown {
    if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[IS_SPECIAL_PROXY] === true) {
        return (value as Record<string, unknown>)[SPECIAL_PROXY_TARGET];
    }
    return value;
}

/** One value made plain: proxy removed, secret opened (a secret whose value was redacted is unknown). */
function plain(value: unknown): unknown {
    const unwrapped = unwrapProxy(value);
    if (isSecretMarker(unwrapped)) {
        const inner = (unwrapped as Record<string, unknown>).value;
        return inner === undefined ? UNKNOWN : plain(inner);
    }
    return isUnknown(unwrapped) ? UNKNOWN : unwrapped;
}

/**
 * The value at `path` below `value`: UNKNOWN as soon as any step is unknown (a whole object can be
 * unknown, not just a leaf), undefined when a step is absent or not an object.
 */
export function at(value: unknown, ...path: ReadonlyArray<string | number>): unknown {
    let current = plain(value);
    for (const key of path) {
        if (current === UNKNOWN) return UNKNOWN;
        if (current === null || typeof current !== "object") return undefined;
        current = plain((current as Record<string | number, unknown>)[key]);
    }
    return current;
}

export function readString(value: unknown): Read<string> {
    const v = plain(value);
    if (v === UNKNOWN) return UNKNOWN;
    return typeof v === "string" ? v : undefined;
}

/** A set string: absent for undefined and for "" (AWS treats an empty id as not set). */
export function readNonEmptyString(value: unknown): Read<string> {
    const v = readString(value);
    return v === "" ? undefined : v;
}

/** The spellings the provider parses as booleans (Go's strconv.ParseBool), for string-typed flags. */
const TRUE_SPELLINGS: ReadonlySet<string> = new Set(["true", "1", "t"]);
const FALSE_SPELLINGS: ReadonlySet<string> = new Set(["false", "0", "f"]);

/**
 * A boolean flag as the provider reads it. Some flags are strings in the provider's schema (launch
 * template `encrypted`, `associatePublicIpAddress`, ...) so that "unset" differs from false; the
 * provider parses them as Go does, so "True", "TRUE", "1" and "t" are true as much as true is.
 * Anything else (an unparseable string) is not a setting the provider would accept: undefined.
 */
export function readFlag(value: unknown): Read<boolean> {
    const v = plain(value);
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v === 1 ? true : v === 0 ? false : undefined;
    if (typeof v !== "string") return undefined;
    const text = v.trim().toLowerCase();
    if (TRUE_SPELLINGS.has(text)) return true;
    if (FALSE_SPELLINGS.has(text)) return false;
    return undefined;
}

/** A number, also from a numeric string (Kubernetes and JSON-encoded inputs carry numbers as text). */
export function readNumber(value: unknown): Read<number> {
    const v = plain(value);
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

/** A list; its elements may still be unknown and are read with the other readers. */
export function readList(value: unknown): Read<readonly unknown[]> {
    const v = plain(value);
    if (v === UNKNOWN) return UNKNOWN;
    return Array.isArray(v) ? v : undefined;
}

/** A plain object (not a list). */
export function readRecord(value: unknown): Read<Readonly<Record<string, unknown>>> {
    const v = plain(value);
    if (v === UNKNOWN) return UNKNOWN;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A list of strings where one is given as a string or a list (IAM's Action, Resource, ...). */
export function readStringOrList(value: unknown): Read<ReadonlyArray<string | Unknown>> {
    const v = plain(value);
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v === "string") return [v];
    if (!Array.isArray(v)) return undefined;
    return v.flatMap((item) => {
        const s = readString(item);
        return s === undefined ? [] : [s];
    });
}

/**
 * A JSON document given as text or as an object (policy documents, provider config): the object,
 * UNKNOWN while it cannot be known, undefined when absent or not valid JSON.
 */
export function readJsonObject(value: unknown): Read<Readonly<Record<string, unknown>>> {
    const v = plain(value);
    if (v === UNKNOWN) return UNKNOWN;
    if (typeof v === "string") {
        try {
            return readRecord(JSON.parse(v));
        } catch {
            return undefined;
        }
    }
    return readRecord(v);
}
