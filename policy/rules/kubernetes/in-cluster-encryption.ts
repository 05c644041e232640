import { defineStackPolicy } from "../../lib/policy";
import { PEER_AUTHENTICATION_TYPES } from "../../lib/resource-types";
import { ofType } from "../../lib/stack";
import { at, readList, readRecord, readString, UNKNOWN } from "../../lib/values";

const NAMESPACE = "kubernetes:core/v1:Namespace";
const KAFKA_TYPES = ["kubernetes:kafka.strimzi.io/v1:Kafka", "kubernetes:kafka.strimzi.io/v1beta2:Kafka"];

interface Config {
    /** Namespaces outside the mesh, each with the reason and the compensating control the README names. */
    readonly plaintextNamespaces: Readonly<Record<string, string>>;
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
    description: "In-cluster traffic is encrypted (SC-8): every Strimzi Kafka listener uses TLS, and where the stack runs a mesh, every namespace it creates is in it (ambient or sidecar label) or a recorded exception with its reason and compensating control.",
    nist: ["SC-8"],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Set tls: true on every listener of the Kafka resource (components/observability/kafka.ts); label a namespace istio.io/dataplane-mode=ambient (or istio-injection=enabled for sidecars), or record it with its reason and compensating control in this rule's plaintextNamespaces and in the README's section Encryption and identity on every hop.",
    config: {
        plaintextNamespaces: {
            type: "object",
            additionalProperties: { type: "string" },
            default: ACCEPTED_PLAINTEXT_NAMESPACES,
            description: "Namespaces accepted outside the mesh, each with its reason and compensating control",
        },
    },
    validate(resources, { config }, report) {
        for (const kafka of ofType(resources, ...KAFKA_TYPES)) {
            const listeners = readList(at(kafka.props, "spec", "kafka", "listeners"));
            if (listeners === UNKNOWN || listeners === undefined) continue;
            for (const listener of listeners) {
                const tls = readRecord(listener) === UNKNOWN ? UNKNOWN : at(listener, "tls");
                if (tls !== true && tls !== "true" && tls !== UNKNOWN) {
                    report(`Kafka ${kafka.name}: listener ${String(readString(at(listener, "name")) ?? "?")} serves clients in plaintext (tls is not true)`, kafka);
                }
            }
        }
        // Namespaces are checked where the stack runs a mesh (it declares a PeerAuthentication);
        // a stack without one (dev) has decided against the mesh as a whole.
        if (ofType(resources, ...PEER_AUTHENTICATION_TYPES).length === 0) return;
        for (const namespace of ofType(resources, NAMESPACE)) {
            const name = readString(at(namespace.props, "metadata", "name"));
            if (typeof name !== "string") continue;
            const labels = readRecord(at(namespace.props, "metadata", "labels"));
            if (labels === UNKNOWN) continue;
            const meshed = labels?.["istio.io/dataplane-mode"] === "ambient" || labels?.["istio-injection"] === "enabled";
            if (!meshed && !(name in config.plaintextNamespaces)) {
                report(`namespace ${name} is outside the mesh and not a recorded exception: traffic into it is unencrypted`, namespace);
            }
        }
    },
});
