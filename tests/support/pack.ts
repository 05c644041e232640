/**
 * The policy pack as `pulumi policy publish` sees it: policy/ alone, copied to an empty folder
 * outside the project, its dependencies installed by `npm ci` from its own lock, and started the
 * way the CLI starts a Node.js pack (`@pulumi/pulumi/cmd/run-policy-pack`, which type-checks the
 * TypeScript with the pack's own compiler and serves the analyzer over gRPC). Nothing of the
 * project's root node_modules or sources is reachable from there, so a module or dependency the
 * pack reaches outside policy/ fails here as it would for the organisation the pack is published to.
 *
 * One copy and one server per test process. The install is cached by the hash of package.json and
 * package-lock.json in the system's temporary folder (a fresh `npm ci` takes ~10 s), so it is redone
 * exactly when the lock changes.
 */
import { execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const POLICY_DIR = path.join(__dirname, "..", "..", "policy");
/** Folders of policy/ that are build or install products, never part of the pack's source. */
const NOT_SOURCE = new Set(["node_modules", "bin"]);
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export interface ServedPack {
    /** The port its analyzer serves on (127.0.0.1). */
    readonly port: number;
}

/** Every file of policy/ (relative paths), without installed or built folders. */
export function packSourceFiles(dir = POLICY_DIR): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (entry.isDirectory()) return NOT_SOURCE.has(entry.name) ? [] : packSourceFiles(path.join(dir, entry.name)).map((f) => path.join(entry.name, f));
        return [entry.name];
    }).sort();
}

/** Folders above `dir` that hold a node_modules, through which Node could resolve a module the pack does not declare. */
export function nodeModulesAbove(dir: string): string[] {
    const found: string[] = [];
    for (let d = path.dirname(dir); ; d = path.dirname(d)) {
        if (fs.existsSync(path.join(d, "node_modules"))) found.push(d);
        if (path.dirname(d) === d) return found;
    }
}

/** node_modules as `npm ci` installs it from the pack's lock, cached by the lock's hash. */
function installedModules(): string {
    const manifest = ["package.json", "package-lock.json"].map((f) => fs.readFileSync(path.join(POLICY_DIR, f), "utf8")).join("\0");
    const cache = path.join(os.tmpdir(), "nist-eks-policy-install", crypto.createHash("sha256").update(manifest).digest("hex").slice(0, 16));
    const modules = path.join(cache, "node_modules");
    if (fs.existsSync(path.join(cache, ".installed"))) return modules;
    // Installed beside, then moved in place: an interrupted install never passes for a whole one.
    const staging = `${cache}.${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    for (const file of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(POLICY_DIR, file), path.join(staging, file));
    execFileSync(NPM, ["ci", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: staging, stdio: ["ignore", "ignore", "pipe"] });
    fs.writeFileSync(path.join(staging, ".installed"), "");
    // Another test process may have installed the same lock meanwhile: then its install is used and ours dropped.
    if (fs.existsSync(path.join(cache, ".installed"))) fs.rmSync(staging, { recursive: true, force: true });
    else {
        fs.rmSync(cache, { recursive: true, force: true });
        fs.renameSync(staging, cache);
    }
    return modules;
}

let copy: string | undefined;

/** policy/ copied alone to an empty temporary folder, with its own installed dependencies. */
export function standaloneCopy(): string {
    if (copy) return copy;
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nist-eks-pack-")), "policy");
    for (const file of packSourceFiles()) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(POLICY_DIR, file), path.join(dir, file));
    }
    fs.symlinkSync(installedModules(), path.join(dir, "node_modules"), "dir");
    process.once("exit", () => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));
    return (copy = dir);
}

/** Starts the copy as the CLI starts a policy pack, and resolves with the port it serves on. */
function serve(dir: string): Promise<ServedPack> {
    return new Promise((resolve, reject) => {
        // Nothing of this test process's TypeScript setup may reach the pack.
        const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("TS_NODE_") && key !== "NODE_OPTIONS"));
        const child = spawn(process.execPath, [path.join("node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack"), "127.0.0.1:0", "."], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (chunk) => {
            stdout += String(chunk);
            const line = /^(\d+)\s*$/m.exec(stdout);
            if (line) resolve({ port: Number(line[1]) });
        });
        child.stderr!.on("data", (chunk) => { stderr += String(chunk); });
        child.on("exit", (code) => reject(new Error(`the pack exited (${code}) before serving: ${stdout}${stderr}`)));
        // The pack must neither keep mocha waiting nor outlive it, even when a --grep skips its tests.
        child.unref();
        for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref(): void }).unref();
        process.once("exit", () => child.kill());
    });
}

let served: Promise<ServedPack> | undefined;

/** The standalone copy, served; started once per test process. */
export function servedPack(): Promise<ServedPack> {
    served ??= new Promise<string>((resolve) => setImmediate(() => resolve(standaloneCopy()))).then(serve);
    return served;
}
