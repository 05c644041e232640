import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { CHARTS } from "../components/helm/catalog";
import { PROFILE_DEFAULTS } from "../config/profiles";
import { releaseChart, stackWorkloads } from "../components/helm/workloads";
import { parseCpu, parseMemory } from "../lib/quantity";
import { ISTIO_NAMESPACE, istioCniValues, istiodValues, meshPeerAuthentication, ztunnelValues } from "../components/security/istio";
import { MESH_MEMBERSHIP, MTLS_EXCEPTION_ANNOTATION, dataplaneOf, meshLabels } from "../components/security/mesh";
import { MTLS_EXCEPTION_ANNOTATION as PACK_MTLS_EXCEPTION_ANNOTATION } from "../policy/rules/kubernetes/istio-mtls-strict";
import { TRIVY_NAMESPACE, TRIVY_SCANNER_KEYS, trivyRegistryPolicy, trivyValues } from "../components/security/trivy";
import { EKS_ADDON_REGISTRIES, deriveEksRegistries, eksAddonRegistryAccount } from "../lib/eks-registries";
import { EKS_ADDON_REGISTRY, registryOf } from "../planner/images";
import { unknownValuesKeys } from "../lib/chart-keys";
import { unsizedContainers } from "../lib/workloads";
import { ROLE_ARN_ANNOTATION, SKIP_CONTAINERS_ANNOTATION, credentialedContainers, withoutAwsCredentials } from "../lib/irsa";
import { chartWorkloads, workloadsOf } from "./support/render";
import { ofType, stack, stackWith } from "./support/stacks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PEER_AUTHENTICATION = "kubernetes:security.istio.io/v1:PeerAuthentication";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const ALL_SCANNERS = ["vulnerability", "configAudit", "rbacAssessment", "exposedSecrets", "infraAssessment"] as const;

const releaseOf = (run: StackRun, chart: string) => ofType(run, RELEASE).filter((r) => releaseChart(r.inputs) === chart);
const onlyRelease = (run: StackRun, chart: string): PlannedResource => {
    const found = releaseOf(run, chart);
    expect(found, `releases of ${chart}`).to.have.length(1);
    return found[0];
};

/** A namespace's labels without the Pod Security ones (tests/pod-security.test.ts checks those). */
const meshOnly = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith("pod-security.kubernetes.io/")));

describe("security: mesh and scanning", () => {
    describe("mesh membership", () => {
        it("puts every platform namespace in the ambient mesh but the mesh itself and kube-system, and Kubecost on sidecars, each with a reason", () => {
            expect(Object.fromEntries(Object.entries(MESH_MEMBERSHIP).map(([ns, m]) => [ns, m.dataplane]))).to.deep.equal({
                [ISTIO_NAMESPACE]: "none",
                "kube-system": "none",
                monitoring: "ambient",
                kafka: "ambient",
                velero: "ambient",
                "trivy-system": "ambient",
                kubecost: "sidecar",
                headlamp: "ambient",
                "aws-load-balancer-controller": "ambient",
            });
            for (const [namespace, membership] of Object.entries(MESH_MEMBERSHIP)) expect(membership.reason, namespace).to.have.length.greaterThan(60);
            expect(MESH_MEMBERSHIP["trivy-system"].reason).to.match(/scan jobs/);
            expect(MESH_MEMBERSHIP.kubecost.reason).to.match(/L7/);
            // A namespace nobody listed is in the ambient mesh: leaving it, or choosing sidecars, takes an entry.
            expect(dataplaneOf("some-new-platform-namespace")).to.equal("ambient");
        });

        it("labels a namespace by its dataplane only where the stack runs a mesh", () => {
            expect(["monitoring", "kubecost", ISTIO_NAMESPACE, "some-new-platform-namespace"].map((ns) => meshLabels(ns, true))).to.deep.equal([
                { "istio.io/dataplane-mode": "ambient" }, { "istio-injection": "enabled" }, {}, { "istio.io/dataplane-mode": "ambient" },
            ]);
            for (const namespace of Object.keys(MESH_MEMBERSHIP)) expect(meshLabels(namespace, false), namespace).to.deep.equal({});
        });
    });

    describe("value builders", () => {
        it("run istiod at the configured replicas with a PDB only when a replica can be spared", () => {
            const two = istiodValues({ enabled: true, istiodReplicas: 2, mtlsMode: "STRICT", ...PROFILE_DEFAULTS.prod.security.istio });
            expect(two).to.deep.include({ autoscaleEnabled: false, replicaCount: 2, pdb: { minAvailable: 1 } });
            expect((two.global as any).defaultPodDisruptionBudget).to.deep.equal({ enabled: true });
            const one = istiodValues({ enabled: true, istiodReplicas: 1, mtlsMode: "STRICT", ...PROFILE_DEFAULTS.dev.security.istio });
            expect(one).to.not.have.property("pdb");
            expect((one.global as any).defaultPodDisruptionBudget).to.deep.equal({ enabled: false });
            const [istiod] = chartWorkloads(CHARTS.istiod, two);
            expect({ name: istiod.name, kind: istiod.kind, replicas: istiod.replicas }).to.deep.equal({ name: "istiod", kind: "Deployment", replicas: 2 });
            expect(istiod.containers.map((c) => [c.name, c.cpuRequestMillicores, c.memoryRequestMiB, c.memoryLimitMiB])).to.deep.equal([["discovery", 250, 512, 1024]]);
        });

        it("run istio-cni and ztunnel with the ambient profile and their configured sizes, one per node", () => {
            const config = { enabled: true, istiodReplicas: 2, mtlsMode: "STRICT" as const, ...PROFILE_DEFAULTS.prod.security.istio };
            expect(istioCniValues(config)).to.deep.equal({ profile: "ambient", resources: { requests: { cpu: "20m", memory: "48Mi" }, limits: { memory: "256Mi" } } });
            expect(ztunnelValues(config)).to.deep.equal({ profile: "ambient", resources: { requests: { cpu: "50m", memory: "96Mi" }, limits: { memory: "512Mi" } } });
            const [cni] = chartWorkloads(CHARTS.istioCni, istioCniValues(config));
            const [ztunnel] = chartWorkloads(CHARTS.ztunnel, ztunnelValues(config));
            expect([cni, ztunnel].map((w) => [w.kind, w.name, w.hostNetwork, w.containers.map((c) => [c.image, c.cpuRequestMillicores, c.memoryRequestMiB, c.memoryLimitMiB])])).to.deep.equal([
                ["DaemonSet", "istio-cni-node", false, [["registry.istio.io/release/install-cni:1.30.3-distroless", 20, 48, 256]]],
                ["DaemonSet", "ztunnel", false, [["registry.istio.io/release/ztunnel:1.30.3-distroless", 50, 96, 512]]],
            ]);
            // istiod in ambient mode, spread over zones.
            const istiod = istiodValues(config);
            expect(istiod).to.deep.include({ profile: "ambient", topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "istiod" } } }] });
        });

        it("name the same mTLS-exception annotation as the policy pack", () => {
            expect(MTLS_EXCEPTION_ANNOTATION).to.equal(PACK_MTLS_EXCEPTION_ANNOTATION);
        });

        it("write the mesh-wide policy as security.istio.io/v1 in the root namespace", () => {
            expect(meshPeerAuthentication("STRICT")).to.deep.equal({
                apiVersion: "security.istio.io/v1",
                kind: "PeerAuthentication",
                metadata: { name: "default", namespace: "istio-system" },
                spec: { mtls: { mode: "STRICT" } },
            });
        });

        it("turn off every Trivy scanner the config leaves out, since the chart turns all on", () => {
            const operator = trivyValues({ enabled: true, scanners: ["vulnerability"], ...PROFILE_DEFAULTS.dev.security.trivy }, "role").operator as Record<string, unknown>;
            expect(operator).to.include({
                vulnerabilityScannerEnabled: true,
                configAuditScannerEnabled: false,
                rbacAssessmentScannerEnabled: false,
                exposedSecretScannerEnabled: false,
                infraAssessmentScannerEnabled: false,
            });
            expect(Object.keys(TRIVY_SCANNER_KEYS).sort()).to.deep.equal([...ALL_SCANNERS].sort());
        });

        it("render the Trivy server StatefulSet only when the built-in server is on", () => {
            expect(chartWorkloads(CHARTS.trivyOperator, {}).map((w) => [w.kind, w.replicas])).to.deep.equal([["Deployment", 1]]);
            const withServer = chartWorkloads(CHARTS.trivyOperator, { operator: { builtInTrivyServer: true }, trivy: { server: { replicas: 2 } } });
            expect(withServer.map((w) => [w.kind, w.replicas]).sort()).to.deep.equal([["Deployment", 1], ["StatefulSet", 2]]);
        });
    });

    describe("dev", () => {
        it("runs no Istio and no Trivy operator (the CLI scans on demand), and labels no namespace into a mesh", async () => {
            const dev = await stack("dev");
            for (const chart of ["base", "istiod", "cni", "ztunnel", "trivy-operator"]) expect(releaseOf(dev, chart), chart).to.be.empty;
            for (const namespace of ofType(dev, NAMESPACE)) expect(meshOnly(namespace.inputs.metadata.labels), namespace.name).to.deep.equal({});
            expect(ofType(dev, "kubernetes:security.istio.io/v1:AuthorizationPolicy")).to.be.empty;
            expect(ofType(dev, PEER_AUTHENTICATION)).to.be.empty;
            expect(dev.outputs.mtlsMode).to.equal(undefined);
            expect(dev.outputs.mesh).to.equal(undefined);
            expect(dev.outputs.trivyScanners).to.deep.equal([]);
        });
    });

    describe("prod", () => {
        it("sends the mesh's spans to Tempo's OTLP receiver, and none where there is no Tempo", async () => {
            const prod = await stack("prod");
            const meshConfig = onlyRelease(prod, "istiod").inputs.values.meshConfig;
            expect(meshConfig.defaultProviders).to.deep.equal({ tracing: ["tempo"] });
            expect(meshConfig.extensionProviders).to.deep.equal([{ name: "tempo", opentelemetry: { service: "tempo-distributor.monitoring.svc.cluster.local", port: 4317 } }]);
            expect(prod.outputs.tempoOtlpGrpcEndpoint).to.equal("tempo-distributor.monitoring.svc.cluster.local:4317");
            const withoutTempo = await stackWith("prod", (c) => { c.observability.tempo.enabled = false; });
            expect(onlyRelease(withoutTempo, "istiod").inputs.values.meshConfig).to.equal(undefined);
        });

        it("installs base, then istiod and istio-cni, then ztunnel, then a STRICT mesh-wide PeerAuthentication whose only exceptions are webhook ports and the UIs' ports for the ALB", async () => {
            const prod = await stack("prod");
            const base = onlyRelease(prod, "base");
            const istiod = onlyRelease(prod, "istiod");
            const cni = onlyRelease(prod, "cni");
            const ztunnel = onlyRelease(prod, "ztunnel");
            expect([base, istiod, cni, ztunnel].map((r) => [r.inputs.version, r.inputs.namespace])).to.deep.equal([CHARTS.istioBase, CHARTS.istiod, CHARTS.istioCni, CHARTS.ztunnel].map((c) => [c.version, ISTIO_NAMESPACE]));
            expect(istiod.dependencies).to.include(base.urn);
            expect(cni.dependencies).to.include(base.urn);
            expect(ztunnel.dependencies).to.include.members([istiod.urn, cni.urn]);
            expect([istiod, cni, ztunnel].map((r) => r.inputs.values.profile)).to.deep.equal(["ambient", "ambient", "ambient"]);

            const meshWide = (r: PlannedResource) => r.inputs.metadata.namespace === ISTIO_NAMESPACE && r.inputs.metadata.name === "default";
            const policies = ofType(prod, PEER_AUTHENTICATION).filter(meshWide);
            expect(policies).to.have.length(1);
            // Every other PeerAuthentication keeps STRICT on selected pods and opens only a webhook's port, or a UI's port to the ALB, saying why.
            const exceptions = ofType(prod, PEER_AUTHENTICATION).filter((r) => !meshWide(r)).map((r) => ({ metadata: r.inputs.metadata, spec: r.inputs.spec }));
            const alb = (port: number) => ({ [MTLS_EXCEPTION_ANNOTATION]: `the load balancer of IngressClass platform-ui, outside the mesh, forwards the HTTPS it terminates to port ${port} from the VPC's addresses (10.0.0.0/16) alone` });
            const exception = (name: string, namespace: string, annotations: Record<string, string>, matchLabels: Record<string, string>, port: number) =>
                ({ metadata: { name, namespace, annotations }, spec: { selector: { matchLabels }, mtls: { mode: "STRICT" }, portLevelMtls: { [port]: { mode: "PERMISSIVE" } } } });
            expect(exceptions.filter((e) => e.metadata.name.endsWith("-load-balancer"))).to.have.deep.members([
                exception("grafana-load-balancer", "monitoring", alb(3000), { "app.kubernetes.io/instance": "nist-eks-prod-observability-grafana", "app.kubernetes.io/name": "grafana" }, 3000),
                exception("kiali-load-balancer", "monitoring", alb(20001), { "app.kubernetes.io/instance": "kiali", "app.kubernetes.io/name": "kiali" }, 20001),
                exception("nist-eks-prod-operations-headlamp-load-balancer", "headlamp", alb(4466), { "app.kubernetes.io/instance": "nist-eks-prod-operations-headlamp", "app.kubernetes.io/name": "headlamp" }, 4466),
                exception("nist-eks-prod-operations-kubecost-frontend-load-balancer", "kubecost", alb(9090), { app: "cost-analyzer", "app.kubernetes.io/instance": "nist-eks-prod-operations-kubecost", "app.kubernetes.io/name": "frontend" }, 9090),
            ]);
            expect(exceptions.filter((e) => !e.metadata.name.endsWith("-load-balancer"))).to.deep.equal([exception(
                "aws-load-balancer-controller-webhook",
                "aws-load-balancer-controller",
                { [MTLS_EXCEPTION_ANNOTATION]: "the API server, outside the mesh, calls the admission webhooks alb-target-control.namespace.elbv2.k8s.aws, alb-target-control.object.elbv2.k8s.aws, mpod.elbv2.k8s.aws, mtargetgroupbinding.elbv2.k8s.aws, quicid.elbv2.k8s.aws, vingress.elbv2.k8s.aws, vingressclassparams.elbv2.k8s.aws, vtargetgroupbinding.elbv2.k8s.aws on port 9443; the webhook's own TLS protects the call" },
                { "app.kubernetes.io/instance": "aws-load-balancer-controller", "app.kubernetes.io/name": "aws-load-balancer-controller" },
                9443,
            ), {
                metadata: {
                    name: "kube-prometheus-stack-operator-webhook",
                    namespace: "monitoring",
                    annotations: { [MTLS_EXCEPTION_ANNOTATION]: "the API server, outside the mesh, calls the admission webhooks alertmanagerconfigsvalidate.monitoring.coreos.com, prometheusrulemutate.monitoring.coreos.com, prometheusrulevalidate.monitoring.coreos.com on port 10250; the webhook's own TLS protects the call" },
                },
                spec: {
                    selector: { matchLabels: { app: "kube-prometheus-stack-operator", release: "nist-eks-prod-observability-prometheus" } },
                    mtls: { mode: "STRICT" },
                    portLevelMtls: { 10250: { mode: "PERMISSIVE" } },
                },
            }, {
                metadata: {
                    name: "nist-eks-prod-observability-mimir-rollout-operator-webhook",
                    namespace: "monitoring",
                    annotations: { [MTLS_EXCEPTION_ANNOTATION]: "the API server, outside the mesh, calls the admission webhooks no-downscale-monitoring.grafana.com, pod-eviction-monitoring.grafana.com, prepare-downscale-monitoring.grafana.com, zpdb-validation-monitoring.grafana.com on port 8443; the webhook's own TLS protects the call" },
                },
                spec: {
                    selector: { matchLabels: { "app.kubernetes.io/instance": "nist-eks-prod-observability-mimir", "app.kubernetes.io/name": "rollout-operator" } },
                    mtls: { mode: "STRICT" },
                    portLevelMtls: { 8443: { mode: "PERMISSIVE" } },
                },
            }]);
            const [policy] = policies;
            expect(policy.inputs.apiVersion).to.equal("security.istio.io/v1");
            expect(policy.inputs.metadata).to.deep.include({ name: "default", namespace: ISTIO_NAMESPACE });
            expect(policy.inputs.spec).to.deep.equal({ mtls: { mode: "STRICT" } });
            expect(policy.dependencies).to.include(istiod.urn);
            expect(prod.outputs.mtlsMode).to.equal("STRICT");
        });

        it("runs istiod at the configured two replicas with a PDB and sized sidecars", async () => {
            const prod = await stack("prod");
            const values = onlyRelease(prod, "istiod").inputs.values;
            expect(values).to.deep.include({ autoscaleEnabled: false, replicaCount: prod.config.security.istio.istiodReplicas, pdb: { minAvailable: 1 } });
            expect(values.global.defaultPodDisruptionBudget.enabled).to.equal(true);
            expect(values.global.proxy.resources).to.deep.equal({ requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } });
            expect(prod.config.security.istio.istiodReplicas).to.equal(2);
        });

        it("labels each namespace by its dataplane, the shared contract with the network policies", async () => {
            const prod = await stack("prod");
            expect(Object.fromEntries(ofType(prod, NAMESPACE).map((n) => [n.inputs.metadata.name, meshOnly(n.inputs.metadata.labels)]))).to.deep.equal({
                monitoring: { "istio.io/dataplane-mode": "ambient" },
                kafka: { "istio.io/dataplane-mode": "ambient" },
                [ISTIO_NAMESPACE]: {},
                "trivy-system": { "istio.io/dataplane-mode": "ambient" },
                kubecost: { "istio-injection": "enabled" },
                headlamp: { "istio.io/dataplane-mode": "ambient" },
                velero: { "istio.io/dataplane-mode": "ambient" },
                "aws-load-balancer-controller": { "istio.io/dataplane-mode": "ambient" },
            });
            expect(prod.outputs.mesh).to.deep.equal({
                ambient: ["monitoring", "kafka", "velero", "trivy-system", "headlamp", "aws-load-balancer-controller"],
                sidecar: ["kubecost"],
                excluded: [ISTIO_NAMESPACE, "kube-system"].map((namespace) => ({ namespace, reason: MESH_MEMBERSHIP[namespace].reason })),
            });
        });

        it("creates the sidecar namespace and its release after istiod and the mTLS policy", async () => {
            const prod = await stack("prod");
            const istiod = onlyRelease(prod, "istiod");
            const policy = ofType(prod, PEER_AUTHENTICATION).find((r) => r.inputs.metadata.name === "default")!;
            const meshed = [
                ...ofType(prod, NAMESPACE).filter((n) => n.inputs.metadata.name === "kubecost"),
                onlyRelease(prod, "kubecost"),
            ];
            for (const resource of meshed) expect(resource.dependencies, resource.name).to.include.members([istiod.urn, policy.urn]);
        });

        it("runs every Trivy scanner from config, with a ServiceMonitor", async () => {
            const prod = await stack("prod");
            const trivy = onlyRelease(prod, "trivy-operator");
            expect(trivy.inputs.version).to.equal(CHARTS.trivyOperator.version);
            expect(prod.config.security.trivy.scanners).to.have.members([...ALL_SCANNERS]);
            for (const scanner of ALL_SCANNERS) expect(trivy.inputs.values.operator[TRIVY_SCANNER_KEYS[scanner]], scanner).to.equal(true);
            expect(trivy.inputs.values.serviceMonitor).to.deep.equal({ enabled: true });
            // The ServiceMonitor kind comes from kube-prometheus-stack's CRDs.
            expect(trivy.dependencies).to.include(onlyRelease(prod, "kube-prometheus-stack").urn);
            expect(prod.outputs.trivyScanners).to.have.members([...ALL_SCANNERS]);
        });

        it("lets the scan jobs pull the EKS add-ons' images: they run as the operator's service account, whose IRSA role reads exactly the region's add-on registry", async () => {
            const prod = await stack("prod");
            const trivy = onlyRelease(prod, "trivy-operator");
            const { rendered } = stackWorkloads(prod.resources).renders.get(trivy.inputs.name)!;
            const operator = rendered.manifests.find((m) => m.kind === "Deployment")!.spec.template.spec;
            // The operator starts every scan job with the account it is told of here (OPERATOR_SERVICE_ACCOUNT).
            const jobAccount = operator.containers[0].env.find((e: any) => e.name === "OPERATOR_SERVICE_ACCOUNT").value;
            expect(operator.serviceAccountName).to.equal(jobAccount);
            const account = rendered.manifests.find((m) => m.kind === "ServiceAccount" && m.metadata.name === jobAccount)!;
            const roles = ofType(prod, "aws:iam/role:Role").filter((r) => JSON.stringify(r.inputs.assumeRolePolicy).includes(`system:serviceaccount:${TRIVY_NAMESPACE}:${jobAccount}`));
            expect(roles).to.have.length(1);
            expect(account.metadata.annotations).to.deep.equal({ "eks.amazonaws.com/role-arn": roles[0].outputs.arn });
            const policy = ofType(prod, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === roles[0].outputs.id);
            const region = prod.config.region;
            expect(eksAddonRegistryAccount(region)).to.equal("602401143452");
            expect(policy.map((p) => JSON.parse(p.inputs.policy).Statement)).to.deep.equal([[
                { Sid: "RegistryToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                { Sid: "PullEksAddOnImages", Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [`arn:aws:ecr:${region}:602401143452:repository/*`] },
            ]]);
            // The add-ons run in kube-system, which the operator scans (nothing is excluded).
            const addons = stackWorkloads(prod.resources).workloads.filter((w) => w.containers.some((c) => registryOf(c.image) === EKS_ADDON_REGISTRY));
            expect([...new Set(addons.map((w) => w.namespace))]).to.deep.equal(["kube-system"]);
            expect(trivy.inputs.values.excludeNamespaces ?? "").to.equal("");
        });

        it("reads the add-on registry's account per region from eksctl's table, recorded with its tag and commit", () => {
            expect(EKS_ADDON_REGISTRIES.source).to.include({ repository: "eksctl-io/eksctl", file: "pkg/apis/eksctl.io/v1alpha5/types.go" });
            expect(EKS_ADDON_REGISTRIES.source.commit).to.match(/^[0-9a-f]{40}$/);
            expect([eksAddonRegistryAccount("us-west-2"), eksAddonRegistryAccount("ap-east-1"), eksAddonRegistryAccount("me-south-1")]).to.deep.equal(["602401143452", "800184023465", "558608220178"]);
            expect(trivyRegistryPolicy({ region: "cn-north-1", partition: "aws-cn" })).to.contain('"arn:aws-cn:ecr:cn-north-1:918309763551:repository/*"');
            const source = [
                "const (", '\teksResourceAccountStandard = "111111111111"', '\teksResourceAccountXYEast1 = "222222222222"', ")",
                'const (\n\tRegionXYEast1 = "xy-east-1"\n\tRegionXYWest1 = "xy-west-1"\n)',
                "func EKSResourceAccountID(region string) string {", "\tswitch region {", "\tcase RegionXYEast1:", "\t\treturn eksResourceAccountXYEast1",
                "\tdefault:", "\t\treturn eksResourceAccountStandard", "\t}", "}",
            ].join("\n");
            expect(deriveEksRegistries(source)).to.deep.equal({ defaultAccount: "111111111111", accounts: { "xy-east-1": "222222222222" } });
            expect(() => deriveEksRegistries(source.replace("RegionXYEast1 =", "RegionXYEastOne ="))).to.throw(/case RegionXYEast1 returns eksResourceAccountXYEast1/);
        });

        it("follows the config's scanner list and mTLS mode", async () => {
            const run = await stackWith("prod", (c) => {
                c.security.trivy.scanners = ["vulnerability", "rbacAssessment"];
                c.security.istio.mtlsMode = "PERMISSIVE";
            });
            const operator = onlyRelease(run, "trivy-operator").inputs.values.operator;
            expect(Object.entries(TRIVY_SCANNER_KEYS).filter(([, key]) => operator[key]).map(([scanner]) => scanner)).to.have.members(["vulnerability", "rbacAssessment"]);
            expect(ofType(run, PEER_AUTHENTICATION).find((r) => r.inputs.metadata.name === "default")!.inputs.spec.mtls.mode).to.equal("PERMISSIVE");
        });
    });

    describe("charts", () => {
        const charts = ["base", "istiod", "cni", "ztunnel", "trivy-operator"];

        it("set only values keys the pinned charts have, and size every workload", async () => {
            const devWithAll = await stackWith("dev", (c) => {
                c.security.istio.enabled = true;
                c.security.trivy.enabled = true;
            });
            for (const run of [await stack("prod"), devWithAll]) {
                for (const chart of charts) {
                    const release = onlyRelease(run, chart);
                    expect(unknownValuesKeys(chart, release.inputs.version, release.inputs.values), `${run.stack} ${chart}`).to.deep.equal([]);
                    for (const workload of workloadsOf(run, release)) expect(unsizedContainers(workload), `${run.stack} ${chart} ${workload.name}`).to.deep.equal([]);
                }
            }
            expect(onlyRelease(devWithAll, "istiod").inputs.values).to.not.have.property("pdb");
        });

        it("run two istiod pods and one Trivy operator in prod, plus Trivy's scan jobs at their concurrency limit", async () => {
            const prod = await stack("prod");
            const workloads = (chart: string) => workloadsOf(prod, onlyRelease(prod, chart)).map((w) => `${w.kind} ${w.name.replace(/^nist-eks-prod-security-trivy-/, "")} x${w.replicas}`);
            expect([workloads("base"), workloads("istiod"), workloads("cni"), workloads("ztunnel"), workloads("trivy-operator")]).to.deep.equal([
                [], ["Deployment istiod x2"], ["DaemonSet istio-cni-node x1"], ["DaemonSet ztunnel x1"], ["Deployment trivy-operator x1", `Job scan-vulnerabilityreport x${onlyRelease(prod, "trivy-operator").inputs.values.operator.scanJobsConcurrentLimit}`],
            ]);
        });

        it("give every pod in a sidecar namespace istiod's sidecar, sized by its values, and none elsewhere (ambient pods have none)", async () => {
            const prod = await stack("prod");
            const proxy = onlyRelease(prod, "istiod").inputs.values.global.proxy.resources;
            for (const w of stackWorkloads(prod.resources).workloads.filter((x) => x.containers.length > 0)) {
                // ztunnel's own container is called istio-proxy too; a sidecar runs the proxyv2 image.
                const sidecars = w.containers.filter((c) => c.name === "istio-proxy" && c.image.includes("/proxyv2:"));
                const injected = dataplaneOf(w.namespace) === "sidecar" && !w.hostNetwork;
                expect(sidecars.length, `${w.namespace}/${w.name}`).to.equal(injected ? 1 : 0);
                for (const c of sidecars) {
                    expect(c).to.deep.include({ image: "registry.istio.io/release/proxyv2:1.30.3-distroless", cpuRequestMillicores: parseCpu(proxy.requests.cpu), memoryRequestMiB: parseMemory(proxy.requests.memory) });
                }
            }
        });
    });
});

describe("AWS credentials in pods (AC-6): only the containers that call AWS hold their service account's role", () => {
    /** Per pod whose service account names a role (rendered or declared), the containers the EKS webhook gives the role's credentials. */
    async function credentialed(name: string): Promise<Record<string, string[]>> {
        const run = await stack(name);
        const { workloads, renders } = stackWorkloads(run.declaredWorkloads, run.config.cluster.kubernetesVersion);
        const roles = new Set<string>();
        for (const { rendered } of renders.values()) {
            for (const m of rendered.manifests) if (m.kind === "ServiceAccount" && m.metadata?.annotations?.[ROLE_ARN_ANNOTATION]) roles.add(`${m.metadata.namespace}/${m.metadata.name}`);
        }
        for (const account of ofType(run, "kubernetes:core/v1:ServiceAccount")) {
            if (account.inputs.metadata?.annotations?.[ROLE_ARN_ANNOTATION]) roles.add(`${account.inputs.metadata.namespace}/${account.inputs.metadata.name}`);
        }
        return Object.fromEntries(workloads.filter((w) => w.podSpec && roles.has(`${w.namespace}/${w.podSpec.serviceAccountName ?? "default"}`))
            .map((w) => [`${w.namespace}/${w.name}`, credentialedContainers(w.podSpec!, w.podAnnotations)]));
    }

    it("prod: the storage components, the controllers and the database user's secret reader; no cache, gateway, distributor, scheduler, sidecar or CRD job", async () => {
        expect(await credentialed("prod")).to.deep.equal({
            "kube-system/nist-eks-prod-autoscaler-aws-cluster-autoscaler": ["aws-cluster-autoscaler"],
            "aws-load-balancer-controller/aws-load-balancer-controller": ["aws-load-balancer-controller"],
            "monitoring/mimir-distributor": [],
            "monitoring/mimir-gateway": [],
            "monitoring/mimir-querier": ["querier"],
            "monitoring/mimir-query-frontend": ["query-frontend"],
            "monitoring/mimir-query-scheduler": [],
            "monitoring/mimir-ruler": ["ruler"],
            "monitoring/mimir-alertmanager": ["alertmanager"],
            "monitoring/mimir-chunks-cache": [],
            "monitoring/mimir-compactor": ["compactor"],
            "monitoring/mimir-ingester-zone-a": ["ingester"],
            "monitoring/mimir-ingester-zone-b": ["ingester"],
            "monitoring/mimir-ingester-zone-c": ["ingester"],
            "monitoring/mimir-results-cache": [],
            "monitoring/mimir-store-gateway-zone-a": ["store-gateway"],
            "monitoring/mimir-store-gateway-zone-b": ["store-gateway"],
            "monitoring/mimir-store-gateway-zone-c": ["store-gateway"],
            "monitoring/loki-read": ["read"],
            "monitoring/loki-backend": ["backend"],
            "monitoring/loki-write": ["write"],
            "monitoring/tempo-distributor": [],
            "monitoring/tempo-metrics-generator": ["metrics-generator"],
            "monitoring/tempo-querier": ["querier"],
            "monitoring/tempo-query-frontend": ["query-frontend"],
            "monitoring/tempo-backend-scheduler": ["backend-scheduler"],
            "monitoring/tempo-backend-worker": ["backend-worker"],
            "monitoring/tempo-block-builder": ["block-builder"],
            "monitoring/tempo-live-store": ["live-store"],
            "monitoring/tempo-memcached": [],
            "monitoring/grafana-app-db-setup": ["master-credential"],
            "trivy-system/nist-eks-prod-security-trivy-trivy-operator": ["trivy-operator"],
            "velero/node-agent": ["node-agent"],
            "velero/velero": ["velero-plugin-for-aws", "velero"],
            "velero/velero-upgrade-crds": [],
        });
    });

    it("dev: only the autoscaler and the load balancer controller, whose roles are all dev has", async () => {
        expect(await credentialed("dev")).to.deep.equal({
            "kube-system/nist-eks-dev-autoscaler-aws-cluster-autoscaler": ["aws-cluster-autoscaler"],
            "aws-load-balancer-controller/aws-load-balancer-controller": ["aws-load-balancer-controller"],
        });
    });

    it("reads the skip annotation as the webhook does: one CSV record of exact names, init containers included", () => {
        const pod = { initContainers: [{ name: "setup" }], containers: [{ name: "app" }, { name: "exporter" }] };
        expect(credentialedContainers(pod)).to.deep.equal(["setup", "app", "exporter"]);
        expect(credentialedContainers(pod, withoutAwsCredentials(["setup", "exporter"]))).to.deep.equal(["app"]);
        expect(credentialedContainers(pod, { [SKIP_CONTAINERS_ANNOTATION]: "app, exporter" })).to.deep.equal(["setup", "exporter"]);
        expect(withoutAwsCredentials(["b", "a"])).to.deep.equal({ "eks.amazonaws.com/skip-containers": "a,b" });
    });
});
