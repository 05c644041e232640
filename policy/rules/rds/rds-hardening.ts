import { defineResourcePolicy } from "../../lib/policy";
import { readFlag, readList, readNonEmptyString, readNumber, readString, UNKNOWN } from "../../lib/values";

const RDS_INSTANCE = "aws:rds/instance:Instance";

/** The logs each engine family can export to CloudWatch Logs; an audit trail needs all of them. */
const ENGINE_LOGS: readonly { readonly prefix: string; readonly logs: readonly string[] }[] = [
    { prefix: "postgres", logs: ["postgresql", "upgrade"] },
    { prefix: "mysql", logs: ["audit", "error", "general", "slowquery"] },
    { prefix: "mariadb", logs: ["audit", "error", "general", "slowquery"] },
    { prefix: "oracle", logs: ["alert", "audit", "listener", "trace"] },
    { prefix: "sqlserver", logs: ["agent", "error"] },
];

/** The administrator names RDS proposes by default, which every scanner tries first. */
const DEFAULT_ADMIN_NAMES = ["admin", "postgres", "root"];

export const rdsHardening = defineResourcePolicy({
    name: "rds-hardening",
    description: "RDS instances export every log their engine has, accept IAM authentication, send enhanced monitoring through a role, sit in a VPC subnet group, take minor version upgrades, copy tags to snapshots and name their administrator themselves; prod runs a standby in a second zone.",
    nist: ["AU-2", "AU-12", "SI-4", "IA-2", "SI-2", "CP-10", "CM-8"],
    anchors: ["SecurityHub:RDS.5", "SecurityHub:RDS.6", "SecurityHub:RDS.9", "SecurityHub:RDS.10", "SecurityHub:RDS.13", "SecurityHub:RDS.17", "SecurityHub:RDS.18", "SecurityHub:RDS.25", "cdk-nag:NIST.800.53.R5-RDSEnhancedMonitoringEnabled", "cdk-nag:NIST.800.53.R5-RDSLoggingEnabled", "cdk-nag:NIST.800.53.R5-RDSMultiAZSupport"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "In components/database: enabledCloudwatchLogsExports with every log of the engine (PostgreSQL: postgresql, upgrade), iamDatabaseAuthenticationEnabled true, monitoringInterval > 0 with a monitoringRoleArn (a role trusted by monitoring.rds.amazonaws.com with AmazonRDSEnhancedMonitoringRole), dbSubnetGroupName set, autoMinorVersionUpgrade and copyTagsToSnapshot true, a username other than admin/postgres/root; prod: multiAz true (observability.grafana.database.multiAz).",
    resourceTypes: [RDS_INSTANCE],
    validate(resource, { environment }, report) {
        const { props } = resource;
        const engine = readString(props.engine);
        const family = typeof engine === "string" ? ENGINE_LOGS.find((e) => engine.startsWith(e.prefix)) : undefined;
        const exported = readList(props.enabledCloudwatchLogsExports);
        if (family && exported !== UNKNOWN) {
            const missing = family.logs.filter((log) => !(exported ?? []).includes(log));
            if (missing.length > 0) report(`enabledCloudwatchLogsExports lacks ${missing.join(", ")}: the ${family.prefix} logs not exported are lost with the instance`);
        }
        const notTrue = (key: string) => { const flag = readFlag(props[key]); return flag !== true && flag !== UNKNOWN; };
        if (notTrue("iamDatabaseAuthenticationEnabled")) report("iamDatabaseAuthenticationEnabled is not true");
        const interval = readNumber(props.monitoringInterval);
        if (interval !== UNKNOWN) {
            if (interval === undefined || interval <= 0) report("monitoringInterval is not set: enhanced monitoring is off");
            else if (readNonEmptyString(props.monitoringRoleArn) === undefined) report("monitoringInterval is set without a monitoringRoleArn: RDS cannot publish the metrics");
        }
        if (readNonEmptyString(props.dbSubnetGroupName) === undefined) report("no dbSubnetGroupName: the instance is not placed in the VPC's subnets");
        if (readFlag(props.autoMinorVersionUpgrade) === false) report("autoMinorVersionUpgrade is false: security fixes in minor versions are not applied");
        if (notTrue("copyTagsToSnapshot")) report("copyTagsToSnapshot is not true: snapshots lose the inventory tags");
        const username = readString(props.username);
        if (typeof username === "string" && DEFAULT_ADMIN_NAMES.includes(username.toLowerCase())) report(`username is "${username}", a default administrator name`);
        if (environment === "prod" && notTrue("multiAz")) report("prod: multiAz is not true: no standby takes over when the zone fails");
    },
});
