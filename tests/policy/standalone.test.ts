/**
 * The pack stands alone, as `pulumi policy publish` uploads it: policy/ and nothing above it. These
 * follow the README's publishing steps as far as they go without the CLI: `npm ci` in policy/ (a copy
 * of policy/ alone, installed from its own lock), the pack started as the CLI starts it to read its
 * name, version and policies (which type-checks it with its own TypeScript), the archive `npm pack`
 * makes of it (what publish uploads), and its offline evaluator run from the copy.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import { evaluatePolicies, loadPackConfig } from "../../policy/evaluate";
import { allPolicies } from "../../policy/policies";
import { PACK_SOURCES, packCopy } from "../../scripts/sync-pack-sources";
import { nodeModulesAbove, packSourceFiles, POLICY_DIR, servedPack, standaloneCopy } from "../support/pack";
import { stack } from "../support/stacks";

/* eslint-disable @typescript-eslint/no-var-requires */
const grpc = require("@grpc/grpc-js");
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const manifest = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);

/** Every module specifier a source text imports, requires or loads dynamically. */
function specifiers(text: string): string[] {
    return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)["']([^"']+)["']/gm)].map((m) => m[1]);
}

/** What a file of the pack (relative to `root`) reaches outside the pack: a path above it, or a package its package.json does not declare. */
function escapes(root: string, file: string, text: string): string[] {
    return specifiers(text).filter((spec) => {
        if (spec.startsWith(".")) return path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec)).startsWith("..");
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        return !builtinModules.includes(name.replace(/^node:/, "")) && !declared.has(name);
    }).map((spec) => `${file} -> ${spec}`);
}

/** The modules the CLI loads: index.ts and everything it imports, transitively, as paths relative to the pack. */
function loadedModules(root: string): string[] {
    const seen = new Set<string>();
    const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const spec of specifiers(fs.readFileSync(path.join(root, file), "utf8")).filter((s) => s.startsWith("."))) {
            const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec));
            visit([`${target}.ts`, path.join(target, "index.ts"), target].find((c) => fs.existsSync(path.join(root, c)) && fs.statSync(path.join(root, c)).isFile())!);
        }
    };
    visit("index.ts");
    return [...seen].sort();
}

function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
}

describe("policy pack, standalone as it is published", function () {
    this.timeout(180_000);

    it("imports nothing outside policy/ but the packages its own package.json declares", () => {
        const found = packSourceFiles().filter((f) => f.endsWith(".ts")).flatMap((file) => escapes(POLICY_DIR, file, fs.readFileSync(path.join(POLICY_DIR, file), "utf8")));
        expect(found).to.deep.equal([]);
        expect(packSourceFiles()).to.include.members(["index.ts", "evaluate.ts", "lib/velero-cron.ts"]);
        // The check finds each way out: a path above policy/, a package of the project's root, a dynamic require.
        expect(escapes(POLICY_DIR, "lib/x.ts", 'import { a } from "../../lib/cron";\nimport b from "./b";\nimport * as fs from "fs";\nimport type { T } from "@pulumi/policy/x";'))
            .to.deep.equal(["lib/x.ts -> ../../lib/cron"]);
        expect(escapes(POLICY_DIR, "x.ts", 'import * as aws from "@pulumi/aws";\nconst y = require("yaml");\nimport "../engine/types";'))
            .to.deep.equal(["x.ts -> @pulumi/aws", "x.ts -> yaml", "x.ts -> ../engine/types"]);
    });

    it("carries the program's modules it needs as exact generated copies (npm run pack-sources)", () => {
        expect(Object.keys(PACK_SOURCES)).to.include("lib/cron.ts");
        for (const [source, copy] of Object.entries(PACK_SOURCES)) {
            expect(fs.readFileSync(path.join(POLICY_DIR, "..", copy), "utf8"), `${copy} is stale: run npm run pack-sources`).to.equal(packCopy(source));
        }
    });

    it("is copied alone where no other node_modules is reachable, with its dependencies from its own lock", () => {
        const dir = standaloneCopy();
        expect(nodeModulesAbove(dir)).to.deep.equal([]);
        expect(nodeModulesAbove(path.dirname(fs.realpathSync(path.join(dir, "node_modules"))))).to.deep.equal([]);
        const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
        for (const name of ["@pulumi/policy", "@pulumi/pulumi", "typescript"]) {
            // @pulumi/policy writes its own version with a leading v.
            const installed = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", name, "package.json"), "utf8")).version.replace(/^v/, "");
            expect(installed, name).to.equal(lock.packages[`node_modules/${name}`].version);
        }
    });

    it("type-checks and serves under the CLI's runner, with the name, version and policies publish reads from it", async () => {
        const { port } = await servedPack();
        const client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            const info = await call<any>(client, "getAnalyzerInfo", new Empty());
            expect([info.getName(), info.getVersion()]).to.deep.equal([manifest.name, manifest.version]);
            expect(info.getPoliciesList().map((p: any) => p.getName())).to.deep.equal(allPolicies.map((p) => p.name));
        } finally {
            client.close();
        }
    });

    it("uploads, as `npm pack` archives it for publish, every module the CLI loads and no installed package", () => {
        const dir = standaloneCopy();
        const [packed] = JSON.parse(execFileSync(process.platform === "win32" ? "npm.cmd" : "npm", ["pack", "--dry-run", "--json", "--loglevel=error"], { cwd: dir, encoding: "utf8" }));
        const files: string[] = packed.files.map((f: { path: string }) => f.path);
        const loaded = loadedModules(dir);
        expect(loaded).to.include.members(["policies.ts", "lib/velero-cron.ts", "rules/kubernetes/backup-schedules.ts"]);
        expect(files).to.include.members([...loaded, "package.json", "PulumiPolicy.yaml", "tsconfig.json"]);
        expect(files.filter((f) => f.startsWith("node_modules/"))).to.deep.equal([]);
    });

    it("runs its offline evaluator from the copy, reading the copy's config, as the project's does", async () => {
        const dir = standaloneCopy();
        const copied = require(path.join(dir, "evaluate.ts")) as typeof import("../../policy/evaluate");
        // Prod with the provider's Owner default tag gone: a finding on every taggable resource.
        const resources = (await stack("prod")).resources.map((r) => {
            if (r.type !== "pulumi:providers:aws") return r;
            const defaultTags = JSON.parse(r.inputs.defaultTags);
            delete defaultTags.tags.Owner;
            return { ...r, inputs: { ...r.inputs, defaultTags: JSON.stringify(defaultTags) } };
        });
        const expected = evaluatePolicies(resources, loadPackConfig("prod"));
        expect(expected.length).to.be.greaterThan(50);
        expect(copied.loadPackConfig("prod")).to.deep.equal(loadPackConfig("prod"));
        expect(copied.evaluatePolicies(resources, copied.loadPackConfig("prod"))).to.deep.equal(expected);
    });
});
