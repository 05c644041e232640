/**
 * Hand-made resources for the policy tests, shaped as a real preview delivers them: flags of
 * launch templates as strings, the mandatory tags on the explicit provider's defaultTags (as JSON
 * text, the way @pulumi/aws serialises provider config), unknowns as the engine's sentinel.
 */
import { expect } from "chai";
import type { PlannedResource } from "../../engine/types";
import { evaluatePolicies, PolicyPackConfig, Violation } from "../../policy/evaluate";
import { NistPolicy } from "../../policy/lib/policy";
import { UNKNOWN_STRING_SENTINEL } from "../../policy/lib/values";

/** The policy SDK's own unknown-checking proxy (proxy.js), which its typings leave out as internal. */
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(props: T): T };

/** What a preview sends for a value it cannot know yet. */
export const UNKNOWN = UNKNOWN_STRING_SENTINEL;

export const TAGS = { Project: "nist-eks-platform", Environment: "dev", Owner: "platform-team", CostCenter: "platform-engineering" };

export interface Options {
    readonly provider?: PlannedResource;
    /** Resources this one depends on (dependsOn and inputs). */
    readonly dependsOn?: readonly PlannedResource[];
    /** Computed outputs the mocks would add (ids); inputs are echoed into outputs as the mocks do. */
    readonly outputs?: Record<string, unknown>;
    /** The resources feeding each input, as the engine reports them. */
    readonly propertyDependencies?: Record<string, readonly PlannedResource[]>;
}

export function urn(type: string, name: string): string {
    return `urn:pulumi:test::nist-eks-platform::${type}::${name}`;
}

export function planned(type: string, name: string, inputs: Record<string, unknown>, options: Options = {}): PlannedResource {
    return {
        type,
        name,
        urn: urn(type, name),
        provider: options.provider?.urn,
        custom: true,
        dependencies: (options.dependsOn ?? []).map((d) => d.urn),
        ...(options.propertyDependencies
            ? { propertyDependencies: Object.fromEntries(Object.entries(options.propertyDependencies).map(([key, feeding]) => [key, feeding.map((d) => d.urn)])) }
            : {}),
        protect: false,
        inputs,
        outputs: { ...inputs, ...(options.outputs ?? {}) },
    };
}

/** An explicit AWS provider whose default tags carry `tags`, as JSON text like a real preview. */
export function awsProvider(tags: Record<string, string> = TAGS, name = "aws-dev"): PlannedResource {
    return planned("pulumi:providers:aws", name, { region: "us-east-1", defaultTags: JSON.stringify({ tags }) });
}

/** The violations of one policy over `resources`, in the given environment. */
export function check(policy: NistPolicy, resources: readonly PlannedResource[], environment?: "dev" | "prod", config: Record<string, unknown> = {}): Violation[] {
    const packConfig: PolicyPackConfig = { [policy.name]: { ...(environment ? { environment } : {}), ...config } };
    return evaluate(resources, packConfig, [policy]);
}

/**
 * evaluatePolicies with props behind the SDK's real proxy, so that a rule touching an unknown value
 * fails the test (the SDK would turn it into a "can't run policy" note and skip the rule).
 */
export function evaluate(resources: readonly PlannedResource[], packConfig: PolicyPackConfig, policies?: readonly NistPolicy[]): Violation[] {
    const violations = evaluatePolicies(resources, packConfig, policies, { wrapProps: unknownCheckingProxy });
    const skipped = violations.filter((v) => v.message.startsWith("can't run policy"));
    expect(skipped, "a rule touched an unknown value").to.deep.equal([]);
    return violations;
}

/** The messages of `violations`, for readable assertions. */
export function messages(violations: readonly Violation[]): string[] {
    return violations.map((v) => v.message);
}
