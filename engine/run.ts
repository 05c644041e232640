/**
 * The offline engine: runs the whole program for a named stack under Pulumi mocks and returns
 * every resource it registers. Tests and the planner both stand on it; no AWS account, Pulumi CLI
 * or provider plugin is needed.
 */
import * as path from "path";
import * as url from "url";
import * as pulumi from "@pulumi/pulumi";
import { RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AccessPath } from "../config/access";
import { loadStackConfig, loadStackSecrets, readStackFileText } from "../config/load";
import { StackConfig } from "../config/schema";
import { createPlatform, Platform } from "../platform";
import { MockContext, mockInvoke, mockResourceOutputs } from "./mocks";
import { findProjectDir, readStackFile } from "./stack-file";
import { DeclaredResource } from "../components/helm/workloads";
import { PlannedResource, SECRET_PLACEHOLDER, SourceLocation } from "./types";

export interface RunOptions {
    /** The folder holding Pulumi.yaml; found upward from this module when omitted. */
    readonly projectDir?: string;
    /**
     * Changes the stack's config before the run, as a user editing the stack file would. It gets
     * the config keyed by short name (region, environment, network, cluster, ...).
     */
    readonly override?: (config: Record<string, any>) => void;
    /** The program to run on the validated config; the platform unless a benchmark scales it. */
    readonly program?: (config: StackConfig) => Promise<Platform>;
    /** How the run reaches the API server, as index.ts reads it from the environment. */
    readonly access?: AccessPath;
}

export interface StackRun {
    readonly stack: string;
    /** The folder of the stack file (Pulumi.yaml beside it): where its pack config and the other stacks are. */
    readonly projectDir: string;
    readonly project: string;
    readonly config: StackConfig;
    readonly resources: PlannedResource[];
    /** The stack outputs, resolved; secret outputs read SECRET_PLACEHOLDER. */
    readonly outputs: Record<string, unknown>;
    /** What the program recorded at declaration as running pods: the input of its own capacity check. */
    readonly declaredWorkloads: readonly DeclaredResource[];
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs the program for `stack`. Runs are queued: the Pulumi runtime is process-wide state. */
export function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
    const run = queue.then(() => runOnce(stack, options));
    queue = run.catch(() => undefined);
    return run;
}

/**
 * The config a run of `stack` starts from: the stack file's, keyed by short name, with
 * `options.override` applied. Two runs given equal configs declare the same resources.
 */
export function runConfig(stack: string, options: RunOptions = {}): { project: string; config: Record<string, any> } {
    const file = readStackFile(options.projectDir ?? findProjectDir(), stack);
    const config = toShortKeys(file.config, file.project);
    options.override?.(config);
    return { project: file.project, config };
}

async function runOnce(stack: string, options: RunOptions): Promise<StackRun> {
    const { project, config: shortConfig } = runConfig(stack, options);
    const projectDir = options.projectDir ?? findProjectDir();

    const ctx: MockContext = { region: String(shortConfig.region ?? "us-east-1"), stack };
    await pulumi.runtime.setMocks({
        newResource: (args) => mockResourceOutputs(args.type, args.name, args.inputs, ctx),
        call: (args) => mockInvoke(args.token, args.inputs, ctx),
    }, project, stack, false);
    pulumi.runtime.setAllConfig(toPulumiConfig(shortConfig, project));
    // The program's sources sit with the engine's, whichever project folder holds the stack files.
    const recorder = recordRegistrations(findProjectDir());

    const config = loadStackConfig(readStackFileText(projectDir, stack));
    return offline(async () => {
        const platform = await (options.program ? options.program(config) : createPlatform(config, options.access, loadStackSecrets()));
        const outputs = await resolveOutputs(platform.outputs);
        await waitForRegistrations();
        return { stack, projectDir, project, config, resources: recorder.resources(), outputs, declaredWorkloads: platform.declaredWorkloads };
    });
}

/** How many frames of a resource's construction are formatted: enough to get past the SDK's and the provider's constructors to ours. */
const SOURCE_FRAMES = 12;

/** The SDK's promise wrapper for leak reports; the engine's runs wait for every registration instead. */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };

/**
 * Runs `body` without the work the SDK does for a deployment's diagnostics and wire, which in this
 * process was most of the program's evaluation time. Only the offline engine does this: `pulumi up`
 * never comes through here.
 *
 * - Stack traces are off. The SDK captures one for every promise it makes (to report leaks) and a
 *   full one for every resource (its source position for the CLI). Only the resource's own capture
 *   (`Resource.callsites`) is formatted, and only its first frames, as plain positions: that is where
 *   the program declares the resource, which the record keeps. Errors thrown meanwhile keep their
 *   message.
 * - Promises are not wrapped for the leak report the SDK prints at exit: the engine waits for every
 *   registration itself, and a wrapper is three property definitions and two more promises each.
 * - Protobuf Structs are left unencoded: every request the SDK builds for the in-process mock
 *   monitor carries its properties as a PlainStruct, which the monitor reads straight back, instead
 *   of encoding them to protobuf for the same process to decode at once.
 */
async function offline<T>(body: () => Promise<T>): Promise<T> {
    const { stackTraceLimit, prepareStackTrace } = Error;
    const { debuggablePromise } = debuggable;
    const { fromJavaScript } = Struct;
    Error.stackTraceLimit = 0;
    // Resource.callsites() raises the limit to Infinity for itself; its frames are formatted in the
    // form the SDK parses (`at <name> (<file>:<line>:<column>)`), every other stack stays empty.
    Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => frames[0]?.getFunctionName() !== "callsites" ? `${error.name}: ${error.message}`
        : ["Error", ...frames.slice(0, SOURCE_FRAMES).map((f) => `    at ${f.getFunctionName() ?? "<anonymous>"} (${f.getFileName()}:${f.getLineNumber()}:${f.getColumnNumber()})`)].join("\n");
    debuggable.debuggablePromise = (promise) => promise;
    Struct.fromJavaScript = (value: Record<string, unknown>) => new PlainStruct(value);
    try {
        return await body();
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        Error.prepareStackTrace = prepareStackTrace;
        debuggable.debuggablePromise = debuggablePromise;
        Struct.fromJavaScript = fromJavaScript;
    }
}

/** Stack-file keys to short names: "<project>:network" becomes "network", "aws:region" "region". */
export function toShortKeys(config: Record<string, unknown>, project: string): Record<string, any> {
    const short: Record<string, any> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key === "aws:region") short.region = value;
        else if (key.startsWith(`${project}:`)) short[key.slice(project.length + 1)] = structuredClone(value);
        else short[key] = value;
    }
    return short;
}

/** Short names back to the flat string map Pulumi's runtime holds (objects as JSON). */
function toPulumiConfig(short: Record<string, any>, project: string): Record<string, string> {
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(short)) {
        if (value === undefined) continue;
        const fullKey = key === "region" ? "aws:region" : key.includes(":") ? key : `${project}:${key}`;
        config[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}

interface MonitorRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getCustom(): boolean;
    getProtect(): boolean | undefined;
    getIgnorechangesList(): string[];
    getDeletebeforereplace(): boolean;
    getReplaceonchangesList(): string[];
    getRetainondelete(): boolean | undefined;
    getAliasesList(): { getUrn(): string; getSpec(): { getName(): string; getParenturn(): string } | undefined }[];
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
    getObject(): any;
    getImportid(): string;
    getStacktrace(): { getFramesList(): { getPc(): { getUri(): string; getLine(): number } | undefined }[] } | undefined;
}

/**
 * The mock monitor's registerResource, done once per resource and recorded: each record keeps what
 * the mocks alone do not report (parent, provider, dependencies, also per input as the engine
 * hands them to policy packs, protection and the options that steer an update).
 *
 * It answers as the SDK's MockMonitor does (the same mocks, URN, stored state and response), with
 * one difference in form only: the response carries the resource's state as the plain value the
 * SDK reads back (see PlainStruct) instead of encoding it to protobuf to be decoded at once, which
 * with the inputs decoded once for both the mocks and the record was most of the engine's own time.
 */
function recordRegistrations(sourceRoot: string) {
    const monitor = pulumi.runtime.getMonitor() as any;
    const records: PlannedResource[] = [];
    monitor.registerResource = async (req: MonitorRequest, callback: (err: any, resp: any) => void) => {
        let response: any;
        try {
            const inputs = pulumi.runtime.deserializeProperties(req.getObject());
            const result = await monitor.mocks.newResource({ type: req.getType(), name: req.getName(), inputs, provider: req.getProvider(), custom: req.getCustom(), id: req.getImportid() });
            const urn: string = monitor.newUrn(req.getParent(), req.getType(), req.getName());
            const state = await pulumi.runtime.serializeProperties("", result.state);
            monitor.resources.set(urn, { urn, id: result.id ?? null, state });
            response = new RegisterResourceResponse();
            response.setUrn(urn);
            response.setId(result.id || "");
            response.setObject(new PlainStruct(state));
            const provider = req.getProvider();
            records.push({
                type: req.getType(),
                name: req.getName(),
                urn,
                parent: req.getParent() || undefined,
                provider: provider ? provider.slice(0, provider.lastIndexOf("::")) : undefined,
                custom: req.getCustom(),
                dependencies: req.getDependenciesList(),
                propertyDependencies: propertyDependenciesOf(req),
                protect: req.getProtect() === true,
                ignoreChanges: req.getIgnorechangesList(),
                deleteBeforeReplace: req.getDeletebeforereplace(),
                replaceOnChanges: req.getReplaceonchangesList(),
                retainOnDelete: req.getRetainondelete() === true,
                aliases: aliasesOf(req),
                inputs: redactSecrets(inputs),
                outputs: redactSecrets(pulumi.runtime.deserializeProperties(response.getObject())),
                ...sourceOf(req, sourceRoot),
            });
        } catch (err) {
            callback(err, undefined);
            return;
        }
        callback(null, response);
    };
    return { resources: () => [...records] };
}

/**
 * A protobuf Struct holding a plain value, for the in-process mock monitor's requests and responses:
 * what Struct.fromJavaScript then toJavaScript would give (a copy, object keys sorted as the protobuf
 * map hands them out) without the encoding, which never leaves this process. The copy is made once:
 * its readers (the SDK resolving outputs, the mocks, the record) go through deserializeProperties,
 * which builds objects of its own. A reader of the encoded fields (the SDK rehydrating a resource by
 * its URN) gets them.
 */
class PlainStruct extends Struct {
    private readonly value: Record<string, unknown>;
    constructor(value: Record<string, unknown>) {
        super();
        this.value = sortedCopy(value) as Record<string, unknown>;
    }
    override toJavaScript(): any {
        return this.value;
    }
    override getFieldsMap() {
        return encode(this.value).getFieldsMap();
    }
}

/** The encoding itself, also while `offline` stands in for it. */
const encodeStruct: typeof Struct.fromJavaScript = Struct.fromJavaScript;
const encode = (value: Record<string, unknown>) => encodeStruct(value as Parameters<typeof encodeStruct>[0]);

function sortedCopy(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortedCopy);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) out[key] = sortedCopy((value as Record<string, unknown>)[key]);
        return out;
    }
    return value;
}

/**
 * Where the program declares the resource: the first frame of its construction in a source file of
 * the project (not a package's, not the engine's). `npm run plan` runs the build in dist/, whose
 * files keep their sources' line numbers, so a frame there names its source.
 */
function sourceOf(req: MonitorRequest, sourceRoot: string): { source?: SourceLocation } {
    for (const frame of req.getStacktrace()?.getFramesList() ?? []) {
        const position = frame.getPc();
        const file = position && projectFile(position.getUri(), sourceRoot);
        if (file) return { source: { file, line: position.getLine() } };
    }
    return {};
}

/** Project files by frame URI: a run's frames name a few dozen files, thousands of times. */
const projectFiles = new Map<string, string | undefined>();

/** The project source a frame's URI names, or undefined for a package's, the engine's or none. */
function projectFile(uri: string, sourceRoot: string): string | undefined {
    const key = `${sourceRoot}\0${uri}`;
    if (projectFiles.has(key)) return projectFiles.get(key);
    let file: string | undefined;
    if (uri.startsWith("file:")) {
        file = path.relative(sourceRoot, url.fileURLToPath(uri)).split(path.sep).join("/");
        if (file.startsWith("dist/")) file = file.slice("dist/".length).replace(/\.js$/, ".ts");
        if (file.startsWith("..") || file.split("/").includes("node_modules") || file.startsWith("engine/")) file = undefined;
    }
    projectFiles.set(key, file);
    return file;
}

/** The former names and parents a resource answers to, as "<parent URN>::<name>" (or the alias URN). */
function aliasesOf(req: MonitorRequest): string[] {
    return req.getAliasesList().map((alias) => {
        const spec = alias.getSpec();
        return alias.getUrn() || `${spec?.getParenturn() ?? ""}::${spec?.getName() ?? ""}`;
    });
}

/** The URNs feeding each input, as the SDK sends them: every input, empty where no resource feeds it. */
function propertyDependenciesOf(req: MonitorRequest): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const [key, dependencies] of req.getPropertydependenciesMap()?.entries() ?? []) result[key] = [...dependencies.getUrnsList()];
    return result;
}

/**
 * `value` with every Pulumi secret in it read as SECRET_PLACEHOLDER, as plain data. A plain object or
 * array without a secret in it is returned as it is (runs are read-only): most are, and copying every
 * resource's inputs and outputs was a tenth of the engine's allocations.
 */
function redactSecrets(value: any): any {
    if (value === null || typeof value !== "object") return value;
    if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return SECRET_PLACEHOLDER;
    if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        value.forEach((item, i) => {
            const redacted = redactSecrets(item);
            if (redacted !== item) (copy ??= [...value])[i] = redacted;
        });
        return copy ?? value;
    }
    const plain = Object.getPrototypeOf(value) === Object.prototype;
    let copy: Record<string, unknown> | undefined = plain ? undefined : {};
    for (const [key, item] of Object.entries(value)) {
        const redacted = redactSecrets(item);
        if (copy !== undefined) copy[key] = redacted;
        else if (redacted !== item) (copy = { ...value })[key] = redacted;
    }
    return copy ?? value;
}

/** Resolves each output; one that is a Pulumi secret reads SECRET_PLACEHOLDER, as `pulumi stack output` shows it. */
async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([key, value]) => {
        const output = pulumi.output(value as pulumi.Input<unknown>) as pulumi.Output<unknown>;
        const [resolved, secret] = await Promise.all([new Promise((resolve) => output.apply(resolve)), pulumi.isSecret(output)]);
        return [key, secret ? SECRET_PLACEHOLDER : redactSecrets(resolved)] as const;
    }));
    return Object.fromEntries(entries);
}

/** Resolves once every resource registration the program started has been answered. */
async function waitForRegistrations(): Promise<void> {
    // The runtime tracks outstanding RPCs internally; waitForRPCs is not part of its typed API.
    const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
    await settings.waitForRPCs();
}
