#!/usr/bin/env node
// Compiles the program, engine, planner and policy rules to dist/ without type-checking, so that
// `npm run plan` starts in a second. Types are checked by `npm test` (tsc --noEmit), which CI runs.
//
// Incremental: dist/.build-manifest.json records a hash of every source and of the build's own
// inputs (this script, the tsconfig files). An unchanged checkout rebuilds nothing and never loads
// the transpiler; a changed file is transpiled alone; a changed option rebuilds all. A source whose
// files (itself and the JSON it imports) have the modification time and size the manifest recorded
// is not read again: on an unchanged checkout, reading and hashing every source was most of the check.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const outDir = path.join(root, "dist");
const manifestFile = path.join(outDir, ".build-manifest.json");
const CONFIG_FILES = ["tsconfig.json", "tsconfig.build.json"];

const hash = (text) => crypto.createHash("sha256").update(text).digest("hex");

/**
 * The tsconfig's include/exclude patterns as regular expressions. Only the forms the project uses
 * are understood ("*.ts", "dir/**\/*.ts", "dir/**", a file); anything else fails loudly rather
 * than silently compiling the wrong set of files.
 */
function patternToRegExp(pattern) {
    const parts = pattern.split("/");
    if (parts.some((p) => p !== "**" && !/^[\w.*-]+$/.test(p))) throw new Error(`scripts/build.js: unsupported tsconfig pattern "${pattern}"`);
    const body = parts.map((part, i) => {
        if (part === "**") return i === parts.length - 1 ? ".*" : "(?:[^/]+/)*";
        return part.replace(/\./g, "\\.").replace(/\*/g, "[^/]*") + (i === parts.length - 1 ? "" : "/");
    });
    return new RegExp(`^${body.join("")}$`);
}

function readJson(file) {
    return JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
}

/**
 * Whether a file matching `pattern` could lie under the folder `rel`, so that the walk need not
 * enter folders no pattern reaches (charts/ alone holds thousands of files).
 */
function reaches(pattern, rel) {
    const parts = pattern.split("/");
    const segments = rel.split("/");
    for (let i = 0; i < segments.length; i++) {
        if (parts[i] === "**") return true;
        if (i >= parts.length - 1 || !patternToRegExp(parts[i]).test(segments[i])) return false;
    }
    return true;
}

/** The sources tsconfig.build.json compiles, as paths relative to the project root. */
function sourceFiles() {
    const build = readJson("tsconfig.build.json");
    const base = readJson(build.extends ?? "tsconfig.json");
    const includePatterns = build.include ?? base.include;
    const include = includePatterns.map(patternToRegExp);
    const exclude = (build.exclude ?? base.exclude ?? []).map(patternToRegExp);
    const skipped = (rel) => exclude.some((re) => re.test(rel) || re.test(`${rel}/x`));
    const files = [];
    const walk = (dir) => {
        for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            const rel = dir ? `${dir}/${entry.name}` : entry.name;
            if (entry.name.startsWith(".") || skipped(rel)) continue;
            if (entry.isDirectory()) {
                if (includePatterns.some((pattern) => reaches(pattern, rel))) walk(rel);
            } else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts") && include.some((re) => re.test(rel))) files.push(rel);
        }
    };
    walk("");
    return files.sort();
}

/** The JSON files a module imports, which tsc's own build would copy beside the output too. */
function importedJson(source, text) {
    return [...text.matchAll(/from\s+"(\.[^"]+\.json)"/g)].map((m) => path.relative(root, path.resolve(path.dirname(path.join(root, source)), m[1])));
}

function readManifest() {
    try {
        return JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    } catch {
        return undefined;
    }
}

/** What a file's content is taken to be unchanged by: its modification time and size. */
function stampOf(file) {
    try {
        const stat = fs.statSync(path.join(root, file));
        return `${stat.mtimeMs}:${stat.size}`;
    } catch {
        return undefined;
    }
}

/** Whether each file `stamps` records still has its recorded stamp. */
const unchanged = (stamps) => stamps !== undefined && Object.entries(stamps).every(([file, stamp]) => stampOf(file) === stamp);

function build() {
    const transpiler = require("sucrase/package.json").version;
    const options = hash(transpiler + fs.readFileSync(__filename, "utf8") + CONFIG_FILES.map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("\0"));
    const previous = readManifest();
    const reuse = previous?.options === options ? previous.files : {};
    if (previous?.options !== options) fs.rmSync(outDir, { recursive: true, force: true });

    const known = previous?.options === options ? previous.stamps ?? {} : {};
    const files = {};
    const stamps = {};
    const changed = [];
    for (const source of sourceFiles()) {
        const target = path.join(outDir, source.replace(/\.ts$/, ".js"));
        if (reuse[source] !== undefined && unchanged(known[source]) && fs.existsSync(target)) {
            files[source] = reuse[source];
            stamps[source] = known[source];
            continue;
        }
        const text = fs.readFileSync(path.join(root, source), "utf8");
        const json = importedJson(source, text);
        const digest = hash(text + json.map((f) => `\0${f}\0${fs.readFileSync(path.join(root, f), "utf8")}`).join(""));
        files[source] = digest;
        stamps[source] = Object.fromEntries([source, ...json].map((f) => [f, stampOf(f)]));
        if (reuse[source] !== digest || !fs.existsSync(target)) changed.push({ source, text, json, target });
    }
    const restamped = Object.keys(stamps).some((source) => known[source] !== stamps[source]);
    for (const gone of Object.keys(reuse).filter((f) => !(f in files))) fs.rmSync(path.join(outDir, gone.replace(/\.ts$/, ".js")), { force: true });
    if (changed.length === 0 && previous?.options === options) {
        // A file touched but not changed (a checkout, an editor's save) gets its new stamp.
        if (restamped) writeManifest(options, files, stamps);
        return;
    }

    // Sucrase, as the tests' ts-node uses it (tsconfig.json), so the planner runs the code the tests
    // ran; options as its ts-node plugin derives them from the tsconfig (CommonJS, esModuleInterop).
    const { transform } = require("sucrase");
    const { compilerOptions } = readJson("tsconfig.json");
    if (compilerOptions.module !== "commonjs" || compilerOptions.esModuleInterop !== true) throw new Error("scripts/build.js: expects module commonjs and esModuleInterop in tsconfig.json");
    for (const { source, text, json, target } of changed) {
        let code;
        try {
            ({ code } = transform(text, { transforms: ["typescript", "imports"], disableESTransforms: true, filePath: source }));
        } catch (error) {
            console.error(`${source}: ${error.message}`);
            // A failed build leaves no manifest, so the next run starts over.
            fs.rmSync(manifestFile, { force: true });
            process.exit(1);
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, code);
        for (const file of json) {
            fs.mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
            fs.copyFileSync(path.join(root, file), path.join(outDir, file));
        }
    }
    writeManifest(options, files, stamps);
}

function writeManifest(options, files, stamps) {
    fs.writeFileSync(manifestFile, `${JSON.stringify({ options, files, stamps }, null, 1)}\n`);
}

module.exports = { build, sourceFiles, patternToRegExp };
if (require.main === module) build();
