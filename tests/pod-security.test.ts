/**
 * Pod Security Admission: the PSS checks (lib/pod-security.ts), every platform namespace's level,
 * and every pod the stacks run (rendered, operator-made, with what injection adds) checked against
 * its namespace's level, and against restricted unless it is a named exception.
 */
import { expect } from "chai";
import { stackWorkloads } from "../components/helm/workloads";
import { POD_SECURITY, podSecurityOf } from "../components/security/pod-security";
import { podSecurityViolations } from "../lib/pod-security";
import { stack } from "./support/stacks";

const restrictedPod = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [{ name: "app", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } }, ports: [{ containerPort: 8080 }] }],
    volumes: [{ name: "data", persistentVolumeClaim: { claimName: "data" } }, { name: "tmp", emptyDir: {} }],
};
const withContainer = (patch: Record<string, unknown>) => ({ ...restrictedPod, containers: [{ ...restrictedPod.containers[0], ...patch }] });
const withContext = (patch: Record<string, unknown>) => withContainer({ securityContext: { ...restrictedPod.containers[0].securityContext, ...patch } });

describe("Pod Security Standards (lib/pod-security.ts)", () => {
    it("admits a restricted pod at every level, and anything at privileged", () => {
        for (const level of ["baseline", "restricted"] as const) expect(podSecurityViolations(restrictedPod, level)).to.deep.equal([]);
        expect(podSecurityViolations({ hostNetwork: true, containers: [{ name: "x", securityContext: { privileged: true } }] }, "privileged")).to.deep.equal([]);
    });

    it("baseline refuses host namespaces, privileged containers, added capabilities beyond the default set, hostPath, host ports, unsafe sysctls, Unconfined seccomp, custom SELinux and proc mounts", () => {
        const bad = {
            hostNetwork: true, hostPID: true, hostIPC: true,
            securityContext: { sysctls: [{ name: "net.ipv4.ip_forward", value: "1" }, { name: "net.ipv4.tcp_syncookies", value: "1" }], seccompProfile: { type: "Unconfined" } },
            volumes: [{ name: "root", hostPath: { path: "/" } }],
            initContainers: [{ name: "init", securityContext: { capabilities: { add: ["NET_ADMIN", "CHOWN"] } } }],
            containers: [{ name: "app", ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { privileged: true, procMount: "Unmasked", seLinuxOptions: { type: "spc_t" } } }],
        };
        expect(podSecurityViolations(bad, "baseline")).to.deep.equal([
            "hostNetwork: true", "hostPID: true", "hostIPC: true",
            "volume root is a hostPath (/)",
            "sysctl net.ipv4.ip_forward is not a safe sysctl",
            "pod: seccompProfile Unconfined",
            "container app: seLinuxOptions {\"type\":\"spc_t\"}",
            "initContainer init: adds capability NET_ADMIN",
            "container app: privileged",
            "container app: procMount Unmasked",
            "container app: hostPort 80",
        ]);
    });

    it("restricted also asks for no escalation, non-root, a seccomp profile, ALL capabilities dropped (NET_BIND_SERVICE may come back) and only safe volume types", () => {
        expect(podSecurityViolations(withContext({ allowPrivilegeEscalation: true }), "restricted")).to.deep.equal(["container app: allowPrivilegeEscalation is not false"]);
        expect(podSecurityViolations(withContext({ runAsNonRoot: false }), "restricted")).to.deep.equal(["container app: runAsNonRoot is not true"], "a container's own false beats the pod's true");
        expect(podSecurityViolations(withContext({ runAsUser: 0 }), "restricted")).to.deep.equal(["container app: runAsUser 0"]);
        expect(podSecurityViolations(withContext({ capabilities: { drop: ["NET_RAW"] } }), "restricted")).to.deep.equal(["container app: does not drop ALL capabilities"]);
        expect(podSecurityViolations(withContext({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }), "restricted")).to.deep.equal([]);
        expect(podSecurityViolations(withContext({ capabilities: { drop: ["ALL"], add: ["CHOWN"] } }), "restricted")).to.deep.equal(["container app: adds capability CHOWN (restricted allows NET_BIND_SERVICE only)"]);
        const noPodSeccomp = { ...restrictedPod, securityContext: { runAsNonRoot: true } };
        expect(podSecurityViolations(noPodSeccomp, "restricted")).to.deep.equal(["container app: no RuntimeDefault or Localhost seccomp profile"]);
        expect(podSecurityViolations({ ...noPodSeccomp, containers: [{ ...restrictedPod.containers[0], securityContext: { ...restrictedPod.containers[0].securityContext, seccompProfile: { type: "Localhost", localhostProfile: "p.json" } } }] }, "restricted")).to.deep.equal([]);
        expect(podSecurityViolations({ ...restrictedPod, volumes: [{ name: "nfs", nfs: { server: "x", path: "/" } }] }, "restricted")).to.deep.equal(["volume nfs is of type nfs"]);
        expect(podSecurityViolations({ ...restrictedPod, securityContext: { ...restrictedPod.securityContext, runAsUser: 0 } }, "restricted")).to.deep.equal(["pod: runAsUser 0"]);
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
