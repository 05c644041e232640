import { defineStackPolicy } from "../../lib/policy";
import { PEER_AUTHENTICATION_TYPES } from "../../lib/resource-types";
import { ofType } from "../../lib/stack";
import { at, readList, readRecord, readString, UNKNOWN } from "../../lib/values";
import { KAFKA_TYPES } from "./kafka-authentication";

const NAMESPACE = "kubernetes:core/v1:Namespace";

/** Whether a Namespace's labels put it in the mesh: sidecar injection, or Istio's ambient data plane. */
function meshedByLabels(labels: Readonly<Record<string, unknown>> | undefined): boolean {
    return labels?.["istio-injection"] === "enabled" || labels?.["istio.io/dataplane-mode"] === "ambient";
}

interface Config {
    /** Namespaces outside the mesh, each with the reason and the compensating control the README names. */
    readonly plaintextNamespaces: Readonly<Record<string, string>>;
    /** Kafka listeners accepted without TLS outside the mesh, as "<namespace>/<kafka>/<listener>", each with its reason and expiry condition. */
    readonly plaintextListeners: Readonly<Record<string, string>>;
}

/**
 * The namespaces the platform keeps out of the mesh on purpose. Traffic into them is not encrypted
 * by Istio; each entry says why and what limits the exposure, as the README's section Encryption and identity on every hop does.
 */
export const ACCEPTED_PLAINTEXT_NAMESPACES: Readonly<Record<string, string>> = {
    "istio-system": "the mesh itself: istiod serves certificates and configuration over TLS of its own, and ztunnel and istio-cni are the data plane",
    "kube-system": "cluster infrastructure starts before the mesh and must work without it; node-level pods run on the host network",
};

export const inClusterEncryption = defineStackPolicy<Config>({
    name: "in-cluster-encryption",
    description: "In-cluster traffic is encrypted (SC-8): every Strimzi Kafka listener uses TLS unless the mesh carries it (the Kafka's namespace is in the mesh), and, where the stack runs a mesh, every namespace it creates is in it (ambient or sidecar label) or a recorded exception with its reason and compensating control.",
    nist: ["SC-8"],
    anchors: [],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Set tls: true on every listener of the Kafka resource (components/observability/kafka.ts), or bring the Kafka's namespace into the mesh where a client cannot speak TLS; label a namespace istio-injection=enabled or istio.io/dataplane-mode=ambient, or record it with its reason and compensating control in this rule's plaintextNamespaces and in the README's section Encryption and identity on every hop (a listener in plaintextListeners).",
    config: {
        plaintextNamespaces: {
            type: "object",
            additionalProperties: { type: "string" },
            default: ACCEPTED_PLAINTEXT_NAMESPACES,
            description: "Namespaces accepted outside the mesh, each with its reason and compensating control",
        },
        plaintextListeners: {
            type: "object",
            additionalProperties: { type: "string", minLength: 20 },
            default: {},
            description: "Kafka listeners accepted without TLS outside the mesh (\"<namespace>/<kafka>/<listener>\"), each with its reason and until when",
        },
    },
    validate(resources, { config }, report) {
        const namespaces = ofType(resources, NAMESPACE);
        /** Whether the stack's Namespace of this name is in the mesh; unknown labels count as meshed (preview). */
        const meshed = (name: unknown): boolean => namespaces.some((namespace) => {
            if (readString(at(namespace.props, "metadata", "name")) !== name) return false;
            const labels = readRecord(at(namespace.props, "metadata", "labels"));
            return labels === UNKNOWN || meshedByLabels(labels);
        });
        for (const kafka of ofType(resources, ...KAFKA_TYPES)) {
            const listeners = readList(at(kafka.props, "spec", "kafka", "listeners"));
            if (listeners === UNKNOWN || listeners === undefined) continue;
            const namespace = readString(at(kafka.props, "metadata", "namespace"));
            if (namespace === UNKNOWN || meshed(namespace)) continue;
            const cluster = readString(at(kafka.props, "metadata", "name"));
            for (const listener of listeners) {
                const tls = readRecord(listener) === UNKNOWN ? UNKNOWN : at(listener, "tls");
                const accepted = `${String(namespace)}/${String(cluster)}/${String(readString(at(listener, "name")))}` in config.plaintextListeners;
                if (tls !== true && tls !== "true" && tls !== UNKNOWN && !accepted) {
                    report(`Kafka ${kafka.name}: listener ${String(readString(at(listener, "name")) ?? "?")} serves clients in plaintext (tls is not true) and namespace ${String(namespace ?? "?")} is not in the mesh`, kafka);
                }
            }
        }
        // Namespaces are checked where the stack runs a mesh (it declares a PeerAuthentication);
        // a stack without one (dev) has decided against the mesh as a whole.
        if (ofType(resources, ...PEER_AUTHENTICATION_TYPES).length === 0) return;
        for (const namespace of namespaces) {
            const name = readString(at(namespace.props, "metadata", "name"));
            if (typeof name !== "string") continue;
            const labels = readRecord(at(namespace.props, "metadata", "labels"));
            if (labels === UNKNOWN) continue;
            if (!meshedByLabels(labels) && !(name in config.plaintextNamespaces)) {
                report(`namespace ${name} is outside the mesh and not a recorded exception: traffic into it is unencrypted`, namespace);
            }
        }
    },
});
