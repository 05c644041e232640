/** Building blocks of Helm values that several add-ons share. */
import { WorkloadSize } from "../../config/schema";

/** Requests and the memory limit of one container, as Kubernetes quantities ("250m", "512Mi"). */
export interface PodResources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
}

/** The values block for a workload size from the stack config: requests and a memory limit. */
export function podResourcesOf(size: WorkloadSize): PodResources {
    return { requests: { cpu: size.cpu, memory: size.memory }, limits: { memory: size.memoryLimit } };
}

/** The seccomp profile Pod Security's restricted level asks for: the container runtime's default. */
export const RUNTIME_DEFAULT_SECCOMP = { type: "RuntimeDefault" } as const;

/**
 * A container as Pod Security's restricted level wants it (no privilege escalation, no
 * capabilities, the runtime's seccomp profile), with a read-only root filesystem on top (CM-7).
 */
export const RESTRICTED_CONTAINER = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
    seccompProfile: RUNTIME_DEFAULT_SECCOMP,
} as const;

/** RESTRICTED_CONTAINER as a fresh mutable object, for a Kubernetes resource's typed inputs (which take no readonly arrays). */
export function restrictedContainer() {
    return { ...RESTRICTED_CONTAINER, capabilities: { drop: [...RESTRICTED_CONTAINER.capabilities.drop] }, seccompProfile: { ...RESTRICTED_CONTAINER.seccompProfile } };
}

/**
 * A pod whose containers all run as `uid`, never root, with the runtime's seccomp profile. The
 * uid is explicit: images that name their user (distroless `nonroot`) cannot be checked for root
 * by the kubelet otherwise. fsGroup lets them read projected tokens and write their volumes.
 */
export function restrictedPod(uid: number) {
    return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: RUNTIME_DEFAULT_SECCOMP };
}

/**
 * A topology spread that keeps a workload's pods in different zones (no zone more than one ahead),
 * so that losing a zone leaves the other copies. DoNotSchedule: a pod waits for the autoscaler to
 * add a node in its zone (one node group per zone in prod) rather than doubling up elsewhere.
 */
export function zoneSpread(matchLabels: Readonly<Record<string, string>>) {
    return [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { ...matchLabels } } }];
}
