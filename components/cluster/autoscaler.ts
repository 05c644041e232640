import * as pulumi from "@pulumi/pulumi";
import { ClusterConfig } from "../../config/schema";
import { sortedJson } from "../../lib/json";
import { CHARTS } from "../helm/catalog";
import { HelmChart, installHelmChart } from "../helm/release";
import { podResourcesOf, RESTRICTED_CONTAINER, restrictedPod } from "../helm/values";
import { KubernetesContext } from "./context";
import { ROLE_ARN_ANNOTATION } from "../../lib/irsa";

/** The label every node carries with its managed node group's name (set on the node group). */
export const NODE_GROUP_LABEL = "platform/node-group";

/** The service account name is pinned so that the IRSA trust condition names exactly it. */
export const AUTOSCALER_SERVICE_ACCOUNT = "cluster-autoscaler";

export interface AutoscalerOptions {
    /** The cluster's Kubernetes minor version, which the autoscaler's must match. */
    readonly kubernetesVersion: string;
    /** The autoscaler's slice of the stack config: its replicas and size. */
    readonly config: ClusterConfig["clusterAutoscaler"];
}

/** Chart values: ASG auto-discovery by the cluster's tags, its IRSA role, and the region. */
export function autoscalerValues(clusterName: string, region: string, roleArn: string, opts: AutoscalerOptions) {
    const { kubernetesVersion } = opts;
    return {
        cloudProvider: "aws",
        awsRegion: region,
        autoDiscovery: { clusterName },
        // The autoscaler's minor version must match the cluster's.
        image: { tag: `v${kubernetesVersion}.0` },
        replicaCount: opts.config.replicas,
        rbac: { serviceAccount: { create: true, name: AUTOSCALER_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: roleArn } } },
        extraArgs: {
            // Node groups of one zone each: scale them evenly. Their platform/node-group labels
            // name the zone, so the comparison ignores that label (zone labels it ignores anyway).
            "balance-similar-node-groups": true,
            "balancing-ignore-label": NODE_GROUP_LABEL,
            "skip-nodes-with-system-pods": false,
            expander: "least-waste",
        },
        resources: podResourcesOf(opts.config.resources.autoscaler),
        // Restricted: the image is distroless `nonroot` (65532), and the autoscaler only calls APIs.
        securityContext: restrictedPod(65532),
        containerSecurityContext: RESTRICTED_CONTAINER,
    };
}

/**
 * The autoscaler may change only the Auto Scaling groups tagged for this cluster; describing is
 * account-wide because the AWS APIs cannot be scoped further.
 */
export function autoscalerPolicy(clusterName: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "Describe",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements", "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Sid: "ScaleOwnGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    });
}

/** Installs the Cluster Autoscaler in kube-system, so that node groups' max sizes mean something. */
export function installClusterAutoscaler(name: string, opts: AutoscalerOptions, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    return installHelmChart(name, {
        source: CHARTS.clusterAutoscaler,
        namespace: "kube-system",
        irsa: { serviceAccount: AUTOSCALER_SERVICE_ACCOUNT, policy: autoscalerPolicy(ctx.clusterName) },
        values: (refs) => autoscalerValues(ctx.clusterName, ctx.region, refs.irsaRoleArn!, opts),
    }, ctx, parent);
}
