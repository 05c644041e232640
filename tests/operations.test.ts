import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { CHARTS } from "../components/helm/catalog";
import { PROFILE_DEFAULTS } from "../config/profiles";
import { releaseChart } from "../components/helm/workloads";
import { headlampValues } from "../components/operations/headlamp";
import { kubecostValues } from "../components/operations/kubecost";
import { unknownValuesKeys } from "../lib/chart-keys";
import { unsizedContainers } from "../lib/workloads";
import { chartWorkloads, workloadsOf } from "./support/render";
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
    describe("Kubecost, rendered", () => {
        const values = kubecostValues({ clusterName: "c", storageClassName: "gp3", config: { enabled: true, ...PROFILE_DEFAULTS.prod.operations.kubecost } });
        const running = (v: Record<string, unknown>) => chartWorkloads(CHARTS.kubecost, v).map((w) => `${w.name.replace(/^kubecost-/, "")}:${w.kind}:${w.replicas}`).sort();

        it("runs four workloads, none able to change the cluster, and names the encrypted class for every volume", () => {
            expect(running(values)).to.deep.equal(["aggregator:StatefulSet:1", "finopsagent:Deployment:1", "frontend:Deployment:1", "local-store:Deployment:1"]);
            const v = values as any;
            expect([v.global.defaultStorageClass, v.localStore.persistentVolume.storageClass, v.aggregator.aggregatorDbStorage.storageClass, v.aggregator.persistentConfigsStorage.storageClass])
                .to.deep.equal(["gp3", "gp3", "gp3", "gp3"]);
            expect(v.clusterController.enabled).to.equal(false);
            const claims = chartWorkloads(CHARTS.kubecost, values).flatMap((w) => w.claims);
            expect(claims.length).to.be.greaterThan(0);
            for (const claim of claims) expect(claim.storageClass, claim.name).to.equal("gp3");
        });

        it("drops the local store only when localStore.enabled is off: federated storage alone keeps it", () => {
            const localStore = (v: Record<string, unknown>) => running(v).filter((n) => n.startsWith("local-store"));
            expect(localStore({ ...values, global: { ...(values as any).global, federatedStorage: { existingSecret: "store" } } })).to.deep.equal(["local-store:Deployment:1"]);
            expect(localStore({ ...values, localStore: { ...(values as any).localStore, enabled: false } })).to.deep.equal([]);
        });
    });

    describe("Headlamp, rendered", () => {
        it("runs the chart's one replica with the stack's requests", () => {
            const [headlamp, ...others] = chartWorkloads(CHARTS.headlamp, headlampValues({ enabled: true, ...PROFILE_DEFAULTS.prod.operations.headlamp }));
            expect(others).to.deep.equal([]);
            expect({ kind: headlamp.kind, replicas: headlamp.replicas }).to.deep.equal({ kind: "Deployment", replicas: 1 });
            expect(headlamp.containers.map((c) => [c.name, c.cpuRequestMillicores, c.memoryRequestMiB, c.memoryLimitMiB])).to.deep.equal([["headlamp", 50, 128, 256]]);
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

        it("runs Headlamp read-only, on a ClusterIP service reached through the UIs' ALB alone", async () => {
            const prod = await stack("prod");
            const headlamp = onlyRelease(prod, "headlamp");
            expect(headlamp.inputs.version).to.equal(CHARTS.headlamp.version);
            const values = headlamp.inputs.values;
            expect(values.clusterRoleBinding).to.deep.equal({ create: true, clusterRoleName: "view" });
            expect(values.service).to.deep.equal({ type: "ClusterIP" });
            // The one way in from outside: an Ingress of the platform's class, HTTPS on the internal ALB (prod).
            expect(values.ingress).to.deep.equal({
                enabled: true,
                ingressClassName: "platform-ui",
                hosts: [{ host: "headlamp.nist-eks-prod.example.com", paths: [{ path: "/", type: "Prefix" }] }],
                annotations: {
                    "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
                    "alb.ingress.kubernetes.io/healthcheck-path": "/",
                    "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
                    "alb.ingress.kubernetes.io/success-codes": "200-399",
                },
            });
            expect(prod.outputs.operationsTools).to.deep.equal(["kubecost", "headlamp"]);
        });

        it("runs four Kubecost pods, each with the mesh's sidecar, and one Headlamp pod in the ambient mesh, without one", async () => {
            const prod = await stack("prod");
            const workloads = (chart: string) => workloadsOf(prod, onlyRelease(prod, chart));
            expect([workloads("kubecost"), workloads("headlamp")].map((ws) => ws.reduce((n, w) => n + w.replicas, 0))).to.deep.equal([4, 1]);
            for (const w of workloads("kubecost")) expect(w.containers.map((c) => c.name), w.name).to.include("istio-proxy");
            for (const w of workloads("headlamp")) expect(w.containers.map((c) => c.name), w.name).to.deep.equal(["headlamp"]);
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
                    for (const workload of workloadsOf(run, release)) expect(unsizedContainers(workload), `${run.stack} ${chart} ${workload.name}`).to.deep.equal([]);
                }
            }
        });
    });
});
