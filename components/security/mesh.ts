/**
 * Which platform namespaces are in the Istio mesh, and how (SC-8, SC-8(1), IA-3): the one table the
 * namespaces' labels, the capacity plan's sidecars, the encryption test and the authorization
 * policies read. Pure data, so that the helm helper can label namespaces without importing Istio.
 */

/**
 * How a namespace's pods join the mesh: `ambient` (ztunnel on each node carries their TCP traffic
 * in mutual TLS, no proxy in the pod), `sidecar` (istiod injects an Envoy proxy into each pod), or
 * `none` (outside the mesh, for the reason given).
 */
export type Dataplane = "ambient" | "sidecar" | "none";

export interface MeshMembership {
    readonly dataplane: Dataplane;
    /** Why the namespace is in the mesh this way, or outside it. */
    readonly reason: string;
}

/** The Istio root namespace: a PeerAuthentication here applies to the whole mesh. */
export const ISTIO_NAMESPACE = "istio-system";

/** The label that puts a namespace's pods into the ambient mesh (the contract with the network policies). */
export const AMBIENT_LABEL = { "istio.io/dataplane-mode": "ambient" } as const;
/**
 * The annotation on a PeerAuthentication that states why some of its ports accept callers outside
 * the mesh; the policy pack's istio-mtls-strict rule accepts those ports and nothing else.
 */
export const MTLS_EXCEPTION_ANNOTATION = "nist-eks-platform/mtls-exception";

/** The label istiod's injection webhook selects namespaces by. */
export const SIDECAR_LABEL = { "istio-injection": "enabled" } as const;

/**
 * The platform namespaces and how they are meshed. A namespace missing from this table is in the
 * ambient mesh, so that leaving the mesh, or choosing sidecars, always takes an entry with its reason.
 */
export const MESH_MEMBERSHIP: Readonly<Record<string, MeshMembership>> = {
    [ISTIO_NAMESPACE]: {
        dataplane: "none",
        reason: "the mesh itself: istiod issues the workload certificates and serves configuration over its own TLS (port 15012, clients authenticated by their service-account tokens), and ztunnel and istio-cni are the data plane, which cannot carry its own traffic",
    },
    "kube-system": {
        dataplane: "none",
        reason: "cluster infrastructure (CoreDNS, VPC CNI, EBS CSI, kube-proxy, the Cluster Autoscaler) starts before the mesh and must keep working when it is down; its node agents run on the host network, which no dataplane captures, and istio-cni leaves kube-system alone by design",
    },
    monitoring: {
        dataplane: "ambient",
        reason: "the telemetry pipeline's hops (scrapes, remote writes, log pushes, Grafana's queries, memberlist, memcached, OTLP into Tempo) are pod to pod: ztunnel encrypts and authenticates them without a proxy in the path of the StatefulSets, the admission jobs and the node exporter; ambient pods keep their traffic when istiod is down, since ztunnel keeps the certificates and configuration it has",
    },
    kafka: {
        dataplane: "ambient",
        reason: "brokers are addressed one pod at a time through a headless Service and replicate to each other directly; ztunnel handles pod addresses as it does Services, puts no proxy between a broker and the operator's rolling restarts, and wraps Strimzi's own TLS in the mesh's mutual TLS",
    },
    velero: {
        dataplane: "ambient",
        reason: "the server and node agent talk to the API server and S3 (outside the mesh, HTTPS) and are scraped by Prometheus: ambient authenticates the scrape without a sidecar, which would keep the repository-maintenance and CRD-upgrade Jobs from completing",
    },
    "trivy-system": {
        dataplane: "ambient",
        reason: "scan jobs are short-lived pods that a sidecar would keep from completing; ambient needs nothing in the pod, and the operator's metrics scrape is authenticated",
    },
    kubecost: {
        dataplane: "sidecar",
        reason: "the frontend, aggregator, local store and FinOps agent call each other over HTTP: their sidecars give the mesh its L7 view (request spans to Tempo, Kiali's request graph and HTTP-level authorization), which ambient's ztunnel, an L4 proxy, does not; none of its pods is a Job",
    },
    headlamp: {
        dataplane: "ambient",
        reason: "the UIs' ALB calls it from outside the mesh (a named plaintext hop on its port alone), and it calls only the API server: ambient encrypts any in-cluster call to it at no per-pod cost, where a sidecar added requests and no telemetry worth having",
    },
    "aws-load-balancer-controller": {
        dataplane: "ambient",
        reason: "the controller calls the AWS APIs and the API server (outside the mesh, HTTPS) and is called by the API server on its webhook (its own TLS, the port PERMISSIVE) and scraped by Prometheus: ambient authenticates the scrape at no per-pod cost",
    },
};

/** How pods in this platform namespace join the mesh (see MESH_MEMBERSHIP). */
export function dataplaneOf(namespace: string): Dataplane {
    return MESH_MEMBERSHIP[namespace]?.dataplane ?? "ambient";
}

/** The labels a platform namespace carries for the mesh: none where the stack runs no mesh. */
export function meshLabels(namespace: string, mesh: boolean): Record<string, string> {
    if (!mesh) return {};
    const dataplane = dataplaneOf(namespace);
    return dataplane === "ambient" ? { ...AMBIENT_LABEL } : dataplane === "sidecar" ? { ...SIDECAR_LABEL } : {};
}
