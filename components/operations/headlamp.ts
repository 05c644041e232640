/**
 * Headlamp (AC-2): a web UI for operators, read-only by default and never exposed outside the
 * cluster. Operators reach it with `kubectl port-forward` and sign in with their own token, so the
 * API server still authorises every action as that person.
 */
import * as pulumi from "@pulumi/pulumi";
import { UiIngress } from "../../lib/alb";
import { uiIngress, UiExposure } from "../edge";
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
export function headlampValues(config: OperationsConfig["headlamp"], ingress?: UiIngress): Record<string, unknown> {
    return {
        replicaCount: config.replicas,
        clusterRoleBinding: { create: true, clusterRoleName: "view" },
        service: { type: "ClusterIP" },
        ingress: ingress
            ? { enabled: true, ingressClassName: ingress.className, annotations: { ...ingress.annotations }, hosts: [{ host: ingress.host, paths: [{ path: "/", type: "Prefix" }] }] }
            : { enabled: false },
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
    /** How the UI is exposed on the ALB; undefined keeps it port-forward only. */
    readonly exposure?: UiExposure;
}

/** Installs Headlamp in its own meshed namespace. */
export function installHeadlamp(name: string, args: HeadlampArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = createNamespace(HEADLAMP_NAMESPACE, ctx, parent);
    const exposure = args.exposure;
    return installHelmChart(name, {
        source: CHARTS.headlamp,
        namespace,
        refs: exposure?.refs,
        values: (refs) => headlampValues(args.config, exposure && uiIngress(exposure, "/", refs)),
        dependsOn: [...(exposure?.ready ?? []), ...(exposure?.clientSecretIn(HEADLAMP_NAMESPACE, namespace) ?? [])],
    }, ctx, parent);
}
