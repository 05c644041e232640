/**
 * The Pod Security Standards' check ids and value sets, derived by scripts/derive-pss-checks.ts from
 * github.com/kubernetes/pod-security-admission at v0.35.6 (Kubernetes 1.35). Do not edit: re-run the script.
 */
import type { PssData } from "../lib/pod-security-standards";

export const PSS_DATA: PssData = {
    "source": {
        "repository": "github.com/kubernetes/pod-security-admission",
        "tag": "v0.35.6",
        "commit": "2c255e8b3bd4d862d66469840c2554941955600c",
        "kubernetes": "1.35",
        "derivedBy": "scripts/derive-pss-checks.ts"
    },
    "checks": {
        "baseline": [
            "appArmorProfile",
            "capabilities_baseline",
            "hostNamespaces",
            "hostPathVolumes",
            "hostPorts",
            "hostProbesAndHostLifecycle",
            "privileged",
            "procMount",
            "seLinuxOptions",
            "seccompProfile_baseline",
            "sysctls",
            "windowsHostProcess"
        ],
        "restricted": [
            "allowPrivilegeEscalation",
            "capabilities_restricted",
            "procMount_restricted",
            "restrictedVolumes",
            "runAsNonRoot",
            "runAsUser",
            "seccompProfile_restricted"
        ]
    },
    "safeSysctls": [
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.ping_group_range",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.tcp_wmem"
    ],
    "baselineCapabilities": [
        "AUDIT_WRITE",
        "CHOWN",
        "DAC_OVERRIDE",
        "FOWNER",
        "FSETID",
        "KILL",
        "MKNOD",
        "NET_BIND_SERVICE",
        "SETFCAP",
        "SETGID",
        "SETPCAP",
        "SETUID",
        "SYS_CHROOT"
    ],
    "seLinuxTypes": [
        "",
        "container_t",
        "container_init_t",
        "container_kvm_t",
        "container_engine_t"
    ],
    "restrictedVolumes": [
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "image",
        "persistentVolumeClaim",
        "projected",
        "secret"
    ]
};
