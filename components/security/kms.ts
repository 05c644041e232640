import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { sortedJson } from "../../lib/json";

/** What each customer-managed key protects (SC-28, SC-12). */
export type KeyPurpose = "eks" | "ebs" | "s3" | "logs" | "telemetry";
export const KEY_PURPOSES: readonly KeyPurpose[] = ["eks", "ebs", "s3", "logs", "telemetry"];

export interface KmsKeysArgs {
    /** Days AWS waits before deleting a scheduled key: 30 in prod, 7 in dev. */
    readonly deletionWindowDays: number;
    /** Protect the keys from `pulumi destroy` and replacement (prod). */
    readonly protect: boolean;
    /** The AWS account and partition the key policies are written for. */
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
    /** Whether the stack declares a bucket: the S3 key exists only then, as a key no bucket uses is billed for nothing. */
    readonly s3: boolean;
    /** Whether the observability mode runs AMP or Amazon Managed Grafana: the telemetry key exists only then. */
    readonly telemetry: boolean;
}

/** The keys of a stack: the S3 key only where it has buckets, the telemetry key only where AMP or Managed Grafana runs. */
export type StackKeys = Record<Exclude<KeyPurpose, "s3" | "telemetry">, kms.Key> & { readonly s3?: kms.Key; readonly telemetry?: kms.Key };

/** The services that use each key, and the encryption context they present. */
const KEY_USERS: Record<KeyPurpose, { description: string; viaServices: string[] }> = {
    eks: { description: "EKS secrets envelope encryption", viaServices: ["eks"] },
    ebs: { description: "EBS volumes of nodes, the bastion and persistent volume claims", viaServices: ["ec2"] },
    s3: { description: "S3 buckets for logs, metrics, traces and backups", viaServices: ["s3"] },
    logs: { description: "CloudWatch Logs: VPC flow logs and EKS control-plane logs", viaServices: [] },
    telemetry: { description: "Amazon Managed Service for Prometheus and Amazon Managed Grafana workspaces", viaServices: ["aps", "grafana"] },
};

/**
 * The key policy: the account keeps administrative control (without it a key becomes unmanageable),
 * and principals of this account may use the key only through the services that need it.
 */
export function keyPolicy(purpose: KeyPurpose, args: Pick<KmsKeysArgs, "accountId" | "partition" | "region">): string {
    const { accountId, partition, region } = args;
    const accountRoot = `arn:${partition}:iam::${accountId}:root`;
    const useActions = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];
    const statements: object[] = [
        { Sid: "AccountAdministration", Effect: "Allow", Principal: { AWS: accountRoot }, Action: "kms:*", Resource: "*" },
    ];
    for (const service of KEY_USERS[purpose].viaServices) {
        // Every principal of the account, the Auto Scaling service-linked role included, may use
        // the key only through the service. No statement names that role: KMS rejects a policy
        // whose principal does not exist, and the role exists only once the account has run an
        // Auto Scaling group, while the keys are the first resources of a stack.
        const through = { "kms:CallerAccount": accountId, "kms:ViaService": `${service}.${region}.amazonaws.com` };
        statements.push({
            Sid: `UseThrough${service.toUpperCase()}`,
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: useActions,
            Resource: "*",
            Condition: { StringEquals: through },
        });
        // Grants only for the AWS resources the service creates (volumes, snapshots), never to a person.
        statements.push({
            Sid: `GrantThrough${service.toUpperCase()}`,
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { StringEquals: through, Bool: { "kms:GrantIsForAWSResource": "true" } },
        });
    }
    if (purpose === "logs") {
        statements.push({
            Sid: "CloudWatchLogs",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: useActions,
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:*` } },
        });
    }
    return sortedJson({ Version: "2012-10-17", Statement: statements });
}

/** One customer-managed key per purpose the stack has, with rotation on and an alias that names it. */
export class KmsKeys extends pulumi.ComponentResource {
    public readonly keys: StackKeys;

    constructor(name: string, args: KmsKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:KmsKeys", name, {}, opts);
        const entries = KEY_PURPOSES.filter((purpose) => (purpose !== "s3" || args.s3) && (purpose !== "telemetry" || args.telemetry)).map((purpose) => {
            const key = new kms.Key(`${name}-${purpose}`, {
                description: `${name}: ${KEY_USERS[purpose].description}`,
                enableKeyRotation: true,
                deletionWindowInDays: args.deletionWindowDays,
                policy: keyPolicy(purpose, args),
            }, { parent: this, protect: args.protect });
            new kms.Alias(`${name}-${purpose}-alias`, { name: `alias/${name}-${purpose}`, targetKeyId: key.keyId }, { parent: this });
            return [purpose, key] as const;
        });
        this.keys = Object.fromEntries(entries) as StackKeys;
        this.registerOutputs({ keyArns: Object.fromEntries(entries.map(([p, k]) => [p, k.arn])) });
    }
}
