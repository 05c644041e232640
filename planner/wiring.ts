/**
 * The in-cluster addresses the stack's own configuration names (Grafana datasources, Prometheus
 * remote write, the Kafka bootstrap of Mimir and Tempo, the mesh's tracing provider, Kiali's
 * backends, ...) and the Service each resolves to: one a release renders, or one an operator
 * creates from a declared custom resource. An address nothing serves is a wiring bug that every
 * other check misses: the pods start, and the data goes nowhere.
 */
import { PlannedResource } from "../engine/types";
import { WORKLOAD_TYPES, stackWorkloads } from "../components/helm/workloads";

export interface Address {
    /** The release or resource whose values or spec name it, and where: "grafana values datasources...url". */
    readonly usedBy: string;
    readonly host: string;
    readonly port: number;
    /** "Service <ns>/<name> port <p> (rendered by <release>)", or why it cannot be resolved. */
    readonly resolvesTo?: string;
    readonly unresolved?: string;
}

/** A Service an address may reach, and what makes it. */
interface Endpoint {
    readonly namespace: string;
    readonly name: string;
    readonly ports: readonly number[];
    readonly madeBy: string;
}

const IN_CLUSTER = /\b([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(?:\.cluster\.local)?(?::(\d+))?/;

/** Every in-cluster address a string tree names, with its path; a port may sit beside the host. */
function findAddresses(tree: unknown, path: string[] = [], parent?: Record<string, unknown>): { path: string; host: string; namespace: string; service: string; port?: number }[] {
    if (typeof tree === "string") {
        const match = IN_CLUSTER.exec(tree);
        if (!match) return [];
        const scheme = /^(https?):\/\//.exec(tree)?.[1];
        const port = match[5] ? Number(match[5]) : typeof parent?.port === "number" ? parent.port : scheme === "http" ? 80 : scheme === "https" ? 443 : undefined;
        return [{ path: path.join("."), host: match[0].replace(/:\d+$/, ""), service: match[1], namespace: match[3], ...(port !== undefined ? { port } : {}) }];
    }
    if (Array.isArray(tree)) return tree.flatMap((item, i) => findAddresses(item, [...path, String(i)], parent));
    if (tree !== null && typeof tree === "object") {
        const object = tree as Record<string, unknown>;
        return Object.entries(object).flatMap(([key, value]) => findAddresses(value, [...path, key], object));
    }
    return [];
}

/** The Services the stack will have: rendered ones, and those operators create from its custom resources. */
function endpoints(resources: readonly PlannedResource[]): Endpoint[] {
    const found: Endpoint[] = [];
    for (const { request, rendered } of stackWorkloads(resources).renders.values()) {
        for (const m of rendered.manifests) {
            if (m.kind === "Service") found.push({ namespace: m.metadata.namespace ?? request.namespace, name: m.metadata.name, ports: (m.spec?.ports ?? []).map((p: any) => p.port), madeBy: `rendered by ${request.name}` });
            // The Prometheus operator fronts each Prometheus and Alertmanager with a governing Service.
            if (m.kind === "Prometheus") found.push({ namespace: m.metadata.namespace ?? request.namespace, name: "prometheus-operated", ports: [9090], madeBy: `the Prometheus operator, for Prometheus ${m.metadata.name}` });
            if (m.kind === "Alertmanager") found.push({ namespace: m.metadata.namespace ?? request.namespace, name: "alertmanager-operated", ports: [9093], madeBy: `the Prometheus operator, for Alertmanager ${m.metadata.name}` });
        }
    }
    for (const kafka of resources.filter((r) => r.type === WORKLOAD_TYPES.kafka)) {
        // Strimzi serves every listener of a Kafka cluster on its <name>-kafka-bootstrap Service.
        found.push({ namespace: kafka.inputs.metadata.namespace, name: `${kafka.inputs.metadata.name}-kafka-bootstrap`, ports: (kafka.inputs.spec?.kafka?.listeners ?? []).map((l: any) => l.port), madeBy: `Strimzi, for Kafka ${kafka.inputs.metadata.name}` });
    }
    return found;
}

/** Every in-cluster address in release values and custom resource specs, with what it resolves to. */
export function wiring(resources: readonly PlannedResource[]): Address[] {
    const services = endpoints(resources);
    const sources = resources.flatMap((r) => r.type === WORKLOAD_TYPES.release
        ? [{ usedBy: `${r.name} values`, tree: r.inputs.values }]
        : r.type.startsWith("kubernetes:") && r.inputs.spec ? [{ usedBy: `${r.name} spec`, tree: r.inputs.spec }] : []);
    return sources.flatMap(({ usedBy, tree }) => findAddresses(tree).map((a): Address => {
        const base = { usedBy: `${usedBy} ${a.path}`, host: a.host, port: a.port ?? 0 };
        const service = services.find((s) => s.namespace === a.namespace && s.name === a.service);
        if (service && a.port !== undefined && service.ports.includes(a.port)) return { ...base, resolvesTo: `Service ${a.namespace}/${a.service} port ${a.port} (${service.madeBy})` };
        return { ...base, unresolved: service ? `Service ${a.namespace}/${a.service} has no port ${a.port ?? "(none given)"} (it has ${service.ports.join(", ")})` : `no Service ${a.namespace}/${a.service}` };
    }));
}
