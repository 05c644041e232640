import { defineStackPolicy } from "../../lib/policy";
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
 * by Istio; each entry says why and what limits the exposure, as the README's telemetry table does.
 */
export const ACCEPTED_PLAINTEXT_NAMESPACES: Readonly<Record<string, string>> = {
    "istio-system": "the control plane cannot carry its own sidecars; istiod's xDS and CA traffic is TLS of its own",
    "kube-system": "cluster infrastructure starts before the mesh and must work without it; node-level pods run on the host network",
    velero: "node agent and server talk only to the API server and AWS over TLS",
    "trivy-system": "scan jobs only pull images and databases over TLS; the operator talks only to the API server",
    monitoring: "telemetry pipeline kept outside the mesh so that it records mesh failures; its in-namespace hops (scrapes, pushes, queries) stay on the private pod network, and Kafka and the Grafana database are reached over TLS",
    kafka: "clients use the TLS listener and brokers replicate over Strimzi's TLS; only the metrics scrape is plaintext",
};

export const inClusterEncryption = defineStackPolicy<Config>({
    name: "in-cluster-encryption",
    description: "In-cluster traffic is encrypted (SC-8): every Strimzi Kafka listener uses TLS, and every namespace the stack creates outside the Istio mesh is a recorded exception with its reason and compensating control.",
    nist: ["SC-8"],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Set tls: true on every listener of the Kafka resource (components/observability/kafka.ts); label a namespace istio-injection=enabled, or record it with its reason and compensating control in this rule's plaintextNamespaces and in the README's telemetry path table.",
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
        for (const namespace of ofType(resources, NAMESPACE)) {
            const name = readString(at(namespace.props, "metadata", "name"));
            if (typeof name !== "string") continue;
            const labels = readRecord(at(namespace.props, "metadata", "labels"));
            if (labels === UNKNOWN) continue;
            const meshed = labels?.["istio-injection"] === "enabled";
            if (!meshed && !(name in config.plaintextNamespaces)) {
                report(`namespace ${name} is outside the mesh and not a recorded exception: traffic into it is unencrypted`, namespace);
            }
        }
    },
});
