/**
 * Two stacks side by side: a row per dev-vs-prod decision (docs/decisions.md), each value read
 * from the run (the declared resources where they show it, the validated config for chart
 * settings), then the cost and pod deltas. The comparison is computed from the code itself.
 */
import { MODE_PARTS } from "../lib/observability-modes";
import { StackConfig } from "../config/schema";
import { PlannedResource } from "../engine/types";
import { VELERO_FS_BACKUP_ANNOTATION } from "../components/backup/velero";
import { CHARTS } from "../components/helm/catalog";
import { releaseChart } from "../components/helm/workloads";
import { lokiReplicationFactor } from "../components/observability/loki";
import { dataplaneOfLabels } from "../components/security/authorization";
import { clusterSummaries } from "./cluster";
import { findInstanceType } from "../lib/instance-types";
import { CostEstimate, isExtendedSupport, workingHours } from "./cost";
import { CapacityReport } from "./fit";
import { toCents } from "./format";
import { PodCount } from "./pods";
import { distinct, nodeGroups, NodeGroupView, ofType, subnetsById, TYPES } from "./resources";

/** What a decision is read from: one stack's run. */
export interface DecisionInput {
    readonly config: StackConfig;
    readonly resources: readonly PlannedResource[];
}

/** A row of the decision tables and how to read its value from a run. */
export interface Decision {
    readonly section: string;
    readonly decision: string;
    /** The NIST SP 800-53 controls the decision serves; "-" where none. */
    readonly nist: string;
    /** Where the value comes from: "resources: NatGateway" or "config: observability.mimir". */
    readonly source: string;
    readonly read: (run: DecisionInput) => string;
}

export interface DecisionRow {
    readonly section: string;
    readonly decision: string;
    readonly nist: string;
    readonly source: string;
    /** One value per compared stack, in the order given. */
    readonly values: readonly string[];
}

/** A cost line or a component's pods in both stacks (0 where a stack lacks it). */
export interface DeltaRow {
    readonly id: string;
    readonly label: string;
    readonly values: readonly number[];
    /** The second stack's value less the first's. */
    readonly delta: number;
}

export interface Comparison {
    readonly stacks: readonly string[];
    readonly decisions: readonly DecisionRow[];
    readonly cost: readonly DeltaRow[];
    readonly costTotal: DeltaRow;
    readonly pods: readonly DeltaRow[];
    readonly podTotal: DeltaRow;
    /** Nodes, pod slots, requests and headroom at each stack's desired size. */
    readonly capacity: readonly DeltaRow[];
}

/** One side of a comparison: the run plus its estimate and pod count. */
export interface ComparedStack extends DecisionInput {
    readonly stack: string;
    readonly cost: CostEstimate;
    readonly pods: PodCount;
    readonly capacity: CapacityReport;
}

const onOff = (on: boolean) => (on ? "on" : "off");
const list = (values: readonly string[]) => (values.length > 0 ? values.join(", ") : "none");
/** A count with the values behind it, in declared order: "3 (us-east-1a, us-east-1b, us-east-1c)". */
const counted = (labels: readonly string[]) => (labels.length > 0 ? `${labels.length} (${labels.join(", ")})` : "0");

function subnetsOfTier(run: DecisionInput, tier: string): PlannedResource[] {
    return ofType(run.resources, TYPES.subnet).filter((s) => s.inputs.tags?.Tier === tier);
}

/** The zone of each subnet id, in the order given. */
function zonesOf(run: DecisionInput, subnetIds: readonly string[]): string[] {
    const byId = subnetsById(run.resources);
    return subnetIds.map((id) => String(byId.get(id)?.inputs.availabilityZone ?? "unknown zone"));
}

/** A value per node group, named by group where there are several that differ. */
function perGroup(run: DecisionInput, read: (group: NodeGroupView) => string): string {
    const groups = nodeGroups(run.resources);
    if (groups.length === 0) return "no node groups";
    const values = groups.map(read);
    return values.every((v) => v === values[0]) ? values[0] : groups.map((g, i) => `${g.name}: ${values[i]}`).join("; ");
}

/** A node count over all groups, with each group's share where there are several: "3 (1 + 1 + 1)". */
function nodesOverGroups(run: DecisionInput, read: (group: NodeGroupView) => number): string {
    const counts = nodeGroups(run.resources).map(read);
    const total = String(counts.reduce((a, b) => a + b, 0));
    return counts.length > 1 ? `${total} (${counts.join(" + ")})` : total;
}

/** The zones nodes run in, over all groups, and whether each group has a zone of its own. */
function nodeZones(run: DecisionInput): string {
    const groups = nodeGroups(run.resources);
    if (groups.length === 0) return "no node groups";
    const perGroupZones = groups.map((g) => distinct(zonesOf(run, g.subnetIds)));
    const zonal = groups.length > 1 && perGroupZones.every((zones) => zones.length === 1);
    return `${counted(distinct(perGroupZones.flat()))}${zonal ? ", one node group per zone" : ""}`;
}

/**
 * Whether a chart is deployed: read from the Helm releases the run declares. Where the config
 * turns the component on but no release exists yet, the row says so rather than trusting either.
 */
function deployment(run: DecisionInput, charts: readonly string[], configured: boolean): string {
    const releases = ofType(run.resources, TYPES.helmRelease).filter((r) => charts.includes(releaseChart(r.inputs)));
    if (releases.length > 0) return `on (${releases.map((r) => releaseChart(r.inputs)).join(", ")})`;
    return configured ? "on in config; no release declared" : "off";
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Which namespaces the mesh carries, by dataplane, as their labels say. */
function dataplanes(run: DecisionInput): string {
    const namespaces = ofType(run.resources, "kubernetes:core/v1:Namespace").map((n) => ({ name: String(n.inputs.metadata?.name), dataplane: dataplaneOfLabels(n.inputs.metadata?.labels) }));
    const of = (d: string) => namespaces.filter((n) => n.dataplane === d).map((n) => n.name).sort().join(", ") || "none";
    return `ambient: ${of("ambient")}; sidecars: ${of("sidecar")}`;
}

/** A setting that applies only in some shapes (Mimir on, Loki scalable): otherwise "-" and why. */
function whenOn(on: boolean, reason: string, value: () => string): string {
    return on ? value() : `- (${reason})`;
}

const o = (run: DecisionInput) => run.config.observability;

/** Who may use the stack's Kafka and how: each listener's port, encryption and authentication, each user's topics and groups, each topic's partitions. */
function kafkaAccess(run: DecisionInput): string {
    const of = (kind: string) => run.resources.filter((r) => r.type === `kubernetes:kafka.strimzi.io/v1:${kind}`).map((r) => r.inputs);
    const clusters = of("Kafka");
    if (clusters.length === 0) return "no Kafka";
    const listeners = clusters.flatMap((k) => k.spec?.kafka?.listeners ?? []).map((l: any) => {
        const mechanism = l.authentication?.listenerConfig?.["sasl.enabled.mechanisms"];
        return `${l.port} (${l.tls ? "TLS" : "no TLS"}, ${l.authentication ? `${l.authentication.type}${mechanism ? ` ${mechanism}` : ""} authentication` : "no authentication"})`;
    });
    const authorization = clusters.map((k) => k.spec?.kafka?.authorization?.type ?? "none").join(", ");
    const users = of("KafkaUser").map((u) => `${u.metadata?.name} (${(u.spec?.authorization?.acls ?? []).map((a: any) => `${a.resource.type} ${a.resource.name}${a.resource.patternType === "prefix" ? "*" : ""}`).join(", ")})`);
    const topics = of("KafkaTopic").map((t) => `${t.metadata?.name} ${t.spec?.partitions}x${t.spec?.replicas}`);
    return `listeners ${listeners.join("; ")}; authorization ${authorization}; users ${users.join("; ") || "none"}; topics ${topics.join(", ") || "none"}`;
}
const mimirOn = (run: DecisionInput) => o(run).mimir.enabled;
const veleroOn = (run: DecisionInput) => run.config.backup.velero.enabled;
/** Read, write and backend replicas exist in SimpleScalable mode only; SingleBinary is one pod. */
const lokiScalable = (run: DecisionInput, value: () => string) => whenOn(o(run).loki.deploymentMode === "SimpleScalable", `${o(run).loki.deploymentMode} mode`, value);

/** The node agent, and which volumes it copies: every volume, or only those a pod opts in. */
function fsBackup(run: DecisionInput): string {
    if (!run.config.backup.velero.nodeAgent) return "off";
    const velero = ofType(run.resources, TYPES.helmRelease).find((r) => releaseChart(r.inputs) === CHARTS.velero.chart);
    return velero?.inputs.values?.configuration?.defaultVolumesToFsBackup ? "on, every volume" : `on, volumes a pod opts in (${VELERO_FS_BACKUP_ANNOTATION})`;
}

/** IRSA: roles a cluster service account assumes through the OIDC provider, and any static keys. */
function irsa(run: DecisionInput): string {
    const serviceAccounts = ofType(run.resources, TYPES.iamRole).flatMap((role) => {
        const policy = String(role.inputs.assumeRolePolicy ?? "");
        return policy.includes("sts:AssumeRoleWithWebIdentity") ? [...policy.matchAll(/system:serviceaccount:([^:"]+):[^"]+/g)].map((m) => m[1]) : [];
    });
    return `${serviceAccounts.length} IRSA roles (namespaces ${list(distinct(serviceAccounts))}); ${ofType(run.resources, TYPES.iamAccessKey).length} static access keys`;
}

function endpointAccess(run: DecisionInput): string {
    return list(ofType(run.resources, TYPES.eksCluster).map((cluster) => {
        const vpc = cluster.inputs.vpcConfig ?? {};
        if (vpc.endpointPublicAccess === false) return "private only";
        return `public (${list(vpc.publicAccessCidrs ?? ["0.0.0.0/0"])}) and ${vpc.endpointPrivateAccess ? "private" : "no private"}`;
    }));
}

function bastion(run: DecisionInput): string {
    const byId = subnetsById(run.resources);
    return list(ofType(run.resources, TYPES.instance).map((i) => {
        const tier = byId.get(String(i.inputs.subnetId))?.inputs.tags?.Tier ?? "unknown";
        return `${i.inputs.instanceType} in a ${tier} subnet, ${i.inputs.associatePublicIpAddress ? "public IP" : "no public IP"}`;
    }));
}

/** Session Manager rather than SSH: no key pair on any instance or launch template. */
function shellAccess(run: DecisionInput): string {
    const keyed = ofType(run.resources, TYPES.instance, TYPES.launchTemplate).filter((r) => r.inputs.keyName);
    const ssmEndpoint = ofType(run.resources, TYPES.vpcEndpoint).some((e) => String(e.inputs.serviceName).endsWith(".ssmmessages"));
    return keyed.length > 0 ? `SSH key pairs on ${keyed.length} resources` : `SSM only, no SSH key pairs${ssmEndpoint ? "; private SSM endpoints" : ""}`;
}

function controlPlane(run: DecisionInput): string {
    return list(clusterSummaries(run.resources).map((c) => `Kubernetes ${c.kubernetesVersion}, ${isExtendedSupport(c.kubernetesVersion) ? "in extended support" : "in standard support"}, upgrade policy ${c.supportType}`));
}

/** Rows of one of the decision tables. */
function section(name: string, rows: readonly Omit<Decision, "section">[]): Decision[] {
    return rows.map((row) => ({ section: name, ...row }));
}

/** The decision tables, row by row. */
export const DECISIONS: readonly Decision[] = [
    ...section("Networking & Security", [
        { decision: "VPC CIDR Architecture", nist: "SC-7", source: "resources: Vpc, VpcIpv4CidrBlockAssociation", read: (r) => [...ofType(r.resources, TYPES.vpc), ...ofType(r.resources, TYPES.vpcCidrAssociation)].map((v) => v.inputs.cidrBlock).join(" + ") },
        { decision: "Availability Zones", nist: "CP-10", source: "resources: Subnet", read: (r) => counted(distinct(ofType(r.resources, TYPES.subnet).map((s) => s.inputs.availabilityZone))) },
        { decision: "NAT Gateways", nist: "SC-7", source: "resources: NatGateway", read: (r) => counted(zonesOf(r, ofType(r.resources, TYPES.natGateway).map((n) => n.inputs.subnetId))) },
        { decision: "Public Subnets", nist: "SC-7", source: "resources: Subnet (Tier tag)", read: (r) => counted(subnetsOfTier(r, "public").map((s) => s.inputs.cidrBlock)) },
        { decision: "Private Subnets", nist: "CP-10", source: "resources: Subnet (Tier tag)", read: (r) => counted(subnetsOfTier(r, "private").map((s) => s.inputs.cidrBlock)) },
        { decision: "Pod Subnets", nist: "SC-7", source: "resources: Subnet (Tier tag)", read: (r) => counted(subnetsOfTier(r, "pods").map((s) => s.inputs.cidrBlock)) },
        { decision: "Istio mTLS", nist: "SC-8", source: "config: security.istio; resources: Release, Namespace labels", read: (r) => whenOn(r.config.security.istio.enabled, "Istio off", () => `${r.config.security.istio.mtlsMode}, ${deployment(r, [CHARTS.istiod.chart, CHARTS.istioCni.chart, CHARTS.ztunnel.chart], true)}; ${dataplanes(r)}`) },
        { decision: "Private EKS Endpoint", nist: "SC-7", source: "resources: eks Cluster", read: endpointAccess },
        { decision: "Bastion Host", nist: "AC-2, AU-2", source: "resources: Instance", read: bastion },
        { decision: "SSM Session Manager", nist: "IA-5, AU-2", source: "resources: Instance, LaunchTemplate, VpcEndpoint", read: shellAccess },
    ]),
    ...section("Compute", [
        { decision: "Instance Type", nist: "-", source: "resources: NodeGroup", read: (r) => perGroup(r, (g) => `${list(g.instanceTypes)} (${findInstanceType(g.instanceTypes[0])?.architecture ?? "unknown architecture"}, ${g.capacityType === "SPOT" ? "Spot" : "on demand"})`) },
        { decision: "Node Working Hours", nist: "-", source: "resources: autoscaling Schedule", read: (r) => perGroup(r, (g) => workingHours(g)?.description ?? "always on") },
        { decision: "Node Count", nist: "CP-10", source: "resources: NodeGroup", read: (r) => nodesOverGroups(r, (g) => g.desired) },
        { decision: "Node Min Size", nist: "-", source: "resources: NodeGroup", read: (r) => nodesOverGroups(r, (g) => g.min) },
        { decision: "Node Max Size", nist: "-", source: "resources: NodeGroup", read: (r) => nodesOverGroups(r, (g) => g.max) },
        { decision: "Disk Size", nist: "-", source: "resources: LaunchTemplate", read: (r) => perGroup(r, (g) => (g.rootVolume ? `${g.rootVolume.sizeGb} GB ${g.rootVolume.volumeType}` : "not declared")) },
        { decision: "Multi-AZ Nodes", nist: "CP-10", source: "resources: NodeGroup, Subnet", read: nodeZones },
    ]),
    ...section("Observability - Metrics", [
        {
            decision: "Observability Mode", nist: "AU-2, AU-11", source: "config: observability.mode; resources: amp Workspace, grafana Workspace, eks Addon",
            read: (r) => `${o(r).mode}${MODE_PARTS[o(r).mode].services.length > 0 ? ` (${MODE_PARTS[o(r).mode].services.join(", ")})` : " (the LGTM stack in the cluster)"}`,
        },
        { decision: "Prometheus", nist: "AU-2", source: "config: observability.prometheus; resources: Release", read: (r) => `${deployment(r, [CHARTS.kubePrometheusStack.chart], true)}, ${count(o(r).prometheus.replicas, "replica")}${o(r).prometheus.replicas > 1 && mimirOn(r) ? " deduplicated by Mimir's HA tracker" : ""}, ${count(o(r).prometheus.alertmanagerReplicas, "Alertmanager")}` },
        { decision: "Mimir", nist: "AU-11", source: "config: observability.mimir.enabled; resources: Release", read: (r) => deployment(r, [CHARTS.mimir.chart], mimirOn(r)) },
        { decision: "Mimir Mode", nist: "AU-9", source: "config: observability.mimir.architecture", read: (r) => whenOn(mimirOn(r), "Mimir off", () => o(r).mimir.architecture) },
        { decision: "Kafka", nist: "AU-9", source: "config: observability.kafka; resources: Release", read: (r) => whenOn(o(r).kafka.enabled, "Kafka off", () => `${o(r).kafka.brokers} brokers, replication ${o(r).kafka.replicationFactor}, min in-sync ${o(r).kafka.minInsyncReplicas}, ${o(r).kafka.storageSize} each, records kept ${o(r).kafka.retention}; ${deployment(r, [CHARTS.strimzi.chart], true)}`) },
        { decision: "Kafka Access", nist: "IA-3", source: "resources: Kafka, KafkaUser, KafkaTopic", read: kafkaAccess },
        { decision: "Mimir Ingesters", nist: "CP-10", source: "config: observability.mimir.ingesterZones", read: (r) => whenOn(mimirOn(r), "Mimir off", () => `${o(r).mimir.ingesterZones} zones`) },
        { decision: "Mimir Distributors", nist: "CP-10", source: "config: observability.mimir.distributorReplicas", read: (r) => whenOn(mimirOn(r), "Mimir off", () => String(o(r).mimir.distributorReplicas)) },
        { decision: "Mimir Queriers", nist: "CP-10", source: "config: observability.mimir.querierReplicas, queryFrontendReplicas", read: (r) => whenOn(mimirOn(r), "Mimir off", () => `${o(r).mimir.querierReplicas} (query frontends ${o(r).mimir.queryFrontendReplicas})`) },
        { decision: "Mimir Gateway", nist: "CP-10", source: "config: observability.mimir.gatewayReplicas", read: (r) => whenOn(mimirOn(r), "Mimir off", () => String(o(r).mimir.gatewayReplicas)) },
        { decision: "Mimir Cache", nist: "-", source: "config: observability.mimir.resultsCache, chunksCache", read: (r) => whenOn(mimirOn(r), "Mimir off", () => `results ${onOff(o(r).mimir.resultsCache)}, chunks ${onOff(o(r).mimir.chunksCache)}`) },
        { decision: "Prometheus Retention", nist: "AU-11", source: "config: observability.prometheus", read: (r) => `${o(r).prometheus.retention} on ${o(r).prometheus.storageSize}` },
    ]),
    ...section("Observability - Logs", [
        { decision: "Loki Mode", nist: "AU-2", source: "config: observability.loki.deploymentMode; resources: Release", read: (r) => `${o(r).loki.deploymentMode}, ${deployment(r, [CHARTS.loki.chart], true)}` },
        { decision: "Loki Read Replicas", nist: "CP-10", source: "config: observability.loki.readReplicas", read: (r) => lokiScalable(r, () => String(o(r).loki.readReplicas)) },
        { decision: "Loki Write Replicas", nist: "CP-10", source: "config: observability.loki.writeReplicas", read: (r) => lokiScalable(r, () => `${o(r).loki.writeReplicas}, replication factor ${lokiReplicationFactor(o(r))}`) },
        { decision: "Loki Backend Replicas", nist: "CP-10", source: "config: observability.loki.backendReplicas", read: (r) => lokiScalable(r, () => String(o(r).loki.backendReplicas)) },
        { decision: "Loki Gateway", nist: "CP-10", source: "config: observability.loki.gatewayReplicas", read: (r) => String(o(r).loki.gatewayReplicas) },
        { decision: "Loki Retention", nist: "AU-11", source: "config: observability.loki.retention", read: (r) => o(r).loki.retention },
        { decision: "Loki Storage", nist: "SC-28", source: "config: observability.loki.storage", read: (r) => (o(r).loki.storage === "s3" ? "S3" : `local volume (${o(r).loki.storageSize})`) },
    ]),
    ...section("Observability - Tracing", [
        { decision: "Tempo", nist: "AU-2, AU-6", source: "config: observability.tempo; resources: Release", read: (r) => whenOn(o(r).tempo.enabled, "Tempo off", () => `${o(r).tempo.mode}, ${deployment(r, [CHARTS.tempo.chart, CHARTS.tempoDistributed.chart], true)}`) },
        { decision: "Tempo Replicas", nist: "CP-10", source: "config: observability.tempo.replicas", read: (r) => whenOn(o(r).tempo.enabled, "Tempo off", () => String(o(r).tempo.replicas)) },
        { decision: "Tempo Storage", nist: "SC-28", source: "config: observability.tempo.storage", read: (r) => whenOn(o(r).tempo.enabled, "Tempo off", () => (o(r).tempo.storage === "s3" ? "S3" : `local volume (${o(r).tempo.storageSize})`)) },
        { decision: "Tempo Retention", nist: "AU-11", source: "config: observability.tempo.retention", read: (r) => whenOn(o(r).tempo.enabled, "Tempo off", () => o(r).tempo.retention) },
        { decision: "Trace Protocols", nist: "-", source: "config: observability.tempo.receivers", read: (r) => whenOn(o(r).tempo.enabled, "Tempo off", () => list(o(r).tempo.receivers)) },
    ]),
    ...section("Observability - Visualization", [
        { decision: "Grafana Replicas", nist: "CP-10", source: "config: observability.grafana.replicas", read: (r) => String(o(r).grafana.replicas) },
        {
            decision: "Grafana Storage", nist: "CP-9, SC-28", source: "config: observability.grafana; resources: rds Instance",
            read: (r) => {
                const db = r.resources.find((x) => x.type === "aws:rds/instance:Instance" && x.name.endsWith("grafana-db"));
                return db
                    ? `shared RDS PostgreSQL ${db.inputs.engineVersion} (${db.inputs.instanceClass}${db.inputs.multiAz ? ", Multi-AZ" : ""}, ${db.inputs.backupRetentionPeriod}-day backups)`
                    : `SQLite on ${o(r).grafana.storageSize} ${o(r).grafana.storageClass}`;
            },
        },
        { decision: "Kiali", nist: "AU-6", source: "config: observability.kiali; resources: Release", read: (r) => whenOn(o(r).kiali.enabled, "Kiali off", () => `${o(r).kiali.replicas} replicas, ${deployment(r, [CHARTS.kialiServer.chart], true)}`) },
        { decision: "Pre-built Dashboards", nist: "SI-4", source: "config: observability.grafana.dashboards", read: (r) => onOff(o(r).grafana.dashboards) },
    ]),
    ...section("Security & Compliance", [
        { decision: "Trivy Operator", nist: "SI-2, RA-5", source: "config: security.trivy.enabled; resources: Release", read: (r) => deployment(r, [CHARTS.trivyOperator.chart], r.config.security.trivy.enabled) },
        { decision: "Trivy Scan Scope", nist: "CM-8", source: "config: security.trivy.scanners", read: (r) => `${list(r.config.security.trivy.scanners)}${r.config.security.trivy.enabled ? "" : " (CLI, on demand)"}` },
        { decision: "IRSA for All Services", nist: "AC-6, IA-5", source: "resources: iam Role (web identity trust), AccessKey", read: irsa },
        { decision: "KMS Encryption", nist: "SC-28", source: "resources: kms Key", read: (r) => { const keys = ofType(r.resources, TYPES.kmsKey); return `${keys.length} customer-managed keys, rotation ${onOff(keys.every((k) => k.inputs.enableKeyRotation === true))}`; } },
        { decision: "Mandatory Tagging", nist: "CM-8", source: "resources: aws provider defaultTags", read: (r) => list(ofType(r.resources, TYPES.awsProvider).flatMap((p) => Object.keys(JSON.parse(String(p.inputs.defaultTags ?? "{}")).tags ?? {}))) },
    ]),
    ...section("Backup & DR", [
        { decision: "Velero", nist: "CP-9", source: "config: backup.velero.enabled; resources: Release", read: (r) => deployment(r, [CHARTS.velero.chart], veleroOn(r)) },
        { decision: "Backup Schedules", nist: "CP-9", source: "config: backup.velero.schedules", read: (r) => whenOn(veleroOn(r), "Velero off", () => list(r.config.backup.velero.schedules.map((s) => `${s.name} "${s.cron}" kept ${s.ttl}`))) },
        { decision: "Cross-Region Backup", nist: "CP-6", source: "config: backup.crossRegionReplication", read: (r) => whenOn(veleroOn(r), "Velero off", () => `${onOff(r.config.backup.crossRegionReplication.enabled)} (${r.config.backup.crossRegionReplication.region})`) },
        { decision: "Node Agent (fsbackup)", nist: "CP-9", source: "config: backup.velero.nodeAgent; resources: Release", read: (r) => whenOn(veleroOn(r), "Velero off", () => fsBackup(r)) },
    ]),
    ...section("Operations & Cost Management", [
        { decision: "Kubecost", nist: "PM-3", source: "config: operations.kubecost; resources: Release", read: (r) => deployment(r, [CHARTS.kubecost.chart], r.config.operations.kubecost.enabled) },
        { decision: "Headlamp", nist: "AC-2", source: "config: operations.headlamp; resources: Release", read: (r) => deployment(r, [CHARTS.headlamp.chart], r.config.operations.headlamp.enabled) },
        { decision: "EKS Control Plane", nist: "-", source: "resources: eks Cluster", read: controlPlane },
    ]),
];

/**
 * Pairs items of both stacks by id; an item one stack lacks counts as 0 there. The order is both
 * stacks' own, merged: each of the second stack's items comes before the first's next shared one.
 */
function deltas<T>(a: readonly T[], b: readonly T[], id: (item: T) => string, label: (item: T) => string, value: (item: T) => number): DeltaRow[] {
    const bIds = b.map(id);
    const order: string[] = [];
    const add = (key: string) => { if (!order.includes(key)) order.push(key); };
    for (const key of a.map(id)) {
        if (bIds.includes(key)) bIds.slice(0, bIds.indexOf(key)).forEach(add);
        add(key);
    }
    bIds.forEach(add);
    return order.map((key) => {
        // Several items of one id (the zonal node groups of one configured group) add up.
        const total = (items: readonly T[]) => items.filter((item) => id(item) === key).reduce((sum, item) => sum + value(item), 0);
        const values = [total(a), total(b)];
        return { id: key, label: label([...a, ...b].find((item) => id(item) === key)!), values, delta: values[1] - values[0] };
    });
}

/** A zonal node group's lines pair with their configured group's: "general-us-east-1a" reads "general". */
function withoutZone(text: string): string {
    return text.replace(/-[a-z]{2}(?:-[a-z]+)+-\d[a-z]$/, "");
}

/** A row of dollars: its lines are in cents, so are their sums and difference (without float residue). */
function inCents(row: DeltaRow): DeltaRow {
    const values = row.values.map(toCents);
    return { ...row, values, delta: toCents(values[1] - values[0]) };
}

function totalRow(id: string, label: string, values: readonly number[]): DeltaRow {
    return { id, label, values, delta: values[1] - values[0] };
}

/**
 * Pods per platform component (mimir, tempo, eks-addons), as the decision table's pod summary counts them:
 * a component keeps its row when a stack swaps its chart (tempo for tempo-distributed).
 */
function podsByComponent(count: PodCount): { component: string; pods: number }[] {
    const totals = new Map<string, number>();
    for (const source of count.sources) totals.set(source.component, (totals.get(source.component) ?? 0) + source.pods);
    // By name: the order resources register in follows when their inputs resolve, which varies.
    return [...totals].map(([component, pods]) => ({ component, pods })).sort((x, y) => x.component.localeCompare(y.component));
}

const CAPACITY_ROWS: readonly [string, string, (c: CapacityReport) => number][] = [
    ["nodes", "Nodes", (c) => c.nodeCount],
    ["nodes-needed", "Fewest nodes that fit", (c) => c.nodesNeededToFit ?? Number.NaN],
    ["pod-slots", "Pod slots", (c) => c.pods.allocatable],
    ["pod-slots-free", "Pod slots free", (c) => c.pods.free],
    ["cpu-requested", "CPU requested (m)", (c) => c.cpuMillicores.requested],
    ["cpu-headroom", "CPU headroom (%)", (c) => Math.round(c.cpuMillicores.headroomPercent)],
    ["memory-requested", "Memory requested (Mi)", (c) => c.memoryMiB.requested],
    ["memory-headroom", "Memory headroom (%)", (c) => Math.round(c.memoryMiB.headroomPercent)],
];

/** The comparison of two stacks: decision rows, then cost lines paired by id and pods by component. */
export function compareStacks(a: ComparedStack, b: ComparedStack): Comparison {
    return {
        stacks: [a.stack, b.stack],
        decisions: DECISIONS.map((d) => ({ section: d.section, decision: d.decision, nist: d.nist, source: d.source, values: [d.read(a), d.read(b)] })),
        cost: deltas(a.cost.lines, b.cost.lines, (l) => withoutZone(l.id), (l) => withoutZone(l.item), (l) => l.monthly).map(inCents),
        costTotal: inCents(totalRow("total", "Total per month", [a.cost.total, b.cost.total])),
        pods: deltas(podsByComponent(a.pods), podsByComponent(b.pods), (c) => c.component, (c) => c.component, (c) => c.pods),
        podTotal: totalRow("total", "Total pods", [a.pods.total, b.pods.total]),
        capacity: CAPACITY_ROWS.map(([id, label, read]) => totalRow(id, label, [read(a.capacity), read(b.capacity)])),
    };
}
