/**
 * Istio with mutual TLS (SC-8, IA-3) in ambient mode: the base chart (CRDs), istiod with the ambient
 * profile, istio-cni (chained after the VPC CNI) and ztunnel on every node, the mesh-wide STRICT
 * PeerAuthentication and its per-port exceptions. Which namespaces are meshed, and how, is the
 * table in ./mesh.ts.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { SecurityConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { installHelmChart, createNamespace, HelmChart } from "../helm/release";
import { podResourcesOf, RUNTIME_DEFAULT_SECCOMP, zoneSpread } from "../helm/values";
import { ISTIO_NAMESPACE } from "./mesh";

export { ISTIO_NAMESPACE } from "./mesh";

/** The profile that turns ambient mode on in istiod, istio-cni and ztunnel alike (distroless images). */
const AMBIENT_PROFILE = "ambient";

/** Values of the base chart (its CRDs and webhooks), pinned to the namespace the policy lives in. */
export function istioBaseValues(): Record<string, unknown> {
    return { global: { istioNamespace: ISTIO_NAMESPACE } };
}

/** Where the sidecars send spans: Tempo's OTLP gRPC receiver as "host:port". */
export type TracingEndpoint = string;

/**
 * The mesh's tracing: every sidecar reports spans over OTLP to Tempo (AU-2, AU-6), at the sampling
 * rate Istio applies by default, through an extension provider that the mesh uses by default.
 */
export function meshTracing(endpoint: TracingEndpoint) {
    const [service, port] = endpoint.split(":");
    return {
        enableTracing: true,
        extensionProviders: [{ name: "tempo", opentelemetry: { service, port: Number(port) } }],
        defaultProviders: { tracing: ["tempo"] },
    };
}

/**
 * Values of istiod: the ambient profile, fixed replicas from config spread over zones, a PDB when
 * there is a replica to spare, sidecar sizes (for the namespaces that keep sidecars).
 */
export function istiodValues(config: SecurityConfig["istio"], tracing?: TracingEndpoint): Record<string, unknown> {
    const spare = config.istiodReplicas > 1;
    return {
        // A fixed count rather than the chart's HPA: the capacity plan counts the pods that run.
        autoscaleEnabled: false,
        profile: AMBIENT_PROFILE,
        // istio-cni, installed for ambient, redirects the sidecar pods' traffic too: injection then
        // adds the unprivileged istio-validation instead of istio-init (root, NET_ADMIN, NET_RAW),
        // so the sidecar namespace can enforce restricted.
        cni: { enabled: true },
        replicaCount: config.istiodReplicas,
        topologySpreadConstraints: zoneSpread({ app: "istiod" }),
        resources: podResourcesOf(config.resources.istiod),
        // istiod runs restricted: its chart sets everything but the seccomp profile.
        seccompProfile: RUNTIME_DEFAULT_SECCOMP,
        // With one replica a PDB would block every node drain, so it comes with the second.
        ...(spare ? { pdb: { minAvailable: config.istiodReplicas - 1 } } : {}),
        global: {
            istioNamespace: ISTIO_NAMESPACE,
            defaultPodDisruptionBudget: { enabled: spare },
            proxy: { resources: podResourcesOf(config.resources.proxy), seccompProfile: RUNTIME_DEFAULT_SECCOMP },
        },
        ...(tracing ? { meshConfig: meshTracing(tracing) } : {}),
    };
}

/** The mesh-wide mTLS policy: a PeerAuthentication named `default` in the Istio root namespace. */
export function meshPeerAuthentication(mode: SecurityConfig["istio"]["mtlsMode"]) {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: ISTIO_NAMESPACE },
        spec: { mtls: { mode } },
    };
}

/**
 * Values of istio-cni: the node agent that moves ambient pods' traffic to ztunnel. On EKS it runs
 * chained after the VPC CNI (the chart's default `chained: true`, in the VPC CNI's conf directory).
 */
export function istioCniValues(config: SecurityConfig["istio"]): Record<string, unknown> {
    return { profile: AMBIENT_PROFILE, resources: podResourcesOf(config.resources.cni) };
}

/** Values of ztunnel: the per-node proxy that carries ambient pods' TCP traffic in mutual TLS. */
export function ztunnelValues(config: SecurityConfig["istio"]): Record<string, unknown> {
    return { profile: AMBIENT_PROFILE, resources: podResourcesOf(config.resources.ztunnel) };
}

export interface IstioArgs {
    /** Replicas, the mTLS mode and the sizes of istiod and the sidecars, from the stack config. */
    readonly config: SecurityConfig["istio"];
    /** Tempo's OTLP gRPC endpoint, where there is a Tempo to trace to. */
    readonly tracing?: TracingEndpoint;
}

export interface Istio {
    readonly base: HelmChart;
    readonly istiod: HelmChart;
    readonly cni: HelmChart;
    readonly ztunnel: HelmChart;
    readonly peerAuthentication: apiextensions.CustomResource;
}

/**
 * Installs base, then istiod, istio-cni and ztunnel, then the PeerAuthentication: istiod needs the
 * CRDs of base, ztunnel takes its certificates from istiod, and the policy is a custom resource whose
 * kind base defines and whose mode istiod hands the proxies. istio-cni enrols pods that already run
 * in an ambient namespace, so namespaces made before the mesh need no restart.
 */
export function installIstio(name: string, args: IstioArgs, ctx: KubernetesContext, parent: pulumi.Resource): Istio {
    const namespace = createNamespace(ISTIO_NAMESPACE, ctx, parent);
    const base = installHelmChart(`${name}-base`, { source: CHARTS.istioBase, namespace, values: istioBaseValues }, ctx, parent);
    const istiod = installHelmChart(`${name}-istiod`, {
        source: CHARTS.istiod,
        namespace,
        values: () => istiodValues(args.config, args.tracing),
        dependsOn: [base.release],
    }, ctx, parent);
    const cni = installHelmChart(`${name}-cni`, { source: CHARTS.istioCni, namespace, values: () => istioCniValues(args.config), dependsOn: [base.release] }, ctx, parent);
    const ztunnel = installHelmChart(`${name}-ztunnel`, { source: CHARTS.ztunnel, namespace, values: () => ztunnelValues(args.config), dependsOn: [istiod.release, cni.release] }, ctx, parent);
    // Its own resource, not a chart value, so that the policy pack sees the mesh-wide mode.
    const peerAuthentication = new apiextensions.CustomResource(`${name}-mtls`, meshPeerAuthentication(args.config.mtlsMode), {
        parent,
        provider: ctx.kubernetesProvider,
        dependsOn: [istiod.release],
    });
    return { base, istiod, cni, ztunnel, peerAuthentication };
}
