import { defineResourcePolicy } from "../../lib/policy";
import { at, readList, readRecord, readString, UNKNOWN } from "../../lib/values";

/** Strimzi's Kafka resource, in the API versions Strimzi 0.49+ serves. */
export const KAFKA_TYPES = ["kubernetes:kafka.strimzi.io/v1:Kafka", "kubernetes:kafka.strimzi.io/v1beta2:Kafka"];
const KAFKA_USER_TYPES = ["kubernetes:kafka.strimzi.io/v1:KafkaUser", "kubernetes:kafka.strimzi.io/v1beta2:KafkaUser"];

/** Where an ACL reaches beyond one client's own topics and groups: the cluster, every name, or every operation. */
function tooWide(acl: unknown): string | undefined {
    const type = readString(at(acl, "resource", "type"));
    const name = readString(at(acl, "resource", "name"));
    const pattern = readString(at(acl, "resource", "patternType"));
    const operations = readList(at(acl, "operations"));
    if (type === "cluster") return "the cluster resource";
    if (name === "*" || (pattern === "prefix" && name === "")) return `every ${String(type)}`;
    if (operations !== UNKNOWN && (operations ?? []).includes("All")) return `All operations on ${String(type)} ${String(name)}`;
    return undefined;
}

export const kafkaAuthentication = defineResourcePolicy({
    name: "kafka-authentication",
    description: "Every listener of a Strimzi Kafka authenticates its clients (TLS client certificates, SCRAM, OAuth or custom SASL), the cluster authorizes each request, and no KafkaUser's ACLs reach the cluster, every topic or group, or every operation, so that no pod that reaches a broker can produce to, consume from or delete another client's topics.",
    nist: ["IA-3", "AC-3", "AC-6"],
    anchors: [],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Give each listener of the Kafka resource an authentication (type tls for clients with a certificate, scram-sha-512, or custom with SASL for clients that have neither), set spec.kafka.authorization (type simple), and give each client a KafkaUser whose ACLs name its own topics and consumer groups with the operations it needs; see components/observability/kafka.ts.",
    resourceTypes: [...KAFKA_TYPES, ...KAFKA_USER_TYPES],
    validate(resource, _context, report) {
        if (KAFKA_USER_TYPES.includes(resource.type)) {
            const acls = readList(at(resource.props, "spec", "authorization", "acls"));
            if (acls === UNKNOWN) return;
            (acls ?? []).forEach((acl, i) => {
                const wide = readRecord(acl) === UNKNOWN ? undefined : tooWide(acl);
                if (wide) report(`ACL ${i} grants ${wide}: wider than one client's own topics and groups`);
            });
            return;
        }
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
