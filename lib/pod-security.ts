/**
 * The Pod Security Standards (baseline and restricted, as Kubernetes' Pod Security Admission
 * enforces them) as a pure function of a pod spec: every check of each level, naming the
 * container and field that breaks it.
 */

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ["privileged", "baseline", "restricted"];

/** Capabilities baseline lets a container add (the container runtime's defaults). */
const BASELINE_CAPABILITIES = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);
/** Sysctls that are namespaced and isolated per pod. */
const SAFE_SYSCTLS = new Set(["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
/** Volume types restricted allows. */
const RESTRICTED_VOLUMES = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret", "image"]);

type Spec = Readonly<Record<string, any>>;

function containersOf(spec: Spec): { kind: string; c: Record<string, any> }[] {
    return [
        ...(spec.initContainers ?? []).map((c: any) => ({ kind: "initContainer", c })),
        ...(spec.containers ?? []).map((c: any) => ({ kind: "container", c })),
        ...(spec.ephemeralContainers ?? []).map((c: any) => ({ kind: "ephemeralContainer", c })),
    ];
}

function baselineViolations(spec: Spec): string[] {
    const found: string[] = [];
    const pod = spec.securityContext ?? {};
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[field] === true) found.push(`${field}: true`);
    if (pod.windowsOptions?.hostProcess === true) found.push("securityContext.windowsOptions.hostProcess: true");
    for (const v of spec.volumes ?? []) if (v.hostPath) found.push(`volume ${v.name} is a hostPath (${v.hostPath.path})`);
    for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) found.push(`sysctl ${s.name} is not a safe sysctl`);
    const contexts = [{ where: "pod", sc: pod }, ...containersOf(spec).map(({ kind, c }) => ({ where: `${kind} ${c.name}`, sc: c.securityContext ?? {}, c }))];
    for (const { where, sc } of contexts) {
        if (sc.seccompProfile?.type === "Unconfined") found.push(`${where}: seccompProfile Unconfined`);
        if (sc.appArmorProfile && !["RuntimeDefault", "Localhost"].includes(sc.appArmorProfile.type)) found.push(`${where}: appArmorProfile ${sc.appArmorProfile.type}`);
        const se = sc.seLinuxOptions;
        if (se && (!SELINUX_TYPES.has(se.type ?? "") || se.user || se.role)) found.push(`${where}: seLinuxOptions ${JSON.stringify(se)}`);
    }
    for (const { kind, c } of containersOf(spec)) {
        const sc = c.securityContext ?? {};
        const where = `${kind} ${c.name}`;
        if (sc.privileged === true) found.push(`${where}: privileged`);
        if (sc.windowsOptions?.hostProcess === true) found.push(`${where}: windowsOptions.hostProcess`);
        if (sc.procMount && sc.procMount !== "Default") found.push(`${where}: procMount ${sc.procMount}`);
        for (const cap of sc.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(cap)) found.push(`${where}: adds capability ${cap}`);
        for (const p of c.ports ?? []) if (p.hostPort) found.push(`${where}: hostPort ${p.hostPort}`);
    }
    return found;
}

function restrictedViolations(spec: Spec): string[] {
    const found: string[] = [];
    const pod = spec.securityContext ?? {};
    for (const v of spec.volumes ?? []) {
        const type = Object.keys(v).find((k) => k !== "name");
        if (type && !RESTRICTED_VOLUMES.has(type)) found.push(`volume ${v.name} is of type ${type}`);
    }
    if (pod.runAsUser === 0) found.push("pod: runAsUser 0");
    const podSeccomp = ["RuntimeDefault", "Localhost"].includes(pod.seccompProfile?.type);
    for (const { kind, c } of containersOf(spec)) {
        const sc = c.securityContext ?? {};
        const where = `${kind} ${c.name}`;
        if (sc.allowPrivilegeEscalation !== false) found.push(`${where}: allowPrivilegeEscalation is not false`);
        if (!(sc.runAsNonRoot === true || (pod.runAsNonRoot === true && sc.runAsNonRoot !== false))) found.push(`${where}: runAsNonRoot is not true`);
        if (sc.runAsUser === 0) found.push(`${where}: runAsUser 0`);
        const seccomp = sc.seccompProfile?.type;
        if (!(["RuntimeDefault", "Localhost"].includes(seccomp) || (seccomp === undefined && podSeccomp))) found.push(`${where}: no RuntimeDefault or Localhost seccomp profile`);
        if (!(sc.capabilities?.drop ?? []).includes("ALL")) found.push(`${where}: does not drop ALL capabilities`);
        for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") found.push(`${where}: adds capability ${cap} (restricted allows NET_BIND_SERVICE only)`);
    }
    return found;
}

/** Everything in a pod spec the level forbids; empty when Pod Security Admission would admit it. */
export function podSecurityViolations(spec: Spec, level: PodSecurityLevel): string[] {
    if (level === "privileged") return [];
    return level === "baseline" ? baselineViolations(spec) : [...baselineViolations(spec), ...restrictedViolations(spec)];
}
