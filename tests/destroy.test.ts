/**
 * What a destroy, or switching a part off, leaves behind: the account's Session Manager
 * preferences stay with the stack that owns them, whatever happens to its bastion.
 */
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { manifestWorkloads } from "../lib/workloads";
import { renderPlan } from "../planner/render";
import { ofType, planOf, single, stack, stackWith } from "./support/stacks";

const DOCUMENT = "aws:ssm/document:Document";
const SESSIONS = "/aws/ssm/nist-eks-prod/sessions";

const sessionsGroup = (run: StackRun) => ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === SESSIONS);

describe("a destroy and what it leaves", () => {
    describe("Session Manager's preferences", () => {
        it("belong to the stack that owns them, not to its bastion: turning the bastion off deletes neither the document nor its log group", async () => {
            const [on, off] = [await stack("prod"), await stackWith("prod", (c) => { c.cluster.bastion.enabled = false; })];
            expect(ofType(off, "aws:ec2/instance:Instance")).to.deep.equal([]);
            const [document, kept] = [single(on, DOCUMENT), single(off, DOCUMENT)];
            expect(kept.urn).to.equal(document.urn);
            expect(kept.inputs).to.deep.equal(document.inputs);
            expect(sessionsGroup(off)!.urn).to.equal(sessionsGroup(on)!.urn);
            // Children of the cluster, where the bastion's coming and going cannot reach them.
            const cluster = single(on, "platform:cluster:Cluster");
            expect([document.parent, sessionsGroup(on)!.parent]).to.deep.equal([cluster.urn, cluster.urn]);
        });

        it("are protected in prod, and a destroy of their owner leaves the document for the account's other sessions", async () => {
            const document = single(await stack("prod"), DOCUMENT);
            expect([document.protect, document.retainOnDelete]).to.deep.equal([true, true]);
            expect(sessionsGroup(await stack("prod"))!.protect).to.equal(true);
        });

        it("keep their identity in stacks created while they were the bastion's children", async () => {
            const run = await stack("prod");
            const formerParent = "urn:pulumi:prod::nist-eks-platform::platform:cluster:Cluster$platform:cluster:Bastion::nist-eks-prod-bastion";
            expect(single(run, DOCUMENT).aliases).to.deep.equal([`${formerParent}::nist-eks-prod-bastion-session-preferences`]);
            expect(sessionsGroup(run)!.aliases).to.deep.equal([`${formerParent}::nist-eks-prod-bastion-session-logs`]);
        });

        it("are not made by a stack that leaves them to their owner, bastion or not", async () => {
            for (const run of [await stack("dev"), await stackWith("dev", (c) => { c.cluster.bastion.enabled = true; })]) {
                expect(ofType(run, DOCUMENT)).to.deep.equal([]);
                expect(sessionsGroup(run)).to.equal(undefined);
            }
        });
    });

    describe("volumes that outlive their releases", () => {
        it("are listed by the plan: dev's go with their claims, which a clean destroy deletes first; prod keeps its volumes on purpose", async () => {
            const [dev, prod] = [planOf(await stack("dev")), planOf(await stack("prod"))];
            expect(dev.destroy.claims.map((c) => c.path).sort()).to.deep.equal([
                "StatefulSet grafana, claim template storage",
                "StatefulSet loki, claim template storage",
                "StatefulSet prometheus-kube-prometheus-stack-prometheus, claim template prometheus-kube-prometheus-stack-prometheus-db",
                "StatefulSet tempo, claim template storage",
            ]);
            expect([dev.destroy.volumes, dev.destroy.sizeGb, dev.destroy.reclaimPolicy]).to.deep.equal([4, 35, "Delete"]);
            expect(renderPlan(dev)).to.include('A destroy: 4 volumes (35 GB) from StatefulSet claims outlive their releases; delete the claims before the cluster (README, "A clean destroy")');
            expect(prod.destroy.reclaimPolicy).to.equal("Retain");
            expect(prod.destroy.claims.every((c) => c.path.startsWith("StatefulSet "))).to.equal(true);
            expect(prod.destroy.volumes).to.equal(prod.destroy.claims.reduce((n, c) => n + c.count, 0));
            expect(renderPlan(prod)).to.include("their StorageClasses retain the volumes, so they stay after the claims go, deliberately");
        });

        it("leave out a StatefulSet that deletes its claims with itself", () => {
            const statefulSet = (whenDeleted?: string) => ({
                apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: "x" },
                spec: {
                    replicas: 2,
                    ...(whenDeleted ? { persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled: "Retain" } } : {}),
                    template: { spec: { containers: [{ name: "db", image: "db:1" }] } },
                    volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "1Gi" } } } }],
                },
            });
            const claim = (whenDeleted?: string) => manifestWorkloads("r", "c", [statefulSet(whenDeleted) as any])[0].claims[0];
            expect(claim("Delete").deletedWithOwner).to.equal(true);
            expect(claim("Retain").deletedWithOwner).to.equal(undefined);
            expect(claim().deletedWithOwner).to.equal(undefined);
        });
    });
});
