import { defineStackPolicy, StackResource } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { ofType } from "../../lib/stack";
import { at, readJsonObject, readList, readRecord, readString, UNKNOWN } from "../../lib/values";

/** A label selector that selects every pod: absent, or with no labels and no expressions. */
function selectsAll(selector: unknown): boolean | typeof UNKNOWN {
    const record = readRecord(selector);
    if (record === UNKNOWN) return UNKNOWN;
    if (record === undefined) return true;
    const labels = readRecord(record.matchLabels);
    const expressions = readList(record.matchExpressions);
    if (labels === UNKNOWN || expressions === UNKNOWN) return UNKNOWN;
    return Object.keys(labels ?? {}).length === 0 && (expressions ?? []).length === 0;
}

/** The directions a NetworkPolicy denies by default for every pod of its namespace: it selects all and allows nothing that way. */
function deniedDirections(policy: StackResource): ("Ingress" | "Egress")[] | typeof UNKNOWN {
    const spec = at(policy.props, "spec");
    const all = selectsAll(at(spec, "podSelector"));
    const types = readList(at(spec, "policyTypes"));
    const ingress = readList(at(spec, "ingress"));
    const egress = readList(at(spec, "egress"));
    if (all === UNKNOWN || types === UNKNOWN || ingress === UNKNOWN || egress === UNKNOWN) return UNKNOWN;
    if (!all) return [];
    // Without policyTypes a policy is an Ingress policy, and an Egress one too when it has egress rules.
    const declared = types ?? ["Ingress", ...(egress !== undefined ? ["Egress"] : [])];
    return (["Ingress", "Egress"] as const).filter((d) => declared.includes(d) && ((d === "Ingress" ? ingress : egress) ?? []).length === 0);
}

export const namespaceDefaultDeny = defineStackPolicy({
    name: "namespace-default-deny",
    description: "Every namespace the stack creates has a NetworkPolicy that selects all its pods and allows nothing, for ingress and for egress, so that traffic is denied by default and allowed by exception (SC-7(5)); and the VPC CNI add-on runs its network-policy agent, without which no NetworkPolicy is enforced.",
    nist: ["SC-7", "AC-4"],
    anchors: [],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Declare the namespace with createNamespace so that components/security/boundaries.ts gives it its default-deny and generated allow rules (or declare a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] and no rules in it), and set enableNetworkPolicy: \"true\" in the vpc-cni add-on's configuration values.",
    validate(resources, _context, report) {
        const denied = new Map<string, Set<string>>();
        for (const policy of ofType(resources, T.networkPolicy)) {
            const namespace = readString(at(policy.props, "metadata", "namespace"));
            const directions = deniedDirections(policy);
            // A policy not known yet may be the default deny: judge only what is known.
            if (namespace === UNKNOWN || directions === UNKNOWN) return;
            if (namespace === undefined) continue;
            for (const d of directions) (denied.get(namespace) ?? denied.set(namespace, new Set()).get(namespace)!).add(d);
        }
        const namespaces = ofType(resources, T.namespace);
        for (const namespace of namespaces) {
            const name = readString(at(namespace.props, "metadata", "name"));
            if (typeof name !== "string") continue;
            const missing = ["Ingress", "Egress"].filter((d) => !denied.get(name)?.has(d));
            if (missing.length > 0) report(`namespace ${name} has no default-deny NetworkPolicy for ${missing.join(" and ").toLowerCase()}: every pod may ${missing.length === 2 ? "receive from and send to" : missing[0] === "Ingress" ? "receive from" : "send to"} anything`, namespace);
        }
        const cni = ofType(resources, T.eksAddon).find((a) => readString(at(a.props, "addonName")) === "vpc-cni");
        if (cni && namespaces.length > 0) {
            const values = readJsonObject(at(cni.props, "configurationValues"));
            if (values !== UNKNOWN && readString(values?.enableNetworkPolicy) !== "true") {
                report("the vpc-cni add-on does not set enableNetworkPolicy \"true\": its network-policy agent is off and no NetworkPolicy is enforced", cni);
            }
        }
    },
});
