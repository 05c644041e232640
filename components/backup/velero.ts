/**
 * Velero (CP-9): scheduled backups of the cluster's objects to S3 and, for the volumes pods opt
 * in, file-system backups of their contents through the node agent, all on an IRSA role scoped to
 * the backup bucket and its key.
 */
import { BackupConfig } from "../../config/schema";
import { durationToGoHours } from "../../lib/duration";
import { sortedJson } from "../../lib/json";
import { clusterVolumeTag } from "../cluster/addons";
import { podResourcesOf, RESTRICTED_CONTAINER, restrictedPod, RUNTIME_DEFAULT_SECCOMP } from "../helm/values";
import { ROLE_ARN_ANNOTATION, withoutAwsCredentials } from "../../lib/irsa";

export const VELERO_NAMESPACE = "velero";
/** The server's service account, pinned so that the IRSA trust policy can name it; the node agent runs as it too. */
export const VELERO_SERVICE_ACCOUNT = "velero";
/**
 * The Secret and key Velero reads the Kopia repository password from. Velero creates it with a
 * static, published default when it is missing, so the platform creates it first.
 */
export const VELERO_REPOSITORY_SECRET = { name: "velero-repo-credentials", key: "repository-password" } as const;
/** The name of the backup storage location and the volume snapshot location. */
export const VELERO_LOCATION = "default";
/**
 * The AWS plugin for Velero 1.18 (chart 12.1.0 ships Velero 1.18.1). Plugin releases follow
 * Velero's minor versions: 1.13.x is for Velero 1.17 (the version in the chart's example), 1.14.x
 * for Velero 1.18. lib/data/image-releases.json records this tag as unconfirmed: the plugin's
 * snapshot (2026-02-13) ends at v1.14.0-rc.1, before any 1.14 release; refresh the record, or
 * check the registry, before relying on it.
 */
export const VELERO_AWS_PLUGIN_IMAGE = "velero/velero-plugin-for-aws:v1.14.4";

/** A retention such as 7d as the Go duration Velero writes back ("168h0m0s"), so the spec reads as Velero shows it. */
export function veleroTtl(ttl: string): string {
    return `${durationToGoHours(ttl)}0m0s`;
}

export interface VeleroValuesInput {
    /** Node agent, schedules and sizes from the stack config. */
    readonly config: BackupConfig["velero"];
    readonly bucketName: string;
    /** The folder in the bucket for this cluster's backups and Kopia repositories. */
    readonly prefix: string;
    readonly region: string;
    /** The key Velero asks S3 to encrypt every object with (the bucket's default key too). */
    readonly kmsKeyArn: string;
    /** The IRSA role the server's service account assumes. */
    readonly roleArn: string;
}

/** The user the Velero images (distroless `nonroot`) run as. */
const VELERO_UID = 65532;

/**
 * The pod annotation that opts a pod's volumes (by volume name, comma-separated) into the
 * file-system backup. Nothing else copies volume contents: see {@link veleroValues}.
 */
export const VELERO_FS_BACKUP_ANNOTATION = "backup.velero.io/backup-volumes";

/**
 * The chart values. Every backup holds the cluster's objects; volume contents are copied only
 * where a pod opts a volume in ({@link VELERO_FS_BACKUP_ANNOTATION}), by file-system backup
 * (Kopia) through the node agent into the replicated, KMS-encrypted bucket. No volume is copied
 * by default, by Kopia or by EBS snapshot: the platform's own volumes hold data that is already
 * in S3 or RDS (Loki, Tempo, Mimir blocks, Grafana) or is rebuilt (Kafka's buffer, Prometheus'
 * short window, Mimir's ingesters, caches), and a nightly crash-inconsistent copy of them costs
 * storage and restores nothing useful. The snapshot location stays for on-demand backups.
 */
export function veleroValues(input: VeleroValuesInput): Record<string, unknown> {
    const { config } = input;
    const sizes = config.resources;
    return {
        // Names independent of the Helm release's: the Schedules become velero-daily and
        // velero-weekly, the names the README and the velero CLI use.
        fullnameOverride: "velero",
        initContainers: [{
            name: "velero-plugin-for-aws",
            image: VELERO_AWS_PLUGIN_IMAGE,
            imagePullPolicy: "IfNotPresent",
            volumeMounts: [{ mountPath: "/target", name: "plugins" }],
            resources: podResourcesOf(sizes.plugin),
            securityContext: RESTRICTED_CONTAINER,
        }],
        // The server, its plugin and its CRD-upgrade job run restricted (distroless `nonroot`, 65532);
        // the chart mounts a writable /tmp beside /scratch when the root filesystem is read-only.
        podSecurityContext: restrictedPod(VELERO_UID),
        containerSecurityContext: RESTRICTED_CONTAINER,
        // IRSA only: no static keys exist, in a Secret or anywhere else (IA-5).
        credentials: { useSecret: false },
        serviceAccount: {
            server: { create: true, name: VELERO_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: input.roleArn } },
        },
        configuration: {
            backupStorageLocation: [{
                name: VELERO_LOCATION,
                provider: "aws",
                bucket: input.bucketName,
                prefix: input.prefix,
                default: true,
                config: { region: input.region, kmsKeyId: input.kmsKeyArn },
            }],
            volumeSnapshotLocation: [{ name: VELERO_LOCATION, provider: "aws", config: { region: input.region } }],
            uploaderType: "kopia",
            // Opt-in per volume, never every volume of every pod.
            defaultVolumesToFsBackup: false,
            repositoryMaintenanceJob: {
                repositoryConfigData: {
                    global: {
                        podResources: {
                            cpuRequest: sizes.maintenance.cpu,
                            memoryRequest: sizes.maintenance.memory,
                            memoryLimit: sizes.maintenance.memoryLimit,
                        },
                    },
                },
            },
        },
        snapshotsEnabled: true,
        deployNodeAgent: config.nodeAgent,
        resources: podResourcesOf(sizes.server),
        nodeAgent: {
            resources: podResourcesOf(sizes.nodeAgent),
            // Root, to read and restore every pod's files through the host path; but no escalation,
            // the runtime's seccomp profile, and only the file capabilities that work needs (AC-6).
            podSecurityContext: { runAsUser: 0, seccompProfile: RUNTIME_DEFAULT_SECCOMP },
            containerSecurityContext: { allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"], add: ["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID"] } },
            // A volume is backed up and restored by the node agent on its pod's node, so the agent
            // must run wherever a pod can: the platform's node groups set no taints, and tolerating
            // every taint (as node-level agents should) keeps a tainted group added later covered.
            tolerations: [{ operator: "Exists" }],
        },
        upgradeCRDs: true,
        upgradeJobResources: podResourcesOf(sizes.crdJob),
        // The CRD upgrade Job runs as the server's service account and applies CRDs: no AWS credentials.
        kubectl: { resources: podResourcesOf(sizes.crdJob), containerSecurityContext: RESTRICTED_CONTAINER, annotations: withoutAwsCredentials(["velero"]) },
        metrics: { serviceMonitor: { enabled: true } },
        schedules: Object.fromEntries(config.schedules.map((s) => [s.name, {
            schedule: s.cron,
            // Backups outlive the Schedule object: deleting it must not delete them.
            useOwnerReferencesInBackup: false,
            // No EBS snapshots either: only volumes a pod opts in are copied (see above).
            template: { ttl: veleroTtl(s.ttl), storageLocation: VELERO_LOCATION, snapshotVolumes: false },
        }])),
    };
}

export interface VeleroPolicyInput {
    readonly bucketArn: string;
    /** The key of the backup bucket. */
    readonly s3KeyArn: string;
    /** The key of the cluster's EBS volumes, and so of their snapshots and of volumes restored from them. */
    readonly ebsKeyArn: string;
    /** The cluster whose volumes Velero may snapshot: they carry its ownership tag ({@link clusterVolumeTag}). */
    readonly clusterName: string;
    readonly region: string;
    readonly accountId: string;
    readonly partition: string;
}

/** The tag Velero puts on every snapshot it takes: the backup it belongs to. */
const VELERO_BACKUP_TAG = "velero.io/backup";

/**
 * The IRSA role's permissions (AC-6): objects in the one bucket, the two keys only as S3 and EC2
 * use them, and EBS snapshots of this cluster's volumes only. Velero may snapshot a volume of this
 * cluster, restore and delete only snapshots it took of one (tagged with the backup and the
 * cluster), and tag nothing but what it creates. The Describe calls take no resource scope in IAM.
 * Deleting an object leaves its versions, which Object Lock keeps for the bucket's retention: the
 * role may not delete a version, shorten a retention or change the bucket's lock or lifecycle.
 */
export function veleroPolicy(input: VeleroPolicyInput): string {
    const { bucketArn, region, accountId, partition } = input;
    const volumes = `arn:${partition}:ec2:${region}:${accountId}:volume/*`;
    const snapshots = `arn:${partition}:ec2:${region}::snapshot/*`;
    const cluster = clusterVolumeTag(input.clusterName);
    const owned = (scope: "ResourceTag" | "RequestTag") => ({ [`aws:${scope}/${cluster.key}`]: cluster.value });
    const takenByVelero = (scope: "ResourceTag" | "RequestTag") => ({ StringEquals: owned(scope), Null: { [`aws:${scope}/${VELERO_BACKUP_TAG}`]: "false" } });
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            { Sid: "DescribeVolumesAndSnapshots", Effect: "Allow", Action: ["ec2:DescribeSnapshots", "ec2:DescribeVolumes"], Resource: "*" },
            { Sid: "SnapshotClusterVolumes", Effect: "Allow", Action: ["ec2:CreateSnapshot"], Resource: [volumes], Condition: { StringEquals: owned("ResourceTag") } },
            { Sid: "CreateVeleroSnapshots", Effect: "Allow", Action: ["ec2:CreateSnapshot"], Resource: [snapshots], Condition: takenByVelero("RequestTag") },
            { Sid: "RestoreFromVeleroSnapshots", Effect: "Allow", Action: ["ec2:CreateVolume"], Resource: [snapshots], Condition: takenByVelero("ResourceTag") },
            { Sid: "RestoreClusterVolumes", Effect: "Allow", Action: ["ec2:CreateVolume"], Resource: [volumes], Condition: { StringEquals: owned("RequestTag") } },
            { Sid: "DeleteExpiredVeleroSnapshots", Effect: "Allow", Action: ["ec2:DeleteSnapshot"], Resource: [snapshots], Condition: takenByVelero("ResourceTag") },
            {
                Sid: "TagOnCreate",
                Effect: "Allow",
                Action: ["ec2:CreateTags"],
                Resource: [snapshots, volumes],
                Condition: { StringEquals: { "ec2:CreateAction": ["CreateSnapshot", "CreateVolume"] } },
            },
            {
                Sid: "KeepLockedVersions",
                Effect: "Deny",
                Action: ["s3:BypassGovernanceRetention", "s3:DeleteObjectVersion", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration", "s3:PutObjectLegalHold", "s3:PutObjectRetention"],
                Resource: [bucketArn, `${bucketArn}/*`],
            },
            {
                Sid: "BackupObjects",
                Effect: "Allow",
                Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
                Resource: [`${bucketArn}/*`],
            },
            { Sid: "ListBackups", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
            {
                Sid: "BucketKeyThroughS3",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: [input.s3KeyArn],
                Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
            },
            {
                Sid: "VolumeKeyThroughEC2",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
                Resource: [input.ebsKeyArn],
                Condition: { StringEquals: { "kms:ViaService": `ec2.${region}.amazonaws.com` } },
            },
            // A grant lets its grantee use the key on its own: only EC2's, for the volumes it restores.
            {
                Sid: "VolumeKeyGrantsForEC2",
                Effect: "Allow",
                Action: ["kms:CreateGrant"],
                Resource: [input.ebsKeyArn],
                Condition: { StringEquals: { "kms:ViaService": `ec2.${region}.amazonaws.com` }, Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    });
}
