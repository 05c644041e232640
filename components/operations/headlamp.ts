/**
 * Headlamp (AC-2): a web UI for operators, read-only by default and never exposed outside the
 * cluster. Operators reach it with `kubectl port-forward` and sign in with their own token, so the
 * API server still authorises every action as that person.
 */
import * as pulumi from "@pulumi/pulumi";
import { OperationsConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { podResourcesOf, RESTRICTED_CONTAINER, RUNTIME_DEFAULT_SECCOMP } from "../helm/values";

export const HEADLAMP_NAMESPACE = "headlamp";

/**
 * The chart values. The chart binds its service account to cluster-admin by default; `view` makes
 * the UI read-only for anything that falls back to that account. The Service stays ClusterIP with
 * no Ingress, and the plugin manager (which downloads plugin code into the pod at start) stays off.
 */
export function headlampValues(config: OperationsConfig["headlamp"]): Record<string, unknown> {
    return {
        replicaCount: config.replicas,
        clusterRoleBinding: { create: true, clusterRoleName: "view" },
        service: { type: "ClusterIP" },
        ingress: { enabled: false },
        pluginsManager: { enabled: false },
        resources: podResourcesOf(config.resources.server),
        // Restricted, read-only: the image's own user (100:101), no escalation, no capabilities.
        podSecurityContext: { seccompProfile: RUNTIME_DEFAULT_SECCOMP },
        securityContext: { ...RESTRICTED_CONTAINER, privileged: false, runAsNonRoot: true, runAsUser: 100, runAsGroup: 101 },
    };
}

export interface HeadlampArgs {
    /** Headlamp's slice of the stack config: its replicas and size. */
    readonly config: OperationsConfig["headlamp"];
}

/** Installs Headlamp in its own meshed namespace. */
export function installHeadlamp(name: string, args: HeadlampArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = createNamespace(HEADLAMP_NAMESPACE, ctx, parent);
    return installHelmChart(name, { source: CHARTS.headlamp, namespace, values: () => headlampValues(args.config) }, ctx, parent);
}
