import { expect } from "chai";
import { backupSchedules } from "../../policy/rules/kubernetes/backup-schedules";
import { helmNoPlaintextSecrets } from "../../policy/rules/kubernetes/helm-no-plaintext-secrets";
import { MTLS_EXCEPTION_ANNOTATION, istioMtlsStrict } from "../../policy/rules/kubernetes/istio-mtls-strict";
import { kafkaAuthentication } from "../../policy/rules/kubernetes/kafka-authentication";
import { meshDefaultDeny } from "../../policy/rules/kubernetes/mesh-default-deny";
import { namespaceDefaultDeny } from "../../policy/rules/kubernetes/namespace-default-deny";
import { namespacePodSecurity } from "../../policy/rules/kubernetes/namespace-pod-security";
import { observabilityRetention } from "../../policy/rules/kubernetes/observability-retention";
import { podSecurityStandards } from "../../policy/rules/kubernetes/pod-security-standards";
import { checksOf } from "../../policy/lib/pod-security-standards";
import { SECRET_PLACEHOLDER } from "../../engine/types";
import { check, messages, planned, UNKNOWN } from "./helpers";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PEER_AUTHENTICATION = "kubernetes:security.istio.io/v1:PeerAuthentication";

function release(name: string, chart: string, values: unknown) {
    return planned(RELEASE, name, { chart, version: "1.0.0", namespace: name, values });
}

function peerAuthentication(name: string, namespace: string, spec: unknown) {
    return planned(PEER_AUTHENTICATION, name, { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name, namespace }, spec });
}

describe("policy istio-mtls-strict", () => {
    const meshWide = peerAuthentication("default", "istio-system", { mtls: { mode: "STRICT" } });

    it("passes a mesh-wide STRICT policy with stricter or neutral overrides in prod", () => {
        const override = peerAuthentication("app", "apps", { selector: { matchLabels: { app: "web" } }, mtls: { mode: "UNSET" }, portLevelMtls: { 8080: { mode: "STRICT" } } });
        expect(check(istioMtlsStrict, [meshWide, override], "prod")).to.deep.equal([]);
    });

    it("does not judge dev", () => {
        expect(check(istioMtlsStrict, [], "dev")).to.deep.equal([]);
    });

    it("fails prod without a mesh-wide STRICT policy", () => {
        const selective = peerAuthentication("default", "istio-system", { selector: { matchLabels: { app: "x" } }, mtls: { mode: "STRICT" } });
        const elsewhere = peerAuthentication("ns", "apps", { mtls: { mode: "STRICT" } });
        const violations = check(istioMtlsStrict, [selective, elsewhere], "prod");
        expect(violations.map((v) => [v.resourceName, v.message, v.enforcementLevel])).to.deep.equal([
            [undefined, "no PeerAuthentication without selector in istio-system sets mtls.mode STRICT for the whole mesh", "advisory"],
        ]);
    });

    it("fails PERMISSIVE and DISABLE overrides, including per port", () => {
        const permissive = peerAuthentication("legacy", "legacy", { mtls: { mode: "PERMISSIVE" } });
        const port = peerAuthentication("metrics", "apps", { selector: { matchLabels: { app: "web" } }, portLevelMtls: { 9090: { mode: "DISABLE" } } });
        expect(check(istioMtlsStrict, [meshWide, permissive, port], "prod").map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["legacy", "PeerAuthentication legacy weakens mTLS: mtls.mode PERMISSIVE"],
            ["metrics", "PeerAuthentication metrics weakens mTLS: port 9090 mode DISABLE"],
        ]);
    });

    it("accepts a PERMISSIVE port only on selected, otherwise STRICT pods whose object says why", () => {
        const exception = (name: string, spec: Record<string, unknown>, reason?: string) => planned(PEER_AUTHENTICATION, name, {
            apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", spec,
            metadata: { name, namespace: "monitoring", ...(reason === undefined ? {} : { annotations: { [MTLS_EXCEPTION_ANNOTATION]: reason } }) },
        });
        const webhook = { selector: { matchLabels: { app: "operator" } }, mtls: { mode: "STRICT" }, portLevelMtls: { 10250: { mode: "PERMISSIVE" } } };
        const found = check(istioMtlsStrict, [
            meshWide,
            exception("recorded", webhook, "the API server calls the webhook on port 10250"),
            exception("unrecorded", webhook),
            exception("blank", webhook, " "),
            exception("disabled", { ...webhook, portLevelMtls: { 10250: { mode: "DISABLE" } } }, "a reason"),
            exception("whole-pod", { ...webhook, mtls: { mode: "PERMISSIVE" } }, "a reason"),
            exception("no-selector", { mtls: { mode: "STRICT" }, portLevelMtls: { 10250: { mode: "PERMISSIVE" } } }, "a reason"),
        ], "prod");
        expect(found.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["unrecorded", "PeerAuthentication unrecorded weakens mTLS: port 10250 mode PERMISSIVE"],
            ["blank", "PeerAuthentication blank weakens mTLS: port 10250 mode PERMISSIVE"],
            ["disabled", "PeerAuthentication disabled weakens mTLS: port 10250 mode DISABLE"],
            ["whole-pod", "PeerAuthentication whole-pod weakens mTLS: mtls.mode PERMISSIVE, port 10250 mode PERMISSIVE"],
            ["no-selector", "PeerAuthentication no-selector weakens mTLS: port 10250 mode PERMISSIVE"],
        ]);
    });

    it("skips a spec unknown during preview", () => {
        expect(check(istioMtlsStrict, [peerAuthentication("default", "istio-system", { mtls: { mode: UNKNOWN } }), peerAuthentication("x", "apps", UNKNOWN)], "prod")).to.deep.equal([]);
    });
});

describe("policy kafka-authentication", () => {
    const KAFKA = "kubernetes:kafka.strimzi.io/v1:Kafka";
    const kafka = (listeners: unknown, authorization: unknown = { type: "simple" }) =>
        planned(KAFKA, "k", { metadata: { name: "k", namespace: "kafka" }, spec: { kafka: { listeners, ...(authorization ? { authorization } : {}) } } });
    const mtls = { name: "tls", port: 9093, type: "internal", tls: true, authentication: { type: "tls" } };
    const sasl = { name: "sasl", port: 9094, type: "internal", tls: false, authentication: { type: "custom", sasl: true, listenerConfig: { "sasl.enabled.mechanisms": "PLAIN" } } };

    it("passes listeners that each authenticate, on a cluster that authorizes", () => {
        expect(check(kafkaAuthentication, [kafka([mtls, sasl, { ...mtls, name: "scram", port: 9095, authentication: { type: "scram-sha-512" } }])], "prod")).to.deep.equal([]);
    });

    it("fails a listener without authentication and a cluster without authorization, in either API version", () => {
        const open = { name: "plain", port: 9092, type: "internal", tls: false };
        expect(messages(check(kafkaAuthentication, [kafka([mtls, open, { ...open, name: "empty", port: 9096, authentication: { type: "" } }])], "prod"))).to.deep.equal([
            "listener plain (port 9092) accepts clients without authentication",
            "listener empty (port 9096) accepts clients without authentication",
        ]);
        const beta = planned("kubernetes:kafka.strimzi.io/v1beta2:Kafka", "b", { spec: { kafka: { listeners: [mtls] } } });
        expect(messages(check(kafkaAuthentication, [beta], "dev"))).to.deep.equal(["spec.kafka.authorization is unset: any client that connects may use every topic and group"]);
    });

    it("fails a KafkaUser whose ACLs reach the cluster, every topic or group, or every operation", () => {
        const user = (acls: unknown) => planned("kubernetes:kafka.strimzi.io/v1:KafkaUser", "u", { metadata: { name: "u", namespace: "monitoring" }, spec: { authorization: { type: "simple", acls } } });
        const own = [
            { resource: { type: "topic", name: "traces", patternType: "literal" }, operations: ["Describe", "Read", "Write"] },
            { resource: { type: "group", name: "ingester-", patternType: "prefix" }, operations: ["Describe", "Read"] },
        ];
        expect(check(kafkaAuthentication, [user(own)], "prod")).to.deep.equal([]);
        expect(messages(check(kafkaAuthentication, [user([
            ...own,
            { resource: { type: "topic", name: "*" }, operations: ["Read"] },
            { resource: { type: "group", name: "", patternType: "prefix" }, operations: ["Read"] },
            { resource: { type: "topic", name: "traces", patternType: "literal" }, operations: ["All"] },
            { resource: { type: "cluster" }, operations: ["Alter"] },
        ])], "prod"))).to.deep.equal([
            "ACL 2 grants every topic: wider than one client's own topics and groups",
            "ACL 3 grants every group: wider than one client's own topics and groups",
            "ACL 4 grants All operations on topic traces: wider than one client's own topics and groups",
            "ACL 5 grants the cluster resource: wider than one client's own topics and groups",
        ]);
    });

    it("skips what is unknown during preview", () => {
        expect(check(kafkaAuthentication, [kafka(UNKNOWN, UNKNOWN), kafka([{ name: "x", authentication: { type: UNKNOWN } }, UNKNOWN])], "prod")).to.deep.equal([]);
        const unknownAcls = planned("kubernetes:kafka.strimzi.io/v1:KafkaUser", "u", { spec: { authorization: { type: "simple", acls: UNKNOWN } } });
        expect(check(kafkaAuthentication, [unknownAcls], "prod")).to.deep.equal([]);
    });
});

describe("policy backup-schedules", () => {
    const schedules = {
        daily: { schedule: "0 2 * * *", template: { ttl: "168h0m0s", includedNamespaces: ["*"] } },
        weekly: { schedule: "0 3 * * 0", template: { ttl: "720h" } },
    };

    it("passes daily and weekly schedules with the required ttls in prod", () => {
        expect(check(backupSchedules, [release("velero", "velero", { schedules })], "prod")).to.deep.equal([]);
        // Velero keeps a backup 720h when its schedule sets no ttl.
        expect(check(backupSchedules, [release("velero", "vmware-tanzu/velero", { schedules: { ...schedules, weekly: { schedule: "@weekly" } } })], "prod")).to.deep.equal([]);
    });

    it("fails prod without Velero, or with short or missing schedules", () => {
        expect(messages(check(backupSchedules, [], "prod"))).to.deep.equal(["no Velero Helm release: the cluster has no scheduled backups"]);
        const short = release("velero", "velero", { schedules: { daily: { schedule: "0 2 * * *", template: { ttl: "72h" } }, monthly: { schedule: "0 3 1 * *", template: { ttl: "2160h" } } } });
        expect(check(backupSchedules, [short], "prod").map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["velero", "no schedule runs every day with a ttl of at least 168h"],
            ["velero", "no schedule runs at least weekly with a ttl of at least 720h"],
        ]);
    });

    it("fails disabled schedules, unparsable crons and ttls in days, which Velero rejects", () => {
        const broken = release("velero", "velero", { schedules: {
            daily: { schedule: "0 2 * * *", disabled: true, template: { ttl: "168h" } },
            typo: { schedule: "0 2 * *", template: { ttl: "168h" } },
            days: { schedule: "0 3 * * 0", template: { ttl: "30d" } },
        } });
        expect(messages(check(backupSchedules, [broken], "prod"))).to.deep.equal([
            "schedule typo: \"0 2 * *\" is not a cron schedule Velero accepts",
            "schedule days: ttl \"30d\" is not a Go duration such as 168h",
            "no schedule runs every day with a ttl of at least 168h",
            "no schedule runs at least weekly with a ttl of at least 720h",
        ]);
    });

    it("does not judge dev, nor schedules unknown during preview", () => {
        expect(check(backupSchedules, [], "dev")).to.deep.equal([]);
        expect(check(backupSchedules, [release("velero", "velero", { schedules: UNKNOWN })], "prod")).to.deep.equal([]);
        expect(check(backupSchedules, [release("velero", "velero", { schedules: { daily: { schedule: UNKNOWN } } })], "prod")).to.deep.equal([]);
    });
});

describe("policy observability-retention", () => {
    const loki = (retention: unknown) => release("loki", "loki", { loki: { limits_config: { retention_period: retention } } });
    const tempo = (retention: unknown) => release("tempo", "tempo-distributed", { backendScheduler: { config: { provider: { compaction: { compaction: { block_retention: retention } } } } } });
    const prometheus = (retention: unknown) => release("kube-prometheus-stack", "kube-prometheus-stack", { prometheus: { prometheusSpec: { retention } } });

    it("passes prod retention of 90 days of logs, 30 of traces and 15 of metrics", () => {
        expect(check(observabilityRetention, [loki("2160h"), tempo("720h"), prometheus("15d")], "prod")).to.deep.equal([]);
        expect(check(observabilityRetention, [loki("90d"), release("tempo", "tempo", { tempo: { retention: "720h0m0s" } }), prometheus("2w1d")], "prod")).to.deep.equal([]);
    });

    it("fails short, missing and malformed retention, and a missing backend", () => {
        const violations = check(observabilityRetention, [loki("7d"), tempo("30d"), release("kube-prometheus-stack", "kube-prometheus-stack", {})], "prod");
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["loki", "logs: loki values.loki.limits_config.retention_period is 7d, below 90d"],
            ["tempo", "traces: tempo-distributed values.backendScheduler.config.provider.compaction.compaction.block_retention \"30d\" is not a duration tempo-distributed accepts"],
            ["kube-prometheus-stack", "metrics: kube-prometheus-stack values.prometheus.prometheusSpec.retention is not set"],
        ]);
        expect(messages(check(observabilityRetention, [loki("90d"), prometheus("15d")], "prod"))).to.deep.equal(["no tempo-distributed or tempo release keeps traces"]);
    });

    it("reads the older compactor layout of tempo-distributed", () => {
        const legacy = release("tempo", "tempo-distributed", { compactor: { config: { compaction: { block_retention: "336h" } } } });
        expect(messages(check(observabilityRetention, [loki("90d"), legacy, prometheus("15d")], "prod"))).to.deep.equal([
            "traces: tempo-distributed values.compactor.config.compaction.block_retention is 336h, below 30d",
        ]);
    });

    it("does not judge dev, nor values unknown during preview", () => {
        expect(check(observabilityRetention, [loki("1d")], "dev")).to.deep.equal([]);
        expect(check(observabilityRetention, [loki(UNKNOWN), tempo("720h"), prometheus(UNKNOWN)], "prod")).to.deep.equal([]);
    });
});

describe("policy helm-no-plaintext-secrets", () => {
    it("passes references to secrets kept elsewhere, and secrets Pulumi keeps", () => {
        const grafana = release("grafana", "grafana", {
            admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
            envFromSecret: "grafana-env",
            "grafana.ini": {
                database: { password: "$__file{/etc/secrets/db-password}" },
                auth: { generic_oauth: { client_secret: "${OAUTH_CLIENT_SECRET}", token_url: "https://sso.example.com/token" } },
            },
            env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "grafana-token", key: "token" } } }],
            adminPassword: SECRET_PLACEHOLDER,
            smtp: { password: UNKNOWN, existingSecret: "" },
            serviceAccount: { automountServiceAccountToken: true, tokenTTL: "3600" },
        });
        expect(check(helmNoPlaintextSecrets, [grafana])).to.deep.equal([]);
    });

    it("fails literal passwords, tokens and keys, naming the paths but not the values", () => {
        const leaky = release("leaky", "kube-prometheus-stack", {
            grafana: { adminPassword: "hunter2" },
            alertmanager: { config: { receivers: [{ name: "slack", slack_configs: [{ api_url: "https://hooks", http_config: { authorization: { credentials: "x" } } }], pagerduty_configs: [{ routing_key: "k", token: "abc" }] }] } },
            loki: { storage: { s3: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s3cr3t" } } },
        });
        const violations = check(helmNoPlaintextSecrets, [leaky]);
        expect(violations.map((v) => [v.message, v.enforcementLevel])).to.deep.equal([[
            "credential-like values written in clear: values.grafana.adminPassword, values.alertmanager.config.receivers[0].pagerduty_configs[0].token, values.loki.storage.s3.accessKeyId, values.loki.storage.s3.secretAccessKey",
            "mandatory",
        ]]);
        expect(violations[0].message).not.to.include("hunter2");
    });

    it("skips values unknown during preview", () => {
        expect(check(helmNoPlaintextSecrets, [release("x", "x", UNKNOWN)])).to.deep.equal([]);
    });
});

describe("policy mesh-default-deny", () => {
    const ns = (name: string, labels: unknown) => planned("kubernetes:core/v1:Namespace", name, { metadata: { name, labels } });
    const authz = (name: string, namespace: unknown, spec: unknown) => planned("kubernetes:security.istio.io/v1:AuthorizationPolicy", name, { metadata: { name, namespace }, spec });

    it("reports a meshed namespace without an allow-nothing policy, and only in prod", () => {
        const resources = [
            ns("ambient-ok", { "istio.io/dataplane-mode": "ambient" }), authz("a", "ambient-ok", {}),
            ns("sidecar-ok", { "istio-injection": "enabled" }), authz("b", "sidecar-ok", { action: "ALLOW", rules: [] }),
            ns("only-allows", { "istio.io/dataplane-mode": "ambient" }), authz("c", "only-allows", { action: "ALLOW", rules: [{ from: [{ source: { principals: ["cluster.local/ns/x/sa/y"] } }] }] }),
            ns("selected", { "istio.io/dataplane-mode": "ambient" }), authz("d", "selected", { selector: { matchLabels: { app: "web" } } }),
            ns("denying", { "istio.io/dataplane-mode": "ambient" }), authz("e", "denying", { action: "DENY" }),
            ns("outside", {}),
        ];
        expect(messages(check(meshDefaultDeny, resources, "prod"))).to.deep.equal([
            "namespace only-allows is in the mesh without an allow-nothing AuthorizationPolicy: any mesh identity may call its pods",
            "namespace selected is in the mesh without an allow-nothing AuthorizationPolicy: any mesh identity may call its pods",
            "namespace denying is in the mesh without an allow-nothing AuthorizationPolicy: any mesh identity may call its pods",
        ]);
        expect(check(meshDefaultDeny, resources, "dev")).to.deep.equal([]);
    });

    it("does not report while a policy's namespace or spec is unknown during preview", () => {
        expect(check(meshDefaultDeny, [ns("m", { "istio.io/dataplane-mode": "ambient" }), authz("a", UNKNOWN, {})], "prod")).to.deep.equal([]);
        expect(check(meshDefaultDeny, [ns("m", { "istio.io/dataplane-mode": "ambient" }), authz("a", "m", UNKNOWN)], "prod")).to.deep.equal([]);
    });
});

describe("policy namespace-default-deny", () => {
    const NAMESPACE = "kubernetes:core/v1:Namespace";
    const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    const namespace = (name: string) => planned(NAMESPACE, name, { metadata: { name, labels: {} } });
    const policy = (name: string, namespace: string, spec: unknown) => planned(NETWORK_POLICY, `${namespace}-${name}`, { metadata: { name, namespace }, spec });
    const cni = (values: Record<string, unknown>) => planned("aws:eks/addon:Addon", "vpc-cni", { addonName: "vpc-cni", configurationValues: JSON.stringify(values) });
    const denyAll = (ns: string) => policy("default-deny", ns, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

    it("passes namespaces each with a default deny both ways (allow rules beside it are fine) and an enforcing CNI", () => {
        const allow = policy("allow-web", "apps", { podSelector: { matchLabels: { app: "web" } }, ingress: [{ from: [{ podSelector: {} }] }] });
        expect(check(namespaceDefaultDeny, [namespace("apps"), denyAll("apps"), allow, cni({ enableNetworkPolicy: "true" })])).to.deep.equal([]);
        // Two policies may split the directions: an Ingress-only default (no policyTypes) and an Egress one.
        const split = [policy("in", "ops", { podSelector: {} }), policy("out", "ops", { podSelector: { matchLabels: {} }, policyTypes: ["Egress"] })];
        expect(check(namespaceDefaultDeny, [namespace("ops"), ...split])).to.deep.equal([]);
    });

    it("fails a namespace without a default deny, one that denies one way only, a deny that selects some pods or allows something, and a CNI that enforces nothing", () => {
        const violations = check(namespaceDefaultDeny, [
            namespace("bare"),
            namespace("half"), policy("deny-in", "half", { podSelector: {}, policyTypes: ["Ingress"] }),
            namespace("narrow"), policy("deny", "narrow", { podSelector: { matchLabels: { app: "x" } }, policyTypes: ["Ingress", "Egress"] }),
            namespace("leaky"), policy("deny", "leaky", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] }),
            denyAll("elsewhere"),
            cni({ enableNetworkPolicy: "false" }),
        ], "prod");
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["bare", "namespace bare has no default-deny NetworkPolicy for ingress and egress: every pod may receive from and send to anything"],
            ["half", "namespace half has no default-deny NetworkPolicy for egress: every pod may send to anything"],
            ["narrow", "namespace narrow has no default-deny NetworkPolicy for ingress and egress: every pod may receive from and send to anything"],
            ["leaky", "namespace leaky has no default-deny NetworkPolicy for ingress: every pod may receive from anything"],
            ["vpc-cni", "the vpc-cni add-on does not set enableNetworkPolicy \"true\": its network-policy agent is off and no NetworkPolicy is enforced"],
        ]);
    });

    it("skips policies unknown during preview", () => {
        expect(check(namespaceDefaultDeny, [namespace("apps"), policy("deny", "apps", UNKNOWN)])).to.deep.equal([]);
    });
});

describe("policy namespace-pod-security", () => {
    const namespace = (name: string, labels: unknown) => planned("kubernetes:core/v1:Namespace", name, { metadata: { name, labels } });

    it("passes namespaces with an enforce level, privileged included", () => {
        expect(check(namespacePodSecurity, [
            namespace("apps", { "pod-security.kubernetes.io/enforce": "restricted" }),
            namespace("nodes", { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/warn": "restricted" }),
        ])).to.deep.equal([]);
    });

    it("fails a namespace without an enforce level, or with one the API server rejects; skips unknown labels", () => {
        const violations = check(namespacePodSecurity, [
            namespace("bare", {}),
            namespace("warned", { "pod-security.kubernetes.io/warn": "restricted" }),
            namespace("typo", { "pod-security.kubernetes.io/enforce": "strict" }),
            namespace("later", UNKNOWN),
        ], "prod");
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["bare", "namespace bare has no Pod Security enforce level (label pod-security.kubernetes.io/enforce): any pod is admitted, privileged or not"],
            ["warned", "namespace warned has no Pod Security enforce level (label pod-security.kubernetes.io/enforce): any pod is admitted, privileged or not"],
            ["typo", "namespace typo: pod-security.kubernetes.io/enforce is \"strict\", not one of privileged, baseline, restricted: the API server rejects the label"],
        ]);
    });
});

describe("policy pod-security-standards", () => {
    const namespace = (name: string, level: string) => planned("kubernetes:core/v1:Namespace", name, { metadata: { name, labels: { "pod-security.kubernetes.io/enforce": level } } });
    const restrictedSpec = {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [{ name: "app", image: "app:1", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
    };
    const deployment = (name: string, ns: string, spec: object) => planned("kubernetes:apps/v1:Deployment", name, { metadata: { name, namespace: ns }, spec: { template: { metadata: { labels: { app: name } }, spec } } });
    const hostPorted = { ...restrictedSpec, containers: [{ ...restrictedSpec.containers[0], ports: [{ containerPort: 53, hostPort: 53 }] }] };

    it("carries an anchor for every Pod Security Standards check it enforces", () => {
        expect(podSecurityStandards.anchors).to.deep.equal(checksOf("restricted").map((id) => `PSS:${id}`));
        expect(podSecurityStandards.anchors).to.have.length(19);
    });

    it("passes pods that meet their namespace's level, and pods in namespaces the stack does not create", () => {
        expect(check(podSecurityStandards, [
            namespace("apps", "restricted"), namespace("agents", "privileged"), namespace("legacy", "baseline"),
            deployment("web", "apps", restrictedSpec),
            deployment("agent", "agents", { ...hostPorted, hostNetwork: true }),
            deployment("old", "legacy", { containers: [{ name: "old", image: "old:1" }] }),
            deployment("elsewhere", "team-a", hostPorted),
        ], "prod")).to.deep.equal([]);
    });

    it("fails each check under its upstream id, on Deployments, CronJobs and Pods, at the namespace's level", () => {
        const cron = planned("kubernetes:batch/v1:CronJob", "report", { metadata: { namespace: "apps" }, spec: { jobTemplate: { spec: { template: { spec: { ...restrictedSpec, volumes: [{ name: "host", hostPath: { path: "/var/run" } }] } } } } } });
        const pod = planned("kubernetes:core/v1:Pod", "debug", { metadata: { namespace: "legacy" }, spec: { containers: [{ name: "sh", image: "busybox", securityContext: { privileged: true } }] } });
        const found = check(podSecurityStandards, [namespace("apps", "restricted"), namespace("legacy", "baseline"), deployment("dns", "apps", hostPorted), cron, pod], "prod");
        expect(found.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["dns", "dns in namespace apps (restricted) fails PSS hostPorts: container app: hostPort 53"],
            ["report", "report in namespace apps (restricted) fails PSS hostPathVolumes: volume host is a hostPath (/var/run)"],
            ["report", "report in namespace apps (restricted) fails PSS restrictedVolumes: volume host is of type hostPath"],
            ["debug", "debug in namespace legacy (baseline) fails PSS privileged: container sh: privileged"],
        ]);
    });

    it("judges what Strimzi's templates write, leaving the rest to its pod security provider", () => {
        const kafka = (template: object) => planned("kubernetes:kafka.strimzi.io/v1:Kafka", "kafka", { metadata: { name: "kafka", namespace: "kafka" }, spec: { kafka: { listeners: [], template }, entityOperator: { template: { topicOperatorContainer: {} } } } });
        expect(check(podSecurityStandards, [namespace("kafka", "restricted"), kafka({ pod: { metadata: { labels: { a: "b" } } } })], "prod")).to.deep.equal([]);
        const found = check(podSecurityStandards, [namespace("kafka", "restricted"), kafka({ pod: { securityContext: { runAsUser: 0 } }, kafkaContainer: { securityContext: { privileged: true, allowPrivilegeEscalation: true } } })], "prod");
        expect(messages(found)).to.deep.equal([
            "kafka spec.kafka.template in namespace kafka (restricted) fails PSS privileged: container kafka: privileged",
            "kafka spec.kafka.template in namespace kafka (restricted) fails PSS allowPrivilegeEscalation: container kafka: allowPrivilegeEscalation is not false",
            "kafka spec.kafka.template in namespace kafka (restricted) fails PSS runAsUser: pod: runAsUser 0",
        ]);
    });

    it("skips namespaces whose level is unknown during preview", () => {
        const later = planned("kubernetes:core/v1:Namespace", "later", { metadata: { name: "later", labels: UNKNOWN } });
        expect(check(podSecurityStandards, [later, deployment("dns", "later", hostPorted)], "prod")).to.deep.equal([]);
    });
});
