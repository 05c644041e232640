import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readString, UNKNOWN } from "../../lib/values";

/**
 * An Amazon Managed Service for Prometheus workspace logs its rule evaluations, alert manager and ingestion errors to
 * a CloudWatch log group: without it, a failing alert rule or dropped remote write leaves no record (AU-2, AU-12).
 * Its encryption with a customer-managed key is encryption-at-rest's.
 */
export const ampWorkspaceLogging = defineResourcePolicy({
    name: "amp-workspace-logging",
    description: "Amazon Managed Service for Prometheus workspaces send their vended logs (rules, alert manager, ingestion) to a CloudWatch log group.",
    nist: ["AU-2", "AU-12"],
    anchors: [],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Give the workspace a loggingConfiguration whose logGroupArn is an encrypted log group's ARN followed by :* (the platform declares /aws/vendedlogs/prometheus/<cluster> in the modes with AMP).",
    resourceTypes: [T.ampWorkspace],
    validate(resource, _context, report) {
        const arn = readString(at(resource.props, "loggingConfiguration", "logGroupArn"));
        if (arn === UNKNOWN) return;
        if (arn === undefined || arn === "") report("no loggingConfiguration.logGroupArn: rule, alert manager and ingestion errors are not logged");
        else if (!/^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:.+:\*$/.test(arn)) report(`loggingConfiguration.logGroupArn "${arn}" is not a log group ARN ending in :*`);
    },
});
