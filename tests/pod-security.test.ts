/**
 * Pod Security Admission: the PSS checks (policy/lib/pod-security-standards.ts), every platform namespace's level,
 * and every pod the stacks run (rendered, operator-made, with what injection adds) checked against
 * its namespace's level, and against restricted unless it is a named exception.
 */
import { expect } from "chai";
import { stackWorkloads } from "../components/helm/workloads";
import { POD_SECURITY, podSecurityOf } from "../components/security/pod-security";
import * as fs from "fs";
import * as path from "path";
import { PSS_DATA } from "../policy/data/pod-security-standards";
import { IMPLEMENTED_CHECKS, podSecurityFindings, podSecurityViolations } from "../policy/lib/pod-security-standards";
import { OUTPUT as PSS_OUTPUT, renderPss } from "../scripts/derive-pss-checks";
import { EXIT_MANDATORY_VIOLATION, EXIT_OK, exitFor } from "../planner/cli";
import { runWorkloads } from "../planner/plan";
import { podSecurityLines, podSecurityReport } from "../planner/pod-security";
import { renderPlan } from "../planner/render";
import { planOf, stack } from "./support/stacks";

const restrictedPod = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "app", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } }, ports: [{ containerPort: 8080 }] }],
    volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }, { name: "tmp", emptyDir: {} }],
};
const withContainer = (patch: Record<string, unknown>) => ({ ...restrictedPod, containers: [{ ...restrictedPod.containers[0], ...patch }] });
const withContext = (patch: Record<string, unknown>) => withContainer({ securityContext: { ...restrictedPod.containers[0].securityContext, ...patch } });
const withPod = (patch: Record<string, unknown>) => ({ ...restrictedPod, ...patch });
const withPodContext = (patch: Record<string, unknown>) => withPod({ securityContext: { ...restrictedPod.securityContext, ...patch } });

/**
 * Per check id of k8s.io/pod-security-admission: a pod that fails exactly that check (with the
 * message naming what), and a look-alike that passes it.
 */
const CASES: Record<string, { fails: object; message: string; passes: object }> = {
    windowsHostProcess: { fails: withPodContext({ windowsOptions: { hostProcess: true } }), message: "pod: windowsOptions.hostProcess", passes: withPodContext({ windowsOptions: { hostProcess: false } }) },
    hostNamespaces: { fails: withPod({ hostPID: true }), message: "hostPID: true", passes: withPod({ hostNetwork: false }) },
    privileged: { fails: withContext({ privileged: true }), message: "container app: privileged", passes: withContext({ privileged: false }) },
    capabilities_baseline: { fails: withContext({ capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } }), message: "container app: adds capability SYS_ADMIN", passes: withContext({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }) },
    hostPathVolumes: { fails: withPod({ volumes: [{ name: "root", hostPath: { path: "/" } }] }), message: "volume root is a hostPath (/)", passes: withPod({ volumes: [{ name: "tmp", emptyDir: {} }] }) },
    hostPorts: { fails: withContainer({ ports: [{ containerPort: 80, hostPort: 80 }] }), message: "container app: hostPort 80", passes: withContainer({ ports: [{ containerPort: 80, hostPort: 0 }] }) },
    hostProbesAndHostLifecycle: { fails: withContainer({ livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } } }), message: "container app: livenessProbe.httpGet.host 10.0.0.1", passes: withContainer({ livenessProbe: { httpGet: { port: 80 } } }) },
    appArmorProfile: { fails: withPodContext({ appArmorProfile: { type: "Unconfined" } }), message: "pod: appArmorProfile Unconfined", passes: withPodContext({ appArmorProfile: { type: "RuntimeDefault" } }) },
    seLinuxOptions: { fails: withContext({ seLinuxOptions: { type: "spc_t" } }), message: "container app: seLinuxOptions {\"type\":\"spc_t\"}", passes: withContext({ seLinuxOptions: { type: "container_engine_t", level: "s0:c1" } }) },
    procMount: { fails: withContext({ procMount: "Unmasked" }), message: "container app: procMount Unmasked", passes: withContext({ procMount: "Default" }) },
    seccompProfile_baseline: { fails: withContext({ seccompProfile: { type: "Unconfined" } }), message: "container app: seccompProfile Unconfined", passes: withContext({ seccompProfile: { type: "Localhost", localhostProfile: "p.json" } }) },
    sysctls: { fails: withPodContext({ sysctls: [{ name: "net.ipv4.ip_forward", value: "1" }] }), message: "sysctl net.ipv4.ip_forward is not a safe sysctl", passes: withPodContext({ sysctls: [{ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }] }) },
    restrictedVolumes: { fails: withPod({ volumes: [{ name: "nfs", nfs: { server: "x", path: "/" } }] }), message: "volume nfs is of type nfs", passes: withPod({ volumes: [{ name: "img", image: { reference: "registry/x:1" } }, { name: "c", csi: { driver: "d" } }] }) },
    allowPrivilegeEscalation: { fails: withContext({ allowPrivilegeEscalation: true }), message: "container app: allowPrivilegeEscalation is not false", passes: { ...withContext({ allowPrivilegeEscalation: undefined }), os: { name: "windows" }, securityContext: { runAsNonRoot: true } } },
    runAsNonRoot: { fails: withContext({ runAsNonRoot: false }), message: "container app: runAsNonRoot is not true", passes: withPod({ securityContext: { seccompProfile: { type: "RuntimeDefault" } }, containers: [{ ...restrictedPod.containers[0], securityContext: { ...restrictedPod.containers[0].securityContext, runAsNonRoot: true } }] }) },
    runAsUser: { fails: withPodContext({ runAsUser: 0 }), message: "pod: runAsUser 0", passes: withPod({ hostUsers: false, securityContext: { ...restrictedPod.securityContext, runAsUser: 0 } }) },
    seccompProfile_restricted: { fails: withPodContext({ seccompProfile: undefined }), message: "container app: no RuntimeDefault or Localhost seccomp profile", passes: withPod({ securityContext: { runAsNonRoot: true }, containers: [{ ...restrictedPod.containers[0], securityContext: { ...restrictedPod.containers[0].securityContext, seccompProfile: { type: "RuntimeDefault" } } }] }) },
    capabilities_restricted: { fails: withContext({ capabilities: { drop: ["NET_RAW"] } }), message: "container app: does not drop ALL capabilities", passes: withContext({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }) },
    procMount_restricted: { fails: withPod({ hostUsers: false, containers: [{ ...restrictedPod.containers[0], securityContext: { ...restrictedPod.containers[0].securityContext, procMount: "Unmasked" } }] }), message: "container app: procMount Unmasked", passes: withContext({ procMount: "Default" }) },
};

describe("Pod Security Standards (policy/lib/pod-security-standards.ts)", () => {
    it("implements every check of k8s.io/pod-security-admission at the clusters' version, under its id, as derived from upstream", () => {
        expect(PSS_DATA.source).to.deep.include({ tag: "v0.35.6", kubernetes: "1.35" });
        expect([...IMPLEMENTED_CHECKS].sort()).to.deep.equal([...PSS_DATA.checks.baseline, ...PSS_DATA.checks.restricted].sort());
        expect(PSS_DATA.checks.baseline).to.include.members(["windowsHostProcess", "hostNamespaces", "privileged", "capabilities_baseline", "hostPathVolumes", "hostPorts", "appArmorProfile", "seLinuxOptions", "procMount", "seccompProfile_baseline", "sysctls"]);
        expect(PSS_DATA.checks.restricted).to.include.members(["restrictedVolumes", "allowPrivilegeEscalation", "runAsNonRoot", "runAsUser", "seccompProfile_restricted", "capabilities_restricted"]);
        // The anchors' own derivation (scripts/derive-anchors.ts, for the coverage table) reads the same ids and levels.
        const anchors = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "data", "anchors.json"), "utf8")).podSecurity;
        expect(anchors.source.commit).to.equal(PSS_DATA.source.commit);
        expect(anchors.checks.map((c: { id: string; level: string }) => `${c.level}:${c.id}`).sort())
            .to.deep.equal([...PSS_DATA.checks.baseline.map((id) => `baseline:${id}`), ...PSS_DATA.checks.restricted.map((id) => `restricted:${id}`)].sort());
        // The committed file is as the script writes it (npm run pss-checks -- <clone> rewrites it from upstream).
        expect(fs.readFileSync(PSS_OUTPUT, "utf8")).to.equal(renderPss(PSS_DATA));
    });

    it("gives every check a pod that fails it alone and a look-alike that passes", () => {
        expect(Object.keys(CASES).sort()).to.deep.equal([...IMPLEMENTED_CHECKS].sort());
        for (const [check, { fails, message, passes }] of Object.entries(CASES)) {
            const baseline = PSS_DATA.checks.baseline.includes(check);
            // Alone at its own level; restricted, which adds checks, finds it too.
            expect(podSecurityFindings(fails, baseline ? "baseline" : "restricted"), check).to.deep.equal([{ check, message }]);
            expect(podSecurityFindings(fails, "restricted"), check).to.deep.include({ check, message });
            if (!baseline) expect(podSecurityFindings(fails, "baseline"), `${check} at baseline`).to.deep.equal([]);
            expect(podSecurityFindings(fails, "privileged"), `${check} at privileged`).to.deep.equal([]);
            expect(podSecurityFindings(passes, "restricted"), `${check} look-alike`).to.deep.equal([]);
        }
    });

    it("reads the deprecated AppArmor annotation, and judges only what an operator's template writes when asked", () => {
        expect(podSecurityFindings(restrictedPod, "baseline", { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } }))
            .to.deep.equal([{ check: "appArmorProfile", message: "annotation container.apparmor.security.beta.kubernetes.io/app=unconfined" }]);
        expect(podSecurityFindings(restrictedPod, "baseline", { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "localhost/p" } })).to.deep.equal([]);
        const bare = { containers: [{ name: "kafka" }] };
        expect(podSecurityFindings(bare, "restricted").map((f) => f.check)).to.deep.equal(["allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "seccompProfile_restricted"]);
        expect(podSecurityFindings(bare, "restricted", undefined, { declaredOnly: true })).to.deep.equal([]);
        expect(podSecurityFindings({ containers: [{ name: "kafka", securityContext: { allowPrivilegeEscalation: true, runAsNonRoot: false } }] }, "restricted", undefined, { declaredOnly: true }).map((f) => f.check))
            .to.deep.equal(["allowPrivilegeEscalation", "runAsNonRoot"]);
    });
});

describe("Pod Security Admission on the platform's namespaces", () => {
    for (const name of ["dev", "prod"]) {
        it(`${name}: every platform namespace enforces its level, warns and audits at restricted`, async () => {
            const namespaces = (await stack(name)).resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
            expect(namespaces).to.not.be.empty;
            for (const ns of namespaces) {
                const labels = ns.inputs.metadata.labels;
                const expected = podSecurityOf(ns.inputs.metadata.name);
                expect(Object.fromEntries(Object.entries(labels).filter(([k]) => k.startsWith("pod-security")))).to.deep.equal({
                    "pod-security.kubernetes.io/enforce": expected.level,
                    "pod-security.kubernetes.io/enforce-version": "latest",
                    "pod-security.kubernetes.io/warn": "restricted",
                    "pod-security.kubernetes.io/warn-version": "latest",
                    "pod-security.kubernetes.io/audit": "restricted",
                    "pod-security.kubernetes.io/audit-version": "latest",
                }, ns.inputs.metadata.name);
            }
        });

        it(`${name}: every rendered and operator-made pod passes its namespace's level, and restricted unless it is a named exception`, async () => {
            const run = await stack(name);
            const namespaces = new Map(run.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => [r.inputs.metadata.name as string, r.inputs.metadata.labels]));
            const below: string[] = [];
            const unadmitted: string[] = [];
            const unchecked: string[] = [];
            for (const w of stackWorkloads(run.resources).workloads.filter((x) => x.containers.length > 0)) {
                if (!w.podSpec) { unchecked.push(`${w.source}: ${w.name}`); continue; }
                const labels = namespaces.get(w.namespace);
                if (labels) {
                    const violations = podSecurityViolations(w.podSpec, labels["pod-security.kubernetes.io/enforce"]);
                    if (violations.length > 0) unadmitted.push(`${w.namespace}/${w.name}: ${violations.join("; ")}`);
                }
                const security = POD_SECURITY[w.namespace];
                const excepted = security?.exceptions.some((e) => w.name === e || w.name.endsWith(`-${e}`));
                const restricted = podSecurityViolations(w.podSpec, "restricted");
                if (!excepted && restricted.length > 0) below.push(`${w.namespace}/${w.name}: ${restricted.join("; ")}`);
            }
            expect(unadmitted, "pods the enforced level would refuse").to.deep.equal([]);
            expect(below, "pods below restricted that no namespace entry names").to.deep.equal([]);
            // Models have no pod spec to check: only the EKS add-ons (kube-system, EKS's own) and Mimir until its chart is vendored.
            expect(unchecked.filter((u) => !/^eks-addon |-mimir: /.test(u))).to.deep.equal([]);
        });
    }

    it("every level below restricted names its reason and the workloads that need it; a sidecar namespace is restricted (istio-cni, not istio-init, redirects its traffic)", () => {
        for (const [namespace, security] of Object.entries(POD_SECURITY)) {
            if (security.level !== "restricted") expect(security.exceptions, namespace).to.not.be.empty;
            expect(security.reason.length, namespace).to.be.greaterThan(10);
        }
        expect(podSecurityOf("kubecost").level).to.equal("restricted");
        expect(() => podSecurityOf("team-a")).to.throw("Namespace team-a has no Pod Security level: add it to POD_SECURITY (components/security/pod-security.ts) with its reason");
    });

    it("hardens the containers the review named: Velero's server, plugin and node agent, the autoscaler, the Alloy events collector and Headlamp", async () => {
        const workloads = stackWorkloads((await stack("prod")).resources).workloads;
        const spec = (name: string) => workloads.find((w) => w.name === name || w.name.endsWith(name))!.podSpec!;
        const container = (w: string, c: string, init = false) => (init ? spec(w).initContainers : spec(w).containers).find((x: any) => x.name === c).securityContext;
        const restrictedReadOnly = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, seccompProfile: { type: "RuntimeDefault" } };
        const nonroot = (uid: number) => ({ runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" } });
        expect(container("velero", "velero")).to.deep.equal(restrictedReadOnly);
        expect(container("velero", "velero-plugin-for-aws", true)).to.deep.equal(restrictedReadOnly);
        expect(spec("velero").securityContext).to.deep.equal(nonroot(65532));
        expect(container("node-agent", "node-agent")).to.deep.equal({ allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"], add: ["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID"] } });
        expect(spec("node-agent").securityContext).to.deep.equal({ runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } });
        expect(container("aws-cluster-autoscaler", "aws-cluster-autoscaler")).to.deep.equal(restrictedReadOnly);
        expect(spec("aws-cluster-autoscaler").securityContext).to.deep.equal(nonroot(65532));
        expect(container("alloy-events", "alloy")).to.deep.equal(restrictedReadOnly);
        expect(spec("alloy-events").securityContext).to.deep.equal(nonroot(473));
        expect(container("operations-headlamp", "headlamp")).to.deep.equal({ ...restrictedReadOnly, privileged: false, runAsNonRoot: true, runAsUser: 100, runAsGroup: 101 });
    });
});

describe("the plan's Pod Security section", () => {
    it("checks every pod each stack runs against its namespace's level: prod and dev are all admitted", async () => {
        for (const name of ["dev", "prod"]) {
            const run = await stack(name);
            const report = podSecurityReport(run.resources, runWorkloads(run));
            expect(report.checks).to.equal("k8s.io/pod-security-admission v0.35.6");
            expect(report.checked, name).to.be.greaterThan(10);
            expect(report.findings, name).to.deep.equal([]);
        }
    });

    it("refuses, check by check, a pod its namespace's level forbids, and fails the plan as a mandatory violation does", async () => {
        const run = await stack("prod");
        const workloads = runWorkloads(run);
        const kafka = workloads.find((w) => w.namespace === "kafka" && w.podSpec)!;
        const broken = { ...kafka, podSpec: { ...kafka.podSpec, hostNetwork: true } };
        const report = podSecurityReport(run.resources, workloads.map((w) => (w === kafka ? broken : w)));
        expect(report.findings).to.deep.equal([{ namespace: "kafka", workload: kafka.name, level: "restricted", check: "hostNamespaces", message: "hostNetwork: true" }]);
        expect(podSecurityLines(report)[1]).to.equal(`  REFUSED kafka/${kafka.name} (restricted): PSS hostNamespaces: hostNetwork: true`);
        const plan = planOf(run);
        expect(plan.podSecurity.findings).to.deep.equal([]);
        expect(exitFor([plan])).to.equal(EXIT_OK);
        expect(exitFor([{ ...plan, podSecurity: report }])).to.equal(EXIT_MANDATORY_VIOLATION);
        expect(renderPlan(plan)).to.match(/\nPod security \(k8s\.io\/pod-security-admission v0\.35\.6\): \d+ workloads checked against their namespace's enforced level, all admitted/);
    });
});
