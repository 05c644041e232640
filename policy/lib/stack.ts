/**
 * Finding which resource a sub-resource belongs to in a stack policy. A bucket's encryption
 * configuration names its bucket by id; ids are known to the offline engine (mocked outputs) and
 * in `pulumi up`, but during a preview of a new stack they are unknown. Then the link is read from
 * the dependency graph instead: the resources feeding that very input (propertyDependencies, which a
 * real preview and the offline engine both carry), never a mere dependsOn.
 */
import { StackResource } from "./policy";
import { at, readString } from "./values";

export function ofType(resources: readonly StackResource[], ...types: string[]): StackResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** Every known id the resource may be referred to by: its id output plus the named properties. */
export function knownIds(resource: StackResource, idProperties: readonly string[]): string[] {
    const candidates = [at(resource.outputs, "id"), ...idProperties.flatMap((key) => [at(resource.outputs, key), at(resource.props, key)])];
    return [...new Set(candidates.map(readString).filter((id): id is string => typeof id === "string" && id !== ""))];
}

/**
 * The resources that feed the input `property` of `resource`, as the engine reports them per input:
 * the SDK sends an entry for every input it registers, empty for one no resource feeds (a literal),
 * so an input the map leaves out is fed by nothing. Undefined only when the record carries no
 * per-input dependencies at all; then, and only then, `dependencies` is all there is to go by. A
 * dependsOn is never a reference: a resource may wait for a neighbour it does not configure.
 */
export function feedingResources(resource: StackResource, property: string): readonly string[] | undefined {
    const byInput = resource.propertyDependencies;
    if (property in byInput) return byInput[property];
    return Object.keys(byInput).length > 0 ? [] : undefined;
}

/**
 * Whether `sub` refers to `target` through its input `property` (a single reference such as
 * `bucket` or `vpcId`). `idProperties` are the target's properties that hold ids it is known by.
 */
export function refersTo(sub: StackResource, property: string, target: StackResource, idProperties: readonly string[] = []): boolean {
    const reference = readString(at(sub.props, property));
    if (typeof reference === "string") {
        const ids = knownIds(target, idProperties);
        if (ids.length > 0) return ids.includes(reference);
    }
    return (feedingResources(sub, property) ?? [...sub.dependencies]).includes(target.urn);
}

/** How a kind of sub-resource is attached to its target, and what each one must satisfy. */
export interface AttachmentCheck {
    readonly targetTypes: readonly string[];
    readonly subTypes: readonly string[];
    /** The sub-resource's input naming its target, e.g. `bucket` or `vpcId`. */
    readonly property: string;
    /** The target's properties that hold ids it is referred to by, besides its `id` output. */
    readonly idProperties: readonly string[];
    /** The sub-resource as named in a message, e.g. "BucketPublicAccessBlock". */
    readonly what: string;
    /**
     * every (the default): each attached sub-resource must pass, for settings a target holds once
     * (the last applied wins, so a second, weaker one is as real as the first). any: one passing
     * is enough, for additive ones such as flow logs, where an extra narrower log weakens nothing.
     */
    readonly sufficient?: "every" | "any";
    /** What is wrong with one sub-resource; empty when it satisfies the rule or cannot be known yet. */
    problems(sub: StackResource, target: StackResource): string[];
}

/**
 * Each target must have an attached sub-resource, and every one attached must be without problems
 * (or, for additive sub-resources, at least one). A target with none is reported on itself;
 * otherwise the problems are reported on the sub-resources that have them.
 */
export function checkAttachments(
    resources: readonly StackResource[],
    check: AttachmentCheck,
    report: (message: string, resource?: StackResource) => void,
): void {
    const candidates = ofType(resources, ...check.subTypes);
    for (const target of ofType(resources, ...check.targetTypes)) {
        const attached = candidates.filter((sub) => refersTo(sub, check.property, target, check.idProperties));
        if (attached.length === 0) {
            report(`${target.name} has no ${check.what}`, target);
            continue;
        }
        const findings = attached.map((sub) => ({ sub, problems: check.problems(sub, target) }));
        if (check.sufficient === "any" && findings.some((f) => f.problems.length === 0)) continue;
        for (const { sub, problems } of findings) {
            if (problems.length > 0) report(`${target.name}: ${problems.join("; ")}`, sub);
        }
    }
}
