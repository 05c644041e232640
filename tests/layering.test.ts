/**
 * Imports point one way: index.ts -> platform.ts -> components/ -> lib/, with config/ beside them;
 * the engine, the planner and the policy pack sit on top and the program never imports them.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..");

/** Every .ts file under a folder (or the file itself), relative to the project root. */
function sources(entry: string): string[] {
    const full = path.join(root, entry);
    if (fs.statSync(full).isFile()) return [entry];
    return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(path.join(entry, e.name)) : e.name.endsWith(".ts") ? [path.join(entry, e.name)] : []);
}

/** The project folders (first path segment, or the root file) a source file imports from. */
function importedAreas(file: string): string[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    return [...text.matchAll(/^import\s[^;]*?from\s+"(\.[^"]+)"/gm)].map(([, spec]) => {
        const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec));
        return target.includes(path.sep) ? target.split(path.sep)[0] : target;
    });
}

/** The program's files each source file imports, type-only imports included (they are a dependency of the design all the same). */
function importedFiles(file: string): string[] {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    return [...text.matchAll(/^import\s[^;]*?from\s+"(\.[^"]+)"/gm)].flatMap(([, spec]) => {
        const target = path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec));
        return [`${target}.ts`, path.join(target, "index.ts")].filter((candidate) => fs.existsSync(path.join(root, candidate)));
    });
}

/** The import circles among `files`: each strongly connected group of more than one file (Tarjan), sorted. */
function importCircles(files: readonly string[], imports: (file: string) => readonly string[]): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const circles: string[][] = [];
    const visit = (file: string) => {
        index.set(file, index.size);
        low.set(file, index.get(file)!);
        stack.push(file);
        for (const next of imports(file)) {
            if (!index.has(next)) {
                visit(next);
                low.set(file, Math.min(low.get(file)!, low.get(next)!));
            } else if (stack.includes(next)) {
                low.set(file, Math.min(low.get(file)!, index.get(next)!));
            }
        }
        if (low.get(file) === index.get(file)) {
            const group = stack.splice(stack.indexOf(file));
            if (group.length > 1) circles.push(group.sort());
        }
    };
    for (const file of files) if (!index.has(file)) visit(file);
    return circles;
}

/** What each layer may import, besides itself. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
    lib: ["lib"],
    config: ["config", "lib"],
    components: ["components", "config", "lib"],
    "platform.ts": ["config", "components", "lib"],
    "index.ts": ["config", "platform", "platform.ts"],
};

/** The provider SDKs whose root module loads every service they have. */
const SDK_ROOTS = ["@pulumi/aws", "@pulumi/kubernetes"];

describe("layering", () => {
    it("the program imports the services it uses, never an SDK's root: the AWS root loads all ~250 services at start-up and gives tsc ~2,700 more files", () => {
        const program = ["index.ts", "platform.ts", ...Object.keys(ALLOWED).filter((l) => !l.endsWith(".ts")).flatMap(sources)];
        const offending = program.flatMap((file) => [...fs.readFileSync(path.join(root, file), "utf8").matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gm)]
            .filter(([, spec]) => SDK_ROOTS.includes(spec))
            .map(([, spec]) => `${file} -> ${spec}`));
        expect(program).to.include("components/cluster/index.ts");
        expect(offending).to.deep.equal([]);
    });

    it("the program's files import each other without circles: a circle makes load order decide what is defined", () => {
        const program = ["index.ts", "platform.ts", ...["lib", "config", "components"].flatMap(sources)];
        expect(program).to.include("components/helm/workloads.ts");
        expect(importCircles(program, importedFiles)).to.deep.equal([]);
        // The check itself finds a circle, through type-only imports too, and names every file in it.
        const graph: Record<string, string[]> = { a: ["b"], b: ["c"], c: ["a", "d"], d: [], e: ["e"] };
        expect(importCircles(Object.keys(graph), (f) => graph[f])).to.deep.equal([["a", "b", "c"]]);
    });

    for (const [layer, allowed] of Object.entries(ALLOWED)) {
        it(`${layer} imports only ${allowed.join(", ")}`, () => {
            const offending = sources(layer).flatMap((file) => importedAreas(file).filter((area) => !allowed.includes(area) && !allowed.includes(area.replace(/\.ts$/, ""))).map((area) => `${file} -> ${area}`));
            expect(offending).to.deep.equal([]);
        });
    }
});
