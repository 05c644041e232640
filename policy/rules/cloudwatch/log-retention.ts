import { Environment } from "../../lib/environment";
import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { isTelemetryLogGroup } from "../../lib/telemetry-logs";
import { readNonEmptyString, readNumber, readString } from "../../lib/values";

interface Config {
    readonly minimumRetentionDays?: number;
    readonly telemetryMinimumRetentionDays?: number;
}

/**
 * Without configured minimum: a month of logs covers dev's troubleshooting; prod keeps a year,
 * the usual audit-record retention for moderate-impact systems (AU-11).
 */
const DEFAULT_MINIMUM_DAYS: Record<Environment, number> = { dev: 30, prod: 365 };
/** Telemetry groups stand in for Loki: prod's 90 days (observability-retention), dev's week. */
const DEFAULT_TELEMETRY_MINIMUM_DAYS: Record<Environment, number> = { dev: 7, prod: 90 };

export const logRetention = defineResourcePolicy<Config>({
    name: "log-retention",
    description: "CloudWatch log groups keep their events at least the configured minimum (default 30 days in dev, 365 in prod; the telemetry groups of the observability modes, container logs and AMP's, 7 and 90 days, as Loki would) and are encrypted with a customer-managed KMS key.",
    nist: ["AU-11", "AU-9"],
    anchors: ["SecurityHub:CloudWatch.16", "cdk-nag:NIST.800.53.R5-CloudWatchLogGroupEncrypted"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set retentionInDays to at least the minimum (network.flowLogRetentionDays, cluster.controlPlaneLogRetentionDays, observability.managed.logRetentionDays for the telemetry groups) and kmsKeyId to the stack's logs KMS key ARN.",
    config: {
        minimumRetentionDays: {
            type: "integer",
            minimum: 1,
            description: "The shortest retention allowed; unset, 30 days in dev and 365 in prod",
        },
        telemetryMinimumRetentionDays: {
            type: "integer",
            minimum: 1,
            description: "The shortest retention of the telemetry groups (/aws/containerinsights/..., /aws/vendedlogs/prometheus/...); unset, 7 days in dev and 90 in prod",
        },
    },
    resourceTypes: [T.logGroup],
    validate(resource, { environment, config }, report) {
        const name = readString(resource.props.name);
        const telemetry = typeof name === "string" && isTelemetryLogGroup(name);
        const minimum = telemetry
            ? config.telemetryMinimumRetentionDays ?? DEFAULT_TELEMETRY_MINIMUM_DAYS[environment]
            : config.minimumRetentionDays ?? DEFAULT_MINIMUM_DAYS[environment];
        const days = readNumber(resource.props.retentionInDays);
        // 0 or unset means never expire, which keeps records longer than any minimum.
        if (typeof days === "number" && days > 0 && days < minimum) report(`retentionInDays is ${days}, below the ${environment} minimum of ${minimum}${telemetry ? " for telemetry log groups" : ""}`);
        if (readNonEmptyString(resource.props.kmsKeyId) === undefined) report("no kmsKeyId: the log group is encrypted only with a CloudWatch-owned key");
    },
});
