/**
 * What a stack declares about the ALBs the AWS Load Balancer Controller will create: Pulumi never
 * sees the load balancers themselves, so the rules judge their IngressClassParams (the group-wide
 * settings: scheme, listeners' certificate and TLS policy, web ACL, attributes) and the ALB
 * Ingresses the stack declares, as Ingress resources or through a chart's ingress values.
 */
import { StackResource } from "./policy";
import { T } from "./resource-types";
import { ofType } from "./stack";
import { at, isUnknown, readList, readRecord, readString, UNKNOWN, unwrapProxy } from "./values";

/** The annotation prefix of the AWS Load Balancer Controller. */
export const ALB_ANNOTATION = "alb.ingress.kubernetes.io/";

export function ingressClassParams(resources: readonly StackResource[]): StackResource[] {
    return ofType(resources, T.ingressClassParams);
}

/** The params' name, for messages. */
export function paramsName(params: StackResource): string {
    const name = readString(at(params.props, "metadata", "name"));
    return typeof name === "string" ? name : params.name;
}

/** A load balancer attribute's value ("access_logs.s3.enabled"), UNKNOWN while the list is not known. */
export function attribute(params: StackResource, key: string): string | typeof UNKNOWN | undefined {
    const list = readList(at(params.props, "spec", "loadBalancerAttributes"));
    if (list === UNKNOWN) return UNKNOWN;
    for (const entry of list ?? []) {
        const record = readRecord(entry);
        if (record === UNKNOWN) return UNKNOWN;
        if (record?.key === key) {
            const value = readString(record.value);
            return value === UNKNOWN ? UNKNOWN : value;
        }
    }
    return undefined;
}

/** An ALB Ingress the stack declares: where, and its annotations. */
export interface AlbIngress {
    readonly resource: StackResource;
    /** "Ingress <ns>/<name>", or "<release> values <path>". */
    readonly where: string;
    readonly annotations: Readonly<Record<string, unknown>>;
}

/** Every annotation set under `annotations` keys of a values tree that carries the controller's annotations. */
function annotationSets(tree: unknown, path: string[] = []): { path: string; annotations: Record<string, unknown> }[] {
    const value = unwrapProxy(tree);
    if (value === null || typeof value !== "object" || isUnknown(value)) return [];
    if (Array.isArray(value)) return value.flatMap((item, i) => annotationSets(item, [...path, String(i)]));
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
        const record = key === "annotations" ? readRecord(child) : undefined;
        if (record && record !== UNKNOWN && Object.keys(record).some((k) => k.startsWith(ALB_ANNOTATION))) return [{ path: [...path, key].join("."), annotations: { ...record } }];
        return annotationSets(child, [...path, key]);
    });
}

/** The ALB Ingresses of the stack: Ingress resources with the controller's annotations, and those charts' values declare. */
export function albIngresses(resources: readonly StackResource[]): AlbIngress[] {
    const direct = ofType(resources, T.ingress).flatMap((r) => {
        const annotations = readRecord(at(r.props, "metadata", "annotations"));
        if (!annotations || annotations === UNKNOWN || !Object.keys(annotations).some((k) => k.startsWith(ALB_ANNOTATION))) return [];
        return [{ resource: r, where: `Ingress ${r.name}`, annotations: { ...annotations } }];
    });
    const fromCharts = ofType(resources, T.helmRelease).flatMap((r) => annotationSets(at(r.props, "values")).map((set) => ({ resource: r, where: `${r.name} values ${set.path}`, annotations: set.annotations })));
    return [...direct, ...fromCharts];
}
