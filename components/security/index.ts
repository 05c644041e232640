import * as pulumi from "@pulumi/pulumi";
import { SecurityConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { installIstio, MESH_MEMBERSHIP } from "./istio";
import { installTrivy } from "./trivy";

export { isMeshed, MESH_MEMBERSHIP } from "./istio";

export interface MeshAndScanningArgs {
    /** The security slice of the validated stack config: the Istio and Trivy switches and sizes. */
    readonly config: SecurityConfig;
    /** The cluster the charts go into. */
    readonly context: KubernetesContext;
    /** What installs the ServiceMonitor CRD (kube-prometheus-stack): Trivy's ServiceMonitor waits for it. */
    readonly monitoringCrds: pulumi.Resource[];
    /** Tempo's OTLP gRPC endpoint ("host:port"), where the mesh sends its spans; none without Tempo. */
    readonly tracingEndpoint?: string;
}

/**
 * The service mesh (SC-8: mutual TLS between platform pods) and continuous vulnerability and
 * configuration scanning (SI-2, RA-5, CM-8), each on or off by stack config.
 */
export class MeshAndScanning extends pulumi.ComponentResource {
    /** The mTLS mode the mesh enforces, or undefined without a mesh. */
    public readonly mtlsMode?: string;
    /**
     * What a meshed namespace must wait for: istiod (whose webhook injects the sidecars) and the
     * mesh-wide policy. Pods created before istiod would run without a sidecar until restarted.
     */
    public readonly meshReady: pulumi.Resource[];
    /** The scanners the Trivy operator runs; empty without it. */
    public readonly scanners: readonly string[];

    constructor(name: string, args: MeshAndScanningArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:MeshAndScanning", name, {}, opts);
        const { config, context } = args;

        const istio = config.istio.enabled ? installIstio(`${name}-istio`, { config: config.istio, tracing: args.tracingEndpoint }, context, this) : undefined;
        this.mtlsMode = istio ? config.istio.mtlsMode : undefined;
        this.meshReady = istio ? [istio.istiod.release, istio.peerAuthentication] : [];

        if (config.trivy.enabled) {
            installTrivy(`${name}-trivy`, { config: config.trivy, monitoringCrds: args.monitoringCrds }, context, this);
        }
        this.scanners = config.trivy.enabled ? config.trivy.scanners : [];

        this.registerOutputs({ mtlsMode: this.mtlsMode, scanners: this.scanners });
    }

    /**
     * The context for components whose namespaces are meshed: the same cluster, with istiod and
     * the mTLS policy added to what their namespaces and releases wait for.
     */
    meshedContext(context: KubernetesContext): KubernetesContext {
        return { ...context, ready: [...context.ready, ...this.meshReady] };
    }

    /** The mesh membership table as stack outputs (undefined without a mesh): who is in, who is out and why. */
    meshSummary(): { meshed: string[]; excluded: { namespace: string; reason: string }[] } | undefined {
        if (!this.mtlsMode) return undefined;
        const entries = Object.entries(MESH_MEMBERSHIP);
        return {
            meshed: entries.filter(([, m]) => m.meshed).map(([namespace]) => namespace),
            excluded: entries.filter(([, m]) => !m.meshed).map(([namespace, m]) => ({ namespace, reason: m.reason })),
        };
    }
}
