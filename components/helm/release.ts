import * as corev1 from "@pulumi/kubernetes/core/v1";
// The Release class alone: the helm/v3 index also loads Chart, which loads every Kubernetes API group.
import * as helmv3 from "@pulumi/kubernetes/helm/v3/release";
import * as pulumi from "@pulumi/pulumi";
import { lockedChart, vendorPath } from "../../lib/helm/vendor";
import { sortKeys } from "../../lib/json";
import { KubernetesContext } from "../cluster/context";
import { meshLabels } from "../security/mesh";
import { createIrsaRole } from "../cluster/irsa";
import { podSecurityLabels, podSecurityOf } from "../security/pod-security";
import { ChartSource } from "./catalog";
import { WORKLOAD_TYPES } from "./workloads";

/** Resolved references (bucket names, ARNs) a values builder receives, plus the IRSA role's ARN. */
export type ValuesRefs<K extends string> = Readonly<Record<K, string>> & { readonly irsaRoleArn?: string };

export interface HelmChartArgs<K extends string = never> {
    /** The pinned chart from the catalog. */
    readonly source: ChartSource;
    /** The namespace the release goes in: one the platform creates (the helper waits for it), or the name of one the cluster has from the start (kube-system). */
    readonly namespace: corev1.Namespace | string;
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
    readonly release: helmv3.Release;
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
    const location = chartLocation(args.source);
    const release = new helmv3.Release(name, {
        name,
        ...location,
        version: args.source.version,
        namespace,
        values: pulumi.all({ ...(args.refs ?? {}), ...(role ? { irsaRoleArn: role.arn } : {}) } as Record<string, pulumi.Input<string>>)
            .apply((refs) => sortKeys(args.values(refs as ValuesRefs<K>)) as Record<string, unknown>),
        atomic: true,
        cleanupOnFail: true,
        timeout: 900,
        maxHistory: 10,
    }, { parent, provider: ctx.kubernetesProvider, dependsOn: [...namespaceDependency, ...ctx.ready, ...(args.dependsOn ?? [])] });
    const namespaceName = typeof args.namespace === "string" ? args.namespace : NAMESPACE_NAMES.get(args.namespace);
    if (namespaceName === undefined) throw new Error(`Release ${name}: its namespace was not made with createNamespace`);
    ctx.declaredWorkloads.push({
        type: WORKLOAD_TYPES.release,
        inputs: { name, namespace: namespaceName, chart: location.chart, version: args.source.version, values: sortKeys(args.values(placeholderRefs(args))) },
    });
    return { release, irsaRole: role?.arn };
}

/**
 * Stand-ins for references that exist only once resources are deployed. They are rendered too, so
 * they must survive a template that writes them unquoted into YAML: a plain token, no ": ".
 */
function placeholderRefs<K extends string>(args: HelmChartArgs<K>): ValuesRefs<K> {
    const keys = [...Object.keys(args.refs ?? {}), ...(args.irsa ? ["irsaRoleArn"] : [])];
    return Object.fromEntries(keys.map((key) => [key, `${key}-known-after-deploy`])) as ValuesRefs<K>;
}

/**
 * Where a release installs its chart from: the vendored folder, relative to the project root (the
 * working directory of `pulumi up`), so that what the tests render is exactly what is installed and
 * no chart repository is reached at install time. A pinned chart that is not vendored stops here.
 */
export function chartLocation(source: ChartSource): { chart: string } {
    if (!lockedChart(source.chart, source.version)) throw new Error(`Chart ${source.chart} ${source.version} is not vendored (charts/lock.json): run npm run charts:sync`);
    return { chart: `./${vendorPath(source.chart)}` };
}

/** The names of the namespaces createNamespace made, for the declared workloads. */
const NAMESPACE_NAMES = new WeakMap<corev1.Namespace, string>();

/**
 * A namespace for platform workloads: labelled into the mesh as MESH_MEMBERSHIP says where the stack
 * runs one, and with its Pod Security Admission level (components/security/pod-security.ts).
 */
export function createNamespace(name: string, ctx: KubernetesContext, parent: pulumi.Resource): corev1.Namespace {
    const labels: Record<string, string> = { ...meshLabels(name, ctx.mesh), ...podSecurityLabels(podSecurityOf(name)) };
    const metadata = { name, labels };
    const namespace = new corev1.Namespace(name, { metadata }, { parent, provider: ctx.kubernetesProvider, dependsOn: ctx.ready });
    NAMESPACE_NAMES.set(namespace, name);
    ctx.namespaces.set(name, namespace);
    // Admission injects sidecars, and istio-cni captures ambient pods, by these labels: the declared workloads carry them too.
    ctx.declaredWorkloads.push({ type: WORKLOAD_TYPES.namespace, inputs: { metadata } });
    return namespace;
}
