/**
 * Derives the custom resources' fields that their operators only ever grow, from the vendored
 * charts' own CustomResourceDefinitions: a field whose schema description says it "cannot be
 * decreased" (Strimzi's KafkaTopic `spec.partitions`: Kafka adds partitions, it never removes
 * them). An update that lowers one is not applied: the operator leaves the object as it is and
 * marks it not Ready, so `pulumi up` fails on its wait. `--diff` refuses such an update before it
 * is made (planner/diff.ts). Only type tokens, field paths and the files they come from are
 * written, not the descriptions.
 *
 * Run: `npm run derive-grow-only` (reads charts/vendor/**\/crds/, writes planner/data/grow-only.json).
 */
import * as fs from "fs";
import * as jsyaml from "js-yaml";
import * as path from "path";

const ROOT = path.join(__dirname, "..");
const VENDOR = path.join(ROOT, "charts", "vendor");
export const OUTPUT = path.join(ROOT, "planner", "data", "grow-only.json");
/** How a CRD says that its operator never lowers a field. */
const GROWS_ONLY = /\bcannot be decreased\b/i;

export interface GrowOnlyField {
    /** The field's dotted path in the object, e.g. "spec.partitions". */
    readonly path: string;
    /** The CRD file that says so, relative to the project. */
    readonly file: string;
}

export interface GrowOnly {
    readonly derivedBy: string;
    readonly derivedAt: string;
    readonly rule: string;
    /** By Pulumi type token (kubernetes:<group>/<version>:<Kind>), every served version of the CRD. */
    readonly types: Record<string, readonly GrowOnlyField[]>;
}

/** The YAML files of every `crds/` folder under `dir`. */
function crdFiles(dir: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) found.push(...crdFiles(full));
        // Helm installs the files directly in a chart's crds/ folder as they are; templates elsewhere are not YAML yet.
        else if (/\.ya?ml$/.test(entry.name) && path.basename(dir) === "crds") found.push(full);
    }
    return found.sort();
}

/** The dotted paths below `schema` whose descriptions match GROWS_ONLY. */
export function growOnlyPaths(schema: any, prefix = ""): string[] {
    if (!schema || typeof schema !== "object") return [];
    const here = prefix && typeof schema.description === "string" && GROWS_ONLY.test(schema.description) ? [prefix] : [];
    const below = Object.entries(schema.properties ?? {}).flatMap(([key, child]) => growOnlyPaths(child, prefix ? `${prefix}.${key}` : key));
    return [...here, ...below, ...(schema.items ? growOnlyPaths(schema.items, prefix) : [])];
}

export function deriveGrowOnly(vendor = VENDOR): GrowOnly {
    const types: Record<string, GrowOnlyField[]> = {};
    for (const file of crdFiles(vendor)) {
        for (const doc of jsyaml.loadAll(fs.readFileSync(file, "utf8")) as any[]) {
            if (doc?.kind !== "CustomResourceDefinition") continue;
            for (const version of doc.spec?.versions ?? []) {
                if (!version.served) continue;
                const paths = growOnlyPaths(version.schema?.openAPIV3Schema);
                if (paths.length === 0) continue;
                const token = `kubernetes:${doc.spec.group}/${version.name}:${doc.spec.names.kind}`;
                types[token] = paths.map((p) => ({ path: p, file: path.relative(ROOT, file).split(path.sep).join("/") }));
            }
        }
    }
    return {
        derivedBy: "scripts/derive-grow-only.ts",
        derivedAt: new Date().toISOString().slice(0, 10),
        rule: "fields of the vendored charts' CRDs whose schema description says they cannot be decreased",
        types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
    };
}

if (require.main === module) {
    const derived = deriveGrowOnly();
    fs.writeFileSync(OUTPUT, `${JSON.stringify(derived, null, 2)}\n`);
    console.log(`${path.relative(process.cwd(), OUTPUT)}: ${Object.keys(derived.types).length} types`);
}
