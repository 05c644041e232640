/**
 * The Pod Security section: every pod the stack runs (rendered by the real Helm, made by an operator,
 * with what admission injects) checked against the Pod Security Standard its namespace enforces,
 * with the pack's checks (policy/lib/pod-security-standards.ts), as Pod Security Admission will
 * judge them when the pods are created. A pod its namespace refuses never starts, so the plan fails
 * on one, as on a mandatory policy violation.
 */
import { PlannedResource } from "../engine/types";
import { Workload } from "../lib/workloads";
import { PSS_DATA } from "../policy/data/pod-security-standards";
import { podSecurityFindings, PodSecurityLevel } from "../policy/lib/pod-security-standards";

export interface PodSecurityFinding {
    readonly namespace: string;
    readonly workload: string;
    readonly level: PodSecurityLevel;
    /** The check's id in k8s.io/pod-security-admission. */
    readonly check: string;
    readonly message: string;
}

export interface PodSecurityReport {
    /** The upstream checks judged with: k8s.io/pod-security-admission at its tag. */
    readonly checks: string;
    /** Workloads whose pod spec was checked against their namespace's enforced level. */
    readonly checked: number;
    /** Workloads in namespaces the stack does not create (kube-system, EKS's own), or modelled without a pod spec: PSA judges them where they run. */
    readonly unchecked: number;
    readonly findings: readonly PodSecurityFinding[];
}

const ENFORCE = "pod-security.kubernetes.io/enforce";

export function podSecurityReport(resources: readonly PlannedResource[], workloads: readonly Workload[]): PodSecurityReport {
    const levels = new Map(resources.filter((r) => r.type === "kubernetes:core/v1:Namespace")
        .map((r) => [r.inputs.metadata?.name as string, r.inputs.metadata?.labels?.[ENFORCE] as PodSecurityLevel | undefined]));
    const findings: PodSecurityFinding[] = [];
    let checked = 0;
    for (const w of workloads) {
        const level = levels.get(w.namespace);
        if (!w.podSpec || level === undefined) continue;
        checked++;
        for (const { check, message } of podSecurityFindings(w.podSpec, level)) findings.push({ namespace: w.namespace, workload: w.name, level, check, message });
    }
    return { checks: `k8s.io/pod-security-admission ${PSS_DATA.source.tag}`, checked, unchecked: workloads.length - checked, findings };
}

/** The section's lines in the text plan. */
export function podSecurityLines(report: PodSecurityReport): string[] {
    const heading = `Pod security (${report.checks}): ${report.checked} workloads checked against their namespace's enforced level, ${report.findings.length === 0 ? "all admitted" : `${report.findings.length} refused`}`
        + (report.unchecked > 0 ? `; ${report.unchecked} outside the stack's namespaces or without a pod spec` : "");
    return [heading, ...report.findings.map((f) => `  REFUSED ${f.namespace}/${f.workload} (${f.level}): PSS ${f.check}: ${f.message}`)];
}
