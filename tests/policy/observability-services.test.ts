import { expect } from "chai";
import { ampWorkspaceLogging } from "../../policy/rules/amp/amp-workspace-logging";
import { logRetention } from "../../policy/rules/cloudwatch/log-retention";
import { managedGrafana } from "../../policy/rules/grafana/managed-grafana";
import { observabilityRetention } from "../../policy/rules/kubernetes/observability-retention";
import { check, messages, planned, UNKNOWN } from "./helpers";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const AMP = "aws:amp/workspace:Workspace";
const GRAFANA = "aws:grafana/workspace:Workspace";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const LOGS_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/prometheus/nist-eks-prod";
const group = (name: string, retentionInDays: unknown) => planned(LOG_GROUP, name.split("/").pop()!, { name, retentionInDays, kmsKeyId: KEY_ARN });

describe("policy log-retention, telemetry log groups", () => {
    it("holds container and AMP logs to Loki's minimum (90 days in prod, 7 in dev), and audit logs to the year", () => {
        expect(check(logRetention, [group("/aws/containerinsights/c/application", 90), group("/aws/vendedlogs/prometheus/c", 90)], "prod")).to.deep.equal([]);
        expect(check(logRetention, [group("/aws/containerinsights/c/application", 7)], "dev")).to.deep.equal([]);
        const violations = check(logRetention, [group("/aws/containerinsights/c/application", 30), group("/aws/eks/c/cluster", 90)], "prod");
        expect(violations.map((v) => [v.resourceName, v.message, v.nist])).to.deep.equal([
            ["application", "retentionInDays is 30, below the prod minimum of 90 for telemetry log groups", ["AU-11", "AU-9"]],
            ["cluster", "retentionInDays is 90, below the prod minimum of 365", ["AU-11", "AU-9"]],
        ]);
        expect(messages(check(logRetention, [group("/aws/containerinsights/c/host", 60)], "prod", { telemetryMinimumRetentionDays: 30 }))).to.deep.equal([]);
    });

    it("names the anchor checks it stands for", () => {
        // Not cdk-nag's retention-period check: an unset retention passes here (data/coverage-exclusions.ts says why).
        expect(logRetention.anchors).to.deep.equal(["SecurityHub:CloudWatch.16", "cdk-nag:NIST.800.53.R5-CloudWatchLogGroupEncrypted"]);
    });
});

describe("policy observability-retention, managed stores", () => {
    const prometheus = planned("kubernetes:helm.sh/v3:Release", "kube-prometheus-stack", { chart: "kube-prometheus-stack", name: "kube-prometheus-stack", values: { prometheus: { prometheusSpec: { retention: "15d" } } } });
    const addon = (agentConfig: object) => planned("aws:eks/addon:Addon", "cloudwatch", { addonName: "amazon-cloudwatch-observability", configurationValues: JSON.stringify({ agent: { config: agentConfig } }) });

    it("accepts logs in CloudWatch kept 90 days and traces in X-Ray instead of Loki and Tempo", () => {
        expect(check(observabilityRetention, [prometheus, group("/aws/containerinsights/c/application", 90), addon({ traces: { traces_collected: { otlp: {} } } })], "prod")).to.deep.equal([]);
    });

    it("reports a mode that keeps container logs less than 90 days in prod, and a stack that keeps traces nowhere", () => {
        const violations = check(observabilityRetention, [prometheus, group("/aws/containerinsights/c/application", 30), addon({})], "prod");
        expect(violations.map((v) => [v.resourceName, v.message, v.nist, v.enforcementLevel])).to.deep.equal([
            ["application", "logs: log group /aws/containerinsights/c/application keeps 30 days, below 90d", ["AU-11"], "advisory"],
            [undefined, "no tempo-distributed or tempo release keeps traces", ["AU-11"], "advisory"],
        ]);
    });
});

describe("policy amp-workspace-logging", () => {
    it("passes a workspace logging to a log group", () => {
        expect(check(ampWorkspaceLogging, [planned(AMP, "amp", { kmsKeyArn: KEY_ARN, loggingConfiguration: { logGroupArn: `${LOGS_ARN}:*` } })], "prod")).to.deep.equal([]);
        expect(check(ampWorkspaceLogging, [planned(AMP, "amp", { loggingConfiguration: { logGroupArn: UNKNOWN } })], "prod")).to.deep.equal([]);
    });

    it("fails a workspace without logging, or with an ARN AMP refuses", () => {
        expect(check(ampWorkspaceLogging, [planned(AMP, "amp", { kmsKeyArn: KEY_ARN })], "prod").map((v) => [v.message, v.nist, v.enforcementLevel])).to.deep.equal([
            ["no loggingConfiguration.logGroupArn: rule, alert manager and ingestion errors are not logged", ["AU-2", "AU-12"], "advisory"],
        ]);
        expect(messages(check(ampWorkspaceLogging, [planned(AMP, "amp", { loggingConfiguration: { logGroupArn: LOGS_ARN } })], "dev"))).to.deep.equal([
            `loggingConfiguration.logGroupArn "${LOGS_ARN}" is not a log group ARN ending in :*`,
        ]);
    });
});

describe("policy managed-grafana", () => {
    const good = {
        accountAccessType: "CURRENT_ACCOUNT", authenticationProviders: ["AWS_SSO"], permissionType: "CUSTOMER_MANAGED", roleArn: "arn:aws:iam::123456789012:role/grafana",
        kmsKeyId: KEY_ARN, configuration: JSON.stringify({ plugins: { pluginAdminEnabled: false } }),
    };

    it("passes a workspace on the stack's role, for this account, without plugin installs", () => {
        expect(check(managedGrafana, [planned(GRAFANA, "g", good)], "prod")).to.deep.equal([]);
        expect(check(managedGrafana, [planned(GRAFANA, "g", { ...good, permissionType: UNKNOWN, configuration: UNKNOWN })], "prod")).to.deep.equal([]);
    });

    it("fails service-managed permissions, organization access, no sign-in and plugin installs, one message each", () => {
        const bad = { ...good, permissionType: "SERVICE_MANAGED", roleArn: undefined, accountAccessType: "ORGANIZATION", authenticationProviders: [], configuration: JSON.stringify({ plugins: { pluginAdminEnabled: true } }) };
        expect(check(managedGrafana, [planned(GRAFANA, "g", bad)], "prod").map((v) => [v.message, v.enforcementLevel])).to.deep.equal([
            ["permissionType is SERVICE_MANAGED: SERVICE_MANAGED attaches AWS's read policies for every data source instead of a role scoped to the stack's", "advisory"],
            ["accountAccessType is ORGANIZATION: the workspace would read other accounts of the organization", "advisory"],
            ["no authenticationProviders: nobody can sign in, or the workspace relies on API keys alone", "advisory"],
            ["configuration does not set plugins.pluginAdminEnabled to false: admins could install plugins the stack does not declare", "advisory"],
        ]);
        expect(messages(check(managedGrafana, [planned(GRAFANA, "g", { ...good, roleArn: undefined })], "dev"))).to.deep.equal(["no roleArn: customer-managed permissions need the stack's role"]);
        expect(managedGrafana.nist).to.deep.equal(["AC-6", "AC-3", "CM-7", "CM-11"]);
    });
});
