/**
 * The EKS managed add-ons: their configuration (JSON the add-on schema accepts) and the workloads
 * they run, so that the capacity plan counts kube-system too.
 */
import { sortedJson } from "../../lib/json";
import { PodResources, podResources } from "../helm/values";
import type { ModelledWorkload } from "../helm/workloads";

export type AddonName = "vpc-cni" | "kube-proxy" | "coredns" | "aws-ebs-csi-driver" | "eks-pod-identity-agent";

/** Requests per add-on workload, sized for the platform's node types. */
const ADDON_RESOURCES = {
    awsNode: podResources("25m", "64Mi", "256Mi"),
    kubeProxy: podResources("50m", "64Mi", "128Mi"),
    coredns: podResources("100m", "70Mi", "170Mi"),
    ebsController: podResources("20m", "64Mi", "256Mi"),
    ebsNode: podResources("10m", "40Mi", "256Mi"),
} satisfies Record<string, PodResources>;

/** What the pod identity agent requests by default (its add-on schema has no resources key). */
const POD_IDENTITY_AGENT_RESOURCES: PodResources = podResources("25m", "64Mi", "128Mi");
const COREDNS_REPLICAS = 2;
const EBS_CONTROLLER_REPLICAS = 2;

/**
 * VPC CNI with custom networking: pods take addresses from the ENIConfig of their node's zone
 * (the 100.64 pod subnets), and prefix delegation hands each ENI slot a /28 where configured.
 */
export function vpcCniConfiguration(prefixDelegation: boolean): string {
    return sortedJson({
        env: {
            AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
            ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone",
            ENABLE_PREFIX_DELEGATION: String(prefixDelegation),
            ...(prefixDelegation ? { WARM_PREFIX_TARGET: "1" } : {}),
        },
        resources: ADDON_RESOURCES.awsNode,
    });
}

/** The configuration values each add-on gets (vpc-cni's depends on the CNI mode). */
export function addonConfiguration(addon: AddonName, prefixDelegation: boolean): string | undefined {
    switch (addon) {
        case "vpc-cni": return vpcCniConfiguration(prefixDelegation);
        case "kube-proxy": return sortedJson({ resources: ADDON_RESOURCES.kubeProxy });
        case "coredns": return sortedJson({ replicaCount: COREDNS_REPLICAS, resources: ADDON_RESOURCES.coredns });
        case "aws-ebs-csi-driver": return sortedJson({ controller: { replicaCount: EBS_CONTROLLER_REPLICAS, resources: ADDON_RESOURCES.ebsController }, node: { resources: ADDON_RESOURCES.ebsNode } });
        case "eks-pod-identity-agent": return undefined;
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
        case "eks-pod-identity-agent": return [{ name: "eks-pod-identity-agent", kind: "DaemonSet", replicas: 1, image, resources: POD_IDENTITY_AGENT_RESOURCES }];
        default: return [];
    }
}
