/** Building blocks of Helm values that several add-ons share. */

/** Requests and the memory limit of one container, as Kubernetes quantities ("250m", "512Mi"). */
export interface PodResources {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
}

/** A values block that sets requests and a memory limit. */
export function podResources(cpu: string, memory: string, memoryLimit: string): PodResources {
    return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}
