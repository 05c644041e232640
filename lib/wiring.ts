/**
 * The wiring graph: every in-cluster address the stack's configuration names (release values,
 * custom resource specs), and the Service it resolves to, with the pods behind it. Pure: the
 * planner's wiring check and the program's network policies both read it, from the same renders.
 */
import { Manifest, ReleaseRequest, RenderedRelease } from "./helm/render";

/** A Service port: what clients dial, and the pod port (a number or a container port's name) it forwards to. */
export interface ServicePort {
    readonly name?: string;
    readonly port: number;
    readonly targetPort: number | string;
    readonly protocol: "TCP" | "UDP" | "SCTP";
}

/** A Service the stack will have, the pods it selects, and what makes it. */
export interface ServiceEndpoint {
    readonly namespace: string;
    readonly name: string;
    readonly ports: readonly ServicePort[];
    /** The pods behind it; undefined for a Service without a selector (its endpoints are managed elsewhere). */
    readonly selector?: Readonly<Record<string, string>>;
    /** The Service's own labels (what a ServiceMonitor selects it by). */
    readonly labels?: Readonly<Record<string, string>>;
    /** The release that renders it, where one does. */
    readonly release?: string;
    readonly madeBy: string;
}

export interface Address {
    /** The release or resource whose values or spec name it, and where: "grafana values datasources...url". */
    readonly usedBy: string;
    /** The release or resource (its name) whose pods dial it, or the caller outside the cluster (see `outside`). */
    readonly client: string;
    /**
     * Set where the caller has no pods in the cluster: a load balancer that an Ingress sends to
     * the pods directly (the ALB's target type ip). It enters from the VPC's subnets, not the mesh.
     */
    readonly outside?: { readonly ingressClass: string };
    /** The dotted path in its values or spec ("meshConfig.extensionProviders.0.zipkin.service"). */
    readonly path: string;
    readonly host: string;
    readonly port: number;
    /** The Service it reaches, when it resolves. */
    readonly service?: ServiceEndpoint;
    /** The pod port that Service port forwards to (a number, or a container port's name), when it resolves. */
    readonly targetPort?: number | string;
    /** "Service <ns>/<name> port <p> (rendered by <release>)", or why it cannot be resolved. */
    readonly resolvesTo?: string;
    readonly unresolved?: string;
}

/** A tree of values or a spec that may name addresses, and who it belongs to. */
export interface AddressSource {
    readonly client: string;
    readonly usedBy: string;
    readonly tree: unknown;
}

/** What Strimzi puts on its broker pods and selects them by: the cluster and the kind. */
export function kafkaBrokerLabels(cluster: string): Record<string, string> {
    return { "strimzi.io/cluster": cluster, "strimzi.io/kind": "Kafka" };
}

/** The labels the Prometheus operator selects the pods of a Prometheus or Alertmanager object by (prometheus-operator v0.93 makeSelectorLabels). */
export function prometheusOperatorPodLabels(kind: "Prometheus" | "Alertmanager", name: string): Record<string, string> {
    const server = kind.toLowerCase();
    return {
        "app.kubernetes.io/name": server,
        "app.kubernetes.io/managed-by": "prometheus-operator",
        "app.kubernetes.io/instance": name,
        [server]: name,
        ...(kind === "Prometheus" ? { "operator.prometheus.io/name": name } : {}),
    };
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

/** A rendered Service manifest as an endpoint. */
function serviceOf(m: Manifest, namespace: string, release: string): ServiceEndpoint {
    return {
        namespace: m.metadata.namespace ?? namespace,
        name: m.metadata.name,
        ports: (m.spec?.ports ?? []).map((p: any): ServicePort => ({ ...(p.name ? { name: String(p.name) } : {}), port: p.port, targetPort: p.targetPort ?? p.port, protocol: p.protocol ?? "TCP" })),
        ...(m.spec?.selector ? { selector: m.spec.selector } : {}),
        labels: m.metadata.labels ?? {},
        release,
        madeBy: `rendered by ${release}`,
    };
}

/**
 * The Services the stack will have: rendered ones, and those operators create from its custom
 * resources (the Prometheus operator's governing Services, Strimzi's bootstrap Service).
 */
export function serviceEndpoints(renders: Iterable<{ readonly request: ReleaseRequest; readonly rendered: RenderedRelease }>, kafkas: readonly { readonly inputs: Record<string, any> }[]): ServiceEndpoint[] {
    const found: ServiceEndpoint[] = [];
    for (const { request, rendered } of renders) {
        for (const m of rendered.manifests) {
            const namespace = m.metadata.namespace ?? request.namespace;
            if (m.kind === "Service") found.push(serviceOf(m, request.namespace, request.name));
            // The Prometheus operator fronts each Prometheus and Alertmanager with a governing Service.
            if (m.kind === "Prometheus" || m.kind === "Alertmanager") {
                const [service, port, portName] = m.kind === "Prometheus" ? ["prometheus-operated", 9090, "web"] : ["alertmanager-operated", 9093, "http-web"];
                found.push({ namespace, name: service, ports: [{ name: portName, port, targetPort: portName, protocol: "TCP" }], selector: { "app.kubernetes.io/name": m.kind.toLowerCase() }, madeBy: `the Prometheus operator, for ${m.kind} ${m.metadata.name}` });
            }
        }
    }
    for (const kafka of kafkas) {
        // Strimzi serves every listener of a Kafka cluster on its <name>-kafka-bootstrap Service.
        const name = String(kafka.inputs.metadata.name);
        found.push({
            namespace: kafka.inputs.metadata.namespace,
            name: `${name}-kafka-bootstrap`,
            ports: (kafka.inputs.spec?.kafka?.listeners ?? []).map((l: any): ServicePort => ({ name: `tcp-${l.name}`, port: l.port, targetPort: l.port, protocol: "TCP" })),
            // The brokers only (Strimzi 0.4x's bootstrap selector), not the Entity Operator that shares the cluster and kind labels.
            selector: { ...kafkaBrokerLabels(name), "strimzi.io/name": `${name}-kafka`, "strimzi.io/broker-role": "true" },
            madeBy: `Strimzi, for Kafka ${name}`,
        });
    }
    return found;
}

/** The caller behind an Ingress class: the load balancer the class's controller makes for it. */
export function loadBalancerOf(ingressClass: string): string {
    return `the load balancer of IngressClass ${ingressClass}`;
}

/**
 * Every backend the rendered Ingresses name, resolved: the load balancer their class stands for
 * dials the Service's pods (a port given by number or by the Service port's name).
 */
/** One path of a rendered Ingress: where it routes a host and path to. */
export interface IngressRoute {
    /** The Ingress object, as rendered. */
    readonly ingress: Manifest;
    readonly namespace: string;
    /** The release that rendered it. */
    readonly release: string;
    readonly ingressClass: string;
    readonly host: string;
    readonly path: string;
    /** Where in the Ingress: spec.rules.<i>.http.paths.<j>. */
    readonly at: string;
    /** The path's backend Service, if it names one: its name and port (number or name). */
    readonly backend?: { readonly name: string; readonly port?: { readonly number?: number; readonly name?: string } };
}

/** Every path of every Ingress the releases render. */
export function ingressRoutes(renders: Iterable<{ readonly request: ReleaseRequest; readonly rendered: RenderedRelease }>): IngressRoute[] {
    return [...renders].flatMap(({ request, rendered }) => rendered.manifests.filter((m) => m.kind === "Ingress").flatMap((m) =>
        (m.spec?.rules ?? []).flatMap((rule: any, i: number) => (rule.http?.paths ?? []).map((p: any, j: number): IngressRoute => ({
            ingress: m,
            namespace: m.metadata.namespace ?? request.namespace,
            release: request.name,
            ingressClass: String(m.spec?.ingressClassName ?? "(no class)"),
            host: rule.host,
            path: p.path,
            at: `spec.rules.${i}.http.paths.${j}`,
            backend: p.backend?.service,
        })))));
}

/** The address each Ingress path sends its load balancer's traffic to, resolved against the Services. */
export function ingressAddresses(renders: Iterable<{ readonly request: ReleaseRequest; readonly rendered: RenderedRelease }>, services: readonly ServiceEndpoint[]): Address[] {
    return ingressRoutes(renders).flatMap(({ ingress, namespace, release, ingressClass, at, backend }): Address[] => {
        if (!backend) return [];
        const path = `${at}.backend.service`;
        const service = services.find((s) => s.namespace === namespace && s.name === backend.name);
        const servicePort = service?.ports.find((sp) => (backend.port?.number !== undefined ? sp.port === backend.port.number : sp.name === backend.port?.name));
        const base = {
            usedBy: `Ingress ${namespace}/${ingress.metadata.name} (rendered by ${release}) ${path}`,
            client: loadBalancerOf(ingressClass),
            outside: { ingressClass },
            path,
            host: `${backend.name}.${namespace}.svc`,
            port: servicePort?.port ?? Number(backend.port?.number ?? 0),
        };
        return [service && servicePort
            ? { ...base, service, targetPort: servicePort.targetPort, resolvesTo: `Service ${namespace}/${backend.name} port ${servicePort.port} (${service.madeBy})` }
            : { ...base, unresolved: service ? `Service ${namespace}/${backend.name} has no port ${backend.port?.number ?? backend.port?.name}` : `no Service ${namespace}/${backend.name}` }];
    });
}

/** Resolves each address the sources name against the Services. */
export function resolveAddresses(sources: readonly AddressSource[], services: readonly ServiceEndpoint[]): Address[] {
    return sources.flatMap(({ client, usedBy, tree }) => findAddresses(tree).map((a): Address => {
        const base = { usedBy: `${usedBy} ${a.path}`, client, path: a.path, host: a.host, port: a.port ?? 0 };
        const service = services.find((s) => s.namespace === a.namespace && s.name === a.service);
        const servicePort = service?.ports.find((p) => p.port === a.port);
        if (service && servicePort) return { ...base, service, targetPort: servicePort.targetPort, resolvesTo: `Service ${a.namespace}/${a.service} port ${a.port} (${service.madeBy})` };
        return { ...base, unresolved: service ? `Service ${a.namespace}/${a.service} has no port ${a.port ?? "(none given)"} (it has ${service.ports.map((p) => p.port).join(", ")})` : `no Service ${a.namespace}/${a.service}` };
    }));
}
