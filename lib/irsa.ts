/**
 * IRSA (IAM roles for service accounts): the EKS pod identity webhook gives every container of a
 * pod whose service account names a role (ROLE_ARN_ANNOTATION) that role's credentials, through a
 * web identity token it mounts and AWS_ROLE_ARN. A chart runs all its components as one service
 * account, so its caches, gateways and sidecars would hold credentials for the buckets its storage
 * components use. SKIP_CONTAINERS_ANNOTATION on a pod names the containers the webhook leaves
 * alone: no token mount, no role (aws/amazon-eks-pod-identity-webhook, pkg/annotations.go and
 * pkg/handler/handler.go, under its default annotation domain).
 */

/** The service account annotation naming the role its pods' containers assume. */
export const ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";

/** The pod annotation naming the containers (init containers included) the webhook gives no credentials. */
export const SKIP_CONTAINERS_ANNOTATION = "eks.amazonaws.com/skip-containers";

/** Pod annotations that keep AWS credentials from `containers`, which never call AWS. */
export function withoutAwsCredentials(containers: readonly string[]): Record<string, string> {
    return { [SKIP_CONTAINERS_ANNOTATION]: [...containers].sort().join(",") };
}

/**
 * The containers of a pod that get the role's credentials, given its annotations: every container
 * and init container, less those SKIP_CONTAINERS_ANNOTATION names (one CSV record, as the webhook
 * reads it: names are not trimmed).
 */
export function credentialedContainers(podSpec: { containers?: { name: string }[]; initContainers?: { name: string }[] }, annotations: Record<string, string> = {}): string[] {
    const skipped = new Set((annotations[SKIP_CONTAINERS_ANNOTATION] ?? "").split(","));
    return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])].map((c) => c.name).filter((name) => !skipped.has(name));
}
