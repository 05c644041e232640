import { expect } from "chai";
import { PlannedResource } from "../engine/types";
import { findStorageSizes, volumeClaims } from "../planner/volumes";

function resource(type: string, name: string, inputs: Record<string, any>): PlannedResource {
    return { type, name, urn: `urn:pulumi:test::p::${type}::${name}`, custom: true, dependencies: [], protect: false, inputs, outputs: { ...inputs, id: name } };
}

const storageClass = (name: string, type: string, isDefault: boolean) => resource("kubernetes:storage.k8s.io/v1:StorageClass", name, {
    metadata: { name, annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) } },
    parameters: { type },
});

describe("planner persistent volume claims", () => {
    it("finds sizes under storage keys in the charts' spellings, with the nearest storage class", () => {
        const sizes = findStorageSizes({
            ingester: { persistentVolume: { size: "50Gi", storageClass: "gp3" } },
            aggregator: { aggregatorDbStorage: { storageRequest: "32Gi" } },
            prometheus: { prometheusSpec: { storageSpec: { volumeClaimTemplate: { spec: { storageClassName: "gp3", resources: { requests: { storage: "100Gi" } } } } } } },
            persistence: { enabled: true, size: "512Mi" },
        });
        expect(sizes.map((s) => [s.path.join("."), s.sizeGb, s.storageClass])).to.deep.equal([
            ["ingester.persistentVolume.size", 50, "gp3"],
            ["aggregator.aggregatorDbStorage.storageRequest", 32, undefined],
            ["prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage", 100, "gp3"],
            ["persistence.size", 0.5, undefined],
        ]);
    });

    it("skips what is disabled, sizes outside storage keys, and sizes that are not quantities", () => {
        expect(findStorageSizes({
            minio: { enabled: false, persistence: { size: "5Gi" } },
            alertmanager: { persistence: { enabled: false, size: "1Gi" } },
            queryFrontend: { size: "2Gi" },
            resources: { requests: { memory: "1Gi" } },
            storage: { size: 3 },
        })).to.deep.equal([]);
    });

    it("counts a StatefulSet's volumes per replica from its custom resource, and prices the class's EBS type", () => {
        const claims = volumeClaims([
            storageClass("gp3", "gp3", false),
            storageClass("gp2-encrypted", "gp2", true),
            resource("kubernetes:kafka.strimzi.io/v1:KafkaNodePool", "brokers", { spec: { replicas: 3, storage: { type: "jbod", volumes: [{ id: 0, size: "50Gi", class: "gp3" }] } } }),
            resource("kubernetes:core/v1:PersistentVolumeClaim", "scratch", { spec: { resources: { requests: { storage: "8Gi" } } } }),
        ]);
        expect(claims.map((c) => ({ source: c.source, path: c.path, sizeGb: c.sizeGb, count: c.count, volumeType: c.volumeType }))).to.deep.equal([
            { source: "brokers", path: "spec.storage.volumes.0.size", sizeGb: 50, count: 3, volumeType: "gp3" },
            // No class named: the default class, gp2-encrypted, provisions gp2.
            { source: "scratch", path: "spec.resources.requests.storage", sizeGb: 8, count: 1, volumeType: "gp2" },
        ]);
    });

    it("gives a root-level claim in a release's values to the release's only workload", () => {
        const [claim] = volumeClaims([
            storageClass("gp3", "gp3", true),
            resource("kubernetes:helm.sh/v3:Release", "autoscaler", { chart: "cluster-autoscaler", values: { replicaCount: 1, persistence: { size: "4Gi" } } }),
        ]);
        expect(claim).to.include({ source: "autoscaler", path: "persistence.size", sizeGb: 4, count: 1, storageClass: "gp3", volumeType: "gp3" });
        expect(claim.countBasis).to.equal("Deployment cluster-autoscaler");
    });
});
