/**
 * A private Amazon RDS for PostgreSQL database for one platform service (Grafana's shared state):
 * encrypted with its own customer-managed key (SC-28, SC-12), in the private subnets behind a
 * security group that admits only the nodes (SC-7), TLS enforced by the server (SC-8), automated
 * backups (CP-9), and deletion protection with `protect` in prod.
 */
import * as ec2 from "@pulumi/aws/ec2";
import * as kms from "@pulumi/aws/kms";
import * as rds from "@pulumi/aws/rds";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { sortedJson } from "../../lib/json";
import { RDS_CA_IDENTIFIER, rdsCaBundle } from "../../lib/rds-ca";

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
}

export interface PostgresDatabaseArgs {
    readonly config: PostgresDatabaseConfig;
    /** The database and the user the service connects as. */
    readonly databaseName: string;
    readonly username: string;
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
    /** Prod: deletion protection, a final snapshot, and Pulumi's protect on the key and instance. */
    readonly protect: boolean;
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
}

/** The key policy: the account administers the key; principals of this account use it only through RDS. */
export function databaseKeyPolicy(args: Pick<PostgresDatabaseArgs, "accountId" | "partition" | "region">): string {
    const through = { "kms:CallerAccount": args.accountId, "kms:ViaService": `rds.${args.region}.amazonaws.com` };
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
            // Grants only for the AWS resources RDS creates (storage, snapshots), never to a person.
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

export class PostgresDatabase extends pulumi.ComponentResource {
    /** host:port, for clients inside the VPC. */
    public readonly address: pulumi.Output<string>;
    public readonly databaseName: string;
    public readonly username: string;
    /** The master password, a Pulumi secret. */
    public readonly password: pulumi.Output<string>;
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
            description: `${name}: RDS storage, snapshots and backups`,
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
            family: parameterGroupFamily(config.engineVersion),
            description: `${name}: TLS only`,
            // The server refuses unencrypted connections (SC-8).
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        }, child);

        // Letters and digits only: RDS forbids / @ " and spaces, and the value goes into a URL-free env var.
        const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { ...child, protect });
        this.password = pulumi.secret(password.result);

        const instance = new rds.Instance(`${name}`, {
            engine: "postgres",
            engineVersion: config.engineVersion,
            instanceClass: config.instanceClass,
            allocatedStorage: config.allocatedStorageGb,
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: key.arn,
            dbName: args.databaseName,
            username: args.username,
            password: this.password,
            port: POSTGRES_PORT,
            dbSubnetGroupName: subnets.name,
            vpcSecurityGroupIds: [securityGroup.id],
            parameterGroupName: parameters.name,
            publiclyAccessible: false,
            multiAz: config.multiAz,
            backupRetentionPeriod: config.backupRetentionDays,
            copyTagsToSnapshot: true,
            autoMinorVersionUpgrade: true,
            deletionProtection: protect,
            // A destroy in dev takes the data with it; in prod the last state is kept as a snapshot.
            skipFinalSnapshot: !protect,
            finalSnapshotIdentifier: protect ? `${name}-final` : undefined,
            applyImmediately: !protect,
            // Pinned, so that the server's certificate chains to the root clients are given (caBundle).
            caCertIdentifier: RDS_CA_IDENTIFIER,
        }, { ...child, protect });

        this.address = pulumi.interpolate`${instance.address}:${instance.port}`;
        this.databaseName = args.databaseName;
        this.username = args.username;
        this.kmsKeyArn = key.arn;
        this.caBundle = caBundle;
        this.registerOutputs({ address: this.address, databaseName: this.databaseName, username: this.username, kmsKeyArn: this.kmsKeyArn });
    }
}
