/**
 * The UIs' identity provider, trusted by the API server (IA-2, IA-8, AC-2, AC-6): the person who
 * signed in at the ALB is the same Kubernetes user inside Kiali and Headlamp, and the groups of
 * ui.roles are Kubernetes groups bound to what each role may do.
 */
import * as eks from "@pulumi/aws/eks";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";
import { UiConfig } from "../../config/schema";
import { KubernetesContext } from "./context";

/**
 * Put before every user and group name the identity provider asserts, so that no IdP user or group
 * can be, or collide with, a name Kubernetes or EKS gives meaning to (system:masters, system:nodes,
 * eks:*, kubernetes-admin).
 */
export const IDP_PREFIX = "oidc:";
/** The ID token claim Kubernetes takes a user's name from: the address the user signs in with, in Cognito (its usernameAttributes) and the usual OIDC providers alike. */
export const IDP_USERNAME_CLAIM = "email";
/** The IdP configuration's name in EKS. */
export const IDP_CONFIG_NAME = "ui-sign-in";

/** What the cluster trusts: the ALB's identity provider and the client whose ID tokens the UIs present. */
export interface IdentityProvider {
    /** The issuer URL, as the ID tokens' iss claim carries it. */
    readonly issuerUrl: pulumi.Input<string>;
    /** The client id: the API server accepts ID tokens whose aud claim it is. */
    readonly clientId: pulumi.Input<string>;
}

/** The IdP settings of the EKS IdentityProviderConfig, without its issuer and client. */
export function identityProviderClaims(roles: UiConfig["roles"]): { groupsClaim: string; groupsPrefix: string; usernameClaim: string; usernamePrefix: string } {
    return { groupsClaim: roles.groupsClaim, groupsPrefix: IDP_PREFIX, usernameClaim: IDP_USERNAME_CLAIM, usernamePrefix: IDP_PREFIX };
}

/**
 * Read-only, cluster-scoped, beside Kubernetes' view: what the UIs show that view leaves out (nodes,
 * volumes, storage and ingress classes, CRDs, the mesh's configuration). No Secrets, no writes.
 */
export const UI_READER_ROLE = "platform-ui-reader";
/**
 * The editor's actions in Headlamp on workloads that already run: scale, and restart by deleting or
 * evicting a pod. No create, no spec edits, no Secrets, no RBAC: changes to what runs go through
 * Pulumi and review (CM-3); Kiali runs view-only.
 */
export const UI_OPERATOR_ROLE = "platform-ui-operator";

const READ = ["get", "list", "watch"];

/** The platform's own ClusterRoles for the UIs' users. */
export function uiClusterRoles(): { name: string; rules: rbacv1.ClusterRoleArgs["rules"] }[] {
    return [
        {
            name: UI_READER_ROLE,
            rules: [
                { apiGroups: [""], resources: ["nodes", "persistentvolumes"], verbs: READ },
                { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: READ },
                { apiGroups: ["networking.k8s.io"], resources: ["ingressclasses"], verbs: READ },
                { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: READ },
                { apiGroups: ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io", "gateway.networking.k8s.io"], resources: ["*"], verbs: READ },
            ],
        },
        {
            name: UI_OPERATOR_ROLE,
            rules: [
                { apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale", "replicasets/scale"], verbs: ["get", "update", "patch"] },
                { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
                { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
            ],
        },
    ];
}

/** One binding of a role to the prefixed groups; namespace undefined for a ClusterRoleBinding. */
export interface UiBinding {
    readonly name: string;
    readonly namespace?: string;
    readonly clusterRole: string;
    readonly groups: readonly string[];
}

/**
 * Each role's bindings, to the groups as the API server sees them (prefixed). Every role reads
 * (Kubernetes' view, which has no Secrets, and the reader role); editor adds the operator role;
 * admin adds Kubernetes' admin in the UIs' namespaces, or cluster-admin where adminScope is cluster.
 * A role without groups binds nothing.
 */
export function uiBindings(roles: UiConfig["roles"], adminNamespaces: readonly string[]): UiBinding[] {
    const prefixed = (groups: readonly string[]) => groups.map((group) => `${IDP_PREFIX}${group}`);
    const readers = prefixed([...roles.viewer, ...roles.editor, ...roles.admin]);
    const editors = prefixed([...roles.editor, ...roles.admin]);
    const admins = prefixed(roles.admin);
    const bindings: UiBinding[] = [
        { name: "ui-viewers-view", clusterRole: "view", groups: readers },
        { name: "ui-viewers-reader", clusterRole: UI_READER_ROLE, groups: readers },
        { name: "ui-editors-operator", clusterRole: UI_OPERATOR_ROLE, groups: editors },
        ...(roles.adminScope === "cluster"
            ? [{ name: "ui-admins-cluster-admin", clusterRole: "cluster-admin", groups: admins }]
            : adminNamespaces.map((namespace) => ({ name: "ui-admins-admin", namespace, clusterRole: "admin", groups: admins }))),
    ];
    return bindings.filter((binding) => binding.groups.length > 0);
}

export interface TrustIdentityProviderArgs {
    readonly clusterName: pulumi.Input<string>;
    readonly provider: IdentityProvider;
    readonly roles: UiConfig["roles"];
    /** The namespaces of the UIs, where admin (adminScope namespaces) administers. */
    readonly adminNamespaces: readonly string[];
}

/** The EKS IdentityProviderConfig and the roles' RBAC. */
export function trustIdentityProvider(name: string, args: TrustIdentityProviderArgs, ctx: KubernetesContext, parent: pulumi.Resource): void {
    // Any change to the provider replaces the config (its oidc block forces it), and EKS takes one
    // OIDC provider per cluster: the old one goes first.
    new eks.IdentityProviderConfig(`${name}-idp`, {
        clusterName: args.clusterName,
        oidc: { identityProviderConfigName: IDP_CONFIG_NAME, issuerUrl: args.provider.issuerUrl, clientId: args.provider.clientId, ...identityProviderClaims(args.roles) },
    }, { parent, provider: ctx.awsProvider, deleteBeforeReplace: true });
    const k8s = { parent, provider: ctx.kubernetesProvider };
    const clusterRoles = new Map(uiClusterRoles().map((role) => [role.name, new rbacv1.ClusterRole(`${name}-${role.name}`, { metadata: { name: role.name }, rules: role.rules }, k8s)]));
    for (const binding of uiBindings(args.roles, args.adminNamespaces)) {
        const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: binding.clusterRole };
        const subjects = binding.groups.map((group) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: group }));
        const dependsOn = [clusterRoles.get(binding.clusterRole), binding.namespace === undefined ? undefined : ctx.namespaces.get(binding.namespace)].filter((r): r is pulumi.Resource => r !== undefined);
        if (binding.namespace === undefined) {
            new rbacv1.ClusterRoleBinding(`${name}-${binding.name}`, { metadata: { name: binding.name }, roleRef, subjects }, { ...k8s, dependsOn });
        } else {
            new rbacv1.RoleBinding(`${name}-${binding.name}-${binding.namespace}`, { metadata: { name: binding.name, namespace: binding.namespace }, roleRef, subjects }, { ...k8s, dependsOn });
        }
    }
}
