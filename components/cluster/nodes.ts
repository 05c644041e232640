import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "../aws/ec2";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig, NodeGroupConfig, Tags } from "../../config/schema";
import { maxPods } from "../../lib/capacity";
import { nodeReleaseParameter } from "../../lib/eks-versions";
import { renderedImagesBlocking } from "../../lib/images";
import { Architecture, findInstanceType } from "../../lib/instance-types";
import { workingHoursCrons } from "../../lib/schedule";
import { sortedTags } from "../provider";

/** The EKS-optimised AL2023 AMI type for each architecture. */
const AMI_TYPES: Readonly<Record<Architecture, string>> = { amd64: "AL2023_x86_64_STANDARD", arm64: "AL2023_ARM_64_STANDARD" };

/** The architecture of a group's instance types (the config schema has checked they share one). */
function nodeArchitecture(group: Pick<NodeGroupConfig, "instanceTypes">): Architecture {
    const facts = findInstanceType(group.instanceTypes[0]);
    if (!facts) throw new Error(`Unknown instance type "${group.instanceTypes[0]}"`);
    return facts.architecture;
}

/** The AMI type follows the architecture: a Graviton group boots the arm64 AMI. */
export function nodeAmiType(group: Pick<NodeGroupConfig, "instanceTypes">): string {
    return AMI_TYPES[nodeArchitecture(group)];
}

/** The releaseVersion value that takes the recommended AMI release when the group is created and ignores newer ones. */
export const LATEST_RELEASE_AT_CREATION = "latest-at-creation";

/**
 * The EKS-optimised AMI release a group runs: the pinned one, or the release AWS recommends for the
 * cluster's Kubernetes version and the group's architecture, read from its public SSM parameter.
 */
export function nodeReleaseVersion(group: Pick<NodeGroupConfig, "instanceTypes" | "releaseVersion">, kubernetesVersion: string, opts: pulumi.InvokeOutputOptions): pulumi.Input<string> {
    if (group.releaseVersion !== LATEST_RELEASE_AT_CREATION) return group.releaseVersion;
    return ssm.getParameterOutput({ name: nodeReleaseParameter(kubernetesVersion, nodeArchitecture(group)) }, opts).value;
}

/**
 * What Pulumi leaves to others on a node group. The autoscaler owns the running size; a working-
 * hours schedule owns min and max too (its start action restores the configured sizes, its stop
 * action sets zero), so an update of the group never reopens nodes at night or shuts them by day.
 * A group on latest-at-creation keeps the release it was created with until the file pins one:
 * an AMI roll, like a Kubernetes upgrade, is a deliberate change of the stack file.
 */
export function nodeGroupIgnoreChanges(group: Pick<NodeGroupConfig, "schedule" | "releaseVersion">): string[] {
    return [
        "scalingConfig.desiredSize",
        ...(group.schedule ? ["scalingConfig.minSize", "scalingConfig.maxSize"] : []),
        ...(group.releaseVersion === LATEST_RELEASE_AT_CREATION ? ["releaseVersion"] : []),
    ];
}

/**
 * Why arm64 node groups cannot run the rendered images, one line per group: an image not published
 * for arm64, or one whose platforms lib/data/images.json does not know, would never start on its
 * nodes. The config schema checked the pinned table before any render; this checks what the
 * renders really run. amd64 is the platform every image is built for first, so it is not checked.
 */
export function nodeImageProblems(cluster: Pick<ClusterConfig, "nodeGroups">, images: readonly string[]): string[] {
    return cluster.nodeGroups.flatMap((group, i) => {
        const architecture = nodeArchitecture(group);
        if (architecture === "amd64") return [];
        const blocking = renderedImagesBlocking(architecture, images);
        return blocking.length === 0 ? [] : [
            `cluster.nodeGroups[${i}].instanceTypes: got ${JSON.stringify(group.instanceTypes)} (${architecture}); allowed: types of an architecture every rendered image runs on, and ${blocking.join("; ")}`,
        ];
    });
}

/**
 * Working hours for a node group: two scheduled actions on its Auto Scaling group, one that
 * restores the configured sizes at `start` and one that scales to zero at `stop`, in the
 * schedule's time zone. Outside the hours min and max are 0 too, so nothing scales the nodes back.
 */
export function createNodeSchedule(name: string, group: NodeGroupConfig, autoscalingGroupName: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): autoscaling.Schedule[] {
    if (!group.schedule) return [];
    const crons = workingHoursCrons(group.schedule);
    const action = (suffix: string, recurrence: string, sizes: { minSize: number; maxSize: number; desiredCapacity: number }) =>
        new autoscaling.Schedule(`${name}-${suffix}`, {
            scheduledActionName: `${group.name}-${suffix}`,
            autoscalingGroupName,
            recurrence,
            timeZone: group.schedule!.timeZone,
            ...sizes,
        }, opts);
    return [
        action("start", crons.start, { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredSize }),
        action("stop", crons.stop, { minSize: 0, maxSize: 0, desiredCapacity: 0 }),
    ];
}

/** Pod slots per node under custom networking, with or without prefix delegation. */
export function nodeMaxPods(group: Pick<NodeGroupConfig, "instanceTypes">, prefixDelegation: boolean): number {
    // A group of mixed types must not promise more pods than its smallest type holds.
    return Math.min(...group.instanceTypes.map((type) => maxPods(type, { customNetworking: true, prefixDelegation })));
}

/**
 * AL2023 user data for a managed node group: a nodeadm NodeConfig fragment that EKS merges with
 * its own, setting the kubelet's max pods to what the CNI mode really provides (EKS would
 * otherwise assume the primary ENI carries pods).
 */
export function nodeUserData(maxPodsPerNode: number): string {
    const boundary = "PLATFORM-NODECONFIG";
    const body = [
        "MIME-Version: 1.0",
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        "",
        `--${boundary}`,
        "Content-Type: application/node.eks.aws",
        "",
        "apiVersion: node.eks.aws/v1alpha1",
        "kind: NodeConfig",
        "spec:",
        "  kubelet:",
        "    config:",
        `      maxPods: ${maxPodsPerNode}`,
        "",
        `--${boundary}--`,
        "",
    ].join("\n");
    return Buffer.from(body).toString("base64");
}

export interface NodeLaunchTemplateArgs {
    readonly group: NodeGroupConfig;
    readonly prefixDelegation: boolean;
    readonly metadataHopLimit: number;
    readonly ebsKmsKeyArn: pulumi.Input<string>;
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    /** Instances and volumes that an Auto Scaling group launches do not get provider default tags. */
    readonly tags: Tags;
    readonly clusterName: string;
}

/**
 * The nodes' launch template: an encrypted root volume of the configured type and size (SC-28),
 * IMDSv2 only (AC-6), no public address and no SSH key (access is through SSM), and the configured
 * CPU credit mode of burstable nodes.
 */
export function createNodeLaunchTemplate(name: string, args: NodeLaunchTemplateArgs, opts: pulumi.CustomResourceOptions): ec2.LaunchTemplate {
    const { group } = args;
    const instanceTags = sortedTags({ ...args.tags, Name: `${args.clusterName}-${group.name}` });
    return new ec2.LaunchTemplate(name, {
        description: `${args.clusterName} ${group.name} nodes`,
        updateDefaultVersion: true,
        blockDeviceMappings: [{
            deviceName: "/dev/xvda",
            ebs: {
                volumeSize: group.diskSizeGb,
                volumeType: group.volumeType,
                encrypted: "true",
                kmsKeyId: args.ebsKmsKeyArn,
                deleteOnTermination: "true",
            },
        }],
        metadataOptions: {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: args.metadataHopLimit,
        },
        networkInterfaces: [{ associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [args.nodeSecurityGroupId] }],
        userData: nodeUserData(nodeMaxPods(group, args.prefixDelegation)),
        // Only where configured: the family's launch default otherwise (the schema allows it only for burstable types).
        ...(group.cpuCredits !== undefined ? { creditSpecification: { cpuCredits: group.cpuCredits } } : {}),
        tagSpecifications: [
            { resourceType: "instance", tags: instanceTags },
            { resourceType: "volume", tags: instanceTags },
            { resourceType: "network-interface", tags: instanceTags },
        ],
    }, opts);
}
