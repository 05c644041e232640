/**
 * A private Amazon RDS for PostgreSQL database for one platform service (Grafana's shared state):
 * encrypted with its own customer-managed key (SC-28, SC-12), in the private subnets behind a
 * security group that admits only the nodes (SC-7), TLS enforced by the server (SC-8), automated
 * backups (CP-9), exported logs, enhanced monitoring and IAM authentication (AU-12, SI-4, IA-2),
 * and deletion protection with `protect` in prod.
 */
import * as backup from "@pulumi/aws/backup";
import * as cloudwatch from "../aws/cloudwatch";
import * as ec2 from "../aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as rds from "@pulumi/aws/rds";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { sortedJson } from "../../lib/json";
import { RDS_CA_IDENTIFIER, rdsCaBundle } from "../../lib/rds-ca";
import { serviceTrustPolicy } from "../../lib/trust";

export const POSTGRES_PORT = 5432;

export interface PostgresDatabaseConfig {
    /** The PostgreSQL major version, e.g. "17". */
    readonly engineVersion: string;
    /** e.g. db.t4g.micro. */
    readonly instanceClass: string;
    readonly allocatedStorageGb: number;
    /** Days RDS keeps automated backups (1 to 35). */
    readonly backupRetentionDays: number;
    /** A synchronous standby in a second zone. */
    readonly multiAz: boolean;
    /** Days CloudWatch Logs keeps the exported PostgreSQL and upgrade logs (AU-11). */
    readonly logRetentionDays: number;
}

export interface PostgresDatabaseArgs {
    readonly config: PostgresDatabaseConfig;
    /** The database the service keeps its state in. */
    readonly databaseName: string;
    /**
     * The master user, used only to set up the client user. Kept as first created: RDS replaces
     * an instance whose master username changes.
     */
    readonly masterUsername: string;
    /** The least-privilege user the service connects as (see ./client-user.ts). */
    readonly clientUsername: string;
    readonly vpcId: pulumi.Input<string>;
    /** The private subnets, one per zone: RDS needs two zones even for a single instance. */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * The only range allowed to connect: the pod network. Nodes and pods on the host network (node
     * addresses) are refused here; among pods, only the client's egress NetworkPolicy reaches the
     * database (lib/boundaries.ts), every other platform pod's egress stops at the VPC's hosts.
     */
    readonly clientCidr: string;
    /** Days AWS waits before deleting the scheduled key. */
    readonly kmsDeletionWindowDays: number;
    /** The key that encrypts the exported logs' group (the platform's CloudWatch Logs key). */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Prod: deletion protection, a final snapshot, and Pulumi's protect on the key and instance. */
    readonly protect: boolean;
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
}

/**
 * The key policy: the account administers the key; principals of this account use it only through
 * RDS, through AWS Backup, whose vault keeps the database's recovery points under this key, and
 * through Secrets Manager, which keeps the RDS-managed master password under it.
 */
export function databaseKeyPolicy(args: Pick<PostgresDatabaseArgs, "accountId" | "partition" | "region">): string {
    const through = {
        "kms:CallerAccount": args.accountId,
        "kms:ViaService": [`backup.${args.region}.amazonaws.com`, `rds.${args.region}.amazonaws.com`, `secretsmanager.${args.region}.amazonaws.com`],
    };
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministration", Effect: "Allow", Principal: { AWS: `arn:${args.partition}:iam::${args.accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "UseThroughRDS",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ListGrants", "kms:ReEncrypt*"],
                Resource: "*",
                Condition: { StringEquals: through },
            },
            // Grants only for the AWS resources RDS and Secrets Manager create, never to a person.
            {
                Sid: "GrantThroughRDS",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { StringEquals: through, Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    });
}

/** The parameter group family of a major version ("17" → "postgres17"). */
export function parameterGroupFamily(engineVersion: string): string {
    return `postgres${engineVersion.split(".")[0]}`;
}

/**
 * The parameter group's name carries its family, so that a major upgrade declares a new group
 * under a new name: Pulumi creates it, moves the instance onto it with the new version, and only
 * then deletes the old group (RDS refuses to delete a group an instance still uses).
 */
export function parameterGroupName(name: string, engineVersion: string): string {
    return `${name}-${parameterGroupFamily(engineVersion)}`;
}

/** When AWS Backup takes the daily recovery point: 05:00 UTC, after RDS's own backup window. */
export const BACKUP_SCHEDULE = "cron(0 5 * * ? *)";

/** AWS's managed policies for AWS Backup's service role: take recovery points, and restore them. */
export const BACKUP_ROLE_POLICIES = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"] as const;

/** Seconds between the operating-system metrics enhanced monitoring sends (SI-4). */
export const MONITORING_INTERVAL_SECONDS = 60;

/** The logs RDS exports to CloudWatch: the server's log and, during a major upgrade, pg_upgrade's. */
export const EXPORTED_LOGS = ["postgresql", "upgrade"] as const;

/** The log group RDS exports one log of an instance to; it exists first, with our key and retention. */
export function exportedLogGroupName(identifier: string, log: (typeof EXPORTED_LOGS)[number]): string {
    return `/aws/rds/instance/${identifier}/${log}`;
}

export class PostgresDatabase extends pulumi.ComponentResource {
    /** host:port, for clients inside the VPC. */
    public readonly address: pulumi.Output<string>;
    public readonly databaseName: string;
    public readonly masterUsername: string;
    public readonly clientUsername: string;
    /** The client user's password, a Pulumi secret; replace it to rotate (README, "Operating the platform"). */
    public readonly clientPassword: pulumi.Output<string>;
    /** The Secrets Manager secret RDS keeps the master user's password in, and rotates. */
    public readonly masterSecretArn: pulumi.Output<string>;
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** The root certificate (PEM) of the CA that signs the server's certificate, for clients that verify it. */
    public readonly caBundle: string;

    constructor(name: string, args: PostgresDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:database:PostgresDatabase", name, {}, opts);
        const { config, protect } = args;
        const child = { parent: this };
        const caBundle = rdsCaBundle(args.region);
        if (caBundle === undefined) throw new Error(`region: got "${args.region}"; allowed: a region whose ${RDS_CA_IDENTIFIER} root is in lib/data/rds-ca.json`);

        const key = new kms.Key(`${name}-key`, {
            description: `${name}: RDS storage, snapshots and backups, and the master password's secret`,
            enableKeyRotation: true,
            deletionWindowInDays: args.kmsDeletionWindowDays,
            policy: databaseKeyPolicy(args),
        }, { ...child, protect });
        new kms.Alias(`${name}-key-alias`, { name: `alias/${name}`, targetKeyId: key.keyId }, child);

        const securityGroup = new ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: `${name}: PostgreSQL from the pod network only`,
            // No egress: the database answers on connections it accepted and opens none.
            egress: [],
        }, child);
        new vpc.SecurityGroupIngressRule(`${name}-from-pods`, {
            securityGroupId: securityGroup.id,
            cidrIpv4: args.clientCidr,
            ipProtocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            description: "PostgreSQL from the pod network; NetworkPolicy admits only the client's pods",
        }, child);

        const subnets = new rds.SubnetGroup(`${name}-subnets`, { subnetIds: args.subnetIds, description: `${name}: private subnets` }, child);
        const parameters = new rds.ParameterGroup(`${name}-params`, {
            name: parameterGroupName(name, config.engineVersion),
            family: parameterGroupFamily(config.engineVersion),
            description: `${name}: TLS only`,
            // The server refuses unencrypted connections (SC-8).
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        }, child);

        // The client user's password. Letters and digits only: RDS forbids / @ " and spaces, and
        // the value goes into an env var. Not protected: rotating it is replacing it.
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, child);
        this.clientPassword = pulumi.secret(password.result);

        // Named, so that the exported logs' groups can exist, encrypted and with our retention,
        // before RDS would create its own (unencrypted, kept forever).
        const identifier = name;
        const logGroups = EXPORTED_LOGS.map((log) => new cloudwatch.LogGroup(`${name}-${log}-logs`, {
            name: exportedLogGroupName(identifier, log),
            retentionInDays: config.logRetentionDays,
            kmsKeyId: args.logsKmsKeyArn,
        }, { ...child, protect }));
        // Enhanced monitoring: RDS publishes the host's metrics through this role, which AWS's
        // managed policy limits to the RDSOSMetrics log group.
        const monitoringRole = new iam.Role(`${name}-monitoring-role`, {
            assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", { accountId: args.accountId, sourceArn: `arn:${args.partition}:rds:${args.region}:${args.accountId}:db:${name}` }),
        }, child);
        const monitoringPolicy = new iam.RolePolicyAttachment(`${name}-monitoring-role-policy`, {
            role: monitoringRole.name,
            policyArn: `arn:${args.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
        }, child);
        // A new suffix with every new instance: a second destroy of a recreated stack cannot collide with the first one's snapshot.
        const snapshotSuffix = new random.RandomId(`${name}-final-snapshot-suffix`, { byteLength: 4 }, child);

        const instance = new rds.Instance(`${name}`, {
            identifier,
            engine: "postgres",
            engineVersion: config.engineVersion,
            // A major version change is an upgrade in place, not refused by RDS.
            allowMajorVersionUpgrade: true,
            instanceClass: config.instanceClass,
            allocatedStorage: config.allocatedStorageGb,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: key.arn,
            dbName: args.databaseName,
            username: args.masterUsername,
            // RDS keeps the master password in Secrets Manager under our key and rotates it (IA-5).
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: key.arn,
            port: POSTGRES_PORT,
            dbSubnetGroupName: subnets.name,
            vpcSecurityGroupIds: [securityGroup.id],
            parameterGroupName: parameters.name,
            publiclyAccessible: false,
            multiAz: config.multiAz,
            backupRetentionPeriod: config.backupRetentionDays,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            enabledCloudwatchLogsExports: [...EXPORTED_LOGS],
            // Connections may authenticate with IAM tokens as well as passwords (AC-2, IA-2).
            iamDatabaseAuthenticationEnabled: true,
            monitoringInterval: MONITORING_INTERVAL_SECONDS,
            monitoringRoleArn: monitoringRole.arn,
            deletionProtection: protect,
            // A destroy in dev takes the data with it; in prod the last state is kept as a snapshot,
            // and the automated backups stay for their retention beside it (CP-9).
            skipFinalSnapshot: !protect,
            finalSnapshotIdentifier: protect ? pulumi.interpolate`${name}-final-${snapshotSuffix.hex}` : undefined,
            deleteAutomatedBackups: false,
            // Every change happens in the `pulumi up` that declares it, in the change window the
            // team chose by running it: a change left pending until the maintenance window would
            // keep the old parameter group in use (its replacement could not delete it) and show
            // the same diff on every run until then.
            applyImmediately: true,
            // Pinned, so that the server's certificate chains to the root clients are given (caBundle).
            caCertIdentifier: RDS_CA_IDENTIFIER,
        }, { ...child, protect, dependsOn: [...logGroups, monitoringPolicy] });

        // AWS Backup: a daily recovery point of the instance in a vault under the database's key,
        // kept as long as the automated backups, and outliving the instance and its automated
        // backups (CP-9, CP-10). Its role may back up and restore, nothing else.
        const vault = new backup.Vault(`${name}-backup-vault`, { kmsKeyArn: key.arn, forceDestroy: !protect }, { ...child, protect });
        const backupRole = new iam.Role(`${name}-backup-role`, {
            assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com", { accountId: args.accountId }),
        }, child);
        const backupPolicies = BACKUP_ROLE_POLICIES.map((policy) => new iam.RolePolicyAttachment(`${name}-backup-role-${policy}`, {
            role: backupRole.name,
            policyArn: `arn:${args.partition}:iam::aws:policy/service-role/${policy}`,
        }, child));
        const plan = new backup.Plan(`${name}-backup-plan`, {
            name: `${name}-daily`,
            rules: [{
                ruleName: "daily",
                targetVaultName: vault.name,
                schedule: BACKUP_SCHEDULE,
                startWindow: 60,
                completionWindow: 180,
                lifecycle: { deleteAfter: config.backupRetentionDays },
            }],
        }, child);
        new backup.Selection(`${name}-backup-selection`, {
            name: `${name}-instance`,
            planId: plan.id,
            iamRoleArn: backupRole.arn,
            resources: [instance.arn],
        }, { ...child, dependsOn: backupPolicies });

        this.address = pulumi.interpolate`${instance.address}:${instance.port}`;
        this.databaseName = args.databaseName;
        this.masterUsername = args.masterUsername;
        this.clientUsername = args.clientUsername;
        this.masterSecretArn = instance.masterUserSecrets.apply((secrets) => secrets[0].secretArn!);
        this.kmsKeyArn = key.arn;
        this.caBundle = caBundle;
        this.registerOutputs({ address: this.address, databaseName: this.databaseName, clientUsername: this.clientUsername, masterSecretArn: this.masterSecretArn, kmsKeyArn: this.kmsKeyArn });
    }
}
