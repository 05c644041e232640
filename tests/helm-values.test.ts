/**
 * Every Helm release the program declares, in both stacks, whoever's component it belongs to,
 * rendered by the pinned Helm with exactly what the program sends: a chart that cannot render
 * with our values fails here instead of at `pulumi up`. Helm also ignores a values key the chart
 * does not have, so a typo or a key removed upstream would configure nothing without the key
 * check; and a container without requests escapes the scheduler's accounting and the capacity plan.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { URLS } from "../components/observability/shared";
import { CHARTS } from "../components/helm/catalog";
import { WORKLOAD_TYPES, releaseChart, releaseRequests, stackWorkloads } from "../components/helm/workloads";
import { tempoDistributedValues, tempoSingleValues } from "../components/observability/tempo";
import { unknownValuesKeys } from "../lib/chart-keys";
import { RenderError, clusterApiVersions, renderKey, renderRelease, renderReleasesSync } from "../lib/helm/render";
import { vendorPath } from "../lib/helm/vendor";
import { unsizedContainers } from "../lib/workloads";
import { ofType, stack } from "./support/stacks";

const RELEASE = WORKLOAD_TYPES.release;

describe("helm releases", () => {
    for (const name of ["dev", "prod"] as const) {
        describe(name, () => {
            it("set only keys the pinned chart version has", async () => {
                const run = await stack(name);
                const releases = ofType(run, RELEASE);
                expect(releases.length).to.be.greaterThan(0);
                const unknown = Object.fromEntries(releases
                    .map((r) => [`${r.name} (${releaseChart(r.inputs)} ${r.inputs.version})`, unknownValuesKeys(releaseChart(r.inputs), r.inputs.version, r.inputs.values)] as const)
                    .filter(([, keys]) => keys.length > 0));
                expect(unknown).to.deep.equal({});
            });

            it("install every chart from its vendored folder at the pinned version, none from a chart repository", async () => {
                const run = await stack(name);
                for (const release of ofType(run, RELEASE)) {
                    const chart = releaseChart(release.inputs);
                    const pinned = Object.values(CHARTS).find((c) => c.chart === chart)!;
                    expect({ chart: release.inputs.chart, repositoryOpts: release.inputs.repositoryOpts, version: release.inputs.version }, release.name)
                        .to.deep.equal({ chart: `./${vendorPath(chart)}`, repositoryOpts: undefined, version: pinned.version });
                }
            });

            it("all render with the program's values, release name and namespace, Kubernetes 1.35 and the stack's API versions", async () => {
                const run = await stack(name);
                const releases = ofType(run, RELEASE);
                const requests = releaseRequests(run.resources, "1.35");
                const charts = releases.map((r) => releaseChart(r.inputs));
                // Every release is rendered, with what the Release sends.
                expect(requests.map((r) => r.name)).to.deep.equal(releases.map((r) => r.name));
                for (const request of requests) {
                    const release = releases.find((r) => r.name === request.name)!;
                    expect(request).to.deep.equal({
                        name: release.inputs.name, namespace: release.inputs.namespace, chart: releaseChart(release.inputs), version: release.inputs.version,
                        values: release.inputs.values, kubeVersion: run.config.cluster.kubernetesVersion, apiVersions: clusterApiVersions(charts),
                    });
                    expect(renderRelease(request).manifests.length, request.name).to.be.greaterThan(0);
                }
            });

            it("run no container without CPU and memory requests", async () => {
                const run = await stack(name);
                const unsized = stackWorkloads(run.resources).workloads.flatMap((w) => unsizedContainers(w).map((c) => `${w.source} ${w.name}/${c}`));
                expect(unsized).to.deep.equal([]);
            });
        });
    }

    describe("a release Helm cannot render", () => {
        it("fails naming the release, the chart and Helm's message: dev Tempo with its jaeger receiver nulled", async () => {
            const config = (await stack("dev")).config.observability;
            const values = tempoSingleValues(config, { storageClassName: "gp2", remoteWriteUrl: URLS.prometheusRemoteWrite }) as any;
            const nulled = { ...values, tempo: { ...values.tempo, receivers: { ...values.tempo.receivers, jaeger: null } } };
            const request = { name: "t", namespace: "monitoring", chart: "tempo", version: CHARTS.tempo.version, values: nulled, kubeVersion: "1.35", apiVersions: clusterApiVersions([]) };
            expect(() => renderRelease(request)).to.throw(RenderError, /^Helm cannot render release t \(chart tempo 2\.2\.4\): .*nil pointer evaluating interface \{\}\.protocols/s);
            expect(() => renderRelease({ ...request, values })).to.not.throw();
        });

        it("many at once, synchronously in parallel Helm processes: each renders as alone, and the first release in order that Helm refuses is named", async () => {
            const config = (await stack("dev")).config.observability;
            const values = tempoSingleValues(config, { storageClassName: "gp2", remoteWriteUrl: URLS.prometheusRemoteWrite }) as any;
            const nulled = { ...values, tempo: { ...values.tempo, receivers: { ...values.tempo.receivers, jaeger: null } } };
            const request = (name: string, v: Record<string, unknown>) => ({ name, namespace: "monitoring", chart: "tempo", version: CHARTS.tempo.version, values: v, kubeVersion: "1.35", apiVersions: clusterApiVersions([]) });
            const cache = process.env.RENDER_CACHE_DIR;
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-cache-"));
            process.env.RENDER_CACHE_DIR = dir;
            try {
                const [a, b] = renderReleasesSync([request("parallel-a", values), request("parallel-b", values)]);
                expect([a.manifests.length, b.manifests.length]).to.deep.equal([renderRelease(request("parallel-a", values)).manifests.length, a.manifests.length]);
                expect(b.manifests.find((m) => m.kind === "StatefulSet")?.metadata.labels?.["app.kubernetes.io/instance"]).to.equal("parallel-b");
                expect(() => renderReleasesSync([request("parallel-c", values), request("parallel-d", nulled), request("parallel-e", nulled)]))
                    .to.throw(RenderError, /^Helm cannot render release parallel-d \(chart tempo 2\.2\.4\): .*nil pointer evaluating interface \{\}\.protocols/s);
                // What rendered beside the failure is kept.
                expect(fs.existsSync(path.join(dir, `${renderKey(request("parallel-c", values))}.json`))).to.equal(true);
            } finally {
                if (cache === undefined) delete process.env.RENDER_CACHE_DIR;
                else process.env.RENDER_CACHE_DIR = cache;
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("prod Tempo's backend workers without the PDB key the chart reads undefaulted", async () => {
            const config = (await stack("prod")).config.observability;
            const values = tempoDistributedValues(config, { region: "us-east-1", bucket: "b", roleArn: "arn:aws:iam::1:role/r", kafkaAddress: "k:9092", remoteWriteUrl: URLS.mimirPush }) as any;
            const { podDisruptionBudget: _pdb, ...worker } = values.backendWorker;
            const request = { name: "t", namespace: "monitoring", chart: "tempo-distributed", version: CHARTS.tempoDistributed.version, values: { ...values, backendWorker: worker }, kubeVersion: "1.35", apiVersions: clusterApiVersions([]) };
            expect(() => renderRelease(request)).to.throw(RenderError, /backendWorker\.podDisruptionBudget\.enabled.*nil pointer/s);
            const pdb = renderRelease({ ...request, values }).manifests.find((m) => m.kind === "PodDisruptionBudget" && m.metadata.name === "tempo-backend-worker");
            expect(pdb?.spec).to.deep.equal({ selector: pdb?.spec.selector, maxUnavailable: 1 });
        });
    });
});
