import { expect } from "chai";
import { execFile } from "child_process";
import * as path from "path";

const root = path.join(__dirname, "..");

/** Runs `script` in a fresh node process (TypeScript through Sucrase) and returns what it prints as JSON. */
function inFreshProcess(script: string): Promise<any> {
    return new Promise((resolve, reject) => {
        execFile(process.execPath, ["-r", "sucrase/register/ts", "-e", script], { cwd: root, encoding: "utf8" }, (error, stdout, stderr) => {
            if (error) reject(new Error(`${error.message}\n${stderr}`));
            else resolve(JSON.parse(stdout));
        });
    });
}

// A deferred module's stand-in sits in the cache under the module's own file: a package counts as
// loaded by its other files (OpenTelemetry's API is a tree of them).
const LOADED = `const files = (name) => Object.keys(require.cache).filter((f) => f.includes("/node_modules/" + name + "/")).length;
    const loaded = (name) => files(name) > 0;`;

// Started when mocha loads this file, so that the child's SDK load overlaps the suite.
const startup = inFreshProcess(`${LOADED}
    require("./planner/startup");
    const pulumi = require("@pulumi/pulumi");
    require("@pulumi/aws"); require("@pulumi/kubernetes");
    const { z } = require("zod");
    const zodLocales = () => Object.keys(require.cache).filter((f) => f.includes("/node_modules/zod/v4/locales/") && !f.endsWith("/en.cjs") && !f.endsWith("/index.cjs")).length;
    const before = { typescript: loaded("typescript"), arborist: loaded("@npmcli/arborist"), execa: loaded("execa"), opentelemetry: files("@opentelemetry/api") > 1, grpc: files("@grpc/grpc-js") > 1, zodLocales: zodLocales() };
    const english = z.string().safeParse(1).error.issues[0].message;
    const ts = require("@pulumi/pulumi/typescript-shim");
    const parsed = ts.createSourceFile("f.ts", "const x = 1;", ts.ScriptTarget.Latest).statements.length;
    const codePaths = typeof pulumi.runtime.computeCodePaths;
    const used = {
        workspace: typeof pulumi.automation.LocalWorkspace.create,
        tracer: typeof require("@opentelemetry/api").trace.getTracer,
        monitor: typeof require("@pulumi/pulumi/proto/resource_grpc_pb").ResourceMonitorClient,
        server: typeof require("@grpc/grpc-js").Server,
        french: typeof z.locales.fr,
    };
    console.log(JSON.stringify({ before, english, after: { typescript: loaded("typescript"), execa: loaded("execa"), opentelemetry: files("@opentelemetry/api") > 1, grpc: files("@grpc/grpc-js") > 1, zodLocales: zodLocales() > 1 }, parsed, codePaths, used }));`);
startup.catch(() => undefined);

describe("planner start-up", () => {
    it("loads the Pulumi SDK and zod without what the planner never uses (the TypeScript compiler, npm's Arborist, the Automation API, OpenTelemetry, gRPC, zod's other languages), and still gives each on first use", async function () {
        this.timeout(60_000);
        expect(await startup).to.deep.equal({
            before: { typescript: false, arborist: false, execa: false, opentelemetry: false, grpc: false, zodLocales: 0 },
            english: "Invalid input: expected string, received number",
            after: { typescript: true, execa: true, opentelemetry: true, grpc: true, zodLocales: true },
            parsed: 1,
            codePaths: "function",
            used: { workspace: "function", tracer: "function", monitor: "function", server: "function", french: "function" },
        });
    });
});
