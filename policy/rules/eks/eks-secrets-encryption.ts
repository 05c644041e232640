import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readList, readNonEmptyString, readRecord, readStringOrList, UNKNOWN } from "../../lib/values";

export const eksSecretsEncryption = defineResourcePolicy({
    name: "eks-secrets-encryption",
    description: "EKS envelope-encrypts Kubernetes Secrets in etcd with a customer-managed KMS key (encryptionConfig with resources [\"secrets\"] and provider.keyArn).",
    nist: ["SC-28", "SC-12"],
    anchors: [],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set encryptionConfig { resources: [\"secrets\"], provider: { keyArn: <the stack's EKS KMS key ARN> } } on the cluster. It can be added to a running cluster but never removed.",
    resourceTypes: [T.eksCluster],
    validate(resource, _context, report) {
        // @pulumi/aws 7 takes one encryptionConfig; older programs passed a one-element list.
        const given = resource.props.encryptionConfig;
        const list = readList(given);
        const config = list !== undefined && list !== UNKNOWN ? readRecord(list[0]) : readRecord(given);
        if (config === UNKNOWN) return;
        if (config === undefined) {
            report("no encryptionConfig: Secrets are stored with only EBS-level encryption");
            return;
        }
        const resources = readStringOrList(config.resources);
        if (resources !== UNKNOWN && !(resources ?? []).some((r) => r === "secrets" || r === UNKNOWN)) {
            report("encryptionConfig.resources does not include \"secrets\"");
        }
        if (readNonEmptyString(at(config, "provider", "keyArn")) === undefined) report("encryptionConfig.provider.keyArn is not set");
    },
});
