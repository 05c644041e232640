/**
 * Checks Helm values against the keys the pinned chart version actually has.
 *
 * Helm silently ignores values keys a chart does not read, so a typo or a key removed upstream would configure
 * nothing. The key lists are derived from the upstream chart by scripts/derive-chart-keys.ts and committed under
 * charts/keys/<chart>-<version>.json; this module reads only those files.
 *
 * Paths are arrays of segments because keys may contain dots ("grafana.ini", "eks.amazonaws.com/role-arn");
 * the segment "[]" stands for any item of a list.
 */
import * as fs from "fs";
import * as path from "path";

/** The segment that stands for any item of a list. */
const LIST_ITEM = "[]";

/** The shape scripts/derive-chart-keys.ts writes. */
interface KeyFile {
    readonly chart: string;
    readonly version: string;
    readonly subcharts: readonly { readonly path: readonly string[]; readonly chart: string; readonly version: string }[];
    readonly openPrefixes: readonly (readonly string[])[];
    readonly keys: readonly (readonly string[])[];
}

interface TrieNode {
    readonly children: Map<string, TrieNode>;
    /** Any key below this one is accepted (a free-form map, a pass-through or an unvendored subchart). */
    open: boolean;
    /** Subcharts whose own key lists also apply below this key, as "chart@version". */
    readonly mounts: string[];
}

const tries = new Map<string, TrieNode>();
let keysDir: string | undefined;

/** The compiled module runs from dist/lib, the sources from lib, so look upward for the committed folder. */
function findKeysDir(): string {
    if (keysDir) return keysDir;
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "charts", "keys");
        if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return (keysDir = candidate);
        if (path.dirname(dir) === dir) throw new Error(`no charts/keys folder found above ${__dirname}`);
    }
}

function insert(root: TrieNode, keyPath: readonly string[]): TrieNode {
    let node = root;
    for (const segment of keyPath) {
        let next = node.children.get(segment);
        if (!next) {
            next = { children: new Map(), open: false, mounts: [] };
            node.children.set(segment, next);
        }
        node = next;
    }
    return node;
}

function loadTrie(chart: string, version: string): TrieNode {
    const id = `${chart}@${version}`;
    const cached = tries.get(id);
    if (cached) return cached;
    // Names go into a file path, so anything beyond a plain chart name or version is refused.
    if (!/^[A-Za-z0-9._-]+$/.test(chart) || !/^[A-Za-z0-9._+-]+$/.test(version)) {
        throw new Error(`invalid chart name or version: ${JSON.stringify(chart)} ${JSON.stringify(version)}`);
    }
    const file = path.join(findKeysDir(), `${chart}-${version}.json`);
    if (!fs.existsSync(file)) {
        throw new Error(
            `no values key list committed for chart ${chart} ${version} (expected ${file}); ` +
                `run \`npm run chart-keys -- <shared charts dir>\` after pinning a chart version`,
        );
    }
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as KeyFile;
    if (data.chart !== chart || data.version !== version) {
        throw new Error(`${file} holds ${data.chart} ${data.version}, not ${chart} ${version}`);
    }
    const root: TrieNode = { children: new Map(), open: false, mounts: [] };
    for (const keyPath of data.keys) insert(root, keyPath);
    for (const keyPath of data.openPrefixes) insert(root, keyPath).open = true;
    for (const sub of data.subcharts) insert(root, sub.path).mounts.push(`${sub.chart}@${sub.version}`);
    tries.set(id, root);
    return root;
}

/** The nodes that give a key's meaning: the chart's own, plus the root of every subchart mounted there. */
function withMounts(node: TrieNode): TrieNode[] {
    return [
        node,
        ...node.mounts.map((id) => {
            const at = id.lastIndexOf("@");
            return loadTrie(id.slice(0, at), id.slice(at + 1));
        }),
    ];
}

/** Follows one segment from every current node; an empty result means the key does not exist. */
function step(nodes: readonly TrieNode[], segment: string): TrieNode[] {
    return nodes.flatMap((node) => {
        const next = node.children.get(segment);
        return next ? withMounts(next) : [];
    });
}

/** Only plain data is walked: anything else (a Pulumi Output, a Date) is a leaf value. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/**
 * Formats a path for messages: segments joined by dots, a segment containing a dot, quote, bracket or space in
 * double quotes, list items as "[]" (`datasources."datasources.yaml"`, `zones[].nodeSelector`).
 */
export function formatValuesPath(keyPath: readonly string[]): string {
    return keyPath
        .map((segment, i) => {
            if (segment === LIST_ITEM) return LIST_ITEM;
            const text = /^[A-Za-z0-9_/-]+$/.test(segment) ? segment : JSON.stringify(segment);
            return i === 0 ? text : `.${text}`;
        })
        .join("");
}

/**
 * Returns every key in `values` that chart `chart` at version `version` does not have, formatted with
 * formatValuesPath and sorted. A key below a free-form map is accepted; a key below a scalar or a key-less leaf is
 * reported; list items are checked against the keys the chart's default items have. Keys whose value is undefined
 * are skipped, since they never reach Helm.
 * Throws if no key list is committed for that chart and version.
 */
export function unknownValuesKeys(chart: string, version: string, values: unknown): string[] {
    const root = loadTrie(chart, version);
    if (values === undefined || values === null) return [];
    if (!isPlainObject(values)) throw new TypeError(`values for ${chart} ${version} must be a plain object`);
    const unknown = new Set<string>();
    const walk = (nodes: readonly TrieNode[], value: unknown, at: readonly string[]): void => {
        if (Array.isArray(value)) {
            const items = step(nodes, LIST_ITEM);
            if (items.some((n) => n.open)) return;
            for (const item of value) walk(items, item, [...at, LIST_ITEM]);
            return;
        }
        if (!isPlainObject(value)) return;
        for (const [key, sub] of Object.entries(value)) {
            if (sub === undefined) continue;
            const keyPath = [...at, key];
            const next = step(nodes, key);
            if (next.length === 0) unknown.add(formatValuesPath(keyPath));
            else if (!next.some((n) => n.open)) walk(next, sub, keyPath);
        }
    };
    walk(withMounts(root), values, []);
    return [...unknown].sort();
}

/**
 * Whether chart `chart` at version `version` has the values key `keyPath` (segments; "[]" or "[0]" for a list item),
 * either listed or below a free-form map. Throws if no key list is committed for that chart and version.
 */
export function hasValuesKey(chart: string, version: string, keyPath: readonly string[]): boolean {
    let nodes = withMounts(loadTrie(chart, version));
    for (const segment of keyPath) {
        nodes = step(nodes, /^\[\d+\]$/.test(segment) ? LIST_ITEM : segment);
        if (nodes.length === 0) return false;
        if (nodes.some((n) => n.open)) return true;
    }
    return true;
}
