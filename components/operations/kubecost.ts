/**
 * Kubecost 3.x (PM-3): cost per namespace and workload from its own FinOps agent (3.x bundles no
 * Prometheus), with its databases on the encrypted default StorageClass.
 */
import * as pulumi from "@pulumi/pulumi";
import { OperationsConfig } from "../../config/schema";
import { UiIngress } from "../../lib/alb";
import { uiIngress, UiExposure } from "../edge";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { podResourcesOf } from "../helm/values";

export const KUBECOST_NAMESPACE = "kubecost";

export interface KubecostValuesInput {
    /** The cluster name Kubecost reports costs under. */
    readonly clusterName: string;
    /** The KMS-encrypted StorageClass every Kubecost volume uses. */
    readonly storageClassName: string;
    /** Kubecost's slice of the stack config: sizes, volumes, the savings profile and the frontend's replicas. */
    readonly config: OperationsConfig["kubecost"];
    /** Kubecost's Ingress on the UIs' ALB, where the stack exposes the UIs (components/edge). */
    readonly ingress?: UiIngress;
}

/**
 * The chart values. Four workloads stay (the FinOps agent collects, the local store keeps raw
 * data, the aggregator queries it, the frontend serves the UI); the rest is off:
 * - the cluster controller can resize and turn down workloads and nodes (AC-6: a cost viewer
 *   needs no write access to the cluster);
 * - cloud costs need a CUR integration the platform does not configure;
 * - forecasting is optional and network costs run a privileged DaemonSet on every node.
 */
export function kubecostValues(input: KubecostValuesInput): Record<string, unknown> {
    const { resources, volumes } = input.config;
    const storageClass = input.storageClassName;
    return {
        global: { clusterId: input.clusterName, defaultStorageClass: storageClass },
        finopsagent: { enabled: true, resources: podResourcesOf(resources.finopsAgent) },
        localStore: {
            enabled: true,
            resources: podResourcesOf(resources.localStore),
            persistentVolume: { enabled: true, size: volumes.localStore, storageClass },
        },
        aggregator: {
            enabled: true,
            // One: each replica would build its own database on its own volume and answer apart.
            replicas: 1,
            resources: podResourcesOf(resources.aggregator),
            // The chart passes these to the PVC templates as they are, so each is named explicitly
            // rather than trusting an empty value to mean the default class.
            aggregatorDbStorage: { storageClass, storageRequest: volumes.aggregatorDb },
            persistentConfigsStorage: { storageClass },
        },
        frontend: { enabled: true, replicas: input.config.frontendReplicas, resources: podResourcesOf(resources.frontend) },
        clusterController: { enabled: false },
        cloudCost: { enabled: false },
        forecasting: { enabled: false },
        networkCosts: { enabled: false },
        kubecostProductConfigs: { clusterProfile: input.config.savingsProfile },
        // Read-only for everyone (the aggregator refuses settings changes and saved reports, the
        // chart's READ_ONLY): settings come from these values; per-user roles (its SAML or OIDC RBAC)
        // need an enterprise key, so whoever reaches the UI is a viewer.
        readonly: true,
        ingress: input.ingress
            ? { enabled: true, className: input.ingress.className, annotations: { ...input.ingress.annotations }, hosts: [input.ingress.host], paths: ["/"], pathType: "Prefix" }
            : { enabled: false },
    };
}

export interface KubecostArgs {
    /** Kubecost's slice of the stack config. */
    readonly config: OperationsConfig["kubecost"];
    /** How the UI is exposed on the ALB; undefined keeps it port-forward only. */
    readonly exposure?: UiExposure;
}

/** Installs Kubecost in its own meshed namespace. */
export function installKubecost(name: string, args: KubecostArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = createNamespace(KUBECOST_NAMESPACE, ctx, parent);
    return installHelmChart(name, {
        source: CHARTS.kubecost,
        namespace,
        refs: args.exposure?.refs,
        values: (refs) => kubecostValues({ clusterName: ctx.clusterName, storageClassName: ctx.storageClassName, config: args.config, ingress: args.exposure && uiIngress(args.exposure, "/", refs) }),
        dependsOn: [...(args.exposure?.ready ?? []), ...(args.exposure?.clientSecretIn(KUBECOST_NAMESPACE, namespace) ?? [])],
    }, ctx, parent);
}
