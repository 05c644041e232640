import { expect } from "chai";
import { requiredTags } from "../../policy/rules/tags/required-tags";
import { awsProvider, check, messages, planned, TAGS, UNKNOWN } from "./helpers";

const SUBNET = "aws:ec2/subnet:Subnet";

describe("policy required-tags", () => {
    it("passes a resource whose tags come from the provider's default tags", () => {
        const provider = awsProvider();
        const subnet = planned(SUBNET, "private-a", { vpcId: "vpc-1", tags: { Name: "private-a" } }, { provider });
        expect(check(requiredTags, [provider, subnet])).to.deep.equal([]);
    });

    it("passes tags split between the resource and the provider", () => {
        const provider = awsProvider({ Project: "p", Environment: "dev" });
        const vpc = planned("aws:ec2/vpc:Vpc", "vpc", { tags: { Owner: "o", CostCenter: "c" } }, { provider });
        expect(check(requiredTags, [provider, vpc])).to.deep.equal([]);
    });

    it("reads default tags given as an object too", () => {
        const provider = planned("pulumi:providers:aws", "aws", { defaultTags: { tags: TAGS } });
        const key = planned("aws:kms/key:Key", "key", {}, { provider });
        expect(check(requiredTags, [provider, key])).to.deep.equal([]);
    });

    it("fails a resource missing a tag, naming it", () => {
        const { Owner: _owner, ...withoutOwner } = TAGS;
        const provider = awsProvider(withoutOwner);
        const bucket = planned("aws:s3/bucket:Bucket", "logs", {}, { provider });
        const violations = check(requiredTags, [provider, bucket]);
        expect(messages(violations)).to.deep.equal(["missing or empty tags: Owner"]);
        expect(violations[0]).to.include({ resourceName: "logs", enforcementLevel: "mandatory" });
        expect(violations[0].nist).to.deep.equal(["CM-8"]);
    });

    it("fails an empty tag, and a resource on the default provider without tags", () => {
        const provider = awsProvider({ ...TAGS, CostCenter: " " });
        const role = planned("aws:iam/role:Role", "role", {}, { provider });
        const orphan = planned("aws:ec2/eip:Eip", "eip", { tags: { Name: "x" } });
        expect(messages(check(requiredTags, [provider, role, orphan]))).to.deep.equal([
            "missing or empty tags: CostCenter",
            "missing or empty tags: Project, Environment, Owner, CostCenter",
        ]);
    });

    it("skips sub-resources that take no tags", () => {
        const policy = planned("aws:s3/bucketPolicy:BucketPolicy", "policy", { bucket: "b", policy: "{}" });
        const alias = planned("aws:kms/alias:Alias", "alias", { name: "alias/x" });
        expect(check(requiredTags, [policy, alias])).to.deep.equal([]);
    });

    it("does not judge tags that are unknown during preview", () => {
        const provider = awsProvider({});
        const unknownTags = planned("aws:ec2/vpc:Vpc", "vpc", { tags: UNKNOWN }, { provider });
        const unknownValue = planned("aws:ec2/subnet:Subnet", "subnet", { tags: { ...TAGS, Owner: UNKNOWN } });
        expect(check(requiredTags, [provider, unknownTags, unknownValue])).to.deep.equal([]);
    });

    it("still fails when only tagsAll is unknown: tags and defaults are all it merges", () => {
        const provider = awsProvider({ Project: "p" });
        const vpc = planned("aws:ec2/vpc:Vpc", "vpc", { tags: {}, tagsAll: UNKNOWN }, { provider });
        expect(messages(check(requiredTags, [provider, vpc]))).to.deep.equal(["missing or empty tags: Environment, Owner, CostCenter"]);
    });

    it("asks launch templates for tag specifications of the instances and volumes they launch", () => {
        const provider = awsProvider();
        const bare = planned("aws:ec2/launchTemplate:LaunchTemplate", "bare", {}, { provider });
        const partial = planned("aws:ec2/launchTemplate:LaunchTemplate", "partial", {
            tagSpecifications: [{ resourceType: "instance", tags: TAGS }, { resourceType: "volume", tags: { Project: "p" } }],
        }, { provider });
        const complete = planned("aws:ec2/launchTemplate:LaunchTemplate", "complete", {
            tagSpecifications: [{ resourceType: "instance", tags: TAGS }, { resourceType: "volume", tags: TAGS }],
        }, { provider });
        const pending = planned("aws:ec2/launchTemplate:LaunchTemplate", "pending", { tagSpecifications: UNKNOWN }, { provider });
        const violations = check(requiredTags, [provider, bare, partial, complete, pending]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["bare", "no tagSpecifications for instances, so the instances it launches carry no tags"],
            ["bare", "no tagSpecifications for volumes, so the volumes it launches carry no tags"],
            ["partial", "tagSpecifications for volumes lack Environment, Owner, CostCenter"],
        ]);
    });
});
