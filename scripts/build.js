#!/usr/bin/env node
// Compiles the program, engine, planner and policy rules to dist/ without type-checking, so that
// `npm run plan` starts in seconds. Types are checked by `npm test` (tsc --noEmit), which CI runs.
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const root = path.join(__dirname, "..");
const outDir = path.join(root, "dist");
const { config } = ts.readConfigFile(path.join(root, "tsconfig.build.json"), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
const compilerOptions = { ...parsed.options, noEmit: false, sourceMap: false, declaration: false };

/** Copies every JSON file a compiled module imports, which tsc's own build would copy too. */
function copyImportedJson(source, text) {
    for (const match of text.matchAll(/from\s+"(\.[^"]+\.json)"/g)) {
        const json = path.resolve(path.dirname(source), match[1]);
        const target = path.join(outDir, path.relative(root, json));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(json, target);
    }
}

fs.rmSync(outDir, { recursive: true, force: true });
for (const source of parsed.fileNames) {
    const text = fs.readFileSync(source, "utf8");
    const { outputText, diagnostics } = ts.transpileModule(text, { compilerOptions, fileName: source, reportDiagnostics: true });
    if (diagnostics && diagnostics.length > 0) {
        console.error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" }));
        process.exit(1);
    }
    const target = path.join(outDir, path.relative(root, source)).replace(/\.ts$/, ".js");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
    copyImportedJson(source, text);
}
