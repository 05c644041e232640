/**
 * The Pod Security Standards as Kubernetes' Pod Security Admission enforces them, one function per
 * check of k8s.io/pod-security-admission, under its own id: the ids, levels and value sets come from
 * upstream's source at the clusters' version (data/pod-security-standards.ts, derived by
 * scripts/derive-pss-checks.ts); the semantics follow the checks' documentation at that version,
 * including its exemptions (a pod in a user namespace, `hostUsers: false`, may run as root and
 * unmask /proc; a Windows pod is exempt from the Linux-only restricted checks).
 */
import { PSS_DATA } from "../data/pod-security-standards";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** What scripts/derive-pss-checks.ts takes from upstream. */
export interface PssData {
    readonly source: { readonly repository: string; readonly tag: string; readonly commit: string; readonly kubernetes: string; readonly derivedBy: string };
    /** Every check id by its level. */
    readonly checks: Readonly<Record<"baseline" | "restricted", readonly string[]>>;
    readonly safeSysctls: readonly string[];
    readonly baselineCapabilities: readonly string[];
    readonly seLinuxTypes: readonly string[];
    readonly restrictedVolumes: readonly string[];
}

/** One check a pod fails: its upstream id and what in the pod breaks it. */
export interface PssFinding {
    readonly check: string;
    readonly message: string;
}

type Spec = Readonly<Record<string, any>>;
type Metadata = { readonly annotations?: Readonly<Record<string, string>> } | undefined;

export interface CheckOptions {
    /**
     * Judge only what is written: for a template an operator completes (Strimzi's pod security
     * provider fills every security context it leaves empty), a missing field is no violation, a
     * field set to a forbidden value is.
     */
    readonly declaredOnly?: boolean;
}

const SAFE_SYSCTLS = new Set(PSS_DATA.safeSysctls);
const BASELINE_CAPABILITIES = new Set(PSS_DATA.baselineCapabilities);
const SELINUX_TYPES = new Set(PSS_DATA.seLinuxTypes);
const RESTRICTED_VOLUMES = new Set(PSS_DATA.restrictedVolumes);
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

function containersOf(spec: Spec): { where: string; c: Record<string, any> }[] {
    return [
        ...(spec.initContainers ?? []).map((c: any) => ({ where: `initContainer ${c.name}`, c })),
        ...(spec.containers ?? []).map((c: any) => ({ where: `container ${c.name}`, c })),
        ...(spec.ephemeralContainers ?? []).map((c: any) => ({ where: `ephemeralContainer ${c.name}`, c })),
    ];
}

/** The pod's own security context and each container's, with where they are. */
function contexts(spec: Spec): { where: string; sc: Record<string, any> }[] {
    return [{ where: "pod", sc: spec.securityContext ?? {} }, ...containersOf(spec).map(({ where, c }) => ({ where, sc: c.securityContext ?? {} }))];
}

const inUserNamespace = (spec: Spec) => spec.hostUsers === false;
const isWindows = (spec: Spec) => spec.os?.name === "windows";

type Check = (spec: Spec, metadata: Metadata, options: CheckOptions) => string[];

/** Every check of k8s.io/pod-security-admission, by its id. */
const CHECKS: Readonly<Record<string, Check>> = {
    windowsHostProcess: (spec) => contexts(spec).filter(({ sc }) => sc.windowsOptions?.hostProcess === true).map(({ where }) => `${where}: windowsOptions.hostProcess`),
    hostNamespaces: (spec) => ["hostNetwork", "hostPID", "hostIPC"].filter((f) => spec[f] === true).map((f) => `${f}: true`),
    privileged: (spec) => containersOf(spec).filter(({ c }) => c.securityContext?.privileged === true).map(({ where }) => `${where}: privileged`),
    capabilities_baseline: (spec) => containersOf(spec).flatMap(({ where, c }) =>
        (c.securityContext?.capabilities?.add ?? []).filter((cap: string) => !BASELINE_CAPABILITIES.has(cap)).map((cap: string) => `${where}: adds capability ${cap}`)),
    hostPathVolumes: (spec) => (spec.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => `volume ${v.name} is a hostPath (${v.hostPath.path})`),
    hostPorts: (spec) => containersOf(spec).flatMap(({ where, c }) => (c.ports ?? []).filter((p: any) => p.hostPort).map((p: any) => `${where}: hostPort ${p.hostPort}`)),
    hostProbesAndHostLifecycle: (spec) => containersOf(spec).flatMap(({ where, c }) => [
        ...["livenessProbe", "readinessProbe", "startupProbe"].flatMap((probe) => ["httpGet", "tcpSocket"].map((handler) => [`${probe}.${handler}`, c[probe]?.[handler]?.host] as const)),
        ...["postStart", "preStop"].flatMap((hook) => ["httpGet", "tcpSocket"].map((handler) => [`lifecycle.${hook}.${handler}`, c.lifecycle?.[hook]?.[handler]?.host] as const)),
    ].filter(([, host]) => typeof host === "string" && host !== "").map(([field, host]) => `${where}: ${field}.host ${host}`)),
    appArmorProfile: (spec, metadata) => [
        ...contexts(spec).filter(({ sc }) => sc.appArmorProfile && !["RuntimeDefault", "Localhost"].includes(sc.appArmorProfile.type)).map(({ where, sc }) => `${where}: appArmorProfile ${sc.appArmorProfile.type}`),
        ...Object.entries(metadata?.annotations ?? {}).filter(([k, v]) => k.startsWith(APPARMOR_ANNOTATION) && !(v === "runtime/default" || v.startsWith("localhost/")))
            .map(([k, v]) => `annotation ${k}=${v}`),
    ],
    seLinuxOptions: (spec) => contexts(spec).filter(({ sc }) => sc.seLinuxOptions && (!SELINUX_TYPES.has(sc.seLinuxOptions.type ?? "") || sc.seLinuxOptions.user || sc.seLinuxOptions.role))
        .map(({ where, sc }) => `${where}: seLinuxOptions ${JSON.stringify(sc.seLinuxOptions)}`),
    procMount: (spec) => inUserNamespace(spec) ? [] : containersOf(spec).filter(({ c }) => c.securityContext?.procMount && c.securityContext.procMount !== "Default").map(({ where, c }) => `${where}: procMount ${c.securityContext.procMount}`),
    seccompProfile_baseline: (spec) => contexts(spec).filter(({ sc }) => sc.seccompProfile?.type === "Unconfined").map(({ where }) => `${where}: seccompProfile Unconfined`),
    sysctls: (spec) => (spec.securityContext?.sysctls ?? []).filter((s: any) => !SAFE_SYSCTLS.has(s.name)).map((s: any) => `sysctl ${s.name} is not a safe sysctl`),
    restrictedVolumes: (spec) => (spec.volumes ?? []).flatMap((v: any) => {
        const type = Object.keys(v).find((k) => k !== "name");
        return type && !RESTRICTED_VOLUMES.has(type) ? [`volume ${v.name} is of type ${type}`] : [];
    }),
    allowPrivilegeEscalation: (spec, _m, { declaredOnly }) => isWindows(spec) ? [] : containersOf(spec)
        .filter(({ c }) => (declaredOnly ? c.securityContext?.allowPrivilegeEscalation === true : c.securityContext?.allowPrivilegeEscalation !== false))
        .map(({ where }) => `${where}: allowPrivilegeEscalation is not false`),
    runAsNonRoot: (spec, _m, { declaredOnly }) => {
        if (inUserNamespace(spec)) return [];
        const pod = spec.securityContext?.runAsNonRoot;
        const found = pod === false ? ["pod: runAsNonRoot false"] : [];
        for (const { where, c } of containersOf(spec)) {
            const own = c.securityContext?.runAsNonRoot;
            if (own === false || (!declaredOnly && own !== true && pod !== true)) found.push(`${where}: runAsNonRoot is not true`);
        }
        return found;
    },
    runAsUser: (spec) => inUserNamespace(spec) ? [] : contexts(spec).filter(({ sc }) => sc.runAsUser === 0).map(({ where }) => `${where}: runAsUser 0`),
    seccompProfile_restricted: (spec, _m, { declaredOnly }) => {
        if (isWindows(spec)) return [];
        const allowed = (type: unknown) => type === "RuntimeDefault" || type === "Localhost";
        const podType = spec.securityContext?.seccompProfile?.type;
        const found = podType !== undefined && !allowed(podType) ? [`pod: seccompProfile ${podType}`] : [];
        for (const { where, c } of containersOf(spec)) {
            const own = c.securityContext?.seccompProfile?.type;
            if (own !== undefined ? !allowed(own) : !declaredOnly && !allowed(podType)) found.push(`${where}: no RuntimeDefault or Localhost seccomp profile`);
        }
        return found;
    },
    capabilities_restricted: (spec, _m, { declaredOnly }) => isWindows(spec) ? [] : containersOf(spec).flatMap(({ where, c }) => {
        const capabilities = c.securityContext?.capabilities;
        return [
            ...(!declaredOnly && !(capabilities?.drop ?? []).includes("ALL") ? [`${where}: does not drop ALL capabilities`] : []),
            ...(capabilities?.add ?? []).filter((cap: string) => cap !== "NET_BIND_SERVICE").map((cap: string) => `${where}: adds capability ${cap} (restricted allows NET_BIND_SERVICE only)`),
        ];
    }),
    procMount_restricted: (spec) => containersOf(spec).filter(({ c }) => c.securityContext?.procMount && c.securityContext.procMount !== "Default").map(({ where, c }) => `${where}: procMount ${c.securityContext.procMount}`),
};

/** The ids this module implements, which tests/pod-security.test.ts holds to upstream's. */
export const IMPLEMENTED_CHECKS: readonly string[] = Object.keys(CHECKS);

/** The check ids a level enforces: baseline's, and for restricted baseline's and its own. */
export function checksOf(level: PodSecurityLevel): readonly string[] {
    return level === "privileged" ? [] : level === "baseline" ? PSS_DATA.checks.baseline : [...PSS_DATA.checks.baseline, ...PSS_DATA.checks.restricted];
}

/** Every check of the level the pod fails; empty when Pod Security Admission would admit it. */
export function podSecurityFindings(spec: Spec, level: PodSecurityLevel, metadata?: Metadata, options: CheckOptions = {}): PssFinding[] {
    return checksOf(level).flatMap((check) => {
        const run = CHECKS[check];
        if (!run) throw new Error(`Pod Security check ${check} (${PSS_DATA.source.tag}) has no implementation in policy/lib/pod-security-standards.ts`);
        return run(spec, metadata, options).map((message) => ({ check, message }));
    });
}

/** What in the pod the level forbids, as messages. */
export function podSecurityViolations(spec: Spec, level: PodSecurityLevel, metadata?: Metadata): string[] {
    return podSecurityFindings(spec, level, metadata).map((f) => f.message);
}
