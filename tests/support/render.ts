/** Renders one chart with given values, for tests of what a values builder makes the chart run. */
import { ChartSource } from "../../components/helm/catalog";
import { StackRun } from "../../engine/run";
import { stackWorkloads } from "../../components/helm/workloads";
import { PlannedResource } from "../../engine/types";
import { Manifest, clusterApiVersions, renderRelease } from "../../lib/helm/render";
import { Workload, manifestWorkloads } from "../../lib/workloads";

export function renderChart(source: ChartSource, values: Record<string, unknown>, name = source.chart, namespace = "test"): readonly Manifest[] {
    return renderRelease({ name, namespace, chart: source.chart, version: source.version, values, kubeVersion: "1.35", apiVersions: clusterApiVersions([source.chart]) }).manifests;
}

/** The workloads a chart renders with these values. */
export function chartWorkloads(source: ChartSource, values: Record<string, unknown>): Workload[] {
    return manifestWorkloads(source.chart, source.chart, renderChart(source, values));
}

/** The workloads of one release (or resource) of a stack run, rendered and with admission's additions. */
export function workloadsOf(run: StackRun, resource: PlannedResource): Workload[] {
    return stackWorkloads(run.resources).workloads.filter((w) => w.source === resource.name);
}
