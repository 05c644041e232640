/**
 * Mimir as the pinned mimir-distributed 6.2.0 renders it with the platform's values: what runs
 * (pods per zone, placement, volumes and their class, service accounts, images, sizes), compared
 * as whole objects against the stack config, in prod (ingest storage, three zones, caches) and in
 * dev's classic-architecture variant.
 */
import { expect } from "chai";
import * as jsyaml from "js-yaml";
import { CHARTS } from "../components/helm/catalog";
import { releaseChart, stackWorkloads } from "../components/helm/workloads";
import { mimirValues, unsizedMimirContainers } from "../components/observability/mimir";
import { KAFKA_BOOTSTRAP } from "../components/observability/kafka";
import { WorkloadSize } from "../config/schema";
import { StackRun } from "../engine/run";
import { Manifest } from "../lib/helm/render";
import { stackWiring } from "../components/helm/workloads";
import { manifestWorkloads } from "../lib/workloads";
import { renderChart } from "./support/render";
import { ofType, stack, stackWith } from "./support/stacks";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const MIMIR_IMAGE = "docker.io/grafana/mimir:3.2.0";

/** Dev with Mimir on in the classic (Kafka-less) architecture over three zones. */
const classicDev = () => stackWith("dev", (c) => {
    c.network.availabilityZones = ZONES;
    c.cluster.nodeGroups[0].availabilityZones = ZONES;
    c.observability.mimir = { ...c.observability.mimir, enabled: true, architecture: "classic", ingesterZones: 3 };
});

const mimirRelease = (run: StackRun) => ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => releaseChart(r.inputs) === CHARTS.mimir.chart)!;

/** The engine-recorded Mimir release's render. */
function mimirManifests(run: StackRun): readonly Manifest[] {
    return stackWorkloads(run.resources).renders.get(mimirRelease(run).name)!.rendered.manifests;
}

/** What matters of each rendered Deployment and StatefulSet, sorted by name. */
function controllers(manifests: readonly Manifest[]) {
    return manifests.filter((m) => m.kind === "Deployment" || m.kind === "StatefulSet").map((m) => {
        const pod = m.spec.template.spec;
        return {
            kind: m.kind,
            name: m.metadata.name,
            replicas: m.spec.replicas,
            zone: pod.nodeSelector?.["topology.kubernetes.io/zone"],
            serviceAccount: pod.serviceAccountName,
            claims: (m.spec.volumeClaimTemplates ?? []).map((t: any) => ({ name: t.metadata.name, storageClass: t.spec.storageClassName, size: t.spec.resources.requests.storage })),
            containers: pod.containers.map((c: any) => ({ name: c.name, image: c.image, resources: c.resources })),
        };
    }).sort((a, b) => a.name.localeCompare(b.name));
}

/** Mimir's own config file, as the chart renders it into its ConfigMap. */
const mimirConfig = (manifests: readonly Manifest[]): any => jsyaml.load(manifests.find((m) => m.kind === "ConfigMap" && m.metadata.name === "mimir-config")!.data["mimir.yaml"]);

const sized = (size: WorkloadSize) => ({ requests: { cpu: size.cpu, memory: size.memory }, limits: { memory: size.memoryLimit } });

describe("Mimir, rendered", () => {
    it("prod: one ingester and one store-gateway per zone, each pinned to its availability zone, on gp3 volumes, every part sized from the config and run as the IRSA account", async () => {
        const run = await stack("prod");
        const mimir = run.config.observability.mimir;
        const size = mimir.resources;
        const release = mimirRelease(run).name;
        const part = (kind: string, name: string, replicas: number, resources: WorkloadSize, claims: { size: string }[] = [], zone?: string) => ({
            kind, name: `mimir-${name}`, replicas, zone, serviceAccount: "mimir",
            claims: claims.map((c) => ({ name: "storage", storageClass: "gp3", size: c.size })),
            containers: [{ name: name.replace(/-zone-.$/, ""), image: MIMIR_IMAGE, resources: sized(resources) }],
        });
        const cache = (name: string, resources: WorkloadSize) => ({
            kind: "StatefulSet", name: `mimir-${name}`, replicas: 1, zone: undefined, serviceAccount: "mimir", claims: [],
            containers: [
                { name: "memcached", image: "memcached:1.6.39-alpine", resources: sized(resources) },
                { name: "exporter", image: "prom/memcached-exporter:v0.15.3", resources: sized(size.memcachedExporter) },
            ],
        });
        const zoned = (name: string, resources: WorkloadSize, claim: string) =>
            ZONES.map((az, i) => part("StatefulSet", `${name}-zone-${"abc"[i]}`, 1, resources, [{ size: claim }], az));
        expect(controllers(mimirManifests(run))).to.deep.equal([
            part("StatefulSet", "alertmanager", mimir.alertmanagerReplicas, size.alertmanager, [{ size: "1Gi" }]),
            cache("chunks-cache", size.chunksCache),
            part("StatefulSet", "compactor", mimir.compactorReplicas, size.compactor, [{ size: "2Gi" }]),
            part("Deployment", "distributor", mimir.distributorReplicas, size.distributor),
            { ...part("Deployment", "gateway", mimir.gatewayReplicas, size.gateway), containers: [{ name: "gateway", image: "docker.io/nginxinc/nginx-unprivileged:1.29-alpine", resources: sized(size.gateway) }] },
            ...zoned("ingester", size.ingester, mimir.volumes.ingester),
            part("Deployment", "querier", mimir.querierReplicas, size.querier),
            part("Deployment", "query-frontend", mimir.queryFrontendReplicas, size.queryFrontend),
            part("Deployment", "query-scheduler", mimir.querySchedulerReplicas, size.queryScheduler),
            cache("results-cache", size.resultsCache),
            part("Deployment", "ruler", mimir.rulerReplicas, size.ruler),
            ...zoned("store-gateway", size.storeGateway, "2Gi"),
            {
                kind: "Deployment", name: `${release}-rollout-operator`, replicas: 1, zone: undefined, serviceAccount: `${release}-rollout-operator`, claims: [],
                containers: [{ name: "rollout-operator", image: "docker.io/grafana/rollout-operator:v0.38.1", resources: sized(size.rolloutOperator) }],
            },
        ].sort((a, b) => a.name.localeCompare(b.name)));

        // The account every Mimir pod runs as carries the role the engine created for it, and no other pod runs as it.
        const role = ofType(run, "aws:iam/role:Role").find((r) => r.name === `${release}-irsa-role`)!;
        const account = mimirManifests(run).find((m) => m.kind === "ServiceAccount" && m.metadata.name === "mimir")!;
        expect(account.metadata.annotations).to.deep.equal({ "eks.amazonaws.com/role-arn": role.outputs.arn });
        const elsewhere = [...stackWorkloads(run.resources).renders.values()].filter(({ request }) => request.name !== release && request.namespace === "monitoring")
            .flatMap(({ rendered }) => controllers(rendered.manifests)).filter((c) => c.serviceAccount === "mimir");
        expect(elsewhere).to.deep.equal([]);
    });

    it("prod: writes through the platform's Kafka in ingest-storage mode, every Mimir pod trusting the Kafka CA, with no bundled Kafka or MinIO", async () => {
        const run = await stack("prod");
        const manifests = mimirManifests(run);
        const values = mimirRelease(run).inputs.values;
        const config = mimirConfig(manifests);
        expect(config.ingest_storage.enabled).to.equal(true);
        expect(config.ingest_storage.kafka.address).to.equal(values.mimir.structuredConfig.ingest_storage.kafka.address).and.match(/^observability-kafka-bootstrap\.kafka\.svc\.cluster\.local:\d+$/);
        for (const m of manifests.filter((x) => (x.kind === "Deployment" || x.kind === "StatefulSet") && x.metadata.labels?.["app.kubernetes.io/name"] === "mimir")) {
            expect(m.spec.template.spec.volumes.filter((v: any) => v.name === "kafka-ca"), m.metadata.name).to.deep.equal([{ name: "kafka-ca", configMap: { name: "kafka-ca" } }]);
        }
        expect(manifests.filter((m) => /kafka|minio/.test(m.metadata.name) && m.kind !== "ConfigMap").map((m) => `${m.kind} ${m.metadata.name}`)).to.deep.equal([]);
    });

    it("dev's classic architecture: three ingester zones and no Kafka, no caches, volumes on dev's encrypted gp2 class", async () => {
        const run = await classicDev();
        const mimir = run.config.observability.mimir;
        const manifests = mimirManifests(run);
        const workloads = controllers(manifests);
        expect(workloads.filter((w) => w.kind === "StatefulSet").map((w) => ({ name: w.name, replicas: w.replicas, zone: w.zone, claims: w.claims }))).to.deep.equal([
            { name: "mimir-alertmanager", replicas: 1, zone: undefined, claims: [{ name: "storage", storageClass: "gp2-encrypted", size: "1Gi" }] },
            { name: "mimir-compactor", replicas: 1, zone: undefined, claims: [{ name: "storage", storageClass: "gp2-encrypted", size: "2Gi" }] },
            ...ZONES.map((zone, i) => ({ name: `mimir-ingester-zone-${"abc"[i]}`, replicas: 1, zone, claims: [{ name: "storage", storageClass: "gp2-encrypted", size: mimir.volumes.ingester }] })),
            ...ZONES.map((zone, i) => ({ name: `mimir-store-gateway-zone-${"abc"[i]}`, replicas: 1, zone, claims: [{ name: "storage", storageClass: "gp2-encrypted", size: "2Gi" }] })),
        ]);
        expect(workloads.find((w) => w.name === "mimir-ingester-zone-b")!.containers).to.deep.equal([{ name: "ingester", image: MIMIR_IMAGE, resources: sized(mimir.resources.ingester) }]);
        // The chart's classic preset: ingest storage off, its Kafka client settings and the push switch
        // nulled, which Mimir's YAML loader reads as "keep the default" (gRPC push on).
        const config = mimirConfig(manifests);
        expect(config.ingest_storage).to.deep.equal({ enabled: false, kafka: { address: null, auto_create_topic_default_partitions: null, auto_create_topic_enabled: true, topic: null } });
        expect(config.ingester.push_grpc_method_enabled).to.equal(null);
        expect(manifests.filter((m) => m.kind !== "ConfigMap" && JSON.stringify(m).includes("kafka")).map((m) => `${m.kind} ${m.metadata.name}`)).to.deep.equal([]);
        for (const w of workloads.filter((x) => x.name.startsWith("mimir-"))) expect(w.serviceAccount, w.name).to.equal("mimir");
    });

    it("dev's classic architecture: every address resolves, Prometheus' and Tempo's remote writes and Grafana's metrics datasource to the gateway Mimir renders", async () => {
        const run = await classicDev();
        const addresses = stackWiring(run.resources);
        expect(addresses.filter((a) => a.unresolved)).to.deep.equal([]);
        const obs = "nist-eks-dev-observability";
        expect(addresses.filter((a) => a.host.startsWith("mimir-")).map((a) => `${a.usedBy} -> ${a.resolvesTo}`)).to.deep.equal([
            `${obs}-prometheus values prometheus.prometheusSpec.remoteWrite.0.url -> Service monitoring/mimir-gateway port 80 (rendered by ${obs}-mimir)`,
            `${obs}-tempo values tempo.metricsGenerator.storage.remote_write.0.url -> Service monitoring/mimir-gateway port 80 (rendered by ${obs}-mimir)`,
            `${obs}-grafana values datasources.datasources.yaml.datasources.0.url -> Service monitoring/mimir-gateway port 80 (rendered by ${obs}-mimir)`,
        ]);
    });

    it("with two zones: zone-pinned ingesters (ingest storage allows two) and unpinned store-gateways (the chart wants three zones for those); with one, no zones and no rollout operator", async () => {
        const prod = (await stack("prod")).config.observability;
        const placement = (ingesterZones: number) => {
            const values = mimirValues({ ...prod, mimir: { ...prod.mimir, ingesterZones } }, {
                region: "us-east-1", buckets: { blocks: "b", ruler: "r", alertmanager: "a" }, roleArn: "arn", availabilityZones: ZONES, storageClassName: "gp3", kafkaAddress: KAFKA_BOOTSTRAP,
            });
            return controllers(renderChart(CHARTS.mimir, values, "mimir", "monitoring")).filter((w) => /ingester|store-gateway|rollout/.test(w.name)).map((w) => [w.name, w.replicas, w.zone]);
        };
        expect(placement(2)).to.deep.equal([
            ["mimir-ingester-zone-a", 1, "us-east-1a"],
            ["mimir-ingester-zone-b", 1, "us-east-1b"],
            ["mimir-rollout-operator", 1, undefined],
            ["mimir-store-gateway", 2, undefined],
        ]);
        expect(placement(1)).to.deep.equal([
            ["mimir-ingester", 1, undefined],
            ["mimir-store-gateway", 1, undefined],
        ]);
    });

    it("a Mimir container without CPU and memory requests and a memory limit stops the plan, naming it", async () => {
        const run = await stack("prod");
        const values = mimirRelease(run).inputs.values;
        expect(unsizedMimirContainers(stackWorkloads(run.resources).workloads)).to.equal(undefined);
        const unlimited = { ...values, gateway: { ...values.gateway, resources: { requests: values.gateway.resources.requests } }, ruler: { ...values.ruler, resources: null } };
        const workloads = manifestWorkloads("mimir", CHARTS.mimir.component, renderChart(CHARTS.mimir, unlimited, "mimir", "monitoring"));
        expect(unsizedMimirContainers(workloads)).to.equal(
            "observability.mimir.resources: the rendered mimir-distributed 6.2.0 runs Deployment mimir-gateway container gateway, Deployment mimir-ruler container ruler without CPU and memory requests and a memory limit; allowed: every Mimir container sized from observability.mimir.resources");
        // Another component's unlimited container is not Mimir's to refuse.
        expect(unsizedMimirContainers(workloads.map((w) => ({ ...w, component: "loki" })))).to.equal(undefined);
    });
});
