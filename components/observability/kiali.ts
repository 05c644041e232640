/**
 * Kiali (kiali-server): the mesh's traffic graph from Istio's metrics in Prometheus, with traces
 * from Tempo. Only where Istio runs: without a mesh it has nothing to show.
 */
import { ObservabilityConfig } from "../../config/schema";
import { PodResources, podResources } from "../helm/values";
import { ISTIO_NAMESPACE } from "../security/istio";
import { SizeProfile } from "./shared";

const SIZES: Record<SizeProfile, PodResources> = {
    dev: podResources("10m", "64Mi", "256Mi"),
    prod: podResources("50m", "128Mi", "512Mi"),
};

export interface KialiValuesOptions {
    readonly profile: SizeProfile;
    readonly prometheusUrl: string;
    /** Tempo's query endpoint; undefined where Tempo is off. */
    readonly tempoUrl?: string;
}

/** The kiali-server values. */
export function kialiValues(config: ObservabilityConfig, opts: KialiValuesOptions): Record<string, unknown> {
    return {
        // Kiali runs beside Prometheus, not in the control plane's namespace, so it is told where istiod is.
        istio_namespace: ISTIO_NAMESPACE,
        // Sign-in with a Kubernetes token: what a user sees follows their RBAC (AC-3).
        auth: { strategy: "token" },
        deployment: {
            instance_name: "kiali",
            replicas: config.kiali.replicas,
            resources: SIZES[opts.profile],
            cluster_wide_access: true,
            // Mesh configuration changes go through Pulumi and review (CM-3), not through a UI.
            view_only_mode: true,
        },
        external_services: {
            prometheus: { url: opts.prometheusUrl },
            tracing: opts.tempoUrl
                ? { enabled: true, provider: "tempo", internal_url: opts.tempoUrl, use_grpc: false }
                : { enabled: false },
            // Grafana's API needs credentials Kiali would have to hold; dashboards are reached in Grafana itself.
            grafana: { enabled: false },
        },
    };
}
