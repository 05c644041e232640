/**
 * EKS add-on configuration values checked against the add-on's own configuration schema (what
 * `aws eks describe-addon-configuration` returns: JSON Schema draft-06), as far as it is known
 * offline: lib/data/vpc-cni-configuration-schema.json, derived by scripts/derive-addon-schema.ts
 * from a published describe-addon-configuration output, with its provenance. Checked: every key
 * exists where it is written (additionalProperties false), its JSON type, the string formats
 * "boolean" and "integer" EKS uses for its environment switches, required keys and minProperties.
 * Not checked: the schema of the add-on version EKS resolves at deploy time (it may add keys, and
 * could in principle drop one), and anything EKS validates beyond the schema.
 */

/** The draft-06 subset EKS add-on schemas use. */
export interface JsonSchema {
    readonly $ref?: string;
    readonly type?: string | readonly string[];
    readonly format?: string;
    readonly properties?: Readonly<Record<string, JsonSchema>>;
    readonly additionalProperties?: boolean | JsonSchema;
    readonly required?: readonly string[];
    readonly items?: JsonSchema;
    readonly minProperties?: number;
    readonly definitions?: Readonly<Record<string, JsonSchema>>;
}

export interface AddonSchema {
    readonly addonName: string;
    readonly addonVersion: string;
    /** Where the schema was published, and how it was derived. */
    readonly source: Readonly<Record<string, string>>;
    readonly schema: JsonSchema;
}

function typeOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

const FORMATS: Readonly<Record<string, RegExp>> = { boolean: /^(true|false)$/, integer: /^-?\d+$/ };

/** Every way `value` breaks `schema`, each naming the key path, the value and what is allowed. */
export function schemaProblems(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = "$"): string[] {
    if (schema.$ref) {
        const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
        const target = name ? root.definitions?.[name] : undefined;
        if (!target) throw new Error(`schema reference ${schema.$ref} at ${path} does not resolve`);
        return schemaProblems(value, target, root, path);
    }
    const problems: string[] = [];
    const types = schema.type === undefined ? undefined : ([] as string[]).concat(schema.type);
    const actual = typeOf(value);
    if (types && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
        return [`${path}: got ${JSON.stringify(value)} (${actual}); allowed: ${types.join(" or ")}`];
    }
    if (typeof value === "string" && schema.format && FORMATS[schema.format] && !FORMATS[schema.format].test(value)) {
        problems.push(`${path}: got ${JSON.stringify(value)}; allowed: a string holding ${schema.format === "boolean" ? '"true" or "false"' : "an integer"}`);
    }
    if (actual === "object") {
        const object = value as Record<string, unknown>;
        for (const key of schema.required ?? []) if (!(key in object)) problems.push(`${path}.${key}: missing; the add-on requires it`);
        if (schema.minProperties !== undefined && Object.keys(object).length < schema.minProperties) problems.push(`${path}: needs at least ${schema.minProperties} keys`);
        for (const [key, child] of Object.entries(object)) {
            const property = schema.properties?.[key];
            if (property) problems.push(...schemaProblems(child, property, root, `${path}.${key}`));
            else if (schema.additionalProperties === false) problems.push(`${path}.${key}: not a key the add-on accepts; allowed: ${Object.keys(schema.properties ?? {}).join(", ")}`);
            else if (typeof schema.additionalProperties === "object") problems.push(...schemaProblems(child, schema.additionalProperties, root, `${path}.${key}`));
        }
    }
    if (actual === "array" && schema.items) (value as unknown[]).forEach((item, i) => problems.push(...schemaProblems(item, schema.items!, root, `${path}[${i}]`)));
    return problems;
}

/**
 * The schema of an add-on from a describe-addon-configuration output, with its provenance: the
 * derivation scripts/derive-addon-schema.ts writes and the tests re-run.
 */
export function deriveAddonSchema(output: { addonName: string; addonVersion: string; configurationSchema: string }, source: Readonly<Record<string, string>>): AddonSchema {
    return { addonName: output.addonName, addonVersion: output.addonVersion, source, schema: JSON.parse(output.configurationSchema) as JsonSchema };
}
