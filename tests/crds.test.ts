/**
 * Custom resources, whether a chart renders them (Prometheus, Alertmanager, ServiceMonitors, Velero
 * schedules and locations, ...) or the program declares them (Kafka, KafkaNodePool,
 * PeerAuthentication, monitors), validate against the schema of the CRD the stack's own charts
 * install; and every API version the renderer tells Helm the cluster serves is one of those CRDs.
 */
import { expect } from "chai";
import { stackWorkloads } from "../components/helm/workloads";
import { StackRun } from "../engine/run";
import { checkConfig, configKeys, describeProblems } from "../lib/config-keys";
import { crdSchema, validateResource } from "../lib/crd-schema";
import { CHART_API_VERSIONS, Manifest, crdsOf } from "../lib/helm/render";
import { stack } from "./support/stacks";

/** Groups the API server itself serves. */
const BUILT_IN = /^(|apps|batch|policy|autoscaling|[a-z0-9.-]+\.k8s\.io)$/;
/** CRDs that come with EKS rather than a chart: ENIConfig is installed by the VPC CNI add-on. */
const FROM_EKS = new Set(["crd.k8s.amazonaws.com"]);

const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.split("/")[0] : "");

interface CustomResource { readonly from: string; readonly object: Manifest }

function stackCrds(run: StackRun): Manifest[] {
    return [...stackWorkloads(run.resources).renders.values()].flatMap((r) => crdsOf(r.rendered));
}

function customResources(run: StackRun): CustomResource[] {
    const rendered = [...stackWorkloads(run.resources).renders.values()].flatMap(({ request, rendered }) =>
        rendered.manifests.filter((m) => !BUILT_IN.test(groupOf(m.apiVersion))).map((object) => ({ from: request.name, object })));
    const declared = run.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.inputs.apiVersion && !BUILT_IN.test(groupOf(r.inputs.apiVersion)))
        .map((r) => ({ from: r.name, object: r.inputs as Manifest }));
    return [...rendered, ...declared];
}

describe("custom resources against the CRDs the charts ship", () => {
    const kinds: Record<string, string[]> = {};
    for (const name of ["dev", "prod"] as const) {
        it(`${name}: every custom resource validates against its CRD's schema`, async () => {
            const run = await stack(name);
            const crds = stackCrds(run);
            const problems: string[] = [];
            const checked = new Set<string>();
            for (const { from, object } of customResources(run)) {
                if (FROM_EKS.has(groupOf(object.apiVersion))) continue;
                const schema = crdSchema(crds, object.apiVersion, object.kind);
                const label = `${from}: ${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
                if (!schema) problems.push(`${label}: no CRD of the stack serves it`);
                else problems.push(...validateResource(object, schema).map((p) => `${label}: ${p}`));
                checked.add(object.kind);
            }
            expect(problems).to.deep.equal([]);
            kinds[name] = [...checked].sort();
        });
    }

    it("cover the chart-rendered and declared kinds of both stacks", () => {
        expect(kinds).to.deep.equal({
            dev: ["Alertmanager", "IngressClassParams", "Prometheus", "PrometheusRule", "ServiceMonitor"],
            prod: ["Alertmanager", "AuthorizationPolicy", "BackupStorageLocation", "ClusterComplianceReport", "IngressClassParams", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "PeerAuthentication", "PodMonitor", "Prometheus", "PrometheusRule", "Schedule", "ServiceMonitor", "VolumeSnapshotLocation"],
        });
    });

    it("list only API versions that a chart's own CRDs serve", async () => {
        const prod = await stack("prod");
        for (const { request, rendered } of stackWorkloads(prod.resources).renders.values()) {
            const crds = crdsOf(rendered);
            for (const api of CHART_API_VERSIONS[request.chart] ?? []) {
                const [group, version, kind] = api.split("/");
                const served = crds.some((c) => c.spec.group === group && (!kind || c.spec.names.kind === kind) && c.spec.versions.some((v: any) => v.name === version && v.served));
                expect(served, `${request.chart}: ${api}`).to.equal(true);
            }
        }
        expect(Object.keys(CHART_API_VERSIONS).sort()).to.deep.equal(["base", "kube-prometheus-stack", "strimzi-kafka-operator", "trivy-operator", "velero"]);
    });

    // A CRD says only "string" for a metav1.Duration; Velero parses it with time.ParseDuration (no d unit). The
    // duration fields come from Velero's API types at the version the render runs (charts/config-keys/velero-*).
    it("give Velero's custom resources durations its Go types parse", async () => {
        const prod = await stack("prod");
        const velero = [...stackWorkloads(prod.resources).renders.values()].find((r) => r.request.chart === "velero")!;
        const image = velero.rendered.manifests.flatMap((m) => m.spec?.template?.spec?.containers ?? []).map((c: any) => String(c.image)).find((i) => /\/velero\/velero:/.test(i))!;
        const keys = configKeys("velero", image.split(":").pop()!.replace(/^v/, ""));
        const resources = customResources(prod).filter(({ object }) => object.apiVersion === "velero.io/v1" && keys.files[object.kind]);
        expect([...new Set(resources.map(({ object }) => object.kind))].sort()).to.deep.equal(["BackupStorageLocation", "Schedule", "VolumeSnapshotLocation"]);
        const format = (object: unknown, kind: string) => describeProblems(checkConfig(keys.files[kind], object).filter((p) => p.problem !== "is not a key"));
        expect(resources.flatMap(({ from, object }) => format(object, object.kind).map((p) => `${from} ${object.kind} ${object.metadata?.name}: ${p}`))).to.deep.equal([]);
        expect(format({ spec: { schedule: "0 3 * * *", template: { ttl: "30d", csiSnapshotTimeout: "10m" } } }, "Schedule")).to.deep.equal([
            'spec.template.ttl: "30d" uses a d, w or y unit, which this Go time.Duration field rejects (only h, m, s, ms, us, ns)',
        ]);
    });

    it("reject a field the schema does not have, a wrong type and a missing required field", async () => {
        const crds = stackCrds(await stack("prod"));
        const schedule = crdSchema(crds, "velero.io/v1", "Schedule");
        expect(validateResource({ apiVersion: "velero.io/v1", kind: "Schedule", metadata: { name: "s" }, spec: { schedule: "0 3 * * *", template: { ttl: "720h0m0s", includedNamespaces: ["*"] } } }, schedule)).to.deep.equal([]);
        expect(validateResource({ apiVersion: "velero.io/v1", kind: "Schedule", metadata: { name: "s" }, spec: { schedule: 3, template: { ttl: "720h", retention: "30d" } } }, schedule)).to.deep.equal([
            "spec.schedule: expected a string, got integer",
            "spec.template.retention: unknown field",
        ]);
        const pool = crdSchema(crds, "kafka.strimzi.io/v1", "KafkaNodePool");
        expect(validateResource({ apiVersion: "kafka.strimzi.io/v1", kind: "KafkaNodePool", metadata: { name: "p" }, spec: { replicas: 3, roles: ["broker"] } }, pool)).to.deep.equal(["spec: missing required field storage"]);
    });

    it("apply a oneOf or not branch's own constraints without closing the object to the enclosing schema's fields", async () => {
        const crds = stackCrds(await stack("prod"));
        const authz = crdSchema(crds, "security.istio.io/v1", "AuthorizationPolicy");
        const policy = (spec: unknown) => ({ apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name: "a" }, spec });
        // spec is oneOf [not provider, provider]: an ALLOW with rules takes the first branch, CUSTOM with a provider the second.
        expect(validateResource(policy({ action: "ALLOW", rules: [{ to: [{ operation: { ports: ["9093"] } }] }] }), authz)).to.deep.equal([]);
        expect(validateResource(policy({ action: "CUSTOM", provider: { name: "ext" } }), authz)).to.deep.equal([]);
        expect(validateResource(policy({ action: "ALLOW", rules: [{ to: [{ operation: { ports: [9093] } }] }] }), authz)).to.deep.equal(["spec.rules[0].to[0].operation.ports[0]: expected a string, got integer"]);
        expect(validateResource(policy({ action: "ALLOW", selectr: {} }), authz)).to.deep.equal(["spec.selectr: unknown field"]);
    });
});
