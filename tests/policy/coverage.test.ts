/**
 * The pack's coverage of the anchor tools' checks: the README's table is what the rules' metadata,
 * the exclusions and the stacks' declared types give, every anchor id the rules and exclusions name
 * exists, and every applicable check is enforced or excluded with a reason.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import anchorData from "../../policy/data/anchors.json";
import { EXCLUSIONS, PARTLY } from "../../policy/data/coverage-exclusions";
import { ANCHORS, POD_SECURITY_ANCHORS, coverage, presentTypes, readCoverage, renderCoverage } from "../../policy/coverage";
import { allPolicies } from "../../policy/policies";
import { stack } from "../support/stacks";

async function declaredTypes(): Promise<Set<string>> {
    const types = new Set<string>();
    for (const name of ["dev", "prod"]) for (const resource of (await stack(name)).resources) types.add(resource.type);
    return types;
}


describe("policy pack coverage of the anchor tools", () => {
    it("carries each anchor list with where and when it was read", () => {
        expect(anchorData.securityHub.source).to.include({ repository: "https://github.com/awsdocs/aws-security-hub-user-guide", commit: "47bfe2f1de2e486914543113d2e751f3e2ed8868" });
        expect(anchorData.cdkNag.source).to.include({ package: "cdk-nag", version: "3.0.2", file: "lib/packs/nist-800-53-r5.js" });
        expect(anchorData.cdkNag.source.integrity).to.match(/^sha512-/);
        expect(anchorData.podSecurity.source).to.include({ repository: "https://github.com/kubernetes/pod-security-admission", tag: "v0.35.6" });
        expect(anchorData.derived).to.match(/^\d{4}-\d{2}-\d{2}$/);
        // The standard's list as published: 222 controls, cdk-nag's pack 85 rules, 19 pod checks.
        expect([anchorData.securityHub.controls.length, anchorData.cdkNag.rules.length, anchorData.podSecurity.checks.length]).to.deep.equal([222, 85, 19]);
        expect(ANCHORS.find((a) => a.id === "SecurityHub:S3.9")).to.deep.include({ title: "S3 bucket server access logging should be enabled", sourceTypes: ["AWS::S3::Bucket"], types: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] });
        expect(ANCHORS.find((a) => a.id === "cdk-nag:NIST.800.53.R5-RDSLoggingEnabled")?.sourceTypes).to.deep.equal(["aws-rds.CfnDBCluster", "aws-rds.CfnDBInstance"]);
    });

    it("names only anchor checks that exist, never both enforces and excludes one, and says what a partly enforced one leaves out", () => {
        const known = new Set([...ANCHORS.map((a) => a.id), ...POD_SECURITY_ANCHORS.map((a) => a.id)]);
        const named = allPolicies.flatMap((policy) => (policy.anchors ?? []).map((id) => `${policy.name}: ${id}`));
        expect(named.filter((entry) => !known.has(entry.split(": ")[1]))).to.deep.equal([]);
        expect(Object.keys(EXCLUSIONS).filter((id) => !known.has(id))).to.deep.equal([]);
        const enforced = new Set(allPolicies.flatMap((policy) => policy.anchors ?? []));
        expect(Object.keys(EXCLUSIONS).filter((id) => enforced.has(id))).to.deep.equal([]);
        for (const [id, exclusion] of Object.entries(EXCLUSIONS)) expect(exclusion.reason.length, id).to.be.greaterThan(40);
        // A check enforced partly is one a rule names, with what it leaves out.
        expect(Object.keys(PARTLY).filter((id) => !enforced.has(id))).to.deep.equal([]);
    });

    it("judges what AWS creates for a declared type: a node group's Auto Scaling group, a VPC's default network ACL", () => {
        const present = presentTypes(["aws:eks/nodeGroup:NodeGroup", "aws:ec2/vpc:Vpc"]);
        const applicable = coverage(present, allPolicies).map((row) => row.anchor.id);
        expect(applicable).to.include.members(["SecurityHub:AutoScaling.2", "SecurityHub:EC2.21", "SecurityHub:SSM.1", "SecurityHub:EC2.6"]);
        // Nothing of the load balancer's until one is declared.
        expect(applicable.filter((id) => id.startsWith("SecurityHub:ELB."))).to.deep.equal([]);
        expect(coverage(presentTypes(["aws:lb/loadBalancer:LoadBalancer"]), allPolicies).map((row) => row.anchor.id)).to.include.members(["SecurityHub:ELB.5", "cdk-nag:NIST.800.53.R5-ALBWAFEnabled"]);
    });

    it("enforces or excludes with a reason every check that applies to the stacks", async () => {
        const rows = coverage(presentTypes(await declaredTypes()), allPolicies);
        expect(rows.filter((row) => row.status === "missing").map((row) => row.anchor.id)).to.deep.equal([]);
        for (const row of rows.filter((r) => r.status === "excluded")) expect(row.exclusion!.kind, row.anchor.id).to.be.oneOf(["runtime-only", "account-level", "design decision"]);
    });

    it("the README's coverage section is the one the rules, the exclusions and the stacks give", async () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "policy", "README.md"), "utf8");
        expect(readCoverage(readme)).to.equal(renderCoverage(await declaredTypes(), allPolicies));
    });
});
