import { defineStackPolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { ofType } from "../../lib/stack";
import { at, readRecord, readString, UNKNOWN } from "../../lib/values";

const LEVELS = ["privileged", "baseline", "restricted"];
const ENFORCE = "pod-security.kubernetes.io/enforce";

export const namespacePodSecurity = defineStackPolicy({
    name: "namespace-pod-security",
    description: "Every namespace the stack creates carries a Pod Security Admission enforce level (pod-security.kubernetes.io/enforce: privileged, baseline or restricted), so that the API server refuses pods that ask for more privilege than the namespace allows (least functionality and least privilege).",
    nist: ["CM-7", "AC-6"],
    anchors: [],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Create the namespace with createNamespace and give it an entry in POD_SECURITY (components/security/pod-security.ts): restricted, or a lower level with its reason and the workloads that need it.",
    validate(resources, _context, report) {
        for (const namespace of ofType(resources, T.namespace)) {
            const name = readString(at(namespace.props, "metadata", "name"));
            const labels = readRecord(at(namespace.props, "metadata", "labels"));
            if (typeof name !== "string" || labels === UNKNOWN) continue;
            const level = readString(labels?.[ENFORCE]);
            if (level === UNKNOWN) continue;
            if (level === undefined) report(`namespace ${name} has no Pod Security enforce level (label ${ENFORCE}): any pod is admitted, privileged or not`, namespace);
            else if (!LEVELS.includes(level)) report(`namespace ${name}: ${ENFORCE} is "${level}", not one of ${LEVELS.join(", ")}: the API server rejects the label`, namespace);
        }
    },
});
