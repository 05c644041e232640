/**
 * Checks a custom resource against the OpenAPI v3 schema its CustomResourceDefinition publishes,
 * as the API server does on create with strict field validation: types, required fields, enums,
 * bounds, and no field the schema does not know (unless it preserves unknown fields). CEL rules
 * (x-kubernetes-validations) are not evaluated.
 */
import { Manifest } from "./helm/render";

/** The schema of `kind` in `apiVersion` among the CRDs, or undefined when none serves it. */
export function crdSchema(crds: readonly Manifest[], apiVersion: string, kind: string): any | undefined {
    const [group, version] = apiVersion.split("/");
    const crd = crds.find((c) => c.spec?.group === group && c.spec?.names?.kind === kind);
    return crd?.spec.versions.find((v: any) => v.name === version && v.served)?.schema?.openAPIV3Schema;
}

/** The schema violations of a custom resource, each as "<path>: <problem>"; empty when it is valid. */
export function validateResource(resource: { apiVersion: string; kind: string; spec?: unknown; [field: string]: unknown }, schema: any): string[] {
    // apiVersion, kind and metadata (ObjectMeta) are the API server's own, checked apart from the CRD's schema.
    const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...body } = resource;
    return validate(body, schema, "");
}

function typeOf(value: unknown): string {
    if (Array.isArray(value)) return "array";
    if (value === null) return "null";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
}

function validate(value: unknown, schema: any, path: string): string[] {
    if (!schema || value === undefined) return [];
    const at = path || "(root)";
    if (value === null) return schema.nullable ? [] : [`${at}: null is not allowed`];
    if (schema["x-kubernetes-int-or-string"]) {
        return typeof value === "string" || Number.isInteger(value) ? [] : [`${at}: expected an integer or a string, got ${typeOf(value)}`];
    }
    const errors: string[] = [];
    for (const sub of schema.allOf ?? []) errors.push(...validate(value, sub, path));
    // A branch of anyOf, oneOf or not constrains the value (required fields, say) without listing
    // its fields: the fields themselves are the enclosing schema's, so the branch leaves them open.
    const branch = (sub: any) => ({ ...sub, type: sub.type ?? schema.type, ...(sub.properties ? {} : { "x-kubernetes-preserve-unknown-fields": true }) });
    for (const key of ["anyOf", "oneOf"] as const) {
        if (schema[key] && !schema[key].some((sub: any) => validate(value, branch(sub), path).length === 0)) errors.push(`${at}: matches none of ${key}`);
    }
    if (schema.not && validate(value, branch(schema.not), path).length === 0) errors.push(`${at}: matches what not excludes`);
    if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    const actual = typeOf(value);
    switch (schema.type) {
        case undefined:
            return errors;
        case "object": {
            if (actual !== "object") return [...errors, `${at}: expected an object, got ${actual}`];
            const object = value as Record<string, unknown>;
            for (const key of schema.required ?? []) if (!(key in object)) errors.push(`${at}: missing required field ${key}`);
            for (const [key, item] of Object.entries(object)) {
                const child = path ? `${path}.${key}` : key;
                if (schema.properties?.[key]) errors.push(...validate(item, schema.properties[key], child));
                else if (schema.additionalProperties && typeof schema.additionalProperties === "object") errors.push(...validate(item, schema.additionalProperties, child));
                else if (!schema.additionalProperties && !schema["x-kubernetes-preserve-unknown-fields"]) errors.push(`${child}: unknown field`);
            }
            return errors;
        }
        case "array":
            if (actual !== "array") return [...errors, `${at}: expected an array, got ${actual}`];
            if (schema.minItems !== undefined && (value as unknown[]).length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
            return [...errors, ...(value as unknown[]).flatMap((item, i) => validate(item, schema.items, `${path}[${i}]`))];
        case "integer":
        case "number":
            if (actual !== "integer" && !(schema.type === "number" && actual === "number")) return [...errors, `${at}: expected ${schema.type}, got ${actual}`];
            if (schema.minimum !== undefined && (value as number) < schema.minimum) errors.push(`${at}: ${value} is below the minimum ${schema.minimum}`);
            if (schema.maximum !== undefined && (value as number) > schema.maximum) errors.push(`${at}: ${value} is above the maximum ${schema.maximum}`);
            return errors;
        case "string":
            if (actual !== "string") return [...errors, `${at}: expected a string, got ${actual}`];
            if (schema.pattern && !new RegExp(schema.pattern).test(value as string)) errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
            return errors;
        case "boolean":
            return actual === "boolean" ? errors : [...errors, `${at}: expected a boolean, got ${actual}`];
        default:
            return errors;
    }
}
