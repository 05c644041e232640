/**
 * The operators' front door: one Application Load Balancer for Grafana, Kiali, Headlamp and Kubecost,
 * which the AWS Load Balancer Controller creates from the UIs' Ingresses. Pure: the program declares
 * what these return, the planner prices and lists it, the policy pack's rules read the same shapes.
 */
import { sortedJson } from "./json";
import published from "./data/alb-controller-iam-policy.json";

/** The IngressClass (and its IngressClassParams) every UI's Ingress names: the one ALB's settings live there. */
export const UI_INGRESS_CLASS = "platform-ui";
/** The controller's name for an IngressClass it implements. */
export const ALB_CONTROLLER_NAME = "ingress.k8s.aws/alb";
/**
 * The listeners' TLS policy: TLS 1.3 and 1.2 with forward-secret AES-GCM ciphers only, AWS's
 * recommended policy for ALBs (Security Hub ELB.17 names it as one of the strong ones).
 */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** The tag the controller puts on everything it creates, with the cluster's name as its value. */
export const CONTROLLER_CLUSTER_TAG = "elbv2.k8s.aws/cluster";
/** The UIs behind the ALB, in the order the README lists them. */
export const UI_NAMES = ["grafana", "kiali", "headlamp", "kubecost"] as const;
export type UiName = (typeof UI_NAMES)[number];

/** The published policy's provenance (lib/data/alb-controller-iam-policy.json). */
export const ALB_CONTROLLER_POLICY_SOURCE = published.source;

type Condition = Record<string, Record<string, string | string[]>>;
interface Statement { readonly Effect: string; readonly Action: string | string[]; readonly Resource: string | string[]; readonly Condition?: Condition }

/**
 * The controller's IAM policy: the one its maintainers publish for the pinned release, with each
 * tag condition narrowed from "carries the controller's cluster tag" (any cluster's controller in
 * the account) to "carries it with this cluster's name" (AC-6). The controller writes its cluster's
 * name into that tag on everything it creates, so it loses nothing it owns; a second cluster's
 * controller in the same account can no longer change this cluster's load balancers, nor this one
 * theirs. Describe calls stay account-wide, as the APIs cannot be scoped further.
 */
export function albControllerPolicy(clusterName: string): string {
    const statements = (published.policy.Statement as Statement[]).map((statement) => {
        if (!statement.Condition) return statement;
        const narrowed: Condition = Object.fromEntries(Object.entries(statement.Condition).map(([op, keys]) => [op, { ...keys }]));
        for (const [key, value] of Object.entries(statement.Condition.Null ?? {})) {
            if (key.endsWith(`/${CONTROLLER_CLUSTER_TAG}`) && value === "false") narrowed.StringEquals = { ...narrowed.StringEquals, [key]: clusterName };
        }
        return { ...statement, Condition: narrowed };
    });
    return sortedJson({ Version: published.policy.Version, Statement: statements });
}

/** Where and how the one ALB listens: its IngressClassParams (the controller applies these to every Ingress of the class). */
export interface LoadBalancerSettings {
    /** internal (private subnets) or internet-facing (public subnets). */
    readonly scheme: "internal" | "internet-facing";
    /** The IngressGroup: all four UIs share one ALB. */
    readonly group: string;
    /** The subnets the ALB goes in, by their tier tag and the cluster tag (components/network subnetTags). */
    readonly subnetTags: Readonly<Record<string, string[]>>;
    /** Source ranges its security group admits. */
    readonly inboundCidrs: readonly string[];
    readonly certificateArn: string;
    /** The WAFv2 web ACL, where one fronts it. */
    readonly webAclArn?: string;
    /** The access-log bucket and the prefix under it. */
    readonly accessLogs: { readonly bucket: string; readonly prefix: string };
    /** The namespaces whose Ingresses may use the class (the UIs'). */
    readonly namespaces: readonly string[];
    /** Refuse deletion through the API (prod): the controller removes it by removing the Ingresses. */
    readonly deletionProtection: boolean;
    readonly tags: Readonly<Record<string, string>>;
}

/** The IngressClassParams spec (elbv2.k8s.aws/v1beta1) for the settings. */
export function ingressClassParamsSpec(s: LoadBalancerSettings): Record<string, unknown> {
    return {
        group: { name: s.group },
        scheme: s.scheme,
        targetType: "ip",
        ipAddressType: "ipv4",
        subnets: { tags: s.subnetTags },
        inboundCIDRs: [...s.inboundCidrs],
        certificateArn: [s.certificateArn],
        sslPolicy: ALB_TLS_POLICY,
        sslRedirectPort: "443",
        ...(s.webAclArn ? { wafv2AclArn: s.webAclArn } : {}),
        namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...s.namespaces].sort() }] },
        loadBalancerAttributes: [
            { key: "access_logs.s3.enabled", value: "true" },
            { key: "access_logs.s3.bucket", value: s.accessLogs.bucket },
            { key: "access_logs.s3.prefix", value: s.accessLogs.prefix },
            // Requests with malformed header names are dropped, not passed to the UIs (Security Hub ELB.4).
            { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
            { key: "routing.http.desync_mitigation_mode", value: "strictest" },
            { key: "deletion_protection.enabled", value: String(s.deletionProtection) },
        ],
        tags: Object.entries(s.tags).map(([key, value]) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key)),
    };
}

/** Sign-in at the ALB before any request reaches a UI: an OIDC identity provider, or a Cognito user pool. */
export type AlbSignIn =
    | { readonly type: "oidc"; readonly issuer: string; readonly authorizationEndpoint: string; readonly tokenEndpoint: string; readonly userInfoEndpoint: string; readonly secretName: string }
    | { readonly type: "cognito"; readonly userPoolArn: string; readonly userPoolClientId: string; readonly userPoolDomain: string };

/**
 * The annotations every UI's Ingress carries: HTTP and HTTPS listeners (HTTP only redirects, by
 * the class's sslRedirectPort), health checks that accept a UI's redirect to its login page, and
 * sign-in where the stack has it. Group-wide settings are the IngressClassParams', not these.
 */
export function uiIngressAnnotations(healthCheckPath: string, signIn?: AlbSignIn): Record<string, string> {
    const auth: Record<string, string> = !signIn ? {} : {
        "alb.ingress.kubernetes.io/auth-type": signIn.type,
        "alb.ingress.kubernetes.io/auth-scope": "openid email profile",
        "alb.ingress.kubernetes.io/auth-on-unauthenticated-request": "authenticate",
        "alb.ingress.kubernetes.io/auth-session-timeout": "28800",
        ...(signIn.type === "oidc"
            ? { "alb.ingress.kubernetes.io/auth-idp-oidc": JSON.stringify({ issuer: signIn.issuer, authorizationEndpoint: signIn.authorizationEndpoint, tokenEndpoint: signIn.tokenEndpoint, userInfoEndpoint: signIn.userInfoEndpoint, secretName: signIn.secretName }) }
            : { "alb.ingress.kubernetes.io/auth-idp-cognito": JSON.stringify({ userPoolARN: signIn.userPoolArn, userPoolClientID: signIn.userPoolClientId, userPoolDomain: signIn.userPoolDomain }) }),
    };
    return {
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
        "alb.ingress.kubernetes.io/healthcheck-path": healthCheckPath,
        "alb.ingress.kubernetes.io/success-codes": "200-399",
        ...auth,
    };
}

/** The identity provider's groups for each role in the UIs, and the claim that lists a user's groups. */
export interface RoleGroups {
    readonly groupsClaim: string;
    readonly viewer: readonly string[];
    readonly editor: readonly string[];
    readonly admin: readonly string[];
}

/** A JMESPath string literal. */
const literal = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/**
 * Grafana's role_attribute_path: Admin, Editor or Viewer by the first role whose groups the user's
 * claim lists (the claim quoted, as "cognito:groups" must be), else null, which
 * role_attribute_strict turns into a refused sign-in: a user in none of the groups gets no role.
 */
export function grafanaRoleExpression(roles: RoleGroups): string {
    const claim = `"${roles.groupsClaim.replace(/"/g, '\\"')}"`;
    const clauses = ([["admin", "Admin"], ["editor", "Editor"], ["viewer", "Viewer"]] as const)
        .filter(([role]) => roles[role].length > 0)
        .map(([role, grafanaRole]) => `(${roles[role].map((group) => `contains(${claim}[*], ${literal(group)})`).join(" || ")}) && '${grafanaRole}'`);
    return clauses.length === 0 ? "null" : clauses.join(" || ");
}

/** Grafana's generic OAuth sign-in with the ALB's identity provider. */
export interface GrafanaOAuth {
    /** The button's label on Grafana's login page. */
    readonly name: string;
    readonly clientId: string;
    readonly authUrl: string;
    readonly tokenUrl: string;
    readonly apiUrl: string;
    /** JMESPath from the provider's claims to Admin, Editor or Viewer (grafanaRoleExpression). */
    readonly roleAttributePath: string;
    /** The Secret and key Grafana reads the client's secret from. */
    readonly clientSecret: { readonly name: string; readonly key: string };
}

/** One UI's Ingress as its chart's values describe it: the class, its host and the annotations. */
export interface UiIngress {
    readonly className: string;
    readonly host: string;
    readonly annotations: Readonly<Record<string, string>>;
}
