/**
 * The Trivy operator (SI-2, RA-5, CM-8): continuous scanning of the cluster's images, configs,
 * RBAC, secrets and nodes, with reports as custom resources and metrics for Prometheus.
 */
import * as pulumi from "@pulumi/pulumi";
import { Profile, SecurityConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { PodResources, podResources } from "../helm/values";
import { isMeshed } from "./istio";

export const TRIVY_NAMESPACE = "trivy-system";

export type TrivyScanner = SecurityConfig["trivy"]["scanners"][number];

/** Each scanner in the stack config and the chart's switch for it. */
export const TRIVY_SCANNER_KEYS: Readonly<Record<TrivyScanner, string>> = {
    vulnerability: "vulnerabilityScannerEnabled",
    configAudit: "configAuditScannerEnabled",
    rbacAssessment: "rbacAssessmentScannerEnabled",
    exposedSecrets: "exposedSecretScannerEnabled",
    infraAssessment: "infraAssessmentScannerEnabled",
};

/** The operator, and each scan job it starts (image scans hold a layer in memory). */
const TRIVY_RESOURCES: Record<Profile, { readonly operator: PodResources; readonly scanJob: PodResources; readonly concurrentScans: number }> = {
    dev: { operator: podResources("50m", "128Mi", "256Mi"), scanJob: podResources("100m", "128Mi", "512Mi"), concurrentScans: 1 },
    prod: { operator: podResources("100m", "256Mi", "512Mi"), scanJob: podResources("100m", "256Mi", "1Gi"), concurrentScans: 3 },
};

/**
 * The chart values: every scanner switch set explicitly (the chart turns them all on by default,
 * so a scanner left out of the config must be turned off), a ServiceMonitor, and sizes.
 */
export function trivyValues(config: SecurityConfig["trivy"], profile: Profile): Record<string, unknown> {
    const sizes = TRIVY_RESOURCES[profile];
    const switches = Object.fromEntries(Object.entries(TRIVY_SCANNER_KEYS).map(([scanner, key]) => [key, config.scanners.includes(scanner as TrivyScanner)]));
    return {
        operator: {
            ...switches,
            replicas: 1,
            // Bounds the scan jobs running at once, so a rollout of many images cannot fill the nodes.
            scanJobsConcurrentLimit: sizes.concurrentScans,
        },
        serviceMonitor: { enabled: true },
        resources: sizes.operator,
        trivy: { resources: sizes.scanJob },
    };
}

export interface TrivyArgs {
    /** The scanners to run, from the stack config. */
    readonly config: SecurityConfig["trivy"];
    /** Which stack's resource sizes the operator and its scan jobs get. */
    readonly profile: Profile;
    /** What installs the ServiceMonitor CRD (kube-prometheus-stack); the release waits for it. */
    readonly monitoringCrds: pulumi.Resource[];
}

/** Installs the operator in its own namespace, which stays out of the mesh (see MESH_MEMBERSHIP). */
export function installTrivy(name: string, args: TrivyArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = createNamespace(TRIVY_NAMESPACE, isMeshed(TRIVY_NAMESPACE), ctx, parent);
    return installHelmChart(name, {
        source: CHARTS.trivyOperator,
        namespace,
        values: () => trivyValues(args.config, args.profile),
        dependsOn: args.monitoringCrds,
    }, ctx, parent);
}
