/**
 * Istio with mutual TLS (SC-8): the base chart (CRDs), istiod, the mesh-wide PeerAuthentication,
 * and the table that decides which platform namespaces get sidecars.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { SecurityConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { installHelmChart, createNamespace, HelmChart } from "../helm/release";
import { podResourcesOf, RUNTIME_DEFAULT_SECCOMP } from "../helm/values";

/** The Istio root namespace: a PeerAuthentication here applies to the whole mesh. */
export const ISTIO_NAMESPACE = "istio-system";

export interface MeshMembership {
    readonly meshed: boolean;
    /** Why the namespace is in or out of the mesh. */
    readonly reason: string;
}

/**
 * The platform namespaces and whether their pods get an Istio sidecar. Components create their own
 * namespaces with `createNamespace(name, isMeshed(name), ...)`; a namespace missing from this table
 * is meshed, so that leaving the mesh always takes an entry here with its reason.
 */
export const MESH_MEMBERSHIP: Readonly<Record<string, MeshMembership>> = {
    [ISTIO_NAMESPACE]: {
        meshed: false,
        reason: "the control plane itself: istiod issues the mesh certificates and runs the injection webhook, so it cannot wait for a sidecar from itself",
    },
    "kube-system": {
        meshed: false,
        reason: "cluster infrastructure (CoreDNS, VPC CNI, EBS CSI, kube-proxy, the Cluster Autoscaler) starts before istiod and must keep working when the mesh is down; node-level pods on the host network cannot be injected",
    },
    velero: {
        meshed: false,
        reason: "node-level agent: the node-agent DaemonSet reads every pod's volumes from the host path; the server only talks to the API server and AWS, both outside the mesh, and its repository-maintenance and CRD-upgrade Jobs need no proxy",
    },
    "trivy-system": {
        meshed: false,
        reason: "jobs: scan jobs are short-lived pods that only pull images and vulnerability databases from outside the mesh and serve nothing; the operator only talks to the API server",
    },
    monitoring: {
        meshed: false,
        reason: "the telemetry pipeline: Prometheus scrapes every pod and node in and out of the mesh (sidecars serve their merged metrics in plaintext for it) and must keep recording, and Loki and Tempo keep receiving, when the mesh itself fails",
    },
    kafka: {
        meshed: false,
        reason: "Strimzi's brokers are addressed one pod at a time through a headless service and replicate to each other directly; the operator rolls them one by one, and a proxy in front of each broker would sit in that path",
    },
    kubecost: {
        meshed: true,
        reason: "the frontend, aggregator, local store and FinOps agent talk to each other: that traffic is encrypted and authenticated by mTLS",
    },
    headlamp: {
        meshed: true,
        reason: "operators reach the UI (which holds their tokens) through port-forwarding; its service stays mTLS-only inside the cluster",
    },
};

/** Whether pods in this platform namespace get an Istio sidecar (see MESH_MEMBERSHIP). */
export function isMeshed(namespace: string): boolean {
    return MESH_MEMBERSHIP[namespace]?.meshed ?? true;
}

/** Values of the base chart (its CRDs and webhooks), pinned to the namespace the policy lives in. */
export function istioBaseValues(): Record<string, unknown> {
    return { global: { istioNamespace: ISTIO_NAMESPACE } };
}

/** Values of istiod: fixed replicas from config, a PDB when there is a replica to spare, sidecar sizes. */
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

export function istiodValues(config: SecurityConfig["istio"], tracing?: TracingEndpoint): Record<string, unknown> {
    const spare = config.istiodReplicas > 1;
    return {
        // A fixed count rather than the chart's HPA: the capacity plan counts the pods that run.
        autoscaleEnabled: false,
        replicaCount: config.istiodReplicas,
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

export interface IstioArgs {
    /** Replicas, the mTLS mode and the sizes of istiod and the sidecars, from the stack config. */
    readonly config: SecurityConfig["istio"];
    /** Tempo's OTLP gRPC endpoint, where there is a Tempo to trace to. */
    readonly tracing?: TracingEndpoint;
}

export interface Istio {
    readonly base: HelmChart;
    readonly istiod: HelmChart;
    readonly peerAuthentication: apiextensions.CustomResource;
}

/**
 * Installs base, then istiod, then the PeerAuthentication: istiod needs the CRDs of base, and the
 * policy is a custom resource whose kind base defines and whose mode istiod enforces.
 */
export function installIstio(name: string, args: IstioArgs, ctx: KubernetesContext, parent: pulumi.Resource): Istio {
    const namespace = createNamespace(ISTIO_NAMESPACE, isMeshed(ISTIO_NAMESPACE), ctx, parent);
    const base = installHelmChart(`${name}-base`, { source: CHARTS.istioBase, namespace, values: istioBaseValues }, ctx, parent);
    const istiod = installHelmChart(`${name}-istiod`, {
        source: CHARTS.istiod,
        namespace,
        values: () => istiodValues(args.config, args.tracing),
        dependsOn: [base.release],
    }, ctx, parent);
    // Its own resource, not a chart value, so that the policy pack sees the mesh-wide mode.
    const peerAuthentication = new apiextensions.CustomResource(`${name}-mtls`, meshPeerAuthentication(args.config.mtlsMode), {
        parent,
        provider: ctx.kubernetesProvider,
        dependsOn: [istiod.release],
    });
    return { base, istiod, peerAuthentication };
}
