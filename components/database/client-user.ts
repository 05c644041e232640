/**
 * A service's own database user (AC-6, IA-5): the service never connects as the master. A
 * Kubernetes Job reads the RDS-managed master password from Secrets Manager on an IRSA role that
 * may read that one secret and nothing else, creates the user when it is missing, sets its
 * password, and grants it what the service needs in its one database. The Job's name follows the
 * password, so replacing the password (a rotation) runs it again before the service restarts.
 */
import { createHash } from "crypto";
import * as batchv1 from "@pulumi/kubernetes/batch/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { sortedJson } from "../../lib/json";
import { KubernetesContext } from "../cluster/context";
import { createIrsaRole } from "../cluster/irsa";
import { restrictedContainer } from "../helm/values";
import { WORKLOAD_TYPES } from "../helm/workloads";
import { ROLE_ARN_ANNOTATION, withoutAwsCredentials } from "../../lib/irsa";

/**
 * The images the Job runs: the AWS CLI to read the master secret, and the PostgreSQL client of the
 * server's major version. Both are published for linux/amd64 and linux/arm64.
 */
export const AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.32.9";
/**
 * The PostgreSQL release of each major whose client the Job runs: docker-library/postgres
 * versions.json at 6edb0a8c (2026-02-26), pinned so that the image is one upstream published
 * (lib/data/image-releases.json records it) rather than a tag that moves under the cluster.
 */
export const POSTGRES_CLIENT_VERSIONS: Readonly<Record<string, string>> = { "14": "14.22", "15": "15.17", "16": "16.13", "17": "17.9", "18": "18.3" };
export function postgresClientImage(engineVersion: string): string {
    const major = engineVersion.split(".")[0];
    const version = POSTGRES_CLIENT_VERSIONS[major];
    if (!version) throw new Error(`No PostgreSQL client is pinned for major version ${major}: add it to POSTGRES_CLIENT_VERSIONS`);
    return `public.ecr.aws/docker/library/postgres:${version}-alpine`;
}

/** Where the Job mounts the RDS root it verifies the server against. */
const SERVER_CA_PATH = "/etc/ssl/rds";

/** The postgres image's own user: the Job runs as it, never as root. */
const POSTGRES_UID = 70;

export interface DatabaseClientUserArgs {
    /** host:port of the database. */
    readonly address: pulumi.Input<string>;
    readonly databaseName: string;
    /** The PostgreSQL major version (the client's image follows it). */
    readonly engineVersion: string;
    /** The user to create, and the Secret (name and key) that holds its password. */
    readonly username: string;
    readonly passwordSecret: { readonly name: string; readonly key: string };
    /** The password itself, only to name the Job after a digest of it. */
    readonly password: pulumi.Input<string>;
    /** The ConfigMap (name and key) holding the root of the CA that signs the server's certificate, which the client verifies. */
    readonly serverCa: { readonly configMap: string; readonly key: string };
    /** The RDS-managed master secret and the key it is encrypted with. */
    readonly masterSecretArn: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The namespace the service runs in: the Job, its service account and the Secret live there. */
    readonly namespace: string;
    /** What must exist first: the namespace and the password's Secret. */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** What the Job's role may do: read the one master secret, and decrypt it only through Secrets Manager. */
export function masterSecretReadPolicy(input: { masterSecretArn: string; kmsKeyArn: string; region: string }): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [input.masterSecretArn] },
            {
                Sid: "DecryptThroughSecretsManager",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [input.kmsKeyArn],
                Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${input.region}.amazonaws.com` } },
            },
        ],
    });
}

/**
 * The SQL the Job runs as the master, with psql variables user, password and database: idempotent,
 * so a rerun only sets the password again. The user may connect to its database and create in its
 * public schema; nobody else may connect (the master owns the database). Tables the master created
 * while the service still connected as it move to the user, so an existing installation keeps working.
 */
export const CLIENT_USER_SQL = [
    "SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \\gexec",
    "ALTER ROLE :\"user\" WITH LOGIN PASSWORD :'password';",
    "REVOKE ALL ON DATABASE :\"database\" FROM PUBLIC;",
    "GRANT CONNECT, TEMPORARY ON DATABASE :\"database\" TO :\"user\";",
    "GRANT USAGE, CREATE ON SCHEMA public TO :\"user\";",
    "GRANT :\"user\" TO CURRENT_USER;",
    "SELECT format('ALTER %s %I.%I OWNER TO %I', CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, n.nspname, c.relname, :'user') " +
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S') AND pg_get_userbyid(c.relowner) <> :'user' " +
        "AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')) \\gexec",
].join("\n");

/**
 * The Job's shell script: the master's user name and password from the secret's JSON (RDS writes
 * {"username": ..., "password": ...}; JSON escapes undone), then the SQL above over TLS.
 */
export const CLIENT_USER_SCRIPT = [
    "set -eu",
    "field() { sed -n \"s/.*\\\"$1\\\" *: *\\\"\\(\\([^\\\"\\\\\\\\]\\|\\\\\\\\.\\)*\\)\\\".*/\\1/p\" /credentials/master.json | sed 's/\\\\\\(.\\)/\\1/g'; }",
    "PGUSER=$(field username) PGPASSWORD=$(field password)",
    "export PGUSER PGPASSWORD",
    "psql -v ON_ERROR_STOP=1 -v user=\"$CLIENT_USER\" -v password=\"$CLIENT_PASSWORD\" -v database=\"$PGDATABASE\" <<'SQL'",
    CLIENT_USER_SQL,
    "SQL",
].join("\n");

/** The Job's name: the user's, and a digest of the password, so that a new password runs a new Job. */
export function clientUserJobName(username: string, password: string): string {
    return `${username.replace(/_/g, "-")}-db-user-${createHash("sha256").update(password).digest("hex").slice(0, 10)}`;
}

/**
 * The name of the Job's service account and of its pods (their app.kubernetes.io/name label): the
 * workload the capacity plan counts and the network policies let reach the database.
 */
export function clientUserSetupName(username: string): string {
    return `${username.replace(/_/g, "-")}-db-setup`;
}

/**
 * Who may reach a service's database, as the network policies admit them: the service's release,
 * and the Job that sets up its user.
 */
export function databaseClients(service: { release: string; username: string; database: string }, port: number): { client: string; port: number; name: string }[] {
    return [service.release, clientUserSetupName(service.username)].map((client) => ({ client, port, name: service.database }));
}

/** Creates the IRSA role, the service account and the Job; returns the Job, which the service waits for. */
export function createDatabaseClientUser(name: string, args: DatabaseClientUserArgs, ctx: KubernetesContext, parent: pulumi.Resource): batchv1.Job {
    const serviceAccountName = clientUserSetupName(args.username);
    const role = createIrsaRole(`${name}-setup`, {
        oidcProviderArn: ctx.oidcProviderArn,
        oidcIssuer: ctx.oidcIssuer,
        namespace: args.namespace,
        serviceAccount: serviceAccountName,
        policy: pulumi.all([args.masterSecretArn, args.kmsKeyArn]).apply(([masterSecretArn, kmsKeyArn]) => masterSecretReadPolicy({ masterSecretArn, kmsKeyArn, region: ctx.region })),
    }, { parent, provider: ctx.awsProvider });
    const serviceAccount = new corev1.ServiceAccount(`${name}-setup`, {
        metadata: { name: serviceAccountName, namespace: args.namespace, annotations: { [ROLE_ARN_ANNOTATION]: role.arn } },
    }, { parent, provider: ctx.kubernetesProvider, dependsOn: args.dependsOn });
    const resources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } };
    // A digest of 190 random bits reveals nothing of them; the name must be plain to be readable.
    const jobName = pulumi.unsecret(pulumi.output(args.password).apply((password) => clientUserJobName(args.username, password)));
    /** The Job's spec, given what is known only at deploy (the database's address, the master secret). */
    const jobSpec = (deploy: { host: pulumi.Input<string>; port: pulumi.Input<string>; masterSecretArn: pulumi.Input<string> }) => ({
        backoffLimit: 6,
        template: {
            metadata: {
                labels: { "app.kubernetes.io/name": serviceAccountName, "app.kubernetes.io/component": "database-user" },
                // Only the init container reads the master secret; the one that talks to the database gets no AWS credentials.
                annotations: withoutAwsCredentials(["create-user"]),
            },
            spec: {
                serviceAccountName,
                restartPolicy: "OnFailure",
                securityContext: { runAsNonRoot: true, runAsUser: POSTGRES_UID, runAsGroup: POSTGRES_UID, fsGroup: POSTGRES_UID, seccompProfile: { type: "RuntimeDefault" } },
                // The master's credential lives only in memory, for the Job's lifetime.
                volumes: [
                    { name: "credentials", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
                    { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
                    { name: "server-ca", configMap: { name: args.serverCa.configMap } },
                ],
                initContainers: [{
                    name: "master-credential",
                    image: AWS_CLI_IMAGE,
                    command: ["/bin/sh", "-c", "aws secretsmanager get-secret-value --secret-id \"$MASTER_SECRET_ARN\" --query SecretString --output text > /credentials/master.json"],
                    env: [{ name: "MASTER_SECRET_ARN", value: deploy.masterSecretArn }, { name: "HOME", value: "/tmp" }],
                    volumeMounts: [{ name: "credentials", mountPath: "/credentials" }, { name: "tmp", mountPath: "/tmp" }],
                    securityContext: restrictedContainer(),
                    resources,
                }],
                containers: [{
                    name: "create-user",
                    image: postgresClientImage(args.engineVersion),
                    command: ["/bin/sh", "-c", CLIENT_USER_SCRIPT],
                    env: [
                        { name: "PGHOST", value: deploy.host },
                        { name: "PGPORT", value: deploy.port },
                        { name: "PGDATABASE", value: args.databaseName },
                        // TLS that checks the server's certificate against the RDS root and its name
                        // against the host, so nothing between can pose as the database (SC-8).
                        { name: "PGSSLMODE", value: "verify-full" },
                        { name: "PGSSLROOTCERT", value: `${SERVER_CA_PATH}/${args.serverCa.key}` },
                        { name: "CLIENT_USER", value: args.username },
                        { name: "CLIENT_PASSWORD", valueFrom: { secretKeyRef: { name: args.passwordSecret.name, key: args.passwordSecret.key } } },
                    ],
                    volumeMounts: [
                        { name: "credentials", mountPath: "/credentials", readOnly: true },
                        { name: "tmp", mountPath: "/tmp" },
                        { name: "server-ca", mountPath: SERVER_CA_PATH, readOnly: true },
                    ],
                    securityContext: restrictedContainer(),
                    resources,
                }],
            },
        },
    });
    // The capacity plan, the pod-security check and the network policies read the Job at declaration.
    ctx.declaredWorkloads.push({ type: WORKLOAD_TYPES.job, inputs: { metadata: { name: serviceAccountName, namespace: args.namespace }, spec: jobSpec({ host: "(the database's host)", port: "(its port)", masterSecretArn: "(the master secret)" }) } });
    return new batchv1.Job(`${name}-user`, {
        metadata: { name: jobName, namespace: args.namespace },
        spec: jobSpec({
            host: pulumi.output(args.address).apply((address) => address.split(":")[0]),
            port: pulumi.output(args.address).apply((address) => address.split(":")[1]),
            masterSecretArn: args.masterSecretArn,
        }),
    }, { parent, provider: ctx.kubernetesProvider, dependsOn: [serviceAccount, ...args.dependsOn] });
}
