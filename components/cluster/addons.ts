/**
 * The EKS managed add-ons: their configuration (JSON the add-on schema accepts) and the workloads
 * they run, so that the capacity plan counts kube-system too.
 */
import * as eks from "@pulumi/aws/eks";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { ConfigError } from "../../config/load";
import { Tags } from "../../config/schema";
import { sortedJson } from "../../lib/json";
import { PodResources, podResources } from "../helm/values";
import type { ModelledWorkload } from "../helm/workloads";

/**
 * The managed add-ons. No Pod Identity agent: every workload that calls AWS uses IRSA, and the
 * agent would be a DaemonSet on every node that nothing uses.
 */
export const ADDON_NAMES = ["vpc-cni", "kube-proxy", "coredns", "aws-ebs-csi-driver"] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

/**
 * The version of each add-on that EKS offers for the cluster's Kubernetes version (its default, or
 * the most recent build), asked before any resource is declared, so that a version bump never
 * pairs the cluster with an add-on EKS would refuse. A version EKS offers nothing for stops here.
 */
export async function resolveAddonVersions(kubernetesVersion: string, selection: "default" | "latest", provider: AwsProvider): Promise<Record<AddonName, string>> {
    const entries = await Promise.all(ADDON_NAMES.map(async (addonName) => {
        try {
            const offered = await eks.getAddonVersion({ addonName, kubernetesVersion, mostRecent: selection === "latest" }, { provider });
            return [addonName, offered.version] as const;
        } catch (e) {
            throw new ConfigError([`cluster.kubernetesVersion: got ${JSON.stringify(kubernetesVersion)}; allowed: a version EKS offers the ${addonName} add-on for (EKS answered: ${(e as Error).message})`]);
        }
    }));
    return Object.fromEntries(entries) as Record<AddonName, string>;
}

/** Requests per add-on workload, sized for the platform's node types. */
const ADDON_RESOURCES = {
    awsNode: podResources("25m", "64Mi", "256Mi"),
    kubeProxy: podResources("50m", "64Mi", "128Mi"),
    coredns: podResources("100m", "70Mi", "170Mi"),
    ebsController: podResources("20m", "64Mi", "256Mi"),
    ebsNode: podResources("10m", "40Mi", "256Mi"),
} satisfies Record<string, PodResources>;

const COREDNS_REPLICAS = 2;
const EBS_CONTROLLER_REPLICAS = 2;

/**
 * VPC CNI with custom networking: pods take addresses from the ENIConfig of their node's zone
 * (the 100.64 pod subnets), and prefix delegation hands each ENI slot a /28 where configured.
 * The ENIs it attaches for pods carry the mandatory tags (CM-8): provider default tags never
 * reach what the CNI creates.
 */
export function vpcCniConfiguration(prefixDelegation: boolean, tags: Tags): string {
    return sortedJson({
        env: {
            ADDITIONAL_ENI_TAGS: sortedJson(tags),
            AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
            ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
            ENABLE_PREFIX_DELEGATION: String(prefixDelegation),
            ...(prefixDelegation ? { WARM_PREFIX_TARGET: "1" } : {}),
        },
        resources: ADDON_RESOURCES.awsNode,
    });
}

/**
 * The configuration values each add-on gets (vpc-cni's depends on the CNI mode). The EBS CSI
 * driver puts the mandatory tags on every volume and snapshot it creates (CM-8).
 */
export function addonConfiguration(addon: AddonName, prefixDelegation: boolean, tags: Tags): string {
    switch (addon) {
        case "vpc-cni": return vpcCniConfiguration(prefixDelegation, tags);
        case "kube-proxy": return sortedJson({ resources: ADDON_RESOURCES.kubeProxy });
        case "coredns": return sortedJson({ replicaCount: COREDNS_REPLICAS, resources: ADDON_RESOURCES.coredns });
        case "aws-ebs-csi-driver": return sortedJson({
            controller: { replicaCount: EBS_CONTROLLER_REPLICAS, resources: ADDON_RESOURCES.ebsController, extraVolumeTags: tags },
            node: { resources: ADDON_RESOURCES.ebsNode },
        });
    }
}

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
        case "coredns": return [{ name: "coredns", kind: "Deployment", replicas: values.replicaCount ?? COREDNS_REPLICAS, image, resources: values.resources }];
        case "aws-ebs-csi-driver": return [
            { name: "ebs-csi-controller", kind: "Deployment", replicas: values.controller?.replicaCount ?? EBS_CONTROLLER_REPLICAS, image, resources: values.controller?.resources },
            { name: "ebs-csi-node", kind: "DaemonSet", replicas: 1, image, resources: values.node?.resources },
        ];
        default: return [];
    }
}
