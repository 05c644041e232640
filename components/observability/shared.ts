/**
 * What the observability add-ons agree on: where they run, how they address each other, and the
 * storage class a volume type maps to. Every chart pins `fullnameOverride`, so these addresses do
 * not depend on release names.
 */
import { KubernetesContext } from "../cluster/context";

/**
 * The external labels by which Mimir's HA tracker tells Prometheus replicas apart: every replica
 * sends the same `cluster` and its own `__replica__` (the operator's pod name); Mimir accepts one
 * replica's samples per cluster, fails over when it stops, and drops the replica label.
 */
export const HA_LABELS = { cluster: "cluster", replica: "__replica__" } as const;

/** The namespace of Prometheus, Mimir, Loki, Tempo, Grafana and Kiali (in the ambient mesh in prod: see MESH_MEMBERSHIP). */
export const MONITORING_NAMESPACE = "monitoring";
/** The namespace of the Strimzi operator and the Kafka cluster it manages. */
export const KAFKA_NAMESPACE = "kafka";

const svc = (name: string, port: number) => `http://${name}.${MONITORING_NAMESPACE}.svc.cluster.local:${port}`;

/** In-cluster URLs of the query and push endpoints. */
export const URLS = {
    prometheus: svc("kube-prometheus-stack-prometheus", 9090),
    /** Prometheus' remote-write receiver (on where Tempo's metrics generator writes to it). */
    prometheusRemoteWrite: `${svc("kube-prometheus-stack-prometheus", 9090)}/api/v1/write`,
    /** Mimir's Prometheus-compatible query API, behind its gateway. */
    mimirQuery: `${svc("mimir-gateway", 80)}/prometheus`,
    mimirPush: `${svc("mimir-gateway", 80)}/api/v1/push`,
    loki: svc("loki-gateway", 80),
    /** tempo-distributed serves queries from its query-frontend. */
    tempoDistributedQuery: svc("tempo-query-frontend", 3200),
    tempoDistributedOtlpGrpc: `tempo-distributor.${MONITORING_NAMESPACE}.svc.cluster.local:4317`,
    /** The single-binary chart serves queries and receivers from one service. */
    tempoSingleQuery: svc("tempo", 3200),
    tempoSingleOtlpGrpc: `tempo.${MONITORING_NAMESPACE}.svc.cluster.local:4317`,
    grafana: svc("grafana", 80),
} as const;

/**
 * The StorageClass for a volume type the config names. gp3 always exists; the encrypted gp2 class
 * exists only where it is the cluster default (dev), so asking for gp2 elsewhere is an error
 * rather than a claim that would stay Pending.
 */
export function storageClassFor(volumeType: "gp2" | "gp3", ctx: Pick<KubernetesContext, "storageClassName" | "gp3StorageClassName">): string {
    if (volumeType === "gp3") return ctx.gp3StorageClassName;
    if (ctx.storageClassName === ctx.gp3StorageClassName) {
        throw new Error(`observability.grafana.storageClass: gp2 is only available where cluster.defaultStorageClass is gp2 (this cluster's default class is ${ctx.storageClassName})`);
    }
    return ctx.storageClassName;
}
