/**
 * The in-cluster addresses the stack's own configuration names (Grafana datasources, Prometheus
 * remote write, the Kafka bootstrap of Mimir and Tempo, the mesh's tracing provider, Kiali's
 * backends, ...) and the Service each resolves to: one a release renders, or one an operator
 * creates from a declared custom resource. An address nothing serves is a wiring bug that every
 * other check misses: the pods start, and the data goes nowhere.
 */
import { DeclaredResource, WORKLOAD_TYPES, stackWorkloads } from "./workloads";

/** A declared resource or the engine's record of one: releases are named by their inputs, others by their metadata. */
type NamedResource = DeclaredResource & { readonly name?: string };

export interface Address {
    /** The release or resource whose values or spec name it, and where: "grafana values datasources...url". */
    readonly usedBy: string;
    /** The release or resource whose values or spec name it. */
    readonly source: string;
    /** The dotted path in those values or that spec. */
    readonly path: string;
    readonly host: string;
    readonly port: number;
    /** "Service <ns>/<name> port <p> (rendered by <release>)", or why it cannot be resolved. */
    readonly resolvesTo?: string;
    readonly unresolved?: string;
    /** Where a resolved address lands: the Service's namespace, pod selector and target port. */
    readonly target?: ServiceTarget;
}

/** The pods behind a Service port, as the Service addresses them. */
export interface ServiceTarget {
    readonly namespace: string;
    readonly service: string;
    readonly selector: Readonly<Record<string, string>>;
    /** The container port (a number, or a name the pods' containers declare). */
    readonly targetPort: number | string;
}

/** A Service an address may reach, and what makes it. */
interface Endpoint {
    readonly namespace: string;
    readonly name: string;
    readonly ports: readonly number[];
    readonly madeBy: string;
    readonly selector: Readonly<Record<string, string>>;
    /** Each port's target port. */
    readonly targetPorts: ReadonlyMap<number, number | string>;
}

const samePorts = (ports: readonly number[]) => new Map(ports.map((p) => [p, p] as const));

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
function endpoints(resources: readonly NamedResource[]): Endpoint[] {
    const found: Endpoint[] = [];
    for (const { request, rendered } of stackWorkloads(resources).renders.values()) {
        for (const m of rendered.manifests) {
            const namespace = m.metadata.namespace ?? request.namespace;
            if (m.kind === "Service") {
                const ports: any[] = m.spec?.ports ?? [];
                found.push({ namespace, name: m.metadata.name, ports: ports.map((p) => p.port), madeBy: `rendered by ${request.name}`, selector: m.spec?.selector ?? {}, targetPorts: new Map(ports.map((p) => [p.port, p.targetPort ?? p.port])) });
            }
            // The Prometheus operator fronts each Prometheus and Alertmanager with a governing
            // Service that selects its pods by their name label (prometheus-operator v0.93).
            if (m.kind === "Prometheus") found.push({ namespace, name: "prometheus-operated", ports: [9090], madeBy: `the Prometheus operator, for Prometheus ${m.metadata.name}`, selector: { "app.kubernetes.io/name": "prometheus" }, targetPorts: samePorts([9090]) });
            if (m.kind === "Alertmanager") found.push({ namespace, name: "alertmanager-operated", ports: [9093], madeBy: `the Prometheus operator, for Alertmanager ${m.metadata.name}`, selector: { "app.kubernetes.io/name": "alertmanager" }, targetPorts: samePorts([9093]) });
        }
    }
    for (const kafka of resources.filter((r) => r.type === WORKLOAD_TYPES.kafka)) {
        // Strimzi serves every listener of a Kafka cluster on its <name>-kafka-bootstrap Service, in front of the brokers.
        const name = kafka.inputs.metadata.name;
        const ports: number[] = (kafka.inputs.spec?.kafka?.listeners ?? []).map((l: any) => l.port);
        found.push({ namespace: kafka.inputs.metadata.namespace, name: `${name}-kafka-bootstrap`, ports, madeBy: `Strimzi, for Kafka ${name}`, selector: { "strimzi.io/cluster": name, "strimzi.io/kind": "Kafka", "strimzi.io/broker-role": "true" }, targetPorts: samePorts(ports) });
    }
    return found;
}

/** A resource's name: a release's own, or else the metadata name (the engine's record has both). */
function nameOf(r: NamedResource): string {
    return r.type === WORKLOAD_TYPES.release ? String(r.inputs.name) : r.name ?? String(r.inputs.metadata?.name);
}

/** Every in-cluster address in release values and custom resource specs, with what it resolves to. */
export function wiring(resources: readonly NamedResource[]): Address[] {
    const services = endpoints(resources);
    const sources = resources.flatMap((r) => r.type === WORKLOAD_TYPES.release
        ? [{ source: nameOf(r), usedBy: `${nameOf(r)} values`, tree: r.inputs.values }]
        : r.type.startsWith("kubernetes:") && r.inputs.spec ? [{ source: nameOf(r), usedBy: `${nameOf(r)} spec`, tree: r.inputs.spec }] : []);
    return sources.flatMap(({ source, usedBy, tree }) => findAddresses(tree).map((a): Address => {
        const base = { usedBy: `${usedBy} ${a.path}`, source, path: a.path, host: a.host, port: a.port ?? 0 };
        const service = services.find((s) => s.namespace === a.namespace && s.name === a.service);
        if (service && a.port !== undefined && service.ports.includes(a.port)) {
            const target = { namespace: a.namespace, service: a.service, selector: service.selector, targetPort: service.targetPorts.get(a.port)! };
            return { ...base, resolvesTo: `Service ${a.namespace}/${a.service} port ${a.port} (${service.madeBy})`, target };
        }
        return { ...base, unresolved: service ? `Service ${a.namespace}/${a.service} has no port ${a.port ?? "(none given)"} (it has ${service.ports.join(", ")})` : `no Service ${a.namespace}/${a.service}` };
    }));
}
