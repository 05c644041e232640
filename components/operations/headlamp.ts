/**
 * Headlamp (AC-2): a web UI for operators. Behind the ALB's sign-in it signs the same person in with
 * the same identity provider (OIDC, whose ID token the API server accepts); otherwise operators sign
 * in with their own Kubernetes token. Either way the API server authorises every action as that person.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { UiIngress } from "../../lib/alb";
import { HEADLAMP_OAUTH_CALLBACK, uiIngress, UiExposure, uiOpenId, UI_OPENID_SCOPES } from "../edge";
import { OperationsConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { podResourcesOf, RESTRICTED_CONTAINER, RUNTIME_DEFAULT_SECCOMP } from "../helm/values";

export const HEADLAMP_NAMESPACE = "headlamp";
/** The Secret Headlamp's OIDC settings come from (the chart's externalSecret: every key an environment variable). */
export const HEADLAMP_OIDC_SECRET = "headlamp-oidc";

/**
 * Headlamp's OIDC environment, for its Secret: the ALB's provider and client, Headlamp's callback on
 * its host (set, since behind the ALB's TLS Headlamp would guess http), and the scopes beside the
 * openid Headlamp always asks for.
 */
export function headlampOidcEnvironment(openId: { issuerUrl: string; clientId: string }, host: string, clientSecret: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return {
        OIDC_CLIENT_ID: openId.clientId,
        OIDC_CLIENT_SECRET: clientSecret,
        OIDC_ISSUER_URL: openId.issuerUrl,
        OIDC_SCOPES: UI_OPENID_SCOPES.filter((scope) => scope !== "openid").join(","),
        OIDC_CALLBACK_URL: `https://${host}${HEADLAMP_OAUTH_CALLBACK}`,
    };
}
/**
 * The chart values. The chart binds its service account to cluster-admin by default; `view` makes
 * the UI read-only for anything that falls back to that account. The Service stays ClusterIP with
 * no Ingress, and the plugin manager (which downloads plugin code into the pod at start) stays off.
 */
export function headlampValues(config: OperationsConfig["headlamp"], ingress?: UiIngress, oidc?: boolean): Record<string, unknown> {
    return {
        replicaCount: config.replicas,
        // OIDC from the stack's Secret (never from values, where the client secret would sit in the
        // release): the chart then passes the client, secret, issuer, scopes and callback from it.
        ...(oidc ? { config: { oidc: { secret: { create: false }, externalSecret: { enabled: true, name: HEADLAMP_OIDC_SECRET, hasScopes: true }, callbackURL: `https://${ingress!.host}${HEADLAMP_OAUTH_CALLBACK}` } } } : {}),
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
    const oidcSecret = exposure?.clientSecret
        ? [new corev1.Secret(`${name}-oidc`, {
            metadata: { name: HEADLAMP_OIDC_SECRET, namespace: HEADLAMP_NAMESPACE },
            type: "Opaque",
            stringData: pulumi.all([exposure.refs, exposure.clientSecret]).apply(([refs, secret]) => headlampOidcEnvironment(uiOpenId(exposure, refs)!, exposure.host, secret)),
        }, { parent, provider: ctx.kubernetesProvider, dependsOn: [namespace] })]
        : [];
    return installHelmChart(name, {
        source: CHARTS.headlamp,
        namespace,
        refs: exposure?.refs,
        values: (refs) => headlampValues(args.config, exposure && uiIngress(exposure, "/", refs), oidcSecret.length > 0),
        dependsOn: [...(exposure?.ready ?? []), ...(exposure?.clientSecretIn(HEADLAMP_NAMESPACE, namespace) ?? []), ...oidcSecret],
    }, ctx, parent);
}
