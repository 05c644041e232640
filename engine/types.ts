import { RecordedResource, SECRET_PLACEHOLDER } from "../policy/record";

export { SECRET_PLACEHOLDER };

/**
 * What the offline engine reports of one resource that the program registered: the record the
 * policy pack's offline evaluator reads (type, name, URN, parent, provider, dependencies, inputs,
 * outputs; here the state the mocks returned), plus the options the planner reads.
 */
export interface PlannedResource extends RecordedResource {
    /** True for provider-backed resources, false for components. */
    readonly custom: boolean;
    /** Properties whose changes Pulumi ignores on update (the ignoreChanges option). */
    readonly ignoreChanges?: readonly string[];
    /** Whether a replacement deletes the old resource first (the deleteBeforeReplace option). */
    readonly deleteBeforeReplace?: boolean;
    /** Properties whose change forces a replacement beyond the provider's own (replaceOnChanges). */
    readonly replaceOnChanges?: readonly string[];
    /** Whether `pulumi destroy` leaves the cloud resource in place (the retainOnDelete option). */
    readonly retainOnDelete?: boolean;
    /** The former parents and names the resource answers to (the aliases option), as "<parent URN>::<name>". */
    readonly aliases?: readonly string[];
    /** Where the program declares it: the project's source file and line of its construction. */
    readonly source?: SourceLocation;
}

/** A line of a project source file, the path relative to the project's root. */
export interface SourceLocation {
    readonly file: string;
    readonly line: number;
}
