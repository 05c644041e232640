import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys } from "../../lib/json";
import { KubernetesContext } from "../cluster/context";
import { createIrsaRole } from "../cluster/irsa";
import { ChartSource } from "./catalog";

export interface HelmChartArgs {
    /** The pinned chart from the catalog. */
    readonly source: ChartSource;
    /** The namespace the release goes in: one the platform creates (the helper waits for it), or the name of one the cluster has from the start (kube-system). */
    readonly namespace: k8s.core.v1.Namespace | string;
    /**
     * The service account that gets an IRSA role, and the IAM policy document (JSON) the role
     * carries. The role's ARN is handed to `values` to annotate the service account.
     */
    readonly irsa?: { readonly serviceAccount: string; readonly policy: pulumi.Input<string> };
    /** The release values; receives the IRSA role ARN when `irsa` is set. */
    readonly values: (irsaRoleArn: pulumi.Output<string> | undefined) => pulumi.Input<Record<string, unknown>>;
    /** Other releases or objects that must exist first (CRDs, operators). */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export interface HelmChart {
    readonly release: k8s.helm.v3.Release;
    readonly irsaRole?: pulumi.Output<string>;
}

/**
 * Installs one pinned chart: the only place that creates a Helm release, so every add-on gets the
 * same namespace ordering, IRSA wiring, atomic upgrades and key-sorted values.
 */
export function installHelmChart(name: string, args: HelmChartArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = typeof args.namespace === "string" ? args.namespace : args.namespace.metadata.name;
    const namespaceDependency = typeof args.namespace === "string" ? [] : [args.namespace];
    const role = args.irsa
        ? createIrsaRole(`${name}-irsa`, {
            oidcProviderArn: ctx.oidcProviderArn,
            oidcIssuer: ctx.oidcIssuer,
            namespace,
            serviceAccount: args.irsa.serviceAccount,
            policy: args.irsa.policy,
        }, { parent, provider: ctx.awsProvider })
        : undefined;
    const release = new k8s.helm.v3.Release(name, {
        name,
        chart: args.source.chart,
        version: args.source.version,
        repositoryOpts: { repo: args.source.repo },
        namespace,
        values: pulumi.output(args.values(role?.arn)).apply((values) => sortKeys(values) as Record<string, unknown>),
        atomic: true,
        cleanupOnFail: true,
        timeout: 900,
        maxHistory: 10,
    }, { parent, provider: ctx.kubernetesProvider, dependsOn: [...namespaceDependency, ...ctx.ready, ...(args.dependsOn ?? [])] });
    return { release, irsaRole: role?.arn };
}

/** A namespace for platform workloads; `meshed` turns Istio sidecar injection on. */
export function createNamespace(name: string, meshed: boolean, ctx: KubernetesContext, parent: pulumi.Resource): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(name, {
        metadata: { name, labels: meshed ? { "istio-injection": "enabled" } : {} },
    }, { parent, provider: ctx.kubernetesProvider, dependsOn: ctx.ready });
}
