import { defineResourcePolicy } from "../../lib/policy";
import { readFlag, readNonEmptyString, readNumber, UNKNOWN } from "../../lib/values";

const RDS_INSTANCE = "aws:rds/instance:Instance";

interface Config {
    readonly prodMinimumBackupRetentionDays: number;
}

export const rdsDatabase = defineResourcePolicy<Config>({
    name: "rds-database",
    description: "RDS instances are encrypted with a customer-managed KMS key, not publicly accessible, and keep automated backups; in prod backups are kept at least a week and deletion protection is on.",
    nist: ["SC-28", "SC-12", "SC-7", "CP-9"],
    anchors: ["SecurityHub:RDS.2", "SecurityHub:RDS.3", "SecurityHub:RDS.8", "cdk-nag:NIST.800.53.R5-RDSInstancePublicAccess", "cdk-nag:NIST.800.53.R5-RDSStorageEncrypted", "cdk-nag:NIST.800.53.R5-RDSInstanceBackupEnabled", "cdk-nag:NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set storageEncrypted true with kmsKeyId a customer-managed key, publiclyAccessible false, backupRetentionPeriod of at least 1 (7 in prod, observability.grafana.database.backupRetentionDays) and, in prod, deletionProtection true (components/database).",
    resourceTypes: [RDS_INSTANCE],
    config: {
        prodMinimumBackupRetentionDays: { type: "integer", default: 7, minimum: 1, maximum: 35, description: "Fewest days of automated backups in prod" },
    },
    validate(resource, { environment, config }, report) {
        const { props } = resource;
        const encrypted = readFlag(props.storageEncrypted);
        if (encrypted === false || encrypted === undefined) report("storageEncrypted is not true (RDS leaves storage unencrypted by default)");
        if (readNonEmptyString(props.kmsKeyId) === undefined) report("no kmsKeyId: storage would use the AWS-managed key instead of a customer-managed one");
        if (readFlag(props.publiclyAccessible) === true) report("publiclyAccessible is true");
        const retention = readNumber(props.backupRetentionPeriod);
        if (retention !== UNKNOWN) {
            if (retention === undefined) report("backupRetentionPeriod is not set: state the days of automated backups");
            else if (retention < 1) report("backupRetentionPeriod is 0: automated backups are off");
            else if (environment === "prod" && retention < config.prodMinimumBackupRetentionDays) {
                report(`prod: backupRetentionPeriod is ${retention}, at least ${config.prodMinimumBackupRetentionDays} days required`);
            }
        }
        const deletionProtection = readFlag(props.deletionProtection);
        if (environment === "prod" && (deletionProtection === false || deletionProtection === undefined)) report("prod: deletionProtection is not true");
    },
});
