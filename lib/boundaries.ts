/**
 * The in-cluster boundaries, generated: for every platform namespace a default-deny NetworkPolicy
 * (ingress and egress), and allow rules drawn from what the stack is proven to need. Ingress: each
 * wiring edge (the clients of an address → the pods behind its Service, on that port only), a
 * release's own Services to its own pods, every Prometheus scrape (ServiceMonitor and PodMonitor
 * targets), admission webhooks called by the API server, istiod's xDS for the mesh's proxies,
 * Strimzi's broker-to-broker and operator ports, and kubelet probes. Egress: anything on the pod
 * network (each receiver's ingress policy decides), and HTTPS anywhere (AWS APIs and registries
 * through NAT, the VPC's endpoints, the API server): nodes, databases and the internet on any other
 * port stay closed but for the named exceptions: Prometheus to node-level scrape ports, Grafana to
 * its database. Pure: the
 * program declares what this returns, and the tests evaluate it with lib/network-policy.ts.
 */
import { sortedJson } from "./json";
import { IngressRule, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, Protocol, selects } from "./network-policy";
import { Address, kafkaBrokerLabels, ServiceEndpoint, ServicePort } from "./wiring";
import { Workload } from "./workloads";

/** The namespace label that puts a namespace in Istio's ambient mesh (set by the mesh component). */
export const AMBIENT_LABEL = { key: "istio.io/dataplane-mode", value: "ambient" } as const;
/** ztunnel's HBONE port: in an ambient namespace every admitted client also arrives on it. */
export const HBONE_PORT = 15008;
/** Where kubelet probes come from in an ambient namespace (istio-cni rewrites their source). */
export const AMBIENT_PROBE_SOURCE = "169.254.7.127/32";
/** istiod's xDS and CA port, which every proxy of the mesh dials. */
export const ISTIOD_XDS_PORT = 15012;
/** The kubelet's metrics port, which Prometheus scrapes on every node. */
export const KUBELET_PORT = 10250;

export interface BoundaryNamespace {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

export interface Monitor {
    readonly kind: "ServiceMonitor" | "PodMonitor";
    readonly namespace: string;
    readonly name: string;
    readonly spec: Record<string, any>;
}

export interface BoundaryInputs {
    /** The namespaces the platform creates: each gets the default-deny and its allow rules. */
    readonly namespaces: readonly BoundaryNamespace[];
    /** Everything that runs, rendered or operator-made (components/helm/workloads.ts). */
    readonly workloads: readonly Workload[];
    readonly services: readonly ServiceEndpoint[];
    /** The wiring graph (lib/wiring.ts). */
    readonly wiring: readonly Address[];
    readonly monitors: readonly Monitor[];
    /** The Services admission webhooks name: the API server calls them. */
    readonly webhooks: readonly { readonly namespace: string; readonly name: string; readonly port: number }[];
    readonly kafkaClusters: readonly { readonly namespace: string; readonly name: string }[];
    /** The VPC's primary range: nodes, the API server's endpoints, AWS endpoints, databases. */
    readonly vpcCidr: string;
    /** Databases in the VPC and the release whose pods alone may reach them. */
    readonly databases: readonly { readonly client: string; readonly port: number; readonly name: string }[];
}

/** What makes a flow legitimate. */
export type EdgeKind = "wiring" | "own" | "scrape" | "webhook" | "mesh" | "operator" | "probe" | "egress";

/** One allowed flow, for the README's table. */
export interface BoundaryEdge {
    readonly kind: EdgeKind;
    readonly to: string;
    readonly from: string;
    readonly ports: string;
    readonly why: string;
}

export interface Boundaries {
    readonly policies: NetworkPolicy[];
    readonly edges: BoundaryEdge[];
    /** Wiring edges no policy could be drawn for, and why (an address that does not resolve, a client without labels). */
    readonly gaps: string[];
}

const nameSelector = (namespace: string): LabelSelector => ({ matchLabels: { "kubernetes.io/metadata.name": namespace } });

/** Template labels that name a chart or app version, and so change with every upgrade. */
const VERSION_LABELS = new Set(["helm.sh/chart", "chart", "app.kubernetes.io/version", "version"]);

/**
 * The labels that pick out a workload's pods: its controller's selector, which stays the same
 * across chart upgrades (a policy on version labels would refuse the old pods while the new ones
 * roll out), or else its pod template's labels without the version ones (Jobs have no selector).
 */
function podsOf(w: Workload): LabelSelector {
    return { matchLabels: w.selectorLabels ? { ...w.selectorLabels } : Object.fromEntries(Object.entries(w.podLabels).filter(([key]) => !VERSION_LABELS.has(key))) };
}

/** A peer selecting a workload's pods: its namespace and its pods' labels. */
function workloadPeer(w: Workload): PolicyPeer {
    return { namespaceSelector: nameSelector(w.namespace), podSelector: podsOf(w) };
}

const selectable = (w: Workload) => !w.hostNetwork && Object.keys(w.podLabels).length > 0 && w.containers.length > 0;

function portOf(p: ServicePort): PolicyPort {
    return { protocol: p.protocol, port: p.targetPort };
}

const describePorts = (ports: readonly PolicyPort[]) => ports.map((p) => `${p.port}${p.protocol && p.protocol !== "TCP" ? `/${p.protocol}` : ""}`).join(", ");

/** Probe ports of a pod spec: where the kubelet connects. */
function probePorts(spec: Readonly<Record<string, any>> | undefined): PolicyPort[] {
    const ports = new Map<string, PolicyPort>();
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? []).filter((i: any) => i.restartPolicy === "Always")]) {
        for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
            const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
            if (port !== undefined) ports.set(String(port), { protocol: "TCP", port });
        }
    }
    return [...ports.values()];
}

/** A container port of a workload by name or number, as a number. */
function numericPort(w: Workload, port: number | string): number | undefined {
    if (typeof port === "number") return port;
    for (const c of w.podSpec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === port) return p.containerPort;
    return undefined;
}

interface Target {
    readonly namespace: string;
    readonly name: string;
    readonly podSelector: LabelSelector;
    readonly rules: { from: PolicyPeer[]; ports: PolicyPort[]; why: string; clients: string; kind: EdgeKind }[];
}

/** Generates the policies and the table of allowed flows (see the module comment). */
export function generateBoundaries(inputs: BoundaryInputs): Boundaries {
    const platform = new Set(inputs.namespaces.map((n) => n.name));
    const ambient = new Set(inputs.namespaces.filter((n) => n.labels[AMBIENT_LABEL.key] === AMBIENT_LABEL.value).map((n) => n.name));
    const targets = new Map<string, Target>();
    const egress = new Map<string, { namespace: string; name: string; client: string; podSelector: LabelSelector; rules: { ports: PolicyPort[]; why: string }[] }>();
    const gaps: string[] = [];
    const pods = inputs.workloads.filter(selectable);
    const ofRelease = (release: string) => pods.filter((w) => w.source === release);
    const podsBehind = new Map<ServiceEndpoint, Workload[]>();
    const behind = (s: ServiceEndpoint) => {
        let found = podsBehind.get(s);
        if (!found) podsBehind.set(s, (found = inputs.workloads.filter((w) => w.namespace === s.namespace && s.selector && selects({ matchLabels: s.selector }, w.podLabels))));
        return found;
    };

    const admit = (kind: EdgeKind, namespace: string, name: string, podSelector: LabelSelector, clients: readonly Workload[] | PolicyPeer, ports: PolicyPort[], why: string, label?: string) => {
        if (!platform.has(namespace)) return;
        const from = Array.isArray(clients) ? (clients as Workload[]).map(workloadPeer) : [clients as PolicyPeer];
        if (from.length === 0 || ports.length === 0) return;
        const key = `${namespace}/${name}`;
        const target = targets.get(key) ?? { namespace, name, podSelector, rules: [] };
        const names = label ?? [...new Set((clients as Workload[]).map((w) => `${w.namespace}/${w.source}`))].join(", ");
        const rule = { from: uniqueJson(from), ports: uniqueJson(ports) };
        if (!target.rules.some((r) => JSON.stringify([r.from, r.ports]) === JSON.stringify([rule.from, rule.ports]))) target.rules.push({ ...rule, why, clients: names, kind });
        targets.set(key, target);
    };
    const allowOut = (w: Workload, ports: PolicyPort[], why: string) => {
        const key = `${w.namespace}/${w.name}`;
        const entry = egress.get(key) ?? { namespace: w.namespace, name: w.name, client: `${w.namespace}/${w.source}`, podSelector: podsOf(w), rules: [] };
        entry.rules.push({ ports, why });
        egress.set(key, entry);
    };

    // The proxies of the mesh: sidecars, and the mesh's own node and gateway agents beside istiod.
    const meshProxies = pods.filter((w) => w.containers.some((c) => c.name === "istio-proxy") || (w.namespace === inputs.services.find((s) => s.name === "istiod")?.namespace && w.name !== "istiod"));

    for (const a of inputs.wiring.filter((x) => x.unresolved)) gaps.push(`${a.usedBy}: ${a.unresolved}`);
    for (const s of inputs.services.filter((x) => x.selector && platform.has(x.namespace))) {
        const target = (suffix = "") => [s.namespace, `${s.name}${suffix}`, { matchLabels: { ...s.selector! } }] as const;
        const served = behind(s);
        if (s.release && served.some((w) => !w.hostNetwork)) admit("own", ...target(), ofRelease(s.release), s.ports.map(portOf), `${s.release}'s own components talk to each other`);
        for (const edge of inputs.wiring.filter((a) => a.service?.namespace === s.namespace && a.service.name === s.name)) {
            const port = s.ports.find((p) => p.port === edge.port)!;
            // A load balancer outside the cluster sends from its addresses in the VPC's subnets (ip targets).
            if (edge.outside) {
                admit("wiring", ...target(), { ipBlock: { cidr: inputs.vpcCidr } }, [portOf(port)], edge.usedBy, `${edge.client} (the VPC's subnets, ${inputs.vpcCidr})`);
                continue;
            }
            // The mesh's tracing provider is dialled by every proxy, not by istiod.
            const clients = /extensionProviders/.test(edge.usedBy) ? meshProxies : ofRelease(edge.client);
            if (clients.length === 0) gaps.push(`${edge.usedBy}: no pods of ${edge.client} with labels to admit`);
            admit("wiring", ...target(), clients, [portOf(port)], edge.usedBy);
        }
        for (const hook of inputs.webhooks.filter((h) => h.namespace === s.namespace && h.name === s.name)) {
            const port = s.ports.find((p) => p.port === hook.port);
            if (port) admit("webhook", ...target(), { ipBlock: { cidr: inputs.vpcCidr } }, [portOf(port)], "admission webhook called by the API server", "the API server (VPC)");
        }
        if (s.name === "istiod") {
            const xds = s.ports.find((p) => p.port === ISTIOD_XDS_PORT);
            if (xds) admit("mesh", ...target(), meshProxies, [portOf(xds)], "the mesh's proxies fetch configuration and certificates from istiod");
        }
    }

    // Strimzi: brokers replicate to each other, the cluster operator administers them, and the
    // Entity Operator reaches them on the replication listener to manage topics and users' ACLs.
    for (const kafka of inputs.kafkaClusters) {
        const brokers = kafkaBrokerLabels(kafka.name);
        const clients = pods.filter((w) => (w.namespace === kafka.namespace && selects({ matchLabels: brokers }, w.podLabels)) || w.podLabels["strimzi.io/kind"] === "cluster-operator");
        admit("operator", kafka.namespace, `${kafka.name}-kafka-internal`, { matchLabels: brokers }, clients, [{ protocol: "TCP", port: "tcp-ctrlplane" }, { protocol: "TCP", port: "tcp-replication" }], "Strimzi: brokers and controllers replicate to each other; the operator administers them");
        const entityOperator = pods.filter((w) => w.namespace === kafka.namespace && w.podLabels["strimzi.io/name"] === `${kafka.name}-entity-operator`);
        if (entityOperator.length > 0) admit("operator", kafka.namespace, `${kafka.name}-entity-operator`, { matchLabels: brokers }, entityOperator, [{ protocol: "TCP", port: "tcp-replication" }], "Strimzi's Entity Operator turns KafkaTopics and KafkaUsers into topics and ACLs over the replication listener");
    }

    // Prometheus scrapes every target its monitors select.
    const prometheus = pods.filter((w) => w.origin === "operator" && w.podLabels["app.kubernetes.io/name"] === "prometheus");
    const inScope = (m: Monitor, namespace: string) => m.spec.namespaceSelector?.any === true || (m.spec.namespaceSelector?.matchNames ?? [m.namespace]).includes(namespace);
    for (const m of inputs.monitors) {
        const selector: LabelSelector = m.spec.selector ?? {};
        if (m.kind === "ServiceMonitor") {
            const services = inputs.services.filter((s) => inScope(m, s.namespace) && selects(selector, s.labels ?? {}));
            if (services.length === 0 && selector.matchLabels?.["k8s-app"] === "kubelet") {
                for (const p of prometheus) allowOut(p, [{ protocol: "TCP", port: KUBELET_PORT }], `scrape: ${m.name} (the kubelet on every node)`);
            }
            for (const s of services) {
                for (const endpoint of m.spec.endpoints ?? []) {
                    const port = s.ports.find((p) => p.name === endpoint.port) ?? s.ports.find((p) => p.targetPort === endpoint.targetPort);
                    if (!port) continue;
                    const hosts = behind(s).filter((w) => w.hostNetwork);
                    for (const host of hosts) {
                        const number = numericPort(host, port.targetPort);
                        if (number !== undefined) for (const p of prometheus) allowOut(p, [{ protocol: "TCP", port: number }], `scrape: ${m.name} (on the node's network)`);
                    }
                    if (hosts.length === 0 && s.selector) admit("scrape", s.namespace, `${s.name}-scrape`, { matchLabels: { ...s.selector } }, prometheus, [portOf(port)], `scrape: ServiceMonitor ${m.namespace}/${m.name}`);
                }
            }
        } else {
            for (const namespace of platform) {
                if (!inScope(m, namespace)) continue;
                for (const endpoint of m.spec.podMetricsEndpoints ?? []) {
                    const scraped = pods.filter((w) => w.namespace === namespace && selects(selector, w.podLabels) && numericPort(w, endpoint.port) !== undefined);
                    if (scraped.length > 0) admit("scrape", namespace, `${m.name}-scrape`, selector, prometheus, [{ protocol: "TCP", port: endpoint.port }], `scrape: PodMonitor ${m.namespace}/${m.name}`);
                }
            }
        }
    }

    // The kubelet probes every pod from its node (in an ambient namespace, from istio-cni's address).
    for (const w of inputs.workloads.filter((x) => platform.has(x.namespace) && selectable(x))) {
        const ports = probePorts(w.podSpec);
        const source = ambient.has(w.namespace) ? AMBIENT_PROBE_SOURCE : inputs.vpcCidr;
        if (ports.length > 0) admit("probe", w.namespace, `${w.name}-probes`, podsOf(w), { ipBlock: { cidr: source } }, ports, "kubelet probes", `the kubelet (${source})`);
    }

    for (const db of inputs.databases) {
        const clients = inputs.databases.filter((other) => other.name === db.name).map((other) => other.client);
        for (const w of ofRelease(db.client)) allowOut(w, [{ protocol: "TCP", port: db.port }], `${db.name}: reachable from ${clients.join(" and ")} alone`);
    }

    const policies: NetworkPolicy[] = [];
    const edges: BoundaryEdge[] = [];
    for (const ns of [...platform].sort()) {
        policies.push({ metadata: { name: "default-deny", namespace: ns }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
        policies.push({
            metadata: { name: "egress", namespace: ns },
            spec: {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    // Every pod of the cluster, and the Service addresses in front of them (DNS
                    // included): each receiver's own ingress policy decides.
                    { to: [{ namespaceSelector: {} }] },
                    // HTTPS anywhere: AWS APIs and registries through NAT, the VPC's interface
                    // endpoints and the API server. Nodes and databases stay closed on every other port.
                    { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] },
                ],
            },
        });
        edges.push({ kind: "egress", to: "every pod, and anywhere on 443", from: `any pod in ${ns}`, ports: "any to pods, 443 elsewhere", why: "pods: their own ingress policy decides; 443: AWS APIs and registries through NAT, the VPC's endpoints, the API server" });
    }
    // One policy per set of pods: the targets that select the same pods (a Service, its scrape and its
    // probes) share one, holding all their rules. Policies add up, so this admits exactly what one
    // policy per target would, with fewer objects to declare and for the agent to program.
    const bySelector = new Map<string, { namespace: string; names: string[]; podSelector: LabelSelector; ingress: IngressRule[] }>();
    for (const t of [...targets.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))) {
        const hbone = ambient.has(t.namespace);
        const rules = [...t.rules].sort((a, b) => JSON.stringify([a.from, a.ports]).localeCompare(JSON.stringify([b.from, b.ports])));
        const ingress: IngressRule[] = rules.map((r) => ({
            from: r.from,
            ports: hbone && r.from.some((p) => !p.ipBlock) ? uniqueJson([...r.ports, { protocol: "TCP" as Protocol, port: HBONE_PORT }]) : r.ports,
        }));
        const key = `${t.namespace} ${sortedJson(t.podSelector)}`;
        const group = bySelector.get(key) ?? { namespace: t.namespace, names: [], podSelector: t.podSelector, ingress: [] };
        group.names.push(t.name);
        group.ingress.push(...ingress);
        bySelector.set(key, group);
        for (const [i, r] of rules.entries()) edges.push({ kind: r.kind, to: `${t.namespace}/${t.name}`, from: r.clients, ports: describePorts(ingress[i].ports ?? []), why: r.why });
    }
    // Named after the first of its targets by name: the Service where there is one (loki-read before loki-read-probes).
    for (const g of [...bySelector.values()].map((x) => ({ ...x, name: `allow-${[...x.names].sort()[0]}` })).sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))) {
        policies.push({ metadata: { name: g.name, namespace: g.namespace }, spec: { podSelector: g.podSelector, policyTypes: ["Ingress"], ingress: uniqueJson(g.ingress) } });
    }
    for (const e of [...egress.values()].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))) {
        const ports = uniqueJson(e.rules.flatMap((r) => r.ports));
        policies.push({ metadata: { name: `egress-${e.name}`, namespace: e.namespace }, spec: { podSelector: e.podSelector, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: inputs.vpcCidr } }], ports }] } });
        edges.push({ kind: "egress", to: `the VPC's hosts (${inputs.vpcCidr})`, from: e.client, ports: describePorts(ports), why: [...new Set(e.rules.map((r) => r.why))].join("; ") });
    }
    return { policies, edges, gaps: [...new Set(gaps)] };
}

/** Distinct items in a stable order (by their JSON), so that the output does not depend on the order resources were declared in. */
function uniqueJson<T>(items: readonly T[]): T[] {
    const seen = new Map<string, T>();
    for (const item of items) seen.set(JSON.stringify(item), item);
    return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, item]) => item);
}

/**
 * The README's table of what may talk to what: every flow between releases (wiring, webhooks, the
 * mesh, operators, egress exceptions) one row each, and the flows within a release, the scrapes and
 * the probes one summary row each. `prefix` (the stack's resource name prefix) is left out of names.
 */
export function boundaryTable(boundaries: Boundaries, prefix: string): string {
    const short = (text: string) => text.split(prefix).join("");
    const detailed = boundaries.edges.filter((e) => !["own", "scrape", "probe"].includes(e.kind) && !(e.kind === "egress" && e.from.startsWith("any pod")));
    const count = (kind: EdgeKind) => boundaries.edges.filter((e) => e.kind === kind).length;
    const namespaces = boundaries.edges.filter((e) => e.kind === "egress" && e.from.startsWith("any pod")).length;
    const rows = [
        ...detailed.map((e) => [e.kind, short(e.from), short(e.to), e.ports, short(e.why)]),
        ["own", "each release's pods", "the same release's Services", "their target ports", `${count("own")} rules: a chart's components talk to each other`],
        ["scrape", "Prometheus", "every ServiceMonitor and PodMonitor target", "the monitored port", `${count("scrape")} rules, plus the node-level exporters above`],
        ["probe", "the kubelet (the VPC; 169.254.7.127 in ambient namespaces)", "every pod with a probe", "the probed ports", `${count("probe")} rules`],
        ["egress", `any pod of the ${namespaces} platform namespaces`, "every pod; anywhere on 443", "any to pods, 443 elsewhere", "pods: each receiver's ingress policy decides; 443: AWS APIs and registries through NAT, the VPC's endpoints, the API server; nodes, databases and the internet on any other port stay closed"],
    ];
    return ["| kind | from | to | ports | why |", "|---|---|---|---|---|", ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`)].join("\n");
}
