/**
 * The shape every rule of the pack shares: the policy SDK's policy plus NIST metadata, and the two
 * factories that turn a rule's plain validate function into an SDK policy. The factories do what
 * every rule would otherwise repeat: skip other types, see past the SDK's unknown-checking proxy,
 * merge tags with the provider's defaults, fill config defaults and settle the environment.
 *
 * Only types are imported from @pulumi/policy: tests load these modules from the root
 * node_modules, and the pack from policy/node_modules, and neither may pull in a second runtime.
 */
import type {
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidation,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
} from "@pulumi/policy";
import { ENVIRONMENTS, Environment, resolveEnvironment } from "./environment";
import { MergedTags, mergedTags } from "./tags";
import { readRecord, unwrapProxy } from "./values";
import { isExpired, lapsedMessage, readWaivers, today, Waiver, WAIVERS_PROPERTY, waiverFor } from "./waivers";

/** One property of a policy's config schema (JSON Schema). */
export type ConfigProperty = PolicyConfigSchema["properties"][string];

/** What each rule carries beyond the SDK's policy fields. */
export interface NistMetadata {
    /** NIST SP 800-53 Rev. 5 controls the rule enforces, e.g. ["SC-28", "SC-12"]. */
    readonly nist: readonly string[];
    /** The anchor tools' checks this rule enforces, e.g. "SecurityHub:S3.9", "cdk-nag:NIST.800.53.R5-S3BucketLoggingEnabled", "PSS:runAsNonRoot". */
    readonly anchors?: readonly string[];
    readonly severity: Severity;
    readonly remediationSteps: string;
    /** The controls again in the SDK's own field, so that Pulumi Cloud shows them per policy. */
    readonly framework: PolicyComplianceFramework;
    /** The dev enforcement level; policy/config/prod.json raises every rule to mandatory. */
    readonly enforcementLevel: EnforcementLevel;
    readonly configSchema: PolicyConfigSchema;
}

export type NistResourcePolicy = ResourceValidationPolicy & NistMetadata & { readonly validateResource: ResourceValidation };
export type NistStackPolicy = StackValidationPolicy & NistMetadata;
export type NistPolicy = NistResourcePolicy | NistStackPolicy;

export function isStackPolicy(policy: NistPolicy): policy is NistStackPolicy {
    return typeof (policy as Partial<NistStackPolicy>).validateStack === "function";
}

/** A resource as rules see it: props without the SDK proxy, tags merged with provider defaults. */
export interface ResourceView {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Readonly<Record<string, unknown>>;
    readonly tags: MergedTags;
}

/**
 * A stack policy's resource. `outputs` is filled by the offline evaluator only (ids the mocks
 * assigned); in a real preview stack policies see inputs alone, so rules fall back on dependencies.
 */
export interface StackResource extends ResourceView {
    readonly outputs: Readonly<Record<string, unknown>>;
    /** URNs of the resources this one depends on. */
    readonly dependencies: ReadonlySet<string>;
    /** URNs feeding each input property, from a real preview or the offline engine alike. */
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** What the offline evaluator hands stack policies: an SDK PolicyResource plus the mocked outputs. */
export interface PlannedPolicyResource extends PolicyResource {
    readonly outputs?: Record<string, unknown>;
}

export interface RuleContext<C> {
    readonly environment: Environment;
    /** The policy's config with its schema defaults filled in. */
    readonly config: C;
}

interface RuleSpec<C> {
    readonly name: string;
    /** What the rule checks and why, in a sentence or two. */
    readonly description: string;
    readonly nist: readonly string[];
    /** The anchor tools' checks this rule enforces (see NistMetadata); a check listed here is one the rule judges in full. */
    readonly anchors?: readonly string[];
    readonly severity: Severity;
    readonly remediationSteps: string;
    /** The dev enforcement level. */
    readonly enforcementLevel: "advisory" | "mandatory";
    /** Config properties the rule reads besides `environment`. */
    readonly config?: { readonly [K in keyof C]-?: ConfigProperty };
}

export interface ResourceRuleSpec<C> extends RuleSpec<C> {
    /** The type tokens the rule judges; it is not applicable to any other. */
    readonly resourceTypes: readonly string[];
    validate(resource: ResourceView, context: RuleContext<C>, report: (message: string) => void): void;
}

export interface StackRuleSpec<C> extends RuleSpec<C> {
    /** Rules about HA, backups and retention that dev, a cheap single-zone stack, skips by design. */
    readonly prodOnly?: boolean;
    validate(resources: readonly StackResource[], context: RuleContext<C>, report: (message: string, resource?: ResourceView) => void): void;
}

const ENVIRONMENT_PROPERTY: ConfigProperty = {
    type: "string",
    enum: [...ENVIRONMENTS],
    description: "dev or prod; when unset, the resource's Environment tag decides, and failing that prod",
};

/** The fields every policy of the pack has, from its spec. */
function metadata<C>(spec: RuleSpec<C>): NistMetadata & { name: string; description: string } {
    const controls = spec.nist.join(", ");
    return {
        name: spec.name,
        // The CLI prints the description above every violation, so the controls and the fix go there too.
        description: `${spec.description} [NIST SP 800-53 Rev. 5: ${controls}; severity: ${spec.severity}] Remediation: ${spec.remediationSteps}`,
        nist: spec.nist,
        anchors: spec.anchors ?? [],
        severity: spec.severity,
        remediationSteps: spec.remediationSteps,
        framework: { name: "NIST SP 800-53", version: "Rev. 5", reference: controls, specification: spec.description },
        enforcementLevel: spec.enforcementLevel,
        configSchema: { properties: { environment: ENVIRONMENT_PROPERTY, waivers: WAIVERS_PROPERTY, ...(spec.config ?? {}) } },
    };
}

/**
 * The policy's config with schema defaults filled in. The CLI fills them too, but the offline
 * evaluator and a pack run without --policy-pack-config must behave the same.
 */
function configWithDefaults<C>(spec: RuleSpec<C>, given: object): C & { environment?: unknown; waivers?: unknown } {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries<ConfigProperty>(spec.config ?? {})) {
        if (schema.default !== undefined) defaults[key] = schema.default;
    }
    return { ...defaults, ...given } as C & { environment?: unknown; waivers?: unknown };
}

/**
 * Reports through `report` unless a waiver in force names the resource; a lapsed waiver lets the
 * violation through with a note saying so.
 */
function waivedReporter(waivers: readonly Waiver[], report: (message: string, urn?: string) => void) {
    const now = today();
    return (message: string, resource?: { urn: string; name: string }) => {
        const waiver = resource && waiverFor(waivers, resource);
        if (waiver && !isExpired(waiver, now)) return;
        report(waiver ? lapsedMessage(message, waiver) : message, resource?.urn);
    };
}

function view(type: string, name: string, urn: string, props: unknown, providerProps: unknown): ResourceView {
    const plainProps = readRecord(props);
    return {
        type,
        name,
        urn,
        props: typeof plainProps === "object" ? plainProps : {},
        tags: mergedTags(props, providerProps),
    };
}

/** The types each validateResource made by defineResourcePolicy judges (see judgedTypes). */
const judged = new WeakMap<ResourceValidation, ReadonlySet<string>>();

/**
 * The only resource types a resource policy's validateResource judges, when it is one that
 * defineResourcePolicy made: on any other type it only says it is not applicable, so an evaluator
 * may skip the call. Undefined for any other policy, which must be called for every resource.
 */
export function judgedTypes(policy: NistResourcePolicy): ReadonlySet<string> | undefined {
    return judged.get(policy.validateResource);
}

export function defineResourcePolicy<C extends object = Record<string, never>>(spec: ResourceRuleSpec<C>): NistResourcePolicy {
    const types = new Set(spec.resourceTypes);
    const validateResource: ResourceValidation = (args, reportViolation) => {
        if (!types.has(args.type)) args.notApplicable(`${spec.name} does not judge ${args.type}`);
        const resource = view(args.type, args.name, args.urn, args.props, args.provider?.props);
        const config = configWithDefaults(spec, args.getConfig());
        const environment = resolveEnvironment(config.environment, [resource.tags.tags]);
        const report = waivedReporter(readWaivers(config.waivers), (message) => reportViolation(message));
        spec.validate(resource, { environment, config }, (message) => report(message, resource));
    };
    judged.set(validateResource, types);
    return { ...metadata(spec), validateResource };
}

/** Each resource's view, built once: every stack rule is handed the same resources. */
const stackViews = new WeakMap<PolicyResource, StackResource>();

function stackResource(resource: PolicyResource): StackResource {
    let built = stackViews.get(resource);
    if (!built) stackViews.set(resource, (built = buildStackResource(resource)));
    return built;
}

function buildStackResource(resource: PolicyResource): StackResource {
    const outputs = readRecord(unwrapProxy((resource as PlannedPolicyResource).outputs));
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, dependencies] of Object.entries(resource.propertyDependencies ?? {})) {
        propertyDependencies[key] = dependencies.map((d) => d.urn);
    }
    return {
        ...view(resource.type, resource.name, resource.urn, resource.props, resource.provider?.props),
        outputs: typeof outputs === "object" ? outputs : {},
        dependencies: new Set(resource.dependencies.map((d) => d.urn)),
        propertyDependencies,
    };
}

export function defineStackPolicy<C extends object = Record<string, never>>(spec: StackRuleSpec<C>): NistStackPolicy {
    return {
        ...metadata(spec),
        validateStack: (args, reportViolation) => {
            const resources = args.resources.map(stackResource);
            const config = configWithDefaults(spec, args.getConfig());
            const environment = resolveEnvironment(config.environment, resources.map((r) => r.tags.tags));
            if (spec.prodOnly && environment !== "prod") args.notApplicable(`${spec.name} judges prod stacks only`);
            const report = waivedReporter(readWaivers(config.waivers), reportViolation);
            spec.validate(resources, { environment, config }, (message, resource) => report(message, resource));
        },
    };
}
