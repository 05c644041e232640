/**
 * What a first real `pulumi up`, its second run and CI would trip on: each block guards one class
 * of defect that a model of our own could not see (issue 11).
 */
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { ofType, single, stack } from "./support/stacks";

const STACKS = ["dev", "prod"] as const;
const statementsOf = (policy: string): any[] => [JSON.parse(policy).Statement].flat();
const asList = (value: unknown): unknown[] => [value].flat().filter((v) => v !== undefined);

/** Every policy document a resource carries: key policies, trust policies, role and bucket policies. */
function policyDocuments(run: StackRun): { resource: PlannedResource; field: string; statements: any[] }[] {
    return run.resources.flatMap((resource) => ["policy", "assumeRolePolicy"]
        .filter((field) => typeof resource.inputs[field] === "string" && resource.inputs[field].includes("Statement"))
        .map((field) => ({ resource, field, statements: statementsOf(resource.inputs[field]) })));
}

describe("deploy readiness", () => {
    describe("KMS key policies (item 1)", () => {
        for (const name of STACKS) {
            it(`${name}: name no principal that may not exist yet, and grant only for AWS resources`, async () => {
                const run = await stack(name);
                const keys = ofType(run, "aws:kms/key:Key");
                expect(keys).to.have.length(4);
                for (const key of keys) {
                    for (const statement of statementsOf(key.inputs.policy)) {
                        const principals = asList(statement.Principal?.AWS).map(String);
                        // Service-linked roles exist only after their service's first use in the account.
                        expect(principals.filter((p) => p.includes(":role/aws-service-role/")), `${key.name} ${statement.Sid}`).to.deep.equal([]);
                        if (asList(statement.Action).includes("kms:CreateGrant")) {
                            expect(statement.Condition?.Bool, `${key.name} ${statement.Sid}`).to.deep.equal({ "kms:GrantIsForAWSResource": "true" });
                        }
                    }
                }
            });
        }

        it("the EBS key still lets every principal of the account (Auto Scaling's role too) use it through EC2 only", async () => {
            const run = await stack("prod");
            const ebs = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-ebs"))!;
            const statements = statementsOf(ebs.inputs.policy).filter((s) => s.Principal?.AWS === "*");
            const through = { "kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.us-east-1.amazonaws.com" };
            expect(statements).to.deep.equal([
                { Sid: "UseThroughEC2", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: "*", Condition: { StringEquals: through } },
                { Sid: "GrantThroughEC2", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:CreateGrant", Resource: "*", Condition: { StringEquals: through, Bool: { "kms:GrantIsForAWSResource": "true" } } },
            ]);
        });
    });

    describe("service trust policies (item 10)", () => {
        /** EC2 passes no source context when it assumes an instance role; only this account can attach one (iam:PassRole). */
        const NO_SOURCE_CONTEXT = ["ec2.amazonaws.com"];
        for (const name of STACKS) {
            it(`${name}: every service principal but EC2 is held to this account's resources`, async () => {
                const run = await stack(name);
                const services = new Set<string>();
                for (const { resource, field, statements } of policyDocuments(run)) {
                    for (const statement of statements.filter((s) => s.Principal?.Service)) {
                        const service = String(statement.Principal.Service);
                        services.add(service);
                        if (NO_SOURCE_CONTEXT.includes(service)) continue;
                        const label = `${resource.name}.${field} (${service})`;
                        if (field === "assumeRolePolicy") {
                            expect(statement.Condition?.StringEquals?.["aws:SourceAccount"], label).to.equal("123456789012");
                            if (statement.Condition?.ArnLike) expect(statement.Condition.ArnLike["aws:SourceArn"], label).to.include(":123456789012:");
                        } else {
                            // A key policy for CloudWatch Logs names the log groups of this account in the encryption context.
                            expect(JSON.stringify(statement.Condition ?? {}), label).to.match(/123456789012/);
                        }
                    }
                }
                expect([...services]).to.include.members(["vpc-flow-logs.amazonaws.com", "eks.amazonaws.com"]);
            });
        }

        it("the flow-log and cluster roles name their source ARNs", async () => {
            const run = await stack("prod");
            const trust = (suffix: string) => statementsOf(ofType(run, "aws:iam/role:Role").find((r) => r.name.endsWith(suffix))!.inputs.assumeRolePolicy)[0].Condition;
            expect(trust("-flow-logs-role")).to.deep.equal({
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
            });
            expect(trust("nist-eks-prod-role")).to.deep.equal({
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:eks:us-east-1:123456789012:cluster/nist-eks-prod" },
            });
        });
    });
});

export { single };
