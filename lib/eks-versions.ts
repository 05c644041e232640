/**
 * EKS's support window of each Kubernetes minor version (data/eks-kubernetes-versions.json, from
 * the EKS release calendar), and the EKS-optimised AMI releases a node group runs.
 */
import table from "./data/eks-kubernetes-versions.json";

export interface SupportWindow {
    readonly released: string;
    readonly endOfStandardSupport: string;
    readonly endOfExtendedSupport: string;
}

export const EKS_VERSION_SOURCE: string = table.source;
export const KUBERNETES_SUPPORT: Readonly<Record<string, SupportWindow>> = table.versions;

/** The day as YYYY-MM-DD in UTC, the form the calendar's dates take. */
export function utcDay(at: Date): string {
    return at.toISOString().slice(0, 10);
}

/**
 * Why a cluster on this version would not stay as the stack file says, or undefined: EKS upgrades
 * a control plane whose version leaves standard support (STANDARD) or extended support (EXTENDED)
 * on its own, and a stack file still naming the old version would then try to downgrade it.
 */
export function supportWindowProblem(version: string, supportType: "STANDARD" | "EXTENDED", today: Date): string | undefined {
    const window = KUBERNETES_SUPPORT[version];
    if (!window) return `a version whose support window lib/data/eks-kubernetes-versions.json lists (${Object.keys(KUBERNETES_SUPPORT).join(", ")}); add a new version's dates from the EKS release calendar`;
    const day = utcDay(today);
    const [end, what] = supportType === "STANDARD" ? [window.endOfStandardSupport, "standard"] : [window.endOfExtendedSupport, "extended"];
    if (day < end) return undefined;
    return `a version still in ${what} support on ${day} (${version}'s ended ${end}, and EKS has upgraded the control plane to the next version on its own): ` +
        "set the version the cluster runs now (aws eks describe-cluster --query cluster.version), then upgrade on purpose (README, \"A Kubernetes minor upgrade\")";
}

/** The public SSM parameter with the recommended EKS-optimised AL2023 release for a Kubernetes version and architecture. */
export function nodeReleaseParameter(kubernetesVersion: string, architecture: "amd64" | "arm64"): string {
    return `/aws/service/eks/optimized-ami/${kubernetesVersion}/amazon-linux-2023/${architecture === "amd64" ? "x86_64" : "arm64"}/standard/recommended/release_version`;
}

/** An EKS-optimised AMI release version such as 1.35.5-20261118: the Kubernetes patch version and the build date. */
export const NODE_RELEASE_VERSION = /^(1\.\d+)\.\d+-\d{8}$/;

/** The Kubernetes minor version an AMI release or an add-on build is for ("1.35.5-20261118" → "1.35", "v1.35.0-eksbuild.2" → "1.35"). */
export function minorOf(release: string): string | undefined {
    return /^v?(1\.\d+)\./.exec(release)?.[1];
}
