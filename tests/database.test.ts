/**
 * Grafana's database on its tenth `pulumi up`: a Postgres major upgrade in place, a master password
 * RDS manages and rotates, Grafana on a user of its own, exported logs, and a destroy that keeps
 * what prod needs to come back.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BACKUP_ROLE_POLICIES, BACKUP_SCHEDULE, EXPORTED_LOGS, MONITORING_INTERVAL_SECONDS, exportedLogGroupName, parameterGroupFamily, parameterGroupName } from "../components/database";
import { AWS_CLI_IMAGE, CLIENT_USER_SCRIPT, CLIENT_USER_SQL, clientUserJobName, masterSecretReadPolicy } from "../components/database/client-user";
import { DATABASE_USER_JOB_ANNOTATION, GRAFANA_DATABASE_CA, GRAFANA_DATABASE_SECRET } from "../components/observability/grafana";
import { MONITORING_NAMESPACE } from "../components/observability/shared";
import { releaseChart } from "../components/helm/workloads";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { ofType, single, stack, stackWith } from "./support/stacks";

const INSTANCE = "aws:rds/instance:Instance";
const DB = "nist-eks-prod-grafana-db";

const grafanaRelease = (run: StackRun): PlannedResource => ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => releaseChart(r.inputs) === "grafana")!;

describe("Grafana's database", () => {
    describe("a Postgres major upgrade", () => {
        const upgraded = () => stackWith("prod", (c) => { c.observability.grafana.database.engineVersion = "18"; });

        it("is an upgrade in place, applied in the `pulumi up` that declares it", async () => {
            const db = single(await stack("prod"), INSTANCE);
            expect(db.inputs).to.deep.include({ engineVersion: "17", allowMajorVersionUpgrade: true, autoMinorVersionUpgrade: true, applyImmediately: true });
            const after = single(await upgraded(), INSTANCE);
            expect(after.urn).to.equal(db.urn);
            expect(after.inputs.engineVersion).to.equal("18");
            // What RDS cannot change in place stays as it was: the upgrade replaces nothing that holds data.
            for (const input of ["identifier", "engine", "dbName", "username", "storageEncrypted", "kmsKeyId", "port", "dbSubnetGroupName"]) {
                expect(after.inputs[input], input).to.deep.equal(db.inputs[input]);
            }
        });

        it("declares the new family's parameter group under a new name, so it exists before the old one is deleted", async () => {
            const [before, after] = [await stack("prod"), await upgraded()];
            const [oldGroup, newGroup] = [single(before, "aws:rds/parameterGroup:ParameterGroup"), single(after, "aws:rds/parameterGroup:ParameterGroup")];
            expect(oldGroup.inputs).to.deep.include({ name: `${DB}-postgres17`, family: "postgres17" });
            expect(newGroup.inputs).to.deep.include({ name: `${DB}-postgres18`, family: "postgres18" });
            expect(parameterGroupName(DB, "18")).to.equal(`${DB}-${parameterGroupFamily("18")}`);
            // Same resource, new name and family: Pulumi replaces it create-before-delete, and the
            // instance moves onto the new group in the same update, freeing the old one.
            expect(newGroup.urn).to.equal(oldGroup.urn);
            expect(newGroup.deleteBeforeReplace ?? false).to.equal(false);
            expect(newGroup.inputs.parameters).to.deep.equal(oldGroup.inputs.parameters);
            expect(single(after, INSTANCE).inputs.parameterGroupName).to.equal(newGroup.outputs.name);
            expect(single(after, INSTANCE).dependencies).to.include(newGroup.urn);
        });

        it("moves Grafana's user Job to the client of the new major version", async () => {
            const job = (run: StackRun) => ofType(run, "kubernetes:batch/v1:Job").find((j) => j.inputs.metadata.namespace === MONITORING_NAMESPACE)!;
            expect(job(await stack("prod")).inputs.spec.template.spec.containers[0].image).to.equal("public.ecr.aws/docker/library/postgres:17.9-alpine");
            expect(job(await upgraded()).inputs.spec.template.spec.containers[0].image).to.equal("public.ecr.aws/docker/library/postgres:18.3-alpine");
        });
    });

    describe("credentials", () => {
        it("leaves the master password to RDS, in Secrets Manager under the database's own key", async () => {
            const run = await stack("prod");
            const db = single(run, INSTANCE);
            const key = ofType(run, "aws:kms/key:Key").find((k) => k.name === `${DB}-key`)!;
            expect(db.inputs).to.deep.include({ manageMasterUserPassword: true, masterUserSecretKmsKeyId: key.outputs.arn, username: "grafana" });
            expect(db.inputs).to.not.have.property("password");
            expect(db.outputs.masterUserSecrets[0].secretArn).to.match(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
        });

        it("connects Grafana as its own user, set up by a Job that alone may read the master secret", async () => {
            const run = await stack("prod");
            const db = single(run, INSTANCE);
            const key = ofType(run, "aws:kms/key:Key").find((k) => k.name === `${DB}-key`)!;
            const grafana = grafanaRelease(run);
            expect(grafana.inputs.values["grafana.ini"].database.user).to.equal("grafana_app");

            const jobs = ofType(run, "kubernetes:batch/v1:Job");
            expect(jobs).to.have.length(1);
            const job = jobs[0];
            const password = ofType(run, "random:index/randomPassword:RandomPassword").find((p) => p.name === `${DB}-password`)!;
            expect(password.protect).to.equal(false);
            expect(job.inputs.metadata).to.deep.equal({ name: clientUserJobName("grafana_app", password.outputs.result), namespace: MONITORING_NAMESPACE });
            expect(grafana.dependencies).to.include(job.urn);
            // Grafana's pods name the Job: a rotated password restarts them once the database has it.
            expect(grafana.inputs.values.podAnnotations).to.deep.equal({ [DATABASE_USER_JOB_ANNOTATION]: job.inputs.metadata.name });

            const pod = job.inputs.spec.template.spec;
            const [init] = pod.initContainers;
            const [main] = pod.containers;
            expect(init.image).to.equal(AWS_CLI_IMAGE);
            expect(init.env).to.deep.include({ name: "MASTER_SECRET_ARN", value: db.outputs.masterUserSecrets[0].secretArn });
            expect(main.command).to.deep.equal(["/bin/sh", "-c", CLIENT_USER_SCRIPT]);
            expect(main.env).to.deep.include.members([
                { name: "PGHOST", value: db.outputs.address },
                { name: "PGPORT", value: "5432" },
                { name: "PGDATABASE", value: "grafana" },
                // Verified against the RDS root Grafana verifies with, mounted from the same ConfigMap.
                { name: "PGSSLMODE", value: "verify-full" },
                { name: "PGSSLROOTCERT", value: `/etc/ssl/rds/${GRAFANA_DATABASE_CA.key}` },
                { name: "CLIENT_USER", value: "grafana_app" },
                { name: "CLIENT_PASSWORD", valueFrom: { secretKeyRef: { name: GRAFANA_DATABASE_SECRET.name, key: GRAFANA_DATABASE_SECRET.passwordKey } } },
            ]);
            expect(JSON.stringify(job.inputs)).to.not.include(password.outputs.result);
            // The master credential only in memory, and the Job as the image's unprivileged user.
            expect(pod.volumes).to.deep.include({ name: "credentials", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } });
            expect(pod.volumes).to.deep.include({ name: "server-ca", configMap: { name: GRAFANA_DATABASE_CA.configMap } });
            expect(pod.securityContext).to.deep.include({ runAsNonRoot: true, runAsUser: 70 });

            // Its service account's role reads the one secret and decrypts only through Secrets Manager.
            const account = ofType(run, "kubernetes:core/v1:ServiceAccount").find((a) => a.inputs.metadata.name === pod.serviceAccountName)!;
            const role = ofType(run, "aws:iam/role:Role").find((r) => r.outputs.arn === account.inputs.metadata.annotations["eks.amazonaws.com/role-arn"])!;
            const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
            expect(Object.entries(trust).find(([k]) => k.endsWith(":sub"))![1]).to.equal(`system:serviceaccount:${MONITORING_NAMESPACE}:${pod.serviceAccountName}`);
            const policy = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === role.outputs.name || p.inputs.role === role.outputs.id)!;
            expect(policy.inputs.policy).to.equal(masterSecretReadPolicy({ masterSecretArn: db.outputs.masterUserSecrets[0].secretArn, kmsKeyArn: key.outputs.arn, region: "us-east-1" }));
        });

        it("rotating Grafana's password runs the Job again under a new name", async () => {
            expect(clientUserJobName("grafana_app", "a".repeat(32))).to.not.equal(clientUserJobName("grafana_app", "b".repeat(32)));
            expect(clientUserJobName("grafana_app", "a".repeat(32))).to.match(/^grafana-app-db-user-[0-9a-f]{10}$/);
        });

        it("grants the user its one database and schema, idempotently, and moves the master's old tables to it", () => {
            expect(CLIENT_USER_SQL).to.include("WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user')");
            expect(CLIENT_USER_SQL).to.include("ALTER ROLE :\"user\" WITH LOGIN PASSWORD :'password';");
            expect(CLIENT_USER_SQL).to.include("GRANT CONNECT, TEMPORARY ON DATABASE :\"database\" TO :\"user\";");
            expect(CLIENT_USER_SQL).to.include("GRANT USAGE, CREATE ON SCHEMA public TO :\"user\";");
            expect(CLIENT_USER_SQL).to.not.match(/SUPERUSER|CREATEDB|CREATEROLE|rds_superuser/);
        });

        it("reads the master's user name and password from the secret's JSON, escapes undone", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "master-"));
            const file = path.join(dir, "master.json");
            const secret = { username: "grafana", password: 'p\\a"ss{w}$rd`x' };
            fs.writeFileSync(file, JSON.stringify(secret));
            const reader = CLIENT_USER_SCRIPT.split("\n").slice(0, 4).join("\n").replace(/\/credentials\/master\.json/g, file);
            const out = execFileSync("/bin/sh", ["-c", `${reader}\nprintf '%s\\n%s' "$PGUSER" "$PGPASSWORD"`], { encoding: "utf8" });
            expect(out).to.equal(`${secret.username}\n${secret.password}`);
            fs.rmSync(dir, { recursive: true });
        });
    });

    describe("logs and a destroy", () => {
        it("exports the server's and pg_upgrade's logs to log groups that exist first, encrypted with the logs key and kept as configured", async () => {
            const run = await stack("prod");
            const db = single(run, INSTANCE);
            expect(db.inputs.identifier).to.equal(DB);
            expect(db.inputs.enabledCloudwatchLogsExports).to.deep.equal([...EXPORTED_LOGS]);
            const logsKey = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-logs"))!;
            for (const log of EXPORTED_LOGS) {
                const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === exportedLogGroupName(DB, log))!;
                expect(group.inputs).to.deep.include({ name: `/aws/rds/instance/${DB}/${log}`, retentionInDays: 365, kmsKeyId: logsKey.outputs.arn });
                expect(group.protect).to.equal(true);
                expect(db.dependencies).to.include(group.urn);
            }
        });

        it("accepts IAM authentication and sends enhanced monitoring through a role only RDS's monitoring service assumes", async () => {
            const run = await stack("prod");
            const db = single(run, INSTANCE);
            const role = single(run, "aws:iam/role:Role", "-grafana-db-monitoring-role");
            expect(db.inputs).to.deep.include({ iamDatabaseAuthenticationEnabled: true, monitoringInterval: MONITORING_INTERVAL_SECONDS, monitoringRoleArn: role.outputs.arn });
            expect(JSON.parse(role.inputs.assumeRolePolicy)).to.deep.equal({
                Statement: [{
                    Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" },
                    Condition: { ArnLike: { "aws:SourceArn": `arn:aws:rds:us-east-1:123456789012:db:${DB}` }, StringEquals: { "aws:SourceAccount": "123456789012" } },
                }],
                Version: "2012-10-17",
            });
            const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.outputs.name);
            expect(attached.map((a) => a.inputs.policyArn)).to.deep.equal(["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
            // The instance waits for the policy: without it RDS refuses the monitoring role.
            expect(db.dependencies).to.include(attached[0].urn);
        });

        it("takes a daily AWS Backup recovery point into a vault under the database's key, kept as long as the automated backups (RDS.26)", async () => {
            const run = await stack("prod");
            const config = run.config.observability.grafana.database;
            expect(config.engine === "postgres" && config.backupRetentionDays).to.equal(7);
            const db = single(run, INSTANCE);
            const key = single(run, "aws:kms/key:Key", "-grafana-db-key");
            const vault = single(run, "aws:backup/vault:Vault");
            expect(vault.inputs).to.deep.equal({ kmsKeyArn: key.outputs.arn, forceDestroy: false });
            expect(vault.protect).to.equal(true);
            expect(single(run, "aws:backup/plan:Plan").inputs).to.deep.equal({
                name: `${DB}-daily`,
                rules: [{ ruleName: "daily", targetVaultName: vault.outputs.name, schedule: BACKUP_SCHEDULE, startWindow: 60, completionWindow: 180, lifecycle: { deleteAfter: 7 } }],
            });
            const role = single(run, "aws:iam/role:Role", "-grafana-db-backup-role");
            const selection = single(run, "aws:backup/selection:Selection");
            expect(selection.inputs).to.deep.equal({ name: `${DB}-instance`, planId: single(run, "aws:backup/plan:Plan").outputs.id, iamRoleArn: role.outputs.arn, resources: [db.outputs.arn] });
            expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).to.deep.equal([{ Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }]);
            const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role.outputs.name);
            expect(attached.map((a) => a.inputs.policyArn)).to.deep.equal(BACKUP_ROLE_POLICIES.map((p) => `arn:aws:iam::aws:policy/service-role/${p}`));
            // The key lets AWS Backup use it for this account, as RDS and Secrets Manager do.
            const through = JSON.parse(key.inputs.policy).Statement.find((s: any) => s.Sid === "UseThroughRDS").Condition.StringEquals["kms:ViaService"];
            expect(through).to.deep.equal(["backup.us-east-1.amazonaws.com", "rds.us-east-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"]);
        });

        it("keeps the automated backups and a final snapshot whose name a later destroy cannot collide with", async () => {
            const run = await stack("prod");
            const db = single(run, INSTANCE);
            const suffix = single(run, "random:index/randomId:RandomId", "-final-snapshot-suffix");
            expect(db.inputs).to.deep.include({ skipFinalSnapshot: false, deleteAutomatedBackups: false, deletionProtection: true });
            expect(db.inputs.finalSnapshotIdentifier).to.equal(`${DB}-final-${suffix.outputs.hex}`);
            expect(suffix.outputs.hex).to.match(/^[0-9a-f]{8}$/);
            // A stack created again gets a new suffix: the snapshot of the first instance keeps its name.
            expect(db.dependencies).to.include(suffix.urn);
        });
    });
});
