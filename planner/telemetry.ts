/**
 * The telemetry paths of a stack, for the plan and its report: every edge of the wiring graph
 * (lib/wiring.ts, the addresses the program resolves) with its two ends, their role on the path
 * from producers through transports and stores to Grafana, how the program says the hop is
 * protected (its meshHops output, one entry per edge), and whether the in-cluster NetworkPolicies
 * let every client pod reach every pod behind the Service.
 */
import { PlannedResource } from "../engine/types";
import { stackWiring, stackWorkloads } from "../components/helm/workloads";
import { HopProtection } from "../components/security/authorization";
import { StackRun } from "../engine/run";
import { allows, Namespace, NetworkPolicy, Pod, selects } from "../lib/network-policy";
import { Workload } from "../lib/workloads";
import { TYPES } from "./resources";

/** Where an end sits on the path a signal takes. */
export type TelemetryRole = "producer" | "transport" | "store" | "grafana";

/** The components (components/helm/catalog.ts) by role, the UIs with Grafana; any other end (Prometheus, Alloy, the mesh) produces telemetry. */
const ROLE_OF_COMPONENT: Readonly<Record<string, TelemetryRole>> = {
    kafka: "transport", mimir: "store", loki: "store", tempo: "store", grafana: "grafana", kiali: "grafana", kubecost: "grafana", headlamp: "grafana",
};

/** Whether the in-cluster NetworkPolicies admit the edge: every client pod to every pod behind its Service. */
export type PolicyVerdict = "allowed" | "denied" | "no NetworkPolicies" | "not evaluated";

export interface TelemetryEdge {
    /** The release or resource whose pods dial, without the stack's name prefix. */
    readonly from: string;
    readonly fromRole: TelemetryRole;
    /** The Service dialled, as namespace/name, and its port. */
    readonly to: string;
    /** The release that serves it, without the stack's name prefix; the Service's name where an operator makes it (Strimzi's bootstrap). */
    readonly toRelease: string;
    readonly toRole: TelemetryRole;
    readonly port: number;
    /** Where the address is written: "<release> values <path>". */
    readonly usedBy: string;
    readonly protection: HopProtection["protection"];
    /** Why: the mesh identities, the TLS listener or the named reason it is plaintext. */
    readonly how: string;
    readonly policy: PolicyVerdict;
}

const roleOf = (component: string | undefined): TelemetryRole => (component !== undefined ? ROLE_OF_COMPONENT[component] : undefined) ?? "producer";

/** Each workload as a pod with an address on the pod network, as the policies' evaluator sees it. */
function podsOf(workloads: readonly Workload[]): Map<Workload, Pod> {
    return new Map(workloads.map((w, i) => [w, {
        name: `${w.namespace}/${w.name}`, namespace: w.namespace, labels: w.podLabels,
        ip: `100.64.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        ports: (w.podSpec?.containers ?? []).flatMap((c: any) => c.ports ?? []),
        hostNetwork: w.hostNetwork,
    }]));
}

/** The edges of a run's wiring graph with their protection and policy verdict. */
export function telemetryEdges(run: Pick<StackRun, "resources" | "outputs" | "declaredWorkloads" | "config">): TelemetryEdge[] {
    const wiring = stackWiring(run.declaredWorkloads);
    const hops = (run.outputs.meshHops ?? []) as HopProtection[];
    const { workloads: all, renders } = stackWorkloads(run.declaredWorkloads, run.config.cluster.kubernetesVersion);
    const workloads = all.filter((w) => w.containers.length > 0);
    const namespaces: Namespace[] = run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => ({ name: String(r.inputs.metadata.name), labels: r.inputs.metadata.labels ?? {} }));
    const rendered = [...renders.values()].flatMap(({ request, rendered: r }) => r.manifests.filter((m) => m.kind === "NetworkPolicy").map((m) => ({ metadata: { name: m.metadata.name, namespace: m.metadata.namespace ?? request.namespace }, spec: m.spec })));
    const policies: NetworkPolicy[] = [...run.resources.filter((r: PlannedResource) => r.type === TYPES.networkPolicy).map((r) => ({ metadata: r.inputs.metadata, spec: r.inputs.spec })), ...rendered];
    const pods = podsOf(workloads);
    // A pod is isolated by its own namespace's policies only: each connection is judged by its two namespaces' policies.
    const byNamespace = new Map<string, NetworkPolicy[]>();
    for (const p of policies) byNamespace.set(p.metadata.namespace, [...(byNamespace.get(p.metadata.namespace) ?? []), p]);
    const policiesOf = (from: Pod, to: Pod) => [...new Set([...(byNamespace.get(from.namespace) ?? []), ...(byNamespace.get(to.namespace) ?? [])])];
    const prefix = `${run.config.cluster.name}-`;
    const short = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
    const componentOfRelease = (release: string | undefined) => all.find((w) => w.source === release)?.component;
    const edges = wiring.map((edge, i) => {
        const hop = hops[i];
        const expected = `${edge.usedBy} -> ${edge.host}:${edge.port}`;
        if (hop?.hop !== expected) throw new Error(`the stack's meshHops output does not follow its wiring graph: edge ${i} is ${expected}, the output says ${hop?.hop ?? "nothing"}`);
        const service = edge.service;
        // The mesh's tracing provider is dialled by the sidecars, not by istiod.
        const clients = (/extensionProviders/.test(edge.path) ? workloads.filter((w) => w.containers.some((c) => c.name === "istio-proxy")) : workloads.filter((w) => w.source === edge.client)).filter((w) => !w.hostNetwork);
        const servers = service?.selector ? workloads.filter((w) => w.namespace === service.namespace && selects({ matchLabels: service.selector }, w.podLabels)) : [];
        const portOn = (pod: Pod) => (typeof edge.targetPort === "number" ? edge.targetPort : pod.ports.find((p) => p.name === edge.targetPort)?.containerPort);
        const pairs = clients.flatMap((c) => servers.map((s) => ({ from: pods.get(c)!, to: pods.get(s)! })));
        const policy: PolicyVerdict = pairs.length === 0 ? "not evaluated"
            : policies.length === 0 ? "no NetworkPolicies"
            : pairs.every(({ from, to }) => { const port = portOn(to); return port !== undefined && allows({ from: { pod: from }, to: { pod: to }, port }, policiesOf(from, to), namespaces); }) ? "allowed" : "denied";
        const toComponent = service?.release !== undefined ? componentOfRelease(service.release) : service?.namespace === "kafka" ? "kafka" : undefined;
        return {
            from: short(edge.client),
            // A client that runs no pods of the stack is the load balancer in front of the UIs: it sits with them.
            fromRole: all.some((w) => w.source === edge.client) ? roleOf(componentOfRelease(edge.client)) : "grafana",
            to: `${service?.namespace ?? edge.host.split(".")[1]}/${service?.name ?? edge.host.split(".")[0]}`,
            toRelease: service?.release !== undefined ? short(service.release) : service?.name ?? edge.host.split(".")[0],
            toRole: roleOf(toComponent),
            port: edge.port,
            usedBy: short(edge.usedBy),
            protection: hop.protection,
            how: hop.how,
            policy,
        };
    });
    // What Grafana reads from is a store, whatever else it does: Prometheus where no Mimir keeps the metrics (dev).
    const grafana = new Set(wiring.filter((edge) => componentOfRelease(edge.client) === "grafana").map((edge) => short(edge.client)));
    const read = new Set(edges.filter((e) => grafana.has(e.from) && e.toRole === "producer").map((e) => e.toRelease));
    const role = (release: string, base: TelemetryRole): TelemetryRole => (read.has(release) ? "store" : base);
    return edges.map((e) => ({ ...e, fromRole: role(e.from, e.fromRole), toRole: role(e.toRelease, e.toRole) }));
}
