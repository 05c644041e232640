/**
 * Derives the config keys each pinned application version defines, from that version's own source, and writes
 * charts/config-keys/<program>-<version>.json with its provenance. lib/config-keys.ts checks rendered configs
 * against these files (tests/config-keys.test.ts).
 *
 * Usage: npm run config-keys -- [--only <program>-<version>] [--mirror <dir>] [--out <dir>]
 *
 * Each SOURCES entry reads an upstream git directory (as the search tool's `fetch` brings it, default
 * /work/.mirror/<owner>+<name>/repo) at a tag or commit with `git show`:
 *   - go-structs (Tempo; Velero's API types by json tags, for their durations): the config structs from the root type, following yaml tags, `,inline`, pointers, slices,
 *     maps and the vendored packages; time.Duration and model.Duration fields become Go and Prometheus durations;
 *     `map[string]any`, interfaces and types with their own YAML unmarshalling (other than the `type plain T` idiom)
 *     are open; an `,inline` map makes its block accept extension keys;
 *   - descriptor (Mimir): cmd/mimir/config-descriptor.json, the generator's own description of every block and field,
 *     united with the Go config structs it is generated from (the descriptor leaves out fields marked hidden);
 *   - reference (Loki): the generated configuration reference, blocks (`### name`) and their fields, united with the
 *     Go config structs likewise;
 *   - alloy-docs (Alloy): every component and config block reference page, its Arguments table, Blocks hierarchy and
 *     each block's argument table (shared fragments included);
 *   - crd (Kiali): the Kiali CR's OpenAPI schema from the operator chart's CRD (the kiali-server config is that spec);
 *   - ini (Grafana): conf/defaults.ini, every section and key Grafana defines with its default. grafana/grafana is over
 *     the fetch limit, so its entry reads a copy of that one file taken through the search index at a named commit
 *     (`indexCopy`, under the mirror folder) instead of a git directory; its note says which version that is.
 * For descriptor and reference sources, a duration the structs do not type is a Prometheus duration when a struct
 * field of that YAML name has type model.Duration in the tag's Go source, else a Go duration; "Supported values:
 * a, b" in a field's description becomes an enum. Only key names, kinds and enums are written: no upstream prose or
 * defaults.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { ConfigKeyFile, KeyNode } from "../lib/config-keys";

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends Readonly<Record<string, KeyNode>> | undefined ? Record<string, Node> : T[K] };
type Node = Mutable<KeyNode> & { keys?: Record<string, Node>; map?: Node; items?: Node };

/** Reads files of one repository at one revision. */
export class GitTree {
    private readonly cache = new Map<string, string | undefined>();
    constructor(readonly gitDir: string, readonly revision: string) {}
    private git(args: string[]): string {
        return execFileSync("git", ["--git-dir", this.gitDir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    }
    commit(): string {
        return this.git(["rev-parse", `${this.revision}^{commit}`]).trim();
    }
    date(): string {
        return this.git(["show", "-s", "--format=%cI", `${this.revision}^{commit}`]).trim();
    }
    read(file: string): string | undefined {
        if (!this.cache.has(file)) {
            try {
                this.cache.set(file, this.git(["show", `${this.revision}:${file}`]));
            } catch {
                this.cache.set(file, undefined);
            }
        }
        return this.cache.get(file);
    }
    list(dir: string, recursive = false): string[] {
        try {
            return this.git(["ls-tree", ...(recursive ? ["-r"] : []), "--name-only", this.revision, `${dir.replace(/\/$/, "")}/`]).split("\n").filter(Boolean);
        } catch {
            return [];
        }
    }
    grep(pattern: string, pathspec: string[]): string[] {
        try {
            return this.git(["grep", "-h", "-E", pattern, this.revision, "--", ...pathspec]).split("\n").filter(Boolean);
        } catch {
            return [];
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Go config structs
// ---------------------------------------------------------------------------------------------------------------

interface GoField { names: string[]; type: string; tag: string; embedded: boolean }
interface GoPackage { dir: string; types: Map<string, string>; imports: Map<string, Map<string, string>>; typeFile: Map<string, string>; customYaml: Set<string> }

/** Removes comments, keeping strings and struct tags intact. */
export function stripGoComments(source: string): string {
    let out = "";
    for (let i = 0; i < source.length; ) {
        const c = source[i];
        if (c === '"' || c === "`" || c === "'") {
            let j = i + 1;
            while (j < source.length && source[j] !== c) j += source[j] === "\\" && c !== "`" ? 2 : 1;
            out += source.slice(i, j + 1);
            i = j + 1;
        } else if (source.startsWith("//", i)) {
            while (i < source.length && source[i] !== "\n") i++;
        } else if (source.startsWith("/*", i)) {
            const end = source.indexOf("*/", i + 2);
            i = end < 0 ? source.length : end + 2;
        } else (out += c), i++;
    }
    return out;
}

/** The index just past the bracket that closes the one at `open`. */
function closing(text: string, open: number): number {
    const pairs: Record<string, string> = { "{": "}", "(": ")", "[": "]" };
    let depth = 0;
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === '"' || c === "`") {
            const end = text.indexOf(c, i + 1);
            i = end < 0 ? text.length : end;
        } else if (c in pairs) depth++;
        else if (c === "}" || c === ")" || c === "]") if (--depth === 0) return i + 1;
    }
    return text.length;
}

/** Splits a struct body into field declarations (one per line at bracket depth 0). */
export function goStructFields(body: string): GoField[] {
    const fields: GoField[] = [];
    let start = 0;
    const lines: string[] = [];
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === "{" || c === "(" || c === "[" || c === '"' || c === "`") {
            i = (c === '"' || c === "`" ? body.indexOf(c, i + 1) + 1 : closing(body, i)) - 1;
        } else if (c === "\n" || c === ";") {
            lines.push(body.slice(start, i));
            start = i + 1;
        }
    }
    lines.push(body.slice(start));
    for (const raw of lines) {
        const line = raw.trim();
        if (!line) continue;
        const tagMatch = /`([^`]*)`\s*$/.exec(line);
        const tag = tagMatch?.[1] ?? "";
        const decl = (tagMatch ? line.slice(0, tagMatch.index) : line).trim();
        const named = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+(\S[\s\S]*)$/.exec(decl);
        if (named && !/^[\w.]+$/.test(decl.replace(/^\*/, ""))) fields.push({ names: named[1].split(/\s*,\s*/), type: named[2].trim(), tag, embedded: false });
        else fields.push({ names: [decl.replace(/^\*/, "").split(".").pop()!], type: decl, tag, embedded: true });
    }
    return fields;
}

/** The yaml (or json) tag's name and options: undefined name means no such tag. */
function fieldTag(tag: string, key: "yaml" | "json"): { name?: string; inline: boolean; skip: boolean } {
    const value = new RegExp(`(?:^|\\s)${key}:"([^"]*)"`).exec(tag)?.[1];
    if (value === undefined) return { inline: false, skip: false };
    const [name, ...options] = value.split(",");
    return { name: name || undefined, inline: options.includes("inline"), skip: name === "-" };
}

/** Why a struct with an inline `Extensions` map takes keys beyond its own: registered extensions. */
export const EXTENSION_MAP = "an inline Extensions map takes registered extension keys";

/** A copy of `node` where no block is open for EXTENSION_MAP: for a tree whose extension registry is empty. */
export function closeInlineMaps(node: Node): Node {
    const { open, keys, map, items, ...rest } = node;
    return {
        ...rest,
        ...(open && open !== EXTENSION_MAP ? { open } : {}),
        ...(keys ? { keys: Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, closeInlineMaps(v)])) } : {}),
        ...(map ? { map: closeInlineMaps(map) } : {}),
        ...(items ? { items: closeInlineMaps(items) } : {}),
    };
}

/**
 * The union of what the Go structs decode and what a generated reference documents: the reference leaves out
 * fields marked hidden (which the program still reads), the structs cannot tell listed values. Durations follow the
 * Go type; enums the reference; a block stays open only where neither source gives its keys.
 */
export function mergeNodes(go: Node, reference: Node): Node {
    const out: Node = {};
    if (go.keys || reference.keys) {
        out.keys = { ...(go.keys ?? {}) };
        for (const [key, node] of Object.entries(reference.keys ?? {})) out.keys[key] = out.keys[key] ? mergeNodes(out.keys[key], node) : node;
        const open = go.keys ? (go.open && !/own YAML unmarshalling/.test(go.open) ? go.open : reference.keys ? reference.open : go.open) : reference.open;
        if (open) out.open = open;
    } else if (go.open && !reference.map && !reference.items) out.open = go.open;
    if (go.map || reference.map) out.map = go.map && reference.map ? mergeNodes(go.map, reference.map) : (go.map ?? reference.map);
    if (go.items || reference.items) out.items = go.items && reference.items ? mergeNodes(go.items, reference.items) : (go.items ?? reference.items);
    if (!out.keys && !out.map && !out.items && !out.open) {
        const duration = go.duration ?? reference.duration;
        if (duration) out.duration = duration;
        if (reference.enum) out.enum = reference.enum;
    }
    if (out.keys && !out.open && go.open && /own YAML unmarshalling/.test(go.open) && !reference.keys) out.open = go.open;
    return out;
}

export class GoConfigReader {
    private readonly packages = new Map<string, GoPackage>();
    /** Types whose node is being built, to cut recursion. */
    private readonly building = new Set<string>();
    readonly modelDurations = new Set<string>();
    /**
     * @param tagKey the struct tag the decoder reads: "yaml" (yaml.v2/v3: an embedded struct is a key of its own
     * unless `,inline`) or "json" (Kubernetes API types: an embedded struct without a tag is inlined).
     */
    constructor(private readonly tree: GitTree, private readonly module: string, private readonly tagKey: "yaml" | "json" = "yaml") {}

    private packageDir(importPath: string): string | undefined {
        if (importPath === this.module) return "";
        if (importPath.startsWith(`${this.module}/`)) return importPath.slice(this.module.length + 1);
        if (!importPath.includes(".")) return undefined; // the standard library
        return `vendor/${importPath}`;
    }

    load(dir: string): GoPackage {
        const known = this.packages.get(dir);
        if (known) return known;
        const pkg: GoPackage = { dir, types: new Map(), imports: new Map(), typeFile: new Map(), customYaml: new Set() };
        this.packages.set(dir, pkg);
        for (const file of this.tree.list(dir).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go") && path.posix.dirname(f) === dir.replace(/\/$/, ""))) {
            const source = stripGoComments(this.tree.read(file) ?? "");
            const imports = new Map<string, string>();
            for (const block of source.matchAll(/\bimport\s*(\(([^)]*)\)|([^\n]*))/g)) {
                for (const spec of (block[2] ?? block[3]).split("\n")) {
                    const m = /^\s*([A-Za-z_.]\w*)?\s*"([^"]+)"/.exec(spec);
                    if (m) imports.set(m[1] ?? m[2].split("/").filter((s) => !/^v\d+$/.test(s)).pop()!.replace(/^(go-|yaml\.v\d)$/, (s) => (s.startsWith("yaml") ? "yaml" : s)), m[2]);
                }
            }
            pkg.imports.set(file, imports);
            // type declarations, single or grouped, at the top level
            const declare = (name: string, at: number, text: string) => {
                let rest = text.slice(at).trimStart();
                if (rest.startsWith("=")) rest = rest.slice(1).trimStart();
                let type: string;
                if (/^struct\s*\{/.test(rest)) type = rest.slice(0, closing(rest, rest.indexOf("{")));
                else type = rest.split("\n")[0].trim();
                pkg.types.set(name, type);
                pkg.typeFile.set(name, file);
            };
            for (const m of source.matchAll(/^type\s+(\w+)\s+/gm)) declare(m[1], m.index! + m[0].length, source);
            for (const m of source.matchAll(/^type\s*\(/gm)) {
                const group = source.slice(m.index! + m[0].length - 1, closing(source, m.index! + m[0].length - 1) - 1);
                let depth = 0;
                for (let i = 1; i < group.length; i++) {
                    if ("{([".includes(group[i])) depth++;
                    else if ("})]".includes(group[i])) depth--;
                    else if (depth === 0 && (group[i - 1] === "\n" || i === 1)) {
                        const d = /^\s*(\w+)\s+/.exec(group.slice(i));
                        if (d) declare(d[1], i + d[0].length, group);
                    }
                }
            }
            for (const m of source.matchAll(/^func\s*\(\s*\w+\s+\*?(\w+)\s*\)\s*UnmarshalYAML\s*\(/gm)) {
                // The body opens after the signature (whose `interface{}` holds braces of its own).
                const signature = /\)\s*error\s*\{/g;
                signature.lastIndex = m.index! + m[0].length;
                const found = signature.exec(source);
                if (!found) continue;
                const bodyStart = found.index + found[0].length - 1;
                const body = source.slice(bodyStart, closing(source, bodyStart));
                // `type plain T; unmarshal((*plain)(t))` decodes T's own fields: the struct stays the contract.
                const plain = new RegExp(`type\\s+(\\w+)\\s+${m[1]}\\b`).exec(body);
                if (!plain || !new RegExp(`unmarshal\\(\\s*\\(\\*${plain[1]}\\)`).test(body)) pkg.customYaml.add(m[1]);
            }
            for (const m of source.matchAll(/^func\s*\(\s*\w+\s+\*?(\w+)\s*\)\s*UnmarshalText\s*\(/gm)) pkg.customYaml.add(m[1]);
        }
        return pkg;
    }

    /** The node of named type `name` declared in package `dir`. */
    named(dir: string, name: string): Node {
        const pkg = this.load(dir);
        const id = `${dir}.${name}`;
        const type = pkg.types.get(name);
        if (type === undefined) return { open: `type ${name} not found in ${dir || "the module root"}` };
        if (pkg.customYaml.has(name)) return /^struct\b/.test(type) || type.startsWith("map[") ? { open: `${name} has its own YAML unmarshalling` } : {};
        if (this.building.has(id)) return { open: `${name} is recursive` };
        this.building.add(id);
        try {
            return this.typeNode(type, pkg, pkg.typeFile.get(name)!);
        } finally {
            this.building.delete(id);
        }
    }

    typeNode(type: string, pkg: GoPackage, file: string): Node {
        type = type.trim();
        if (type.startsWith("*")) return this.typeNode(type.slice(1), pkg, file);
        if (/^struct\s*\{/.test(type)) return this.structNode(type.slice(type.indexOf("{") + 1, type.lastIndexOf("}")), pkg, file);
        if (/^\[\d*\]/.test(type)) {
            const element = this.typeNode(type.replace(/^\[\d*\]/, ""), pkg, file);
            return element.keys || element.map ? { items: element } : element.open ? { items: element } : { ...element };
        }
        if (type.startsWith("map[")) {
            const close = closing(type, 3);
            return { map: this.typeNode(type.slice(close), pkg, file) };
        }
        if (/^(interface\b|any$)/.test(type)) return { open: "any value (interface)" };
        if (/^func\b|^chan\b/.test(type)) return {};
        const qualified = /^(\w+)\.(\w+)$/.exec(type);
        if (qualified) {
            const importPath = pkg.imports.get(file)?.get(qualified[1]);
            if (importPath === "time" && qualified[2] === "Duration") return { duration: "go" };
            if (importPath === "github.com/prometheus/common/model" && qualified[2] === "Duration") return { duration: "prometheus" };
            // metav1.Duration unmarshals its JSON string with time.ParseDuration.
            if (importPath === "k8s.io/apimachinery/pkg/apis/meta/v1" && qualified[2] === "Duration") return { duration: "go" };
            const dir = importPath === undefined ? undefined : this.packageDir(importPath);
            if (dir === undefined) return {}; // a standard-library type: a value
            if (this.tree.list(dir).length === 0) return { open: `package ${importPath} is not in the source tree` };
            return this.named(dir, qualified[2]);
        }
        if (/^[A-Za-z_]\w*$/.test(type)) {
            if (pkg.types.has(type)) return this.named(pkg.dir, type);
            return {}; // a builtin: bool, string, int, float64, ...
        }
        return { open: `type ${type} not understood` };
    }

    structNode(body: string, pkg: GoPackage, file: string): Node {
        const node: Node = { keys: {} };
        for (const field of goStructFields(body)) {
            const tag = fieldTag(field.tag, this.tagKey);
            if (tag.skip) continue;
            const exported = field.names.filter((n) => /^[A-Z]/.test(n));
            if (this.tagKey === "json" && field.embedded && tag.name === undefined) tag.inline = true;
            if (field.embedded || tag.inline) {
                if (field.embedded && !tag.inline && tag.name === undefined && !exported.length) continue;
                if (tag.inline || (field.embedded && tag.name === undefined)) {
                    // yaml.v2 inlines only with ,inline; an embedded struct without it is a key of its lowercased name.
                    const inner = this.typeNode(field.type, pkg, file);
                    if (tag.inline) {
                        if (inner.map || inner.open) node.open = inner.open ?? (field.names[0] === "Extensions" ? EXTENSION_MAP : "an inline map takes keys of the user's choosing");
                        Object.assign(node.keys!, inner.keys ?? {});
                        if (inner.open && inner.keys) node.open = inner.open;
                        continue;
                    }
                    node.keys![field.names[0].toLowerCase()] = inner;
                    continue;
                }
            }
            for (const name of exported) {
                const key = tag.name ?? (this.tagKey === "json" ? name : name.toLowerCase());
                const child = this.typeNode(field.type, pkg, file);
                if (child.duration === "prometheus") this.modelDurations.add(key);
                node.keys![key] = child;
            }
        }
        return node;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Generated references: Mimir's descriptor, Loki's configuration reference
// ---------------------------------------------------------------------------------------------------------------

/** "Supported values: a, b and c." in a description, when every value is a plain word. */
export function supportedValues(description: string): string[] | undefined {
    if (/comma-separated|list of/i.test(description)) return undefined;
    const m = /Supported values(?: are)?:\s*([^.]+(?:\.[A-Za-z0-9]+[^.]*)*?)(?:\.(?:\s|$)|$)/.exec(description.replace(/\s+/g, " "));
    if (!m) return undefined;
    const values = m[1].split(/\s*,\s*|\s+and\s+|\s+or\s+/).map((v) => v.trim().replace(/^'(.*)'$|^"(.*)"$|^`(.*)`$/, "$1$2$3"));
    if (values.some((v) => !/^[A-Za-z0-9_.-]*$/.test(v) || /\(.*/.test(v))) return undefined;
    return values.length > 1 ? values : undefined;
}

/** YAML names of every struct field of type model.Duration in the tree's Go source. */
export function modelDurationNames(tree: GitTree, pathspec: string[]): Set<string> {
    const names = new Set<string>();
    for (const line of tree.grep('\\*?model\\.Duration\\s+`[^`]*yaml:"[^",]+', pathspec)) {
        const m = /yaml:"([^",]+)/.exec(line);
        if (m && m[1] !== "-") names.add(m[1]);
    }
    return names;
}

function durationKind(name: string, models: Set<string>): "go" | "prometheus" {
    return models.has(name) ? "prometheus" : "go";
}

interface DescriptorEntry { kind: "block" | "field" | "map"; name: string; desc?: string; fieldType?: string; blockEntries?: DescriptorEntry[]; fieldElement?: DescriptorEntry }

/** Mimir's config-descriptor.json as key nodes. */
export function fromDescriptor(root: DescriptorEntry, models: Set<string>): Node {
    const entry = (e: DescriptorEntry): Node => {
        if (e.kind === "block") {
            const keys: Record<string, Node> = {};
            for (const child of e.blockEntries ?? []) {
                // A block with an empty name is squashed into its parent.
                if (child.kind === "block" && !child.name) Object.assign(keys, entry(child).keys);
                else keys[child.name] = entry(child);
            }
            return { keys };
        }
        if (e.kind === "map") return { map: e.fieldElement ? entry(e.fieldElement) : {} };
        const type = e.fieldType ?? "";
        if (type === "slice" && e.fieldElement) return { items: entry(e.fieldElement) };
        if (type.startsWith("map of")) return { map: {} };
        if (type === "duration") return { duration: durationKind(e.name, models) };
        if (type === "list of durations") return { duration: durationKind(e.name, models) };
        if (/\.\.\.$/.test(type)) return { open: `${type} (an upstream type)` };
        const values = type === "string" ? supportedValues(e.desc ?? "") : undefined;
        return values ? { enum: values } : {};
    };
    return entry(root);
}

/** Loki's generated configuration reference (docs/sources/shared/configuration.md) as key nodes of its root block. */
export function fromReference(markdown: string, models: Set<string>): Node {
    // Each block's code: the first yaml fence after its heading; the root's after "Supported contents".
    const fences = new Map<string, string[]>();
    let heading: string | undefined;
    let inFence = false;
    let current: string[] | undefined;
    for (const line of markdown.split("\n")) {
        if (inFence) {
            if (line.startsWith("```")) {
                inFence = false;
                current = undefined;
            } else current?.push(line);
            continue;
        }
        const h = /^### (.+)$/.exec(line);
        if (h) heading = /Supported contents/.test(h[1]) ? "" : /^[a-z0-9_]+$/.test(h[1].trim()) ? h[1].trim() : undefined;
        else if (line.startsWith("```")) {
            inFence = true;
            // A section may open with an example: its block is the first fence that lists fields.
            if (heading !== undefined && !fences.get(heading)?.some((l) => /^\s*\[/.test(l))) fences.set(heading, (current = []));
        }
    }
    if (!fences.has("")) throw new Error("the reference has no root block (\"Supported contents\")");
    const built = new Map<string, Node>();
    const block = (name: string): Node => {
        const known = built.get(name);
        if (known) return known;
        const node: Node = { keys: {} };
        built.set(name, node);
        parseFence(fences.get(name)!, node);
        return node;
    };
    const valueType = (type: string, name: string, comment: string): Node => {
        const list = /^list of (\w+?)s?$/.exec(type);
        const map = /^map of string to (.+)$/.exec(type);
        if (fences.has(type)) return block(type);
        if (list && fences.has(list[1])) return { items: block(list[1]) };
        if (list && fences.has(`${list[1]}s`)) return { items: block(`${list[1]}s`) };
        if (map) {
            const to = map[1].trim();
            if (fences.has(to)) return { map: block(to) };
            return /^(string|int|float|list of strings|)$/.test(to) ? { map: {} } : { map: { open: `${to} (not described in the reference)` } };
        }
        if (type === "duration") return { duration: durationKind(name, models) };
        if (/^(string|int|boolean|float|url|time|list of strings|secret|Regexp|filename|host)$/.test(type)) {
            const values = type === "string" ? supportedValues(comment) : undefined;
            return values ? { enum: values } : {};
        }
        return { open: `${type} (not described in the reference)` };
    };
    function parseFence(lines: string[], root: Node): void {
        const stack: { indent: number; node: Node }[] = [{ indent: -1, node: root }];
        let comment = "";
        for (const line of lines) {
            if (!line.trim()) {
                comment = "";
                continue;
            }
            const indent = line.length - line.trimStart().length;
            const text = line.trim();
            if (text.startsWith("#")) {
                comment += ` ${text.slice(1).trim()}`;
                continue;
            }
            while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
            const parent = stack[stack.length - 1].node;
            const squash = /^\[<(\w+)>\]$/.exec(text);
            const field = /^\[([A-Za-z0-9_-]*): <([^>|]*)>?.*\]$/.exec(text);
            const inline = /^([A-Za-z0-9_-]+):$/.exec(text);
            if (squash) {
                if (!fences.has(squash[1])) throw new Error(`the reference squashes unknown block ${squash[1]}`);
                Object.assign(parent.keys!, block(squash[1]).keys);
            } else if (field && !field[1]) parent.open = `keys of the user's choosing (${field[2].trim()})`;
            else if (field) parent.keys![field[1]] = valueType(field[2].trim(), field[1], comment);
            else if (inline) {
                const node: Node = { keys: {} };
                parent.keys![inline[1]] = node;
                stack.push({ indent, node });
            } else throw new Error(`reference line not understood: ${JSON.stringify(line)}`);
            comment = "";
        }
    }
    return block("");
}

// ---------------------------------------------------------------------------------------------------------------
// Alloy's component reference
// ---------------------------------------------------------------------------------------------------------------

function tableRows(lines: readonly string[]): { header: string[]; rows: string[][] }[] {
    const tables: { header: string[]; rows: string[][] }[] = [];
    let table: { header: string[]; rows: string[][] } | undefined;
    for (const line of lines) {
        if (!line.trim().startsWith("|")) {
            table = undefined;
            continue;
        }
        const cells = line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
        if (!table) tables.push((table = { header: cells, rows: [] }));
        else if (!cells.every((c) => /^:?-+:?$/.test(c))) table.rows.push(cells);
    }
    return tables;
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** One Alloy reference page (a component or a config block) as a key node, with shared fragments expanded. */
export function fromAlloyPage(page: string, readShared: (lookup: string) => string | undefined): Node {
    const expand = (text: string, depth = 0): string[] =>
        text.split("\n").flatMap((line) => {
            const include = /\{\{<\s*docs\/shared\s+lookup="([^"]+)"/.exec(line);
            if (!include || depth > 3) return [line];
            const shared = readShared(include[1]);
            if (shared === undefined) throw new Error(`shared fragment ${include[1]} not found`);
            return expand(shared.replace(/^---[\s\S]*?\n---\n/, ""), depth + 1);
        });
    const lines = expand(page);
    // Sections: "## X" and "### name"; the Arguments tables, the Blocks hierarchy, each block's argument table.
    const sections: { level: number; title: string; lines: string[] }[] = [];
    for (const line of lines) {
        const h = /^(#{2,4}) (.+)$/.exec(line);
        if (h) sections.push({ level: h[1].length, title: h[2].trim(), lines: [] });
        else sections[sections.length - 1]?.lines.push(line);
    }
    // An argument of type `duration` is decoded with Go's time.ParseDuration (Alloy's syntax/internal/value).
    const argumentsOf = (section: { lines: string[] }): [string, Node][] =>
        tableRows(section.lines).filter((t) => /^Name$/i.test(t.header[0]) && t.header.some((h) => /^Type$/i.test(h))).flatMap((t) => {
            const type = t.header.findIndex((h) => /^Type$/i.test(h));
            return t.rows.filter((r) => backticked(r[0])[0]).map((r): [string, Node] => [backticked(r[0])[0], backticked(r[type] ?? "")[0] === "duration" ? { duration: "go" } : {}]);
        });
    const component: Node = { keys: {} };
    const blockArguments = new Map<string, [string, Node][]>();
    const hierarchy: string[][] = [];
    let h2 = "";
    for (const section of sections) {
        if (section.level === 2) h2 = section.title;
        if (section.level === 2 && /^Arguments$/i.test(section.title)) for (const [name, node] of argumentsOf(section)) component.keys![name] = node;
        if (section.level === 2 && /^Blocks$/i.test(section.title)) {
            for (const t of tableRows(section.lines).filter((t) => /^Block/i.test(t.header[0]))) for (const r of t.rows) hierarchy.push(backticked(r[0]));
        }
        if (section.level >= 3 && /^(Blocks|Arguments)$/i.test(h2)) {
            const name = backticked(section.title).pop() ?? section.title;
            blockArguments.set(name, [...(blockArguments.get(name) ?? []), ...argumentsOf(section)]);
        }
    }
    for (const chain of hierarchy) {
        let node = component;
        for (const name of chain) {
            node.keys![name] ??= blockArguments.has(name)
                ? { keys: Object.fromEntries(blockArguments.get(name)!) }
                : { keys: {}, open: "the reference lists the block but no argument table" };
            node = node.keys![name];
            if (!node.keys) node.keys = {};
        }
    }
    return component;
}

// ---------------------------------------------------------------------------------------------------------------
// CRD schemas
// ---------------------------------------------------------------------------------------------------------------

/** An OpenAPI v3 schema as key nodes (descriptions dropped). */
export function fromOpenApi(schema: any): Node {
    if (!schema || typeof schema !== "object") return {};
    const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
    if (schema.type === "object" || schema.properties) {
        if (schema.properties) {
            const node: Node = { keys: Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, fromOpenApi(v)])) };
            if (preserve || schema.additionalProperties === true) node.open = "the schema preserves unknown fields";
            return node;
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === "object") return { map: fromOpenApi(schema.additionalProperties) };
        return { open: "a free-form object in the schema" };
    }
    if (schema.type === "array") {
        const items = fromOpenApi(schema.items);
        return items.keys || items.map || items.open ? { items } : {};
    }
    return Array.isArray(schema.enum) ? { enum: schema.enum.map(String) } : {};
}

// ---------------------------------------------------------------------------------------------------------------
// INI defaults
// ---------------------------------------------------------------------------------------------------------------

/** Why a section of defaults.ini takes keys it does not list. */
export const USER_SECTION = "defaults.ini declares the section without a key of its own: its keys are the user's (headers, labels, contexts)";

/**
 * The sections and keys of an INI defaults file as Grafana's go-ini reads it: `[section]` headers (a dotted name is one
 * section), `key = value` lines, `#` and `;` comments. Keys before the first header are the root's. A section declared
 * with no live key is one upstream leaves to the user (custom response headers, external labels), so it is open.
 */
export function fromIni(text: string): Node {
    const root: Node = { keys: {} };
    const sections = new Set<string>();
    let current = root;
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (!line || line.startsWith("#") || line.startsWith(";")) continue;
        const header = /^\[([^\]]+)\]$/.exec(line);
        if (header) {
            sections.add(header[1]);
            current = root.keys![header[1]] ??= { keys: {} };
            continue;
        }
        const key = /^([^=\s]+)\s*=/.exec(line);
        if (key) current.keys![key[1]] = {};
    }
    for (const name of sections) if (Object.keys(root.keys![name].keys!).length === 0) root.keys![name].open = USER_SECTION;
    return root;
}

/** One file of a repository too large to fetch, copied through the search index at a known commit. */
export class IndexCopy extends GitTree {
    constructor(private readonly copy: string, private readonly repoPath: string, private readonly at: string) {
        super("", at);
    }
    override commit(): string {
        return this.at;
    }
    override date(): string {
        return "unknown (the search index gives no commit date)";
    }
    override read(file: string): string | undefined {
        return file === this.repoPath ? fs.readFileSync(this.copy, "utf8") : undefined;
    }
    override list(): string[] {
        return [];
    }
    override grep(): string[] {
        return [];
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sources at the pinned versions
// ---------------------------------------------------------------------------------------------------------------

interface Source {
    readonly program: string;
    readonly version: string;
    readonly format: ConfigKeyFile["format"];
    /** owner/name on GitHub; the git directory is <mirror>/<owner>+<name>/repo. */
    readonly repo: string;
    /** The tag (or, where the fork carries none, the commit named in `note`). */
    readonly tag: string;
    readonly revision: string;
    readonly note?: string;
    /** For a repository over the fetch limit: the one file the source needs, as copied through the search index, relative to the mirror folder. */
    readonly indexCopy?: { readonly path: string; readonly file: string };
    derive(tree: GitTree): { files: Record<string, Node>; sources: string[]; method: string };
}

const TEMPO_GO = (tree: GitTree) => {
    const reader = new GoConfigReader(tree, "github.com/grafana/tempo");
    let config = reader.named("cmd/tempo/app", "Config");
    let runtime = reader.named("modules/overrides", "perTenantOverrides");
    // Overrides' inline Extensions map takes only keys registered with overrides.RegisterExtension; with no
    // registration outside tests, every other key is refused (processExtensions), so the block is closed.
    const registered = tree.grep("RegisterExtension[[(]", ["modules/*.go", "cmd/*.go", "pkg/*.go", ":!*_test.go"]).filter((l) => !/func RegisterExtension/.test(l));
    if (registered.length === 0) [config, runtime] = [closeInlineMaps(config), closeInlineMaps(runtime)];
    return {
        files: { config, runtime },
        sources: ["cmd/tempo/app/config.go (type Config)", "modules/overrides/runtime_config_overrides.go (type perTenantOverrides)", "the packages they reference, vendor/ included"],
        method: "Go config structs followed from the root types by yaml tags (yaml.UnmarshalStrict reads them); time.Duration and model.Duration typed fields are Go and Prometheus durations; the overrides' inline extension map is closed when nothing outside tests registers an extension",
    };
};

/** A program whose config is its Go structs and a generated reference (Mimir, Loki): their union, see mergeNodes. */
function structsAndReference(tree: GitTree, module: string, dir: string, reference: (models: Set<string>) => Node): { config: Node; runtime: Node } {
    const reader = new GoConfigReader(tree, module);
    const config = reader.named(dir, "Config");
    const runtime = reader.named(dir, "runtimeConfigValues");
    const models = new Set([...reader.modelDurations, ...modelDurationNames(tree, ["pkg/*.go", "vendor/github.com/grafana/dskit/*.go"])]);
    const documented = reference(models);
    const merged = mergeNodes(config, documented);
    // The runtime file's per-tenant limits are the limits block the reference documents.
    const limits = (documented.keys!.limits ?? documented.keys!.limits_config)!;
    const runtimeMerged = mergeNodes(runtime, { keys: { overrides: { map: limits } } });
    return { config: merged, runtime: runtimeMerged };
}

const LOKI_REFERENCE = (tree: GitTree) => {
    const file = "docs/sources/shared/configuration.md";
    const { config, runtime } = structsAndReference(tree, "github.com/grafana/loki/v3", "pkg/loki", (models) => fromReference(tree.read(file) ?? "", models));
    return {
        files: { config, runtime },
        sources: [file, "pkg/loki/loki.go (type Config), pkg/loki/runtime_config.go (type runtimeConfigValues) and the packages they reference, vendor/ included"],
        method: "the generated configuration reference (each ### block's fields, listed values) united with the Go config structs it is generated from, which also hold the fields the reference hides; durations typed by the Go fields (time.Duration or model.Duration)",
    };
};

const MIMIR_DESCRIPTOR = (tree: GitTree) => {
    const file = "cmd/mimir/config-descriptor.json";
    const { config, runtime } = structsAndReference(tree, "github.com/grafana/mimir", "pkg/mimir", (models) => fromDescriptor(JSON.parse(tree.read(file) ?? "null"), models));
    return {
        files: { config, runtime },
        sources: [file, "pkg/mimir/mimir.go (type Config), pkg/mimir/runtime_config.go (type runtimeConfigValues) and the packages they reference, vendor/ included"],
        method: "the generator's config descriptor (blocks, fields, maps, slices, listed values) united with the Go config structs it is generated from, which also hold the fields marked doc:\"hidden\"; durations typed by the Go fields (time.Duration or model.Duration)",
    };
};

const ALLOY_DOCS = (tree: GitTree) => {
    const dirs = ["docs/sources/reference/components", "docs/sources/reference/config-blocks"];
    const root: Node = { keys: {} };
    for (const file of dirs.flatMap((d) => tree.list(d, true)).filter((f) => f.endsWith(".md") && !f.endsWith("_index.md"))) {
        const page = tree.read(file)!;
        const title = /^title:\s*(\S+)\s*$/m.exec(page)?.[1]?.replace(/^["']|["']$/g, "") ?? path.posix.basename(file, ".md");
        root.keys![title] = fromAlloyPage(page, (lookup) => tree.read(`docs/sources/shared/${lookup}`));
    }
    return {
        files: { config: root },
        sources: [...dirs.map((d) => `${d}/**/*.md`), "docs/sources/shared/reference/components/*.md (included fragments)", "syntax/internal/value/decode.go (durations: time.ParseDuration)"],
        method: "component and config block reference pages: Arguments table, Blocks hierarchy, each block's arguments; arguments of type duration are Go durations",
    };
};

const KIALI_CRD = (tree: GitTree) => {
    const file = "kiali-operator/crds/crds.yaml";
    const crd = YAML.parseAllDocuments(tree.read(file) ?? "").map((d) => d.toJSON()).find((d) => d?.kind === "CustomResourceDefinition" && d.spec?.names?.kind === "Kiali");
    if (!crd) throw new Error(`${file} has no Kiali CRD`);
    const spec = crd.spec.versions.find((v: any) => v.served)?.schema?.openAPIV3Schema?.properties?.spec;
    return { files: { config: fromOpenApi(spec) }, sources: [`${file} (the Kiali CR's schema)`], method: "the Kiali CR's OpenAPI schema (spec), which the kiali-server config mirrors; free-form objects and preserve-unknown-fields are open; enums as the schema lists them" };
};

const VELERO_TYPES = (tree: GitTree) => {
    const reader = new GoConfigReader(tree, "github.com/vmware-tanzu/velero", "json");
    const spec = (type: string): Node => ({ keys: { spec: reader.named("pkg/apis/velero/v1", type) }, open: "apiVersion, kind, metadata and status are the API server's" });
    return {
        files: { Schedule: spec("ScheduleSpec"), BackupStorageLocation: spec("BackupStorageLocationSpec"), VolumeSnapshotLocation: spec("VolumeSnapshotLocationSpec") },
        sources: ["pkg/apis/velero/v1/*_types.go (ScheduleSpec, BackupStorageLocationSpec, VolumeSnapshotLocationSpec)"],
        method: "the API types by json tags, for what the CRDs cannot say: metav1.Duration fields are Go durations (the keys themselves are checked against the chart's CRDs); types outside the repository are open",
    };
};

const GRAFANA_DEFAULTS = (tree: GitTree) => {
    const file = "conf/defaults.ini";
    const text = tree.read(file);
    if (!text) throw new Error(`${file} is missing from the Grafana source`);
    return {
        files: { config: fromIni(text) },
        sources: [`${file} (every section and key with its default)`],
        method: "the sections and keys of conf/defaults.ini, the file Grafana loads before grafana.ini and whose sections and keys grafana.ini overrides; a section it declares without a key takes the user's keys (custom headers, labels)",
    };
};

export const SOURCES: readonly Source[] = [
    { program: "tempo", version: "3.0.3", format: "yaml", repo: "grafana/tempo", tag: "v3.0.3", revision: "v3.0.3", derive: TEMPO_GO },
    { program: "tempo", version: "2.10.8", format: "yaml", repo: "grafana/tempo", tag: "v2.10.8", revision: "v2.10.8", derive: TEMPO_GO },
    { program: "loki", version: "3.7.6", format: "yaml", repo: "grafana/loki", tag: "v3.7.6", revision: "v3.7.6", derive: LOKI_REFERENCE },
    {
        program: "mimir", version: "3.2.0", format: "yaml", repo: "szaydel/mimir", tag: "mimir-3.2.0", revision: "9ab70ccf85",
        note: "grafana/mimir is over the fetch limit; szaydel/mimir is a fork with upstream history but no mimir-3.2.0 tag: the commit is release-3.2's \"[3.2] Bump version to 3.2.0 everywhere (#16411)\", whose VERSION is 3.2.0",
        derive: MIMIR_DESCRIPTOR,
    },
    { program: "alloy", version: "1.18.1", format: "alloy", repo: "grafana/alloy", tag: "v1.18.1", revision: "v1.18.1", derive: ALLOY_DOCS },
    { program: "kiali", version: "2.29.0", format: "yaml", repo: "kiali/helm-charts", tag: "v2.29.0", revision: "v2.29.0", derive: KIALI_CRD },
    { program: "velero", version: "1.18.1", format: "yaml", repo: "vmware-tanzu/velero", tag: "v1.18.1", revision: "v1.18.1", derive: VELERO_TYPES },
    {
        program: "grafana", version: "13.2.0", format: "ini", repo: "grafana/grafana", tag: "none: a main-branch commit, not v13.2.0", revision: "194ad5183bd0dcd1872b5a6f3e4a78e8af99b39e",
        indexCopy: { path: "conf/defaults.ini", file: "grafana+grafana/index/194ad5183bd0dcd1872b5a6f3e4a78e8af99b39e/conf/defaults.ini" },
        note: "The v13.2.0 tag could not be read: grafana/grafana is over the fetch limit, every fork holding its history is too, no npm or Debian package carries conf/defaults.ini, and the search index holds no copy at a v13.2.x commit (its newest package.json of grafana/grafana says 12.2.0-pre, forks' say 13.0.0-pre). This is the newest conf/defaults.ini the index holds that could be found, read with read_file at this commit (the one that adds [operator] with pkg/setting/setting_operator.go); its exact version is not provable from the index (no package.json is stored at this commit). It is from the 13 line: its examples name Grafana/13.0.0, and it holds every section and key of the 12.x files the index also holds that our values set ([unified_storage] index_path included). A key added or dropped between this commit and v13.2.0 is the gap",
        derive: GRAFANA_DEFAULTS,
    },
];

/** Key paths in `before` that `after` no longer has, for a version bump's report. */
export function droppedKeys(before: KeyNode, after: KeyNode, at = ""): string[] {
    const out: string[] = [];
    for (const [key, node] of Object.entries(before.keys ?? {})) {
        const here = at ? `${at}.${key}` : key;
        const next = after.keys?.[key];
        if (!next) {
            if (!after.open) out.push(here);
        } else out.push(...droppedKeys(node, next, here));
    }
    if (before.map && after.map) out.push(...droppedKeys(before.map, after.map, `${at}.*`));
    if (before.items && after.items) out.push(...droppedKeys(before.items, after.items, `${at}[]`));
    return out;
}

/** Writes a key file and says which keys a previous version of the program had that this one drops. */
function write(out: string, file: ConfigKeyFile): void {
    fs.mkdirSync(out, { recursive: true });
    const target = path.join(out, `${file.program}-${file.version}.json`);
    fs.writeFileSync(target, `${JSON.stringify(file, null, 1)}\n`);
    const count = (n: KeyNode): number => Object.values(n.keys ?? {}).reduce((s, c) => s + 1 + count(c), 0) + (n.map ? count(n.map) : 0) + (n.items ? count(n.items) : 0);
    console.log(`${target}: ${Object.entries(file.files).map(([role, n]) => `${role} ${count(n)} keys`).join(", ")}`);
    for (const other of fs.readdirSync(out).filter((f) => f.startsWith(`${file.program}-`) && f !== path.basename(target))) {
        const previous = JSON.parse(fs.readFileSync(path.join(out, other), "utf8")) as ConfigKeyFile;
        for (const [role, node] of Object.entries(previous.files)) {
            const dropped = file.files[role] ? droppedKeys(node, file.files[role]) : ["(the whole file)"];
            if (dropped.length) console.log(`  ${file.version} has none of these ${previous.version} ${role} keys: ${dropped.join(", ")}`);
        }
    }
}

function main(argv: string[]): void {
    const option = (name: string) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const mirror = option("mirror") ?? "/work/.mirror";
    const out = option("out") ?? path.join(__dirname, "..", "charts", "config-keys");
    const only = option("only");
    for (const source of SOURCES) {
        if (only && only !== `${source.program}-${source.version}`) continue;
        const gitDir = path.join(mirror, source.repo.replace("/", "+"), "repo");
        const copy = source.indexCopy && path.join(mirror, source.indexCopy.file);
        if (copy ? !fs.existsSync(copy) : !fs.existsSync(gitDir)) {
            console.error(copy
                ? `${source.program} ${source.version}: no copy of ${source.indexCopy!.path} at ${copy}; read it from ${source.repo} at ${source.revision} through the search index and save it there`
                : `${source.program} ${source.version}: no git directory at ${gitDir}; fetch github:${source.repo} first`);
            process.exitCode = 1;
            continue;
        }
        const tree = copy ? new IndexCopy(copy, source.indexCopy!.path, source.revision) : new GitTree(gitDir, source.revision);
        const derived = source.derive(tree);
        write(out, {
            program: source.program,
            version: source.version,
            format: source.format,
            provenance: { repository: `https://github.com/${source.repo}`, tag: source.tag, commit: tree.commit(), date: tree.date(), sources: derived.sources, method: derived.method + (source.note ? `. ${source.note}` : "") },
            files: derived.files as Record<string, KeyNode>,
        });
    }
}

if (require.main === module) main(process.argv.slice(2));
