/**
 * The container images the platform runs, by chart@version, with the platforms each tag is
 * published for (data/images.json, which says where each fact comes from). A node group of one
 * architecture can run the platform only if every image is published for it: an image without the
 * platform, or a chart the table does not list, refuses the group rather than leaving pods in
 * ImagePullBackOff ("no matching manifest") on its nodes.
 */
import table from "./data/images.json";
import { Architecture } from "./instance-types";

export interface PinnedImage {
    /** Registry, repository and tag as rendered. */
    readonly image: string;
    /** OCI platforms the tag is published for: "linux/amd64", "linux/arm64". Empty when unknown. */
    readonly platforms: readonly string[];
    /** Where the platforms can be checked. */
    readonly source: string;
    /** What upstream states that the platforms rest on. */
    readonly basis: string;
}

/** chart@version (or eks-add-ons) to the images it runs. */
export type ImageTable = Readonly<Record<string, readonly PinnedImage[]>>;

export const PINNED_IMAGES: ImageTable = table.charts;

/**
 * Why the images of `installs` (chart@version keys) cannot all run on `architecture`, one line per
 * problem: a chart the table does not list, or an image not published for the platform. Empty
 * when they all can.
 */
export function imagesBlocking(architecture: Architecture, installs: readonly string[], images: ImageTable = PINNED_IMAGES): string[] {
    const platform = `linux/${architecture}`;
    return installs.flatMap((install) => {
        if (!Object.hasOwn(images, install)) return [`${install}: its images are not in lib/data/images.json`];
        return images[install]
            .filter((i) => !i.platforms.includes(platform))
            .map((i) => `${install}: ${i.image} is published for ${i.platforms.length > 0 ? i.platforms.join(", ") : "unknown platforms"}`);
    });
}

/**
 * One spelling per image, as a runtime resolves it: no digest, Docker Hub's host and `library/`
 * made explicit, and an EKS add-on named without its version (AWS builds every version alike).
 */
export function canonicalImage(reference: string): string {
    const addon = /^<EKS add-on ([^\s>]+)/.exec(reference);
    if (addon) return `<EKS add-on ${addon[1]}>`;
    const image = reference.split("@")[0];
    const first = image.split("/")[0];
    const hasHost = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
    if (hasHost) return first === "docker.io" && image.split("/").length === 2 ? `docker.io/library/${image.slice("docker.io/".length)}` : image;
    return image.includes("/") ? `docker.io/${image}` : `docker.io/library/${image}`;
}

/**
 * The platforms a rendered image's tag is published for, from the table; undefined when the
 * table does not list it. A tag written <like this> in the table stands for every tag the program
 * may set (the autoscaler's follows the Kubernetes version), all published alike.
 */
export function publishedPlatforms(image: string, table: ImageTable = PINNED_IMAGES): readonly string[] | undefined {
    const entries = Object.values(table).flat().map((i) => ({ image: canonicalImage(i.image), platforms: i.platforms }));
    const repository = (reference: string) => reference.slice(0, reference.lastIndexOf(":"));
    const canonical = canonicalImage(image);
    return (entries.find((e) => e.image === canonical)
        ?? entries.find((e) => e.image.slice(e.image.lastIndexOf(":") + 1).startsWith("<") && repository(e.image) === repository(canonical)))?.platforms;
}

/**
 * The rendered images that cannot run on `architecture`, one line each: an image the table does
 * not list (its platforms are unknown) or one not published for the platform. Empty when all can.
 */
export function renderedImagesBlocking(architecture: Architecture, images: readonly string[], table: ImageTable = PINNED_IMAGES): string[] {
    const platform = `linux/${architecture}`;
    return [...new Set(images)].sort().flatMap((image) => {
        const known = publishedPlatforms(image, table);
        if (!known) return [`${image} is not in lib/data/images.json, so its platforms are unknown`];
        return known.includes(platform) ? [] : [`${image} is published for ${known.length > 0 ? known.join(", ") : "unknown platforms"}`];
    });
}
