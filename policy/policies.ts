/**
 * Every rule of the pack. index.ts hands them to the PolicyPack; tests and the offline evaluator
 * import them from here, which loads no policy SDK runtime and starts no server.
 */
import type { EnforcementLevel } from "@pulumi/policy";
import packageJson from "./package.json";
import { NistPolicy } from "./lib/policy";
import { ampWorkspaceLogging } from "./rules/amp/amp-workspace-logging";
import { logRetention } from "./rules/cloudwatch/log-retention";
import { managedGrafana } from "./rules/grafana/managed-grafana";
import { ebsKmsEncryption } from "./rules/ebs/ebs-kms-encryption";
import { albAccessLogs } from "./rules/elb/alb-access-logs";
import { albInternetProtected } from "./rules/elb/alb-internet-protected";
import { albListenerTls } from "./rules/elb/alb-listener-tls";
import { defaultSgClosed } from "./rules/ec2/default-sg-closed";
import { imdsv2Required } from "./rules/ec2/imdsv2-required";
import { multiAzHa } from "./rules/ec2/multi-az-ha";
import { networkAcls } from "./rules/ec2/network-acls";
import { noPublicIp } from "./rules/ec2/no-public-ip";
import { sgNoOpenIngress } from "./rules/ec2/sg-no-open-ingress";
import { vpcFlowLogs } from "./rules/ec2/vpc-flow-logs";
import { eksControlPlaneLogging } from "./rules/eks/eks-control-plane-logging";
import { eksNoPublicEndpoint } from "./rules/eks/eks-no-public-endpoint";
import { eksSecretsEncryption } from "./rules/eks/eks-secrets-encryption";
import { eksNodeRemoteAccess } from "./rules/eks/eks-node-remote-access";
import { eksSupportedVersion } from "./rules/eks/eks-supported-version";
import { encryptionAtRest } from "./rules/encryption/encryption-at-rest";
import { iamLeastPrivilege } from "./rules/iam/iam-least-privilege";
import { kmsKeyRotation } from "./rules/kms/kms-key-rotation";
import { backupSchedules } from "./rules/kubernetes/backup-schedules";
import { helmNoPlaintextSecrets } from "./rules/kubernetes/helm-no-plaintext-secrets";
import { inClusterEncryption } from "./rules/kubernetes/in-cluster-encryption";
import { istioMtlsStrict } from "./rules/kubernetes/istio-mtls-strict";
import { meshDefaultDeny } from "./rules/kubernetes/mesh-default-deny";
import { kafkaAuthentication } from "./rules/kubernetes/kafka-authentication";
import { namespaceDefaultDeny } from "./rules/kubernetes/namespace-default-deny";
import { namespacePodSecurity } from "./rules/kubernetes/namespace-pod-security";
import { observabilityRetention } from "./rules/kubernetes/observability-retention";
import { podSecurityStandards } from "./rules/kubernetes/pod-security-standards";
import { rdsDatabase } from "./rules/rds/rds-database";
import { rdsBackupPlan } from "./rules/rds/rds-backup-plan";
import { rdsHardening } from "./rules/rds/rds-hardening";
import { s3KmsEncryption } from "./rules/s3/s3-kms-encryption";
import { s3PublicAccessBlock } from "./rules/s3/s3-public-access-block";
import { s3TlsOnly } from "./rules/s3/s3-tls-only";
import { s3AccessLogging } from "./rules/s3/s3-access-logging";
import { s3Lifecycle } from "./rules/s3/s3-lifecycle";
import { s3NoAcls } from "./rules/s3/s3-no-acls";
import { s3PolicyAdminActions } from "./rules/s3/s3-policy-admin-actions";
import { s3Versioning } from "./rules/s3/s3-versioning";
import { ssmDocumentsPrivate } from "./rules/ssm/ssm-documents-private";
import { ssmManagedInstances } from "./rules/ssm/ssm-managed-instances";
import { requiredTags } from "./rules/tags/required-tags";

/** The pack's name and version as published: package.json's, which the SDK reads as the version too. */
export const PACK_NAME: string = packageJson.name;
export const PACK_VERSION: string = packageJson.version;

/** The level of a policy that sets none; every policy here sets its own (its dev level). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

export const allPolicies: NistPolicy[] = [
    requiredTags,
    s3KmsEncryption,
    ebsKmsEncryption,
    encryptionAtRest,
    eksNoPublicEndpoint,
    eksSecretsEncryption,
    eksControlPlaneLogging,
    eksSupportedVersion,
    eksNodeRemoteAccess,
    kmsKeyRotation,
    imdsv2Required,
    noPublicIp,
    s3PublicAccessBlock,
    s3TlsOnly,
    s3Versioning,
    s3Lifecycle,
    s3AccessLogging,
    s3NoAcls,
    s3PolicyAdminActions,
    vpcFlowLogs,
    defaultSgClosed,
    networkAcls,
    sgNoOpenIngress,
    logRetention,
    iamLeastPrivilege,
    istioMtlsStrict,
    backupSchedules,
    multiAzHa,
    observabilityRetention,
    helmNoPlaintextSecrets,
    rdsDatabase,
    rdsHardening,
    rdsBackupPlan,
    ssmManagedInstances,
    ssmDocumentsPrivate,
    inClusterEncryption,
    meshDefaultDeny,
    kafkaAuthentication,
    namespaceDefaultDeny,
    namespacePodSecurity,
    albListenerTls,
    albInternetProtected,
    albAccessLogs,
    podSecurityStandards,
    ampWorkspaceLogging,
    managedGrafana,
];
