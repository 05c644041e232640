/**
 * The pack over the real resource graphs of both stacks, as a preview with
 * `--policy-pack policy --policy-pack-config policy/config/<stack>.json` would run it.
 */
import { expect } from "chai";
import { StackRun } from "../../engine/run";
import { PlannedResource } from "../../engine/types";
import { evaluatePolicies, loadPackConfig, Violation } from "../../policy/evaluate";
import { ConfigError } from "../../config/load";
import { stack, stackWith } from "../support/stacks";

const evaluate = (run: StackRun, resources: PlannedResource[] = run.resources): Violation[] =>
    evaluatePolicies(resources, loadPackConfig(run.config.environment));

/** The graph with one resource replaced or removed, as a hand-edited program would declare it. */
function mutate(resources: PlannedResource[], match: (r: PlannedResource) => boolean, change: (r: PlannedResource) => PlannedResource | undefined): PlannedResource[] {
    const index = resources.findIndex(match);
    if (index < 0) throw new Error("nothing to mutate");
    const changed = change(resources[index]);
    return [...resources.slice(0, index), ...(changed ? [changed] : []), ...resources.slice(index + 1)];
}

describe("policy pack over the stacks", () => {
    for (const name of ["dev", "prod"] as const) {
        it(`${name}: no violation at all, mandatory or advisory`, async () => {
            expect(evaluate(await stack(name))).to.deep.equal([]);
        });
    }

    it("a public endpoint in prod: exactly one mandatory eks-no-public-endpoint violation", async () => {
        const run = await stackWith("prod", (c) => { c.cluster.endpointPublicAccess = true; c.cluster.publicAccessCidrs = ["203.0.113.0/24"]; });
        const violations = evaluate(run);
        expect(violations.map((v) => [v.policy, v.enforcementLevel, v.resourceType])).to.deep.equal([["eks-no-public-endpoint", "mandatory", "aws:eks/cluster:Cluster"]]);
        expect(violations[0].nist).to.include("SC-7");
    });

    it("an unencrypted bucket: exactly one mandatory s3-kms-encryption violation, on that bucket", async () => {
        // Config cannot declare an unencrypted bucket (every bucket is a SecureBucket), so the
        // mutation is to the graph: the encryption configuration of the backup bucket is gone.
        const run = await stack("prod");
        const bucket = run.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name.includes("-backup-"))!;
        const resources = mutate(run.resources,
            (r) => r.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration" && r.inputs.bucket === bucket.outputs.id,
            () => undefined);
        const violations = evaluate(run, resources);
        expect(violations.map((v) => [v.policy, v.enforcementLevel, v.resourceUrn])).to.deep.equal([["s3-kms-encryption", "mandatory", bucket.urn]]);
    });

    it("a privileged container in the Kafka brokers' template: one pod-security-standards violation naming the check; in the stack's own Job, admitted by its privileged namespace", async () => {
        const run = await stack("prod");
        const job = run.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!;
        const kafka = run.resources.find((r) => r.type === "kubernetes:kafka.strimzi.io/v1:Kafka")!;
        const privileged = (container: Record<string, any>) => ({ ...container, securityContext: { ...container.securityContext, privileged: true } });
        let resources = mutate(run.resources, (r) => r.urn === job.urn, (r) => structuredClone(r));
        const copy = resources.find((r) => r.urn === job.urn)!;
        copy.inputs.spec.template.spec.containers = copy.inputs.spec.template.spec.containers.map(privileged);
        resources = mutate(resources, (r) => r.urn === kafka.urn, (r) => {
            const changed = structuredClone(r);
            changed.inputs.spec.kafka.template = { ...changed.inputs.spec.kafka.template, kafkaContainer: { securityContext: { privileged: true } } };
            return changed;
        });
        const violations = evaluate(run, resources);
        // The Job runs in monitoring, which enforces privileged for its node agents: admitted, as Pod
        // Security Admission would; the brokers' namespace enforces restricted.
        expect(job.inputs.metadata.namespace).to.equal("monitoring");
        expect(violations.map((v) => [v.policy, v.resourceUrn, v.message])).to.deep.equal([
            ["pod-security-standards", kafka.urn, `${kafka.name} spec.kafka.template in namespace kafka (restricted) fails PSS privileged: container kafka: privileged`],
        ]);
    });

    it("a missing tag: config refuses it, and a provider without it gives required-tags violations only", async () => {
        let error: unknown;
        await stackWith("prod", (c) => { delete c.tags.Owner; }).catch((e) => { error = e; });
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.include("tags.Owner: got nothing");

        const run = await stack("prod");
        const resources = mutate(run.resources, (r) => r.type === "pulumi:providers:aws", (provider) => {
            const defaultTags = JSON.parse(provider.inputs.defaultTags);
            delete defaultTags.tags.Owner;
            return { ...provider, inputs: { ...provider.inputs, defaultTags: JSON.stringify(defaultTags) } };
        });
        const violations = evaluate(run, resources);
        expect(violations.length).to.be.greaterThan(10);
        for (const v of violations) {
            expect(v.policy).to.equal("required-tags");
            expect(v.enforcementLevel).to.equal("mandatory");
            expect(v.message).to.include("Owner");
        }
    });
});
