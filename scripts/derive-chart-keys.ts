/**
 * Derives the values keys each pinned Helm chart accepts and writes them to charts/keys/<chart>-<version>.json.
 *
 * Helm silently ignores values keys a chart does not read, so a typo or a key removed upstream configures nothing.
 * lib/chart-keys.ts checks every values object against the committed lists this script produces.
 *
 * Usage: npx ts-node --transpile-only scripts/derive-chart-keys.ts [shared-charts-dir]   (default ../shared/charts)
 *
 * For each chart in components/helm/catalog.ts, from <shared>/<folder>/<version>/:
 *   - values.yaml: every key present in the defaults; a map defaulting to {} or null, or a list defaulting to [],
 *     is an open prefix (any key below it is accepted); a list with default elements accepts the union of their keys;
 *     `.Values.x` references inside templated strings (config blobs) are keys too, and `toYaml` of a value makes it open;
 *     for a chart without template refs (mimir), keys left commented out at their siblings' column are keys as well;
 *   - template-values-refs.txt: every path the templates read is a key (the templates consume it);
 *   - values.schema.json / kiali-cr-spec.schema.json: declared properties are keys; free-form objects are open
 *     unless the chart's own defaults give that map a structure;
 *   - Chart.yaml dependencies: a subchart whose values are vendored and pinned in the catalog is mounted (its own key
 *     list applies below the alias); any other subchart is open;
 *   - CHART_RULES below: the few pass-throughs, aliases and removed keys that the files cannot show.
 *
 * Path format in the data files: a path is a JSON array of segments, so keys containing dots ("grafana.ini",
 * "eks.amazonaws.com/role-arn") stay single segments; the segment "[]" stands for any item of a list.
 * Only key paths are written: no upstream descriptions or defaults.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { CHARTS } from "../components/helm/catalog";
import { isJsonObject } from "../lib/json";

type Path = readonly string[];

/** The segment that stands for any item of a list. */
const LIST_ITEM = "[]";

/** A key in the tree of one chart's values. */
interface KeyNode {
    readonly children: Map<string, KeyNode>;
    /** Something says everything below is free-form: a pass-through, an open subchart, `toYaml` or the schema. */
    freeForm: boolean;
    /** The default is {} or []: the chart gives no structure, so any content is accepted. */
    emptyDefault: boolean;
    /** The default is null: usually a map or list to fill in (a scalar only when the schema says so). */
    nullDefault: boolean;
    /** The default is a non-empty map or list: the chart's own structure, which a lax schema must not widen. */
    structuredDefault: boolean;
    /** The schema lists this map's properties and does not invite others, so an empty default is no free-form map. */
    schemaClosed: boolean;
    /** The schema allows only scalar types here. */
    schemaScalar: boolean;
}

function newNode(): KeyNode {
    return {
        children: new Map(),
        freeForm: false,
        emptyDefault: false,
        nullDefault: false,
        structuredDefault: false,
        schemaClosed: false,
        schemaScalar: false,
    };
}

function child(node: KeyNode, segment: string): KeyNode {
    let next = node.children.get(segment);
    if (!next) {
        next = newNode();
        node.children.set(segment, next);
    }
    return next;
}

function ensurePath(root: KeyNode, keyPath: Path): KeyNode {
    return keyPath.reduce(child, root);
}

function findPath(root: KeyNode, keyPath: Path): KeyNode | undefined {
    let node: KeyNode | undefined = root;
    for (const segment of keyPath) node = node?.children.get(segment);
    return node;
}

function isOpen(node: KeyNode): boolean {
    if (node.freeForm) return true;
    const itemsClosed = node.children.get(LIST_ITEM)?.schemaClosed ?? false;
    if (node.schemaClosed || itemsClosed) return false;
    return node.emptyDefault || (node.nullDefault && !node.schemaScalar);
}

/**
 * Kubernetes API objects (or maps and lists of them) and argument lists that charts copy into manifests whole;
 * their fields follow Kubernetes' or the program's schema, not the chart's, so they are open wherever a chart has them.
 */
const PASS_THROUGH_NAMES = new Set([
    "affinity",
    "annotations",
    "containerSecurityContext",
    "env",
    "envFrom",
    "extraArgs",
    "extraContainers",
    "extraEnv",
    "extraEnvFrom",
    "extraEnvs",
    "extraVolumeMounts",
    "extraVolumes",
    "hostAliases",
    "imagePullSecrets",
    "initContainers",
    "labels",
    "livenessProbe",
    "metricRelabelings",
    "nodeSelector",
    "podAnnotations",
    "podLabels",
    "podSecurityContext",
    "readinessProbe",
    "relabelings",
    "resources",
    "securityContext",
    "startupProbe",
    "tolerations",
    "topologySpreadConstraints",
]);

interface ChartRules {
    /** The catalog names the chart differently from its folder in the shared charts directory. */
    readonly folder?: string;
    /** The map in values.yaml that holds the defaults users set at the top level. */
    readonly defaultsRoot?: string;
    /**
     * Paths handed to the application verbatim: open although their default has structure. Listed even where today's
     * default is {} so that a version whose default gains content does not quietly close them.
     */
    readonly passThrough?: readonly Path[];
    /** Valid paths that none of the source files lists. */
    readonly extraKeys?: readonly Path[];
    /** Top-level names that templates read for the chart's own bookkeeping; not user settings. */
    readonly internalRefs?: readonly string[];
    /** A top-level key under which every top-level key is valid again. */
    readonly rootAlias?: string;
    /** Paths the sources mention but that do not exist in this version (INDEX.md marks them ✗). */
    readonly removed?: readonly Path[];
    /** The values file to read, relative to the version's folder, where the folder's own values.yaml is not the pinned version's. */
    readonly valuesFile?: string;
}

/** What the source files cannot show, per catalog chart name; every entry gives its reason. */
const CHART_RULES: Readonly<Record<string, ChartRules>> = {
    "cluster-autoscaler": {
        passThrough: [
            ["extraArgs"], // each entry becomes a --key=value flag of cluster-autoscaler; its default is non-empty
        ],
    },
    "kube-prometheus-stack": {
        passThrough: [
            ["alertmanager", "config"], // rendered verbatim as alertmanager.yaml
            ["prometheus", "prometheusSpec", "storageSpec"], // copied into the Prometheus CR's storage field
            ["alertmanager", "alertmanagerSpec", "storage"], // copied into the Alertmanager CR's storage field
        ],
    },
    "mimir-distributed": {
        // The folder's values.yaml comes from a commit after 6.2.0 and has keys 6.2.0 lacks; chart/ is the 6.2.0 chart.
        valuesFile: "chart/values.yaml",
        passThrough: [
            ["mimir", "structuredConfig"], // merged over the generated Mimir config; keys follow Mimir's config reference
        ],
    },
    loki: {
        passThrough: [
            ["loki", "structuredConfig"], // merged over the generated Loki config; keys follow Loki's config reference
            ["loki", "limits_config"], // rendered verbatim as Loki's limits_config
            ["loki", "compactor"], // rendered verbatim as Loki's compactor block
            ["loki", "schemaConfig"], // rendered verbatim as Loki's schema_config
        ],
    },
    tempo: {
        passThrough: [
            ["tempo", "storage"], // rendered verbatim as Tempo's storage block
            ["tempo", "receivers"], // rendered verbatim as the distributor's receivers
        ],
    },
    "tempo-distributed": {
        passThrough: [
            ["tempo", "structuredConfig"], // merged over the generated Tempo config; keys follow Tempo's config reference
        ],
        removed: [
            ["minio"], // MinIO was removed in 3.x: validate.yaml reads minio.enabled only to fail the render
            ["compactor"], // Tempo 3 has no compactor: the template ref only guards against leftover 2.x settings
        ],
    },
    grafana: {
        passThrough: [
            ["grafana.ini"], // rendered verbatim as grafana.ini sections and keys
        ],
    },
    base: {
        folder: "istio-base",
        defaultsRoot: "_internal_defaults_do_not_set",
        extraKeys: [
            ["profile"], // applied by the chart's profile-merge helper (INDEX.md lists it as valid)
        ],
        internalRefs: ["_internal_defaults_do_not_set", "defaults"], // the merge helpers' own scratch values
    },
    istiod: {
        defaultsRoot: "_internal_defaults_do_not_set",
        passThrough: [
            ["meshConfig"], // rendered verbatim as Istio's MeshConfig
        ],
        extraKeys: [
            ["profile"], // applied by the chart's profile-merge helper
            ["compatibilityVersion"], // selects the compatibility-version profile in the same helper
        ],
        internalRefs: ["_internal_defaults_do_not_set", "defaults", "_original"], // the merge helpers' own scratch values
        rootAlias: "pilot", // legacy: zzy_descope_legacy.yaml merges pilot.* into the top level
    },
    cni: {
        folder: "istio-cni",
        defaultsRoot: "_internal_defaults_do_not_set",
        extraKeys: [
            ["profile"], // applied by the chart's profile-merge helper
        ],
        internalRefs: ["_internal_defaults_do_not_set", "defaults", "_original"], // the merge helpers' own scratch values
        rootAlias: "cni", // legacy: zzy_descope_legacy.yaml merges cni.* into the top level
    },
    ztunnel: {
        defaultsRoot: "_internal_defaults_do_not_set",
        extraKeys: [
            ["profile"], // applied by the chart's profile-merge helper
        ],
        internalRefs: ["_internal_defaults_do_not_set", "defaults", "_original"], // the merge helpers' own scratch values
    },
    kubecost: {
        removed: [
            ["global", "prometheus"], // cost-analyzer 2.x key, absent from 3.x (INDEX.md) although a template names it
            ["persistentVolume"], // cost-analyzer 2.x key, absent from 3.x (INDEX.md) although a template names it
        ],
    },
};

/** The fields of a JSON schema this script looks at. */
interface JsonSchema {
    readonly $ref?: string;
    readonly type?: string | readonly string[];
    readonly properties?: Readonly<Record<string, JsonSchema>>;
    readonly additionalProperties?: boolean | JsonSchema;
    readonly items?: JsonSchema | readonly JsonSchema[];
    readonly anyOf?: readonly JsonSchema[];
    readonly oneOf?: readonly JsonSchema[];
    readonly allOf?: readonly JsonSchema[];
    readonly "x-kubernetes-preserve-unknown-fields"?: boolean;
}

interface SubchartMount {
    readonly path: Path;
    readonly chart: string;
    readonly version: string;
}

/** The committed data file; lib/chart-keys.ts reads the same shape. */
interface KeyFile {
    readonly chart: string;
    readonly version: string;
    readonly derivedFrom: {
        readonly dir: string;
        readonly files: readonly string[];
        readonly sourceRepo: string;
        readonly commit: string;
    };
    readonly subcharts: readonly SubchartMount[];
    readonly openPrefixes: readonly Path[];
    readonly keys: readonly Path[];
}

/** Records the keys of a default value, and whether it leaves its content to the user. */
function addDefault(node: KeyNode, value: unknown): void {
    if (value === null || value === undefined) {
        node.nullDefault = true;
    } else if (Array.isArray(value)) {
        if (value.length === 0) node.emptyDefault = true;
        else node.structuredDefault = true;
        const items = child(node, LIST_ITEM);
        for (const item of value) addDefault(items, item);
    } else if (isJsonObject(value)) {
        const entries = Object.entries(value);
        if (entries.length === 0) node.emptyDefault = true;
        else node.structuredDefault = true;
        for (const [key, v] of entries) addDefault(child(node, key), v);
    }
}

/**
 * Turns a dotted reference into segments. Keys may contain dots, so at each level the longest run of segments that
 * names an existing key wins ("grafana.ini.server" is ["grafana.ini", "server"] in the grafana chart).
 */
function resolveDotted(root: KeyNode, dotted: string): string[] {
    const parts = dotted.split(".");
    const segments: string[] = [];
    let node: KeyNode | undefined = root;
    let i = 0;
    while (i < parts.length) {
        let taken = 1;
        for (let j = parts.length; j > i + 1; j--) {
            if (node?.children.has(parts.slice(i, j).join("."))) {
                taken = j - i;
                break;
            }
        }
        const segment = parts.slice(i, i + taken).join(".");
        segments.push(segment);
        node = node?.children.get(segment);
        i += taken;
    }
    return segments;
}

const VALUES_REF = /\$?\.Values\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)/g;
const TO_YAML_OF_VALUE = [
    /toYaml\s*\(?\s*\$?\.Values\.([A-Za-z0-9_.-]+)/g,
    /\$?\.Values\.([A-Za-z0-9_.-]+)\s*\|\s*toYaml/g,
];
const WITH_BLOCK = /\{\{-?\s*with\s+\$?\.Values\.([A-Za-z0-9_.-]+)\s*-?\}\}([\s\S]*?)\{\{-?\s*end/g;
/** `toYaml .` or `. | toYaml` inside a with block: the whole value is rendered. */
const TO_YAML_OF_DOT = /toYaml\s+\.(?![\w.])|(?:^|[\s(])\.\s*\|\s*toYaml/;

function collectStrings(value: unknown, out: string[]): void {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach((v) => collectStrings(v, out));
    else if (isJsonObject(value)) Object.values(value).forEach((v) => collectStrings(v, out));
}

/** Charts template some defaults (config blobs through `tpl`); their `.Values` references are template reads too. */
function addTemplatedStringRefs(root: KeyNode, defaults: unknown): void {
    const strings: string[] = [];
    collectStrings(defaults, strings);
    for (const text of strings.filter((s) => s.includes(".Values."))) {
        for (const match of text.matchAll(VALUES_REF)) ensurePath(root, resolveDotted(root, match[1]));
        for (const pattern of TO_YAML_OF_VALUE) {
            for (const match of text.matchAll(pattern)) ensurePath(root, resolveDotted(root, match[1])).freeForm = true;
        }
        for (const match of text.matchAll(WITH_BLOCK)) {
            if (TO_YAML_OF_DOT.test(match[2])) ensurePath(root, resolveDotted(root, match[1])).freeForm = true;
        }
    }
}

const COMMENTED_KEY = /^(\s*)# ([a-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*):(?:\s|$)/;
/** Lowercase labels that start prose or links in values.yaml comments, not commented-out keys. */
const PROSE_LABELS = new Set(["ref", "scope"]);

function leadingSpaces(line: string): number {
    return line.length - line.trimStart().length;
}

/**
 * Adds the keys values.yaml leaves commented out (`# storageClass: "-"` at the column of its sibling keys): valid
 * settings without a default. Paragraphs that mention an example are skipped, since examples show whole documents
 * at arbitrary indentation.
 */
function addCommentedKeys(root: KeyNode, text: string, defaultsRoot: string | undefined): void {
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: false, merge: true });
    const lines = text.split("\n");
    const keyLines = new Map<number, { col: number; keyPath: string[]; container: boolean }>();
    const scalarLines = new Set<number>();
    YAML.visit(doc, {
        Pair(_, pair, ancestors) {
            if (!YAML.isScalar(pair.key) || !pair.key.range) return;
            const keyPath: string[] = [];
            for (const a of ancestors) {
                if (YAML.isPair(a) && YAML.isScalar(a.key)) keyPath.push(String(a.key.value));
                else if (YAML.isSeq(a)) keyPath.push(LIST_ITEM);
            }
            keyPath.push(String(pair.key.value));
            const { line, col } = lineCounter.linePos(pair.key.range[0]);
            const value = pair.value;
            const container = value === null || YAML.isMap(value) || (YAML.isScalar(value) && value.value === null);
            keyLines.set(line - 1, { col: col - 1, keyPath, container });
        },
        Scalar(_, node) {
            // Lines inside block scalars (templated config) are text, not YAML comments.
            if (!node.range || (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED")) return;
            const first = lineCounter.linePos(node.range[0]).line - 1;
            const last = lineCounter.linePos(node.range[1]).line - 1;
            for (let l = first; l <= last; l++) scalarLines.add(l);
        },
    });
    const isComment = (l: number): boolean => !scalarLines.has(l) && lines[l].trimStart().startsWith("#");

    lines.forEach((line, i) => {
        const match = COMMENTED_KEY.exec(line);
        if (!match || scalarLines.has(i) || PROSE_LABELS.has(match[2])) return;
        const hashCol = match[1].length;
        let parentPath: string[] | undefined;
        let inParagraph = true;
        for (let j = i - 1; j >= 0 && !parentPath; j--) {
            if (lines[j].trim() === "") {
                inParagraph = false;
                continue;
            }
            if (isComment(j)) {
                if (inParagraph && /example/i.test(lines[j])) return;
                continue;
            }
            inParagraph = false;
            if (scalarLines.has(j)) continue;
            const keyLine = keyLines.get(j);
            const col = keyLine?.col ?? leadingSpaces(lines[j]);
            if (col > hashCol) continue;
            if (!keyLine || (col < hashCol && !keyLine.container)) return;
            parentPath = col === hashCol ? keyLine.keyPath.slice(0, -1) : keyLine.keyPath;
        }
        // A key named like one of its ancestors is a snippet written from higher up (`# rbac:` inside rbac).
        if (!parentPath || parentPath.includes(match[2])) return;
        if (defaultsRoot) {
            if (parentPath[0] !== defaultsRoot) return;
            parentPath = parentPath.slice(1);
        }
        const parent = findPath(root, parentPath);
        if (!parent || parent.children.has(match[2])) return;

        const block = [line];
        for (let k = i + 1; k < lines.length && isComment(k); k++) {
            const rest = lines[k].slice(hashCol);
            if (leadingSpaces(lines[k]) !== hashCol || !/^# ( |- )/.test(rest)) break;
            block.push(lines[k]);
        }
        const parse = (blockLines: string[]): Record<string, unknown> | undefined => {
            try {
                const parsed: unknown = YAML.parse(blockLines.map((l) => l.slice(hashCol + 2)).join("\n"));
                return isJsonObject(parsed) ? parsed : undefined;
            } catch {
                return undefined;
            }
        };
        const parsed = parse(block) ?? parse([line]);
        if (parsed) addDefault(child(parent, match[2]), parsed[match[2]]);
    });
}

/** Adds every path listed in template-values-refs.txt (all three sections: each is a path the templates read). */
function addTemplateRefs(root: KeyNode, text: string, internalRefs: ReadonlySet<string>): void {
    for (const line of text.split("\n")) {
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#")) continue;
        const dotted = trimmed.split(/\s+/)[0];
        const segments = resolveDotted(root, dotted);
        if (!internalRefs.has(segments[0])) ensurePath(root, segments);
    }
}

function schemaTypes(schema: JsonSchema): readonly string[] | undefined {
    if (schema.type === undefined) return undefined;
    return typeof schema.type === "string" ? [schema.type] : schema.type;
}

function resolveRef(rootSchema: unknown, ref: string): JsonSchema {
    if (!ref.startsWith("#/")) throw new Error(`only local schema $refs are supported, got ${ref}`);
    let target: unknown = rootSchema;
    for (const raw of ref.slice(2).split("/")) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        target = isJsonObject(target) ? target[key] : undefined;
    }
    if (!isJsonObject(target)) throw new Error(`schema $ref ${ref} does not resolve`);
    return target as JsonSchema;
}

/** Adds the properties a JSON schema declares, and marks the objects it leaves free-form. */
function addSchema(node: KeyNode, schema: JsonSchema, rootSchema: unknown, depth = 0): void {
    // The vendored schemas nest a few dozen levels at most; this only stops a self-referencing $ref.
    if (depth > 64) throw new Error("schema nests too deeply (a $ref cycle?)");
    if (schema.$ref) addSchema(node, resolveRef(rootSchema, schema.$ref), rootSchema, depth + 1);
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
        addSchema(node, branch, rootSchema, depth + 1);
    }
    const types = schemaTypes(schema);
    if (types && !types.includes("object") && !types.includes("array")) node.schemaScalar = true;
    const properties = Object.entries(schema.properties ?? {});
    for (const [key, sub] of properties) addSchema(child(node, key), sub, rootSchema, depth + 1);
    const invitesOthers = schema.additionalProperties === true || isJsonObject(schema.additionalProperties);
    if (schema.additionalProperties === false || (properties.length > 0 && !invitesOthers)) node.schemaClosed = true;
    const freeFormObject =
        properties.length === 0 &&
        (invitesOthers || (types?.includes("object") === true && schema.additionalProperties === undefined));
    // A lax schema must not widen a map whose defaults show which keys the chart reads (e.g. loki.storage).
    if ((freeFormObject || schema["x-kubernetes-preserve-unknown-fields"] === true) && !node.structuredDefault) {
        node.freeForm = true;
    }
    const items = schema.items;
    if (Array.isArray(items)) items.forEach((item) => addSchema(child(node, LIST_ITEM), item, rootSchema, depth + 1));
    else if (isJsonObject(items)) addSchema(child(node, LIST_ITEM), items as JsonSchema, rootSchema, depth + 1);
}

function markPassThroughNames(node: KeyNode): void {
    for (const [key, next] of node.children) {
        if (PASS_THROUGH_NAMES.has(key)) next.freeForm = true;
        markPassThroughNames(next);
    }
}

function cloneNode(node: KeyNode): KeyNode {
    const copy: KeyNode = { ...node, children: new Map() };
    for (const [key, next] of node.children) copy.children.set(key, cloneNode(next));
    return copy;
}

function mustFind(root: KeyNode, keyPath: Path, chart: string, what: string): KeyNode {
    const node = findPath(root, keyPath);
    // A stale rule (the key is gone after a version bump) must be noticed, not carried along.
    if (!node) throw new Error(`${chart}: ${what} ${JSON.stringify(keyPath)} is not a key of this version`);
    return node;
}

function comparePaths(a: Path, b: Path): number {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return a.length - b.length;
}

/** Lists every key and open prefix; keys below an open prefix add nothing and are left out. */
function flatten(root: KeyNode): { keys: Path[]; openPrefixes: Path[] } {
    const keys: Path[] = [];
    const openPrefixes: Path[] = [];
    const visit = (node: KeyNode, prefix: Path): void => {
        for (const [key, next] of node.children) {
            const keyPath = [...prefix, key];
            keys.push(keyPath);
            if (isOpen(next)) openPrefixes.push(keyPath);
            else visit(next, keyPath);
        }
    };
    visit(root, []);
    return { keys: keys.sort(comparePaths), openPrefixes: openPrefixes.sort(comparePaths) };
}

function readSource(dir: string): { sourceRepo: string; commit: string } {
    const fields = new Map<string, string>();
    for (const line of fs.readFileSync(path.join(dir, "SOURCE.txt"), "utf8").split("\n")) {
        const match = /^(\w+):\s*(.*)$/.exec(line.trim());
        if (match) fields.set(match[1], match[2]);
    }
    return { sourceRepo: fields.get("sourceRepo") ?? "", commit: fields.get("commit") ?? "" };
}

interface ChartDependency {
    readonly name: string;
    readonly alias?: string;
    readonly version: string;
}

function readDependencies(dir: string): ChartDependency[] {
    const chartYaml: unknown = YAML.parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8"));
    const deps = isJsonObject(chartYaml) && Array.isArray(chartYaml.dependencies) ? chartYaml.dependencies : [];
    return deps.filter(isJsonObject).map((d) => ({
        name: String(d.name),
        alias: typeof d.alias === "string" ? d.alias : undefined,
        version: String(d.version),
    }));
}

function deriveChart(sharedDir: string, chart: string, version: string, pinned: ReadonlySet<string>): KeyFile {
    const rules = CHART_RULES[chart] ?? {};
    const relDir = `${rules.folder ?? chart}/${version}`;
    const dir = path.join(sharedDir, relDir);
    const files: string[] = [];
    const read = (name: string): string | undefined => {
        const file = path.join(dir, name);
        if (!fs.existsSync(file)) return undefined;
        files.push(name);
        return fs.readFileSync(file, "utf8");
    };

    const valuesText = read(rules.valuesFile ?? "values.yaml");
    if (valuesText === undefined) throw new Error(`${chart} ${version}: no values.yaml in ${dir}`);
    // Helm tolerates duplicate keys and merge keys in values.yaml, so the parse must too.
    const parsed: unknown = YAML.parse(valuesText, { uniqueKeys: false, merge: true, maxAliasCount: -1 });
    const defaults = rules.defaultsRoot && isJsonObject(parsed) ? parsed[rules.defaultsRoot] : parsed;
    if (!isJsonObject(defaults)) throw new Error(`${chart} ${version}: values.yaml is not a map`);

    const root = newNode();
    addDefault(root, defaults);
    addTemplatedStringRefs(root, defaults);
    const refs = read("template-values-refs.txt");
    if (refs !== undefined) addTemplateRefs(root, refs, new Set(rules.internalRefs ?? []));
    // Without the template refs (mimir), commented-out keys are the only record of settings without a default; where
    // the refs exist they already list the ones templates read, and comments are too prose-prone to add more.
    else addCommentedKeys(root, valuesText, rules.defaultsRoot);
    for (const schemaFile of ["values.schema.json", "kiali-cr-spec.schema.json"]) {
        const text = read(schemaFile);
        // kiali-server's values mirror the Kiali CR spec, so the CR spec schema describes the top level.
        if (text !== undefined) {
            const schema: unknown = JSON.parse(text);
            addSchema(root, schema as JsonSchema, schema);
        }
    }

    markPassThroughNames(root);
    for (const keyPath of rules.passThrough ?? []) mustFind(root, keyPath, chart, "pass-through").freeForm = true;
    for (const keyPath of rules.extraKeys ?? []) ensurePath(root, keyPath);

    const subcharts: SubchartMount[] = [];
    files.push("Chart.yaml");
    for (const dep of readDependencies(dir)) {
        const mountPath = [dep.alias ?? dep.name];
        const node = ensurePath(root, mountPath);
        if (pinned.has(`${dep.name}@${dep.version}`)) {
            // Its own key list is committed alongside (e.g. kube-prometheus-stack's grafana); the parent's keys under
            // the alias (settings the parent's templates read) stay valid as well.
            subcharts.push({ path: mountPath, chart: dep.name, version: dep.version });
        } else {
            // Not vendored here (mimir's and loki's minio and rollout_operator, for instance): accepted unchecked.
            node.freeForm = true;
        }
    }

    if (rules.rootAlias) {
        const alias = child(root, rules.rootAlias);
        for (const [key, next] of root.children) {
            if (key !== rules.rootAlias) alias.children.set(key, cloneNode(next));
        }
    }
    for (const keyPath of rules.removed ?? []) {
        mustFind(root, keyPath, chart, "removed key");
        const parent = findPath(root, keyPath.slice(0, -1));
        parent?.children.delete(keyPath[keyPath.length - 1]);
    }

    files.push("SOURCE.txt");
    return {
        chart,
        version,
        derivedFrom: { dir: relDir, files: [...files].sort(), ...readSource(dir) },
        subcharts,
        ...flatten(root),
    };
}

/** One path per line keeps the committed files diffable when a chart version moves. */
function render(file: KeyFile): string {
    const pathList = (paths: readonly Path[]): string =>
        paths.length === 0 ? "[]" : `[\n${paths.map((p) => `    ${JSON.stringify(p)}`).join(",\n")}\n  ]`;
    const head = {
        chart: file.chart,
        version: file.version,
        derivedFrom: file.derivedFrom,
        subcharts: file.subcharts,
    };
    const headText = JSON.stringify(head, undefined, 2).replace(/\n}$/, "");
    return `${headText},\n  "openPrefixes": ${pathList(file.openPrefixes)},\n  "keys": ${pathList(file.keys)}\n}\n`;
}

function main(): void {
    const sharedDir = path.resolve(process.argv[2] ?? path.join("..", "shared", "charts"));
    const outDir = path.join(__dirname, "..", "charts", "keys");
    fs.mkdirSync(outDir, { recursive: true });
    const entries = Object.values(CHARTS);
    const pinned = new Set(entries.map((e) => `${e.chart}@${e.version}`));
    for (const { chart, version } of entries) {
        const file = deriveChart(sharedDir, chart, version, pinned);
        fs.writeFileSync(path.join(outDir, `${chart}-${version}.json`), render(file));
        console.log(`${chart} ${version}: ${file.keys.length} keys, ${file.openPrefixes.length} open prefixes`);
    }
}

main();
