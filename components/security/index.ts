import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { SecurityConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { DeclaredResource, StackWorkloads, WORKLOAD_TYPES } from "../helm/workloads";
import { stackWiring } from "../helm/workloads";
import {
    HopProtection, MeshNamespace, MeshPolicy, TlsListener, admissionWebhooks, dataplaneOfLabels, edgeProtection, meshExceptions, meshPolicies, udpPorts,
} from "./authorization";
import { Istio, installIstio } from "./istio";
import { MESH_MEMBERSHIP } from "./mesh";
import { installTrivy } from "./trivy";

export { dataplaneOf, MESH_MEMBERSHIP } from "./mesh";

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
     * What a namespace with sidecars must wait for: istiod (whose webhook injects the sidecars) and
     * the mesh-wide policy. Pods created before istiod would run without a sidecar until restarted
     * (ambient pods need no restart: istio-cni enrols running pods).
     */
    public readonly meshReady: pulumi.Resource[];
    /** The scanners the Trivy operator runs; empty without it. */
    public readonly scanners: readonly string[];
    private readonly istio?: Istio;
    /** The prefix of the mesh policies' resource names. */
    private readonly prefix: string;

    constructor(name: string, args: MeshAndScanningArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:MeshAndScanning", name, {}, opts);
        const { config, context } = args;

        const istio = config.istio.enabled ? installIstio(`${name}-istio`, { config: config.istio, tracing: args.tracingEndpoint }, context, this) : undefined;
        this.istio = istio;
        this.prefix = `${name}-istio`;
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

    /** The mesh membership table as stack outputs (undefined without a mesh): each namespace's dataplane and why. */
    meshSummary(): { ambient: string[]; sidecar: string[]; excluded: { namespace: string; reason: string }[] } | undefined {
        if (!this.mtlsMode) return undefined;
        const entries = Object.entries(MESH_MEMBERSHIP);
        return {
            ambient: entries.filter(([, m]) => m.dataplane === "ambient").map(([namespace]) => namespace),
            sidecar: entries.filter(([, m]) => m.dataplane === "sidecar").map(([namespace]) => namespace),
            excluded: entries.filter(([, m]) => m.dataplane === "none").map(([namespace, m]) => ({ namespace, reason: m.reason })),
        };
    }

    /**
     * Declares the mesh's generated AuthorizationPolicies and the webhooks' PeerAuthentication
     * exceptions (see authorization.ts), once every workload is declared and rendered. Each
     * namespace's allow rules exist before its allow-nothing default, so that no update passes
     * through a moment where nothing is allowed. Returns how every wiring edge is protected, and the
     * hops outside the graph the mesh does not protect.
     */
    authorize(declared: readonly DeclaredResource[], stack: StackWorkloads, context: KubernetesContext, vpcCidr: string): { hops: HopProtection[]; exceptions: HopProtection[] } {
        const namespaces: MeshNamespace[] = declared.filter((r) => r.type === WORKLOAD_TYPES.namespace)
            .map((r) => ({ name: String(r.inputs.metadata.name), dataplane: dataplaneOfLabels(r.inputs.metadata.labels) }));
        const edges = stackWiring(declared);
        const manifests = [...stack.renders.values()].flatMap(({ rendered }) => rendered.manifests);
        const input = { namespaces, workloads: stack.workloads, edges, webhooks: admissionWebhooks(manifests), vpcCidr };
        if (this.istio) {
            const { authorizationPolicies, peerAuthentications } = meshPolicies(input);
            const declare = (m: MeshPolicy, dependsOn: pulumi.Resource[]) => new apiextensions.CustomResource(
                `${this.prefix}-${m.kind === "PeerAuthentication" ? "mtls" : "authz"}-${m.metadata.namespace}-${m.metadata.name}`, { ...m }, {
                    parent: this,
                    provider: context.kubernetesProvider,
                    dependsOn: [this.istio!.base.release, ...[context.namespaces.get(m.metadata.namespace)].filter((n): n is pulumi.Resource => n !== undefined), ...dependsOn],
                });
            for (const m of peerAuthentications) declare(m, []);
            for (const namespace of new Set(authorizationPolicies.map((m) => m.metadata.namespace))) {
                const inNamespace = authorizationPolicies.filter((m) => m.metadata.namespace === namespace);
                const allows = inNamespace.filter((m) => m.metadata.name !== "allow-nothing").map((m) => declare(m, []));
                for (const m of inNamespace.filter((x) => x.metadata.name === "allow-nothing")) declare(m, allows);
            }
        }
        return { hops: edgeProtection(input, kafkaTlsListeners(declared)), exceptions: meshExceptions(input, udpPorts(manifests)) };
    }
}

/** The Kafka listeners that serve TLS (tls: true), on Strimzi's bootstrap Service. */
function kafkaTlsListeners(declared: readonly DeclaredResource[]): TlsListener[] {
    return declared.filter((r) => r.type === WORKLOAD_TYPES.kafka).flatMap((k) => (k.inputs.spec?.kafka?.listeners ?? [])
        .filter((l: any) => l.tls === true)
        .map((l: any) => ({ namespace: String(k.inputs.metadata.namespace), service: `${k.inputs.metadata.name}-kafka-bootstrap`, port: Number(l.port), how: `Kafka's TLS listener ${l.name}, verified against the platform's Kafka CA` })));
}
