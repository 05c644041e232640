import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import { BoundaryInputs, Boundaries, generateBoundaries, Monitor } from "../../lib/boundaries";
import { KubernetesContext } from "../cluster/context";
import { DeclaredResource, stackServices, stackWiring, stackWorkloads, WORKLOAD_TYPES } from "../helm/workloads";

const MONITOR_TYPES: Readonly<Record<string, Monitor["kind"]>> = {
    "kubernetes:monitoring.coreos.com/v1:ServiceMonitor": "ServiceMonitor",
    "kubernetes:monitoring.coreos.com/v1:PodMonitor": "PodMonitor",
};

/** What the boundaries are drawn from, read from the declared (or engine-recorded) resources and their renders. */
export function boundaryInputs(resources: readonly DeclaredResource[], network: { vpcCidr: string }, databases: BoundaryInputs["databases"]): BoundaryInputs {
    const { workloads, renders } = stackWorkloads(resources);
    const manifests = [...renders.values()].flatMap(({ request, rendered }) => rendered.manifests.map((m) => ({ m, namespace: m.metadata.namespace ?? request.namespace })));
    const monitors: Monitor[] = [
        ...manifests.filter(({ m }) => m.kind === "ServiceMonitor" || m.kind === "PodMonitor").map(({ m, namespace }) => ({ kind: m.kind as Monitor["kind"], namespace, name: m.metadata.name, spec: m.spec ?? {} })),
        ...resources.filter((r) => MONITOR_TYPES[r.type]).map((r) => ({ kind: MONITOR_TYPES[r.type], namespace: String(r.inputs.metadata.namespace), name: String(r.inputs.metadata.name), spec: r.inputs.spec ?? {} })),
    ];
    const webhooks = manifests.filter(({ m }) => m.kind === "ValidatingWebhookConfiguration" || m.kind === "MutatingWebhookConfiguration")
        .flatMap(({ m }) => (m.webhooks ?? []).map((h: any) => h.clientConfig?.service).filter(Boolean).map((s: any) => ({ namespace: String(s.namespace), name: String(s.name), port: Number(s.port ?? 443) })));
    return {
        namespaces: resources.filter((r) => r.type === WORKLOAD_TYPES.namespace).map((r) => ({ name: String(r.inputs.metadata.name), labels: r.inputs.metadata.labels ?? {} })),
        workloads,
        services: stackServices(resources),
        wiring: stackWiring(resources),
        monitors,
        webhooks,
        kafkaClusters: resources.filter((r) => r.type === WORKLOAD_TYPES.kafka).map((r) => ({ namespace: String(r.inputs.metadata.namespace), name: String(r.inputs.metadata.name) })),
        vpcCidr: network.vpcCidr,
        databases,
    };
}

export interface BoundaryArgs {
    /** The VPC's primary range (network.vpcCidr). */
    readonly vpcCidr: string;
    /** Databases in the VPC, each with the one release whose pods may reach it. */
    readonly databases: BoundaryInputs["databases"];
}

/**
 * Declares the generated NetworkPolicies (lib/boundaries.ts) once every workload is declared: each
 * namespace's policies wait for the namespace and go in beside its releases. The VPC CNI's
 * network-policy agent (components/cluster/addons.ts) enforces them.
 */
export function declareBoundaries(name: string, args: BoundaryArgs, ctx: KubernetesContext, parent: pulumi.Resource): Boundaries {
    const boundaries = generateBoundaries(boundaryInputs(ctx.declaredWorkloads, { vpcCidr: args.vpcCidr }, args.databases));
    for (const policy of boundaries.policies) {
        const namespace = ctx.namespaces.get(policy.metadata.namespace);
        new networkingv1.NetworkPolicy(`${name}-${policy.metadata.namespace}-${policy.metadata.name}`, {
            metadata: { name: policy.metadata.name, namespace: policy.metadata.namespace },
            spec: policy.spec as networkingv1.NetworkPolicyArgs["spec"],
        }, { parent, provider: ctx.kubernetesProvider, dependsOn: namespace ? [namespace] : ctx.ready });
    }
    return boundaries;
}
