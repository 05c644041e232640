/**
 * Whether each image the platform runs was published by its upstream for its tag
 * (data/image-releases.json, recorded by scripts/record-image-releases.ts from the upstream
 * repositories' git tags, with the date of each repository's snapshot). No registry is reachable
 * offline, so the upstream's release tag (or, where a project tags elsewhere, the released section
 * of its changelog) stands for the image: the projects below build and push their images from
 * those tags.
 */
import table from "./data/image-releases.json";
import { canonicalImage } from "./images";

/** How an image repository's tags map to its upstream's git tags. */
export interface UpstreamRule {
    /** The canonical image repository (registry host included, no tag). */
    readonly repository: string;
    /** owner/name of the source repository on GitHub. */
    readonly upstream: string;
    /**
     * The git tag that releases an image tag: an exact tag, or a prefix where the image tag is a
     * floating minor (nginx 1.29 is any release-1.29.x).
     */
    readonly gitTag: (imageTag: string) => { readonly exact: string } | { readonly prefix: string };
    /** Where the project's main branch lists each released version, for projects whose tags the snapshot lacks. */
    readonly changelog?: { readonly path: string; readonly heading: (imageTag: string) => string };
    /**
     * For an image built from closed or unfetchable source: a file of the publisher's own that
     * names the image at its tag (a release's chart, a deployment it runs), at a git ref.
     */
    readonly declaredIn?: { readonly upstream: string; readonly ref: string; readonly path: string; readonly text: (imageTag: string) => string };
    /** Where the snapshot of `upstream` lives when it is a fork with upstream history (grafana/mimir). */
    readonly snapshotOf?: string;
}

const strip = (tag: string, ...suffixes: string[]) => suffixes.reduce((t, s) => (t.endsWith(s) ? t.slice(0, -s.length) : t), tag);
const withV = (tag: string) => ({ exact: tag.startsWith("v") ? tag : `v${tag}` });
const asIs = (tag: string) => ({ exact: tag });
const istioRelease = (tag: string) => ({ exact: tag.replace(/-distroless$/, "") });

/** Every image repository the platform runs, and its upstream. */
export const UPSTREAM_RULES: readonly UpstreamRule[] = [
    { repository: "quay.io/prometheus-operator/prometheus-operator", upstream: "prometheus-operator/prometheus-operator", gitTag: withV },
    { repository: "quay.io/prometheus-operator/prometheus-config-reloader", upstream: "prometheus-operator/prometheus-operator", gitTag: withV },
    { repository: "quay.io/prometheus/prometheus", upstream: "prometheus/prometheus", gitTag: (t) => withV(strip(t, "-distroless")) },
    { repository: "quay.io/prometheus/alertmanager", upstream: "prometheus/alertmanager", gitTag: withV },
    { repository: "quay.io/prometheus/node-exporter", upstream: "prometheus/node_exporter", gitTag: (t) => withV(strip(t, "-distroless")) },
    { repository: "registry.k8s.io/kube-state-metrics/kube-state-metrics", upstream: "kubernetes/kube-state-metrics", gitTag: withV },
    { repository: "ghcr.io/jkroepke/kube-webhook-certgen", upstream: "jkroepke/kube-webhook-certgen", gitTag: withV },
    { repository: "public.ecr.aws/eks/aws-load-balancer-controller", upstream: "kubernetes-sigs/aws-load-balancer-controller", gitTag: asIs },
    { repository: "registry.k8s.io/autoscaling/cluster-autoscaler", upstream: "kubernetes/autoscaler", gitTag: (t) => ({ exact: `cluster-autoscaler-${t.replace(/^v/, "")}` }) },
    { repository: "quay.io/strimzi/operator", upstream: "strimzi/strimzi-kafka-operator", gitTag: asIs },
    // <operator version>-kafka-<Kafka version>: built by the operator's release.
    { repository: "quay.io/strimzi/kafka", upstream: "strimzi/strimzi-kafka-operator", gitTag: (t) => ({ exact: t.split("-kafka-")[0] }) },
    // grafana/mimir is over the fetch size limit; szaydel/mimir carries its history without its release tags.
    {
        repository: "docker.io/grafana/mimir", upstream: "grafana/mimir", snapshotOf: "szaydel/mimir", gitTag: (t) => ({ exact: `mimir-${t}` }),
        changelog: { path: "CHANGELOG.md", heading: (t) => `## ${t}` },
    },
    { repository: "docker.io/grafana/rollout-operator", upstream: "grafana/rollout-operator", gitTag: withV },
    { repository: "docker.io/library/memcached", upstream: "memcached/memcached", gitTag: (t) => asIs(strip(t, "-alpine")) },
    { repository: "docker.io/prom/memcached-exporter", upstream: "prometheus/memcached_exporter", gitTag: withV },
    { repository: "docker.io/nginxinc/nginx-unprivileged", upstream: "nginx/nginx", gitTag: (t) => ({ prefix: `release-${strip(t, "-alpine")}.` }) },
    { repository: "docker.io/grafana/loki", upstream: "grafana/loki", gitTag: withV },
    { repository: "docker.io/kiwigrid/k8s-sidecar", upstream: "kiwigrid/k8s-sidecar", gitTag: asIs },
    { repository: "quay.io/kiwigrid/k8s-sidecar", upstream: "kiwigrid/k8s-sidecar", gitTag: asIs },
    { repository: "ghcr.io/jkroepke/access-log-exporter", upstream: "jkroepke/access-log-exporter", gitTag: withV },
    { repository: "docker.io/grafana/tempo", upstream: "grafana/tempo", gitTag: withV },
    // grafana/grafana is over the fetch size limit: Grafana Labs' Loki repository runs the image in its compose file.
    {
        repository: "docker.io/grafana/grafana", upstream: "grafana/grafana", gitTag: withV,
        declaredIn: { upstream: "grafana/loki", ref: "HEAD", path: "production/docker/docker-compose.yaml", text: (t) => `grafana/grafana:${t}` },
    },
    { repository: "quay.io/kiali/kiali", upstream: "kiali/kiali", gitTag: withV },
    // Istio's images, ztunnel's and the CNI agent's among them, are built from the istio/istio release
    // tag, in a default and a distroless variant (the ambient profile's), which the tag suffixes.
    ...["pilot", "proxyv2", "install-cni", "ztunnel"].map((image) => ({ repository: `registry.istio.io/release/${image}`, upstream: "istio/istio", gitTag: istioRelease })),
    // Docker's official image builds BusyBox releases; 1.28 is any 1.28.x.
    { repository: "docker.io/library/busybox", upstream: "mirror/busybox", gitTag: (t) => ({ prefix: `${t.replace(/\./g, "_")}_` }) },
    { repository: "mirror.gcr.io/aquasec/trivy-operator", upstream: "aquasecurity/trivy-operator", gitTag: withV },
    { repository: "mirror.gcr.io/aquasec/trivy", upstream: "aquasecurity/trivy", gitTag: withV },
    { repository: "ghcr.io/aquasecurity/node-collector", upstream: "aquasecurity/k8s-node-collector", gitTag: withV },
    { repository: "docker.io/velero/velero", upstream: "vmware-tanzu/velero", gitTag: asIs },
    { repository: "docker.io/velero/velero-plugin-for-aws", upstream: "vmware-tanzu/velero-plugin-for-aws", gitTag: asIs },
    { repository: "icr.io/kubecost/cost-model", upstream: "kubecost/kubecost", gitTag: withV },
    { repository: "icr.io/kubecost/frontend", upstream: "kubecost/kubecost", gitTag: withV },
    // IBM's FinOps agent is closed source: Kubecost's 3.2.1 release pins it as its chart dependency, whose version is the image tag.
    {
        repository: "icr.io/ibm-finops/agent", upstream: "kubecost/kubecost", gitTag: () => ({ exact: "v3.2.1" }),
        declaredIn: { upstream: "kubecost/kubecost", ref: "v3.2.1", path: "kubecost/Chart.yaml", text: (t) => `version: "${t}"` },
    },
    // alpine/curl packages curl releases, tagged curl-8_17_0 upstream.
    { repository: "docker.io/alpine/curl", upstream: "curl/curl", gitTag: (t) => ({ exact: `curl-${t.replace(/\./g, "_")}` }) },
    { repository: "ghcr.io/headlamp-k8s/headlamp", upstream: "kubernetes-sigs/headlamp", gitTag: withV },
    { repository: "docker.io/grafana/alloy", upstream: "grafana/alloy", gitTag: withV },
    { repository: "public.ecr.aws/aws-cli/aws-cli", upstream: "aws/aws-cli", gitTag: asIs },
    // Docker's official postgres images are built from docker-library/postgres, whose versions.json
    // names each major's current release (the image tag is <version>-alpine).
    {
        repository: "public.ecr.aws/docker/library/postgres", upstream: "docker-library/postgres", gitTag: (t) => ({ exact: strip(t, "-alpine") }),
        declaredIn: { upstream: "docker-library/postgres", ref: "HEAD", path: "versions.json", text: (t) => `"version": "${strip(t, "-alpine")}"` },
    },
];

/** What the record says of one image. */
export interface ImageRelease {
    /** The canonical image reference. */
    readonly image: string;
    readonly upstream: string;
    /** The git tag (or tag prefix) that releases it. */
    readonly gitTag: string;
    /**
     * published: the snapshot has the tag (commit) or lists the version as released (changelog).
     * unconfirmed: neither, while the version is newer than anything the snapshot has, so upstream may
     * have published it after the snapshot was taken. absent: neither, though the snapshot is newer:
     * upstream never published it. unrecorded: the upstream could not be brought here at all.
     */
    readonly status: "published" | "unconfirmed" | "absent" | "unrecorded";
    /** The commit the tag points at, or the commit whose changelog lists the version. */
    readonly commit?: string;
    readonly evidence?: string;
    /** The newest commit date of the upstream snapshot the record was made from. */
    readonly snapshot?: string;
    /** The greatest version tag in that snapshot, for an image it does not confirm. */
    readonly newestTag?: string;
    readonly reason?: string;
}

export interface ImageReleaseTable {
    readonly about: string;
    readonly recorded: string;
    readonly images: readonly ImageRelease[];
}

export const IMAGE_RELEASES: ImageReleaseTable = table as ImageReleaseTable;

/** The rule for an image, by its canonical repository. */
export function upstreamRule(image: string, rules: readonly UpstreamRule[] = UPSTREAM_RULES): UpstreamRule | undefined {
    const canonical = canonicalImage(image);
    const repository = canonical.slice(0, canonical.lastIndexOf(":"));
    return rules.find((r) => r.repository === repository);
}

/** The numbers of a version-like tag ("release-1.29.8" → [1, 29, 8]), for ordering. */
export function versionNumbers(tag: string): number[] {
    return (tag.match(/\d+/g) ?? []).map(Number);
}

/** Compares two version-like tags by their numbers; a pre-release (-rc) sorts before its release. */
export function compareVersions(a: string, b: string): number {
    const [x, y] = [versionNumbers(a.split(/-(?:rc|alpha|beta)/)[0]), versionNumbers(b.split(/-(?:rc|alpha|beta)/)[0])];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const d = (x[i] ?? 0) - (y[i] ?? 0);
        if (d !== 0) return d;
    }
    return Number(!/-(?:rc|alpha|beta)/.test(a)) - Number(!/-(?:rc|alpha|beta)/.test(b));
}

/**
 * Why the images cannot be shown to exist for their tags, one line each: no record, a record that
 * says upstream never published the tag, or one that could not be checked. Images the record marks
 * unconfirmed (newer than the upstream snapshot) pass, each with its reason in the record.
 */
export function imageReleaseProblems(images: readonly string[], releases: ImageReleaseTable = IMAGE_RELEASES): string[] {
    return [...new Set(images.map(canonicalImage))].sort().flatMap((image) => {
        const release = releases.images.find((r) => r.image === image);
        if (!release) return [`${image}: no record of an upstream release (npm run image-releases records one)`];
        if (release.status === "absent") return [`${image}: ${release.upstream} has no ${release.gitTag} in its snapshot of ${release.snapshot}, whose newest tag ${release.newestTag} is newer: upstream never published it`];
        if (release.status === "unrecorded") return [`${image}: ${release.upstream} could not be checked (${release.reason})`];
        return [];
    });
}
