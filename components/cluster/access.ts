/**
 * Who may use the Kubernetes API (AC-2, AC-6): EKS access entries for the role that deploys (CI),
 * a break-glass admin role, and any further principals with a scoped access policy. The cluster
 * creator gets no implicit admin entry, so whichever of them creates the cluster, none is locked out.
 */
import { ConfigError } from "../../config/load";
import { ClusterConfig } from "../../config/schema";

export type AccessConfig = ClusterConfig["access"];
export type AccessPolicyName = AccessConfig["entries"][number]["policy"];

/** The EKS access policies by the names the config uses. */
const ACCESS_POLICIES: Record<AccessPolicyName, string> = {
    "cluster-admin": "AmazonEKSClusterAdminPolicy",
    admin: "AmazonEKSAdminPolicy",
    edit: "AmazonEKSEditPolicy",
    view: "AmazonEKSViewPolicy",
};

export interface AccessGrant {
    /** Names the access entry's resources: deploy, break-glass, or entry-<n>. */
    readonly key: string;
    readonly principalArn: string;
    readonly policyArn: string;
    readonly accessScope: { readonly type: "cluster" } | { readonly type: "namespace"; readonly namespaces: string[] };
}

/** Every access entry with its one access policy: the deploy and break-glass roles as cluster admins, then the configured entries. */
export function accessGrants(access: AccessConfig, partition: string): AccessGrant[] {
    const policyArn = (policy: AccessPolicyName) => `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[policy]}`;
    return [
        { key: "deploy", principalArn: access.deployRoleArn, policyArn: policyArn("cluster-admin"), accessScope: { type: "cluster" } },
        { key: "break-glass", principalArn: access.breakGlassRoleArn, policyArn: policyArn("cluster-admin"), accessScope: { type: "cluster" } },
        ...access.entries.map((entry, i): AccessGrant => ({
            key: `entry-${i}`,
            principalArn: entry.principalArn,
            policyArn: policyArn(entry.policy),
            accessScope: entry.namespaces.length > 0 ? { type: "namespace", namespaces: [...entry.namespaces] } : { type: "cluster" },
        })),
    ];
}

/**
 * The IAM principal behind a caller identity: an assumed-role session stands for its role (whose
 * path the session ARN drops, so roles compare by account and name), a user for itself.
 */
function principalKey(arn: string): string {
    const assumed = /^arn:[^:]+:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
    if (assumed) return `${assumed[1]}:role:${assumed[2]}`;
    const iam = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
    return iam ? `${iam[1]}:${iam[2]}:${iam[3]}` : arn;
}

/**
 * Stops the run before any resource when the identity running Pulumi has no access entry: it would
 * create the cluster and then fail to install anything in it (and nobody else could either).
 */
export function assertCallerHasAccess(callerArn: string, access: AccessConfig): void {
    const principals = [access.deployRoleArn, access.breakGlassRoleArn, ...access.entries.map((e) => e.principalArn)];
    if (principals.some((p) => principalKey(p) === principalKey(callerArn))) return;
    throw new ConfigError([
        `cluster.access: got no access entry for ${callerArn}, the identity running Pulumi; allowed: run as cluster.access.deployRoleArn (${access.deployRoleArn}) or cluster.access.breakGlassRoleArn, or list this principal in cluster.access.entries`,
    ]);
}
