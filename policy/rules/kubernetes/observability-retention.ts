import { DurationDialect, durationHours, formatHours } from "../../lib/duration";
import { releasesOf } from "../../lib/helm";
import { defineStackPolicy, StackResource } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { isContainerLogGroup } from "../../lib/telemetry-logs";
import { at, readJsonObject, readNumber, readString, UNKNOWN } from "../../lib/values";

/** Where one chart keeps a signal's retention, and the duration dialect the tool parses it in. */
interface RetentionSetting {
    readonly chart: string;
    /** Value paths in the chart's values, newest chart layout first. */
    readonly paths: ReadonlyArray<readonly string[]>;
    readonly dialect: DurationDialect;
}

interface Signal {
    readonly signal: string;
    readonly minimumHours: number;
    readonly settings: readonly RetentionSetting[];
}

const SIGNALS: readonly Signal[] = [
    {
        signal: "logs",
        minimumHours: 90 * 24,
        settings: [{ chart: "loki", paths: [["loki", "limits_config", "retention_period"]], dialect: "prometheus" }],
    },
    {
        signal: "traces",
        minimumHours: 30 * 24,
        settings: [
            {
                chart: "tempo-distributed",
                paths: [
                    ["backendScheduler", "config", "provider", "compaction", "compaction", "block_retention"],
                    // Charts before the backend scheduler kept it on the compactor.
                    ["compactor", "config", "compaction", "block_retention"],
                ],
                dialect: "go",
            },
            { chart: "tempo", paths: [["tempo", "retention"]], dialect: "go" },
        ],
    },
    {
        signal: "metrics",
        minimumHours: 15 * 24,
        settings: [{ chart: "kube-prometheus-stack", paths: [["prometheus", "prometheusSpec", "retention"]], dialect: "prometheus" }],
    },
];

/** The problem with one release's retention; undefined when it is long enough or unknown. */
function retentionProblem(release: StackResource, setting: RetentionSetting, minimumHours: number): string | undefined {
    const found = setting.paths.map((path) => ({ path, value: at(release.props, "values", ...path) })).find((p) => p.value !== undefined);
    const where = `${setting.chart} values.${(found?.path ?? setting.paths[0]).join(".")}`;
    const text = readString(found?.value);
    if (text === UNKNOWN) return undefined;
    if (text === undefined) return `${where} is not set`;
    const hours = durationHours(text, setting.dialect);
    if (hours === undefined) return `${where} "${text}" is not a duration ${setting.chart} accepts`;
    return hours < minimumHours ? `${where} is ${text}, below ${formatHours(minimumHours)}` : undefined;
}

/** X-Ray keeps every trace 30 days, a period the service fixes. */
const XRAY_RETENTION_HOURS = 30 * 24;

/**
 * Where an observability mode keeps a signal in AWS instead of a release: logs in the container log groups Fluent
 * Bit fills (each judged by its retention), traces in X-Ray when the CloudWatch add-on's agent receives them.
 * Undefined where the stack keeps the signal in no AWS service.
 */
function managedStoreProblems(resources: readonly StackResource[], signal: string, minimumHours: number): { resource?: StackResource; problem?: string }[] | undefined {
    if (signal === "logs") {
        const groups = resources.flatMap((r) => {
            const name = readString(r.props.name);
            return r.type === T.logGroup && typeof name === "string" && isContainerLogGroup(name) ? [{ group: r, name }] : [];
        });
        if (groups.length === 0) return undefined;
        return groups.map(({ group, name }) => {
            const days = readNumber(group.props.retentionInDays);
            // 0 or unset never expires; unknown is judged when known.
            const short = typeof days === "number" && days > 0 && days * 24 < minimumHours;
            return short ? { resource: group, problem: `logs: log group ${name} keeps ${days} days, below ${formatHours(minimumHours)}` } : {};
        });
    }
    if (signal === "traces") {
        const xray = resources.some((r) => r.type === T.eksAddon && readString(r.props.addonName) === "amazon-cloudwatch-observability"
            && at(readJsonObject(r.props.configurationValues), "agent", "config", "traces") !== undefined);
        if (!xray) return undefined;
        return XRAY_RETENTION_HOURS < minimumHours ? [{ problem: `traces: X-Ray keeps 30 days, below ${formatHours(minimumHours)}` }] : [];
    }
    return undefined;
}

export const observabilityRetention = defineStackPolicy({
    name: "observability-retention",
    description: "Prod keeps logs at least 90 days (Loki, or the container log groups of CloudWatch Logs), traces at least 30 days (Tempo, or X-Ray) and local metrics at least 15 days (Prometheus), long enough to investigate an incident after the fact.",
    nist: ["AU-11"],
    anchors: [],
    severity: "medium",
    enforcementLevel: "advisory",
    prodOnly: true,
    remediationSteps: "Set observability.loki.retention (or, in the modes that ship logs to CloudWatch, observability.managed.logRetentionDays) to 90 days or more, observability.tempo.retention to 30d or more and observability.prometheus.retention to 15d or more; long-term metrics belong in Mimir or AMP.",
    validate(resources, _context, report) {
        for (const { signal, minimumHours, settings } of SIGNALS) {
            const found = settings.flatMap((setting) => releasesOf(resources, setting.chart).map((release) => ({ release, setting })));
            const managed = managedStoreProblems(resources, signal, minimumHours);
            for (const { resource, problem } of managed ?? []) if (problem) report(problem, resource);
            if (found.length === 0 && managed === undefined) {
                report(`no ${settings.map((s) => s.chart).join(" or ")} release keeps ${signal}`);
                continue;
            }
            for (const { release, setting } of found) {
                const problem = retentionProblem(release, setting, minimumHours);
                if (problem) report(`${signal}: ${problem}`, release);
            }
        }
    },
});
