/**
 * Pod Security Admission for every namespace the platform creates (CM-7, AC-6): the level the API
 * server enforces, each level below `restricted` with its reason and the workloads that need it.
 * Everything else in a namespace must pass `restricted` whatever its enforced level
 * (tests/pod-security.test.ts), and `warn` and `audit` stay at `restricted` everywhere, so a pod
 * that falls short is reported even where it is admitted.
 */
import { PodSecurityLevel } from "../../lib/pod-security";

export interface NamespacePodSecurity {
    readonly level: PodSecurityLevel;
    /** Why the level is what it is; for a level below restricted, the workloads that need it and why. */
    readonly reason: string;
    /** The workloads (controller names) allowed below restricted; every other pod must pass it. */
    readonly exceptions: readonly string[];
}

export const POD_SECURITY: Readonly<Record<string, NamespacePodSecurity>> = {
    monitoring: {
        level: "privileged",
        reason: "node agents: node-exporter reads the host's /proc, /sys and filesystems with the host's network and PID namespaces, and Alloy's log collector reads every pod's log files from the host's /var/log as root",
        exceptions: ["prometheus-node-exporter", "alloy-logs"],
    },
    kafka: { level: "restricted", reason: "Strimzi runs itself and, with its restricted pod security provider, every broker as restricted asks", exceptions: [] },
    "istio-system": {
        level: "privileged",
        reason: "the ambient data plane's node agents: istio-cni's node agent installs the CNI plugin into the host's /opt/cni/bin and /etc/cni/net.d and enters each pod's network namespace to redirect its traffic (NET_ADMIN, SYS_ADMIN, host network), and ztunnel runs in every meshed pod's network namespace with NET_ADMIN, SYS_ADMIN and NET_RAW; istiod runs restricted",
        exceptions: ["istio-cni-node", "ztunnel"],
    },
    "trivy-system": {
        level: "privileged",
        reason: "the node-collector Jobs of the infraAssessment scanner read each node's kubelet and control-plane files through hostPath in the host's PID namespace; the operator and the scan jobs run restricted",
        exceptions: ["node-collector"],
    },
    velero: {
        level: "privileged",
        reason: "the node agent reads and restores every pod's volume files through the host path /var/lib/kubelet, as root with file capabilities; the server, its plugin and its Jobs run restricted",
        exceptions: ["node-agent"],
    },
    kubecost: { level: "restricted", reason: "its components need no privilege", exceptions: [] },
    headlamp: { level: "restricted", reason: "the UI needs no privilege", exceptions: [] },
    "aws-load-balancer-controller": { level: "restricted", reason: "the controller only calls the AWS and Kubernetes APIs and serves its webhook", exceptions: [] },
};

/**
 * The level a namespace enforces, and why. A sidecar namespace needs nothing more: istio-cni (the
 * ambient data plane's node agent) redirects its pods' traffic, so injection adds the unprivileged
 * istio-validation rather than istio-init (root, NET_ADMIN, NET_RAW).
 */
export function podSecurityOf(namespace: string): NamespacePodSecurity {
    const entry = POD_SECURITY[namespace];
    if (!entry) throw new Error(`Namespace ${namespace} has no Pod Security level: add it to POD_SECURITY (components/security/pod-security.ts) with its reason`);
    return entry;
}

/** The namespace labels Pod Security Admission reads: the enforced level, and restricted for warnings and audit. */
export function podSecurityLabels(security: NamespacePodSecurity): Record<string, string> {
    return {
        "pod-security.kubernetes.io/enforce": security.level,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "latest",
    };
}
