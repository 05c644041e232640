import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { sortKeys } from "../../lib/json";
import { KubernetesContext } from "../cluster/context";
import { createIrsaRole } from "../cluster/irsa";
import { ChartSource } from "./catalog";

/** Resolved references (bucket names, ARNs) a values builder receives, plus the IRSA role's ARN. */
export type ValuesRefs<K extends string> = Readonly<Record<K, string>> & { readonly irsaRoleArn?: string };

export interface HelmChartArgs<K extends string = never> {
    /** The pinned chart from the catalog. */
    readonly source: ChartSource;
    /** The namespace the release goes in: one the platform creates (the helper waits for it), or the name of one the cluster has from the start (kube-system). */
    readonly namespace: k8s.core.v1.Namespace | string;
    /**
     * The service account that gets an IRSA role, and the IAM policy document (JSON) the role
     * carries. The role's ARN reaches `values` as `refs.irsaRoleArn`.
     */
    readonly irsa?: { readonly serviceAccount: string; readonly policy: pulumi.Input<string> };
    /** Values that come from other resources (bucket names, key ARNs), resolved before `values` runs. */
    readonly refs?: Readonly<Record<K, pulumi.Input<string>>>;
    /**
     * Builds the release values from resolved references. It must be pure: it also runs with
     * placeholder references at declaration time, so that the capacity check sees every workload
     * before anything is deployed.
     */
    readonly values: (refs: ValuesRefs<K>) => Record<string, unknown>;
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
export function installHelmChart<K extends string = never>(name: string, args: HelmChartArgs<K>, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
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
        values: pulumi.all({ ...(args.refs ?? {}), ...(role ? { irsaRoleArn: role.arn } : {}) } as Record<string, pulumi.Input<string>>)
            .apply((refs) => sortKeys(args.values(refs as ValuesRefs<K>)) as Record<string, unknown>),
        atomic: true,
        cleanupOnFail: true,
        timeout: 900,
        maxHistory: 10,
    }, { parent, provider: ctx.kubernetesProvider, dependsOn: [...namespaceDependency, ...ctx.ready, ...(args.dependsOn ?? [])] });
    ctx.declaredWorkloads.push({ type: "kubernetes:helm.sh/v3:Release", inputs: { chart: args.source.chart, values: args.values(placeholderRefs(args)) } });
    return { release, irsaRole: role?.arn };
}

/** Stand-ins for references that exist only once resources are deployed. */
function placeholderRefs<K extends string>(args: HelmChartArgs<K>): ValuesRefs<K> {
    const keys = [...Object.keys(args.refs ?? {}), ...(args.irsa ? ["irsaRoleArn"] : [])];
    return Object.fromEntries(keys.map((key) => [key, `<${key}: known after deploy>`])) as ValuesRefs<K>;
}

/** A namespace for platform workloads; `meshed` turns Istio sidecar injection on. */
export function createNamespace(name: string, meshed: boolean, ctx: KubernetesContext, parent: pulumi.Resource): k8s.core.v1.Namespace {
    return new k8s.core.v1.Namespace(name, {
        metadata: { name, labels: meshed ? { "istio-injection": "enabled" } : {} },
    }, { parent, provider: ctx.kubernetesProvider, dependsOn: ctx.ready });
}
