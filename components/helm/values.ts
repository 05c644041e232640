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
