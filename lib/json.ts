/** JSON with object keys sorted at every level, so that policy documents and values diff quietly. */
export function sortedJson(value: unknown, indent?: number): string {
    return JSON.stringify(sortKeys(value), undefined, indent);
}

/** A deep copy of a JSON-like value with object keys sorted. */
export function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
    }
    return value;
}

/** A JSON object: anything object-typed but null and arrays. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
