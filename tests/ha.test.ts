/**
 * HA in prod means surviving a node and a zone: over prod's renders and the workloads operators
 * make, every Deployment or StatefulSet with more than one replica has a PodDisruptionBudget that
 * selects its pods and a zone spread or anti-affinity, and no write path runs a single replica.
 */
import { expect } from "chai";
import { HA_DEDUPLICATION } from "../components/observability/mimir";
import { stackWorkloads } from "../components/helm/workloads";
import { stackWiring } from "../components/helm/workloads";
import { Manifest } from "../lib/helm/render";
import { Workload } from "../lib/workloads";
import { stack } from "./support/stacks";

const ZONE = "topology.kubernetes.io/zone";
const selects = (selector: any, labels: Record<string, string>) =>
    Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v)
    && (selector?.matchExpressions ?? []).every((e: any) => e.operator === "In" ? e.values.includes(labels[e.key]) : e.operator === "Exists" ? e.key in labels : true)
    && (Object.keys(selector?.matchLabels ?? {}).length > 0 || (selector?.matchExpressions ?? []).length > 0);

/** A pod spec's placement: a zone spread, or an anti-affinity (required or preferred) on any topology. */
const spreads = (pod: any) => (pod?.topologySpreadConstraints ?? []).some((c: any) => c.topologyKey === ZONE)
    || Boolean(pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length || pod?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length);

interface Replicated { readonly name: string; readonly namespace: string; readonly replicas: number; readonly labels: Record<string, string>; readonly pod: any }

/** Every Deployment and StatefulSet prod runs with more than one replica: rendered, or made by an operator from a rendered or declared object. */
async function replicated() {
    const prod = await stack("prod");
    const { renders } = stackWorkloads(prod.resources);
    const manifests: Manifest[] = [...renders.values()].flatMap(({ rendered }) => rendered.manifests);
    const operated = stackWorkloads(prod.resources).workloads.filter((w) => w.origin === "operator" && w.kind === "StatefulSet");
    const list: Replicated[] = [
        ...manifests.filter((m) => (m.kind === "Deployment" || m.kind === "StatefulSet") && (m.spec.replicas ?? 1) > 1)
            .map((m) => ({ name: `${m.kind} ${m.metadata.name}`, namespace: m.metadata.namespace!, replicas: m.spec.replicas, labels: m.spec.template.metadata.labels, pod: m.spec.template.spec })),
        // The operators' pods: Prometheus and Alertmanager place them as their objects say, Strimzi as the node pool's template says.
        ...operated.filter((w) => w.replicas > 1).map((w) => ({ name: `StatefulSet ${w.name}`, namespace: w.namespace, replicas: w.replicas, labels: { ...w.podLabels }, pod: placementOf(w, manifests, prod.resources) })),
    ];
    return { prod, manifests, list };
}

function placementOf(w: Workload, manifests: readonly Manifest[], resources: readonly { type: string; inputs: any }[]): any {
    const object = manifests.find((m) => (m.kind === "Prometheus" || m.kind === "Alertmanager") && w.name === `${m.kind.toLowerCase()}-${m.metadata.name}`);
    if (object) return object.spec;
    const pool = resources.find((r) => r.type === "kubernetes:kafka.strimzi.io/v1:KafkaNodePool" && w.name.endsWith(`-${r.inputs.metadata.name}`));
    if (pool) return pool.inputs.spec.template.pod;
    throw new Error(`no object places ${w.name}`);
}

describe("HA in prod: a node or a zone may go", () => {
    it("every Deployment or StatefulSet with more than one replica has a PodDisruptionBudget that selects it, and a zone spread or anti-affinity", async () => {
        const { prod, manifests, list } = await replicated();
        const pdbs = manifests.filter((m) => m.kind === "PodDisruptionBudget");
        // Strimzi makes a PodDisruptionBudget for each Kafka cluster's pods (maxUnavailable 1) unless its template says otherwise.
        const kafka = prod.resources.filter((r) => r.type === "kubernetes:kafka.strimzi.io/v1:Kafka");
        const strimziBudget = (x: Replicated) => kafka.some((k) => x.labels["strimzi.io/cluster"] === k.inputs.metadata.name && k.inputs.spec.kafka.template?.podDisruptionBudget === undefined);
        const missing = list.flatMap((x) => [
            ...(pdbs.some((p) => p.metadata.namespace === x.namespace && selects(p.spec.selector, x.labels)) || strimziBudget(x) ? [] : [`${x.namespace}/${x.name}: no PodDisruptionBudget selects its pods`]),
            ...(spreads(x.pod) ? [] : [`${x.namespace}/${x.name}: neither a zone spread nor an anti-affinity`]),
        ]);
        expect(missing).to.deep.equal([]);
        // What the rule covered: Grafana, Kiali, Loki's gateway, istiod, Prometheus and Alertmanager among them.
        expect(list.map((x) => `${x.namespace}/${x.name} x${x.replicas}`).sort()).to.include.members([
            "monitoring/Deployment grafana x2", "monitoring/Deployment kiali x2", "monitoring/Deployment loki-gateway x2", "istio-system/Deployment istiod x2",
            "monitoring/StatefulSet loki-write x3", "monitoring/StatefulSet prometheus-kube-prometheus-stack-prometheus x2",
            "monitoring/StatefulSet alertmanager-kube-prometheus-stack-alertmanager x2", "kafka/StatefulSet observability-dual-role x3",
        ]);
    });

    it("finds a replicated workload without a budget or a spread", async () => {
        const { manifests } = await replicated();
        const grafana = manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "grafana")!;
        expect(spreads(grafana.spec.template.spec)).to.equal(true);
        expect(spreads({ ...grafana.spec.template.spec, topologySpreadConstraints: [{ topologyKey: "kubernetes.io/hostname" }] })).to.equal(false);
        const budget = manifests.find((m) => m.kind === "PodDisruptionBudget" && m.metadata.name === "grafana")!;
        expect(selects(budget.spec.selector, grafana.spec.template.metadata.labels)).to.equal(true);
        expect(selects(budget.spec.selector, { ...grafana.spec.template.metadata.labels, "app.kubernetes.io/name": "other" })).to.equal(false);
    });

    it("no write path has a single replica: every Service a push names, and what stands behind it", async () => {
        const { prod } = await replicated();
        const workloads = stackWorkloads(prod.resources).workloads;
        const pushes = stackWiring(prod.resources).filter((e) => e.service && /push|remote_write|remoteWrite|kafka|opentelemetry|alloy\.configMap/.test(e.usedBy));
        const behind = (selector: Record<string, string>, namespace: string) => workloads.filter((w) => w.namespace === namespace && Object.entries(selector).every(([k, v]) => w.podLabels[k] === v));
        expect(pushes.map((e) => e.service!.name).sort()).to.deep.equal(["loki-gateway", "loki-gateway", "mimir-gateway", "mimir-gateway", "observability-kafka-bootstrap", "observability-kafka-bootstrap", "tempo-distributor"]);
        const single = pushes.flatMap((e) => behind((e.service!.selector ?? {}), e.service!.namespace).filter((w) => w.replicas < 2).map((w) => `${e.usedBy}: ${w.name} x${w.replicas}`));
        expect(single).to.deep.equal([]);
        // The write path past the first hop: Loki's writers, Tempo's live-stores and block-builders, Kafka, Prometheus, Alertmanager.
        const count = (name: string) => workloads.find((w) => w.name === name)!.replicas;
        expect(["loki-write", "tempo-live-store", "tempo-block-builder", "observability-dual-role", "prometheus-kube-prometheus-stack-prometheus", "alertmanager-kube-prometheus-stack-alertmanager"].map(count))
            .to.deep.equal([3, 2, 2, 3, 2, 2]);
    });

    it("Loki writes three copies over three writers; two Prometheus replicas differ only by __replica__, which Mimir's HA tracker deduplicates", async () => {
        const { prod, manifests } = await replicated();
        const release = (chart: string) => prod.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs.chart).endsWith(chart))!.inputs.values;
        expect([release("loki").loki.commonConfig.replication_factor, release("loki").write.replicas]).to.deep.equal([3, 3]);
        const prometheus = manifests.find((m) => m.kind === "Prometheus")!.spec;
        expect({ replicas: prometheus.replicas, externalLabels: prometheus.externalLabels, replicaExternalLabelName: prometheus.replicaExternalLabelName })
            .to.deep.equal({ replicas: 2, externalLabels: { cluster: "nist-eks-prod" }, replicaExternalLabelName: "__replica__" });
        const mimir = release("mimir-distributed").mimir.structuredConfig;
        expect({ distributor: mimir.distributor, ha: Object.fromEntries(Object.entries(mimir.limits).filter(([k]) => /ha_/.test(k))) }).to.deep.equal({
            distributor: { ha_tracker: { enable_ha_tracker: true, kvstore: { store: "memberlist" } } },
            ha: { accept_ha_samples: true, ha_cluster_label: "cluster", ha_replica_label: "__replica__" },
        });
        expect(HA_DEDUPLICATION.limits.ha_cluster_label).to.equal(Object.keys(prometheus.externalLabels)[0]);
        expect(manifests.find((m) => m.kind === "Alertmanager")!.spec.replicas).to.equal(2);
    });
});
