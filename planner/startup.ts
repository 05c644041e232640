/**
 * Start-up trimming for the planner process, imported before anything loads @pulumi/pulumi.
 *
 * `@pulumi/pulumi` loads, at import, two things only its function serializer uses: the TypeScript
 * compiler (to parse closures) and npm's Arborist (to find the packages a serialized function
 * needs). The offline planner serializes no function, yet the two are most of the SDK's load time.
 * Here both are deferred: each is registered in the module cache as a stand-in that loads the real
 * module on first use, so any code that does use them still gets the real thing.
 */
import Module = require("module");
import * as path from "path";

/** Registers `file` as loaded with `exports`; the real module replaces it in `load`. */
function register(file: string, exports: unknown): void {
    const stub = new Module(file);
    stub.filename = file;
    stub.loaded = true;
    stub.exports = exports;
    require.cache[file] = stub;
}

/** Loads the real module behind a stand-in, once. */
function loader(file: string): () => any {
    let real: any;
    return () => {
        if (real === undefined) {
            delete require.cache[file];
            real = require(file);
        }
        return real;
    };
}

/** A stand-in for a module its users read properties of only when they call into it. */
function deferWhole(file: string): void {
    const load = loader(file);
    register(file, new Proxy({}, {
        get: (_, key) => load()[key],
        has: (_, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Object.getOwnPropertyDescriptor(load(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
    }));
}

/** A stand-in for a module whose named functions are read at import and called later. */
function deferFunctions(file: string, names: readonly string[]): void {
    const load = loader(file);
    register(file, Object.fromEntries(names.map((name) => [name, (...args: unknown[]) => load()[name](...args)])));
}

function deferPulumiSerializer(): void {
    let sdk: string;
    try {
        sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    } catch {
        return;
    }
    // `const ts = require("../../typescript-shim")`, used inside functions only.
    deferWhole(path.join(sdk, "typescript-shim.js"));
    // runtime/index.js re-exports computeCodePaths; codePaths.js is what imports Arborist.
    deferFunctions(path.join(sdk, "runtime", "closure", "codePaths.js"), ["computeCodePaths", "findWorkspaceRoot"]);
}

deferPulumiSerializer();
