import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { readJsonObject, readList, readString, UNKNOWN, at } from "../../lib/values";

/**
 * Amazon Managed Grafana reads through the role the stack gives it (customer-managed permissions, scoped to the
 * stack's workspace and log groups) rather than service-managed permissions, which attach AWS's broad read policies for
 * every data source; it serves this account only; and it installs no plugins from its UI, so what it runs is what is
 * declared. Its encryption with a customer-managed key is encryption-at-rest's.
 */
export const managedGrafana = defineResourcePolicy({
    name: "managed-grafana",
    description: "Amazon Managed Grafana workspaces use customer-managed permissions through a role of the stack's, serve the current account only, and do not let their admins install plugins from the UI.",
    nist: ["AC-6", "AC-3", "CM-7", "CM-11"],
    anchors: [],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set permissionType CUSTOMER_MANAGED with roleArn (the platform's role reads only its AMP workspace, CloudWatch, its log groups and X-Ray), accountAccessType CURRENT_ACCOUNT, and configuration {\"plugins\":{\"pluginAdminEnabled\":false}}.",
    resourceTypes: [T.grafanaWorkspace],
    validate(resource, _context, report) {
        const permissionType = readString(resource.props.permissionType);
        if (permissionType !== UNKNOWN && permissionType !== "CUSTOMER_MANAGED") report(`permissionType is ${permissionType ?? "not set"}: SERVICE_MANAGED attaches AWS's read policies for every data source instead of a role scoped to the stack's`);
        if (permissionType === "CUSTOMER_MANAGED" && readString(resource.props.roleArn) === undefined) report("no roleArn: customer-managed permissions need the stack's role");
        const access = readString(resource.props.accountAccessType);
        if (access !== UNKNOWN && access !== "CURRENT_ACCOUNT") report(`accountAccessType is ${access ?? "not set"}: the workspace would read other accounts of the organization`);
        const providers = readList(resource.props.authenticationProviders);
        if (providers !== UNKNOWN && (providers ?? []).length === 0) report("no authenticationProviders: nobody can sign in, or the workspace relies on API keys alone");
        const configuration = readJsonObject(resource.props.configuration);
        if (configuration !== UNKNOWN && at(configuration, "plugins", "pluginAdminEnabled") !== false) report("configuration does not set plugins.pluginAdminEnabled to false: admins could install plugins the stack does not declare");
    },
});
