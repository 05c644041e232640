/**
 * Kiali (kiali-server): the mesh's traffic graph from Istio's metrics in Prometheus, with traces
 * from Tempo. Only where Istio runs: without a mesh it has nothing to show.
 */
import { UiIngress } from "../../lib/alb";
import { IDP_USERNAME_CLAIM } from "../cluster/identity";
import { OIDC_SECRET, UI_OPENID_SCOPES } from "../edge";
import { ObservabilityConfig } from "../../config/schema";
import { podResourcesOf, zoneSpread } from "../helm/values";
import { ISTIO_NAMESPACE } from "../security/istio";
import { DATASOURCE_UIDS, GRAFANA_ADMIN_SECRET, KIALI_DASHBOARDS } from "./grafana";
import { URLS } from "./shared";

/**
 * The Secret holding the key Kiali signs and encrypts its session tokens with. Without one the
 * chart writes a fresh random key into Kiali's ConfigMap at every render, so every upgrade logs
 * everyone out; the stack generates it once and keeps it. Kiali accepts 16, 24 or 32 bytes.
 */
export const KIALI_SIGNING_KEY_SECRET = { name: "kiali-signing-key", key: "signing-key", length: 32 } as const;

export interface KialiValuesOptions {
    readonly prometheusUrl: string;
    /** Tempo's query endpoint; undefined where Tempo is off. */
    readonly tempoUrl?: string;
    /** The address operators open Grafana at: Kiali's dashboard and trace links point there. */
    readonly grafanaExternalUrl: string;
    /** Kiali's Ingress on the UIs' ALB, where the stack exposes the UIs (components/edge). */
    readonly ingress?: UiIngress;
    /** The ALB's identity provider and client (components/edge uiOpenId), where it signs users in: Kiali's own sign-in then uses them. */
    readonly openId?: { readonly issuerUrl: string; readonly clientId: string };
    /** Whether Grafana runs in the cluster (not in amp-amg, whose Amazon Managed Grafana Kiali cannot sign in to). */
    readonly grafanaInCluster: boolean;
}

/** The kiali-server values. */
export function kialiValues(config: ObservabilityConfig, opts: KialiValuesOptions): Record<string, unknown> {
    return {
        // Kiali runs beside Prometheus, not in the control plane's namespace, so it is told where istiod is.
        istio_namespace: ISTIO_NAMESPACE,
        // Sign-in with the ALB's identity provider where it has one (its ID token, which the API server
        // accepts, makes every request the user's own), else with a Kubernetes token: either way what a
        // user sees follows their RBAC (AC-3). The client secret comes from the Secret the chart mounts.
        auth: opts.openId
            ? {
                strategy: "openid",
                openid: { client_id: opts.openId.clientId, issuer_uri: opts.openId.issuerUrl, username_claim: IDP_USERNAME_CLAIM, scopes: [...UI_OPENID_SCOPES], disable_rbac: false },
            }
            : { strategy: "token" },
        // The chart mounts the Secret and Kiali reads the key from the file, never from values.
        login_token: { signing_key: `secret:${KIALI_SIGNING_KEY_SECRET.name}:${KIALI_SIGNING_KEY_SECRET.key}` },
        deployment: {
            instance_name: "kiali",
            // The sign-in client's Secret, mounted at /kiali-secret: Kiali reads oidc-secret from it.
            ...(opts.openId ? { secret_name: OIDC_SECRET } : {}),
            replicas: config.kiali.replicas,
            // Above one replica: one in each zone, and a drain takes one at a time.
            ...(config.kiali.replicas > 1 ? {
                pod_disruption_budget: { spec: { maxUnavailable: 1 } },
                topology_spread_constraints: zoneSpread({ "app.kubernetes.io/name": "kiali" }),
            } : {}),
            resources: podResourcesOf(config.kiali.resources.server),
            cluster_wide_access: true,
            // Mesh configuration changes go through Pulumi and review (CM-3), not through a UI.
            view_only_mode: true,
            // The chart's policy admits every pod to the UI and metrics ports; the platform's
            // generated policies (lib/boundaries.ts) admit only the clients the wiring names.
            network_policy: { enabled: false },
            // The chart's Ingress (to the kiali Service under the web root), on the UIs' ALB.
            ...(opts.ingress ? { ingress: { enabled: true, class_name: opts.ingress.className, override_yaml: { metadata: { annotations: { ...opts.ingress.annotations } } } } } : {}),
        },
        // Behind the ALB, Kiali builds its links for the address operators open, over HTTPS.
        ...(opts.ingress ? { server: { web_fqdn: opts.ingress.host, web_schema: "https", web_port: "443" } } : {}),
        external_services: {
            // Mesh-wide policy (the STRICT default PeerAuthentication) lives in Istio's root
            // namespace, not in Kiali's own, which is the chart's default.
            // istiod's version endpoint, named in full (it is Kiali's default) so that the wiring
            // graph, and the network policies drawn from it, see the edge.
            istio: { root_namespace: ISTIO_NAMESPACE, url_service_version: `http://istiod.${ISTIO_NAMESPACE}.svc.cluster.local:15014/version` },
            prometheus: { url: opts.prometheusUrl },
            tracing: opts.tempoUrl
                ? {
                    enabled: true,
                    provider: "tempo",
                    internal_url: opts.tempoUrl,
                    use_grpc: false,
                    // Trace links open Grafana's Explore on the Tempo datasource.
                    external_url: opts.grafanaExternalUrl,
                    tempo_config: { url_format: "grafana", datasource_uid: DATASOURCE_UIDS.tempo, org_id: "1" },
                }
                : { enabled: false },
            grafana: !opts.grafanaInCluster ? { enabled: false } : {
                enabled: true,
                internal_url: URLS.grafana,
                external_url: opts.grafanaExternalUrl,
                // Kiali looks the mesh dashboard up through Grafana's API with the credentials in
                // the Secret (read from its file, never written into Kiali's config).
                auth: { type: "basic", username: "admin", password: `secret:${GRAFANA_ADMIN_SECRET.name}:${GRAFANA_ADMIN_SECRET.passwordKey}` },
                dashboards: KIALI_DASHBOARDS,
            },
        },
    };
}
