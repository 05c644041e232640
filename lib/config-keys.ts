/**
 * Checks an application's config against the keys its pinned version defines.
 *
 * Tempo loads its config with yaml.UnmarshalStrict, Mimir and Loki refuse unknown fields, Alloy refuses an unknown
 * component, argument or block: a key the version does not have stops the program, it is not ignored. The key
 * definitions are derived from each program's own source at the pinned tag by scripts/derive-config-keys.ts and
 * committed as charts/config-keys/<program>-<version>.json; this module reads only those files.
 *
 * Grafana is the exception that makes the check matter more, not less: it ignores a section or key of grafana.ini it
 * does not define, so a misspelt setting (a database's ssl_mode, an alerting peer list) starts fine and is silently
 * not applied.
 */
import * as fs from "fs";
import * as path from "path";
import { isJsonObject } from "./json";

/** What a key may hold. A node with neither `keys`, `map`, `items` nor `open` is a plain value. */
export interface KeyNode {
    /** A block: the keys it defines. */
    readonly keys?: Readonly<Record<string, KeyNode>>;
    /** Keys the block does not define are accepted too (a free-form map or an extension point), with the reason upstream gives. */
    readonly open?: string;
    /** A map whose keys are the user's (tenants, labels): every value is this node. */
    readonly map?: KeyNode;
    /** A list of blocks: every item is this node. */
    readonly items?: KeyNode;
    /** A duration: "go" is time.Duration (ns, us, ms, s, m, h); "prometheus" is model.Duration (also d, w, y). */
    readonly duration?: "go" | "prometheus";
    /** The values upstream lists as the only ones supported. */
    readonly enum?: readonly string[];
}

export interface Provenance {
    readonly repository: string;
    readonly tag: string;
    readonly commit: string;
    /** The commit's date. */
    readonly date: string;
    readonly sources: readonly string[];
    /** How the keys were read from the sources. */
    readonly method: string;
}

/** The shape scripts/derive-config-keys.ts writes. */
export interface ConfigKeyFile {
    readonly program: string;
    readonly version: string;
    /** How the program reads the file: YAML, Alloy's configuration syntax, or INI (Grafana). */
    readonly format: "yaml" | "alloy" | "ini";
    readonly provenance: Provenance;
    /** Each config file the program reads, by its role ("config", "runtime"). */
    readonly files: Readonly<Record<string, KeyNode>>;
}

/** One thing the program would refuse or misread. */
export interface ConfigProblem {
    /** Dotted key path; list items as [i]; an Alloy block label in quotes. */
    readonly path: string;
    readonly problem: string;
}

let keysDir: string | undefined;

/** The compiled module runs from dist/lib, the sources from lib, so look upward for the committed folder. */
export function configKeysDir(): string {
    if (keysDir) return keysDir;
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "charts", "config-keys");
        if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return (keysDir = candidate);
        if (path.dirname(dir) === dir) throw new Error(`no charts/config-keys folder found above ${__dirname}`);
    }
}

const loaded = new Map<string, ConfigKeyFile>();

/** The committed key file of `program` at `version`; throws naming the command when there is none. */
export function configKeys(program: string, version: string): ConfigKeyFile {
    const id = `${program}-${version}`;
    const known = loaded.get(id);
    if (known) return known;
    if (!/^[a-z0-9-]+$/.test(program) || !/^[A-Za-z0-9._+-]+$/.test(version)) throw new Error(`invalid program or version: ${JSON.stringify(program)} ${JSON.stringify(version)}`);
    const file = path.join(configKeysDir(), `${id}.json`);
    if (!fs.existsSync(file)) {
        const have = fs.readdirSync(configKeysDir()).filter((f) => f.startsWith(`${program}-`)).map((f) => f.slice(program.length + 1, -5));
        throw new Error(`no config key file for ${program} ${version} (have: ${have.join(", ") || "none"}); derive it with \`npm run config-keys\` from ${program}'s source at that tag`);
    }
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as ConfigKeyFile;
    if (data.program !== program || data.version !== version) throw new Error(`${file} holds ${data.program} ${data.version}, not ${program} ${version}`);
    loaded.set(id, data);
    return data;
}

/** Go's time.ParseDuration: signed sequence of decimal numbers with units, or a bare 0. */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
/** Prometheus' model.ParseDuration: units in descending order, integers only, or a bare 0. */
const PROMETHEUS_DURATION = /^(0|(?=\d)(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;

function durationProblem(kind: "go" | "prometheus", value: unknown): string | undefined {
    if (value === null || value === 0) return undefined;
    if (typeof value === "number") return `${value} is a bare number where a duration with a unit is expected${kind === "go" ? " (time.Duration would read it as nanoseconds)" : ""}`;
    if (typeof value !== "string") return `expected a duration, got ${JSON.stringify(value)}`;
    if (kind === "go" && !GO_DURATION.test(value)) {
        return /\d[dwy]/.test(value)
            ? `"${value}" uses a d, w or y unit, which this Go time.Duration field rejects (only h, m, s, ms, us, ns)`
            : `"${value}" is not a Go duration`;
    }
    if (kind === "prometheus" && !PROMETHEUS_DURATION.test(value)) return `"${value}" is not a Prometheus duration (integers with y, w, d, h, m, s, ms in that order)`;
    return undefined;
}

function join(at: string, key: string): string {
    const segment = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
    return at ? `${at}.${segment}` : segment;
}

/** Every key, block or value in `value` that `node` does not allow, in document order. */
export function checkConfig(node: KeyNode, value: unknown, at = ""): ConfigProblem[] {
    if (value === undefined || value === null) return [];
    const here = at || "(root)";
    if (Array.isArray(value)) {
        if (node.items) return value.flatMap((item, i) => checkConfig(node.items!, item, `${at}[${i}]`));
        if (node.keys || node.map) return node.open ? [] : [{ path: here, problem: "is a block, not a list" }];
        // A list of plain values: each must satisfy the value's own rules.
        return value.flatMap((item, i) => (isJsonObject(item) || Array.isArray(item) ? [] : checkConfig(node, item, `${at}[${i}]`)));
    }
    if (isJsonObject(value)) {
        if (node.map) return Object.entries(value).flatMap(([k, v]) => checkConfig(node.map!, v, join(at, k)));
        if (!node.keys) return node.open || node.items ? [] : [{ path: here, problem: "is a value, not a block" }];
        return Object.entries(value).flatMap(([k, v]) => {
            const child = node.keys![k];
            if (child) return checkConfig(child, v, join(at, k));
            return node.open ? [] : [{ path: join(at, k), problem: "is not a key" }];
        });
    }
    if (node.keys && !node.open) return [{ path: here, problem: `is a block, not the value ${JSON.stringify(value)}` }];
    const problems: ConfigProblem[] = [];
    const duration = node.duration && durationProblem(node.duration, value);
    if (duration) problems.push({ path: here, problem: duration });
    if (node.enum && !node.enum.includes(String(value))) problems.push({ path: here, problem: `${JSON.stringify(value)} is not one of ${node.enum.map((e) => JSON.stringify(e)).join(", ")}` });
    return problems;
}

/** An INI file as go-ini reads it (Grafana): keys before the first `[section]` at the top, each section an object. */
export function parseIni(text: string): Record<string, string | Record<string, string>> {
    const out: Record<string, string | Record<string, string>> = {};
    let section: Record<string, string> | undefined;
    for (const [i, raw] of text.split("\n").entries()) {
        const line = raw.trim();
        if (!line || line.startsWith("#") || line.startsWith(";")) continue;
        const header = /^\[([^\]]+)\]$/.exec(line);
        if (header) {
            const known = out[header[1]];
            section = typeof known === "object" ? known : (out[header[1]] = {});
            continue;
        }
        const entry = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
        if (!entry) throw new Error(`INI config: line ${i + 1} is neither a section, a key = value nor a comment: ${JSON.stringify(line)}`);
        (section ?? out)[entry[1]] = entry[2];
    }
    return out;
}

/** Every section and key of a parsed INI file that `node` (a key file's INI root) does not define. */
export function checkIni(node: KeyNode, ini: Record<string, string | Record<string, string>>): ConfigProblem[] {
    return Object.entries(ini).flatMap(([name, value]): ConfigProblem[] => {
        const child = node.keys?.[name];
        if (typeof value === "string") return child && !child.keys ? checkConfig(child, value, name) : [{ path: name, problem: "is not a key" }];
        if (!child?.keys) return [{ path: name, problem: "is not a section" }];
        return Object.entries(value).flatMap(([key, v]) => (child.keys![key] ? checkConfig(child.keys![key], v, `${name}.${key}`) : child.open ? [] : [{ path: `${name}.${key}`, problem: "is not a key" }]));
    });
}

/** An Alloy attribute: its name, and its value when that is a plain string or number literal. */
export interface AlloyAttribute {
    readonly name: string;
    readonly literal?: string | number;
}

/** One Alloy block as the configuration syntax nests it: its name, label, attributes and inner blocks. */
export interface AlloyBlock {
    readonly name: string;
    readonly label?: string;
    readonly attributes: readonly AlloyAttribute[];
    readonly blocks: readonly AlloyBlock[];
}

/**
 * Reads the structure of an Alloy configuration: blocks (`name "label" { ... }`, dotted names allowed) and their
 * attributes (`name = expression`). Expressions are skipped, not evaluated, except that a plain string or number
 * literal is kept as the attribute's value; comments and strings are honoured.
 */
export function parseAlloy(text: string): AlloyBlock[] {
    let i = 0;
    const fail = (what: string): never => {
        throw new Error(`Alloy config: ${what} at line ${text.slice(0, i).split("\n").length}`);
    };
    const skipSpace = () => {
        for (;;) {
            if (/\s/.test(text[i] ?? "")) i++;
            else if (text.startsWith("//", i)) while (i < text.length && text[i] !== "\n") i++;
            else if (text.startsWith("/*", i)) {
                const end = text.indexOf("*/", i + 2);
                i = end < 0 ? fail("unterminated comment") : end + 2;
            } else return;
        }
    };
    const readString = (): string => {
        const quote = text[i++];
        let out = "";
        while (i < text.length && text[i] !== quote) {
            if (text[i] === "\\" && quote === '"') i++;
            out += text[i++];
        }
        if (i >= text.length) fail("unterminated string");
        i++;
        return out;
    };
    /** Skips an expression up to the end of its line at bracket depth 0. */
    const skipExpression = () => {
        let depth = 0;
        while (i < text.length) {
            const c = text[i];
            if (c === '"' || c === "`") readString();
            else if (text.startsWith("//", i) || text.startsWith("/*", i)) {
                if (depth === 0 && text.startsWith("//", i)) return;
                skipSpace();
            } else if ("([{".includes(c)) (depth++, i++);
            else if (")]}".includes(c)) {
                if (depth === 0) return;
                depth--;
                i++;
            } else if (c === "\n" && depth === 0) return;
            else if (c === "," && depth === 0) return;
            else i++;
        }
    };
    const body = (closing: boolean): AlloyBlock[] & { attributes?: AlloyAttribute[] } => {
        const blocks: AlloyBlock[] = [];
        const attributes: AlloyAttribute[] = [];
        for (;;) {
            skipSpace();
            if (i >= text.length) {
                if (closing) fail("missing }");
                break;
            }
            if (text[i] === "}") {
                if (!closing) fail("unexpected }");
                i++;
                break;
            }
            const name = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i))?.[0] ?? fail("expected a block or attribute name");
            i += name.length;
            skipSpace();
            if (text[i] === "=" && text[i + 1] !== "=") {
                i++;
                skipSpace();
                const start = i;
                skipExpression();
                const expression = text.slice(start, i).trim();
                const literal = /^"(?:[^"\\]|\\.)*"$/.test(expression) ? (JSON.parse(expression) as string) : /^-?\d+(\.\d+)?$/.test(expression) ? Number(expression) : undefined;
                attributes.push(literal === undefined ? { name } : { name, literal });
                continue;
            }
            let label: string | undefined;
            if (text[i] === '"') {
                label = readString();
                skipSpace();
            }
            if (text[i] !== "{") fail(`expected { or = after ${name}`);
            i++;
            const inner = body(true);
            blocks.push({ name, ...(label !== undefined ? { label } : {}), attributes: inner.attributes ?? [], blocks: [...inner] });
        }
        return Object.assign(blocks, { attributes });
    };
    const top = body(false);
    if (top.attributes?.length) fail(`attribute ${top.attributes[0].name} outside any block`);
    return [...top];
}

/** Checks Alloy blocks against the components and config blocks a version defines (root node: keys by block name). */
export function checkAlloy(root: KeyNode, blocks: readonly AlloyBlock[]): ConfigProblem[] {
    const walk = (node: KeyNode, block: AlloyBlock, at: string): ConfigProblem[] => {
        const here = block.label !== undefined ? `${at}${block.name} ${JSON.stringify(block.label)}` : `${at}${block.name}`;
        const problems: ConfigProblem[] = [];
        for (const attribute of block.attributes) {
            const child = node.keys?.[attribute.name];
            const at = `${here}.${attribute.name}`;
            if (!child && !node.open) problems.push({ path: at, problem: "is not an argument" });
            else if (child?.keys) problems.push({ path: at, problem: "is a block, not an argument" });
            else if (child && attribute.literal !== undefined) problems.push(...checkConfig(child, attribute.literal, at));
        }
        for (const inner of block.blocks) {
            const child = node.keys?.[inner.name];
            if (!child) {
                if (!node.open) problems.push({ path: `${here}.${inner.name}`, problem: "is not a block" });
            } else if (!child.keys && !child.open) problems.push({ path: `${here}.${inner.name}`, problem: "is an argument, not a block" });
            else problems.push(...walk(child, inner, `${here}.`));
        }
        return problems;
    };
    return blocks.flatMap((block) => {
        const component = root.keys?.[block.name];
        return component ? walk(component, block, "") : [{ path: block.name, problem: "is not a component or config block" }];
    });
}

/** "a.b.c: problem" lines, for messages. */
export function describeProblems(problems: readonly ConfigProblem[]): string[] {
    return problems.map((p) => `${p.path}: ${p.problem}`);
}
