/**
 * Renders Helm releases with the pinned Helm and the vendored charts, exactly as an install would
 * see them: the release's name, namespace and values, the cluster's Kubernetes version and the API
 * versions it will serve. Results are cached by content in memory and in .cache/renders
 * (gitignored), so an unchanged release is never rendered twice.
 */
import * as crypto from "crypto";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as jsyaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { sortedJson } from "../json";
import { HELM_VERSION, helmBinary } from "./binary";
import { LockedChart, lockedChart, projectRoot, renderCacheDir } from "./vendor";

/** A Kubernetes object as a chart renders it. */
export interface Manifest {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
    readonly [field: string]: any;
}

/** One release to render: what the program sends to Helm. */
export interface ReleaseRequest {
    readonly name: string;
    readonly namespace: string;
    readonly chart: string;
    readonly version: string;
    readonly values: Record<string, unknown>;
    /** The cluster's Kubernetes minor version, e.g. "1.35". */
    readonly kubeVersion: string;
    /** What the cluster serves beyond Helm's built-in list, see {@link clusterApiVersions}. */
    readonly apiVersions: readonly string[];
}

export interface RenderedRelease {
    /** The render's content key, see {@link renderKey}. */
    readonly key: string;
    /** Every object the release creates, CRDs excepted, with namespaced ones in the release's namespace. */
    readonly manifests: readonly Manifest[];
}

/**
 * Group/versions, and the group/version/kinds templates test for, that every EKS cluster of the
 * platform serves but Helm's built-in list lacks.
 */
const CLUSTER_API_VERSIONS = ["policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/Ingress", "autoscaling/v2/HorizontalPodAutoscaler"];

/**
 * What each CRD-bearing chart adds to the cluster's API, so that other releases of the same stack
 * render their ServiceMonitors, PeerAuthentications or Velero objects as they will on install.
 * The CRD test checks every entry against the CRDs the chart renders.
 */
export const CHART_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
    "kube-prometheus-stack": ["monitoring.coreos.com/v1", "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PodMonitor", "monitoring.coreos.com/v1/PrometheusRule", "monitoring.coreos.com/v1/Prometheus", "monitoring.coreos.com/v1/Alertmanager"],
    base: ["security.istio.io/v1", "security.istio.io/v1/PeerAuthentication", "networking.istio.io/v1", "telemetry.istio.io/v1"],
    "strimzi-kafka-operator": ["kafka.strimzi.io/v1", "kafka.strimzi.io/v1/Kafka", "kafka.strimzi.io/v1/KafkaNodePool", "kafka.strimzi.io/v1/KafkaTopic", "kafka.strimzi.io/v1/KafkaUser"],
    velero: ["velero.io/v1", "velero.io/v1/Schedule", "velero.io/v1/BackupStorageLocation", "velero.io/v1/VolumeSnapshotLocation"],
    "trivy-operator": ["aquasecurity.github.io/v1alpha1"],
};

/** The API versions a cluster serves once the given charts are installed. */
export function clusterApiVersions(charts: readonly string[]): string[] {
    return [...new Set([...CLUSTER_API_VERSIONS, ...charts.flatMap((chart) => CHART_API_VERSIONS[chart] ?? [])])].sort();
}

const memory = new Map<string, RenderedRelease>();


function locked(request: ReleaseRequest): LockedChart {
    const chart = lockedChart(request.chart, request.version);
    if (!chart) throw new RenderError(request, `chart ${request.chart} ${request.version} is not vendored (see charts/lock.json)`);
    return chart;
}

/** The content a render depends on: the chart's tree digest, the values and everything passed to Helm. */
export function renderKey(request: ReleaseRequest): string {
    const { digest } = locked(request);
    const content = sortedJson({ helm: HELM_VERSION, digest, name: request.name, namespace: request.namespace, values: request.values, kubeVersion: request.kubeVersion, apiVersions: [...request.apiVersions].sort() });
    return crypto.createHash("sha256").update(content).digest("hex");
}

/** A render that Helm refused: names the release, the chart and Helm's own message. */
export class RenderError extends Error {
    constructor(request: Pick<ReleaseRequest, "name" | "chart" | "version">, message: string) {
        super(`Helm cannot render release ${request.name} (chart ${request.chart} ${request.version}): ${message}`);
        this.name = "RenderError";
    }
}

function helmArgs(request: ReleaseRequest): string[] {
    return [
        "template", request.name, path.join(projectRoot(), locked(request).path),
        "--namespace", request.namespace,
        "--values", "-",
        "--kube-version", request.kubeVersion,
        "--include-crds", "--skip-tests",
        ...request.apiVersions.flatMap((api) => ["--api-versions", api]),
    ];
}

/** Renders one release, from the cache when its content was rendered before. Throws {@link RenderError}. */
export function renderRelease(request: ReleaseRequest): RenderedRelease {
    const key = renderKey(request);
    const cached = fromCache(key);
    if (cached) return cached;
    let output: string;
    try {
        output = execFileSync(helmBinary(), helmArgs(request), { input: JSON.stringify(request.values), encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });
    } catch (error) {
        throw new RenderError(request, helmMessage(error));
    }
    return store(key, request, output);
}

/**
 * Renders many releases with at most `concurrency` Helm processes at once (the cache answers the
 * rest); resolves when all are rendered, or rejects with the first error.
 */
export async function renderReleases(requests: readonly ReleaseRequest[], concurrency = Math.max(1, Math.min(4, os.cpus().length))): Promise<RenderedRelease[]> {
    const results: RenderedRelease[] = new Array(requests.length);
    let next = 0;
    const worker = async () => {
        while (next < requests.length) {
            const index = next++;
            const request = requests[index];
            const key = renderKey(request);
            results[index] = fromCache(key) ?? store(key, request, await helmAsync(request));
        }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    return results;
}

/**
 * Runs Helm for many jobs at once with at most `concurrency` processes, from a plain node script
 * (no project code, so it runs the same under ts-node, compiled, and under `pulumi`): stdin is the
 * JSON list of jobs, stdout the JSON list of results in the same order.
 */
const PARALLEL_HELM = `
const { execFile } = require("child_process");
const { helm, concurrency, jobs } = JSON.parse(require("fs").readFileSync(0, "utf8"));
const results = new Array(jobs.length);
let next = 0;
const worker = () => new Promise((done) => {
    const step = () => {
        if (next >= jobs.length) return done();
        const i = next++;
        const child = execFile(helm, jobs[i].args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
            results[i] = error ? { error: { stderr, message: error.message } } : { stdout };
            step();
        });
        child.stdin.end(jobs[i].values);
    };
    step();
});
Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker)).then(() => process.stdout.write(JSON.stringify(results)));
`;

/**
 * Renders many releases synchronously, the uncached ones by parallel Helm processes (one helper
 * process runs them), for callers that must not yield to the event loop: the program's capacity
 * check runs before the engine acts on any registration. Throws the first request's
 * {@link RenderError}, in request order.
 */
export function renderReleasesSync(requests: readonly ReleaseRequest[], concurrency = Math.max(1, Math.min(4, os.cpus().length))): RenderedRelease[] {
    const keys = requests.map(renderKey);
    const missing = requests.map((request, i) => ({ request, key: keys[i] })).filter(({ key }, i) => !fromCache(key) && keys.indexOf(key) === i);
    if (missing.length > 1) {
        const jobs = missing.map(({ request }) => ({ args: helmArgs(request), values: JSON.stringify(request.values) }));
        const input = JSON.stringify({ helm: helmBinary(), concurrency, jobs });
        const results = JSON.parse(execFileSync(process.execPath, ["-e", PARALLEL_HELM], { input, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 })) as ({ stdout: string } | { error: { stderr: string; message: string } })[];
        missing.forEach(({ request, key }, i) => {
            const result = results[i];
            if ("stdout" in result) store(key, request, result.stdout);
        });
        const failed = missing.findIndex((_, i) => "error" in results[i]);
        if (failed !== -1) throw new RenderError(missing[failed].request, helmMessage((results[failed] as { error: unknown }).error));
    }
    return requests.map((request, i) => fromCache(keys[i]) ?? renderRelease(request));
}

function helmAsync(request: ReleaseRequest): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = execFile(helmBinary(), helmArgs(request), { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error) reject(new RenderError(request, helmMessage({ stderr, message: error.message })));
            else resolve(stdout);
        });
        child.stdin!.end(JSON.stringify(request.values));
    });
}

function helmMessage(error: unknown): string {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    return (stderr || String((error as Error).message ?? error)).replace(/^Error: /, "").replace(/\n+Use --debug flag to render out invalid YAML\s*$/, "");
}

function fromCache(key: string): RenderedRelease | undefined {
    const hit = memory.get(key);
    if (hit) return hit;
    const file = path.join(renderCacheDir(), `${key}.json`);
    if (!fs.existsSync(file)) return undefined;
    const rendered: RenderedRelease = { key, manifests: JSON.parse(fs.readFileSync(file, "utf8")) };
    memory.set(key, rendered);
    return rendered;
}

/**
 * Splits Helm's output into objects and writes them to both caches. CRDs are most of the text of
 * some charts and only the CRD checks read them, so they go to a file of their own, as YAML.
 */
function store(key: string, request: ReleaseRequest, output: string): RenderedRelease {
    const manifests: Manifest[] = [];
    const crdYaml: string[] = [];
    for (const document of output.split(/^---\s*$/m)) {
        if (/^kind:\s*CustomResourceDefinition\s*$/m.test(document) && /^apiVersion:\s*apiextensions\.k8s\.io\//m.test(document)) {
            crdYaml.push(document);
            continue;
        }
        const object = jsyaml.load(document) as Manifest | null | undefined;
        if (!object || typeof object !== "object") continue;
        // Helm leaves namespace unset on most objects; the install puts namespaced ones in the release's.
        manifests.push(object.metadata?.namespace || CLUSTER_SCOPED.has(object.kind) ? object : { ...object, metadata: { ...object.metadata, namespace: request.namespace } });
    }
    const rendered: RenderedRelease = { key, manifests };
    memory.set(key, rendered);
    const dir = renderCacheDir();
    fs.mkdirSync(dir, { recursive: true });
    // Each file is written aside and renamed, so a concurrent run never reads half of one; the CRDs first.
    for (const [file, content] of [[`${key}.crds.json`, crdYaml], [`${key}.json`, manifests]] as const) {
        const temporary = path.join(dir, `${file}.${process.pid}.tmp`);
        fs.writeFileSync(temporary, JSON.stringify(content));
        fs.renameSync(temporary, path.join(dir, file));
    }
    return rendered;
}

/** Kinds that live outside namespaces, among those the charts render. */
const CLUSTER_SCOPED = new Set([
    "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "PriorityClass", "StorageClass", "Namespace", "APIService", "PersistentVolume",
    "ClusterComplianceReport", "ClusterIssuer", "IngressClass", "CSIDriver", "RuntimeClass",
]);

/** Parsed CRDs by their text: renders of one chart with other values ship the same large definitions. */
const parsedCrds = new Map<string, Manifest>();

/** The CRDs a render installs, parsed; read-only, shared between callers. */
export function crdsOf(rendered: RenderedRelease): readonly Manifest[] {
    const texts = JSON.parse(fs.readFileSync(path.join(renderCacheDir(), `${rendered.key}.crds.json`), "utf8")) as string[];
    return texts.map((text) => {
        if (!parsedCrds.has(text)) parsedCrds.set(text, jsyaml.load(text) as Manifest);
        return parsedCrds.get(text)!;
    }).filter(Boolean);
}
