/**
 * The load balancers the stack will have though Pulumi never declares them: the AWS Load Balancer
 * Controller creates one ALB per IngressGroup, from the IngressClassParams the stack declares and the
 * Ingresses its releases render. The plan lists each with its settings and the UIs behind it.
 */
import { PlannedResource } from "../engine/types";
import { ReleaseRequest, RenderedRelease } from "../lib/helm/render";
import { ingressRoutes } from "../lib/wiring";
import { ofType, TYPES } from "./resources";

/** One host behind a load balancer: the Ingress that routes it and the Service it sends to. */
export interface LoadBalancerRoute {
    readonly url: string;
    /** "<namespace>/<Ingress name>" */
    readonly ingress: string;
    /** "<namespace>/<Service>:<port>" */
    readonly backend: string;
    /** Sign-in at the load balancer: cognito, oidc, or none. */
    readonly signIn: string;
}

export interface PlannedLoadBalancer {
    /** The IngressGroup, which names the ALB. */
    readonly group: string;
    readonly ingressClass: string;
    readonly scheme: string;
    readonly createdBy: string;
    readonly tlsPolicy: string;
    readonly inboundCidrs: readonly string[];
    readonly webAcl: boolean;
    readonly accessLogs: boolean;
    readonly routes: readonly LoadBalancerRoute[];
}

/** Each ALB the controller will create, from the declared IngressClassParams and the rendered Ingresses of their classes. */
export function plannedLoadBalancers(resources: readonly PlannedResource[], renders: Iterable<{ readonly request: ReleaseRequest; readonly rendered: RenderedRelease }>): PlannedLoadBalancer[] {
    const ingresses = ingressRoutes(renders);
    const classes = ofType(resources, TYPES.ingressClass);
    return ofType(resources, TYPES.ingressClassParams).map((params) => {
        const spec = params.inputs.spec ?? {};
        const ingressClass = classes.find((c) => c.inputs.spec?.parameters?.name === params.inputs.metadata?.name)?.inputs.metadata?.name ?? String(params.inputs.metadata?.name);
        const attribute = (key: string) => (spec.loadBalancerAttributes ?? []).find((a: any) => a.key === key)?.value;
        const routes = ingresses.filter((route) => route.ingressClass === ingressClass).map((route): LoadBalancerRoute => ({
            url: `https://${route.host}${route.path === "/" ? "/" : route.path}`,
            ingress: `${route.namespace}/${route.ingress.metadata.name}`,
            backend: `${route.namespace}/${route.backend?.name}:${route.backend?.port?.number ?? route.backend?.port?.name}`,
            signIn: route.ingress.metadata.annotations?.["alb.ingress.kubernetes.io/auth-type"] ?? "none",
        })).sort((a, b) => a.url.localeCompare(b.url));
        return {
            group: String(spec.group?.name),
            ingressClass,
            scheme: String(spec.scheme),
            createdBy: "the AWS Load Balancer Controller, not Pulumi",
            tlsPolicy: String(spec.sslPolicy),
            inboundCidrs: spec.inboundCIDRs ?? [],
            webAcl: Boolean(spec.wafv2AclArn),
            accessLogs: attribute("access_logs.s3.enabled") === "true",
            routes,
        };
    });
}
