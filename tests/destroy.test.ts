/**
 * What a destroy, or switching a part off, leaves behind: the account's Session Manager
 * preferences stay with the stack that owns them, whatever happens to its bastion.
 */
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { ofType, single, stack, stackWith } from "./support/stacks";

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
});
