/**
 * Headlamp (AC-2): a web UI for operators, read-only by default and never exposed outside the
 * cluster. Operators reach it with `kubectl port-forward` and sign in with their own token, so the
 * API server still authorises every action as that person.
 */
import * as pulumi from "@pulumi/pulumi";
import { Profile } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { PodResources, podResources } from "../helm/values";
import { isMeshed } from "../security/istio";

export const HEADLAMP_NAMESPACE = "headlamp";

const HEADLAMP_RESOURCES: Record<Profile, PodResources> = {
    dev: podResources("20m", "64Mi", "128Mi"),
    prod: podResources("50m", "128Mi", "256Mi"),
};

/**
 * The chart values. The chart binds its service account to cluster-admin by default; `view` makes
 * the UI read-only for anything that falls back to that account. The Service stays ClusterIP with
 * no Ingress, and the plugin manager (which downloads plugin code into the pod at start) stays off.
 */
export function headlampValues(profile: Profile): Record<string, unknown> {
    return {
        replicaCount: 1,
        clusterRoleBinding: { create: true, clusterRoleName: "view" },
        service: { type: "ClusterIP" },
        ingress: { enabled: false },
        pluginsManager: { enabled: false },
        resources: HEADLAMP_RESOURCES[profile],
    };
}

export interface HeadlampArgs {
    /** Which stack's resource sizes Headlamp gets. */
    readonly profile: Profile;
}

/** Installs Headlamp in its own meshed namespace. */
export function installHeadlamp(name: string, args: HeadlampArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = createNamespace(HEADLAMP_NAMESPACE, isMeshed(HEADLAMP_NAMESPACE), ctx, parent);
    return installHelmChart(name, { source: CHARTS.headlamp, namespace, values: () => headlampValues(args.profile) }, ctx, parent);
}
