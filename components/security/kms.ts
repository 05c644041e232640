import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { sortedJson } from "../../lib/json";

/** What each customer-managed key protects (SC-28, SC-12). */
export type KeyPurpose = "eks" | "ebs" | "s3" | "logs" | "telemetry";
/** The keys every stack has; telemetry comes only with AMP or Amazon Managed Grafana. */
export const KEY_PURPOSES: readonly Exclude<KeyPurpose, "telemetry">[] = ["eks", "ebs", "s3", "logs"];

export interface KmsKeysArgs {
    /** Days AWS waits before deleting a scheduled key: 30 in prod, 7 in dev. */
    readonly deletionWindowDays: number;
    /** Protect the keys from `pulumi destroy` and replacement (prod). */
    readonly protect: boolean;
    /** The AWS account and partition the key policies are written for. */
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
    /** Whether to create the telemetry key, for AMP and Amazon Managed Grafana (the observability modes that run them). */
    readonly telemetry?: boolean;
}

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

/** One customer-managed key per purpose, with rotation on and an alias that names it. */
export class KmsKeys extends pulumi.ComponentResource {
    public readonly keys: Record<Exclude<KeyPurpose, "telemetry">, kms.Key>;
    /** The telemetry key, where args.telemetry asked for it. */
    public readonly telemetry?: kms.Key;

    constructor(name: string, args: KmsKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:KmsKeys", name, {}, opts);
        const createKey = (purpose: KeyPurpose) => {
            const key = new kms.Key(`${name}-${purpose}`, {
                description: `${name}: ${KEY_USERS[purpose].description}`,
                enableKeyRotation: true,
                deletionWindowInDays: args.deletionWindowDays,
                policy: keyPolicy(purpose, args),
            }, { parent: this, protect: args.protect });
            new kms.Alias(`${name}-${purpose}-alias`, { name: `alias/${name}-${purpose}`, targetKeyId: key.keyId }, { parent: this });
            return key;
        };
        const entries = KEY_PURPOSES.map((purpose) => [purpose, createKey(purpose)] as const);
        this.keys = Object.fromEntries(entries) as Record<Exclude<KeyPurpose, "telemetry">, kms.Key>;
        if (args.telemetry) this.telemetry = createKey("telemetry");
        this.registerOutputs({ keyArns: Object.fromEntries([...entries, ...(this.telemetry ? [["telemetry", this.telemetry] as const] : [])].map(([p, k]) => [p, k.arn])) });
    }
}
