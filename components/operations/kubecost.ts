/**
 * Kubecost 3.x (PM-3): cost per namespace and workload from its own FinOps agent (3.x bundles no
 * Prometheus), with its databases on the encrypted default StorageClass.
 */
import * as pulumi from "@pulumi/pulumi";
import { Profile } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { PodResources, podResources } from "../helm/values";
import { isMeshed } from "../security/istio";

export const KUBECOST_NAMESPACE = "kubecost";

interface KubecostSizes {
    readonly finopsAgent: PodResources;
    readonly aggregator: PodResources;
    readonly localStore: PodResources;
    readonly frontend: PodResources;
    /** The aggregator's ClickHouse volume and the local store's volume. */
    readonly aggregatorDbSize: string;
    readonly localStoreSize: string;
}

/** The chart's defaults assume 10 nodes and 500 pods; these fit the platform's few nodes. */
const KUBECOST_RESOURCES: Record<Profile, KubecostSizes> = {
    dev: {
        finopsAgent: podResources("100m", "256Mi", "512Mi"),
        aggregator: podResources("100m", "1Gi", "2Gi"),
        localStore: podResources("20m", "64Mi", "256Mi"),
        frontend: podResources("10m", "32Mi", "128Mi"),
        aggregatorDbSize: "8Gi",
        localStoreSize: "4Gi",
    },
    prod: {
        finopsAgent: podResources("200m", "512Mi", "1Gi"),
        aggregator: podResources("200m", "2Gi", "3Gi"),
        localStore: podResources("50m", "128Mi", "512Mi"),
        frontend: podResources("10m", "64Mi", "256Mi"),
        aggregatorDbSize: "32Gi",
        localStoreSize: "16Gi",
    },
};

export interface KubecostValuesInput {
    /** The cluster name Kubecost reports costs under. */
    readonly clusterName: string;
    /** The KMS-encrypted StorageClass every Kubecost volume uses. */
    readonly storageClassName: string;
    readonly profile: Profile;
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
    const sizes = KUBECOST_RESOURCES[input.profile];
    const storageClass = input.storageClassName;
    return {
        global: { clusterId: input.clusterName, defaultStorageClass: storageClass },
        finopsagent: { enabled: true, resources: sizes.finopsAgent },
        localStore: {
            enabled: true,
            resources: sizes.localStore,
            persistentVolume: { enabled: true, size: sizes.localStoreSize, storageClass },
        },
        aggregator: {
            enabled: true,
            replicas: 1,
            resources: sizes.aggregator,
            // The chart passes these to the PVC templates as they are, so each is named explicitly
            // rather than trusting an empty value to mean the default class.
            aggregatorDbStorage: { storageClass, storageRequest: sizes.aggregatorDbSize },
            persistentConfigsStorage: { storageClass },
        },
        frontend: { enabled: true, replicas: 1, resources: sizes.frontend },
        clusterController: { enabled: false },
        cloudCost: { enabled: false },
        forecasting: { enabled: false },
        networkCosts: { enabled: false },
        kubecostProductConfigs: { clusterProfile: input.profile === "prod" ? "production" : "development" },
    };
}

export interface KubecostArgs {
    /** Which stack's resource and volume sizes Kubecost gets. */
    readonly profile: Profile;
}

/** Installs Kubecost in its own meshed namespace. */
export function installKubecost(name: string, args: KubecostArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = createNamespace(KUBECOST_NAMESPACE, isMeshed(KUBECOST_NAMESPACE), ctx, parent);
    return installHelmChart(name, {
        source: CHARTS.kubecost,
        namespace,
        values: () => kubecostValues({ clusterName: ctx.clusterName, storageClassName: ctx.storageClassName, profile: args.profile }),
    }, ctx, parent);
}
