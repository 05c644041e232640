/**
 * A small evaluator of Istio's L4 authorization semantics (what ztunnel and the sidecars enforce
 * for TCP), for testing generated policies over rendered pods: policies in the pod's namespace and
 * in the root namespace apply when their selector matches the pod's labels (no selector: every
 * pod); a matching DENY rule denies; otherwise, if any ALLOW policy applies, the request needs a
 * matching ALLOW rule (a policy without rules, such as allow-nothing, matches nothing); with no
 * ALLOW policy at all it is allowed. A rule matches when one of its `from` entries and one of its
 * `to` entries match (a missing list matches anything); a source needs a peer identity to match
 * principals or namespaces, so a plaintext caller matches only rules without `from`.
 */
import { cidrContains } from "../../lib/cidr";

export interface Caller {
    /** The caller's SPIFFE identity without the scheme (cluster.local/ns/<ns>/sa/<sa>); undefined for a plaintext caller outside the mesh. */
    readonly principal?: string;
    /** The caller's source address, which a rule's ipBlocks match (a load balancer outside the mesh has nothing else). */
    readonly ip?: string;
}

export interface Callee {
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly port: number;
}

interface Policy {
    readonly metadata: { readonly namespace: string };
    readonly spec: { readonly selector?: { readonly matchLabels?: Record<string, string> }; readonly action?: string; readonly rules?: readonly any[] };
}

const namespaceOf = (principal: string) => /\/ns\/([^/]+)\/sa\//.exec(principal)?.[1];

function matchesSource(source: any, caller: Caller): boolean {
    if (source.principals && !(caller.principal && source.principals.includes(caller.principal))) return false;
    if (source.namespaces && !(caller.principal && source.namespaces.includes(namespaceOf(caller.principal)))) return false;
    if (source.ipBlocks && !(caller.ip && source.ipBlocks.some((block: string) => cidrContains(block, `${caller.ip}/32`)))) return false;
    return true;
}

function matchesRule(rule: any, caller: Caller, callee: Callee): boolean {
    const from = rule.from === undefined || rule.from.some((f: any) => matchesSource(f.source ?? {}, caller));
    const to = rule.to === undefined || rule.to.some((t: any) => (t.operation?.ports ?? [String(callee.port)]).includes(String(callee.port)));
    return from && to;
}

export function allowed(policies: readonly Policy[], caller: Caller, callee: Callee, rootNamespace = "istio-system"): boolean {
    const applying = policies.filter((p) => (p.metadata.namespace === callee.namespace || p.metadata.namespace === rootNamespace)
        && Object.entries(p.spec.selector?.matchLabels ?? {}).every(([k, v]) => callee.labels[k] === v));
    const action = (p: Policy) => p.spec.action ?? "ALLOW";
    if (applying.some((p) => action(p) === "DENY" && (p.spec.rules ?? []).some((r) => matchesRule(r, caller, callee)))) return false;
    const allows = applying.filter((p) => action(p) === "ALLOW");
    return allows.length === 0 || allows.some((p) => (p.spec.rules ?? []).some((r) => matchesRule(r, caller, callee)));
}
