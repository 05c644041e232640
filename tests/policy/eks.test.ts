import { expect } from "chai";
import { eksControlPlaneLogging } from "../../policy/rules/eks/eks-control-plane-logging";
import { eksNoPublicEndpoint } from "../../policy/rules/eks/eks-no-public-endpoint";
import { eksSecretsEncryption } from "../../policy/rules/eks/eks-secrets-encryption";
import { eksSupportedVersion } from "../../policy/rules/eks/eks-supported-version";
import { awsProvider, check, messages, planned, TAGS, UNKNOWN } from "./helpers";

const CLUSTER = "aws:eks/cluster:Cluster";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function cluster(name: string, inputs: Record<string, unknown>) {
    return planned(CLUSTER, name, { roleArn: "arn:aws:iam::123456789012:role/eks", ...inputs });
}

describe("policy eks-no-public-endpoint", () => {
    it("passes a private prod endpoint and a dev endpoint limited to an office range", () => {
        const prod = cluster("prod", { vpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true, subnetIds: ["subnet-1"] } });
        const dev = cluster("dev", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } });
        expect(check(eksNoPublicEndpoint, [prod], "prod")).to.deep.equal([]);
        expect(check(eksNoPublicEndpoint, [dev], "dev")).to.deep.equal([]);
    });

    it("fails a public endpoint in prod, even one that is left at the AWS default", () => {
        const explicit = cluster("explicit", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } });
        const byDefault = cluster("default", { vpcConfig: { publicAccessCidrs: ["203.0.113.0/24"] } });
        const violations = check(eksNoPublicEndpoint, [explicit, byDefault], "prod");
        expect(violations.map((v) => [v.resourceName, v.message, v.enforcementLevel])).to.deep.equal([
            ["explicit", "prod: vpcConfig.endpointPublicAccess must be false (EKS defaults it to true)", "mandatory"],
            ["default", "prod: vpcConfig.endpointPublicAccess must be false (EKS defaults it to true)", "mandatory"],
        ]);
        expect(violations[0].nist).to.deep.equal(["SC-7"]);
    });

    it("fails 0.0.0.0/0 and a public endpoint without CIDRs in every environment", () => {
        const open = cluster("open", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/0"] } });
        const unset = cluster("unset", { vpcConfig: { endpointPublicAccess: true } });
        expect(messages(check(eksNoPublicEndpoint, [open, unset], "dev"))).to.deep.equal([
            "vpcConfig.publicAccessCidrs opens the API endpoint to 0.0.0.0/0",
            "the public endpoint has no publicAccessCidrs, so AWS opens it to 0.0.0.0/0",
        ]);
    });

    it("takes the environment from the Environment tag when config does not say", () => {
        const provider = awsProvider({ ...TAGS, Environment: "prod" });
        const public_ = planned(CLUSTER, "c", { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }, { provider });
        expect(messages(check(eksNoPublicEndpoint, [provider, public_]))).to.deep.equal(["prod: vpcConfig.endpointPublicAccess must be false (EKS defaults it to true)"]);
        // Config wins over the tag.
        expect(check(eksNoPublicEndpoint, [provider, public_], "dev")).to.deep.equal([]);
    });

    it("skips values unknown during preview", () => {
        expect(check(eksNoPublicEndpoint, [
            cluster("a", { vpcConfig: UNKNOWN }),
            cluster("b", { vpcConfig: { endpointPublicAccess: UNKNOWN, publicAccessCidrs: UNKNOWN } }),
        ], "prod")).to.deep.equal([]);
    });
});

describe("policy eks-secrets-encryption", () => {
    it("passes secrets encryption with a KMS key, known or still unknown", () => {
        expect(check(eksSecretsEncryption, [
            cluster("a", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY_ARN } } }),
            cluster("b", { encryptionConfig: { resources: ["secrets"], provider: { keyArn: UNKNOWN } } }),
            cluster("c", { encryptionConfig: UNKNOWN }),
        ])).to.deep.equal([]);
    });

    it("fails a cluster without encryption, without secrets or without a key", () => {
        const violations = check(eksSecretsEncryption, [
            cluster("none", {}),
            cluster("other", { encryptionConfig: { resources: ["configmaps"], provider: { keyArn: KEY_ARN } } }),
            cluster("keyless", { encryptionConfig: { resources: ["secrets"], provider: {} } }),
        ]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["none", "no encryptionConfig: Secrets are stored with only EBS-level encryption"],
            ["other", "encryptionConfig.resources does not include \"secrets\""],
            ["keyless", "encryptionConfig.provider.keyArn is not set"],
        ]);
        expect(violations[0].nist).to.deep.equal(["SC-28", "SC-12"]);
    });
});

describe("policy eks-control-plane-logging", () => {
    const DEV = ["api", "audit", "authenticator"];

    it("passes the three audit log types in dev and all five in prod", () => {
        expect(check(eksControlPlaneLogging, [cluster("dev", { enabledClusterLogTypes: DEV })], "dev")).to.deep.equal([]);
        expect(check(eksControlPlaneLogging, [cluster("prod", { enabledClusterLogTypes: [...DEV, "controllerManager", "scheduler"] })], "prod")).to.deep.equal([]);
    });

    it("fails missing types, advisory in dev", () => {
        expect(check(eksControlPlaneLogging, [cluster("dev", { enabledClusterLogTypes: ["api"] })], "dev").map((v) => [v.message, v.enforcementLevel])).to.deep.equal([
            ["dev: enabledClusterLogTypes lacks audit, authenticator", "advisory"],
        ]);
        expect(messages(check(eksControlPlaneLogging, [cluster("prod", { enabledClusterLogTypes: DEV })], "prod"))).to.deep.equal([
            "prod: enabledClusterLogTypes lacks controllerManager, scheduler",
        ]);
        expect(messages(check(eksControlPlaneLogging, [cluster("none", {})], "dev"))).to.deep.equal(["dev: enabledClusterLogTypes lacks api, audit, authenticator"]);
    });

    it("skips an unknown list", () => {
        expect(check(eksControlPlaneLogging, [cluster("c", { enabledClusterLogTypes: UNKNOWN }), cluster("d", { enabledClusterLogTypes: ["api", UNKNOWN] })], "dev")).to.deep.equal([]);
    });
});

describe("policy eks-supported-version", () => {
    it("passes versions at or above the default minimum 1.34, and an unset or unknown version", () => {
        expect(check(eksSupportedVersion, [cluster("a", { version: "1.34" }), cluster("b", { version: "1.35" }), cluster("c", {}), cluster("d", { version: UNKNOWN })])).to.deep.equal([]);
    });

    it("fails an older version, and follows the configured minimum", () => {
        expect(messages(check(eksSupportedVersion, [cluster("old", { version: "1.29" })]))).to.deep.equal(["Kubernetes 1.29 is older than the supported minimum 1.34"]);
        expect(messages(check(eksSupportedVersion, [cluster("c", { version: "1.35" })], "dev", { minimumKubernetesVersion: "1.36" }))).to.deep.equal([
            "Kubernetes 1.35 is older than the supported minimum 1.36",
        ]);
        expect(check(eksSupportedVersion, [cluster("c", { version: "1.9" })], "dev", { minimumKubernetesVersion: "1.10" })).to.have.length(1);
    });
});
