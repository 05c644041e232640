/**
 * The NetworkPolicy evaluator (lib/network-policy.ts): the semantics the generated policies are
 * proven against, case by case and as properties over random policies and pods.
 */
import { expect } from "chai";
import fc from "fast-check";
import { allows, Connection, egressAllows, ingressAllows, LabelSelector, Namespace, NetworkPolicy, Pod, policiesFor, selects } from "../lib/network-policy";

const pod = (name: string, namespace: string, labels: Record<string, string>, ip: string, ports: Pod["ports"] = []): Pod => ({ name, namespace, labels, ip, ports });
const web = pod("web", "apps", { app: "web", tier: "front" }, "100.64.0.10", [{ name: "http", containerPort: 8080 }, { name: "dns", containerPort: 5353, protocol: "UDP" }]);
const api = pod("api", "apps", { app: "api" }, "100.64.0.11", [{ name: "grpc", containerPort: 9095 }]);
const probe = pod("probe", "ops", { app: "probe" }, "100.64.1.5");
const namespaces: Namespace[] = [{ name: "apps", labels: { team: "a" } }, { name: "ops", labels: { team: "ops" } }];
const policy = (name: string, namespace: string, spec: NetworkPolicy["spec"]): NetworkPolicy => ({ metadata: { name, namespace }, spec });
const to = (from: Connection["from"], target: Pod, port: number, protocol?: Connection["protocol"]): Connection => ({ from, to: { pod: target }, port, ...(protocol ? { protocol } : {}) });

describe("NetworkPolicy evaluator", () => {
    it("selects by matchLabels and every matchExpressions operator, all of them at once", () => {
        const labels = { app: "web", tier: "front" };
        expect(selects({}, labels)).to.equal(true);
        expect(selects({ matchLabels: { app: "web" } }, labels)).to.equal(true);
        expect(selects({ matchLabels: { app: "web", tier: "back" } }, labels)).to.equal(false);
        expect(selects({ matchExpressions: [{ key: "tier", operator: "In", values: ["front", "edge"] }] }, labels)).to.equal(true);
        expect(selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] }, labels)).to.equal(false);
        expect(selects({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, labels)).to.equal(true);
        expect(selects({ matchExpressions: [{ key: "app", operator: "Exists" }, { key: "zone", operator: "DoesNotExist" }] }, labels)).to.equal(true);
        expect(selects({ matchLabels: { app: "web" }, matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels)).to.equal(false);
    });

    it("allows everything where no policy selects the pod, and nothing once a default-deny does", () => {
        expect(allows(to({ pod: probe }, web, 8080), [], namespaces)).to.equal(true);
        const deny = policy("deny", "apps", { podSelector: {}, policyTypes: ["Ingress"] });
        expect(allows(to({ pod: probe }, web, 8080), [deny], namespaces)).to.equal(false);
        expect(allows(to({ pod: web }, probe, 80), [deny], namespaces)).to.equal(true, "egress is not isolated by an Ingress-only policy");
    });

    it("reads policyTypes as Ingress alone, plus Egress when egress rules are given", () => {
        const egressOnly = policy("e", "apps", { podSelector: { matchLabels: { app: "web" } }, egress: [{ to: [{ podSelector: { matchLabels: { app: "api" } } }] }] });
        expect(policiesFor(web, "Egress", [egressOnly])).to.have.length(1);
        expect(policiesFor(web, "Ingress", [egressOnly])).to.have.length(1, "no policyTypes with egress rules means both");
        expect(egressAllows(to({ pod: web }, api, 9095), [egressOnly], namespaces)).to.equal(true);
        expect(egressAllows(to({ pod: web }, probe, 80), [egressOnly], namespaces)).to.equal(false);
    });

    it("matches peers by pod selector in the policy's namespace, by namespace selector, by both, and by ipBlock with except", () => {
        const rule = (from: any) => [policy("p", "apps", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{ from: [from] }] })];
        expect(ingressAllows(to({ pod: api }, web, 8080), rule({ podSelector: { matchLabels: { app: "api" } } }), namespaces)).to.equal(true);
        expect(ingressAllows(to({ pod: probe }, web, 8080), rule({ podSelector: { matchLabels: { app: "probe" } } }), namespaces)).to.equal(false, "a pod selector alone means the policy's own namespace");
        expect(ingressAllows(to({ pod: probe }, web, 8080), rule({ namespaceSelector: { matchLabels: { team: "ops" } } }), namespaces)).to.equal(true);
        expect(ingressAllows(to({ pod: probe }, web, 8080), rule({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ops" } }, podSelector: { matchLabels: { app: "other" } } }), namespaces)).to.equal(false);
        const node = { ip: "10.0.1.20", name: "node" };
        expect(ingressAllows(to(node, web, 8080), rule({ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.2.0/24"] } }), namespaces)).to.equal(true);
        expect(ingressAllows(to({ ip: "10.0.2.9", name: "excepted" }, web, 8080), rule({ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.2.0/24"] } }), namespaces)).to.equal(false);
        expect(ingressAllows(to(node, web, 8080), rule({ podSelector: {} }), namespaces)).to.equal(false, "an address outside the pod network matches only an ipBlock");
    });

    it("resolves named ports against the pod's containers, honours protocol and endPort", () => {
        const ports = (p: any[]) => [policy("p", "apps", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: p }] })];
        expect(ingressAllows(to({ pod: probe }, web, 8080), ports([{ port: "http" }]), namespaces)).to.equal(true);
        expect(ingressAllows(to({ pod: probe }, api, 8080), ports([{ port: "http" }]), namespaces)).to.equal(false, "api has no port named http");
        expect(ingressAllows(to({ pod: probe }, web, 5353, "UDP"), ports([{ port: "dns" }]), namespaces)).to.equal(false, "the rule's protocol defaults to TCP");
        expect(ingressAllows(to({ pod: probe }, web, 5353, "UDP"), ports([{ port: "dns", protocol: "UDP" }]), namespaces)).to.equal(true);
        expect(ingressAllows(to({ pod: probe }, web, 8085), ports([{ port: 8080, endPort: 8090 }]), namespaces)).to.equal(true);
        expect(ingressAllows(to({ pod: probe }, web, 8091), ports([{ port: 8080, endPort: 8090 }]), namespaces)).to.equal(false);
    });

    it("needs both the sender's egress and the receiver's ingress", () => {
        const ingress = policy("in", "apps", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: {} }] }] });
        const egress = policy("out", "ops", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }] });
        expect(allows(to({ pod: probe }, web, 8080), [ingress], namespaces)).to.equal(true);
        expect(allows(to({ pod: probe }, web, 8080), [ingress, egress], namespaces)).to.equal(false);
        expect(allows(to({ pod: probe }, web, 443), [egress], namespaces)).to.equal(true);
    });

    it("does not isolate a pod on the host network, which speaks with the node's address", () => {
        const host: Pod = { ...pod("exporter", "apps", { app: "exporter" }, "10.0.1.20"), hostNetwork: true };
        const deny = policy("deny", "apps", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(allows(to({ pod: probe }, host, 9100), [deny], namespaces)).to.equal(true);
        const fromNodes = policy("nodes", "apps", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/16" } }] }] });
        expect(ingressAllows(to({ pod: host }, web, 8080), [deny, fromNodes], namespaces)).to.equal(true);
    });

    describe("properties", () => {
        const key = fc.constantFrom("app", "tier", "zone");
        const value = fc.constantFrom("a", "b", "c");
        const labels = fc.dictionary(key, value, { maxKeys: 3 });
        const selector: fc.Arbitrary<LabelSelector> = fc.record({
            matchLabels: fc.option(labels, { nil: undefined }),
            matchExpressions: fc.option(fc.array(fc.record({ key, operator: fc.constantFrom("In", "NotIn", "Exists", "DoesNotExist") as fc.Arbitrary<"In" | "NotIn" | "Exists" | "DoesNotExist">, values: fc.array(value, { maxLength: 2 }) }), { maxLength: 2 }), { nil: undefined }),
        }, { requiredKeys: [] });
        const ns = fc.constantFrom("apps", "ops");
        const port = fc.oneof(fc.constantFrom(80, 443, 8080), fc.constantFrom("http", "grpc"));
        const peer = fc.oneof(
            fc.record({ podSelector: selector }),
            fc.record({ namespaceSelector: selector }),
            fc.record({ podSelector: selector, namespaceSelector: selector }),
            fc.record({ ipBlock: fc.record({ cidr: fc.constantFrom("100.64.0.0/16", "10.0.0.0/8", "0.0.0.0/0"), except: fc.constantFrom([], ["100.64.1.0/24"]) }) }),
        );
        const rules = fc.option(fc.array(fc.record({ peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports: fc.option(fc.array(fc.record({ port }), { maxLength: 2 }), { nil: undefined }) }), { maxLength: 2 }), { nil: undefined });
        const anyPolicy: fc.Arbitrary<NetworkPolicy> = fc.record({ namespace: ns, podSelector: selector, types: fc.subarray(["Ingress", "Egress"] as const, { minLength: 1 }), ingress: rules, egress: rules })
            .map((p) => policy("generated", p.namespace, {
                podSelector: p.podSelector,
                policyTypes: p.types,
                ...(p.ingress ? { ingress: p.ingress.map((r) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
                ...(p.egress ? { egress: p.egress.map((r) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
            }));
        const anyPod = fc.record({ namespace: ns, labels, octet: fc.integer({ min: 0, max: 3 }) })
            .map((p) => pod(`pod-${p.octet}`, p.namespace, p.labels, `100.64.${p.octet}.7`, [{ name: "http", containerPort: 80 }, { name: "grpc", containerPort: 8080 }]));
        const connection = fc.record({ from: anyPod, to: anyPod, port: fc.constantFrom(80, 443, 8080) }).map((c) => to({ pod: c.from }, c.to, c.port));

        it("a namespace with no policy allows every connection", () => {
            fc.assert(fc.property(connection, fc.array(anyPolicy, { maxLength: 4 }), (c, policies) => {
                const elsewhere = policies.filter((p) => p.metadata.namespace !== ("pod" in c.to ? c.to.pod.namespace : "") && p.metadata.namespace !== ("pod" in c.from ? c.from.pod.namespace : ""));
                return allows(c, elsewhere, namespaces);
            }));
        });

        it("adding a policy never takes away what a pod already isolated was allowed (policies are a union)", () => {
            fc.assert(fc.property(connection, fc.array(anyPolicy, { maxLength: 4 }), anyPolicy, (c, policies, extra) => {
                const target = (c.to as { pod: Pod }).pod;
                const source = (c.from as { pod: Pod }).pod;
                const ingressIsolated = policiesFor(target, "Ingress", policies).length > 0;
                const egressIsolated = policiesFor(source, "Egress", policies).length > 0;
                const before = ingressAllows(c, policies, namespaces);
                const after = ingressAllows(c, [...policies, extra], namespaces);
                const beforeOut = egressAllows(c, policies, namespaces);
                const afterOut = egressAllows(c, [...policies, extra], namespaces);
                return (!ingressIsolated || !before || after) && (!egressIsolated || !beforeOut || afterOut);
            }));
        });

        it("a connection is allowed exactly when both sides allow it", () => {
            fc.assert(fc.property(connection, fc.array(anyPolicy, { maxLength: 4 }), (c, policies) =>
                allows(c, policies, namespaces) === (ingressAllows(c, policies, namespaces) && egressAllows(c, policies, namespaces))));
        });
    });
});
