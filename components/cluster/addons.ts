/**
 * The EKS managed add-ons: their configuration (JSON the add-on schema accepts) and the workloads
 * they run, so that the capacity plan counts kube-system too.
 */
import * as eks from "@pulumi/aws/eks";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { ConfigError } from "../../config/load";
import { ClusterConfig, Tags } from "../../config/schema";
import { AddonSchema, schemaProblems } from "../../lib/addon-schema";
import vpcCniSchema from "../../lib/data/vpc-cni-configuration-schema.json";
import { sortedJson } from "../../lib/json";
import { ModelledWorkload } from "../../lib/workloads";
import { podResourcesOf } from "../helm/values";

/**
 * The managed add-ons. No Pod Identity agent: every workload that calls AWS uses IRSA, and the
 * agent would be a DaemonSet on every node that nothing uses.
 */
export const ADDON_NAMES = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/**
 * The version of each add-on: the pinned ones as the stack file says, without asking EKS (an AWS
 * default that moves must not upgrade prod's add-ons unasked); otherwise what EKS offers for the
 * cluster's Kubernetes version (its default, or the most recent build), asked before any resource
 * is declared, so that a version bump never pairs the cluster with an add-on EKS would refuse. A
 * version EKS offers nothing for stops here.
 */
export async function resolveAddonVersions(kubernetesVersion: string, selection: ClusterConfig["addonVersions"], provider: AwsProvider): Promise<Record<AddonName, string>> {
    if (typeof selection === "object") return { ...selection };
    const entries = await Promise.all(ADDON_NAMES.map(async (addonName) => {
        try {
            const offered = await eks.getAddonVersion({ addonName, kubernetesVersion, mostRecent: selection === "latest" }, { provider });
            return [addonName, offered.version] as const;
        } catch (e) {
            throw new ConfigError([`cluster.kubernetesVersion: got ${JSON.stringify(kubernetesVersion)}; allowed: a version the ${addonName} add-on is offered for (the add-on version lookup, aws.eks.getAddonVersion, failed: ${(e as Error).message})`]);
        }
    }));
    return Object.fromEntries(entries) as Record<AddonName, string>;
}

/**
 * VPC CNI with custom networking: pods take addresses from the ENIConfig of their node's zone
 * (the 100.64 pod subnets), and prefix delegation hands each ENI slot a /28 where configured.
 * The ENIs it attaches for pods carry the mandatory tags (CM-8): provider default tags never
 * reach what the CNI creates.
 */
export function vpcCniConfiguration(cluster: AddonSettings, tags: Tags): string {
    const { prefixDelegation } = cluster;
    return sortedJson({
        // The network-policy agent enforces the NetworkPolicies (SC-7, AC-4): without it they are inert.
        enableNetworkPolicy: "true",
        env: {
            ADDITIONAL_ENI_TAGS: sortedJson(tags),
            AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
            ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
            ENABLE_PREFIX_DELEGATION: String(prefixDelegation),
            ...(prefixDelegation ? { WARM_PREFIX_TARGET: "1" } : {}),
        },
        resources: podResourcesOf(cluster.addons.resources.awsNode),
    });
}

/** The vpc-cni add-on's configuration schema as far as it is known offline (lib/addon-schema.ts says what that checks). */
export const VPC_CNI_SCHEMA = vpcCniSchema as AddonSchema;

/** What the add-ons' configuration reads from the cluster config: the CNI mode, their sizes and replicas, the cluster's name. */
export type AddonSettings = Pick<ClusterConfig, "prefixDelegation" | "addons" | "name">;

/**
 * The tag that marks a volume as this cluster's: the EBS CSI driver puts it on every volume it
 * creates; Velero's AWS plugin copies a volume's tags to its snapshot and a snapshot's to the volume
 * it restores, so Velero's permissions (components/backup/velero.ts) can follow it.
 */
export function clusterVolumeTag(clusterName: string): { key: string; value: string } {
    return { key: `kubernetes.io/cluster/${clusterName}`, value: "owned" };
}

/**
 * The configuration values each add-on gets (vpc-cni's depends on the CNI mode). The EBS CSI
 * driver puts the mandatory tags on every volume and snapshot it creates (CM-8), and the cluster's
 * ownership tag.
 */
export function addonConfiguration(addon: AddonName, cluster: AddonSettings, tags: Tags): string {
    const sizes = cluster.addons.resources;
    switch (addon) {
        case "vpc-cni": {
            const values = vpcCniConfiguration(cluster, tags);
            const problems = schemaProblems(JSON.parse(values), VPC_CNI_SCHEMA.schema);
            if (problems.length > 0) throw new ConfigError(problems.map((p) => `cluster.addons (vpc-cni configuration ${p}, by the add-on's schema at ${VPC_CNI_SCHEMA.addonVersion})`));
            return values;
        }
        case "kube-proxy": return sortedJson({ resources: podResourcesOf(sizes.kubeProxy) });
        case "coredns": return sortedJson({ replicaCount: cluster.addons.corednsReplicas, resources: podResourcesOf(sizes.coredns) });
        case "aws-ebs-csi-driver": return sortedJson({
            controller: {
                replicaCount: cluster.addons.ebsControllerReplicas,
                resources: podResourcesOf(sizes.ebsController),
                extraVolumeTags: { ...tags, [clusterVolumeTag(cluster.name).key]: clusterVolumeTag(cluster.name).value },
            },
            node: { resources: podResourcesOf(sizes.ebsNode) },
        });
    }
}

/** What the CoreDNS and EBS CSI add-ons run when their configuration sets no replica count. */
const ADDON_DEFAULT_REPLICAS = { coredns: 2, ebsController: 2 } as const;

/**
 * MODEL, not a render: EKS installs its managed add-ons without a chart we could render, so their
 * workloads are read back from the configuration values we send. Their images come from AWS's
 * add-on registry at the pinned add-on version, which the inventory names as such.
 */
export function addonWorkloads(inputs: Record<string, any>): ModelledWorkload[] {
    const values = inputs.configurationValues ? JSON.parse(inputs.configurationValues) : {};
    const image = `<EKS add-on ${inputs.addonName} ${inputs.addonVersion ?? "(default version)"}>`;
    switch (inputs.addonName as AddonName) {
        case "vpc-cni": return [{ name: "aws-node", kind: "DaemonSet", replicas: 1, image, resources: values.resources }];
        case "kube-proxy": return [{ name: "kube-proxy", kind: "DaemonSet", replicas: 1, image, resources: values.resources }];
        case "coredns": return [{ name: "coredns", kind: "Deployment", replicas: values.replicaCount ?? ADDON_DEFAULT_REPLICAS.coredns, image, resources: values.resources }];
        case "aws-ebs-csi-driver": return [
            { name: "ebs-csi-controller", kind: "Deployment", replicas: values.controller?.replicaCount ?? ADDON_DEFAULT_REPLICAS.ebsController, image, resources: values.controller?.resources },
            { name: "ebs-csi-node", kind: "DaemonSet", replicas: 1, image, resources: values.node?.resources },
        ];
        default: return [];
    }
}
