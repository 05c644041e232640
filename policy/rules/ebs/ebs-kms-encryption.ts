import { defineResourcePolicy, ResourceView } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readFlag, readList, readNonEmptyString, readRecord, readString, UNKNOWN } from "../../lib/values";

/** The EBS CSI driver and the in-tree provisioner it replaced; both take these parameters. */
const EBS_PROVISIONERS = ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"];

/** The AWS-managed EBS key, by alias name or alias ARN. */
const AWS_MANAGED_KEY = /(^|:)alias\/aws\/ebs$/;

/** What is wrong with one volume's settings; unknown values pass. */
function volumeProblems(where: string, encrypted: unknown, kmsKeyId: unknown): string[] {
    const problems: string[] = [];
    const isEncrypted = readFlag(encrypted);
    if (isEncrypted === false || isEncrypted === undefined) problems.push(`${where}: encrypted is not "true"`);
    const key = readNonEmptyString(kmsKeyId);
    if (key === undefined) problems.push(`${where}: no kmsKeyId, so the AWS-managed aws/ebs key would be used`);
    else if (key !== UNKNOWN && AWS_MANAGED_KEY.test(key)) problems.push(`${where}: kmsKeyId ${key} is the AWS-managed key`);
    return problems;
}

function launchTemplateProblems(props: ResourceView["props"]): string[] {
    const mappings = readList(props.blockDeviceMappings);
    if (mappings === UNKNOWN) return [];
    if (mappings === undefined || mappings.length === 0) {
        return ["no blockDeviceMappings: the root volume follows the AMI and is unencrypted unless the account encrypts by default"];
    }
    return mappings.flatMap((mapping, i) => {
        const ebs = readRecord(at(mapping, "ebs"));
        // Instance-store and suppressed (noDevice) mappings have no EBS volume to encrypt.
        if (ebs === undefined || ebs === UNKNOWN) return [];
        const device = readString(at(mapping, "deviceName"));
        return volumeProblems(`blockDeviceMappings[${i}]${typeof device === "string" ? ` (${device})` : ""}`, ebs.encrypted, ebs.kmsKeyId);
    });
}

function instanceProblems(props: ResourceView["props"]): string[] {
    const problems: string[] = [];
    const root = readRecord(props.rootBlockDevice);
    // Without a rootBlockDevice, an instance launched from a template takes the template's disks.
    const fromTemplate = readRecord(props.launchTemplate) !== undefined;
    if (root === undefined && !fromTemplate) {
        problems.push("no rootBlockDevice: the root volume is unencrypted unless the account encrypts by default");
    } else if (root !== undefined && root !== UNKNOWN) {
        problems.push(...volumeProblems("rootBlockDevice", root.encrypted, root.kmsKeyId));
    }
    const extra = readList(props.ebsBlockDevices);
    if (extra !== undefined && extra !== UNKNOWN) {
        extra.forEach((device, i) => problems.push(...volumeProblems(`ebsBlockDevices[${i}]`, at(device, "encrypted"), at(device, "kmsKeyId"))));
    }
    return problems;
}

/**
 * A managed node group's disks: with a launch template they are the template's (judged there);
 * without one EKS creates them from diskSize under the account's default EBS encryption, which no
 * input of the node group can set to a customer-managed key.
 */
function nodeGroupProblems(props: ResourceView["props"]): string[] {
    const template = readRecord(props.launchTemplate);
    if (template !== undefined) return [];
    return ["no launchTemplate: the node group's disks follow the account's EBS encryption default, not a customer-managed key (give it a launch template with encrypted blockDeviceMappings)"];
}

function storageClassProblems(props: ResourceView["props"]): string[] {
    const provisioner = readString(props.provisioner);
    if (typeof provisioner !== "string" || !EBS_PROVISIONERS.includes(provisioner)) return [];
    const parameters = readRecord(props.parameters);
    if (parameters === UNKNOWN) return [];
    return volumeProblems("parameters", at(parameters, "encrypted"), at(parameters, "kmsKeyId"));
}

export const ebsKmsEncryption = defineResourcePolicy({
    name: "ebs-kms-encryption",
    description: "EBS volumes (launch template disks, volumes, instance disks, managed node group disks, and EBS StorageClasses for persistent volumes) are encrypted with a customer-managed KMS key.",
    nist: ["SC-28"],
    anchors: ["SecurityHub:AutoScaling.9"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set encrypted \"true\" and kmsKeyId to the stack's EBS key ARN: on each launch template blockDeviceMappings[].ebs, on aws.ebs.Volume, on an instance's rootBlockDevice and ebsBlockDevices, a launch template on every managed node group, and as StorageClass parameters { encrypted: \"true\", kmsKeyId: <ARN> } for the ebs.csi.aws.com provisioner.",
    resourceTypes: [T.launchTemplate, T.volume, T.instance, T.storageClass, T.eksNodeGroup],
    validate(resource, _context, report) {
        const { props } = resource;
        const problems =
            resource.type === T.launchTemplate ? launchTemplateProblems(props)
            : resource.type === T.instance ? instanceProblems(props)
            : resource.type === T.storageClass ? storageClassProblems(props)
            : resource.type === T.eksNodeGroup ? nodeGroupProblems(props)
            : volumeProblems("volume", props.encrypted, props.kmsKeyId);
        for (const problem of problems) report(problem);
    },
});
