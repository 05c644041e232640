/**
 * Who may call whom inside the mesh, drawn from the wiring graph (AC-3, AC-4, IA-3, SC-8): for each
 * meshed namespace an allow-nothing default, and for each meshed workload an ALLOW policy naming
 * the service accounts of its proven callers and the ports they call. The same graph tells, for
 * every hop, how it is encrypted and authenticated. Pure functions of the declared and rendered
 * stack; components/security/index.ts declares the results as Kubernetes resources.
 */
import { Manifest } from "../../lib/helm/render";
import { ContainerPort, serviceAccountOf, Workload, workloadPorts } from "../../lib/workloads";
import { Address } from "../../lib/wiring";
import { AMBIENT_LABEL, Dataplane, MESH_MEMBERSHIP, MTLS_EXCEPTION_ANNOTATION, SIDECAR_LABEL } from "./mesh";

/** Istio's default trust domain: a workload's identity is spiffe://cluster.local/ns/<ns>/sa/<sa>. */
export const TRUST_DOMAIN = "cluster.local";

/**
 * A service account as an AuthorizationPolicy names it: the SPIFFE identity without its
 * `spiffe://` scheme, which Istio's principals field leaves out.
 */
export function principal(namespace: string, serviceAccount: string): string {
    return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** A namespace the stack creates, with the dataplane its labels put it in. */
export interface MeshNamespace {
    readonly name: string;
    readonly dataplane: Dataplane;
}

/** The dataplane a declared Namespace's labels put its pods in. */
export function dataplaneOfLabels(labels: Readonly<Record<string, string>> | undefined): Dataplane {
    if (labels?.[Object.keys(AMBIENT_LABEL)[0]] === Object.values(AMBIENT_LABEL)[0]) return "ambient";
    if (labels?.[Object.keys(SIDECAR_LABEL)[0]] === Object.values(SIDECAR_LABEL)[0]) return "sidecar";
    return "none";
}

/** An admission webhook the API server calls: the Service it names and the pods behind it. */
export interface WebhookTarget {
    readonly webhook: string;
    readonly namespace: string;
    readonly service: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly targetPort: number | string;
}

/** Every admission webhook the rendered releases register, resolved to the Service's pods and target port (manifests of the whole stack: a webhook may name another release's Service). */
export function admissionWebhooks(manifests: readonly Manifest[]): WebhookTarget[] {
    const services = manifests.filter((m) => m.kind === "Service");
    return manifests.filter((m) => /^(Validating|Mutating)WebhookConfiguration$/.test(m.kind)).flatMap((m) => (m.webhooks ?? []).flatMap((w: any) => {
        const ref = w.clientConfig?.service;
        if (!ref) return [];
        const service = services.find((s) => s.metadata.name === ref.name && (s.metadata.namespace ?? ref.namespace) === ref.namespace);
        const port = service?.spec?.ports?.find((p: any) => p.port === (ref.port ?? 443));
        if (!service || !port) throw new Error(`Webhook ${w.name} names Service ${ref.namespace}/${ref.name} port ${ref.port ?? 443}, which no rendered manifest serves`);
        return [{ webhook: w.name, namespace: ref.namespace, service: ref.name, selector: service.spec.selector ?? {}, targetPort: port.targetPort ?? port.port }];
    }));
}

const selects = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) =>
    Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** A Service's target port on one workload's pods: the number, or the container port of that name. */
function resolvePort(targetPort: number | string, ports: readonly ContainerPort[]): number | undefined {
    return typeof targetPort === "number" ? targetPort : ports.find((p) => p.name === targetPort)?.port;
}

/** The pods that make the calls an address stands for. */
function clientsOf(address: Address, workloads: readonly Workload[], namespaces: readonly MeshNamespace[]): Workload[] {
    // The mesh's tracing provider is in istiod's values, but the sidecars are what send the spans.
    if (address.path.startsWith("meshConfig.")) {
        const sidecars = new Set(namespaces.filter((n) => n.dataplane === "sidecar").map((n) => n.name));
        return workloads.filter((w) => sidecars.has(w.namespace) && !w.hostNetwork && w.containers.length > 0);
    }
    return workloads.filter((w) => w.source === address.client && w.containers.length > 0 && !w.hostNetwork);
}

/** A source as a rule names it: the service account's principal, or its namespace where a model does not know the account. */
function sourceOf(w: Workload): { principal?: string; namespace?: string } {
    const account = serviceAccountOf(w);
    return account ? { principal: principal(w.namespace, account) } : { namespace: w.namespace };
}

interface Rule {
    readonly from?: { readonly principals?: string[]; readonly namespaces?: string[]; readonly ipBlocks?: string[] };
    readonly ports?: number[];
}

function ruleSpec(rule: Rule): Record<string, unknown> {
    return {
        ...(rule.from ? { from: [{ source: rule.from }] } : {}),
        ...(rule.ports ? { to: [{ operation: { ports: rule.ports.map(String) } }] } : {}),
    };
}

function fromSources(sources: readonly Workload[]): Rule["from"] {
    const principals = [...new Set(sources.map(sourceOf).flatMap((s) => (s.principal ? [s.principal] : [])))].sort();
    const namespaces = [...new Set(sources.map(sourceOf).flatMap((s) => (s.namespace ? [s.namespace] : [])))].sort();
    return { ...(principals.length ? { principals } : {}), ...(namespaces.length ? { namespaces } : {}) };
}

/** Whether a workload is a Prometheus server the operator runs: its scrapes reach every meshed pod. */
const isPrometheus = (w: Workload) => w.podLabels["app.kubernetes.io/name"] === "prometheus" && w.podLabels["app.kubernetes.io/managed-by"] === "prometheus-operator";

export interface MeshPolicyInput {
    /** The namespaces the stack creates, each with its dataplane. */
    readonly namespaces: readonly MeshNamespace[];
    /** Everything the stack runs (rendered, operator-made and modelled), sidecars included. */
    readonly workloads: readonly Workload[];
    /** The wiring graph: every address the stack's values and specs name. */
    readonly edges: readonly Address[];
    /** The admission webhooks the releases register. */
    readonly webhooks: readonly WebhookTarget[];
    /** The VPC's primary range: where a load balancer outside the cluster calls an Ingress backend from. */
    readonly vpcCidr?: string;
}

/** An Istio security object in a namespace. */
export interface MeshPolicy {
    readonly apiVersion: "security.istio.io/v1";
    readonly kind: "AuthorizationPolicy" | "PeerAuthentication";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations?: Readonly<Record<string, string>> };
    readonly spec: Record<string, any>;
}

export interface MeshPolicies {
    readonly authorizationPolicies: MeshPolicy[];
    /** Per-port PERMISSIVE exceptions to the mesh-wide STRICT mode, for callers outside the mesh. */
    readonly peerAuthentications: MeshPolicy[];
}

const policy = (kind: MeshPolicy["kind"], name: string, namespace: string, spec: Record<string, unknown>, annotations?: Record<string, string>): MeshPolicy =>
    ({ apiVersion: "security.istio.io/v1", kind, metadata: { name, namespace, ...(annotations ? { annotations } : {}) }, spec });

/**
 * The mesh's authorization, generated: in every meshed namespace an allow-nothing policy, and for
 * every meshed workload that declares a port an ALLOW policy with one rule per kind of caller:
 *  - the release's own pods, on any port (a chart's internal hops: memberlist, gRPC between its
 *    components, a gateway to its backends, brokers replicating; none of them is in values), and
 *    for pods an operator makes, the operator;
 *  - each wiring edge whose Service selects the workload, from the service accounts of the pods
 *    of the release that names the address, on the Service's target port;
 *  - Strimzi's Entity Operator, on the brokers' replication listener (topics and ACLs);
 *  - Prometheus' service account, on the ports the pods declare (its scrapes);
 *  - any caller on an admission webhook's port: the API server has no mesh identity, so the port
 *    is PERMISSIVE too, and the webhook's own TLS (its chart's CA) protects it.
 * Kubelet probes need no rule: istio-cni exempts them (from 169.254.7.127) in ambient mode, and
 * sidecars answer them on their own port. istiod is called, never calls: no rule.
 */
export function meshPolicies(input: MeshPolicyInput): MeshPolicies {
    const meshed = input.namespaces.filter((n) => n.dataplane !== "none");
    const prometheus = input.workloads.filter(isPrometheus);
    const authorizationPolicies: MeshPolicy[] = [];
    const peerAuthentications: MeshPolicy[] = [];
    for (const namespace of meshed) {
        authorizationPolicies.push(policy("AuthorizationPolicy", "allow-nothing", namespace.name, {}));
        const local = input.workloads.filter((w) => w.namespace === namespace.name && !w.hostNetwork && w.containers.length > 0);
        // A pod that declares no port serves nothing (Jobs, the event collector): allow-nothing covers it.
        for (const w of local.filter((x) => workloadPorts(x).length > 0)) {
            const ports = workloadPorts(w);
            // Select by the controller's selector, which an upgrade keeps, so that the old pods stay admitted during a rollout.
            const podSelector = w.selectorLabels ?? w.podLabels;
            if (Object.keys(podSelector).length === 0) throw new Error(`${w.kind} ${w.namespace}/${w.name} serves ports ${ports.map((p) => p.port).join(", ")} but its pods carry no labels an AuthorizationPolicy could select`);
            const rules: Rule[] = [];
            // The release's own pods; for pods an operator makes, the operator too (its rendered
            // workloads of the same component beside them: Strimzi's reconciling the brokers).
            const own = input.workloads.filter((x) => x.containers.length > 0 && !x.hostNetwork && (x.source === w.source
                || (w.origin === "operator" && x.origin === "render" && x.component === w.component && x.namespace === w.namespace)));
            rules.push({ from: fromSources(own) });
            const fromOutside: { port: number; edge: Address }[] = [];
            for (const edge of input.edges) {
                if (!edge.service?.selector || edge.service.namespace !== namespace.name || !selects(edge.service.selector, w.podLabels)) continue;
                const port = resolvePort(edge.targetPort!, ports);
                if (port === undefined) throw new Error(`${edge.usedBy}: Service ${edge.service.namespace}/${edge.service.name} targets port ${edge.targetPort}, which ${w.kind} ${w.namespace}/${w.name} does not declare`);
                if (edge.outside) fromOutside.push({ port, edge });
                else rules.push({ from: fromSources(clientsOf(edge, input.workloads, input.namespaces)), ports: [port] });
            }
            // A load balancer has no mesh identity: its port admits the VPC's addresses, in plaintext (see edgeProtection).
            if (fromOutside.length > 0) {
                if (!input.vpcCidr) throw new Error(`${fromOutside[0].edge.usedBy}: a caller outside the cluster, but no VPC range to admit it from`);
                const outsidePorts = [...new Set(fromOutside.map((o) => o.port))].sort((a, b) => a - b);
                rules.push({ from: { ipBlocks: [input.vpcCidr] }, ports: outsidePorts });
                peerAuthentications.push(policy("PeerAuthentication", `${w.name}-load-balancer`, namespace.name, {
                    selector: { matchLabels: { ...podSelector } },
                    mtls: { mode: "STRICT" },
                    portLevelMtls: Object.fromEntries(outsidePorts.map((p) => [String(p), { mode: "PERMISSIVE" }])),
                }, { [MTLS_EXCEPTION_ANNOTATION]: `${[...new Set(fromOutside.map((o) => o.edge.client))].join(", ")}, outside the mesh, forwards the HTTPS it terminates to port ${outsidePorts.join(", ")} from the VPC's addresses (${input.vpcCidr}) alone` }));
            }
            // Strimzi's Entity Operator turns KafkaTopics and KafkaUsers into topics and ACLs over the brokers' replication listener, and nothing else.
            const cluster = w.podLabels["strimzi.io/cluster"];
            const replication = ports.find((p) => p.name === "tcp-replication");
            const entityOperator = input.workloads.filter((x) => x.namespace === w.namespace && x.podLabels["strimzi.io/name"] === `${cluster}-entity-operator`);
            if (cluster && w.podLabels["strimzi.io/name"] === `${cluster}-kafka` && replication && entityOperator.length > 0) rules.push({ from: fromSources(entityOperator), ports: [replication.port] });
            if (prometheus.length > 0) rules.push({ from: fromSources(prometheus), ports: [...new Set(ports.map((p) => p.port))].sort((a, b) => a - b) });
            const webhookPorts = input.webhooks.filter((h) => h.namespace === namespace.name && selects(h.selector, w.podLabels)).map((h) => resolvePort(h.targetPort, ports));
            if (webhookPorts.some((p) => p === undefined)) throw new Error(`A webhook of ${w.namespace}/${w.name} targets a port its pods do not declare`);
            const hooks = [...new Set(webhookPorts as number[])].sort((a, b) => a - b);
            if (hooks.length > 0) {
                rules.push({ ports: hooks });
                const names = input.webhooks.filter((h) => h.namespace === namespace.name && selects(h.selector, w.podLabels)).map((h) => h.webhook);
                peerAuthentications.push(policy("PeerAuthentication", `${w.name}-webhook`, namespace.name, {
                    selector: { matchLabels: { ...podSelector } },
                    mtls: { mode: "STRICT" },
                    portLevelMtls: Object.fromEntries(hooks.map((p) => [String(p), { mode: "PERMISSIVE" }])),
                }, { [MTLS_EXCEPTION_ANNOTATION]: `the API server, outside the mesh, calls the admission webhooks ${[...new Set(names)].sort().join(", ")} on port ${hooks.join(", ")}; the webhook's own TLS protects the call` }));
            }
            authorizationPolicies.push(policy("AuthorizationPolicy", `allow-${w.name}`, namespace.name, {
                selector: { matchLabels: { ...podSelector } },
                action: "ALLOW",
                rules: rules.map(ruleSpec),
            }));
        }
    }
    return { authorizationPolicies, peerAuthentications };
}

/** A Service port that serves TLS of the application's own. */
export interface TlsListener {
    readonly namespace: string;
    readonly service: string;
    readonly port: number;
    /** What the TLS is and who verifies it. */
    readonly how: string;
}

/** How one hop is protected: both ends in the mesh, the application's own TLS, or a named plaintext exception. */
export interface HopProtection {
    readonly hop: string;
    readonly protection: "mesh mTLS" | "application TLS" | "plaintext";
    readonly how: string;
}

/** Why a namespace's hops are outside the mesh, from the membership table or the stack's choice. */
function outsideReason(namespace: string, meshOn: boolean): string {
    return meshOn ? MESH_MEMBERSHIP[namespace]?.reason ?? "a namespace outside the mesh" : "the stack runs no mesh (security.istio.enabled is false)";
}

/** A UDP port between pods, which ztunnel does not capture. */
export interface UdpPort {
    readonly namespace: string;
    readonly service: string;
    readonly port: number;
    /** What uses it. */
    readonly use: string;
}

const GOSSIP = "memberlist gossip: its UDP probes and small state messages (silences, notification log, alert states) cross the pod network unencrypted; the TCP half of the gossip is mesh mTLS";

/** The UDP ports of the rendered Services, and of the Alertmanager Service the operator makes (its gossip). */
export function udpPorts(manifests: readonly Manifest[]): UdpPort[] {
    const rendered = manifests.filter((m) => m.kind === "Service").flatMap((m) => (m.spec?.ports ?? []).filter((p: any) => p.protocol === "UDP")
        .map((p: any) => ({ namespace: String(m.metadata.namespace), service: m.metadata.name, port: Number(p.port), use: `a UDP port the chart serves (${p.name ?? "unnamed"}): datagrams to it cross the pod network unencrypted and unauthenticated; nothing the platform runs sends to it` })));
    // prometheus-operator v0.93: alertmanager-operated serves the cluster's gossip on TCP and UDP 9094.
    const operated = manifests.filter((m) => m.kind === "Alertmanager" && (m.spec?.replicas ?? 1) > 1)
        .map((m) => ({ namespace: String(m.metadata.namespace), service: "alertmanager-operated", port: 9094, use: `Alertmanager's ${GOSSIP}` }));
    return [...rendered, ...operated];
}

/**
 * The hops outside the wiring graph that the mesh does not protect, each named with its reason:
 * Prometheus' scrapes of pods on the host network and of namespaces outside the mesh, the API
 * server calling webhooks, kubelet probes, and UDP gossip.
 */
export function meshExceptions(input: MeshPolicyInput, udp: readonly UdpPort[]): HopProtection[] {
    const dataplane = (ns: string) => input.namespaces.find((n) => n.name === ns)?.dataplane ?? MESH_MEMBERSHIP[ns]?.dataplane ?? "none";
    if (!input.namespaces.some((n) => n.dataplane !== "none")) return [];
    const ports = (w: Workload) => [...new Set(workloadPorts(w).map((p) => p.port))].sort((a, b) => a - b).join(", ");
    const served = input.workloads.filter((w) => workloadPorts(w).length > 0);
    return [
        ...served.filter((w) => w.hostNetwork).map((w): HopProtection => ({
            hop: `Prometheus -> ${w.namespace}/${w.name} port ${ports(w)}`,
            protection: "plaintext",
            how: "the pod is on the host network, which no dataplane captures: a node-level scrape over the node's own address (it carries metrics, no credentials)",
        })),
        ...served.filter((w) => !w.hostNetwork && dataplane(w.namespace) === "none").map((w): HopProtection => ({
            hop: `Prometheus -> ${w.namespace}/${w.name} port ${ports(w)}`,
            protection: "plaintext",
            how: `${w.namespace} is outside the mesh: ${MESH_MEMBERSHIP[w.namespace]?.reason ?? "no dataplane"}`,
        })),
        ...input.webhooks.filter((h) => dataplane(h.namespace) !== "none").map((h): HopProtection => ({
            hop: `API server -> ${h.namespace}/${h.service} (webhook ${h.webhook})`,
            protection: "application TLS",
            how: "the control plane has no mesh identity: the port is PERMISSIVE and admits any caller, and the webhook serves TLS from its chart's CA, which the webhook configuration pins",
        })),
        ...input.namespaces.filter((n) => n.dataplane !== "none").map((n): HopProtection => ({
            hop: `kubelet -> ${n.name} pods' probe ports`,
            protection: "plaintext",
            how: n.dataplane === "ambient"
                ? "node-local: istio-cni marks the kubelet's probes (from 169.254.7.127) and ztunnel lets them through unencrypted, as it must, since the kubelet has no mesh identity"
                : "node-local: the sidecar answers the kubelet's probes on its own port and calls the application over the pod's loopback",
        })),
        // Grafana's alerting replicas gossip over TCP and UDP on the port their ha_peers address names.
        ...[...udp, ...input.edges.filter((e) => e.service && /unified_alerting\.ha_peers$/.test(e.path))
            .map((e) => ({ namespace: e.service!.namespace, service: e.service!.name, port: e.port, use: `Grafana's alerting ${GOSSIP}` }))]
            .filter((u) => dataplane(u.namespace) !== "none").map((u): HopProtection => ({
                hop: `${u.namespace}/${u.service} UDP ${u.port}`,
                protection: "plaintext",
                how: `ztunnel carries TCP only: ${u.use}`,
            })),
    ];
}

/**
 * Every wiring edge with how it is encrypted and authenticated: mesh mTLS where the caller's and
 * the callee's namespaces are both in the mesh (by their labels), else the application's own TLS
 * (an https address, or a Kafka listener with tls), else plaintext with the reason the namespace
 * is outside the mesh.
 */
export function edgeProtection(input: Pick<MeshPolicyInput, "namespaces" | "workloads" | "edges">, tlsListeners: readonly TlsListener[]): HopProtection[] {
    const dataplane = (ns: string) => input.namespaces.find((n) => n.name === ns)?.dataplane ?? "none";
    const meshOn = input.namespaces.some((n) => n.dataplane !== "none");
    return input.edges.map((edge) => {
        const hop = `${edge.usedBy} -> ${edge.host}:${edge.port}`;
        const clients = clientsOf(edge, input.workloads, input.namespaces);
        const from = [...new Set(clients.map((c) => c.namespace))].sort();
        const to = edge.service?.namespace ?? edge.host.split(".")[1];
        const planes = [...from.map(dataplane), dataplane(to)];
        const [service, namespace] = edge.host.split(".");
        const listener = tlsListeners.find((l) => l.namespace === namespace && l.service === service && l.port === edge.port);
        if (edge.outside) {
            return {
                hop,
                protection: "plaintext",
                how: `${edge.client} terminates TLS at the edge and sends HTTP to the pod inside the VPC (target type ip): a load balancer has no mesh identity, so ${meshOn && dataplane(to) !== "none" ? `the port is PERMISSIVE, and admitted (AuthorizationPolicy, NetworkPolicy) from the VPC's addresses alone` : "the NetworkPolicy admits the VPC's addresses alone"}`,
            };
        }
        if (from.length > 0 && planes.every((p) => p !== "none")) {
            const identities = fromSources(clients);
            const callers = [...(identities?.principals ?? []), ...(identities?.namespaces ?? []).map((ns) => `namespace ${ns}`)].join(", ");
            return { hop, protection: "mesh mTLS", how: `${from.map((ns) => `${ns} (${dataplane(ns)})`).join(", ")} to ${to} (${dataplane(to)}), as ${callers}${listener ? `; inside it, ${listener.how}` : ""}` };
        }
        if (listener) return { hop, protection: "application TLS", how: listener.how };
        const outside = [...from, to].find((ns) => dataplane(ns) === "none") ?? to;
        return { hop, protection: "plaintext", how: `${outside}: ${outsideReason(outside, meshOn)}` };
    });
}
