import { expect } from "chai";
import { stackWiring, releaseChart } from "../components/helm/workloads";
import { CLOUDWATCH_ADDON, CLOUDWATCH_OTLP_GRPC, cloudwatchAddonConfiguration, containerInsightsLogGroups } from "../components/observability/cloudwatch-addon";
import {
    ampAlertManagerDefinition, ampRemoteWritePolicy, ampRuleGroups, cloudwatchAgentPolicy, grafanaReadPolicy, grafanaServiceTrustPolicy, PLATFORM_ALERTS,
} from "../components/observability/managed";
import { StackRun } from "../engine/run";
import { MOCK_ACCOUNT_ID } from "../engine/mocks";
import { irsaTrustPolicy } from "../components/cluster/irsa";
import { keeps, ManagedService, MODE_PARTS, OBSERVABILITY_MODES, SelfManagedPart } from "../lib/observability-modes";
import { policyReport } from "../planner/policy";
import { rejectionOf } from "./support/config";
import { inMode, ofType, single, stack, stackWith } from "./support/stacks";


const RELEASE = "kubernetes:helm.sh/v3:Release";
const charts = (run: StackRun) => ofType(run, RELEASE).map((r) => releaseChart(r.inputs)).sort();
const byName = (run: StackRun, type: string, suffix: string) => single(run, type, suffix);
const outputsOf = (run: StackRun, type: string, suffix: string) => byName(run, type, suffix).outputs;
const telemetryKeyArn = (run: StackRun) => outputsOf(run, "aws:kms/key:Key", "-telemetry").arn;
const logsKeyArn = (run: StackRun) => outputsOf(run, "aws:kms/key:Key", "-logs").arn;
const policyOf = (run: StackRun, suffix: string) => JSON.parse(byName(run, "aws:iam/rolePolicy:RolePolicy", suffix).inputs.policy);

/** The charts each self-managed part installs. */
const PART_CHARTS: Record<SelfManagedPart, readonly string[]> = {
    prometheus: ["kube-prometheus-stack"], mimir: ["mimir-distributed"], kafka: ["strimzi-kafka-operator"], loki: ["loki"], alloy: ["alloy"],
    tempo: ["tempo", "tempo-distributed"], grafana: ["grafana"], kiali: ["kiali-server"], kubecost: ["kubecost"],
};

/** What a run declares of each managed service. */
function declaredServices(run: StackRun): ManagedService[] {
    const addon = ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === CLOUDWATCH_ADDON);
    const agent = addon ? JSON.parse(addon.inputs.configurationValues).agent.config : {};
    const found: [ManagedService, boolean][] = [
        ["container-insights", Boolean(agent.logs?.metrics_collected?.kubernetes)],
        ["cloudwatch-logs", Boolean(addon) && JSON.parse(addon!.inputs.configurationValues).containerLogs.enabled === true],
        ["xray", Boolean(agent.traces)],
        ["cloudwatch-dashboards", ofType(run, "aws:cloudwatch/dashboard:Dashboard").length > 0],
        ["cloudwatch-alarms", ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").length > 0],
        ["amp", ofType(run, "aws:amp/workspace:Workspace").length > 0],
        ["amg", ofType(run, "aws:grafana/workspace:Workspace").length > 0],
    ];
    return found.filter(([, on]) => on).map(([service]) => service);
}

describe("observability modes", function () {
    this.timeout(300_000);

    describe("config", () => {
        it("names the key, the value and the modes allowed for an unknown mode", () => {
            expect(rejectionOf("prod", (c) => { c.observability.mode = "cloudwatch"; })?.message)
                .to.contain('observability.mode: got "cloudwatch"; allowed: one of self-managed, aws-managed, amp-amg, hybrid');
        });

        it("refuses an alarm topic outside the stack's region, and SAML without what it needs, one error per key", () => {
            expect(rejectionOf("prod", (c) => { c.observability.mode = "aws-managed"; c.observability.managed.alarmTopicArns = ["arn:aws:sns:us-west-2:123456789012:alarms"]; })?.message)
                .to.contain("observability.managed.alarmTopicArns[0]: got \"arn:aws:sns:us-west-2:123456789012:alarms\"; allowed: an SNS topic in the stack's region (us-east-1)");
            const saml = rejectionOf("dev", (c) => { c.observability.managed.grafana = { authentication: "saml", idpMetadataUrl: "http://idp.example.com/metadata", roleAttribute: "role", adminRoleValues: ["admin"], editorRoleValues: [], loginValidityMinutes: 60 }; })?.message ?? "";
            const lines = saml.split("\n").filter((l) => l.startsWith("  - "));
            expect(lines).to.deep.equal([
                '  - observability.managed.grafana.idpMetadataUrl: got "http://idp.example.com/metadata"; allowed: an https URL of the identity provider\'s SAML metadata',
                "  - observability.managed.grafana.editorRoleValues: got []; allowed: at least one value of the SAML role attribute",
            ]);
        });
    });

    for (const mode of OBSERVABILITY_MODES) {
        it(`${mode}: declares exactly the services and runs exactly the parts its row of the mode table says, and every address it names resolves`, async () => {
            for (const name of ["dev", "prod"] as const) {
                const [run, base] = [await inMode(name, mode), await stack(name)];
                const rendered = charts(run);
                for (const [part, partCharts] of Object.entries(PART_CHARTS) as [SelfManagedPart, readonly string[]][]) {
                    // A kept part runs where the stack file turns it on (as in self-managed); a dropped one never.
                    const expected = keeps(mode, part) ? partCharts.filter((c) => charts(base).includes(c)) : [];
                    expect(partCharts.filter((c) => rendered.includes(c)), `${name} ${mode} ${part}`).to.deep.equal(expected);
                }
                expect(declaredServices(run), `${name} ${mode}`).to.deep.equal(MODE_PARTS[mode].services);
                expect(stackWiring(run.resources).filter((a) => a.unresolved).map((a) => `${a.usedBy}: ${a.unresolved}`), `${name} ${mode}`).to.deep.equal([]);
                expect(policyReport(run.resources, name).violations.map((v) => `${v.policy}: ${v.message}`), `${name} ${mode} policy`).to.deep.equal([]);
            }
        });
    }

    it("a mode that keeps container logs less than prod's 90 days is a mandatory violation naming AU-11", async () => {
        const run = await stackWith("prod", (c) => { c.observability.mode = "aws-managed"; c.observability.managed.logRetentionDays = 30; });
        const violations = policyReport(run.resources, "prod").violations;
        const application = "/aws/containerinsights/nist-eks-prod/application";
        expect(violations.filter((v) => v.policy === "observability-retention").map((v) => [v.message, v.nist, v.enforcementLevel])).to.deep.equal([
            [`logs: log group ${application} keeps 30 days, below 90d`, ["AU-11"], "mandatory"],
        ]);
        // Fluent Bit's three groups and Container Insights' performance group.
        expect(violations.filter((v) => v.policy === "log-retention").map((v) => [v.message, v.nist, v.enforcementLevel])).to.deep.equal(
            Array(4).fill(["retentionInDays is 30, below the prod minimum of 90 for telemetry log groups", ["AU-11", "AU-9"], "mandatory"]));
        expect(violations.length).to.equal(5);
    });

    describe("aws-managed (prod)", () => {
        it("installs the pinned CloudWatch add-on as its own IRSA role, which writes only to the stack's log groups", async () => {
            const run = await inMode("prod", "aws-managed");
            const addon = ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === CLOUDWATCH_ADDON)!;
            const role = byName(run, "aws:iam/role:Role", "-managed-cloudwatch-agent-role");
            expect(addon.inputs).to.deep.equal({
                clusterName: "nist-eks-prod", addonName: CLOUDWATCH_ADDON, addonVersion: "v4.7.0-eksbuild.1",
                configurationValues: cloudwatchAddonConfiguration("aws-managed"), serviceAccountRoleArn: role.outputs.arn,
                resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE",
            });
            const oidc = single(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").outputs.arn;
            const issuer = String(oidc).split("oidc-provider/")[1];
            expect(JSON.parse(role.inputs.assumeRolePolicy)).to.deep.equal(JSON.parse(irsaTrustPolicy(oidc, issuer, "amazon-cloudwatch", "cloudwatch-agent")));
            const groupArns = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws/containerinsights/")).map((g) => g.outputs.arn);
            expect(policyOf(run, "-managed-cloudwatch-agent-policy")).to.deep.equal(JSON.parse(cloudwatchAgentPolicy({ logGroupArns: groupArns, containerInsights: true, xray: true })));
        });

        it("keeps Container Insights' and Fluent Bit's logs 90 days under the logs key", async () => {
            const run = await inMode("prod", "aws-managed");
            const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws/containerinsights/"));
            const names = containerInsightsLogGroups("nist-eks-prod", "aws-managed");
            expect(groups.map((g) => g.inputs).sort((a, b) => a.name.localeCompare(b.name))).to.deep.equal(
                Object.values(names).sort().map((name) => ({ name, retentionInDays: 90, kmsKeyId: logsKeyArn(run) })));
            expect(groups.every((g) => g.protect)).to.equal(true);
        });

        it("declares the platform's alarms on Container Insights metrics, notifying the stack's topic, and two dashboards", async () => {
            const run = await inMode("prod", "aws-managed");
            const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
            const topic = ["arn:aws:sns:us-east-1:123456789012:platform-alarms"];
            expect(alarms.map((a) => a.inputs).sort((a, b) => a.name.localeCompare(b.name))).to.deep.equal(PLATFORM_ALERTS.map((a) => ({
                name: `nist-eks-prod-${a.name}`, alarmDescription: a.summary, namespace: "ContainerInsights", metricName: a.metric, dimensions: { ClusterName: "nist-eks-prod" },
                statistic: "Maximum", period: 300, evaluationPeriods: 3, comparisonOperator: "GreaterThanThreshold", threshold: a.threshold, treatMissingData: "breaching",
                alarmActions: topic, okActions: topic,
            })).sort((a, b) => a.name.localeCompare(b.name)));
            expect(ofType(run, "aws:cloudwatch/dashboard:Dashboard").map((d) => d.inputs.dashboardName).sort()).to.deep.equal(["nist-eks-prod-cluster", "nist-eks-prod-logs"]);
        });

        it("points the mesh's tracing at the agent's OTLP receiver, which the wiring graph resolves to the add-on's Service", async () => {
            const run = await inMode("prod", "aws-managed");
            expect(run.outputs.tracingEndpoint).to.equal(CLOUDWATCH_OTLP_GRPC);
            const tracing = stackWiring(run.resources).filter((a) => a.host.startsWith("cloudwatch-agent."));
            expect(tracing.map((a) => [a.port, a.resolvesTo])).to.deep.equal([[4315, "Service amazon-cloudwatch/cloudwatch-agent port 4315 (the EKS add-on amazon-cloudwatch-observability)"]]);
            // The agent's namespace is the add-on's, outside the mesh: the plan reports that hop as plaintext (README says so).
            expect((run.outputs.meshHops as { hop: string; protection: string; how: string }[]).filter((h) => h.hop.includes("cloudwatch-agent."))).to.deep.equal([{
                hop: "nist-eks-prod-security-istio-istiod values meshConfig.extensionProviders.0.opentelemetry.service -> cloudwatch-agent.amazon-cloudwatch.svc.cluster.local:4315",
                protection: "plaintext",
                how: "amazon-cloudwatch: a namespace outside the mesh",
            }]);
        });
    });

    describe("amp-amg (prod)", () => {
        it("creates the AMP workspace under the telemetry key, logging to its own encrypted group", async () => {
            const run = await inMode("prod", "amp-amg");
            const workspace = single(run, "aws:amp/workspace:Workspace");
            const logs = byName(run, "aws:cloudwatch/logGroup:LogGroup", "-managed-amp");
            expect(workspace.inputs).to.deep.equal({ alias: "nist-eks-prod-metrics", kmsKeyArn: telemetryKeyArn(run), loggingConfiguration: { logGroupArn: `${logs.outputs.arn}:*` } });
            expect(logs.inputs).to.deep.equal({ name: "/aws/vendedlogs/prometheus/nist-eks-prod", retentionInDays: 90, kmsKeyId: logsKeyArn(run) });
            expect(workspace.protect).to.equal(true);
            expect(single(run, "aws:amp/ruleGroupNamespace:RuleGroupNamespace").inputs).to.deep.equal({ workspaceId: workspace.outputs.id, name: "platform", data: ampRuleGroups("nist-eks-prod") });
            expect(single(run, "aws:amp/alertManagerDefinition:AlertManagerDefinition").inputs).to.deep.equal({
                workspaceId: workspace.outputs.id, definition: ampAlertManagerDefinition(["arn:aws:sns:us-east-1:123456789012:platform-alarms"], "us-east-1"),
            });
        });

        it("remote-writes from Prometheus to the workspace's endpoint, signed for us-east-1 as a role that may only write there", async () => {
            const run = await inMode("prod", "amp-amg");
            const workspace = single(run, "aws:amp/workspace:Workspace");
            const endpoint = String(workspace.outputs.prometheusEndpoint);
            expect(endpoint).to.match(/^https:\/\/aps-workspaces\.us-east-1\.amazonaws\.com\/workspaces\/ws-[0-9a-f-]+\/$/);
            const prometheus = ofType(run, RELEASE).find((r) => releaseChart(r.inputs) === "kube-prometheus-stack")!;
            const role = byName(run, "aws:iam/role:Role", "-observability-prometheus-irsa-role");
            expect(prometheus.inputs.values.prometheus.prometheusSpec.remoteWrite).to.deep.equal([{ url: `${endpoint}api/v1/remote_write`, sigv4: { region: "us-east-1" } }]);
            expect(prometheus.inputs.values.prometheus.serviceAccount).to.deep.equal({ annotations: { "eks.amazonaws.com/role-arn": role.outputs.arn } });
            expect(policyOf(run, "-observability-prometheus-irsa-policy")).to.deep.equal(JSON.parse(ampRemoteWritePolicy(String(workspace.outputs.arn))));
        });

        it("creates Amazon Managed Grafana with IAM Identity Center, AMP, CloudWatch and X-Ray, as a role scoped to them", async () => {
            const run = await inMode("prod", "amp-amg");
            const grafana = single(run, "aws:grafana/workspace:Workspace");
            const role = byName(run, "aws:iam/role:Role", "-managed-grafana-role");
            expect(grafana.inputs).to.deep.equal({
                name: "nist-eks-prod-grafana", description: "nist-eks-prod: dashboards over AMP, CloudWatch and X-Ray", accountAccessType: "CURRENT_ACCOUNT",
                authenticationProviders: ["AWS_SSO"], permissionType: "CUSTOMER_MANAGED", roleArn: role.outputs.arn, dataSources: ["CLOUDWATCH", "PROMETHEUS", "XRAY"],
                notificationDestinations: ["SNS"], grafanaVersion: "10.4", kmsKeyId: telemetryKeyArn(run),
                configuration: JSON.stringify({ plugins: { pluginAdminEnabled: false }, unifiedAlerting: { enabled: true } }),
            });
            expect(JSON.parse(role.inputs.assumeRolePolicy)).to.deep.equal(JSON.parse(grafanaServiceTrustPolicy(MOCK_ACCOUNT_ID, "aws", "us-east-1")));
            const groupArns = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("/aws/containerinsights/")).map((g) => g.outputs.arn);
            expect(policyOf(run, "-managed-grafana-policy")).to.deep.equal(JSON.parse(grafanaReadPolicy({
                workspaceArn: String(single(run, "aws:amp/workspace:Workspace").outputs.arn), logGroupArns: groupArns, xray: true, topicArns: ["arn:aws:sns:us-east-1:123456789012:platform-alarms"],
            })));
            expect(run.outputs.grafanaUrl).to.equal(`https://${grafana.outputs.endpoint}`);
        });

        it("signs in through SAML with the role values the config gives", async () => {
            const run = await stackWith("dev", (c) => {
                c.observability.mode = "amp-amg";
                c.observability.managed.grafana = { authentication: "saml", idpMetadataUrl: "https://idp.example.com/metadata", roleAttribute: "role", adminRoleValues: ["platform-admins"], editorRoleValues: ["platform-editors"], loginValidityMinutes: 60 };
            });
            const grafana = single(run, "aws:grafana/workspace:Workspace");
            expect(grafana.inputs.authenticationProviders).to.deep.equal(["SAML"]);
            expect(single(run, "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration").inputs).to.deep.equal({
                workspaceId: grafana.outputs.id, idpMetadataUrl: "https://idp.example.com/metadata", roleAssertion: "role",
                adminRoleValues: ["platform-admins"], editorRoleValues: ["platform-editors"], loginValidityDuration: 60,
            });
        });
    });

    describe("hybrid (prod)", () => {
        it("keeps Loki, Tempo, Kiali and Grafana, which queries AMP with SigV4 and CloudWatch as its own scoped role", async () => {
            const run = await inMode("prod", "hybrid");
            expect(charts(run)).to.include.members(["loki", "alloy", "tempo-distributed", "grafana", "kiali-server"]);
            const endpoint = String(single(run, "aws:amp/workspace:Workspace").outputs.prometheusEndpoint);
            const grafana = ofType(run, RELEASE).find((r) => releaseChart(r.inputs) === "grafana")!;
            const datasources = grafana.inputs.values.datasources["datasources.yaml"].datasources;
            expect(datasources.map((d: any) => d.type)).to.deep.equal(["prometheus", "loki", "tempo", "cloudwatch"]);
            expect(datasources[0].url).to.equal(endpoint.replace(/\/$/, ""));
            expect(datasources[0].jsonData).to.include({ sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "us-east-1" });
            expect(datasources[3].jsonData).to.deep.equal({ authType: "default", defaultRegion: "us-east-1" });
            const role = byName(run, "aws:iam/role:Role", "-observability-grafana-irsa-role");
            expect(grafana.inputs.values.serviceAccount).to.deep.equal({ annotations: { "eks.amazonaws.com/role-arn": role.outputs.arn } });
            expect(grafana.inputs.values["grafana.ini"].auth).to.deep.equal({ sigv4_auth_enabled: true });
            // Grafana reads the mode's log groups: Fluent Bit's and AMP's own.
            const groupArns = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => /^\/aws\/(containerinsights|vendedlogs\/prometheus)\//.test(String(g.inputs.name))).map((g) => g.outputs.arn);
            expect(policyOf(run, "-observability-grafana-irsa-policy")).to.deep.equal(JSON.parse(grafanaReadPolicy({ workspaceArn: String(single(run, "aws:amp/workspace:Workspace").outputs.arn), logGroupArns: groupArns, xray: false })));
        });
    });
});
