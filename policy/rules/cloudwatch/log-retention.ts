import { Environment } from "../../lib/environment";
import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { readNonEmptyString, readNumber } from "../../lib/values";

interface Config {
    readonly minimumRetentionDays?: number;
}

/**
 * Without configured minimum: a month of logs covers dev's troubleshooting; prod keeps a year,
 * the usual audit-record retention for moderate-impact systems (AU-11).
 */
const DEFAULT_MINIMUM_DAYS: Record<Environment, number> = { dev: 30, prod: 365 };

export const logRetention = defineResourcePolicy<Config>({
    name: "log-retention",
    description: "CloudWatch log groups keep their events at least the configured minimum (default 30 days in dev, 365 in prod) and are encrypted with a customer-managed KMS key.",
    nist: ["AU-11", "AU-9"],
    anchors: ["SecurityHub:CloudWatch.16", "cdk-nag:NIST.800.53.R5-CloudWatchLogGroupEncrypted"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set retentionInDays to at least the minimum (network.flowLogRetentionDays, cluster.controlPlaneLogRetentionDays) and kmsKeyId to the stack's logs KMS key ARN.",
    config: {
        minimumRetentionDays: {
            type: "integer",
            minimum: 1,
            description: "The shortest retention allowed; unset, 30 days in dev and 365 in prod",
        },
    },
    resourceTypes: [T.logGroup],
    validate(resource, { environment, config }, report) {
        const minimum = config.minimumRetentionDays ?? DEFAULT_MINIMUM_DAYS[environment];
        const days = readNumber(resource.props.retentionInDays);
        // 0 or unset means never expire, which keeps records longer than any minimum.
        if (typeof days === "number" && days > 0 && days < minimum) report(`retentionInDays is ${days}, below the ${environment} minimum of ${minimum}`);
        if (readNonEmptyString(resource.props.kmsKeyId) === undefined) report("no kmsKeyId: the log group is encrypted only with a CloudWatch-owned key");
    },
});
