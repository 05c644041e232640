/** What the offline engine reports of one resource that the program registered. */
export interface PlannedResource {
    /** The Pulumi type token, e.g. aws:ec2/subnet:Subnet or kubernetes:helm.sh/v3:Release. */
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The parent's URN; undefined for resources directly under the stack. */
    readonly parent?: string;
    /** The URN of the explicit provider the resource uses, if any. */
    readonly provider?: string;
    /** True for provider-backed resources, false for components. */
    readonly custom: boolean;
    /** URNs this resource depends on (dependsOn plus inputs from other resources). */
    readonly dependencies: readonly string[];
    /**
     * URNs feeding each input property, as the program's registration reports them and a real
     * preview hands them to policy packs; inputs fed by no resource are left out.
     */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
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
    /** Inputs as the provider receives them (Outputs resolved, secrets unwrapped). */
    readonly inputs: Record<string, any>;
    /** The state the mocks returned: inputs plus computed outputs (ids, ARNs, endpoints). */
    readonly outputs: Record<string, any>;
}

/** What a Pulumi secret's value reads as in engine records, so that no report prints it. */
export const SECRET_PLACEHOLDER = "[secret]";
