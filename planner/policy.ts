/**
 * The policy section: the CrossGuard pack (policy/) evaluated offline over the stack's resources,
 * with the pack config CI passes for the stack's environment, so that the plan shows what
 * `pulumi preview --policy-pack` would block before anything is deployed.
 */
import { PlannedResource } from "../engine/types";
import { Environment } from "../config/schema";
import { evaluatePolicies, loadPackConfig, Violation } from "../policy/evaluate";

export interface PolicyReport {
    /** The pack config the levels come from: policy/config/<environment>.json. */
    readonly packConfig: string;
    readonly violations: readonly Violation[];
    readonly mandatory: number;
    readonly advisory: number;
}

/** Evaluates the pack over a stack's resources at its environment's enforcement levels. */
export function policyReport(resources: readonly PlannedResource[], environment: Environment): PolicyReport {
    const violations = evaluatePolicies(resources, loadPackConfig(environment));
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return { packConfig: `policy/config/${environment}.json`, violations, mandatory, advisory: violations.length - mandatory };
}
