/** Reads a project's Pulumi.yaml and Pulumi.<stack>.yaml the way the Pulumi CLI would. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

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

function parseYaml(file: string): any {
    try {
        return parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new StackFileError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
}
