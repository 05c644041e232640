/** Reads a project's Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI would. */
import * as fs from "fs";
import * as path from "path";
import { CORE_SCHEMA, load } from "js-yaml";
import { parse, YAMLParseError } from "yaml";

export class StackFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StackFileError";
    }
}

export interface StackFile {
    readonly project: string;
    readonly stack: string;
    /** Config as the stack file holds it, keyed by full name ("aws:region", "<project>:network"). */
    readonly config: Record<string, unknown>;
}

/** The project directory: the folder holding Pulumi.yaml, found upward from this module. */
export function findProjectDir(start = __dirname): string {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new StackFileError(`No Pulumi.yaml found above ${start}`);
    }
}

/** The stacks a project has: every Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function listStacks(projectDir: string): string[] {
    return fs.readdirSync(projectDir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
}

export function readStackFile(projectDir: string, stack: string): StackFile {
    const project = parseYaml(path.join(projectDir, "Pulumi.yaml"))?.name;
    if (typeof project !== "string") throw new StackFileError(`${path.join(projectDir, "Pulumi.yaml")} has no project name`);
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(file)) {
        throw new StackFileError(`Unknown stack "${stack}": there is no Pulumi.${stack}.yaml in ${projectDir} (stacks: ${listStacks(projectDir).join(", ") || "none"})`);
    }
    const doc = parseYaml(file);
    const config = doc?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config)) throw new StackFileError(`${file} has no config: block`);
    return { project, stack, config };
}

/**
 * A stack file's config from its text (another revision of it, or another stack's file), read as
 * `file` for error messages; the project is the one `projectDir` names.
 */
export function stackFileFromText(projectDir: string, stack: string, file: string, text: string): StackFile {
    const project = parseYaml(path.join(projectDir, "Pulumi.yaml"))?.name;
    const config = parseMemoised(file, text)?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config)) throw new StackFileError(`${file} has no config: block`);
    return { project, stack, config: structuredClone(config) };
}

/** Parsed documents by their text: a plan reads each stack file several times, tests hundreds of times. */
const parsed = new Map<string, unknown>();

/** The document of `text`, parsed once; callers copy what they may change. */
function parseMemoised(file: string, text: string): any {
    if (!parsed.has(text)) parsed.set(text, parseText(file, text));
    return parsed.get(text);
}

/** The file's document, a fresh copy each time so that callers may change it. */
function parseYaml(file: string): any {
    return structuredClone(parseMemoised(file, fs.readFileSync(file, "utf8")));
}

/**
 * js-yaml reads a well-formed file several times faster than yaml's first parse, which was most of
 * reading a stack's config; both read YAML 1.2's core schema (tests/stacks.test.ts pins that they
 * agree). A file js-yaml refuses goes to yaml, whose errors carry the position shown here.
 */
function parseText(file: string, text: string): unknown {
    try {
        return load(text, { schema: CORE_SCHEMA });
    } catch {
        // yaml explains it below, or reads what js-yaml would not.
    }
    try {
        return parse(text);
    } catch (e) {
        if (!(e instanceof YAMLParseError) || e.linePos === undefined) throw new StackFileError(`${file} is not valid YAML: ${(e as Error).message}`);
        const { line, col } = e.linePos[0];
        // The parser's message ends with its own one-line frame; ours shows the lines around.
        const reason = e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "");
        throw new StackFileError(`${file}:${line}:${col}: not valid YAML: ${reason}\n${codeFrame(text, line, col)}`);
    }
}

/** The two lines before `line` and the line itself, numbered, with a caret under `col`. */
export function codeFrame(text: string, line: number, col: number): string {
    const lines = text.split(/\r?\n/);
    const first = Math.max(1, line - 2);
    const width = String(line).length;
    const gutter = (n: number | "") => `${String(n).padStart(width)} | `;
    const shown = [];
    for (let n = first; n <= line; n++) shown.push(`${gutter(n)}${lines[n - 1] ?? ""}`.trimEnd());
    shown.push(`${gutter("")}${" ".repeat(col - 1)}^`);
    return shown.join("\n");
}
