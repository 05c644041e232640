/**
 * The pack, run without the Pulumi CLI: over the resources the offline engine records for a stack,
 * with the same enforcement levels and config a `pulumi preview --policy-pack-config` would apply.
 * The planner reports its violations; tests use it to check rules against hand-made resources.
 *
 * It ships with the pack (a copy of policy/ alone runs it) but the CLI never loads it. It builds the
 * SDK's validation arguments itself, because constructing a PolicyPack would start the analyzer's
 * gRPC server.
 */
import * as fs from "fs";
import * as path from "path";
import type {
    EnforcementLevel,
    PolicyPackConfig,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
} from "@pulumi/policy";
import { ConfigProperty, isStackPolicy, judgedTypes, NistPolicy, PlannedPolicyResource } from "./lib/policy";
import { SECRET_SIG, SECRET_SIG_KEY } from "./lib/values";
import { isExpired, lapsedMessage, readWaivers, today, Waiver, waiverFor, waiverProblems } from "./lib/waivers";
import { allPolicies, PACK_ENFORCEMENT_LEVEL } from "./policies";
import { RecordedResource, SECRET_PLACEHOLDER } from "./record";

export type { PolicyPackConfig } from "@pulumi/policy";

/** One policy violation, as the CLI would report it. */
export interface Violation {
    readonly policy: string;
    /** Unset for a stack policy's finding about something missing from the whole stack. */
    readonly resourceUrn?: string;
    readonly resourceType?: string;
    readonly resourceName?: string;
    readonly message: string;
    /** NIST SP 800-53 Rev. 5 controls of the policy. */
    readonly nist: string[];
    readonly severity: Severity;
    /** remediate counts as mandatory, as the SDK reports it once a remediation did not help. */
    readonly enforcementLevel: "advisory" | "mandatory";
}

/** A violation a waiver in force exempts: not reported by the pack, listed by the plan. */
export interface WaivedViolation extends Violation {
    readonly waiver: Waiver;
}

/** One waiver of the pack config and what it did in this evaluation. */
export interface WaiverStatus extends Waiver {
    readonly policy: string;
    /**
     * applied: it exempts at least one violation; expired: its last day has passed, so what it
     * named is reported again; unmatched: in force but names nothing this rule finds (the resource
     * is gone, renamed or fixed): remove it.
     */
    readonly status: "applied" | "expired" | "unmatched";
    /** How many violations it matched (exempted, or for an expired one, would have). */
    readonly matched: number;
}

export interface PackEvaluation {
    readonly violations: Violation[];
    readonly waived: WaivedViolation[];
    readonly waivers: WaiverStatus[];
}

export interface EvaluateOptions {
    /**
     * Wraps each props object before rules see it. Tests pass the policy SDK's
     * unknownCheckingProxy to reproduce exactly what a real preview hands a rule.
     */
    readonly wrapProps?: (props: Record<string, unknown>) => Record<string, unknown>;
    /** The day waivers are judged on (YYYY-MM-DD, UTC); today by default. */
    readonly today?: string;
}

/** A policy's effective enforcement level and config properties. */
export interface ResolvedPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Record<string, unknown>;
}

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** The level an entry of a pack config sets: the string itself, or its enforcementLevel field. */
function levelOf(entry: PolicyPackConfig[string] | undefined): EnforcementLevel | undefined {
    if (isEnforcementLevel(entry)) return entry;
    return typeof entry === "object" && isEnforcementLevel(entry.enforcementLevel) ? entry.enforcementLevel : undefined;
}

/**
 * What the CLI does with a pack config (ReconcilePolicyPackConfig): the policy's own level, then
 * `all`, then the policy's entry; properties are the schema defaults under the policy's entry
 * (`all` carries a level only).
 */
export function resolvePolicyConfig(policy: NistPolicy, packConfig: PolicyPackConfig): ResolvedPolicyConfig {
    const entry = packConfig[policy.name];
    const enforcementLevel = levelOf(entry) ?? levelOf(packConfig.all) ?? policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
    const properties: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries<ConfigProperty>(policy.configSchema.properties)) {
        if (schema.default !== undefined) properties[key] = schema.default;
    }
    if (typeof entry === "object") {
        const { enforcementLevel: _level, ...given } = entry;
        Object.assign(properties, given);
    }
    return { enforcementLevel, properties };
}

/**
 * Thrown by `notApplicable`, as the SDK does, and caught below. Not an Error: most rules skip most
 * resources, and a stack trace for each skip cost more than the rules themselves.
 */
class NotApplicable {
    constructor(readonly reason?: string) {}
}

/** The SDK's UnknownValueError, recognised by shape: this module does not load the SDK. */
function isUnknownValueError(error: unknown): error is Error {
    return error instanceof Error && "unknownTypeSentinel" in error;
}

/**
 * The engine redacts secrets to a placeholder string; rules must see them as Pulumi secrets whose
 * value is hidden, not as a literal "[secret]". What holds no placeholder is handed over as it is
 * (rules only read), most of every resource: copying all of it was most of the pack's own time.
 */
function restoreSecrets(value: unknown): unknown {
    if (value === SECRET_PLACEHOLDER) return { [SECRET_SIG_KEY]: SECRET_SIG };
    if (value === null || typeof value !== "object") return value;
    let copy: Record<string, unknown> | unknown[] | undefined;
    for (const [key, item] of Object.entries(value)) {
        const restored = restoreSecrets(item);
        if (restored !== item) ((copy ??= Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>)[key] = restored;
    }
    return copy ?? value;
}

/** `isType`/`asType` without loading the resource's SDK: compare the class's registered token. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    if (typeof token === "string" && token.length > 0) return token === type;
    const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function notApplicable(reason?: string): never {
    throw new NotApplicable(reason);
}

/** The views of one run's resources that the validation arguments are built from. */
class Graph {
    private readonly byUrn: Map<string, RecordedResource>;
    private readonly props = new Map<string, Record<string, unknown>>();

    constructor(readonly resources: readonly RecordedResource[], private readonly wrap: (props: Record<string, unknown>) => Record<string, unknown>) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    get(urn: string | undefined): RecordedResource | undefined {
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    /** Inputs as a preview hands them over: secrets restored, wrapped once per resource. */
    propsOf(resource: RecordedResource): Record<string, unknown> {
        let props = this.props.get(resource.urn);
        if (!props) {
            props = this.wrap(restoreSecrets(resource.inputs) as Record<string, unknown>);
            this.props.set(resource.urn, props);
        }
        return props;
    }

    /** The mocked outputs, which stack rules use to match ids; a real preview has none. */
    outputsOf(resource: RecordedResource): Record<string, unknown> {
        return this.wrap(restoreSecrets(resource.outputs) as Record<string, unknown>);
    }

    /**
     * The explicit provider's record. The engine keeps the provider's URN; a provider reference as
     * Pulumi writes it (`<urn>::<id>`) is resolved too.
     */
    providerOf(resource: RecordedResource): PolicyProviderResource | undefined {
        const reference = resource.provider;
        if (reference === undefined) return undefined;
        const record = this.get(reference) ?? this.get(reference.slice(0, reference.lastIndexOf("::")));
        return record && { type: record.type, props: this.propsOf(record), urn: record.urn, name: record.name };
    }
}

function optionsOf(resource: RecordedResource): PolicyResourceOptions {
    return {
        protect: resource.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(resource.parent !== undefined ? { parent: resource.parent } : {}),
    };
}

/** What resource and stack policies both see of a resource: identity, props, options, provider and type checks. */
function policyView(resource: RecordedResource, graph: Graph) {
    const props = graph.propsOf(resource);
    const provider = graph.providerOf(resource);
    return {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: optionsOf(resource),
        ...(provider ? { provider } : {}),
        isType: (resourceClass: unknown) => isTypeOf(resource.type, resourceClass),
        asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? props : undefined)) as ResourceValidationArgs["asType"],
    };
}

function resourceArgs(view: ReturnType<typeof policyView>, properties: Record<string, unknown>): ResourceValidationArgs {
    return {
        ...view,
        stackTags: new Map(),
        getConfig: <T extends object>() => ({ ...properties }) as T,
        notApplicable,
    };
}

/** Every resource as a stack policy sees it, parents and dependencies linked as the SDK links them. */
function stackResources(graph: Graph): PlannedPolicyResource[] {
    const built = new Map<string, PlannedPolicyResource & { parent?: PolicyResource; dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> }>();
    for (const resource of graph.resources) {
        built.set(resource.urn, {
            ...policyView(resource, graph),
            dependencies: [],
            propertyDependencies: {},
            outputs: graph.outputsOf(resource),
        });
    }
    for (const resource of graph.resources) {
        const entry = built.get(resource.urn)!;
        const parent = resource.parent === undefined ? undefined : built.get(resource.parent);
        if (parent) entry.parent = parent;
        const linked = (urns: readonly string[]) => urns.map((urn) => built.get(urn)).filter((d): d is NonNullable<typeof d> => d !== undefined);
        entry.dependencies = linked(resource.dependencies);
        // As the engine sends them: per input, the resources that feed it.
        entry.propertyDependencies = Object.fromEntries(Object.entries(resource.propertyDependencies ?? {}).map(([key, urns]) => [key, linked(urns)]));
    }
    return [...built.values()];
}

/**
 * Runs `policies` over `resources` with the levels and properties of `packConfig` (the parsed
 * policy/config/<env>.json; {} for each policy's own defaults). Disabled policies are skipped.
 */
export function evaluatePolicies(
    resources: readonly RecordedResource[],
    packConfig: PolicyPackConfig = {},
    policies: readonly NistPolicy[] = allPolicies,
    options: EvaluateOptions = {},
): Violation[] {
    return evaluatePack(resources, packConfig, policies, options).violations;
}

/**
 * evaluatePolicies with the waivers accounted for: the violations the pack reports, those that
 * waivers exempt, and every waiver's status. Rules run without their waivers and the waivers are
 * applied here, with the pack's own functions, so that what each waiver matched is known.
 */
export function evaluatePack(
    resources: readonly RecordedResource[],
    packConfig: PolicyPackConfig = {},
    policies: readonly NistPolicy[] = allPolicies,
    options: EvaluateOptions = {},
): PackEvaluation {
    const graph = new Graph(resources, options.wrapProps ?? ((props) => props));
    const on = options.today ?? today();
    const violations: Violation[] = [];
    const waived: WaivedViolation[] = [];
    const waivers: WaiverStatus[] = [];
    let stack: PlannedPolicyResource[] | undefined;
    // Each resource's view, built once for every rule that judges it.
    const built = new Map<RecordedResource, ReturnType<typeof policyView>>();
    const views = { get: (resource: RecordedResource) => built.get(resource) ?? built.set(resource, policyView(resource, graph)).get(resource)! };

    for (const policy of policies) {
        const { enforcementLevel, properties: configured } = resolvePolicyConfig(policy, packConfig);
        if (enforcementLevel === "disabled") continue;
        const { waivers: givenWaivers, ...properties } = configured;
        const policyWaivers = readWaivers(givenWaivers);
        const matched = new Map<Waiver, number>(policyWaivers.map((w) => [w, 0]));
        const record = (message: string, subject: RecordedResource | undefined, level = enforcementLevel) => {
            const violation: Violation = {
                policy: policy.name,
                ...(subject ? { resourceUrn: subject.urn, resourceType: subject.type, resourceName: subject.name } : {}),
                message,
                nist: [...policy.nist],
                severity: policy.severity,
                enforcementLevel: level === "advisory" ? "advisory" : "mandatory",
            };
            const waiver = subject && waiverFor(policyWaivers, subject);
            if (waiver) matched.set(waiver, (matched.get(waiver) ?? 0) + 1);
            if (waiver && !isExpired(waiver, on)) waived.push({ ...violation, waiver });
            else violations.push(waiver ? { ...violation, message: lapsedMessage(message, waiver) } : violation);
        };
        const run = (validate: () => void, subject?: RecordedResource) => {
            try {
                validate();
            } catch (error) {
                if (error instanceof NotApplicable) return;
                // What the SDK does when a rule touches an unknown value: an advisory note instead of a check.
                if (isUnknownValueError(error)) record(`can't run policy '${policy.name}' during preview: ${error.message}`, subject, "advisory");
                else throw new Error(`policy ${policy.name} failed${subject ? ` on ${subject.urn}` : ""}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
            }
        };

        if (isStackPolicy(policy)) {
            stack ??= stackResources(graph);
            const args: StackValidationArgs = {
                resources: stack,
                stackTags: new Map(),
                getConfig: <T extends object>() => ({ ...properties }) as T,
                notApplicable,
            };
            const report: ReportViolation = (message, urn) => record(message, graph.get(urn));
            run(() => policy.validateStack(args, report));
        } else {
            // A rule defineResourcePolicy made is called only for the types it judges: on any other it
            // would only say it is not applicable.
            const types = judgedTypes(policy);
            for (const resource of resources) {
                if (types && !types.has(resource.type)) continue;
                const report: ReportViolation = (message, urn) => record(message, graph.get(urn) ?? resource);
                run(() => policy.validateResource(resourceArgs(views.get(resource), properties), report), resource);
            }
        }
        for (const [waiver, count] of matched) {
            const status = isExpired(waiver, on) ? "expired" : count > 0 ? "applied" : "unmatched";
            waivers.push({ policy: policy.name, ...waiver, status, matched: count });
        }
    }
    return { violations, waived, waivers };
}

/**
 * The policy/config folder: next to this module in the source tree, or found upward from a
 * compiled copy (dist/policy/evaluate.js) whose folder holds no config.
 */
function findConfigDir(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const candidates = [path.join(dir, "policy", "config"), ...(path.basename(dir) === "policy" ? [path.join(dir, "config")] : [])];
        const found = candidates.find((c) => fs.existsSync(path.join(c, "prod.json")));
        if (found) return found;
        if (path.dirname(dir) === dir) throw new Error(`no policy/config folder found above ${__dirname}`);
    }
}

/** Whether <configDir>/<name>.json exists (policy/config/ by default). */
export function hasPackConfig(name: string, configDir: string = findConfigDir()): boolean {
    return /^[a-z0-9-]+$/.test(name) && fs.existsSync(path.join(configDir, `${name}.json`));
}

/** Reads and checks policy/config/<env>.json (or <configDir>/<env>.json), the file CI passes to --policy-pack-config. */
export function loadPackConfig(env: string, configDir: string = findConfigDir()): PolicyPackConfig {
    if (!/^[a-z0-9-]+$/.test(env)) throw new Error(`"${env}" is not a stack name such as dev or prod`);
    const file = path.join(configDir, `${env}.json`);
    if (!fs.existsSync(file)) throw new Error(`no policy config for ${env}: ${file} does not exist`);
    return loadPackConfigFile(file);
}

/** Reads and checks one pack config file: levels, and every waiver's resource, reason and expiry (at most a year after `on`). */
export function loadPackConfigFile(file: string, on: string = today()): PolicyPackConfig {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${file}: expected an object keyed by policy name`);
    for (const [name, entry] of Object.entries(parsed)) {
        const valid = isEnforcementLevel(entry)
            || (entry !== null && typeof entry === "object" && !Array.isArray(entry)
                && (entry.enforcementLevel === undefined || isEnforcementLevel(entry.enforcementLevel)));
        if (!valid) throw new Error(`${file}: ${name} must be an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object with an optional enforcementLevel`);
    }
    const problems = Object.entries(parsed as Record<string, unknown>).flatMap(([name, entry]) => {
        const given = typeof entry === "object" ? (entry as { waivers?: unknown }).waivers : undefined;
        if (given === undefined) return [];
        if (!Array.isArray(given)) return [`${name}.waivers: expected a list of { resource, reason, expires }`];
        return given.flatMap((waiver, i) => waiverProblems(waiver, `${name}.waivers[${i}]`, on));
    });
    if (problems.length > 0) throw new Error(`${file}: ${problems.length} bad waiver setting(s):\n  ${problems.join("\n  ")}`);
    return parsed as PolicyPackConfig;
}
