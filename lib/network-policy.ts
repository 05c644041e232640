/**
 * Kubernetes NetworkPolicy semantics (networking.k8s.io/v1), as a pure function of the policies,
 * the namespaces and the pods: which connections a conforming engine (here, the VPC CNI's
 * network-policy agent) lets through. Used to prove the generated policies admit every wiring edge
 * and nothing no edge names, before anything is deployed.
 */
import { cidrContains } from "./cidr";

export interface LabelSelectorRequirement {
    readonly key: string;
    readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    readonly values?: readonly string[];
}

export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export type Protocol = "TCP" | "UDP" | "SCTP";

export interface PolicyPort {
    readonly protocol?: Protocol;
    /** A number, or the name of a container port of the pod the rule protects (ingress) or reaches (egress). */
    readonly port?: number | string;
    /** With a numeric port: the last port of the range. */
    readonly endPort?: number;
}

export interface PolicyPeer {
    readonly podSelector?: LabelSelector;
    readonly namespaceSelector?: LabelSelector;
    readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface IngressRule { readonly from?: readonly PolicyPeer[]; readonly ports?: readonly PolicyPort[] }
export interface EgressRule { readonly to?: readonly PolicyPeer[]; readonly ports?: readonly PolicyPort[] }

export interface NetworkPolicy {
    readonly metadata: { readonly name: string; readonly namespace: string };
    readonly spec: {
        readonly podSelector: LabelSelector;
        readonly policyTypes?: readonly ("Ingress" | "Egress")[];
        readonly ingress?: readonly IngressRule[];
        readonly egress?: readonly EgressRule[];
    };
}

export interface ContainerPort {
    readonly name?: string;
    readonly containerPort: number;
    readonly protocol?: Protocol;
}

export interface Pod {
    /** For messages: the workload it belongs to. */
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly ip: string;
    readonly ports: readonly ContainerPort[];
    /** On the node's network: no policy selects it, and it speaks with the node's address. */
    readonly hostNetwork?: boolean;
}

export interface Namespace {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** One end of a connection: a pod, or an address outside the pod network (a node, the API server, the internet). */
export type Peer = { readonly pod: Pod } | { readonly ip: string; readonly name: string };

export interface Connection {
    readonly from: Peer;
    readonly to: Peer;
    readonly port: number;
    readonly protocol?: Protocol;
}

/** Whether a label selector selects a set of labels (an empty selector selects everything). */
export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
    const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
    const byExpressions = (selector.matchExpressions ?? []).every((e) => {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        switch (e.operator) {
            case "In": return has && (e.values ?? []).includes(labels[e.key]);
            case "NotIn": return !has || !(e.values ?? []).includes(labels[e.key]);
            case "Exists": return has;
            case "DoesNotExist": return !has;
        }
    });
    return byLabels && byExpressions;
}

/** The labels the API server gives every namespace, plus its own. */
function namespaceLabels(namespaces: readonly Namespace[], name: string): Record<string, string> {
    const found = namespaces.find((n) => n.name === name);
    return { ...(found?.labels ?? {}), "kubernetes.io/metadata.name": name };
}

const ipOf = (peer: Peer): string => ("pod" in peer ? peer.pod.ip : peer.ip);
const podOf = (peer: Peer): Pod | undefined => ("pod" in peer && !peer.pod.hostNetwork ? peer.pod : undefined);

/** Whether a policy peer matches the other end, for a policy in `policyNamespace`. */
function peerMatches(peer: PolicyPeer, other: Peer, policyNamespace: string, namespaces: readonly Namespace[]): boolean {
    if (peer.ipBlock) {
        const ip = `${ipOf(other)}/32`;
        return cidrContains(peer.ipBlock.cidr, ip) && !(peer.ipBlock.except ?? []).some((e) => cidrContains(e, ip));
    }
    const pod = podOf(other);
    if (!pod) return false;
    const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels(namespaces, pod.namespace)) : pod.namespace === policyNamespace;
    const podOk = peer.podSelector ? selects(peer.podSelector, pod.labels) : true;
    return namespaceOk && podOk;
}

/** Whether a rule's port matches, a named port resolving against `named` (the pod whose port it names). */
function portMatches(rulePort: PolicyPort, port: number, protocol: Protocol, named: Pod | undefined): boolean {
    if ((rulePort.protocol ?? "TCP") !== protocol) return false;
    if (rulePort.port === undefined) return true;
    if (typeof rulePort.port === "string") {
        return (named?.ports ?? []).some((p) => p.name === rulePort.port && p.containerPort === port && (p.protocol ?? "TCP") === protocol);
    }
    return rulePort.endPort !== undefined ? port >= rulePort.port && port <= rulePort.endPort : port === rulePort.port;
}

function policyTypes(policy: NetworkPolicy): readonly ("Ingress" | "Egress")[] {
    return policy.spec.policyTypes ?? (policy.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
}

/** The policies of the pod's namespace that select it for a direction: none means it is not isolated. */
export function policiesFor(pod: Pod, direction: "Ingress" | "Egress", policies: readonly NetworkPolicy[]): NetworkPolicy[] {
    if (pod.hostNetwork) return [];
    return policies.filter((p) => p.metadata.namespace === pod.namespace && policyTypes(p).includes(direction) && selects(p.spec.podSelector, pod.labels));
}

/**
 * Whether one end lets the connection through: the destination's ingress, or the source's egress.
 * A pod no policy selects for that direction is not isolated; a named port names a container port
 * of the destination pod either way.
 */
function sideAllows(direction: "Ingress" | "Egress", connection: Connection, policies: readonly NetworkPolicy[], namespaces: readonly Namespace[]): boolean {
    const [self, other] = direction === "Ingress" ? [podOf(connection.to), connection.from] : [podOf(connection.from), connection.to];
    if (!self) return true;
    const selecting = policiesFor(self, direction, policies);
    if (selecting.length === 0) return true;
    const protocol = connection.protocol ?? "TCP";
    const destination = podOf(connection.to);
    return selecting.some((p) => {
        const rules = direction === "Ingress" ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
        return rules.some((rule) =>
            (rule.peers === undefined || rule.peers.length === 0 || rule.peers.some((peer) => peerMatches(peer, other, p.metadata.namespace, namespaces))) &&
            (rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((port) => portMatches(port, connection.port, protocol, destination))));
    });
}

/** Whether the destination pod admits the connection (the ingress side). */
export function ingressAllows(connection: Connection, policies: readonly NetworkPolicy[], namespaces: readonly Namespace[]): boolean {
    return sideAllows("Ingress", connection, policies, namespaces);
}

/** Whether the source pod may send the connection (the egress side). */
export function egressAllows(connection: Connection, policies: readonly NetworkPolicy[], namespaces: readonly Namespace[]): boolean {
    return sideAllows("Egress", connection, policies, namespaces);
}

/** A connection is allowed when the sender's egress and the receiver's ingress both allow it. */
export function allows(connection: Connection, policies: readonly NetworkPolicy[], namespaces: readonly Namespace[]): boolean {
    return egressAllows(connection, policies, namespaces) && ingressAllows(connection, policies, namespaces);
}
