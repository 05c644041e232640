/**
 * The telemetry paths end to end: the log collector, Kiali's links, Kafka readiness, metrics and
 * TLS, Tempo's metrics generator and Grafana's shared database, read from the values and objects
 * the program declares.
 */
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { ALLOY_LOG_LABELS, ALLOY_RELEASES, LOKI_PUSH_URL, alloyValues, eventsPipeline, podLogsPipeline } from "../components/observability/alloy";
import { URLS } from "../components/observability/shared";
import { ofType, stack } from "./support/stacks";

const RELEASE = "kubernetes:helm.sh/v3:Release";

const releasesOf = (run: StackRun, chart: string): PlannedResource[] => ofType(run, RELEASE).filter((r) => r.inputs.chart === chart);

describe("telemetry paths", () => {
    describe("log collection (Alloy)", () => {
        for (const name of ["dev", "prod"] as const) {
            it(`${name} runs a per-node log collector and one event collector, both pushing to Loki's gateway`, async () => {
                const run = await stack(name);
                const alloy = releasesOf(run, "alloy");
                const byName = Object.fromEntries(alloy.map((r) => [r.inputs.values.fullnameOverride, r.inputs.values]));
                expect(Object.keys(byName).sort()).to.deep.equal([ALLOY_RELEASES.events, ALLOY_RELEASES.logs]);
                const logs = byName[ALLOY_RELEASES.logs];
                const events = byName[ALLOY_RELEASES.events];
                expect(logs.controller.type).to.equal("daemonset");
                expect(events.controller).to.deep.equal({ type: "deployment", replicas: 1 });
                const cluster = run.config.cluster.name;
                expect(logs.alloy.configMap.content).to.equal(podLogsPipeline(cluster));
                expect(events.alloy.configMap.content).to.equal(eventsPipeline(cluster));
                for (const values of [logs, events]) {
                    expect(values.serviceMonitor).to.deep.equal({ enabled: true });
                    expect(values.alloy.resources.requests).to.have.keys("cpu", "memory");
                    expect(values.alloy.resources.limits).to.have.keys("memory");
                    expect(values.configReloader.resources.limits).to.have.keys("memory");
                    expect(values.alloy.enableReporting).to.equal(false);
                }
            });
        }

        it("pushes to the gateway's push API, the URL Grafana's Loki datasource also uses", () => {
            expect(LOKI_PUSH_URL).to.equal(`${URLS.loki}/loki/api/v1/push`);
            for (const pipeline of [podLogsPipeline("c1"), eventsPipeline("c1")]) {
                expect(pipeline.match(/url = "([^"]+)"/g)).to.deep.equal([`url = "${LOKI_PUSH_URL}"`]);
                expect(pipeline).to.contain('external_labels = { cluster = "c1" }');
            }
        });

        it("keeps only the four bounded labels on pod logs, reads only this node's pods and parses the CRI format", () => {
            const pipeline = podLogsPipeline("c1");
            const targets = [...pipeline.matchAll(/target_label\s+= "([^"]+)"/g)].map((m) => m[1]);
            expect(targets).to.deep.equal(["namespace", "pod", "container", "app", "__path__"]);
            expect(pipeline).to.contain(`regex  = "__path__|namespace|pod|container|app"`);
            expect([...ALLOY_LOG_LABELS]).to.deep.equal(["namespace", "pod", "container", "app"]);
            expect(pipeline).to.contain('field = "spec.nodeName=" + sys.env("HOSTNAME")');
            expect(pipeline).to.contain('replacement   = "/var/log/pods/*$1/*.log"');
            expect(pipeline).to.contain("stage.cri {}");
            // Helm passes the config through tpl: template braces would be evaluated.
            expect(pipeline).to.not.contain("{{");
        });

        it("tails host logs with positions kept on the node, on every node including tainted ones", () => {
            const values = alloyValues("logs", { profile: "prod", clusterName: "c1" }) as any;
            expect(values.alloy.mounts).to.deep.equal({ varlog: true, extra: [{ name: "positions", mountPath: "/var/lib/alloy" }] });
            expect(values.alloy.storagePath).to.equal("/var/lib/alloy");
            expect(values.controller.volumes.extra).to.deep.equal([{ name: "positions", hostPath: { path: "/var/lib/alloy", type: "DirectoryOrCreate" } }]);
            expect(values.controller.tolerations).to.deep.equal([{ operator: "Exists" }]);
            const events = alloyValues("events", { profile: "prod", clusterName: "c1" }) as any;
            expect(events.alloy.mounts).to.equal(undefined);
        });
    });
});
