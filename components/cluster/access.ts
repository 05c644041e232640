/**
 * Who may use the Kubernetes API (AC-2, AC-6): EKS access entries for the role that deploys (CI),
 * a break-glass admin role, and any further principals with a scoped access policy. The cluster
 * creator gets no implicit admin entry, so whichever of them creates the cluster, none is locked out.
 *
 * EKS keys an access entry by its principal and an association by principal and policy, so our
 * resources are named the same way: adding, removing or reordering a principal in the config
 * touches that principal's resources only.
 */
import { createHash } from "crypto";
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
    /** Names the principal's access entry: {@link principalResourceKey} of its ARN. */
    readonly key: string;
    /** Names the association: the principal's key and the policy. */
    readonly associationKey: string;
    /**
     * Where the config held the principal before resources were keyed by principal (deploy,
     * break-glass, entry-<n>): the name a stack deployed by earlier code recorded, as an alias.
     */
    readonly formerKey: string;
    readonly principalArn: string;
    readonly policy: AccessPolicyName;
    readonly policyArn: string;
    readonly accessScope: { readonly type: "cluster" } | { readonly type: "namespace"; readonly namespaces: string[] };
}

/**
 * A resource-name key for a principal: readable (account, role or user, name) and unique (a hash
 * of the whole ARN, so that paths and characters the readable part folds together still differ).
 * IAM names are case-insensitive, so the key is too: a case-only edit keeps the resource.
 */
export function principalResourceKey(principalArn: string): string {
    const arn = principalArn.toLowerCase();
    const parsed = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(arn);
    const readable = parsed ? `${parsed[1]}-${parsed[2]}-${parsed[3]}` : "principal";
    const slug = readable.replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
    return `${slug}-${createHash("sha256").update(arn).digest("hex").slice(0, 8)}`;
}

/** Every access entry with its one access policy: the deploy and break-glass roles as cluster admins, then the configured entries. */
export function accessGrants(access: AccessConfig, partition: string): AccessGrant[] {
    const policyArn = (policy: AccessPolicyName) => `arn:${partition}:eks::aws:cluster-access-policy/${ACCESS_POLICIES[policy]}`;
    const grant = (formerKey: string, principalArn: string, policy: AccessPolicyName, namespaces: readonly string[]): AccessGrant => {
        const key = principalResourceKey(principalArn);
        return {
            key, associationKey: `${key}-${policy}`, formerKey, principalArn, policy, policyArn: policyArn(policy),
            accessScope: namespaces.length > 0 ? { type: "namespace", namespaces: [...namespaces] } : { type: "cluster" },
        };
    };
    return [
        grant("deploy", access.deployRoleArn, "cluster-admin", []),
        grant("break-glass", access.breakGlassRoleArn, "cluster-admin", []),
        ...access.entries.map((entry, i) => grant(`entry-${i}`, entry.principalArn, entry.policy, entry.namespaces)),
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
