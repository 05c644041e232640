/**
 * The application configs a stack's releases hand their programs, read from the rendered manifests: which file of
 * which ConfigMap or Secret each program reads, and the program's version from the image the render runs.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { stackWorkloads } from "../../components/helm/workloads";
import { StackRun } from "../../engine/run";
import { Manifest } from "../../lib/helm/render";

/** Where a program reads its config in a chart's render. */
interface Consumer {
    readonly program: string;
    /** The charts that install it. */
    readonly charts: readonly string[];
    /** The program's own image (its tag is the version the config must fit). */
    readonly image: RegExp;
    /** The data keys of its config files, by role ("config", "runtime"). */
    readonly files: Readonly<Record<string, string>>;
    /**
     * The chart writes its whole values as the config (kiali-server): its own top-level knobs that the program
     * does not define (skipResources) come with every install and are not ours, unless our values set them.
     */
    readonly valuesAsConfig?: true;
}

export const CONSUMERS: readonly Consumer[] = [
    { program: "loki", charts: ["loki"], image: /(^|\/)grafana\/loki:/, files: { config: "config.yaml", runtime: "runtime-config.yaml" } },
    { program: "tempo", charts: ["tempo", "tempo-distributed"], image: /(^|\/)grafana\/tempo:/, files: { config: "tempo.yaml", runtime: "overrides.yaml" } },
    { program: "mimir", charts: ["mimir-distributed"], image: /(^|\/)grafana\/mimir:/, files: { config: "mimir.yaml", runtime: "runtime.yaml" } },
    { program: "alloy", charts: ["alloy"], image: /(^|\/)grafana\/alloy:/, files: { config: "config.alloy" } },
    { program: "kiali", charts: ["kiali-server"], image: /(^|\/)kiali\/kiali:/, files: { config: "config.yaml" }, valuesAsConfig: true },
    { program: "grafana", charts: ["grafana"], image: /(^|\/)grafana\/grafana:/, files: { config: "grafana.ini" } },
];

export interface RenderedConfig {
    readonly release: string;
    readonly program: string;
    /** The image tag without a leading "v". */
    readonly version: string;
    readonly role: string;
    /** "<Kind>/<name> <data key>". */
    readonly from: string;
    readonly text: string;
    /** Top-level keys the chart itself adds to the config (see Consumer.valuesAsConfig). */
    readonly chartOwn: readonly string[];
}

function images(manifests: readonly Manifest[]): string[] {
    return manifests.flatMap((m) => {
        const pod = m.spec?.template?.spec ?? m.spec?.jobTemplate?.spec?.template?.spec;
        return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].map((c: any) => String(c.image));
    });
}

function files(manifests: readonly Manifest[], key: string): { from: string; text: string }[] {
    return manifests.flatMap((m) => {
        if (m.kind === "ConfigMap" && typeof m.data?.[key] === "string") return [{ from: `ConfigMap/${m.metadata.name} ${key}`, text: m.data[key] }];
        if (m.kind === "Secret" && typeof m.stringData?.[key] === "string") return [{ from: `Secret/${m.metadata.name} ${key}`, text: m.stringData[key] }];
        if (m.kind === "Secret" && typeof m.data?.[key] === "string") return [{ from: `Secret/${m.metadata.name} ${key}`, text: Buffer.from(m.data[key], "base64").toString("utf8") }];
        return [];
    });
}

/** The vendored chart's default values. */
function chartDefaults(chart: string): Record<string, unknown> {
    return YAML.parse(fs.readFileSync(path.join(__dirname, "..", "..", "charts", "vendor", chart, "values.yaml"), "utf8")) ?? {};
}

/** Every config file a consumer's release renders, with the version of the program that reads it. */
export function renderedConfigs(run: StackRun): RenderedConfig[] {
    const out: RenderedConfig[] = [];
    for (const { request, rendered } of stackWorkloads(run.resources).renders.values()) {
        const consumer = CONSUMERS.find((c) => c.charts.includes(request.chart));
        if (!consumer) continue;
        const tags = [...new Set(images(rendered.manifests).filter((i) => consumer.image.test(i)).map((i) => i.split("@")[0].split(":").pop()!.replace(/^v/, "")))];
        if (tags.length !== 1) throw new Error(`${request.name}: expected one ${consumer.program} image tag in the render, found ${tags.join(", ") || "none"}`);
        for (const [role, key] of Object.entries(consumer.files)) {
            const chartOwn = consumer.valuesAsConfig ? Object.keys(chartDefaults(request.chart)).filter((k) => !(k in request.values)) : [];
            for (const file of files(rendered.manifests, key)) out.push({ release: request.name, program: consumer.program, version: tags[0], role, chartOwn, ...file });
        }
    }
    return out;
}

/** Parses a YAML config as the program would: one document, with ${ENV} references left as text. */
export function parseYamlConfig(text: string): unknown {
    return YAML.parse(text, { maxAliasCount: -1 });
}
