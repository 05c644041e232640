/**
 * Log collection with Grafana Alloy (AU-2, AU-12): a DaemonSet that tails every container's log
 * files on its own node, and a single-replica Deployment that ships Kubernetes events, both
 * pushing to Loki's gateway. Labels stay bounded: namespace, pod, container and app, never ids.
 */
import { ObservabilityConfig } from "../../config/schema";
import { podResourcesOf, RESTRICTED_CONTAINER, restrictedPod } from "../helm/values";
import { URLS } from "./shared";

/** The two collectors: one per node for pod logs, one in the cluster for events. */
export type AlloyRole = "logs" | "events";

/** Release (and fullname) of each collector. */
export const ALLOY_RELEASES: Readonly<Record<AlloyRole, string>> = { logs: "alloy-logs", events: "alloy-events" };

/** The labels every log stream carries; anything else (pod uid, node, file name) is dropped before Loki. */
export const ALLOY_LOG_LABELS = ["namespace", "pod", "container", "app"] as const;

/** Alloy's HTTP port: metrics for the ServiceMonitor and the readiness probe. */
export const ALLOY_HTTP_PORT = 12345;

/**
 * Where read positions are kept on the node: a pod that restarts resumes where it stopped instead
 * of re-sending every file from its start (or skipping what was written meanwhile).
 */
const POSITIONS_DIR = "/var/lib/alloy";
/** The event collector's working directory, on an emptyDir under its read-only root. */
const EVENTS_STORAGE_DIR = "/var/lib/alloy/data";
/** The alloy user the image creates. */
const ALLOY_UID = 473;

/** Root for file ownership only: no privilege, no capabilities, no escalation. */
export const NODE_COLLECTOR_SECURITY_CONTEXT = {
    runAsUser: 0,
    runAsNonRoot: false,
    privileged: false,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
} as const;

/** Loki's push API behind its gateway. */
export const LOKI_PUSH_URL = `${URLS.loki}/loki/api/v1/push`;

const lokiWrite = (clusterName: string) => `loki.write "loki" {
  endpoint {
    url = "${LOKI_PUSH_URL}"
  }
  // One bounded label for every stream, so that logs from several clusters in one Loki stay apart.
  external_labels = { cluster = "${clusterName}" }
}`;

/**
 * The pipeline of the per-node collector: discover the pods on this node (HOSTNAME is the node's
 * name in the chart's pod spec), keep the four labels, tail /var/log/pods and parse the CRI format.
 * `app` is app.kubernetes.io/name, falling back to the older `app` label.
 */
export function podLogsPipeline(clusterName: string): string {
    return `discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + sys.env("HOSTNAME")
  }
}

discovery.relabel "pods" {
  targets = discovery.kubernetes.pods.targets
  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name", "__meta_kubernetes_pod_label_app"]
    separator     = ";"
    regex         = "^;*([^;]+).*$"
    target_label  = "app"
  }
  rule {
    source_labels = ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"]
    separator     = "/"
    target_label  = "__path__"
    replacement   = "/var/log/pods/*$1/*.log"
  }
  rule {
    action = "labelkeep"
    regex  = "__path__|${ALLOY_LOG_LABELS.join("|")}"
  }
}

local.file_match "pods" {
  path_targets = discovery.relabel.pods.output
}

loki.source.file "pods" {
  targets    = local.file_match.pods.targets
  forward_to = [loki.process.pods.receiver]
}

loki.process "pods" {
  stage.cri {}
  // loki.source.file labels every line with its file path: one stream per container restart.
  stage.label_drop {
    values = ["filename"]
  }
  forward_to = [loki.write.loki.receiver]
}

${lokiWrite(clusterName)}
`;
}

/** The pipeline of the event collector: one watcher for the whole cluster, so each event is shipped once. */
export function eventsPipeline(clusterName: string): string {
    return `loki.source.kubernetes_events "cluster" {
  job_name   = "kubernetes-events"
  log_format = "logfmt"
  forward_to = [loki.write.loki.receiver]
}

${lokiWrite(clusterName)}
`;
}

export interface AlloyValuesOptions {
    /** The collectors' sizes from the stack config. */
    readonly config: ObservabilityConfig["alloy"];
    /** Stamped on every stream as `cluster`. */
    readonly clusterName: string;
}

/** The alloy chart values of one collector. */
export function alloyValues(role: AlloyRole, opts: AlloyValuesOptions): Record<string, unknown> {
    const size = opts.config.resources;
    const perNode = role === "logs";
    return {
        fullnameOverride: ALLOY_RELEASES[role],
        // The PodLogs CRD serves loki.source.podlogs, which neither pipeline uses.
        crds: { create: false },
        alloy: {
            configMap: { create: true, content: perNode ? podLogsPipeline(opts.clusterName) : eventsPipeline(opts.clusterName) },
            // No usage reports leave the cluster (SC-7).
            enableReporting: false,
            resources: podResourcesOf(size[role]),
            ...(perNode ? {
                storagePath: POSITIONS_DIR,
                mounts: { varlog: true, extra: [{ name: "positions", mountPath: POSITIONS_DIR }] },
                // The kubelet writes pod logs as root, readable by their owner only; the collector
                // runs as root to read them, but unprivileged and without any capability (AC-6).
                securityContext: NODE_COLLECTOR_SECURITY_CONTEXT,
            } : {
                // The event collector reads only the API server: restricted, as the image's alloy user, read-only.
                securityContext: RESTRICTED_CONTAINER,
                mounts: { extra: [{ name: "storage", mountPath: EVENTS_STORAGE_DIR }] },
                storagePath: EVENTS_STORAGE_DIR,
            }),
        },
        configReloader: { resources: podResourcesOf(size.reloader) },
        controller: perNode
            ? {
                type: "daemonset",
                // Logs are wanted from every node, tainted ones included.
                tolerations: [{ operator: "Exists" }],
                volumes: { extra: [{ name: "positions", hostPath: { path: POSITIONS_DIR, type: "DirectoryOrCreate" } }] },
            }
            : { type: "deployment", replicas: 1, volumes: { extra: [{ name: "storage", emptyDir: {} }] } },
        ...(perNode ? {} : { global: { podSecurityContext: restrictedPod(ALLOY_UID) } }),
        serviceMonitor: { enabled: true },
    };
}
