import { checksOf, podSecurityFindings, PodSecurityLevel } from "../../lib/pod-security-standards";
import { defineStackPolicy, StackResource } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { ofType } from "../../lib/stack";
import { at, readRecord, readString, unwrapProxy, UNKNOWN } from "../../lib/values";

const ENFORCE = "pod-security.kubernetes.io/enforce";
const LEVELS: readonly string[] = ["privileged", "baseline", "restricted"];

/** Where each workload kind keeps its pod template. */
const POD_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
    "kubernetes:core/v1:Pod": [],
    "kubernetes:apps/v1:Deployment": ["spec", "template"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template"],
    "kubernetes:batch/v1:Job": ["spec", "template"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template"],
};

/** Strimzi's resources whose pods its operator creates from the templates they declare. */
const STRIMZI_TYPES = ["Kafka", "KafkaNodePool", "KafkaConnect", "KafkaMirrorMaker2", "KafkaBridge"]
    .flatMap((kind) => [`kubernetes:kafka.strimzi.io/v1:${kind}`, `kubernetes:kafka.strimzi.io/v1beta2:${kind}`]);

interface DeclaredPod {
    /** The resource that declares it. */
    readonly resource: StackResource;
    readonly what: string;
    readonly namespace: string;
    readonly spec: Record<string, any>;
    readonly metadata?: { annotations?: Record<string, string> };
    /** An operator completes it: only what is written is judged. */
    readonly declaredOnly: boolean;
}

/** A plain copy of a value read from props (no proxy anywhere below it). */
function plain(value: unknown): any {
    const v = unwrapProxy(value);
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, child]) => [k, plain(child)]));
    return v;
}

/**
 * The pods a Strimzi resource's templates declare: each `template` under its spec (the brokers',
 * the entity operator's, Cruise Control's, ...) gives the pod's security context and each
 * `<name>Container`'s, as far as they are written.
 */
function strimziPods(resource: StackResource, namespace: string): DeclaredPod[] {
    const pods: DeclaredPod[] = [];
    const visit = (value: unknown, where: string, depth: number) => {
        const record = readRecord(value);
        if (record === undefined || record === UNKNOWN || depth > 3) return;
        const template = readRecord(record.template);
        if (template && template !== UNKNOWN) {
            const containers = Object.entries(template).filter(([key]) => /Container$/.test(key))
                .map(([key, container]) => ({ name: key.replace(/Container$/, ""), securityContext: plain(at(container, "securityContext")) ?? {} }));
            pods.push({ resource, what: `${resource.name} ${where}template`, namespace, spec: { securityContext: plain(at(template, "pod", "securityContext")) ?? {}, containers }, declaredOnly: true });
        }
        for (const [key, child] of Object.entries(record)) if (key !== "template") visit(child, `${where}${key}.`, depth + 1);
    };
    visit(resource.props.spec, "spec.", 0);
    return pods;
}

function declaredPods(resources: readonly StackResource[]): DeclaredPod[] {
    return resources.flatMap((resource) => {
        const namespace = readString(at(resource.props, "metadata", "namespace"));
        if (namespace === UNKNOWN) return [];
        const ns = namespace ?? "default";
        if (STRIMZI_TYPES.includes(resource.type)) return strimziPods(resource, ns);
        const path = POD_TEMPLATES[resource.type];
        if (!path) return [];
        const template = plain(at(resource.props, ...path));
        if (template === null || typeof template !== "object" || typeof template.spec !== "object") return [];
        return [{ resource, what: resource.name, namespace: ns, spec: template.spec, metadata: template.metadata, declaredOnly: false }];
    });
}

/** The Pod Security Standards checks, each under its id in k8s.io/pod-security-admission. */
const CHECK_IDS = checksOf("restricted");

export const podSecurityStandards = defineStackPolicy({
    name: "pod-security-standards",
    description: "Every pod the stack declares (a Pod or a workload's pod template, and the pod templates of Strimzi's resources, from which its operator makes the brokers' and operators' pods) passes the Pod Security Standard its namespace enforces (pod-security.kubernetes.io/enforce, baseline or restricted), check by check as Pod Security Admission runs them, so that no update waits on pods the API server refuses.",
    nist: ["CM-7", "AC-6"],
    anchors: CHECK_IDS.map((id) => `PSS:${id}`),
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Give the pod what its namespace's level asks: for restricted, runAsNonRoot, allowPrivilegeEscalation false, capabilities drop ALL (NET_BIND_SERVICE may be added back), a RuntimeDefault seccomp profile and only configMap, secret, projected, emptyDir, PVC, CSI, ephemeral, image or downwardAPI volumes; for baseline, no host namespaces, host paths, host ports, privileged containers or added capabilities. A workload that needs more belongs in a namespace whose lower level records why (components/security/pod-security.ts).",
    validate(resources, _context, report) {
        const levels = new Map<string, PodSecurityLevel | typeof UNKNOWN>();
        for (const namespace of ofType(resources, T.namespace)) {
            const name = readString(at(namespace.props, "metadata", "name"));
            if (typeof name !== "string") continue;
            const level = readString(at(namespace.props, "metadata", "labels", ENFORCE));
            if (level === UNKNOWN) levels.set(name, UNKNOWN);
            else if (level !== undefined && LEVELS.includes(level)) levels.set(name, level as PodSecurityLevel);
        }
        for (const pod of declaredPods(resources)) {
            // A namespace the stack does not create, or whose level is not known yet, is judged where it is.
            const level = levels.get(pod.namespace);
            if (level === undefined || level === UNKNOWN) continue;
            for (const finding of podSecurityFindings(pod.spec, level, pod.metadata, { declaredOnly: pod.declaredOnly })) {
                report(`${pod.what} in namespace ${pod.namespace} (${level}) fails PSS ${finding.check}: ${finding.message}`, pod.resource);
            }
        }
    },
});
