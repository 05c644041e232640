import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { CHARTS } from "../components/helm/catalog";
import { workloadsOf } from "../components/helm/workload-registry";
import { headlampValues, headlampWorkloads } from "../components/operations/headlamp";
import { kubecostValues, kubecostWorkloads } from "../components/operations/kubecost";
import { unknownValuesKeys } from "../lib/chart-keys";
import { ofType, stack, stackWith } from "./support/stacks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";

const releaseOf = (run: StackRun, chart: string) => ofType(run, RELEASE).filter((r) => releaseChart(r.inputs) === chart);
const onlyRelease = (run: StackRun, chart: string): PlannedResource => {
    const found = releaseOf(run, chart);
    expect(found, `releases of ${chart}`).to.have.length(1);
    return found[0];
};

describe("operations: Kubecost and Headlamp", () => {
    describe("Kubecost model", () => {
        it("counts every workload of the chart's defaults, the DaemonSet included", () => {
            const workloads = kubecostWorkloads({});
            expect(workloads.map((w) => `${w.name}:${w.kind}`)).to.deep.equal([
                "finops-agent:Deployment", "local-store:Deployment", "aggregator:StatefulSet", "frontend:Deployment",
                "cloud-cost:Deployment", "forecasting:Deployment", "cluster-controller:Deployment", "network-costs:DaemonSet",
            ]);
        });

        it("drops the local store when federated storage replaces it", () => {
            const names = kubecostWorkloads({ global: { federatedStorage: { existingSecret: "store" } } }).map((w) => w.name);
            expect(names).to.not.include("local-store");
        });

        it("keeps four workloads, none able to change the cluster, and names the encrypted class for every volume", () => {
            const values = kubecostValues({ clusterName: "c", storageClassName: "gp3", environment: "prod" });
            expect(kubecostWorkloads(values).map((w) => [w.name, w.replicas])).to.deep.equal([["finops-agent", 1], ["local-store", 1], ["aggregator", 1], ["frontend", 1]]);
            const v = values as any;
            expect([v.global.defaultStorageClass, v.localStore.persistentVolume.storageClass, v.aggregator.aggregatorDbStorage.storageClass, v.aggregator.persistentConfigsStorage.storageClass])
                .to.deep.equal(["gp3", "gp3", "gp3", "gp3"]);
            expect(v.clusterController.enabled).to.equal(false);
        });
    });

    describe("Headlamp model", () => {
        it("reads replicaCount and resources, with the chart's one replica by default", () => {
            expect(headlampWorkloads({})).to.deep.equal([{ component: "headlamp", name: "headlamp", kind: "Deployment", replicas: 1, resources: undefined }]);
            expect(headlampWorkloads(headlampValues("prod"))[0].resources).to.deep.equal({ requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } });
        });
    });

    describe("dev", () => {
        it("runs neither tool", async () => {
            const dev = await stack("dev");
            expect(releaseOf(dev, "kubecost")).to.be.empty;
            expect(releaseOf(dev, "headlamp")).to.be.empty;
            expect(dev.outputs.operationsTools).to.deep.equal([]);
        });
    });

    describe("prod", () => {
        it("runs Kubecost 3.x without any 2.x key, its volumes on the KMS-encrypted default class", async () => {
            const prod = await stack("prod");
            const kubecost = onlyRelease(prod, "kubecost");
            expect(kubecost.inputs.version).to.equal(CHARTS.kubecost.version).and.match(/^3\./);
            const values = kubecost.inputs.values;
            // 3.x bundles no Prometheus; these 2.x keys would silently do nothing.
            expect(values.global).to.not.have.property("prometheus");
            expect(values).to.not.have.any.keys("kubecostToken", "persistentVolume", "prometheus");
            const className = values.global.defaultStorageClass;
            const storageClass = ofType(prod, STORAGE_CLASS).find((s) => s.inputs.metadata.name === className);
            expect(storageClass, `StorageClass ${className}`).to.not.equal(undefined);
            expect(storageClass!.inputs.parameters).to.include({ encrypted: "true" });
            expect(storageClass!.inputs.parameters.kmsKeyId).to.match(/^arn:aws:kms:/);
            for (const volume of [values.localStore.persistentVolume.storageClass, values.aggregator.aggregatorDbStorage.storageClass]) expect(volume).to.equal(className);
            expect(values.global.clusterId).to.equal(prod.config.cluster.name);
        });

        it("runs Headlamp read-only, on a ClusterIP service with no ingress", async () => {
            const prod = await stack("prod");
            const headlamp = onlyRelease(prod, "headlamp");
            expect(headlamp.inputs.version).to.equal(CHARTS.headlamp.version);
            const values = headlamp.inputs.values;
            expect(values.clusterRoleBinding).to.deep.equal({ create: true, clusterRoleName: "view" });
            expect(values.service).to.deep.equal({ type: "ClusterIP" });
            expect(values.ingress).to.deep.equal({ enabled: false });
            expect(prod.outputs.operationsTools).to.deep.equal(["kubecost", "headlamp"]);
        });

        it("models four Kubecost pods and one Headlamp pod", async () => {
            const prod = await stack("prod");
            const pods = (chart: string) => workloadsOf(onlyRelease(prod, chart)).reduce((n, w) => n + w.replicas, 0);
            expect([pods("kubecost"), pods("headlamp")]).to.deep.equal([4, 1]);
        });
    });

    describe("charts", () => {
        it("set only values keys the pinned charts have, and size every workload", async () => {
            const devWithAll = await stackWith("dev", (c) => {
                c.operations.kubecost.enabled = true;
                c.operations.headlamp.enabled = true;
            });
            for (const run of [await stack("prod"), devWithAll]) {
                for (const chart of ["kubecost", "headlamp"]) {
                    const release = onlyRelease(run, chart);
                    expect(unknownValuesKeys(chart, release.inputs.version, release.inputs.values), `${run.stack} ${chart}`).to.deep.equal([]);
                    for (const workload of workloadsOf(release)) expect(workload.resources, `${run.stack} ${chart} ${workload.name}`).to.not.equal(undefined);
                }
            }
        });
    });
});
