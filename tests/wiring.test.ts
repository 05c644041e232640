/**
 * Every in-cluster address the stacks' values and custom resources name, and the Service it
 * resolves to. The expected tables are the list a reviewer reads: a new address, or one that stops
 * resolving, changes them.
 */
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { stackWiring } from "../components/helm/workloads";
import { stack } from "./support/stacks";

// Sorted: the engine records a release once its values resolve, which may come in either order.
const table = (run: StackRun) => stackWiring(run.resources).map((a) => `${a.usedBy} -> ${a.host}:${a.port} => ${a.resolvesTo ?? `UNRESOLVED: ${a.unresolved}`}`).sort();

describe("wiring: in-cluster addresses", () => {
    it("dev: Grafana's datasources reach the Services Prometheus, Loki and Tempo render", async () => {
        const dev = "nist-eks-dev-observability";
        expect(table(await stack("dev"))).to.deep.equal(([
            `${dev}-tempo values tempo.metricsGenerator.storage.remote_write.0.url -> kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090 => Service monitoring/kube-prometheus-stack-prometheus port 9090 (rendered by ${dev}-prometheus)`,
            `${dev}-grafana values datasources.datasources.yaml.datasources.0.url -> kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090 => Service monitoring/kube-prometheus-stack-prometheus port 9090 (rendered by ${dev}-prometheus)`,
            `${dev}-grafana values datasources.datasources.yaml.datasources.1.url -> loki-gateway.monitoring.svc.cluster.local:80 => Service monitoring/loki-gateway port 80 (rendered by ${dev}-loki)`,
            `${dev}-grafana values datasources.datasources.yaml.datasources.2.url -> tempo.monitoring.svc.cluster.local:3200 => Service monitoring/tempo port 3200 (rendered by ${dev}-tempo)`,
            `${dev}-alloy-logs values alloy.configMap.content -> loki-gateway.monitoring.svc.cluster.local:80 => Service monitoring/loki-gateway port 80 (rendered by ${dev}-loki)`,
            `${dev}-alloy-events values alloy.configMap.content -> loki-gateway.monitoring.svc.cluster.local:80 => Service monitoring/loki-gateway port 80 (rendered by ${dev}-loki)`,
            // The UIs' ALB, from Grafana's chart-rendered Ingress to the Service it names.
            `Ingress monitoring/grafana (rendered by ${dev}-grafana) spec.rules.0.http.paths.0.backend.service -> grafana.monitoring.svc:80 => Service monitoring/grafana port 80 (rendered by ${dev}-grafana)`,
        ] as string[]).sort());
    });

    it("prod: Kiali (istiod too), the mesh's tracing provider, Grafana, Prometheus, Tempo and the Kafka clients reach rendered or operator-made Services, Mimir's gateway included", async () => {
        const obs = "nist-eks-prod-observability";
        // In any order: Grafana's release registers once the Job that sets up its database user is named.
        expect(table(await stack("prod"))).to.have.deep.members([
            `${obs}-kiali values external_services.grafana.internal_url -> grafana.monitoring.svc.cluster.local:80 => Service monitoring/grafana port 80 (rendered by ${obs}-grafana)`,
            `${obs}-kiali values external_services.istio.url_service_version -> istiod.istio-system.svc.cluster.local:15014 => Service istio-system/istiod port 15014 (rendered by nist-eks-prod-security-istio-istiod)`,
            `${obs}-kiali values external_services.prometheus.url -> kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090 => Service monitoring/kube-prometheus-stack-prometheus port 9090 (rendered by ${obs}-prometheus)`,
            `${obs}-kiali values external_services.tracing.internal_url -> tempo-query-frontend.monitoring.svc.cluster.local:3200 => Service monitoring/tempo-query-frontend port 3200 (rendered by ${obs}-tempo)`,
            `nist-eks-prod-security-istio-istiod values meshConfig.extensionProviders.0.opentelemetry.service -> tempo-distributor.monitoring.svc.cluster.local:4317 => Service monitoring/tempo-distributor port 4317 (rendered by ${obs}-tempo)`,
            `${obs}-prometheus values prometheus.prometheusSpec.remoteWrite.0.url -> mimir-gateway.monitoring.svc.cluster.local:80 => Service monitoring/mimir-gateway port 80 (rendered by ${obs}-mimir)`,
            `${obs}-grafana values datasources.datasources.yaml.datasources.0.url -> mimir-gateway.monitoring.svc.cluster.local:80 => Service monitoring/mimir-gateway port 80 (rendered by ${obs}-mimir)`,
            `${obs}-grafana values datasources.datasources.yaml.datasources.1.url -> loki-gateway.monitoring.svc.cluster.local:80 => Service monitoring/loki-gateway port 80 (rendered by ${obs}-loki)`,
            `${obs}-grafana values datasources.datasources.yaml.datasources.2.url -> tempo-query-frontend.monitoring.svc.cluster.local:3200 => Service monitoring/tempo-query-frontend port 3200 (rendered by ${obs}-tempo)`,
            `${obs}-grafana values grafana.ini.unified_alerting.ha_peers -> grafana-headless.monitoring.svc.cluster.local:9094 => Service monitoring/grafana-headless port 9094 (rendered by ${obs}-grafana)`,
            `${obs}-alloy-events values alloy.configMap.content -> loki-gateway.monitoring.svc.cluster.local:80 => Service monitoring/loki-gateway port 80 (rendered by ${obs}-loki)`,
            `${obs}-alloy-logs values alloy.configMap.content -> loki-gateway.monitoring.svc.cluster.local:80 => Service monitoring/loki-gateway port 80 (rendered by ${obs}-loki)`,
            `${obs}-tempo values ingest.kafka.address -> observability-kafka-bootstrap.kafka.svc.cluster.local:9094 => Service kafka/observability-kafka-bootstrap port 9094 (Strimzi, for Kafka observability)`,
            `${obs}-tempo values metricsGenerator.config.storage.remote_write.0.url -> mimir-gateway.monitoring.svc.cluster.local:80 => Service monitoring/mimir-gateway port 80 (rendered by ${obs}-mimir)`,
            `${obs}-mimir values mimir.structuredConfig.ingest_storage.kafka.address -> observability-kafka-bootstrap.kafka.svc.cluster.local:9093 => Service kafka/observability-kafka-bootstrap port 9093 (Strimzi, for Kafka observability)`,
            // The UIs' ALB, from each chart's own Ingress to the Service and port it names (Kubecost's by the port's name, tcp-frontend).
            `Ingress monitoring/grafana (rendered by ${obs}-grafana) spec.rules.0.http.paths.0.backend.service -> grafana.monitoring.svc:80 => Service monitoring/grafana port 80 (rendered by ${obs}-grafana)`,
            `Ingress monitoring/kiali (rendered by ${obs}-kiali) spec.rules.0.http.paths.0.backend.service -> kiali.monitoring.svc:20001 => Service monitoring/kiali port 20001 (rendered by ${obs}-kiali)`,
            "Ingress headlamp/nist-eks-prod-operations-headlamp (rendered by nist-eks-prod-operations-headlamp) spec.rules.0.http.paths.0.backend.service -> nist-eks-prod-operations-headlamp.headlamp.svc:80 => Service headlamp/nist-eks-prod-operations-headlamp port 80 (rendered by nist-eks-prod-operations-headlamp)",
            "Ingress kubecost/nist-eks-prod-operations-kubecost (rendered by nist-eks-prod-operations-kubecost) spec.rules.0.http.paths.0.backend.service -> nist-eks-prod-operations-kubecost-frontend.kubecost.svc:9090 => Service kubecost/nist-eks-prod-operations-kubecost-frontend port 9090 (rendered by nist-eks-prod-operations-kubecost)",
        ]);
    });

    it("reports an address whose Service lacks the port, or does not exist", async () => {
        const prod = await stack("prod");
        const kiali = prod.resources.find((r) => r.name === "nist-eks-prod-observability-kiali")!;
        const broken = prod.resources.map((r) => r !== kiali ? r : { ...r, inputs: { ...r.inputs, values: { ...r.inputs.values, external_services: {
            ...r.inputs.values.external_services,
            prometheus: { url: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9091" },
            grafana: { internal_url: "http://grafana-typo.monitoring.svc:80" },
        } } } });
        const kialiAddresses = stackWiring(broken).filter((a) => a.usedBy.startsWith("nist-eks-prod-observability-kiali"));
        expect(kialiAddresses.map((a) => a.unresolved).sort()).to.deep.equal([
            "Service monitoring/kube-prometheus-stack-prometheus has no port 9091 (it has 9090, 8080)",
            "no Service monitoring/grafana-typo",
            undefined,
            undefined,
        ].sort());
    });
});
