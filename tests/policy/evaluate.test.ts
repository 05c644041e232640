import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluatePolicies, loadPackConfig, resolvePolicyConfig } from "../../policy/evaluate";
import { defineResourcePolicy, isStackPolicy, NistPolicy } from "../../policy/lib/policy";
import { allPolicies, PACK_NAME } from "../../policy/policies";
import { noPublicIp } from "../../policy/rules/ec2/no-public-ip";
import { istioMtlsStrict } from "../../policy/rules/kubernetes/istio-mtls-strict";
import { requiredTags } from "../../policy/rules/tags/required-tags";
import { awsProvider, evaluate, planned, TAGS } from "./helpers";

/** The rules table of issue 6: rule name and its dev enforcement. */
const RULES_TABLE: Record<string, "mandatory" | "advisory"> = {
    "required-tags": "mandatory",
    "s3-kms-encryption": "mandatory",
    "ebs-kms-encryption": "mandatory",
    "encryption-at-rest": "mandatory",
    "eks-no-public-endpoint": "mandatory",
    "eks-secrets-encryption": "mandatory",
    "eks-control-plane-logging": "advisory",
    "eks-supported-version": "advisory",
    "eks-node-remote-access": "mandatory",
    "kms-key-rotation": "mandatory",
    "imdsv2-required": "mandatory",
    "no-public-ip": "advisory",
    "s3-public-access-block": "mandatory",
    "s3-tls-only": "advisory",
    "s3-versioning": "advisory",
    "s3-lifecycle": "advisory",
    "s3-access-logging": "advisory",
    "s3-no-acls": "advisory",
    "s3-policy-admin-actions": "mandatory",
    "vpc-flow-logs": "advisory",
    "default-sg-closed": "advisory",
    "network-acls": "advisory",
    "sg-no-open-ingress": "advisory",
    "log-retention": "advisory",
    "iam-least-privilege": "mandatory",
    "istio-mtls-strict": "advisory",
    "backup-schedules": "advisory",
    "multi-az-ha": "advisory",
    "observability-retention": "advisory",
    "helm-no-plaintext-secrets": "mandatory",
    "rds-database": "mandatory",
    "rds-hardening": "advisory",
    "rds-backup-plan": "advisory",
    "ssm-managed-instances": "advisory",
    "ssm-documents-private": "mandatory",
    "in-cluster-encryption": "advisory",
    "mesh-default-deny": "advisory",
    "kafka-authentication": "advisory",
    "namespace-default-deny": "advisory",
    "namespace-pod-security": "advisory",
    "alb-listener-tls": "mandatory",
    "alb-internet-protected": "mandatory",
    "alb-access-logs": "mandatory",
    "pod-security-standards": "advisory",
    "amp-workspace-logging": "advisory",
    "managed-grafana": "advisory",
};

const publicSubnet = () => planned("aws:ec2/subnet:Subnet", "private-a", { mapPublicIpOnLaunch: true, tags: { Tier: "private" } });

describe("policy pack", () => {
    it("has every rule of the table, once, with its dev level", () => {
        expect(PACK_NAME).to.equal("nist-800-53-eks");
        expect(Object.fromEntries(allPolicies.map((p) => [p.name, p.enforcementLevel]))).to.deep.equal(RULES_TABLE);
        expect(new Set(allPolicies.map((p) => p.name)).size).to.equal(allPolicies.length);
    });

    it("gives every rule its NIST controls, severity, remediation and an environment setting", () => {
        for (const policy of allPolicies) {
            expect(policy.nist, policy.name).to.not.be.empty;
            for (const control of policy.nist) expect(control, policy.name).to.match(/^[A-Z]{2}-\d+$/);
            expect(policy.framework, policy.name).to.include({ name: "NIST SP 800-53", version: "Rev. 5", reference: policy.nist.join(", ") });
            expect(policy.description, policy.name).to.include(`NIST SP 800-53 Rev. 5: ${policy.nist.join(", ")}`).and.include("Remediation:");
            expect(["low", "medium", "high", "critical"], policy.name).to.include(policy.severity);
            expect(policy.remediationSteps, policy.name).to.have.length.above(20);
            expect(policy.configSchema.properties.environment, policy.name).to.deep.include({ enum: ["dev", "prod"] });
        }
    });

    it("documents every rule with its controls and dev level in the README's table", () => {
        const readme = fs.readFileSync(path.join(__dirname, "../../policy/README.md"), "utf8");
        for (const policy of allPolicies) {
            const row = readme.split("\n").find((line) => line.startsWith(`| \`${policy.name}\` |`));
            expect(row, policy.name).to.be.a("string");
            const cells = row!.split(" | ");
            expect(cells.slice(-4), policy.name).to.deep.equal([policy.nist.join(", "), policy.severity, policy.enforcementLevel, "mandatory |"]);
        }
    });
});

describe("policy config files", () => {
    const dev = loadPackConfig("dev");
    const prod = loadPackConfig("prod");

    it("set the environment of every rule", () => {
        for (const policy of allPolicies) {
            expect(resolvePolicyConfig(policy, dev).properties.environment, policy.name).to.equal("dev");
            expect(resolvePolicyConfig(policy, prod).properties.environment, policy.name).to.equal("prod");
        }
    });

    it("enforce the rules table in dev and every rule in prod", () => {
        for (const policy of allPolicies) {
            expect(resolvePolicyConfig(policy, dev).enforcementLevel, policy.name).to.equal(RULES_TABLE[policy.name]);
            expect(resolvePolicyConfig(policy, prod).enforcementLevel, policy.name).to.equal("mandatory");
        }
    });

    it("hold only properties the rules declare in their config schema", () => {
        for (const config of [dev, prod]) {
            for (const policy of allPolicies) {
                const entry = config[policy.name];
                const keys = typeof entry === "object" ? Object.keys(entry).filter((k) => k !== "enforcementLevel") : [];
                expect(Object.keys(policy.configSchema.properties), policy.name).to.include.members(keys);
            }
        }
    });

    it("refuse a stack name that is not one, and a stack without a file", () => {
        expect(() => loadPackConfig("../package")).to.throw(/not a stack name/);
        // In a folder of its own: a user may well have added a staging config to policy/config.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-config-"));
        expect(() => loadPackConfig("staging", dir)).to.throw(/no policy config for staging/);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe("evaluatePolicies", () => {
    it("reports the same finding as advisory in dev and mandatory in prod", () => {
        const [devFinding] = evaluate([publicSubnet()], loadPackConfig("dev"), [noPublicIp]);
        const [prodFinding] = evaluate([publicSubnet()], loadPackConfig("prod"), [noPublicIp]);
        expect(devFinding).to.deep.include({ policy: "no-public-ip", enforcementLevel: "advisory", resourceType: "aws:ec2/subnet:Subnet", resourceName: "private-a", severity: "medium" });
        expect(devFinding.nist).to.deep.equal(["SC-7"]);
        expect(prodFinding.enforcementLevel).to.equal("mandatory");
    });

    it("applies `all`, a policy's own entry over it, and skips disabled policies", () => {
        expect(evaluate([publicSubnet()], { all: "mandatory" }, [noPublicIp])[0].enforcementLevel).to.equal("mandatory");
        expect(evaluate([publicSubnet()], { all: "mandatory", "no-public-ip": "advisory" }, [noPublicIp])[0].enforcementLevel).to.equal("advisory");
        expect(evaluate([publicSubnet()], { "no-public-ip": { enforcementLevel: "disabled" } }, [noPublicIp])).to.deep.equal([]);
        expect(evaluate([publicSubnet()], { all: "disabled" }, [noPublicIp])).to.deep.equal([]);
        // A remediation that left the violation in place is reported as mandatory, as the SDK does.
        expect(evaluate([publicSubnet()], { "no-public-ip": "remediate" }, [noPublicIp])[0].enforcementLevel).to.equal("mandatory");
    });

    it("runs the whole pack when no policies are given", () => {
        const violations = evaluatePolicies([publicSubnet()]);
        expect(violations.map((v) => v.policy)).to.include.members(["no-public-ip", "required-tags"]);
    });

    it("takes a stack policy's environment from the Environment tags when config does not say", () => {
        const provider = awsProvider({ ...TAGS, Environment: "prod" });
        const prodVpc = planned("aws:ec2/vpc:Vpc", "vpc", {}, { provider });
        expect(evaluate([provider, prodVpc], {}, [istioMtlsStrict])).to.have.length(1);
        const devProvider = awsProvider(TAGS);
        expect(evaluate([devProvider, planned("aws:ec2/vpc:Vpc", "vpc", {}, { provider: devProvider })], {}, [istioMtlsStrict])).to.deep.equal([]);
    });

    it("judges a stack that names no environment at all as prod", () => {
        expect(evaluate([], {}, [istioMtlsStrict])).to.have.length(1);
    });

    it("resolves a provider reference written as <urn>::<id>", () => {
        const provider = awsProvider();
        const vpc = { ...planned("aws:ec2/vpc:Vpc", "vpc", {}), provider: `${provider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9` };
        expect(evaluate([provider, vpc], {}, [requiredTags])).to.deep.equal([]);
    });

    it("offers isType, asType and getConfig as the SDK does", () => {
        class Vpc { static readonly __pulumiType = "aws:ec2/vpc:Vpc"; }
        const seen: unknown[] = [];
        const probe: NistPolicy = {
            ...defineResourcePolicy({ ...metadataOf(noPublicIp), resourceTypes: [], validate: () => undefined }),
            validateResource: (args) => {
                seen.push(args.isType(Vpc as never), (args.asType(Vpc as never) as Record<string, unknown> | undefined)?.cidrBlock, args.getConfig<{ environment: string }>().environment);
            },
        };
        evaluate([planned("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }), planned("aws:ec2/subnet:Subnet", "s", {})], { [noPublicIp.name]: { environment: "dev" } }, [probe]);
        expect(seen).to.deep.equal([true, "10.0.0.0/16", "dev", false, undefined, "dev"]);
    });

    it("names the policy and resource when a rule fails", () => {
        const broken: NistPolicy = {
            ...defineResourcePolicy({ ...metadataOf(noPublicIp), resourceTypes: ["aws:ec2/vpc:Vpc"], validate: () => { throw new Error("boom"); } }),
        };
        expect(() => evaluatePolicies([planned("aws:ec2/vpc:Vpc", "vpc", {})], {}, [broken])).to.throw(/policy no-public-ip failed on urn:pulumi:test::nist-eks-platform::aws:ec2\/vpc:Vpc::vpc: boom/);
        expect(isStackPolicy(broken)).to.equal(false);
    });
});

/** A rule spec's metadata taken from an existing policy, for probe policies. */
function metadataOf(policy: NistPolicy) {
    return {
        name: policy.name,
        description: "probe",
        nist: policy.nist,
        severity: policy.severity,
        remediationSteps: policy.remediationSteps,
        enforcementLevel: "advisory" as const,
    };
}
