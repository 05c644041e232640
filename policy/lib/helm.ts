/** Helm releases (`kubernetes:helm.sh/v3:Release`) by the chart they install. */
import { StackResource } from "./policy";
import { T } from "./resource-types";
import { at, readString, UNKNOWN } from "./values";

/**
 * The chart's bare name: "velero" for "velero", "vmware-tanzu/velero" and
 * "oci://ghcr.io/vmware-tanzu/charts/velero".
 */
export function chartName(release: StackResource): string | undefined {
    const chart = readString(at(release.props, "chart"));
    if (chart === undefined || chart === UNKNOWN) return undefined;
    return chart.split("/").pop();
}

export function releasesOf(resources: readonly StackResource[], ...charts: string[]): StackResource[] {
    return resources.filter((r) => r.type === T.helmRelease && charts.includes(chartName(r) ?? ""));
}
