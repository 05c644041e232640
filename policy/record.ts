/**
 * The resource record the offline evaluator (evaluate.ts) reads: what the project's offline engine
 * records of each registered resource, or any recording with these fields. Defined here so that the
 * pack stands alone; engine/types.ts builds its PlannedResource on it.
 */

export interface RecordedResource {
    /** The Pulumi type token, e.g. aws:ec2/subnet:Subnet or kubernetes:helm.sh/v3:Release. */
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The parent's URN; undefined for resources directly under the stack. */
    readonly parent?: string;
    /** The URN of the explicit provider the resource uses, if any. */
    readonly provider?: string;
    /** URNs this resource depends on (dependsOn plus inputs from other resources). */
    readonly dependencies: readonly string[];
    /**
     * URNs feeding each input property, as the program's registration reports them and a real
     * preview hands them to policy packs: every input given, empty for one no resource feeds.
     */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    /** Inputs as the provider receives them (Outputs resolved, secrets unwrapped). */
    readonly inputs: Record<string, any>;
    /** The state after the step: inputs plus computed outputs (ids, ARNs, endpoints); {} in a preview. */
    readonly outputs: Record<string, any>;
}

/** What a Pulumi secret's value reads as in a record, so that no report prints it. */
export const SECRET_PLACEHOLDER = "[secret]";
