import { expect } from "chai";
import { PlannedResource } from "../engine/types";
import { stackWorkloads } from "../components/helm/workloads";
import { volumeClaims } from "../planner/volumes";
import { stack } from "./support/stacks";

function resource(type: string, name: string, inputs: Record<string, any>): PlannedResource {
    return { type, name, urn: `urn:pulumi:test::p::${type}::${name}`, custom: true, dependencies: [], protect: false, inputs, outputs: { ...inputs, id: name } };
}

const storageClass = (name: string, type: string, isDefault: boolean) => resource("kubernetes:storage.k8s.io/v1:StorageClass", name, {
    metadata: { name, annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) } },
    parameters: { type },
});

describe("planner persistent volume claims", () => {
    it("price a claim the program declares at its class's EBS type, or the default class's when it names none", () => {
        const claims = volumeClaims([
            storageClass("gp3", "gp3", false),
            storageClass("gp2-encrypted", "gp2", true),
            resource("kubernetes:core/v1:PersistentVolumeClaim", "scratch", { metadata: { name: "scratch" }, spec: { resources: { requests: { storage: "8Gi" } } } }),
            resource("kubernetes:core/v1:PersistentVolumeClaim", "fast", { metadata: { name: "fast" }, spec: { storageClassName: "gp3", resources: { requests: { storage: "512Mi" } } } }),
        ]);
        expect(claims).to.deep.equal([
            { source: "scratch", path: "PersistentVolumeClaim scratch", sizeGb: 8, count: 1, countBasis: "one claim", outlivesRelease: false, storageClass: "gp2-encrypted", volumeType: "gp2" },
            { source: "fast", path: "PersistentVolumeClaim fast", sizeGb: 0.5, count: 1, countBasis: "one claim", outlivesRelease: false, storageClass: "gp3", volumeType: "gp3" },
        ]);
    });

    it("count every rendered or operator-created claim template once per replica, in the class it names", async () => {
        const prod = await stack("prod");
        const claims = volumeClaims(prod.resources);
        const perPod = stackWorkloads(prod.resources).workloads.flatMap((w) => w.claims.filter((c) => c.perPod).map((c) => ({ w, c })));
        expect(perPod.length).to.be.greaterThan(5);
        for (const { w, c } of perPod) {
            const claim = claims.find((x) => x.source === w.source && x.path === `${w.kind} ${w.name}, claim template ${c.name}`);
            expect(claim, `${w.source} ${w.name} ${c.name}`).to.not.equal(undefined);
            expect([claim!.count, claim!.sizeGb, claim!.storageClass], `${w.name} ${c.name}`).to.deep.equal([w.replicas, c.sizeMiB / 1024, c.storageClass ?? "gp3"]);
        }
        // Loki's write path (a render), the Kafka brokers (Strimzi, from the node pool) and Prometheus (its operator).
        expect(claims.filter((c) => /loki-write|dual-role|prometheus-kube-prometheus-stack-prometheus,/.test(c.path)).map((c) => [c.path, c.count, c.sizeGb, c.volumeType])).to.deep.equal([
            ["StatefulSet observability-dual-role, claim template data-0", 3, 50, "gp3"],
            ["StatefulSet prometheus-kube-prometheus-stack-prometheus, claim template prometheus-kube-prometheus-stack-prometheus-db", 2, 50, "gp3"],
            ["StatefulSet loki-write, claim template data", 3, 10, "gp3"],
        ]);
    });
});
