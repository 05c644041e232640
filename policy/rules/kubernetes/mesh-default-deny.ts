import { defineStackPolicy, StackResource } from "../../lib/policy";
import { AUTHORIZATION_POLICY_TYPES } from "../../lib/resource-types";
import { ofType } from "../../lib/stack";
import { at, readList, readRecord, readString, UNKNOWN } from "../../lib/values";

const NAMESPACE = "kubernetes:core/v1:Namespace";

/** Whether a namespace's labels put its pods in the mesh: ambient, or sidecar injection. */
function meshed(namespace: StackResource): boolean | typeof UNKNOWN {
    const labels = readRecord(at(namespace.props, "metadata", "labels"));
    if (labels === UNKNOWN) return UNKNOWN;
    return labels?.["istio.io/dataplane-mode"] === "ambient" || labels?.["istio-injection"] === "enabled";
}

/**
 * Whether an AuthorizationPolicy denies by default in its namespace: an ALLOW policy (the default
 * action) for every workload (no selector, no target) with no rules, which Istio reads as "allow
 * nothing", so only what other ALLOW policies name gets through.
 */
function allowsNothing(policy: StackResource): boolean | typeof UNKNOWN {
    const spec = readRecord(at(policy.props, "spec"));
    if (spec === UNKNOWN) return UNKNOWN;
    const action = readString(at(spec, "action"));
    const rules = readList(at(spec, "rules"));
    if (action === UNKNOWN || rules === UNKNOWN) return UNKNOWN;
    const everyWorkload = ["selector", "targetRef", "targetRefs"].every((key) => spec?.[key] === undefined);
    return (action === undefined || action === "ALLOW") && (rules === undefined || rules.length === 0) && everyWorkload;
}

export const meshDefaultDeny = defineStackPolicy({
    name: "mesh-default-deny",
    description: "Prod's mesh authorizes by exception (AC-3, AC-4): every namespace in the mesh (ambient or sidecar label) has an allow-nothing AuthorizationPolicy, so only the callers and ports an ALLOW policy names reach its pods.",
    nist: ["AC-3", "AC-4"],
    anchors: [],
    severity: "high",
    enforcementLevel: "advisory",
    prodOnly: true,
    remediationSteps: "Declare an AuthorizationPolicy with an empty spec (allow-nothing) in every namespace labelled istio.io/dataplane-mode=ambient or istio-injection=enabled, beside ALLOW policies for its callers; the platform generates both from the wiring graph (components/security/authorization.ts).",
    validate(resources, _context, report) {
        const policies = ofType(resources, ...AUTHORIZATION_POLICY_TYPES);
        const denying = new Set<string>();
        for (const policy of policies) {
            const namespace = readString(at(policy.props, "metadata", "namespace"));
            const nothing = allowsNothing(policy);
            // A policy whose namespace or spec is unknown during preview may be the default: do not report.
            if (namespace === UNKNOWN || nothing === UNKNOWN) return;
            if (nothing && typeof namespace === "string") denying.add(namespace);
        }
        for (const namespace of ofType(resources, NAMESPACE)) {
            const name = readString(at(namespace.props, "metadata", "name"));
            const inMesh = meshed(namespace);
            if (typeof name !== "string" || inMesh !== true) continue;
            if (!denying.has(name)) report(`namespace ${name} is in the mesh without an allow-nothing AuthorizationPolicy: any mesh identity may call its pods`, namespace);
        }
    },
});
