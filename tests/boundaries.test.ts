/**
 * The generated in-cluster boundaries, evaluated: the NetworkPolicies each stack declares, over the
 * pods it runs (rendered, and made by operators), admit every wiring edge and every scrape, and
 * deny the pairs no edge names.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { stackWiring, stackWorkloads } from "../components/helm/workloads";
import { databaseClients } from "../components/database/client-user";
import { boundaryInputs } from "../components/security/boundaries";
import { PlannedResource } from "../engine/types";
import { AMBIENT_LABEL, AMBIENT_PROBE_SOURCE, boundaryTable, generateBoundaries, HBONE_PORT } from "../lib/boundaries";
import { allows, Connection, Namespace, NetworkPolicy, Pod, selects } from "../lib/network-policy";
import { Address } from "../lib/wiring";
import { Workload } from "../lib/workloads";
import { VPC_CNI_SCHEMA } from "../components/cluster/addons";
import { schemaProblems } from "../lib/addon-schema";
import { clusterSummaries } from "../planner/cluster";
import { allPolicies } from "../policy/policies";
import { renderPlan } from "../planner/render";
import { planOf, stack } from "./support/stacks";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const VPC = "10.0.0.0/16";
/** A node's address, where host-network pods and the kubelet speak from. */
const NODE = { ip: "10.0.10.20", name: "a node" };
/** The UIs' ALB: an address in a public subnet, where it sends from to its ip targets. */
const LOAD_BALANCER = { ip: "10.0.3.25", name: "the UIs' ALB" };
/** An address in the private subnets where RDS puts Grafana's database. */
const DATABASE = { ip: "10.0.20.30", name: "Grafana's database" };
/** Who may reach Grafana's database, as platform.ts declares it: Grafana, and the Job that sets up Grafana's own user. */
const grafanaDatabaseClients = (grafanaRelease: string) => databaseClients({ release: grafanaRelease, username: "grafana_app", database: "Grafana's database" }, 5432);

/** What the evaluator sees of a stack: its namespaces, declared policies and every pod, each with an address. */
function cluster(resources: readonly PlannedResource[]) {
    const namespaces: Namespace[] = resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => ({ name: r.inputs.metadata.name, labels: r.inputs.metadata.labels ?? {} }));
    // Everything that will be in the cluster: the declared policies and any a chart renders.
    const { workloads: all, renders } = stackWorkloads(resources);
    const rendered = [...renders.values()].flatMap(({ request, rendered: r }) => r.manifests.filter((m) => m.kind === "NetworkPolicy").map((m) => ({ metadata: { name: m.metadata.name, namespace: m.metadata.namespace ?? request.namespace }, spec: m.spec })));
    const policies: NetworkPolicy[] = [...resources.filter((r) => r.type === NETWORK_POLICY).map((r) => ({ metadata: r.inputs.metadata, spec: r.inputs.spec })), ...rendered];
    const workloads = all.filter((w) => w.containers.length > 0);
    const pods = new Map<Workload, Pod>(workloads.map((w, i) => [w, {
        name: `${w.namespace}/${w.name}`,
        namespace: w.namespace,
        labels: w.podLabels,
        ip: w.hostNetwork ? NODE.ip : `100.64.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        ports: (w.podSpec?.containers ?? []).flatMap((c: any) => c.ports ?? []),
        hostNetwork: w.hostNetwork,
    }]));
    return { namespaces, policies, workloads, pods, platform: new Set(namespaces.map((n) => n.name)) };
}

type Cluster = ReturnType<typeof cluster>;

/** The numeric port a Service port forwards to on a pod. */
function podPort(pod: Pod, target: number | string): number | undefined {
    return typeof target === "number" ? target : pod.ports.find((p) => p.name === target)?.containerPort;
}

const allowed = (c: Cluster, connection: Connection) => allows(connection, c.policies, c.namespaces);

/** Where the kubelet's probes of a namespace's pods come from: the node, or istio-cni's address in an ambient namespace. */
const kubelet = (c: Cluster, namespace: string) => c.namespaces.find((n) => n.name === namespace)?.labels[AMBIENT_LABEL.key] === AMBIENT_LABEL.value
    ? { ip: AMBIENT_PROBE_SOURCE.split("/")[0], name: "istio-cni" } : NODE;

/** Every wiring edge as concrete connections (each client pod to each pod behind the Service, on its port), with those denied. */
function deniedEdges(c: Cluster, wiring: readonly Address[]): string[] {
    const denied: string[] = [];
    for (const edge of wiring.filter((a) => a.service?.selector)) {
        const service = edge.service!;
        const port = service.ports.find((p) => p.port === edge.port)!;
        // A load balancer outside the cluster (an Ingress backend) dials from its address in the VPC's subnets.
        if (edge.outside) {
            const behind = c.workloads.filter((w) => w.namespace === service.namespace && selects({ matchLabels: service.selector }, w.podLabels));
            expect(behind, `pods behind ${service.name}`).to.not.be.empty;
            for (const server of behind) {
                const number = podPort(c.pods.get(server)!, port.targetPort)!;
                if (!allowed(c, { from: LOAD_BALANCER, to: { pod: c.pods.get(server)! }, port: number })) denied.push(`${edge.client} -> ${server.namespace}/${server.name}:${number} (${edge.usedBy})`);
            }
            continue;
        }
        // The mesh's tracing provider is dialled by the proxies, not by istiod.
        // A model's pods (a chart not vendored yet) have no labels to admit: generateBoundaries reports them as gaps.
        // A release's host-network pods (the node exporter) dial nothing its values name, and no NetworkPolicy can select them.
        const clients = (/extensionProviders/.test(edge.usedBy) ? c.workloads.filter((w) => w.containers.some((x) => x.name === "istio-proxy")) : c.workloads.filter((w) => w.source === edge.client)).filter((w) => w.origin !== "model" && !w.hostNetwork);
        if (clients.length === 0 && c.workloads.some((w) => w.source === edge.client)) continue;
        const servers = c.workloads.filter((w) => w.namespace === service.namespace && selects({ matchLabels: service.selector }, w.podLabels));
        expect(clients, `clients of ${edge.usedBy}`).to.not.be.empty;
        expect(servers, `pods behind ${service.name}`).to.not.be.empty;
        for (const client of clients) for (const server of servers) {
            const to = c.pods.get(server)!;
            const number = podPort(to, port.targetPort)!;
            if (!allowed(c, { from: { pod: c.pods.get(client)! }, to: { pod: to }, port: number })) denied.push(`${client.namespace}/${client.name} -> ${server.namespace}/${server.name}:${number} (${edge.usedBy})`);
        }
    }
    return denied;
}

/** Every scrape target of every monitor, as Prometheus connections, with those denied. */
function deniedScrapes(c: Cluster, resources: readonly PlannedResource[]): { checked: number; denied: string[] } {
    const inputs = boundaryInputs(resources, { vpcCidr: VPC }, []);
    const prometheus = c.workloads.filter((w) => w.origin === "operator" && w.podLabels["app.kubernetes.io/name"] === "prometheus");
    const denied: string[] = [];
    let checked = 0;
    const check = (target: Workload, port: number, monitor: string) => {
        const to = c.pods.get(target)!;
        for (const p of prometheus) {
            checked++;
            const connection: Connection = { from: { pod: c.pods.get(p)! }, to: target.hostNetwork ? NODE : { pod: to }, port };
            if (!allowed(c, connection)) denied.push(`${monitor} -> ${target.namespace}/${target.name}:${port}`);
        }
    };
    for (const m of inputs.monitors) {
        const namespaces = m.spec.namespaceSelector?.any ? [...c.platform] : m.spec.namespaceSelector?.matchNames ?? [m.namespace];
        if (m.kind === "PodMonitor") {
            for (const w of c.workloads.filter((x) => namespaces.includes(x.namespace) && selects(m.spec.selector ?? {}, x.podLabels))) {
                for (const e of m.spec.podMetricsEndpoints ?? []) {
                    const number = podPort(c.pods.get(w)!, e.port);
                    if (number !== undefined) check(w, number, `PodMonitor ${m.name}`);
                }
            }
            continue;
        }
        for (const s of inputs.services.filter((x) => namespaces.includes(x.namespace) && selects(m.spec.selector ?? {}, x.labels ?? {}) && x.selector)) {
            for (const e of m.spec.endpoints ?? []) {
                const port = s.ports.find((p) => p.name === e.port);
                if (!port) continue;
                for (const w of c.workloads.filter((x) => x.namespace === s.namespace && selects({ matchLabels: s.selector }, x.podLabels))) {
                    const number = podPort(c.pods.get(w)!, port.targetPort);
                    if (number !== undefined) check(w, number, `ServiceMonitor ${m.name}`);
                }
            }
        }
    }
    return { checked, denied };
}

const find = (c: Cluster, namespace: string, name: RegExp) => {
    const found = c.workloads.find((w) => w.namespace === namespace && name.test(w.name));
    if (!found) throw new Error(`no workload ${namespace}/${name}`);
    return c.pods.get(found)!;
};

describe("in-cluster boundaries: generated NetworkPolicies, evaluated over the rendered pods", () => {
    for (const name of ["dev", "prod"]) {
        describe(name, () => {
            it("gives every platform namespace a default-deny for ingress and egress, and every platform pod is isolated both ways", async () => {
                const c = cluster((await stack(name)).resources);
                for (const ns of c.platform) {
                    expect(c.policies.filter((p) => p.metadata.namespace === ns && p.metadata.name === "default-deny").map((p) => p.spec), ns).to.deep.equal([{ podSelector: {}, policyTypes: ["Ingress", "Egress"] }]);
                }
                const open = c.workloads.filter((w) => c.platform.has(w.namespace) && !w.hostNetwork)
                    .filter((w) => allowed(c, { from: { ip: "8.8.8.8", name: "outside" }, to: { pod: c.pods.get(w)! }, port: 1 }));
                expect(open.map((w) => w.name)).to.deep.equal([]);
            });

            it("admits every wiring edge: each client pod reaches each pod behind the Service, on the Service's target port", async () => {
                const run = await stack(name);
                expect(deniedEdges(cluster(run.resources), stackWiring(run.resources)).join("\n")).to.equal("");
            });

            it("admits every Prometheus scrape of every ServiceMonitor and PodMonitor target, on the node too for host-network exporters", async () => {
                const run = await stack(name);
                const { checked, denied } = deniedScrapes(cluster(run.resources), run.resources);
                expect(checked).to.be.greaterThan(10);
                expect(denied).to.deep.equal([]);
            });

            it("admits the kubelet's probes of every platform pod, on the ports they probe (the proxy's status port where Istio rewrites them)", async () => {
                const c = cluster((await stack(name)).resources);
                const refused: string[] = [];
                let probed = 0;
                for (const w of c.workloads.filter((x) => c.platform.has(x.namespace) && !x.hostNetwork && x.podSpec)) {
                    const pod = c.pods.get(w)!;
                    for (const container of w.podSpec!.containers ?? []) for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe].filter(Boolean)) {
                        const port = podPort(pod, probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port);
                        if (port === undefined) continue;
                        probed++;
                        if (!allowed(c, { from: kubelet(c, w.namespace), to: { pod }, port })) refused.push(`${w.namespace}/${w.name}:${port}`);
                    }
                }
                expect(probed).to.be.greaterThan(5);
                expect(refused).to.deep.equal([]);
            });

            it("selects pods by labels that survive a chart upgrade: no chart or app version in any selector", async () => {
                const selectors = JSON.stringify(cluster((await stack(name)).resources).policies.map((p) => p.spec));
                expect(selectors).to.not.match(/helm\.sh\/chart|app\.kubernetes\.io\/version|"version"|"chart"/);
            });

            it("declares each policy as a resource of its own that waits for its namespace", async () => {
                const run = await stack(name);
                const namespaces = new Map(run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => [r.inputs.metadata.name, r.urn]));
                const policies = run.resources.filter((r) => r.type === NETWORK_POLICY);
                expect(policies).to.not.be.empty;
                expect(policies.filter((p) => !p.dependencies.includes(namespaces.get(p.inputs.metadata.namespace)!)).map((p) => p.name)).to.deep.equal([]);
            });

            it("declares exactly what lib/boundaries.ts generates from the stack's own inputs", async () => {
                const run = await stack(name);
                const database = run.resources.some((r) => r.type === "aws:rds/instance:Instance");
                const expected = generateBoundaries(boundaryInputs(run.resources, { vpcCidr: VPC }, database ? grafanaDatabaseClients(`nist-eks-${name}-observability-grafana`) : [])).policies;
                const byName = (a: NetworkPolicy, b: NetworkPolicy) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);
                const declared = run.resources.filter((r) => r.type === NETWORK_POLICY).map((r): NetworkPolicy => ({ metadata: r.inputs.metadata, spec: r.inputs.spec }));
                expect(cluster(run.resources).policies.length, "no chart renders a NetworkPolicy of its own").to.equal(declared.length);
                expect(declared.sort(byName).map((p) => [p.metadata, p.spec])).to.deep.equal([...expected].sort(byName).map((p) => [p.metadata, p.spec]));
            });
        });
    }

    it("prod denies the pairs no edge names: Headlamp to Kafka or Kiali, a Trivy scan job to Grafana's database, any pod to another release's memcached", async () => {
        const c = cluster((await stack("prod")).resources);
        const headlamp = find(c, "headlamp", /headlamp/);
        const broker = find(c, "kafka", /dual-role/);
        const tempo = find(c, "monitoring", /^tempo-distributor$/);
        const grafana = find(c, "monitoring", /^grafana$/);
        const scan = find(c, "trivy-system", /scan-vulnerabilityreport/);
        const distributor = find(c, "monitoring", /^mimir-distributor$/);
        const entityOperator = find(c, "kafka", /entity-operator/);
        expect(allowed(c, { from: { pod: tempo }, to: { pod: broker }, port: 9094 }), "Tempo to its SASL listener").to.equal(true);
        expect(allowed(c, { from: { pod: tempo }, to: { pod: broker }, port: 9093 }), "Tempo to Mimir's TLS listener").to.equal(false);
        expect(allowed(c, { from: { pod: distributor }, to: { pod: broker }, port: 9093 }), "Mimir to its TLS listener").to.equal(true);
        expect(allowed(c, { from: { pod: distributor }, to: { pod: broker }, port: 9094 }), "Mimir to Tempo's SASL listener").to.equal(false);
        expect(allowed(c, { from: { pod: entityOperator }, to: { pod: broker }, port: 9091 }), "the Entity Operator to the replication listener").to.equal(true);
        expect(allowed(c, { from: { pod: headlamp }, to: { pod: broker }, port: 9093 }), "Headlamp to Kafka").to.equal(false);
        expect(allowed(c, { from: { pod: headlamp }, to: { pod: broker }, port: 9094 }), "Headlamp to Tempo's SASL listener").to.equal(false);
        expect(allowed(c, { from: { pod: headlamp }, to: { pod: broker }, port: 9091 }), "Headlamp to Kafka's replication port").to.equal(false);
        expect(allowed(c, { from: { pod: grafana }, to: DATABASE, port: 5432 }), "Grafana to its database").to.equal(true);
        const userJob = find(c, "monitoring", /^grafana-app-db-setup$/);
        expect(allowed(c, { from: { pod: userJob }, to: DATABASE, port: 5432 }), "the Job that sets up Grafana's database user, to the database").to.equal(true);
        expect(allowed(c, { from: { pod: scan }, to: DATABASE, port: 5432 }), "a scan job to Grafana's database").to.equal(false);
        expect(allowed(c, { from: { pod: tempo }, to: DATABASE, port: 5432 }), "Tempo to Grafana's database").to.equal(false);
        expect(allowed(c, { from: { pod: scan }, to: { ip: "52.0.0.1", name: "a registry" }, port: 443 }), "a scan job pulls from a registry").to.equal(true);
        expect(allowed(c, { from: { pod: scan }, to: { ip: "52.0.0.1", name: "the internet" }, port: 22 }), "a scan job to the internet on another port").to.equal(false);
        expect(allowed(c, { from: { pod: scan }, to: NODE, port: 10250 }), "a scan job to a kubelet").to.equal(false);
        const kiali = find(c, "monitoring", /^kiali$/);
        expect(allowed(c, { from: { pod: headlamp }, to: { pod: kiali }, port: 20001 }), "Headlamp to Kiali (the chart's own policy is off)").to.equal(false);
        const caches = c.workloads.filter((w) => /cache|memcached/.test(w.name) && w.origin !== "model");
        expect(caches.map((w) => w.name)).to.include.members(["loki-chunks-cache", "loki-results-cache", "tempo-memcached"]);
        for (const cache of caches) {
            const to = c.pods.get(cache)!;
            const port = to.ports.find((p) => p.name === "client")!.containerPort;
            const strangers = c.workloads.filter((w) => w.source !== cache.source && !w.hostNetwork);
            expect(strangers.filter((w) => allowed(c, { from: { pod: c.pods.get(w)! }, to: { pod: to }, port })).map((w) => w.name), cache.name).to.deep.equal([]);
            expect(allowed(c, { from: { pod: headlamp }, to: { pod: to }, port }), `Headlamp to ${cache.name}`).to.equal(false);
        }
    });

    it("in a namespace labelled for the ambient mesh, admits the same clients on HBONE 15008 too, and probes from istio-cni's address", async () => {
        const run = await stack("prod");
        // monitoring in the ambient mesh and kafka outside it, whatever prod's own labels say.
        const withoutMesh = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).filter(([k]) => k !== AMBIENT_LABEL.key));
        const ambient = run.resources.map((r) => r.type === "kubernetes:core/v1:Namespace" && ["monitoring", "kafka"].includes(r.inputs.metadata.name)
            ? { ...r, inputs: { ...r.inputs, metadata: { ...r.inputs.metadata, labels: { ...withoutMesh(r.inputs.metadata.labels), ...(r.inputs.metadata.name === "monitoring" ? { [AMBIENT_LABEL.key]: AMBIENT_LABEL.value } : {}) } } } } : r);
        const policies = generateBoundaries(boundaryInputs(ambient, { vpcCidr: VPC }, [])).policies;
        const c = { ...cluster(ambient), policies };
        const grafana = find(c, "monitoring", /^grafana$/);
        const gateway = find(c, "monitoring", /^loki-gateway$/);
        const headlamp = find(c, "headlamp", /headlamp/);
        const kafka = find(c, "kafka", /dual-role/);
        const tempo = find(c, "monitoring", /^tempo-distributor$/);
        expect(allowed(c, { from: { pod: grafana }, to: { pod: gateway }, port: HBONE_PORT }), "Grafana to Loki's gateway over HBONE").to.equal(true);
        expect(allowed(c, { from: { pod: headlamp }, to: { pod: gateway }, port: HBONE_PORT }), "Headlamp to Loki's gateway over HBONE").to.equal(false);
        expect(allowed(c, { from: { pod: tempo }, to: { pod: kafka }, port: HBONE_PORT }), "HBONE only where the receiver is ambient").to.equal(false);
        const probe = podPort(gateway, stackWorkloads(ambient).workloads.find((w) => w.name === "loki-gateway")!.podSpec!.containers[0].readinessProbe.httpGet.port)!;
        expect(allowed(c, { from: { ip: AMBIENT_PROBE_SOURCE.split("/")[0], name: "istio-cni" }, to: { pod: gateway }, port: probe })).to.equal(true);
        expect(allowed(c, { from: NODE, to: { pod: gateway }, port: probe }), "in ambient, probes come from istio-cni's address only").to.equal(false);
    });

    it("a new address in a values builder without its policy is caught: the edge is denied by the declared policies", async () => {
        const run = await stack("prod");
        const headlamp = run.resources.find((r) => r.name === "nist-eks-prod-operations-headlamp")!;
        const changed = run.resources.map((r) => r !== headlamp ? r : { ...r, inputs: { ...r.inputs, values: { ...r.inputs.values, config: { ...r.inputs.values.config, extraTarget: "http://loki-gateway.monitoring.svc.cluster.local:80" } } } });
        const c = cluster(run.resources);
        expect(deniedEdges(c, stackWiring(changed)).filter((d) => d.includes("headlamp"))).to.deep.equal([
            "headlamp/nist-eks-prod-operations-headlamp -> monitoring/loki-gateway:8080 (nist-eks-prod-operations-headlamp values config.extraTarget)",
        ]);
    });

    it("prod has no gap: every address resolves to pods the policies can select", async () => {
        const run = await stack("prod");
        expect(generateBoundaries(boundaryInputs(run.resources, { vpcCidr: VPC }, [])).gaps).to.deep.equal([]);
    });
});

describe("network-policy enforcement: the VPC CNI's agent", () => {
    for (const name of ["dev", "prod"]) {
        it(`${name}: the vpc-cni add-on turns on its network-policy agent, and its whole configuration passes the add-on's schema`, async () => {
            const addon = (await stack(name)).resources.find((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "vpc-cni")!;
            const values = JSON.parse(addon.inputs.configurationValues);
            expect(values.enableNetworkPolicy).to.equal("true");
            expect(schemaProblems(values, VPC_CNI_SCHEMA.schema)).to.deep.equal([]);
        });
    }

    it("checks keys, types and the add-on's string formats against the schema derived from describe-addon-configuration, with its provenance", () => {
        expect(VPC_CNI_SCHEMA.addonName).to.equal("vpc-cni");
        expect(VPC_CNI_SCHEMA.source.command).to.equal(`aws eks describe-addon-configuration --addon-name vpc-cni --addon-version ${VPC_CNI_SCHEMA.addonVersion}`);
        expect(schemaProblems({ enableNetworkPolicy: "yes", enableNetworkPolicies: "true", env: { ENABLE_PREFIX_DELEGATION: true, WARM_PREFIX_TARGET: "one" }, resources: { requests: { cpu: "25m", gpu: "1" } } }, VPC_CNI_SCHEMA.schema)).to.deep.equal([
            "$.enableNetworkPolicy: got \"yes\"; allowed: a string holding \"true\" or \"false\"",
            "$.enableNetworkPolicies: not a key the add-on accepts; allowed: affinity, enableNetworkPolicy, enableWindowsIpam, eniConfig, env, init, livenessProbeTimeoutSeconds, nodeAgent, readinessProbeTimeoutSeconds, resources, tolerations",
            "$.env.ENABLE_PREFIX_DELEGATION: got true (boolean); allowed: string",
            "$.env.WARM_PREFIX_TARGET: got \"one\"; allowed: a string holding an integer",
            "$.resources.requests.gpu: not a key the add-on accepts; allowed: cpu, memory",
        ]);
    });

    it("the plan says whether policies are enforced, and says so loudly when they are not", async () => {
        const prod = await stack("prod");
        expect(renderPlan(planOf(prod))).to.include("  Network policies: enforced by the VPC CNI's network-policy agent; 85 policies in 8 namespaces, default deny");
        const off = prod.resources.map((r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "vpc-cni" ? { ...r, inputs: { ...r.inputs, configurationValues: JSON.stringify({ ...JSON.parse(r.inputs.configurationValues), enableNetworkPolicy: "false" }) } } : r);
        expect(clusterSummaries(off)[0].networkPolicies).to.deep.equal({ enforced: false, policies: 85, namespaces: 8 });
    });
});

describe("the README's in-cluster boundaries", () => {
    it("shows prod's table as generated from the graph, and counts the pack's rules", async () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const run = await stack("prod");
        const boundaries = generateBoundaries(boundaryInputs(run.resources, { vpcCidr: run.config.network.vpcCidr }, grafanaDatabaseClients("nist-eks-prod-observability-grafana")));
        expect(readme).to.include(`\n${boundaryTable(boundaries, "nist-eks-prod-")}\n`);
        expect(readme).to.include(`\`policy/README.md\` lists the ${allPolicies.length} rules`);
    });
});
