// The planner's V8 code cache: what Node 22's module.enableCompileCache() does, for the Node 20
// the project runs on. A warm plan spent a fifth of its time compiling the same modules again.
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

const HEADER_BYTES = 4;

/** What a module's compiled code is kept under besides its path: its modification time and size. */
function stampOf(filename) {
    const stat = fs.statSync(filename);
    return `${stat.mtimeMs}:${stat.size}`;
}

/** The cache file's entries ({ path: { stamp, offset, length } }) and their code; empty when it is missing or unreadable. */
function readCache(file) {
    try {
        const raw = fs.readFileSync(file);
        const length = raw.readUInt32LE(0);
        return { entries: JSON.parse(raw.subarray(HEADER_BYTES, HEADER_BYTES + length).toString("utf8")), code: raw.subarray(HEADER_BYTES + length) };
    } catch {
        return { entries: {}, code: Buffer.alloc(0) };
    }
}

/** Writes the cache whole, aside and renamed, so that a concurrent planner never reads half of one. */
function writeCache(file, chunks) {
    const entries = {};
    let offset = 0;
    for (const { filename, stamp, data } of chunks) {
        entries[filename] = { stamp, offset, length: data.length };
        offset += data.length;
    }
    const header = Buffer.from(JSON.stringify(entries), "utf8");
    const length = Buffer.alloc(HEADER_BYTES);
    length.writeUInt32LE(header.length);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, Buffer.concat([length, header, ...chunks.map((c) => c.data)]));
    fs.renameSync(temporary, file);
}

/**
 * Compiles every CommonJS module under `root` that this process loads with V8's code from `file`
 * where it has the module at its current modification time and size, and writes at exit the code
 * of every module it loaded (the functions the run compiled lazily included) when any was compiled
 * afresh. V8 refuses code from another V8 version or other flags itself: such a module is compiled
 * afresh too. Modules the process did not load keep their entries while current.
 */
function enableCompileCache(file, root) {
    if (typeof Module.enableCompileCache === "function") {
        Module.enableCompileCache(path.join(path.dirname(file), "node"));
        return;
    }
    const cache = readCache(file);
    const compiled = new Map();
    let fresh = false;
    const compile = Module.prototype._compile;
    Module.prototype._compile = function (content, filename) {
        if (!filename.startsWith(root + path.sep)) return compile.call(this, content, filename);
        const module = this;
        const stamp = stampOf(filename);
        const entry = cache.entries[filename];
        const cachedData = entry?.stamp === stamp ? cache.code.subarray(entry.offset, entry.offset + entry.length) : undefined;
        // A shebang line is no JavaScript inside the module's wrapper; commented out, the lines keep their numbers.
        const source = content.startsWith("#!") ? `//${content}` : content;
        const script = new vm.Script(Module.wrap(source), { filename, cachedData, importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER });
        if (cachedData === undefined || script.cachedDataRejected) fresh = true;
        compiled.set(filename, { stamp, script });
        // The require a module gets from Node: resolution from the module, the main module, the caches.
        const require = (id) => module.require(id);
        require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
        require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
        require.main = process.mainModule;
        require.extensions = Module._extensions;
        require.cache = Module._cache;
        const wrapper = script.runInThisContext({ displayErrors: true });
        return wrapper.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
    };
    process.on("exit", () => {
        if (!fresh) return;
        const chunks = [...compiled].map(([filename, { stamp, script }]) => ({ filename, stamp, data: script.createCachedData() }));
        for (const [filename, entry] of Object.entries(cache.entries)) {
            if (compiled.has(filename)) continue;
            let current;
            try {
                current = stampOf(filename) === entry.stamp;
            } catch {
                current = false;
            }
            if (current) chunks.push({ filename, stamp: entry.stamp, data: cache.code.subarray(entry.offset, entry.offset + entry.length) });
        }
        try {
            writeCache(file, chunks);
        } catch {
            // A cache that cannot be written only makes the next plan compile again.
        }
    });
}

module.exports = { enableCompileCache };
