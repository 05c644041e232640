import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { CHARTS } from "../components/helm/catalog";
import { formatValuesPath, hasValuesKey, unknownValuesKeys } from "../lib/chart-keys";

type Cases = Readonly<Record<string, { readonly version: string; readonly accept: string[][]; readonly reject: string[][] }>>;

/** Keys from /work/shared/charts/INDEX.md: plain and † keys must be accepted, ✗ keys (and typos) rejected. */
const CASES: Cases = {
    "cluster-autoscaler": {
        version: "9.59.0",
        accept: [
            ["autoDiscovery", "clusterName"],
            ["awsRegion"],
            ["rbac", "serviceAccount", "name"],
            ["rbac", "serviceAccount", "annotations", "eks.amazonaws.com/role-arn"],
            ["extraArgs", "balance-similar-node-groups"],
            ["extraArgs", "expander"],
        ],
        reject: [["serviceAccount", "annotations"], ["serviceAccount", "name"], ["aws", "region"]],
    },
    "aws-load-balancer-controller": {
        version: "3.5.0",
        accept: [
            ["clusterName"],
            ["vpcId"],
            ["keepTLSSecret"],
            ["webhookTLS", "caCert"],
            ["serviceAccount", "annotations", "eks.amazonaws.com/role-arn"],
            ["ingressClassParams", "create"],
            ["enableServiceMutatorWebhook"],
            ["defaultTags", "Project"],
            ["podDisruptionBudget", "maxUnavailable"],
        ],
        // The webhook's certificate is webhookTLS.cert, not .certificate; the class is ingressClass, not ingressClassName.
        reject: [["webhookTLS", "certificate"], ["ingressClassName"], ["ingressClassParams", "enabled"]],
    },
    "kube-prometheus-stack": {
        version: "88.5.3",
        accept: [
            ["grafana", "enabled"],
            ["grafana", "persistence", "storageClassName"], // valid in the grafana 12.11.1 subchart only
            ["grafana", "grafana.ini", "server", "root_url"],
            ["prometheus", "prometheusSpec", "retentionSize"],
            ["prometheus", "prometheusSpec", "storageSpec", "volumeClaimTemplate", "spec", "storageClassName"],
            ["prometheus", "serviceAccount", "annotations", "eks.amazonaws.com/role-arn"],
            ["alertmanager", "alertmanagerSpec", "storage"],
            ["crds", "upgradeJob", "enabled"],
        ],
        reject: [["grafana", "persistance"], ["prometheus", "prometheusSpec", "retentionSise"]],
    },
    "mimir-distributed": {
        version: "6.2.0",
        accept: [
            ["ingester", "zoneAwareReplication", "zones", "[]", "nodeSelector", "topology.kubernetes.io/zone"],
            ["ingester", "zoneAwareReplication", "zones", "[]", "storageClass"],
            ["ingester", "persistentVolume", "storageClass"], // commented out in values.yaml
            ["mimir", "structuredConfig", "common", "storage", "backend"],
            ["minio", "enabled"],
            ["rollout_operator", "enabled"],
            ["results-cache", "replicas"],
        ],
        // readOnlyDownscaleDelay and kafka.clusterId came after 6.2.0: the keys are the vendored 6.2.0 chart's.
        reject: [["ingester", "zoneAwareReplication", "zones", "[]", "nodeSelektor"], ["nginx"], ["enterprise"], ["ingester", "zoneAwareReplication", "readOnlyDownscaleDelay"], ["kafka", "clusterId"]],
    },
    "strimzi-kafka-operator": {
        version: "1.2.0",
        accept: [["serviceAccount"], ["serviceAccountCreate"], ["image", "imagePullSecrets"], ["revisionHistoryLimit"]],
        reject: [["serviceAccount", "name"], ["serviceAccount", "create"], ["serviceAccount", "annotations"]],
    },
    loki: {
        version: "18.11.0",
        accept: [
            ["loki", "limits_config", "retention_period"],
            ["loki", "compactor", "retention_enabled"],
            ["loki", "storage", "bucketNames", "chunks"],
            ["loki", "storage", "bucketNames", "ruler"],
            ["loki", "storage", "s3", "region"],
            ["singleBinary", "replicas"],
            ["ignoreMinioDeprecation"],
        ],
        reject: [["singleBinary", "replica"], ["loki", "storage", "bucketName"]],
    },
    tempo: {
        version: "2.2.4",
        accept: [
            ["tempo", "storage", "trace", "s3", "bucket"],
            ["tempo", "receivers", "zipkin"],
            ["persistence", "storageClassName"],
        ],
        reject: [["tempo", "retentionPeriod"], ["persistence", "storageClass"]],
    },
    "tempo-distributed": {
        version: "3.3.0",
        accept: [
            ["ingest", "kafka", "address"],
            ["storage", "trace", "s3", "bucket"],
            ["backendScheduler", "config", "provider", "compaction", "compaction", "block_retention"],
            ["liveStore", "replicas"],
            ["traces", "otlp", "grpc", "enabled"],
        ],
        reject: [["ingester", "replicas"], ["minio", "enabled"], ["compactor", "config"]],
    },
    grafana: {
        version: "12.11.1",
        accept: [
            ["grafana.ini"],
            ["grafana.ini", "server", "root_url"],
            ["datasources", "datasources.yaml", "datasources"],
            ["dashboardProviders", "dashboardproviders.yaml"],
            ["adminPassword"],
            ["persistence", "storageClassName"],
            ["serviceAccount", "annotations", "eks.amazonaws.com/role-arn"],
        ],
        reject: [["grafana"], ["grafana", "ini"], ["persistence", "storageClass"]],
    },
    "kiali-server": {
        version: "2.29.0",
        accept: [
            ["auth", "strategy"],
            ["deployment", "cluster_wide_access"],
            ["external_services", "prometheus", "url"],
            ["external_services", "tracing", "provider"],
            ["deployment", "ingress", "enabled"],
            ["istio_namespace"],
        ],
        reject: [["external_services", "prometheus", "uri"], ["deployment", "replica"]],
    },
    base: {
        version: "1.30.3",
        accept: [["defaultRevision"], ["base", "enableCRDTemplates"], ["global", "istioNamespace"], ["profile"]],
        reject: [["_internal_defaults_do_not_set"], ["base", "enableCRDs"]],
    },
    istiod: {
        version: "1.30.3",
        accept: [
            ["replicaCount"],
            ["pdb", "minAvailable"],
            ["meshConfig", "enableTracing"],
            ["global", "proxy", "resources"],
            ["pilot", "autoscaleEnabled"], // legacy alias of the top level
            ["profile"],
            ["compatibilityVersion"],
        ],
        reject: [["replicas"], ["pilot", "replicas"], ["_internal_defaults_do_not_set", "replicaCount"]],
    },
    cni: {
        version: "1.30.3",
        accept: [["profile"], ["resources", "requests", "cpu"], ["chained"], ["cniConfDir"], ["ambient", "dnsCapture"], ["cni", "chained"]], // cni.*: legacy alias of the top level
        reject: [["_internal_defaults_do_not_set", "chained"], ["ambient", "enabledd"], ["cni", "replicas"]],
    },
    ztunnel: {
        version: "1.30.3",
        accept: [["profile"], ["resources", "limits", "memory"], ["podLabels"], ["logLevel"]],
        reject: [["_internal_defaults_do_not_set", "resources"], ["replicaCount"], ["cni", "chained"]],
    },
    "trivy-operator": {
        version: "0.34.0",
        accept: [["operator", "scannerReportTTL"], ["trivy", "ignoreUnfixed"], ["excludeNamespaces"]],
        reject: [["operator", "scanJobsConcurrentLimits"], ["trivy", "severities"]],
    },
    velero: {
        version: "12.1.0",
        accept: [
            ["configuration", "backupStorageLocation", "[]", "bucket"],
            ["configuration", "backupStorageLocation", "[]", "config", "region"],
            ["configuration", "volumeSnapshotLocation", "[]", "provider"],
            ["schedules", "daily", "template", "ttl"],
            ["initContainers"],
            ["serviceAccount", "server", "annotations", "eks.amazonaws.com/role-arn"],
        ],
        reject: [["configuration", "backupStorageLocation", "[]", "bucketName"], ["configuration", "provider"]],
    },
    kubecost: {
        version: "3.2.1",
        accept: [
            ["global", "clusterId"],
            ["aggregator", "aggregatorDbStorage", "storageClass"],
            ["localStore", "persistentVolume", "size"],
            ["kubecostProductConfigs", "productKey"],
            ["finopsagent", "enabled"],
        ],
        reject: [["global", "prometheus", "enabled"], ["kubecostToken"], ["persistentVolume", "size"]],
    },
    headlamp: {
        version: "0.45.0",
        accept: [["config", "oidc", "clientID"], ["clusterRoleBinding", "clusterRoleName"], ["persistentVolumeClaim", "enabled"]],
        reject: [["config", "oidc", "clientId"], ["replicas"]],
    },
    alloy: {
        version: "1.11.1",
        accept: [["alloy", "configMap", "content"], ["alloy", "mounts", "varlog"], ["controller", "type"], ["controller", "volumes", "extra"], ["configReloader", "resources"]],
        reject: [["alloy", "config"], ["controller", "kind"], ["daemonset", "enabled"]],
    },
};

describe("chart values keys", () => {
    const catalog = Object.values(CHARTS);

    it("has a committed key file for every chart in the catalog, for exactly the pinned version", () => {
        const dir = path.join(__dirname, "..", "charts", "keys");
        for (const { chart, version } of catalog) {
            const file = path.join(dir, `${chart}-${version}.json`);
            expect(fs.existsSync(file), `${file} is missing`).to.equal(true);
            const data = JSON.parse(fs.readFileSync(file, "utf8")) as { chart: string; version: string };
            expect({ chart: data.chart, version: data.version }).to.deep.equal({ chart, version });
        }
    });

    it("covers every catalog chart with test cases for its pinned version", () => {
        expect(Object.keys(CASES).sort()).to.deep.equal(catalog.map((c) => c.chart).sort());
        for (const { chart, version } of catalog) expect(CASES[chart].version, chart).to.equal(version);
    });

    for (const [chart, { version, accept, reject }] of Object.entries(CASES)) {
        describe(`${chart} ${version}`, () => {
            for (const keyPath of accept) {
                it(`accepts ${formatValuesPath(keyPath)}`, () => {
                    expect(hasValuesKey(chart, version, keyPath)).to.equal(true);
                });
            }
            for (const keyPath of reject) {
                it(`rejects ${formatValuesPath(keyPath)}`, () => {
                    expect(hasValuesKey(chart, version, keyPath)).to.equal(false);
                });
            }
        });
    }

    it("reports the unknown keys of a values object, through lists and below scalars", () => {
        const values = {
            singleBinary: { replica: 1, replicas: 1, persistence: { size: "10Gi" } },
            loki: {
                storage: { type: "s3", bucketNames: { chunks: "c", ruler: "r" } },
                limits_config: { retention_period: "744h", anything: { nested: true } },
            },
            deploymentMode: { mode: "Monolithic" }, // a string key given a map
            skipped: undefined, // never reaches Helm
        };
        expect(unknownValuesKeys("loki", "18.11.0", values)).to.deep.equal(["deploymentMode.mode", "singleBinary.replica"]);
        expect(
            unknownValuesKeys("velero", "12.1.0", {
                configuration: { backupStorageLocation: [{ bucket: "b", config: { region: "r" } }, { buckets: "b" }] },
            }),
        ).to.deep.equal(["configuration.backupStorageLocation[].buckets"]);
    });

    it("checks kube-prometheus-stack's grafana.* keys against the grafana subchart too", () => {
        const values = {
            grafana: {
                enabled: true,
                "grafana.ini": { server: { root_url: "https://example.test/grafana" } },
                sidecar: { datasources: { defaultDatasourceEnabled: false } },
                adminPasword: "typo",
            },
        };
        expect(unknownValuesKeys("kube-prometheus-stack", "88.5.3", values)).to.deep.equal(["grafana.adminPasword"]);
    });

    it("quotes segments that contain dots in reported paths", () => {
        const values = { datasources: { "datasources.yaml": {} }, "grafana.inii": {}, extra: { "a.b": 1 } };
        expect(unknownValuesKeys("grafana", "12.11.1", values)).to.deep.equal(['"grafana.inii"', "extra"]);
        expect(formatValuesPath(["extra", "a.b", "[]", "c"])).to.equal('extra."a.b"[].c');
    });

    it("throws for a chart or version without a committed key list", () => {
        expect(() => unknownValuesKeys("grafana", "0.0.1", {})).to.throw(/no values key list committed for chart grafana 0\.0\.1/);
        expect(() => hasValuesKey("no-such-chart", "1.0.0", ["a"])).to.throw(/no values key list committed/);
    });
});
