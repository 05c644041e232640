/**
 * The Trivy operator (SI-2, RA-5, CM-8): continuous scanning of the cluster's images, configs,
 * RBAC, secrets and nodes, with reports as custom resources and metrics for Prometheus.
 */
import * as pulumi from "@pulumi/pulumi";
import { SecurityConfig } from "../../config/schema";
import { durationToGoHours } from "../../lib/duration";
import { eksAddonRegistryAccount } from "../../lib/eks-registries";
import { sortedJson } from "../../lib/json";
import { KubernetesContext } from "../cluster/context";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { podResourcesOf, restrictedPod } from "../helm/values";
import { ROLE_ARN_ANNOTATION } from "../../lib/irsa";

export const TRIVY_NAMESPACE = "trivy-system";
/**
 * The operator's service account, pinned so that the IRSA trust policy can name it. The operator
 * runs its scan jobs as this account too, which is how they get registry credentials.
 */
export const TRIVY_SERVICE_ACCOUNT = "trivy-operator";

/** The user the operator image runs as. */
const TRIVY_UID = 10000;

export type TrivyScanner = SecurityConfig["trivy"]["scanners"][number];

/** Each scanner in the stack config and the chart's switch for it. */
export const TRIVY_SCANNER_KEYS: Readonly<Record<TrivyScanner, string>> = {
    vulnerability: "vulnerabilityScannerEnabled",
    configAudit: "configAuditScannerEnabled",
    rbacAssessment: "rbacAssessmentScannerEnabled",
    exposedSecrets: "exposedSecretScannerEnabled",
    infraAssessment: "infraAssessmentScannerEnabled",
};

export interface TrivyRegistryScope {
    readonly region: string;
    readonly partition: string;
}

/**
 * What the scan jobs may pull (AC-6): the images of the EKS managed add-ons (VPC CNI, kube-proxy,
 * CoreDNS, the EBS CSI driver, the Pod Identity agent), which EKS serves from an AWS-owned private
 * ECR registry in the cluster's region; without credentials their scans fail and kube-system's
 * add-ons get no vulnerability report. Read-only, and only that registry's repositories; an ECR
 * authorization token cannot be scoped to a registry, and pulling still needs the repository grant.
 */
export function trivyRegistryPolicy(scope: TrivyRegistryScope): string {
    const account = eksAddonRegistryAccount(scope.region);
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            { Sid: "RegistryToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            {
                Sid: "PullEksAddOnImages",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: [`arn:${scope.partition}:ecr:${scope.region}:${account}:repository/*`],
            },
        ],
    });
}

/**
 * The chart values: every scanner switch set explicitly (the chart turns them all on by default,
 * so a scanner left out of the config must be turned off), a ServiceMonitor, sizes, and the
 * service account's IRSA role, through which the scan jobs pull the EKS add-ons' images.
 */
export function trivyValues(config: SecurityConfig["trivy"], roleArn: string): Record<string, unknown> {
    const switches = Object.fromEntries(Object.entries(TRIVY_SCANNER_KEYS).map(([scanner, key]) => [key, config.scanners.includes(scanner as TrivyScanner)]));
    return {
        operator: {
            ...switches,
            replicas: config.operatorReplicas,
            // Reports older than this are deleted, and the operator scans again.
            scannerReportTTL: durationToGoHours(config.reportTtl),
            // Bounds the scan jobs running at once, so a rollout of many images cannot fill the nodes.
            scanJobsConcurrentLimit: config.concurrentScans,
        },
        serviceMonitor: { enabled: true },
        serviceAccount: { create: true, name: TRIVY_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: roleArn } },
        resources: podResourcesOf(config.resources.operator),
        trivy: { resources: podResourcesOf(config.resources.scanJob) },
        // The operator and its scan jobs run restricted, as the operator image's user (10000).
        podSecurityContext: restrictedPod(TRIVY_UID),
        trivyOperator: { scanJobPodTemplatePodSecurityContext: restrictedPod(TRIVY_UID) },
    };
}

export interface TrivyArgs {
    /** The scanners to run and the sizes of the operator and its scan jobs, from the stack config. */
    readonly config: SecurityConfig["trivy"];
    /** What installs the ServiceMonitor CRD (kube-prometheus-stack); the release waits for it. */
    readonly monitoringCrds: pulumi.Resource[];
}

/** Installs the operator in its own namespace, which stays out of the mesh (see MESH_MEMBERSHIP). */
export function installTrivy(name: string, args: TrivyArgs, ctx: KubernetesContext, parent: pulumi.Resource): HelmChart {
    const namespace = createNamespace(TRIVY_NAMESPACE, ctx, parent);
    return installHelmChart(name, {
        source: CHARTS.trivyOperator,
        namespace,
        irsa: { serviceAccount: TRIVY_SERVICE_ACCOUNT, policy: trivyRegistryPolicy({ region: ctx.region, partition: ctx.partition }) },
        values: ({ irsaRoleArn }) => trivyValues(args.config, irsaRoleArn!),
        dependsOn: args.monitoringCrds,
    }, ctx, parent);
}
