/**
 * Start-up trimming for the planner process, imported before anything loads @pulumi/pulumi.
 *
 * `@pulumi/pulumi` loads, at import, two things only its function serializer uses: the TypeScript
 * compiler (to parse closures) and npm's Arborist (to find the packages a serialized function
 * needs). The offline planner serializes no function, yet the two are most of the SDK's load time.
 * It also loads its Automation API (which runs the pulumi CLI, and loads execa and YAML to do it),
 * OpenTelemetry's API (for tracing an engine that is not there) and gRPC (to talk to it); zod loads
 * its messages in every language it has, where its schemas use English. The planner uses none of these.
 *
 * Each is deferred: registered in the module cache as a stand-in that loads the real module on
 * first use, so any code that does use them still gets the real thing.
 */
import Module = require("module");
import * as fs from "fs";
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

/**
 * A stand-in for a module its users read properties of only when they call into it. `esModule`:
 * the module is compiled from an ES module, which the `__importStar` of its importers asks at import.
 */
function deferWhole(file: string, esModule = false): void {
    const load = loader(file);
    register(file, new Proxy({}, {
        get: (_, key) => (esModule && key === "__esModule" ? true : load()[key]),
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

function deferPulumiUnused(): void {
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
    // index.js: `exports.automation = __importStar(require("./automation"))`.
    deferWhole(path.join(sdk, "automation", "index.js"), true);
    deferWhole(require.resolve("@opentelemetry/api", { paths: [sdk] }), true);
    // gRPC, over which the SDK reaches an engine and providers a plan has neither of. The generated
    // service stubs build their clients from gRPC at import; the SDK imports them with `__importStar`
    // and reads only their clients, so their stand-ins answer as ES modules, which hands over the
    // stand-in instead of copying (and so loading) the module.
    deferWhole(require.resolve("@grpc/grpc-js", { paths: [sdk] }), true);
    const proto = path.join(sdk, "proto");
    for (const stub of fs.readdirSync(proto).filter((f) => f.endsWith("_grpc_pb.js"))) deferWhole(path.join(proto, stub), true);
}

function deferZodLocales(): void {
    let locales: string;
    try {
        locales = require.resolve("zod/v4/locales/index.cjs");
    } catch {
        return;
    }
    // `exports.locales = __importStar(require("../locales/index.cjs"))`; the schemas import English themselves.
    deferWhole(locales, true);
}

deferPulumiUnused();
deferZodLocales();
