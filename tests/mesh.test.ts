/**
 * Every hop encrypted and authenticated, and who may call whom, both drawn from the wiring graph:
 * the list of wiring edges with their protection is pinned whole (a new plaintext edge changes it),
 * and the generated AuthorizationPolicies are evaluated over the rendered pods with Istio's semantics.
 */
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { Address } from "../lib/wiring";
import { stackWiring, stackWorkloads } from "../components/helm/workloads";
import { HopProtection, MeshNamespace, dataplaneOfLabels, edgeProtection, meshPolicies, principal } from "../components/security/authorization";
import { ISTIO_NAMESPACE, MESH_MEMBERSHIP } from "../components/security/mesh";
import { serviceAccountOf, Workload, workloadPorts } from "../lib/workloads";
import * as fs from "fs";
import * as path from "path";
import { allowed } from "./support/istio-authz";
import { stack } from "./support/stacks";

const AUTHZ = "kubernetes:security.istio.io/v1:AuthorizationPolicy";
const PROMETHEUS_SA = principal("monitoring", "kube-prometheus-stack-prometheus");

const namespacesOf = (run: StackRun): MeshNamespace[] => run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace")
    .map((r) => ({ name: r.inputs.metadata.name, dataplane: dataplaneOfLabels(r.inputs.metadata.labels) }));
const policiesOf = (run: StackRun) => run.resources.filter((r) => r.type === AUTHZ).map((r) => r.inputs as any);
const hops = (list: unknown) => (list as HopProtection[]).map((h) => `${h.protection}: ${h.hop} | ${h.how}`).sort();
const served = (w: Workload) => w.containers.length > 0 && !w.hostNetwork;
const callee = (w: Workload, port: number) => ({ namespace: w.namespace, labels: w.podLabels, port });
const as = (w: Workload) => ({ principal: principal(w.namespace, serviceAccountOf(w)!) });
const find = (run: StackRun, namespace: string, name: string) => {
    const w = stackWorkloads(run.resources).workloads.find((x) => x.namespace === namespace && x.name === name);
    if (!w) throw new Error(`no workload ${namespace}/${name}`);
    return w;
};

/** The pods behind an edge's Service and the port each is called on, and the pods that make the call. */
function endpointsOf(edge: Address, workloads: readonly Workload[], namespaces: readonly MeshNamespace[]) {
    const t = edge.service!;
    const targetPort = edge.targetPort!;
    const targets = workloads.filter((w) => w.namespace === t.namespace && served(w) && Object.entries(t.selector ?? {}).every(([k, v]) => w.podLabels[k] === v))
        .map((w) => ({ w, port: typeof targetPort === "number" ? targetPort : workloadPorts(w).find((p) => p.name === targetPort)!.port }));
    const sidecars = namespaces.filter((n) => n.dataplane === "sidecar").map((n) => n.name);
    const clients = workloads.filter((w) => served(w) && (edge.path.startsWith("meshConfig.") ? sidecars.includes(w.namespace) : w.source === edge.client));
    return { targets, clients };
}

const OBS = "nist-eks-prod-observability";
const OPS = "nist-eks-prod-operations";
/** The UIs' ALB: it has no mesh identity, only its address in the VPC's subnets. */
const LOAD_BALANCER = { ip: "10.0.3.25" };
const ALB = "the load balancer of IngressClass platform-ui";
const ALB_HOP = `${ALB} terminates TLS at the edge and sends HTTP to the pod inside the VPC (target type ip): a load balancer has no mesh identity, so`;
const ingress = (namespace: string, name: string, release: string, service: string, port: number) =>
    `plaintext: Ingress ${namespace}/${name} (rendered by ${release}) spec.rules.0.http.paths.0.backend.service -> ${service}.${namespace}.svc:${port}`;
const MESH = (to: string, as: string) => `monitoring (ambient) to ${to} (ambient), as ${as}`;
const KAFKA_TLS = "; inside it, Kafka's TLS listener tls, verified against the platform's Kafka CA";
const PROMETHEUS_RELEASE_SAS = ["kube-prometheus-stack-admission", "kube-prometheus-stack-alertmanager", "kube-prometheus-stack-operator", "kube-prometheus-stack-prometheus", `${OBS}-prometheus-kube-state-metrics`]
    .map((sa) => principal("monitoring", sa)).join(", ");

describe("the mesh: every hop encrypted and authenticated, who may call whom", () => {
    describe("every wiring edge and how it is protected", () => {
        it("prod: every edge is mesh mTLS between ambient or sidecar namespaces, Kafka's inside its own TLS; the one plaintext hop is Kiali's version query to istiod, outside the mesh", async () => {
            const prod = await stack("prod");
            expect(hops(prod.outputs.meshHops)).to.deep.equal([
                `mesh mTLS: ${OBS}-alloy-events values alloy.configMap.content -> loki-gateway.monitoring.svc.cluster.local:80 | ${MESH("monitoring", principal("monitoring", "alloy-events"))}`,
                `mesh mTLS: ${OBS}-alloy-logs values alloy.configMap.content -> loki-gateway.monitoring.svc.cluster.local:80 | ${MESH("monitoring", principal("monitoring", "alloy-logs"))}`,
                `mesh mTLS: ${OBS}-grafana values datasources.datasources.yaml.datasources.0.url -> mimir-gateway.monitoring.svc.cluster.local:80 | ${MESH("monitoring", principal("monitoring", "grafana"))}`,
                `mesh mTLS: ${OBS}-grafana values datasources.datasources.yaml.datasources.1.url -> loki-gateway.monitoring.svc.cluster.local:80 | ${MESH("monitoring", principal("monitoring", "grafana"))}`,
                `mesh mTLS: ${OBS}-grafana values datasources.datasources.yaml.datasources.2.url -> tempo-query-frontend.monitoring.svc.cluster.local:3200 | ${MESH("monitoring", principal("monitoring", "grafana"))}`,
                `mesh mTLS: ${OBS}-grafana values grafana.ini.unified_alerting.ha_peers -> grafana-headless.monitoring.svc.cluster.local:9094 | ${MESH("monitoring", principal("monitoring", "grafana"))}`,
                `mesh mTLS: ${OBS}-kiali values external_services.grafana.internal_url -> grafana.monitoring.svc.cluster.local:80 | ${MESH("monitoring", principal("monitoring", "kiali"))}`,
                `mesh mTLS: ${OBS}-kiali values external_services.prometheus.url -> kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090 | ${MESH("monitoring", principal("monitoring", "kiali"))}`,
                `mesh mTLS: ${OBS}-kiali values external_services.tracing.internal_url -> tempo-query-frontend.monitoring.svc.cluster.local:3200 | ${MESH("monitoring", principal("monitoring", "kiali"))}`,
                `mesh mTLS: ${OBS}-mimir values mimir.structuredConfig.ingest_storage.kafka.address -> observability-kafka-bootstrap.kafka.svc.cluster.local:9093 | ${MESH("kafka", `${principal("monitoring", "mimir")}, ${principal("monitoring", `${OBS}-mimir-rollout-operator`)}`)}${KAFKA_TLS}`,
                `mesh mTLS: ${OBS}-prometheus values prometheus.prometheusSpec.remoteWrite.0.url -> mimir-gateway.monitoring.svc.cluster.local:80 | ${MESH("monitoring", PROMETHEUS_RELEASE_SAS)}`,
                // Tempo's SASL listener has no TLS of its own: the mesh is what encrypts this hop.
                `mesh mTLS: ${OBS}-tempo values ingest.kafka.address -> observability-kafka-bootstrap.kafka.svc.cluster.local:9094 | ${MESH("kafka", principal("monitoring", "tempo"))}`,
                `mesh mTLS: ${OBS}-tempo values metricsGenerator.config.storage.remote_write.0.url -> mimir-gateway.monitoring.svc.cluster.local:80 | ${MESH("monitoring", principal("monitoring", "tempo"))}`,
                `mesh mTLS: nist-eks-prod-security-istio-istiod values meshConfig.extensionProviders.0.opentelemetry.service -> tempo-distributor.monitoring.svc.cluster.local:4317 | kubecost (sidecar) to monitoring (ambient), as ${["default", "nist-eks-prod-operations-kubecost", "nist-eks-prod-operations-kubecost-finopsagent"].map((sa) => principal("kubecost", sa)).join(", ")}`,
                // istiod is the mesh itself (no dataplane in istio-system): its monitoring port answers Kiali's version query in plain HTTP.
                `plaintext: ${OBS}-kiali values external_services.istio.url_service_version -> istiod.istio-system.svc.cluster.local:15014 | istio-system: ${MESH_MEMBERSHIP[ISTIO_NAMESPACE].reason}`,
                // The UIs' ALB, outside the mesh, to each UI's port: named plaintext hops inside the VPC, admitted from its addresses alone.
                ...[
                    ingress("headlamp", `${OPS}-headlamp`, `${OPS}-headlamp`, `${OPS}-headlamp`, 80),
                    ingress("kubecost", `${OPS}-kubecost`, `${OPS}-kubecost`, `${OPS}-kubecost-frontend`, 9090),
                    ingress("monitoring", "grafana", `${OBS}-grafana`, "grafana", 80),
                    ingress("monitoring", "kiali", `${OBS}-kiali`, "kiali", 20001),
                ].map((hop) => `${hop} | ${ALB_HOP} the port is PERMISSIVE, and admitted (AuthorizationPolicy, NetworkPolicy) from the VPC's addresses alone`),
            ].sort());
            // The list is the wiring graph itself: one entry per edge.
            expect((prod.outputs.meshHops as HopProtection[]).length).to.equal(stackWiring(prod.resources).length);
        });

        it("prod: names every hop outside the graph that the mesh leaves unprotected, with its reason", async () => {
            const prod = await stack("prod");
            const list = prod.outputs.meshExceptions as HopProtection[];
            // Sorted: the workloads come in the order their releases register, which may vary.
            expect(list.map((h) => `${h.protection}: ${h.hop}`).sort()).to.deep.equal([
                "plaintext: Prometheus -> monitoring/nist-eks-prod-observability-prometheus-prometheus-node-exporter port 9100",
                "plaintext: Prometheus -> kube-system/nist-eks-prod-autoscaler-aws-cluster-autoscaler port 8085",
                "plaintext: Prometheus -> istio-system/istiod port 8080, 15010, 15012, 15014, 15017",
                "plaintext: Prometheus -> istio-system/istio-cni-node port 15014",
                "plaintext: Prometheus -> istio-system/ztunnel port 15020",
                "application TLS: API server -> monitoring/kube-prometheus-stack-operator (webhook prometheusrulemutate.monitoring.coreos.com)",
                "application TLS: API server -> monitoring/kube-prometheus-stack-operator (webhook prometheusrulevalidate.monitoring.coreos.com)",
                "application TLS: API server -> monitoring/kube-prometheus-stack-operator (webhook alertmanagerconfigsvalidate.monitoring.coreos.com)",
                ...["no-downscale", "pod-eviction", "prepare-downscale", "zpdb-validation"].map((w) => `application TLS: API server -> monitoring/${OBS}-mimir-rollout-operator (webhook ${w}-monitoring.grafana.com)`),
                "plaintext: kubelet -> monitoring pods' probe ports",
                "plaintext: kubelet -> kafka pods' probe ports",
                "plaintext: kubelet -> trivy-system pods' probe ports",
                "plaintext: kubelet -> kubecost pods' probe ports",
                "plaintext: kubelet -> headlamp pods' probe ports",
                "plaintext: kubelet -> velero pods' probe ports",
                "plaintext: kubelet -> aws-load-balancer-controller pods' probe ports",
                ...["alb-target-control.namespace", "alb-target-control.object", "mpod", "mtargetgroupbinding", "quicid", "vingress", "vingressclassparams", "vtargetgroupbinding"]
                    .map((w) => `application TLS: API server -> aws-load-balancer-controller/aws-load-balancer-webhook-service (webhook ${w}.elbv2.k8s.aws)`),
                "plaintext: monitoring/tempo-distributor-discovery UDP 6831",
                "plaintext: monitoring/tempo-distributor-discovery UDP 6832",
                "plaintext: monitoring/tempo-distributor UDP 6831",
                "plaintext: monitoring/tempo-distributor UDP 6832",
                "plaintext: monitoring/alertmanager-operated UDP 9094",
                "plaintext: monitoring/grafana-headless UDP 9094",
            ].sort());
            for (const h of list) expect(h.how, h.hop).to.have.length.greaterThan(60);
            expect(list.find((h) => h.hop.includes("node-exporter"))!.how).to.match(/host network/);
            expect(list.find((h) => h.hop.includes("istiod"))!.how).to.match(/^istio-system is outside the mesh: the mesh itself/);
        });

        it("dev: no mesh, so every edge is a plaintext exception that says so, and no hop is listed apart", async () => {
            const dev = await stack("dev");
            const list = dev.outputs.meshHops as HopProtection[];
            expect(list.length).to.equal(stackWiring(dev.resources).length);
            expect(new Set(list.map((h) => `${h.protection}: ${h.how}`))).to.deep.equal(new Set([
                "plaintext: monitoring: the stack runs no mesh (security.istio.enabled is false)",
                `plaintext: ${ALB_HOP} the NetworkPolicy admits the VPC's addresses alone`,
            ]));
            expect(dev.outputs.meshExceptions).to.deep.equal([]);
        });

        it("call a new edge from or to a namespace outside the mesh plaintext, with that namespace's reason, and an https or Kafka TLS one application TLS", async () => {
            const prod = await stack("prod");
            const namespaces = namespacesOf(prod);
            const workloads = stackWorkloads(prod.resources).workloads;
            const autoscaler = find(prod, "kube-system", "nist-eks-prod-autoscaler-aws-cluster-autoscaler");
            const edge = (source: string, host: string, port: number): Address => ({ usedBy: `${source} values x`, client: source, path: "x", host, port });
            const protection = edgeProtection({ namespaces, workloads, edges: [
                edge(autoscaler.source, "loki-gateway.monitoring.svc.cluster.local", 80),
                edge(`${OBS}-grafana`, "istiod.istio-system.svc", 15014),
                edge(autoscaler.source, "observability-kafka-bootstrap.kafka.svc", 9093),
            ] }, [{ namespace: "kafka", service: "observability-kafka-bootstrap", port: 9093, how: "Kafka's TLS" }]);
            expect(protection.map((p) => [p.protection, p.how.split(":")[0]])).to.deep.equal([["plaintext", "kube-system"], ["plaintext", "istio-system"], ["application TLS", "Kafka's TLS"]]);
        });
    });

    describe("the evaluator of Istio's L4 authorization", () => {
        const pod = { namespace: "apps", labels: { app: "web" }, port: 8080 };
        const caller = { principal: principal("clients", "reader") };
        const p = (spec: Record<string, unknown>, namespace = "apps") => ({ metadata: { namespace }, spec });
        it("allows without policies, denies under allow-nothing, and lets a DENY win over an ALLOW", () => {
            expect(allowed([], caller, pod)).to.equal(true);
            expect(allowed([p({})], caller, pod)).to.equal(false);
            expect(allowed([p({}), p({ rules: [{}] })], caller, pod)).to.equal(true);
            expect(allowed([p({ rules: [{}] }), p({ action: "DENY", rules: [{ to: [{ operation: { ports: ["8080"] } }] }] })], caller, pod)).to.equal(false);
            // A policy elsewhere, or selecting other pods, does not apply; one in the root namespace does.
            expect(allowed([p({}, "other"), p({ selector: { matchLabels: { app: "db" } } })], caller, pod)).to.equal(true);
            expect(allowed([p({}, "istio-system")], caller, pod)).to.equal(false);
        });
        it("matches principals, namespaces and ports, and a plaintext caller only by rules without a source", () => {
            const rule = (from: unknown, ports?: string[]) => p({ rules: [{ from: [{ source: from }], ...(ports ? { to: [{ operation: { ports } }] } : {}) }] });
            expect([
                allowed([rule({ principals: [caller.principal] }, ["8080"])], caller, pod),
                allowed([rule({ principals: [caller.principal] }, ["9090"])], caller, pod),
                allowed([rule({ namespaces: ["clients"] })], caller, pod),
                allowed([rule({ namespaces: ["apps"] })], caller, pod),
                allowed([rule({ namespaces: ["clients"] })], {}, pod),
                allowed([p({ rules: [{ to: [{ operation: { ports: ["8080"] } }] }] })], {}, pod),
            ]).to.deep.equal([true, false, true, false, false, true]);
        });
    });

    describe("authorization policies, evaluated over the rendered pods", () => {
        it("give every namespace in the mesh an allow-nothing default, and select pods by their own labels only", async () => {
            const prod = await stack("prod");
            const meshed = namespacesOf(prod).filter((n) => n.dataplane !== "none").map((n) => n.name).sort();
            const policies = policiesOf(prod);
            const defaults = policies.filter((p) => p.metadata.name === "allow-nothing").sort((a, b) => a.metadata.namespace.localeCompare(b.metadata.namespace));
            expect(defaults.map((p) => [p.metadata.namespace, p.spec])).to.deep.equal(meshed.map((ns) => [ns, {}]));
            expect([...new Set(policies.map((p) => p.metadata.namespace))].sort()).to.deep.equal(meshed);
            for (const p of policies.filter((x) => x.metadata.name !== "allow-nothing")) {
                expect(Object.keys(p.spec.selector.matchLabels), p.metadata.name).to.not.be.empty;
                expect(p.spec.action, p.metadata.name).to.equal("ALLOW");
            }
        });

        it("allow every wiring edge: each client's service account to each pod behind the Service, on its target port", async () => {
            const prod = await stack("prod");
            const workloads = stackWorkloads(prod.resources).workloads;
            const namespaces = namespacesOf(prod);
            const policies = policiesOf(prod);
            let checked = 0;
            for (const edge of stackWiring(prod.resources).filter((e) => e.service)) {
                const { targets, clients } = endpointsOf(edge, workloads, namespaces);
                expect(targets, edge.usedBy).to.not.be.empty;
                // The ALB has no identity: it is admitted by its address, on the backend's port.
                if (edge.outside) {
                    for (const { w, port } of targets) expect(allowed(policies, LOAD_BALANCER, callee(w, port)), `${ALB} -> ${w.name}:${port}`).to.equal(true);
                    continue;
                }
                expect(clients, edge.usedBy).to.not.be.empty;
                for (const client of clients.filter((c) => serviceAccountOf(c))) {
                    for (const { w, port } of targets) {
                        expect(allowed(policies, as(client), callee(w, port)), `${client.name} -> ${w.name}:${port} (${edge.usedBy})`).to.equal(true);
                        checked++;
                    }
                }
            }
            expect(checked).to.be.greaterThan(15);
        });

        it("allow Prometheus to scrape every meshed pod on the ports it declares, and the API server its webhook's port without an identity", async () => {
            const prod = await stack("prod");
            const policies = policiesOf(prod);
            const meshed = new Set(namespacesOf(prod).filter((n) => n.dataplane !== "none").map((n) => n.name));
            for (const w of stackWorkloads(prod.resources).workloads.filter((x) => served(x) && meshed.has(x.namespace) && x.origin !== "model")) {
                for (const { port } of workloadPorts(w)) expect(allowed(policies, { principal: PROMETHEUS_SA }, callee(w, port)), `${w.name}:${port}`).to.equal(true);
            }
            const operator = find(prod, "monitoring", "kube-prometheus-stack-operator");
            expect(allowed(policies, {}, callee(operator, 10250))).to.equal(true);
            expect(allowed(policies, {}, callee(operator, 8080))).to.equal(false);
        });

        it("allow Strimzi's Entity Operator to the brokers' replication listener only, and cover the Grafana database-user Job with the allow-nothing policy", async () => {
            const prod = await stack("prod");
            const policies = policiesOf(prod);
            const broker = find(prod, "kafka", "observability-dual-role");
            const entityOperator = find(prod, "kafka", "observability-entity-operator");
            expect(serviceAccountOf(entityOperator)).to.equal("observability-entity-operator");
            expect([9090, 9091, 9092, 9093, 9094].filter((port) => allowed(policies, as(entityOperator), callee(broker, port)))).to.deep.equal([9091]);
            // The Job calls only RDS, outside the cluster, and serves nothing: its namespace's allow-nothing policy is all it needs.
            const jobs = prod.resources.filter((r) => r.type === "kubernetes:batch/v1:Job");
            expect(jobs.map((j) => j.inputs.metadata.namespace)).to.deep.equal(["monitoring"]);
            const pod = jobs[0].inputs.spec.template.spec;
            expect([...pod.initContainers, ...pod.containers].flatMap((c: any) => c.ports ?? [])).to.deep.equal([]);
            expect(namespacesOf(prod).find((n) => n.name === "monitoring")!.dataplane).to.equal("ambient");
            expect(policies.filter((p: any) => p.metadata.namespace === "monitoring" && p.metadata.name === "allow-nothing").map((p: any) => p.spec)).to.deep.equal([{}]);
        });

        it("deny pairs no edge names: Headlamp to Kafka, a Trivy scan job or Alloy to Grafana, Kubecost to Loki's writers, and any caller without an identity", async () => {
            const prod = await stack("prod");
            const policies = policiesOf(prod);
            const broker = find(prod, "kafka", "observability-dual-role");
            const grafana = find(prod, "monitoring", "grafana");
            const writer = find(prod, "monitoring", "loki-write");
            const gateway = find(prod, "monitoring", "loki-gateway");
            const headlamp = find(prod, "headlamp", "nist-eks-prod-operations-headlamp");
            const scan = find(prod, "trivy-system", "scan-vulnerabilityreport");
            const alloy = find(prod, "monitoring", "alloy-logs");
            const kubecost = find(prod, "kubecost", "nist-eks-prod-operations-kubecost-frontend");
            expect([
                allowed(policies, as(headlamp), callee(broker, 9093)),
                allowed(policies, as(scan), callee(grafana, 3000)),
                allowed(policies, as(alloy), callee(grafana, 3000)),
                allowed(policies, as(kubecost), callee(writer, 3100)),
                allowed(policies, {}, callee(gateway, 8080)),
                allowed(policies, { principal: principal("default", "default") }, callee(broker, 9091)),
            ]).to.deep.equal([false, false, false, false, false, false]);
            // ...while the edges beside them are allowed: Alloy to Loki's gateway, Tempo to the brokers, the brokers to each other.
            expect([
                allowed(policies, as(alloy), callee(gateway, 8080)),
                allowed(policies, as(find(prod, "monitoring", "tempo-distributor")), callee(broker, 9094)),
                allowed(policies, as(broker), callee(broker, 9091)),
            ]).to.deep.equal([true, true, true]);
            // The ALB reaches a UI's port from the VPC, and nothing else: not another port, not another service, not from elsewhere.
            expect([
                allowed(policies, LOAD_BALANCER, callee(grafana, 3000)),
                allowed(policies, LOAD_BALANCER, callee(grafana, 9094)),
                allowed(policies, LOAD_BALANCER, callee(gateway, 8080)),
                allowed(policies, { ip: "203.0.113.7" }, callee(grafana, 3000)),
                allowed(policies, { ip: "100.64.12.9" }, callee(kubecost, 9090)),
            ]).to.deep.equal([true, false, false, false, false]);
        });

        it("deny an edge the graph lacks: a new address without its policy is refused", async () => {
            const prod = await stack("prod");
            const workloads = stackWorkloads(prod.resources).workloads;
            const namespaces = namespacesOf(prod);
            const edges = stackWiring(prod.resources);
            const webhooks: [] = [];
            const alloyToLoki = edges.find((e) => e.client === `${OBS}-alloy-logs` && e.service?.name === "loki-gateway")!;
            const gateway = find(prod, "monitoring", "loki-gateway");
            const alloy = find(prod, "monitoring", "alloy-logs");
            const without = meshPolicies({ namespaces, workloads, webhooks, edges: edges.filter((e) => e !== alloyToLoki), vpcCidr: "10.0.0.0/16" }).authorizationPolicies;
            const withIt = meshPolicies({ namespaces, workloads, webhooks, edges, vpcCidr: "10.0.0.0/16" }).authorizationPolicies;
            expect([allowed(without, as(alloy), callee(gateway, 8080)), allowed(withIt, as(alloy), callee(gateway, 8080))]).to.deep.equal([false, true]);
        });

        it("name callers by the service accounts the rendered pods run as", async () => {
            const prod = await stack("prod");
            const grafanaPolicy = policiesOf(prod).find((p) => p.metadata.namespace === "monitoring" && p.metadata.name === "allow-loki-gateway")!;
            const sources = grafanaPolicy.spec.rules.flatMap((r: any) => (r.from ?? []).flatMap((f: any) => f.source.principals ?? []));
            const sa = (name: string) => serviceAccountOf(find(prod, "monitoring", name))!;
            expect(sources).to.include.members([principal("monitoring", sa("grafana")), principal("monitoring", sa("alloy-logs")), principal("monitoring", sa("alloy-events"))]);
            expect([sa("grafana"), sa("alloy-logs")]).to.deep.equal(["grafana", "alloy-logs"]);
        });
    });

    it("the README's membership table gives each namespace the dataplane MESH_MEMBERSHIP gives it", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("### Encryption and identity on every hop"));
        const rows = section.slice(section.indexOf("| namespace | dataplane | why |")).split("\n\n")[0].split("\n").filter((l) => /^\| `/.test(l)).map((l) => l.split(" | "));
        const table = Object.fromEntries(rows.flatMap(([namespaces, dataplane]) => [...namespaces.matchAll(/`([^`]+)`/g)].map((m) => [m[1], dataplane])));
        expect(table).to.deep.equal(Object.fromEntries(Object.entries(MESH_MEMBERSHIP).map(([ns, m]) => [ns, m.dataplane])));
    });
});
