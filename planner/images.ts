/**
 * The container images a stack runs (CM-8 component inventory, SA-10 supply chain): every image of
 * every workload, including injected sidecars, operator-created pods and peak jobs, with the
 * registry it is pulled from.
 */
import { publishedPlatforms } from "../lib/images";
import { Workload } from "../lib/workloads";

export interface ImageUse {
    /** The reference as the pod spec names it. */
    readonly image: string;
    /** The reference without its tag (an EKS add-on: "EKS add-on <name>"). */
    readonly repository: string;
    /** Its tag (an EKS add-on: its version); "" where the reference names none. */
    readonly tag: string;
    /** The registry host it is pulled from (docker.io where the reference names none). */
    readonly registry: string;
    /** Where it runs: "<release or resource> <kind> <workload>/<container>". */
    readonly usedBy: readonly string[];
    /** The releases (or resources) whose pods run it, sorted. */
    readonly releases: readonly string[];
    /** The OCI platforms its tag is published for (lib/data/images.json); empty where unknown. */
    readonly platforms: readonly string[];
}

/** Where EKS pulls its managed add-ons' images from: an AWS account's ECR in the cluster's region. */
export const EKS_ADDON_REGISTRY = "EKS add-on registry (AWS-managed ECR)";

/**
 * The registry of an image reference, by the rule container runtimes apply: the first path segment
 * is a registry host when it has a dot or a port or is localhost; otherwise the image is on Docker Hub.
 */
export function registryOf(image: string): string {
    if (image.startsWith("<EKS add-on")) return EKS_ADDON_REGISTRY;
    const first = image.split("/")[0];
    return image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost") ? first : "docker.io";
}

/** A reference's repository and tag: the part after the last colon of its last path segment, or an EKS add-on's version. */
export function splitImage(image: string): { repository: string; tag: string } {
    const addon = /^<EKS add-on (\S+) ([^>]+)>$/.exec(image);
    if (addon) return { repository: `EKS add-on ${addon[1]}`, tag: addon[2] };
    const reference = image.split("@")[0];
    const at = reference.lastIndexOf(":");
    return at > reference.lastIndexOf("/") ? { repository: reference.slice(0, at), tag: reference.slice(at + 1) } : { repository: reference, tag: "" };
}

/** Every image the workloads run, sorted by registry then reference. */
export function imageInventory(workloads: readonly Workload[]): ImageUse[] {
    const uses = new Map<string, { usedBy: Set<string>; releases: Set<string> }>();
    for (const w of workloads) {
        for (const c of [...w.initContainers, ...w.containers]) {
            if (!uses.has(c.image)) uses.set(c.image, { usedBy: new Set(), releases: new Set() });
            uses.get(c.image)!.usedBy.add(`${w.source} ${w.kind} ${w.name}/${c.name}`);
            uses.get(c.image)!.releases.add(w.source);
        }
    }
    return [...uses]
        .map(([image, { usedBy, releases }]) => ({ image, ...splitImage(image), registry: registryOf(image), usedBy: [...usedBy].sort(), releases: [...releases].sort(), platforms: [...(publishedPlatforms(image) ?? [])] }))
        .sort((a, b) => a.registry.localeCompare(b.registry) || a.image.localeCompare(b.image));
}
