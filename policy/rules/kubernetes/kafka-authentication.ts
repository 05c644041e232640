import { defineResourcePolicy } from "../../lib/policy";
import { at, readList, readRecord, readString, UNKNOWN } from "../../lib/values";

/** Strimzi's Kafka resource, in the API versions Strimzi 0.49+ serves. */
export const KAFKA_TYPES = ["kubernetes:kafka.strimzi.io/v1:Kafka", "kubernetes:kafka.strimzi.io/v1beta2:Kafka"];

export const kafkaAuthentication = defineResourcePolicy({
    name: "kafka-authentication",
    description: "Every listener of a Strimzi Kafka authenticates its clients (TLS client certificates, SCRAM, OAuth or custom SASL), and the cluster authorizes each request, so that no pod that reaches a broker can produce to, consume from or delete another client's topics.",
    nist: ["IA-3", "AC-3"],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Give each listener of the Kafka resource an authentication (type tls for clients with a certificate, scram-sha-512, or custom with SASL for clients that have neither) and set spec.kafka.authorization (type simple, with a KafkaUser and its ACLs per client); see components/observability/kafka.ts.",
    resourceTypes: KAFKA_TYPES,
    validate(resource, _context, report) {
        const kafka = at(resource.props, "spec", "kafka");
        const listeners = readList(at(kafka, "listeners"));
        if (listeners !== UNKNOWN) {
            for (const listener of listeners ?? []) {
                if (readRecord(listener) === UNKNOWN) continue;
                const type = readString(at(listener, "authentication", "type"));
                if (type === UNKNOWN || (typeof type === "string" && type !== "")) continue;
                report(`listener ${String(readString(at(listener, "name")) ?? "?")} (port ${String(at(listener, "port") ?? "?")}) accepts clients without authentication`);
            }
        }
        const authorization = readRecord(at(kafka, "authorization"));
        if (authorization === undefined && kafka !== UNKNOWN) report("spec.kafka.authorization is unset: any client that connects may use every topic and group");
    },
});
