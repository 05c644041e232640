/**
 * The stack config schema: every setting in which dev and prod differ, with the values each key
 * allows. Messages say what is allowed; `formatConfigIssues` adds the key and the value.
 */
import { z } from "zod";
import { cidrContains, cidrsOverlap, isValidCidr } from "../lib/cidr";
import { readSchedule } from "../lib/cron";
import { durationToHours } from "../lib/duration";
import { planSubnets } from "../lib/subnets";
import { NODE_GROUP_NAME_PREFIX_MAX, nodeGroupNamePrefix, nodeGroupsByZone } from "../lib/zonal";
import { minorOf, NODE_RELEASE_VERSION } from "../lib/eks-versions";
import { imagesBlocking, PINNED_IMAGES } from "../lib/images";
import { findInstanceType, nearestInstanceTypes } from "../lib/instance-types";
import { parseCpu, parseMemory } from "../lib/quantity";
import { WEEKDAYS } from "../lib/schedule";
import { RDS_CA, RDS_CA_IDENTIFIER, rdsCaBundle } from "../lib/rds-ca";
import { OBSERVABILITY_MODES } from "../lib/observability-modes";
import { AVAILABILITY_ZONES, COMMERCIAL_REGIONS, regionZones } from "../lib/regions";
import { BURSTABLE, burstableFacts, CPU_CREDIT_MODES } from "../lib/burstable";

// A process validates a config once or twice: zod's compiled fast path costs more to build (75 ms
// on the first parse) than it saves on so few parses.
z.config({ jitless: true });

/**
 * The profiles a stack's defaults and sizes come from: dev-like (small, cheap, disposable) or
 * prod-like (highly available, protected). The environment's name is free.
 */
export const PROFILES = ["dev", "prod"] as const;
export const VOLUME_TYPES = ["gp2", "gp3"] as const;
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
export const INTERFACE_ENDPOINT_SERVICES = [
    "ecr.api", "ecr.dkr", "sts", "ec2", "ssm", "ssmmessages", "ec2messages", "logs", "elasticloadbalancing", "autoscaling",
] as const;
/** The carrier-grade NAT range that VPC CNI custom networking takes pod addresses from (RFC 6598). */
export const POD_CIDR_RANGE = "100.64.0.0/10";
/** Where the zones come from, as the zone errors name it. */
const ZONE_TABLE = `lib/data/availability-zones.json, as of ${AVAILABILITY_ZONES.source.lastChangedDate.slice(0, 10)}; npm run availability-zones refreshes it`;
/** The oldest Kubernetes minor version still in EKS standard support (checked 2026-11). */
export const MINIMUM_KUBERNETES_VERSION = "1.34";
/** How people sign in to an Amazon Managed Grafana workspace (its authenticationProviders). */
export const GRAFANA_AUTHENTICATION = ["iam-identity-center", "saml"] as const;

const nonEmpty = (what: string) => z.string({ error: `a non-empty string (${what})` }).trim().min(1, `a non-empty string (${what})`);
const cidr = z.string({ error: "an IPv4 CIDR such as 10.0.0.0/16" }).refine(isValidCidr, "an IPv4 CIDR such as 10.0.0.0/16, with no host bits set");
const int = (min: number, max: number) =>
    z.number({ error: `a whole number from ${min} to ${max}` }).int(`a whole number from ${min} to ${max}`).min(min, `a whole number from ${min} to ${max}`).max(max, `a whole number from ${min} to ${max}`);
const bool = z.boolean({ error: "true or false" });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `one of ${values.join(", ")}` });
/** A retention or window such as 90d, 720h or 2w: a positive whole number and a unit h, d or w. */
const duration = z.string({ error: "a duration such as 72h, 15d or 2w" }).refine((v) => durationToHours(v) !== undefined, "a duration such as 72h, 15d or 2w");
/** A Kubernetes storage quantity in Gi, such as 10Gi. */
const GIBIBYTES = "a size above zero in whole Gi, such as 10Gi";
const gibibytes = z.string({ error: GIBIBYTES }).regex(/^[1-9]\d*Gi$/, GIBIBYTES);
const kubernetesVersion = z.string({ error: "a Kubernetes minor version such as 1.35" }).regex(/^1\.\d+$/, "a Kubernetes minor version such as 1.35");
const replicas = (min: number) => int(min, 20);
/** A commercial AWS region the pinned @pulumi/aws knows (lib/regions.ts). */
const region = z.string({ error: "an AWS region such as us-east-1" }).refine((r) => COMMERCIAL_REGIONS.includes(r), `one of the commercial regions @pulumi/aws knows: ${COMMERCIAL_REGIONS.join(", ")}`);

const positiveQuantity = (parse: (text: string) => number) => (text: string) => {
    try {
        return parse(text) > 0;
    } catch {
        return false;
    }
};
const CPU_QUANTITY = 'a CPU quantity above zero such as "250m" or "1" (whole millicores, or cores with at most three decimals)';
const MEMORY_QUANTITY = 'a memory quantity above zero such as "512Mi" or "2Gi" (units Ki, Mi, Gi, Ti or k, M, G, T)';
/**
 * One container's requests and memory limit. No CPU limit: a burst borrows idle cycles instead of
 * being throttled. A memory limit below the request is refused below, with the keys' full names.
 */
const workloadSize = z.strictObject({
    cpu: z.string({ error: CPU_QUANTITY }).refine(positiveQuantity(parseCpu), CPU_QUANTITY),
    memory: z.string({ error: MEMORY_QUANTITY }).refine(positiveQuantity(parseMemory), MEMORY_QUANTITY),
    memoryLimit: z.string({ error: MEMORY_QUANTITY }).refine(positiveQuantity(parseMemory), MEMORY_QUANTITY),
});
/** The sizes of a component's workloads, one entry per workload; the profile fills what a stack file leaves out (config/profiles.ts). */
const resources = <W extends string>(workloads: readonly W[]) =>
    z.strictObject(Object.fromEntries(workloads.map((w) => [w, workloadSize])) as Record<W, typeof workloadSize>);
/** memcached's own cache, in MiB, inside its pod's memory. */
const cacheMiB = z.strictObject({ chunks: int(16, 65536), results: int(16, 65536) });
/** memcached pods per cache; clients spread keys over them, so each adds its cacheMiB to the cache. */
const cacheReplicas = z.strictObject({ chunks: replicas(1), results: replicas(1) });
/** A CloudWatch Logs group name as CreateLogGroup takes it (names starting aws/ are reserved for AWS). */
const LOG_GROUP_NAME = "a CloudWatch log group name of 1 to 512 letters, digits and _ - / . #, not starting with aws/, such as /aws/ssm/nist-eks-prod/sessions";
const logGroupName = z.string({ error: LOG_GROUP_NAME }).regex(/^(?!aws\/)[A-Za-z0-9_\-/.#]{1,512}$/, LOG_GROUP_NAME);
const roleArn = z.string({ error: "an IAM role ARN such as arn:aws:iam::123456789012:role/platform-deploy" }).regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "an IAM role ARN such as arn:aws:iam::123456789012:role/platform-deploy");

const tags = z.strictObject({
    Project: nonEmpty("the Project tag"),
    Environment: nonEmpty("the Environment tag"),
    Owner: nonEmpty("the Owner tag"),
    CostCenter: nonEmpty("the CostCenter tag"),
});

/** A retention CloudWatch Logs accepts, in days. */
const logRetentionDays = z.union([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], { error: "a CloudWatch Logs retention in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653" });

const network = z.strictObject({
    vpcCidr: cidr,
    podCidr: cidr,
    availabilityZones: z.array(z.string().regex(/^[a-z]{2}-[a-z]+-\d[a-z]$/, "availability zone names such as us-east-1a"), { error: "a list of availability zone names" })
        .min(2, "at least 2 availability zone names: EKS needs subnets in 2 zones")
        .refine((zones) => new Set(zones).size === zones.length, "distinct availability zone names"),
    publicSubnetPrefixLength: int(16, 28),
    privateSubnetPrefixLength: int(16, 28),
    podSubnetPrefixLength: int(16, 28),
    natGateways: oneOf(["single", "one-per-az"] as const),
    interfaceEndpoints: z.array(oneOf(INTERFACE_ENDPOINT_SERVICES)),
    flowLogRetentionDays: logRetentionDays,
});

/** An hour of the day as HH:MM on the hour or half hour, such as 08:00 or 19:30. */
const clockTime = z.string({ error: "a time of day such as 08:00" }).regex(/^([01]\d|2[0-3]):(00|30)$/, "a time of day on the hour or half hour, such as 08:00 or 19:30");
const timeZone = z.string({ error: "an IANA time zone such as America/New_York" }).refine(isTimeZone, "an IANA time zone such as America/New_York or Etc/UTC");

/**
 * When a node group runs: its nodes start at `start` and scale to zero at `stop` on each of `days`,
 * in `timeZone`, through scheduled actions on the group's Auto Scaling group. Absent: always on.
 */
const nodeSchedule = z.strictObject({
    timeZone,
    days: z.array(oneOf(WEEKDAYS)).min(1, "at least one day").refine((days) => new Set(days).size === days.length, "distinct days"),
    start: clockTime,
    stop: clockTime,
});

const nodeGroup = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "a lower-case name of letters, digits and dashes"),
    /** Any current EC2 type of one architecture; arm64 (Graviton) types get the arm64 AMI. */
    instanceTypes: z.array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, "EC2 instance types such as t3a.xlarge")).min(1, "at least one instance type"),
    /** SPOT draws on spare capacity at a discount, any of the listed types, and can be reclaimed. */
    capacityType: oneOf(["ON_DEMAND", "SPOT"] as const),
    schedule: nodeSchedule.optional(),
    minSize: int(0, 100),
    desiredSize: int(0, 100),
    maxSize: int(1, 100),
    diskSizeGb: int(20, 16384),
    volumeType: oneOf(VOLUME_TYPES),
    /** The zones this group's nodes run in: a subset of network.availabilityZones. */
    availabilityZones: z.array(z.string()).min(1, "at least one availability zone"),
    /** One managed node group per zone, the sizes above split over them (see lib/zonal.ts). */
    groupPerZone: bool,
    /**
     * The EKS-optimised AMI release the nodes run: latest-at-creation (the recommended release
     * when the group is created; newer releases never roll it), or a pinned release such as
     * 1.35.5-20261118 of cluster.kubernetesVersion, whose change rolls the nodes onto it.
     */
    releaseVersion: z.string({ error: "latest-at-creation or an EKS-optimised AMI release such as 1.35.5-20261118" })
        .refine((v) => v === "latest-at-creation" || NODE_RELEASE_VERSION.test(v), "latest-at-creation or an EKS-optimised AMI release such as 1.35.5-20261118"),
    /**
     * How burstable nodes (T2, T3, T3a, T4g) run above their baseline CPU: `unlimited` (AWS bills the
     * surplus credits, see the plan) or `standard` (throttled to the baseline once the credits run
     * out). Absent: the family's launch default (unlimited, T2 standard), set on no launch template.
     */
    cpuCredits: oneOf(CPU_CREDIT_MODES).optional(),
});

/** An EKS add-on build, such as v1.20.4-eksbuild.2. */
const addonVersion = z.string({ error: "an EKS add-on version such as v1.20.4-eksbuild.2" }).regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "an EKS add-on version such as v1.20.4-eksbuild.2");

const cluster = z.strictObject({
    name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9-]{0,99}$/, "a cluster name of letters, digits and dashes"),
    kubernetesVersion,
    /** What EKS does when the version leaves standard support: upgrade it (STANDARD) or bill extended support at six times the price (EXTENDED). */
    supportType: oneOf(["STANDARD", "EXTENDED"] as const),
    endpointPublicAccess: bool,
    endpointPrivateAccess: bool,
    publicAccessCidrs: z.array(cidr),
    controlPlaneLogTypes: z.array(oneOf(CONTROL_PLANE_LOG_TYPES)).min(1, "at least one control-plane log type"),
    controlPlaneLogRetentionDays: int(1, 3653),
    /** EKS access entries: nobody reaches the API without one (the cluster creator gets none implicitly). */
    access: z.strictObject({
        /** The role `pulumi up` runs as (CI's deploy role): cluster admin. */
        deployRoleArn: roleArn,
        /** The emergency admin role people assume when CI cannot act: cluster admin. */
        breakGlassRoleArn: roleArn,
        /** Further principals, each with one access policy, for the cluster or a list of namespaces. */
        entries: z.array(z.strictObject({
            principalArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, "an IAM role or user ARN such as arn:aws:iam::123456789012:role/platform-viewer"),
            policy: oneOf(["cluster-admin", "admin", "edit", "view"] as const),
            namespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Kubernetes namespace names")),
        })),
    }),
    /**
     * The version of each managed add-on: pinned per add-on (nothing changes until the file
     * does), or what EKS offers for cluster.kubernetesVersion at every run, its default or its most
     * recent build.
     */
    addonVersions: z.union([
        oneOf(["default", "latest"] as const),
        z.strictObject({ "vpc-cni": addonVersion, "kube-proxy": addonVersion, coredns: addonVersion, "aws-ebs-csi-driver": addonVersion }),
    ], { error: "default, latest, or an object pinning vpc-cni, kube-proxy, coredns and aws-ebs-csi-driver to versions such as v1.20.4-eksbuild.2" }),
    prefixDelegation: bool,
    metadataHopLimit: int(1, 2),
    defaultStorageClass: oneOf(VOLUME_TYPES),
    nodeGroups: z.array(nodeGroup).min(1, "at least one node group"),
    /**
     * The managed add-ons' workloads: the VPC CNI and kube-proxy on every node, CoreDNS, the EBS CSI
     * controller and its node plugin. All from the profile: stack files may leave it out.
     */
    addons: z.strictObject({
        resources: resources(["awsNode", "kubeProxy", "coredns", "ebsController", "ebsNode"]),
        /** At least one: every name lookup in the cluster goes through CoreDNS. */
        corednsReplicas: replicas(1),
        /** At least one: without the controller no volume is created or attached. */
        ebsControllerReplicas: replicas(1),
    }),
    /** One autoscaler acts at a time (leader election); more replicas only take over faster. */
    clusterAutoscaler: z.strictObject({ enabled: bool, replicas: replicas(1), resources: resources(["autoscaler"]) }),
    bastion: z.strictObject({
        enabled: bool,
        instanceType: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, "an EC2 instance type such as t4g.micro"),
        /** latest-at-creation (newer images never replace the host), or a pinned AMI id: changing the pin rolls it. */
        ami: z.string({ error: "latest-at-creation or an AMI id such as ami-0123456789abcdef0" }).regex(/^(latest-at-creation|ami-[0-9a-f]{8,17})$/, "latest-at-creation or an AMI id such as ami-0123456789abcdef0"),
        /**
         * Who owns the account's Session Manager preferences, one document per account and region
         * that every shell session reads: `create`, this stack, with its own encrypted sessions log
         * group; `existing`, another stack or the account's baseline, whose preferences send
         * sessions to sessionLogGroupName.
         */
        sessionPreferences: oneOf(["create", "existing"] as const),
        /** With `existing`: the log group the owner's preferences name; the bastion may write there and nowhere else. */
        sessionLogGroupName: logGroupName.optional(),
    }),
});

/** A pinned EKS add-on version, or what EKS offers for the cluster's Kubernetes version (its latest build or its default). */
const addonSelection = z.union([z.literal("latest"), z.literal("default"), addonVersion], {
    error: 'latest, default, or an EKS add-on version such as v4.7.0-eksbuild.1',
});
const snsTopicArn = z.string({ error: "an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:platform-alarms" })
    .regex(/^arn:aws[a-z-]*:sns:[a-z]{2}-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/, "an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:platform-alarms");
const samlValues = z.array(nonEmpty("a value of the SAML role attribute"), { error: "a list of values of the SAML role attribute" }).min(1, "at least one value of the SAML role attribute");

/**
 * The AWS services the aws-managed, amp-amg and hybrid modes use; read in those modes only, so a
 * stack switches by changing observability.mode alone.
 */
const managedObservability = z.strictObject({
    /** The amazon-cloudwatch-observability add-on (Container Insights, the CloudWatch agent, Fluent Bit): pinned, or EKS's latest or default for the cluster's version. */
    addonVersion: addonSelection,
    /** Days CloudWatch Logs keeps the containers' logs and the workspaces' logs (AU-11). */
    logRetentionDays,
    /** Where CloudWatch alarms and AMP's alert manager send notifications (SNS topics, IR-6). */
    alarmTopicArns: z.array(snsTopicArn).min(1, "at least one SNS topic ARN: an alarm nobody receives protects nothing"),
    /** Amazon Managed Grafana's sign-in (amp-amg): IAM Identity Center, or a SAML identity provider with the attribute values that make admins and editors. */
    grafana: z.discriminatedUnion("authentication", [
        z.strictObject({ authentication: z.literal("iam-identity-center") }),
        z.strictObject({
            authentication: z.literal("saml"),
            /** The identity provider's metadata URL. */
            idpMetadataUrl: z.url({ error: "an https URL of the identity provider's SAML metadata" }).refine((u) => u.startsWith("https://"), "an https URL of the identity provider's SAML metadata"),
            /** The SAML assertion attribute that carries a user's roles. */
            roleAttribute: nonEmpty("the SAML assertion attribute holding roles, such as role"),
            adminRoleValues: samlValues,
            editorRoleValues: samlValues,
            /** How long a sign-in lasts, in minutes. */
            loginValidityMinutes: int(5, 1440),
        }),
    ], { error: `an object with authentication ${GRAFANA_AUTHENTICATION.join(" or ")}` }),
});

const observability = z.strictObject({
    mode: oneOf(OBSERVABILITY_MODES),
    managed: managedObservability,
    prometheus: z.strictObject({
        retention: duration,
        storageSize: gibibytes,
        replicas: replicas(1),
        /** Alertmanagers, which gossip so that each alert is sent once. */
        alertmanagerReplicas: replicas(1),
        resources: resources(["operator", "prometheus", "alertmanager", "kubeStateMetrics", "nodeExporter", "configReloader", "webhookPatch"]),
    }),
    mimir: z.strictObject({
        enabled: bool,
        /** ingest-storage: writes go through Kafka (Mimir 3); classic: distributors write to ingesters. */
        architecture: oneOf(["ingest-storage", "classic"] as const),
        retention: duration,
        ingesterZones: int(1, 3),
        distributorReplicas: replicas(1),
        querierReplicas: replicas(1),
        queryFrontendReplicas: replicas(1),
        gatewayReplicas: replicas(1),
        querySchedulerReplicas: replicas(1),
        rulerReplicas: replicas(1),
        compactorReplicas: replicas(1),
        alertmanagerReplicas: replicas(1),
        resultsCache: bool,
        chunksCache: bool,
        resources: resources(["distributor", "ingester", "querier", "queryFrontend", "queryScheduler", "storeGateway", "compactor", "ruler",
            "alertmanager", "gateway", "resultsCache", "chunksCache", "memcachedExporter", "rolloutOperator"]),
        cacheMiB,
        cacheReplicas,
        /** The ingesters' TSDB volume, one per ingester. */
        volumes: z.strictObject({ ingester: gibibytes }),
    }),
    kafka: z.strictObject({
        enabled: bool,
        brokers: int(1, 9),
        replicationFactor: int(1, 9),
        minInsyncReplicas: int(1, 9),
        storageSize: gibibytes,
        /** How long brokers keep records (whole hours, Kafka's log.retention.hours): the replay window of Mimir's and Tempo's write path. */
        retention: duration,
        /** Strimzi's cluster operator; one reconciles at a time (leader election). */
        operatorReplicas: replicas(1),
        /** operator: Strimzi's cluster operator; topicOperator and userOperator: the Entity Operator's containers (KafkaTopics, KafkaUsers). */
        resources: resources(["operator", "broker", "topicOperator", "userOperator"]),
        /** The brokers' JVM heap (-Xms and -Xmx); the rest of their memory is page cache and off-heap. */
        brokerHeap: z.string({ error: 'a JVM heap size such as "512m" or "1g"' }).regex(/^[1-9]\d*[mg]$/, 'a JVM heap size such as "512m" or "1g"'),
    }),
    loki: z.strictObject({
        deploymentMode: oneOf(["SimpleScalable", "SingleBinary"] as const),
        readReplicas: replicas(0),
        writeReplicas: replicas(0),
        backendReplicas: replicas(0),
        gatewayReplicas: replicas(1),
        retention: duration,
        storage: oneOf(["s3", "filesystem"] as const),
        storageSize: gibibytes,
        resources: resources(["singleBinary", "read", "write", "backend", "gateway", "gatewayMetrics", "rulesSidecar", "chunksCache", "resultsCache", "memcachedExporter"]),
        cacheMiB,
        cacheReplicas,
    }),
    tempo: z.strictObject({
        enabled: bool,
        mode: oneOf(["distributed", "single-binary"] as const),
        replicas: replicas(1),
        retention: duration,
        storage: oneOf(["s3", "local"] as const),
        storageSize: gibibytes,
        receivers: z.array(oneOf(["otlp", "jaeger", "zipkin"] as const)).min(1, "at least one trace receiver"),
        /** The distributed parts, and singleBinary for the single-binary chart. */
        resources: resources(["distributor", "querier", "queryFrontend", "liveStore", "blockBuilder", "backendScheduler", "backendWorker", "metricsGenerator", "memcached", "singleBinary"]),
        /** The distributed chart's memcached pods. */
        memcachedReplicas: replicas(1),
    }),
    grafana: z.strictObject({
        replicas: replicas(1),
        /** The SQLite volume: only where Grafana keeps its state on its own pod (database engine sqlite). */
        storageSize: gibibytes.optional(),
        storageClass: oneOf(VOLUME_TYPES).optional(),
        dashboards: bool,
        /** The address operators open Grafana at (an SSM or kubectl port-forward by default): alert and Kiali links point there. */
        url: z.url({ error: "an http(s) URL such as http://localhost:3000" }),
        /** sqlite: each replica's own file (one replica); postgres: a shared Amazon RDS database (HA). */
        database: z.discriminatedUnion("engine", [
            z.strictObject({ engine: z.literal("sqlite") }),
            z.strictObject({
                engine: z.literal("postgres"),
                engineVersion: z.string({ error: "a PostgreSQL major version such as 17" }).regex(/^1[4-8]$/, "a PostgreSQL major version from 14 to 18 such as 17 (one whose client the database user's Job pins)"),
                instanceClass: z.string({ error: "an RDS instance class such as db.t4g.micro" }).regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.t4g.micro"),
                allocatedStorageGb: int(20, 1000),
                backupRetentionDays: int(1, 35),
                multiAz: bool,
                /** Days CloudWatch Logs keeps the PostgreSQL and upgrade logs RDS exports. */
                logRetentionDays,
            }),
        ], { error: "an object with engine sqlite or postgres" }),
        resources: resources(["grafana", "sidecar"]),
    }),
    kiali: z.strictObject({ enabled: bool, replicas: replicas(1), resources: resources(["server"]) }),
    /** The log collectors: per node (logs), in the cluster (events), and their config reloader. Only sizes: stack files may leave it out. */
    alloy: z.strictObject({ resources: resources(["logs", "events", "reloader"]) }),
});

const security = z.strictObject({
    kmsDeletionWindowDays: int(7, 30),
    istio: z.strictObject({
        enabled: bool,
        istiodReplicas: replicas(1),
        mtlsMode: oneOf(["STRICT", "PERMISSIVE"] as const),
        /** istiod, the sidecar of every pod in a sidecar namespace, ztunnel and istio-cni (one each per node). */
        resources: resources(["istiod", "proxy", "ztunnel", "cni"]),
    }),
    trivy: z.strictObject({
        enabled: bool,
        scanners: z.array(oneOf(["vulnerability", "configAudit", "rbacAssessment", "exposedSecrets", "infraAssessment"] as const)).min(1, "at least one scanner"),
        /** The operator, and each scan job it starts (image scans hold a layer in memory). */
        resources: resources(["operator", "scanJob"]),
        /** Scan jobs running at once, so that a rollout of many images cannot fill the nodes. */
        concurrentScans: int(1, 20),
        /** How long a report lives before the operator deletes it and scans again: how old a vulnerability finding can be (RA-5). */
        reportTtl: duration,
        /** One operator reconciles at a time (leader election); more replicas only take over faster. */
        operatorReplicas: replicas(1),
    }),
});

const backup = z.strictObject({
    velero: z.strictObject({
        enabled: bool,
        nodeAgent: bool,
        schedules: z.array(z.strictObject({
            name: z.string().regex(/^[a-z][a-z0-9-]*$/, "a lower-case schedule name"),
            cron: z.string({ error: "a cron schedule such as 0 2 * * *" }).superRefine((text, ctx) => {
                const read = readSchedule(text);
                if ("problem" in read) ctx.addIssue({ code: "custom", message: `a schedule Velero accepts: five fields (minute hour day-of-month month day-of-week) such as 0 2 * * *, or @daily, @weekly, @every 24h (here: ${read.problem})` });
            }),
            ttl: duration,
        })),
        /** The server, the node agent, the AWS plugin's init container, the CRD upgrade job and Kopia's maintenance jobs. */
        resources: resources(["server", "nodeAgent", "plugin", "crdJob", "maintenance"]),
    }),
    crossRegionReplication: z.strictObject({ enabled: bool, region }),
    /**
     * Object Lock on the backup bucket and its replica: every version Velero writes is kept this
     * many days whoever deletes it, in GOVERNANCE mode (a principal allowed to bypass may lift it)
     * or COMPLIANCE mode (nobody may, and the days cannot be shortened).
     */
    objectLock: z.strictObject({ mode: oneOf(["GOVERNANCE", "COMPLIANCE"] as const), retentionDays: int(1, 3650) }),
});

const operations = z.strictObject({
    kubecost: z.strictObject({
        enabled: bool,
        resources: resources(["finopsAgent", "aggregator", "localStore", "frontend"]),
        /** The aggregator's ClickHouse volume and the local store's volume. */
        volumes: z.strictObject({ aggregatorDb: gibibytes, localStore: gibibytes }),
        /** The parameters Kubecost's savings recommendations assume (its chart's clusterProfile). */
        savingsProfile: oneOf(["development", "production", "high-availability"] as const),
        /** The UI's web servers (stateless). */
        frontendReplicas: replicas(1),
    }),
    headlamp: z.strictObject({ enabled: bool, replicas: replicas(1), resources: resources(["server"]) }),
});

/** A DNS name such as ops.example.com: dot-separated labels of letters, digits and dashes. */
const DOMAIN = "a DNS name such as ops.example.com (labels of letters, digits and dashes, separated by dots)";
const domainName = z.string({ error: DOMAIN }).regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, DOMAIN);
const HOST_LABEL = "one DNS label such as grafana (lower-case letters, digits and dashes, at most 63)";
const hostLabel = z.string({ error: HOST_LABEL }).regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, HOST_LABEL);
const HTTPS_URL = "an https:// URL such as https://login.example.com/oauth2/token";
const httpsUrl = z.string({ error: HTTPS_URL }).regex(/^https:\/\/[^\s/]+(\/\S*)?$/, HTTPS_URL);
/** Where the UIs' admin role reaches inside the cluster (ui.roles.adminScope). */
export const ADMIN_SCOPES = ["namespaces", "cluster"] as const;
/** The exposures of the UIs' load balancer. */
export const UI_EXPOSURES = ["internal", "internet", "none"] as const;

const ui = z.strictObject({
    /**
     * Where the one ALB in front of Grafana, Kiali, Headlamp and Kubecost listens: `internal` (the
     * private subnets, reached over the organisation's network or the SSM tunnel), `internet` (the
     * public subnets, from allowedCidrs only, behind sign-in and a web ACL) or `none` (no ALB, no
     * controller; port-forward only).
     */
    exposure: oneOf(UI_EXPOSURES),
    /** The domain the UIs' host names sit under: <hosts.grafana>.<domain> and so on. */
    domain: domainName.optional(),
    /** Each UI's host name label under `domain`. */
    hosts: z.strictObject({ grafana: hostLabel, kiali: hostLabel, headlamp: hostLabel, kubecost: hostLabel }),
    /**
     * The source ranges the ALB admits (its security group): required for `internet`; for
     * `internal`, empty means the VPC alone (the bastion's tunnel and peered networks routed in).
     */
    allowedCidrs: z.array(cidr),
    /** The TLS certificate: DNS-validated by the stack in this Route 53 hosted zone, or an existing ACM certificate. */
    certificate: z.strictObject({
        route53ZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ").optional(),
        certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z]{2}-[a-z]+-\d:\d{12}:certificate\/[0-9a-f-]{36}$/, "an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>").optional(),
    }),
    /**
     * Sign-in at the load balancer: `oidc` (an existing identity provider; its client secret is the
     * Pulumi secret uiOidcClientSecret), `cognito` (a user pool the stack creates) or `none`
     * (internal exposure only: each UI's own login).
     */
    signIn: z.discriminatedUnion("type", [
        z.strictObject({ type: z.literal("none") }),
        z.strictObject({
            type: z.literal("oidc"),
            issuer: httpsUrl,
            authorizationEndpoint: httpsUrl,
            tokenEndpoint: httpsUrl,
            userInfoEndpoint: httpsUrl,
            clientId: nonEmpty("the client id the identity provider issued"),
        }),
        z.strictObject({ type: z.literal("cognito") }),
    ], { error: "an object whose type is none, oidc or cognito" }),
    /** The identity provider's group names mapped to roles in the UIs (viewer, editor, admin), and the claim that carries them. */
    roles: z.strictObject({
        groupsClaim: nonEmpty("the ID token claim listing the user's groups, such as groups or cognito:groups"),
        viewer: z.array(nonEmpty("a group name")),
        editor: z.array(nonEmpty("a group name")),
        admin: z.array(nonEmpty("a group name")),
        /**
         * What admin gives inside the cluster: `namespaces` (Kubernetes' admin role in the UIs'
         * namespaces, the rest read-only) or `cluster` (cluster-admin, for teams whose UI admins
         * are also the cluster's administrators).
         */
        adminScope: oneOf(ADMIN_SCOPES),
    }),
    /** A WAFv2 web ACL with AWS's managed rule groups in front of the ALB: always on for internet exposure. */
    webAcl: bool,
    /** The AWS Load Balancer Controller, which turns the UIs' Ingresses into the ALB. */
    controller: z.strictObject({ replicas: replicas(1), resources: resources(["controller"]) }),
});

/** Usage the cost estimate cannot read from resources; each is printed beside the line it drives. */
const costAssumptions = z.strictObject({
    natGatewayGbPerMonth: int(0, 1_000_000),
    s3GbPerMonth: int(0, 10_000_000),
    logIngestionGbPerMonth: int(0, 1_000_000),
    interfaceEndpointGbPerMonth: int(0, 1_000_000),
    /** The UIs' ALB's average load balancer capacity units (new connections, active connections, bytes, rule evaluations). */
    albLcus: int(0, 10_000),
    /** Millions of requests a month the UIs' web ACL inspects. */
    uiRequestsMillionsPerMonth: int(0, 1_000_000),
    /** Users who sign in to the UIs through the stack's Cognito user pool in a month. */
    uiMonthlyActiveUsers: int(0, 10_000_000),
    /** The observability modes' managed services (README, "Observability modes"): samples written to AMP, in millions. */
    ampSamplesMillionsPerMonth: int(0, 10_000_000),
    /** Workload logs shipped to CloudWatch Logs (aws-managed, amp-amg, hybrid), on top of logIngestionGbPerMonth's platform logs. */
    workloadLogGbPerMonth: int(0, 1_000_000),
    /** GB CloudWatch Logs Insights queries scan. */
    logsInsightsGbScannedPerMonth: int(0, 10_000_000),
    /** Traces X-Ray records and retrieves, in millions. */
    xrayTracesMillionsPerMonth: int(0, 1_000_000),
    /** Container Insights metrics per node and per pod (standard Container Insights, priced per metric). */
    containerInsightsMetricsPerNode: int(0, 10_000),
    containerInsightsMetricsPerPod: int(0, 10_000),
    /** Amazon Managed Grafana's active users: editors and admins, and viewers. */
    grafanaEditors: int(0, 10_000),
    grafanaViewers: int(0, 100_000),
    /**
     * The CPU the pods use on average over a day, in percent of what they request: what burstable
     * nodes in unlimited mode are billed surplus credits on above their baseline.
     */
    burstableCpuUsePercentOfRequests: int(0, 100),
    /** What Spot capacity saves against on-demand, in percent: an assumption, dated by spotDiscountAsOf. */
    spotDiscountPercent: int(0, 90),
    spotDiscountAsOf: z.string({ error: "the month the Spot discount was read, such as 2026-11" }).regex(/^\d{4}-(0[1-9]|1[0-2])$/, "the month the Spot discount was read, such as 2026-11"),
});

export const stackConfigSchema = z.strictObject({
    region,
    /** The stack's environment name: dev, staging, qa, prod-eu... It names resources and the Environment tag. */
    environment: z.string({ error: "a lower-case environment name such as dev, staging, qa or prod-eu" })
        .regex(/^[a-z][a-z0-9-]{0,19}$/, "a lower-case environment name such as dev, staging, qa or prod-eu (letters, digits and dashes, at most 20)"),
    /** dev-like or prod-like: the sizes of every chart's pods, the policy pack's levels and the defaults below. */
    profile: oneOf(PROFILES),
    /** Whether stateful resources (keys, buckets, control plane, log groups) carry Pulumi's protect; defaults to true for the prod profile. */
    protect: bool,
    tags,
    network,
    cluster,
    observability,
    security,
    backup,
    operations,
    ui,
    costAssumptions,
}).superRefine((config, ctx) => {
    // Every independent mistake in one run: these checks across keys run even where keys have
    // errors of their own. One error per mistake: a check is skipped when its own key already has
    // an error, or when a value it reads has one (each read is recorded as it happens), since it
    // would only restate that error in other words; a check whose input is too broken to evaluate
    // (a section missing) reports nothing for the same reason.
    if (config === null || typeof config !== "object") return;
    const dotted = (path: readonly PropertyKey[] = []) => path.map(String).join(".");
    // An unknown key is an error at that key, not at the object that holds it.
    const brokenKeys = () => ctx.issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys.map((key) => dotted([...(i.path ?? []), key])) : [dotted(i.path)]));
    const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
    const hasIssue = (key: string, nested: boolean) => brokenKeys().some((at) => at === key || key.startsWith(`${at}.`) || (nested && at.startsWith(`${key}.`)));
    let reads: string[] = [];
    const readBroken = () => reads.some((read) => brokenKeys().some((at) => related(read, at)));
    const c = recordingReads(config, (path) => reads.push(path));
    const issue = (path: (string | number)[], message: string, reads: readonly string[] = [], got?: string) => {
        if (hasIssue(dotted(path), false) || reads.some((key) => hasIssue(key, true)) || readBroken()) return;
        ctx.addIssue({ code: "custom", path, message, ...(got !== undefined ? { params: { got } } : {}) });
    };
    /** Runs one check on its own: what it reads is recorded from its start. */
    const check = (body: () => void) => {
        reads = [];
        try {
            body();
        } catch (error) {
            if (!readBroken()) throw error;
        }
    };
    /** Each item of a list that may itself be broken or missing. */
    const each = <T>(list: readonly T[] | undefined, body: (item: T, i: number) => void) => (Array.isArray(list) ? list.forEach(body) : undefined);
    const cidrsValid = () => isValidCidr(c.network.vpcCidr) && isValidCidr(c.network.podCidr);
    check(() => { if (cidrsValid() && !cidrContains(POD_CIDR_RANGE, c.network.podCidr)) issue(["network", "podCidr"], `a CIDR inside ${POD_CIDR_RANGE} (the range VPC CNI custom networking uses)`); });
    check(() => { if (cidrsValid() && cidrsOverlap(c.network.vpcCidr, c.network.podCidr)) issue(["network", "podCidr"], `a CIDR that does not overlap network.vpcCidr (${c.network.vpcCidr})`, ["network.vpcCidr"]); });
    check(() => { if (c.tags.Environment !== c.environment) issue(["tags", "Environment"], `the stack's environment (${c.environment})`, ["environment"]); });
    for (const [key, parent] of [["publicSubnetPrefixLength", "vpcCidr"], ["privateSubnetPrefixLength", "vpcCidr"], ["podSubnetPrefixLength", "podCidr"]] as const) {
        check(() => {
            const parentLength = Number(c.network[parent].split("/")[1]);
            if (c.network[key] <= parentLength) issue(["network", key], `a prefix length longer than the /${parentLength} it is carved from (network.${parent})`, [`network.${parent}`]);
        });
    }
    check(() => {
        if (!regionZones(c.region)) {
            issue(["network", "availabilityZones"], `zones of a region the zone table lists (${ZONE_TABLE}): it has none for ${c.region}; regions with zones: ${Object.keys(AVAILABILITY_ZONES.regions).join(", ")}`, ["region"]);
        }
    });
    each(c.network?.availabilityZones, (zone, j) => check(() => {
        const zones = regionZones(c.region);
        if (zones && !zones.some((z) => z.name === zone)) issue(["network", "availabilityZones", j], `a zone of ${c.region}: ${zones.map((z) => `${z.name} (${z.id})`).join(", ")} (${ZONE_TABLE})`, ["region"]);
    }));
    check(() => {
        if (cidrsValid()) {
            try {
                planSubnets(c.network);
            } catch (e) {
                issue(["network", "availabilityZones"], `as many zones as the subnets fit: ${(e as Error).message}`,
                    ["network.vpcCidr", "network.podCidr", "network.publicSubnetPrefixLength", "network.privateSubnetPrefixLength", "network.podSubnetPrefixLength"]);
            }
        }
    });
    each(c.cluster?.nodeGroups, (g, i) => check(() => {
        const steady = g.instanceTypes.filter((type) => findInstanceType(type) && !burstableFacts(type));
        if (g.cpuCredits !== undefined && steady.length > 0) {
            issue(["cluster", "nodeGroups", i, "cpuCredits"], `absent unless every instance type of the group is burstable (${Object.keys(BURSTABLE.defaultModes).join(", ")}): ${steady.join(", ")} ${steady.length === 1 ? "has" : "have"} no CPU credits`, [`cluster.nodeGroups.${i}.instanceTypes`]);
        }
    }));
    each(c.cluster?.nodeGroups, (g, i) => {
        const group = `cluster.nodeGroups.${i}`;
        check(() => {
            const [longest] = nodeGroupsByZone([g]).map((eks) => nodeGroupNamePrefix(c.cluster.name, eks.name)).sort((a, b) => b.length - a.length);
            if (longest.length > NODE_GROUP_NAME_PREFIX_MAX) {
                issue(["cluster", "nodeGroups", i, "name"], `a name that with cluster.name${g.groupPerZone ? " and the zone" : ""} makes a node group name prefix of at most ${NODE_GROUP_NAME_PREFIX_MAX} characters ("${longest}" has ${longest.length})`, ["cluster.name"]);
            }
        });
        each(g.instanceTypes, (type, j) => check(() => {
            const facts = findInstanceType(type);
            if (!facts) issue(["cluster", "nodeGroups", i, "instanceTypes", j], `a current EC2 instance type; nearest: ${nearestInstanceTypes(type).join(", ")}`);
            else if (facts.maxEnis === null) issue(["cluster", "nodeGroups", i, "instanceTypes", j], "an instance type with known network interfaces (upstream lists none for this one, so its pods cannot be planned)");
        }));
        check(() => {
            const architectures = distinctArchitectures(g.instanceTypes);
            if (architectures.length > 1) issue(["cluster", "nodeGroups", i, "instanceTypes"], `instance types of one architecture, as a node group runs one AMI (got ${architectures.join("; ")})`);
        });
        check(() => {
            if (findInstanceType(g.instanceTypes[0])?.architecture === "arm64") {
                const blocking = imagesBlocking("arm64", PLATFORM_INSTALLS);
                if (blocking.length > 0) issue(["cluster", "nodeGroups", i, "instanceTypes"], `amd64 instance types: arm64 nodes need every image the platform runs published for linux/arm64, and ${blocking.join("; ")}`);
            }
        });
        check(() => {
            if (g.releaseVersion !== "latest-at-creation" && minorOf(g.releaseVersion) !== c.cluster.kubernetesVersion) {
                issue(["cluster", "nodeGroups", i, "releaseVersion"], `latest-at-creation or a release of Kubernetes ${c.cluster.kubernetesVersion} (cluster.kubernetesVersion), such as ${c.cluster.kubernetesVersion}.x-YYYYMMDD: node groups follow the control plane's version`, ["cluster.kubernetesVersion"]);
            }
        });
        check(() => { if (g.schedule && g.schedule.start >= g.schedule.stop) issue(["cluster", "nodeGroups", i, "schedule", "stop"], `a time after schedule.start (${g.schedule.start}) on the same day`); });
        check(() => {
            if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
                issue(["cluster", "nodeGroups", i], "sizes with minSize <= desiredSize <= maxSize", [`${group}.minSize`, `${group}.desiredSize`, `${group}.maxSize`],
                    `min ${g.minSize}, desired ${g.desiredSize}, max ${g.maxSize}`);
            }
        });
        check(() => {
            if (g.groupPerZone && g.maxSize < g.availabilityZones.length) {
                issue(["cluster", "nodeGroups", i, "maxSize"], `at least the group's ${g.availabilityZones.length} zones when groupPerZone is true (every zone's group needs a maximum of 1 or more)`);
            }
        });
        each(g.availabilityZones, (zone, j) => check(() => {
            if (!c.network.availabilityZones.includes(zone)) issue(["cluster", "nodeGroups", i, "availabilityZones", j], `one of network.availabilityZones (${c.network.availabilityZones.join(", ")})`, ["network.availabilityZones"]);
        }));
    });
    // A name keys its list: two items of one name would declare two resources of one name, which a
    // real preview refuses (and the plan would price the second as the first).
    for (const [list, noun] of [[["cluster", "nodeGroups"], "node group"], [["backup", "velero", "schedules"], "schedule"]] as const) {
        const items = () => list.reduce<any>((node, key) => node?.[key], c) as { name: string }[];
        each(items(), (item, i) => check(() => {
            const first = items().findIndex((other) => other.name === item.name);
            if (first < i) issue([...list, i, "name"], `a name no other ${noun} has (${list.join(".")}[${first}] is ${JSON.stringify(item.name)} too)`);
        }));
    }
    // A group per zone is named after its zone: those names must not meet another group's.
    each(c.cluster?.nodeGroups, (g, i) => check(() => {
        const own = nodeGroupsByZone([g]).map((eks) => eks.name);
        const earlier = c.cluster.nodeGroups.slice(0, i).findIndex((other) => other.name !== g.name && nodeGroupsByZone([other]).some((eks) => own.includes(eks.name)));
        if (earlier >= 0) {
            const clash = nodeGroupsByZone([c.cluster.nodeGroups[earlier]]).map((eks) => eks.name).filter((name) => own.includes(name));
            issue(["cluster", "nodeGroups", i, "name"], `a name whose EKS node groups no other group's share (cluster.nodeGroups[${earlier}] makes ${clash.join(", ")} too)`);
        }
    }));
    check(() => {
        if (c.cluster.bastion.enabled && !findInstanceType(c.cluster.bastion.instanceType)) {
            issue(["cluster", "bastion", "instanceType"], `a current EC2 instance type; nearest: ${nearestInstanceTypes(c.cluster.bastion.instanceType).join(", ")}`);
        }
    });
    const bastion = () => c.cluster.bastion;
    check(() => {
        if (bastion().sessionPreferences === "existing" && bastion().sessionLogGroupName === undefined) {
            issue(["cluster", "bastion", "sessionLogGroupName"], "the log group the account's Session Manager preferences send sessions to, when cluster.bastion.sessionPreferences is existing", ["cluster.bastion.sessionPreferences"]);
        }
    });
    check(() => {
        if (bastion().sessionPreferences === "create" && bastion().sessionLogGroupName !== undefined) {
            issue(["cluster", "bastion", "sessionLogGroupName"], `absent when cluster.bastion.sessionPreferences is create: the stack creates its own sessions log group, /aws/ssm/${c.cluster.name}/sessions`, ["cluster.bastion.sessionPreferences"]);
        }
    });
    check(() => {
        const addons = c.cluster.addonVersions;
        if (typeof addons === "object" && minorOf(addons["kube-proxy"]) !== c.cluster.kubernetesVersion) {
            issue(["cluster", "addonVersions", "kube-proxy"], `a kube-proxy build of Kubernetes ${c.cluster.kubernetesVersion} (cluster.kubernetesVersion), such as v${c.cluster.kubernetesVersion}.0-eksbuild.2: kube-proxy follows the control plane's version; pin the others to builds EKS offers for it (aws eks describe-addon-versions --kubernetes-version ${c.cluster.kubernetesVersion})`, ["cluster.kubernetesVersion"]);
        }
    });
    check(() => {
        if (compareMinor(c.cluster.kubernetesVersion, MINIMUM_KUBERNETES_VERSION) < 0) {
            issue(["cluster", "kubernetesVersion"], `${MINIMUM_KUBERNETES_VERSION} or newer (older versions are in extended support at six times the price)`);
        }
    });
    check(() => { if (c.cluster.publicAccessCidrs.some((block) => block.endsWith("/0"))) issue(["cluster", "publicAccessCidrs"], "specific CIDRs; 0.0.0.0/0 would open the API server to the internet"); });
    check(() => { if (c.cluster.endpointPublicAccess && c.cluster.publicAccessCidrs.length === 0) issue(["cluster", "publicAccessCidrs"], "at least one CIDR when cluster.endpointPublicAccess is true", ["cluster.endpointPublicAccess"]); });
    each(c.cluster?.access?.entries, (entry, i) => check(() => {
        if (entry.policy === "cluster-admin" && entry.namespaces.length > 0) issue(["cluster", "access", "entries", i, "namespaces"], "[] for the cluster-admin policy, which applies to the whole cluster");
    }));
    check(() => {
        const duplicates = duplicatePrincipals(c.cluster.access);
        if (duplicates.length > 0) {
            issue(["cluster", "access"], "each principal once: EKS takes one access entry per principal, and IAM compares names without case", [], `principals listed more than once: ${duplicates.join("; ")}`);
        }
    });
    check(() => { if (!c.cluster.endpointPublicAccess && !c.cluster.endpointPrivateAccess) issue(["cluster", "endpointPrivateAccess"], "true when cluster.endpointPublicAccess is false", ["cluster.endpointPublicAccess"]); });
    // Read only where the mode has alarms or AMP's alert manager, so that a region change needs no topic until then.
    each(c.observability?.mode !== "self-managed" ? c.observability?.managed?.alarmTopicArns : undefined, (_, i) => check(() => {
        // CloudWatch alarms notify only topics in their own region.
        const topic = c.observability.managed.alarmTopicArns[i];
        if (topic.split(":")[3] !== c.region) issue(["observability", "managed", "alarmTopicArns", i], `an SNS topic in the stack's region (${c.region}): CloudWatch alarms notify only topics of their own region`, ["region"]);
    }));
    check(() => { if (c.observability.kiali.enabled && !c.security.istio.enabled) issue(["observability", "kiali", "enabled"], "false while security.istio.enabled is false: Kiali only shows Istio mesh traffic", ["security.istio.enabled"]); });
    check(() => {
        const kafkaUsers = [c.observability.mimir.enabled && c.observability.mimir.architecture === "ingest-storage" && "observability.mimir (ingest-storage)", c.observability.tempo.enabled && c.observability.tempo.mode === "distributed" && "observability.tempo (distributed)"].filter(Boolean);
        if (kafkaUsers.length > 0 && !c.observability.kafka.enabled) {
            issue(["observability", "kafka", "enabled"], `true: ${kafkaUsers.join(" and ")} write through Kafka`, ["observability.mimir.enabled", "observability.mimir.architecture", "observability.tempo.enabled", "observability.tempo.mode"]);
        }
    });
    check(() => { if (c.observability.kafka.replicationFactor > c.observability.kafka.brokers) issue(["observability", "kafka", "replicationFactor"], `at most observability.kafka.brokers (${c.observability.kafka.brokers})`, ["observability.kafka.brokers"]); });
    check(() => { if (c.observability.kafka.minInsyncReplicas > c.observability.kafka.replicationFactor) issue(["observability", "kafka", "minInsyncReplicas"], `at most observability.kafka.replicationFactor (${c.observability.kafka.replicationFactor})`, ["observability.kafka.replicationFactor"]); });
    check(() => { if (c.observability.mimir.ingesterZones > c.network.availabilityZones.length) issue(["observability", "mimir", "ingesterZones"], `at most the number of network.availabilityZones (${c.network.availabilityZones.length})`, ["network.availabilityZones"]); });
    check(() => {
        const nodeZones = c.network.availabilityZones.filter((zone) => c.cluster.nodeGroups.some((g) => g.availabilityZones.includes(zone)));
        if (c.observability.mimir.enabled && c.observability.mimir.ingesterZones > nodeZones.length) {
            issue(["observability", "mimir", "ingesterZones"], `at most the zones nodes run in (${nodeZones.join(", ")}): ingesters pinned to a zone without nodes never schedule`,
                ["network.availabilityZones", "cluster.nodeGroups", "observability.mimir.enabled"]);
        }
    });
    check(() => { if (c.observability.tempo.enabled && c.observability.tempo.mode === "distributed" && c.observability.tempo.storage !== "s3") issue(["observability", "tempo", "storage"], "s3 when observability.tempo.mode is distributed", ["observability.tempo.enabled", "observability.tempo.mode"]); });
    check(() => { if (c.observability.tempo.enabled && c.observability.tempo.mode === "single-binary" && c.observability.tempo.storage !== "local") issue(["observability", "tempo", "storage"], "local when observability.tempo.mode is single-binary", ["observability.tempo.enabled", "observability.tempo.mode"]); });
    const sqlite = () => c.observability.grafana.database.engine === "sqlite";
    check(() => { if (sqlite() && c.observability.grafana.replicas > 1) issue(["observability", "grafana", "database", "engine"], "postgres when observability.grafana.replicas is more than 1: replicas on SQLite keep separate users, dashboards and alert rules, and each sends every alert", ["observability.grafana.replicas"]); });
    check(() => {
        for (const key of ["storageSize", "storageClass"] as const) {
            if (sqlite() && c.observability.grafana[key] === undefined) issue(["observability", "grafana", key], "set when observability.grafana.database.engine is sqlite (the SQLite file's volume)", ["observability.grafana.database.engine"]);
            if (!sqlite() && c.observability.grafana[key] !== undefined) issue(["observability", "grafana", key], "absent when observability.grafana.database.engine is postgres: Grafana keeps its state in the database and has no volume", ["observability.grafana.database.engine"]);
        }
    });
    check(() => {
        if (!sqlite() && rdsCaBundle(c.region) === undefined) {
            issue(["region"], `a region whose ${RDS_CA_IDENTIFIER} root certificate is in lib/data/rds-ca.json (${RDS_CA.certificates.map((ca) => ca.region).join(", ")}) while observability.grafana.database.engine is postgres: Grafana verifies its database's certificate with it (npm run rds-ca refreshes the table)`, ["observability.grafana.database.engine"]);
        }
    });
    check(() => { if (c.observability.grafana.storageClass === "gp2" && c.cluster.defaultStorageClass !== "gp2") issue(["observability", "grafana", "storageClass"], "gp3 unless cluster.defaultStorageClass is gp2 (the encrypted gp2 class exists only there)", ["cluster.defaultStorageClass"]); });
    check(() => { if (c.observability.mimir.enabled && c.observability.mimir.architecture === "classic" && c.observability.mimir.ingesterZones !== 3) issue(["observability", "mimir", "ingesterZones"], "3: Mimir's classic architecture needs 3 ingester zones", ["observability.mimir.enabled", "observability.mimir.architecture"]); });
    check(() => { if (c.observability.loki.storage === "filesystem" && c.observability.loki.deploymentMode !== "SingleBinary") issue(["observability", "loki", "storage"], "s3 unless observability.loki.deploymentMode is SingleBinary (a filesystem allows one replica)", ["observability.loki.deploymentMode"]); });
    check(() => {
        if (c.observability.loki.deploymentMode === "SingleBinary" && c.observability.loki.readReplicas + c.observability.loki.writeReplicas + c.observability.loki.backendReplicas > 0) {
            issue(["observability", "loki", "readReplicas"], "0 for read, write and backend in SingleBinary mode", ["observability.loki.deploymentMode", "observability.loki.writeReplicas", "observability.loki.backendReplicas"]);
        }
    });
    check(() => { if (c.observability.tempo.mode === "single-binary" && c.observability.tempo.replicas !== 1 && c.observability.tempo.storage === "local") issue(["observability", "tempo", "replicas"], "1 for a single binary on a local volume", ["observability.tempo.mode", "observability.tempo.storage"]); });
    check(() => { if (c.backup.velero.enabled && c.backup.velero.schedules.length === 0) issue(["backup", "velero", "schedules"], "at least one schedule when Velero is enabled", ["backup.velero.enabled"]); });
    check(() => { if (c.backup.crossRegionReplication.enabled && !c.backup.velero.enabled) issue(["backup", "crossRegionReplication", "enabled"], "false while backup.velero.enabled is false: there is no backup bucket to replicate", ["backup.velero.enabled"]); });
    check(() => {
        const longestTtlDays = Math.max(0, ...c.backup.velero.schedules.map((schedule) => durationToHours(schedule.ttl) ?? 0)) / 24;
        if (c.backup.velero.enabled && c.backup.objectLock.retentionDays < longestTtlDays) {
            issue(["backup", "objectLock", "retentionDays"], `at least the longest schedule's ttl (${Math.ceil(longestTtlDays)} days): a backup must stay undeletable for as long as it is kept`, ["backup.velero.schedules"]);
        }
    });
    check(() => { if (c.backup.crossRegionReplication.region === c.region) issue(["backup", "crossRegionReplication", "region"], `a region other than the stack's own (${c.region})`, ["region"]); });
    const exposed = () => c.ui.exposure !== "none";
    const internet = () => c.ui.exposure === "internet";
    check(() => { if (exposed() && c.ui.domain === undefined) issue(["ui", "domain"], `a DNS name such as ops.example.com when ui.exposure is ${c.ui.exposure}: the UIs' host names sit under it`, ["ui.exposure"]); });
    check(() => { if (internet() && c.ui.allowedCidrs.length === 0) issue(["ui", "allowedCidrs"], "at least one CIDR when ui.exposure is internet (your office or VPN egress ranges)", ["ui.exposure"]); });
    check(() => { if (internet() && c.ui.signIn.type === "none") issue(["ui", "signIn", "type"], "oidc or cognito when ui.exposure is internet: nobody reaches a UI from the internet without signing in at the load balancer", ["ui.exposure"]); });
    check(() => { if (internet() && !c.ui.webAcl) issue(["ui", "webAcl"], "true when ui.exposure is internet: AWS's managed rules filter requests before they reach a UI", ["ui.exposure"]); });
    check(() => {
        if (c.profile === "prod" && internet() && c.ui.allowedCidrs.some((block) => block.endsWith("/0"))) {
            issue(["ui", "allowedCidrs"], "specific CIDRs in the prod profile; 0.0.0.0/0 would offer the operators' UIs to the whole internet", ["ui.exposure", "profile"]);
        }
    });
    check(() => {
        const hosts = Object.values(c.ui.hosts);
        if (exposed() && new Set(hosts).size !== hosts.length) issue(["ui", "hosts"], "a different host name for each UI: the load balancer routes by host");
    });
    check(() => {
        if ((c.ui.certificate.route53ZoneId === undefined) === (c.ui.certificate.certificateArn === undefined)) {
            issue(["ui", "certificate"], "one of route53ZoneId (the stack requests and DNS-validates a certificate) or certificateArn (an ACM certificate of yours), not both or neither");
        }
    });
    check(() => { if (c.ui.signIn.type !== "none" && c.ui.roles.admin.length === 0) issue(["ui", "roles", "admin"], "at least one group when ui.signIn.type is oidc or cognito: someone must administer the UIs", ["ui.signIn"]); });
    check(() => {
        const mapped = [...c.ui.roles.viewer, ...c.ui.roles.editor, ...c.ui.roles.admin];
        if (new Set(mapped).size !== mapped.length) issue(["ui", "roles"], "each group under one role only (viewer, editor or admin)");
    });
    // A quantity with an error of its own reads NaN here, and NaN compares false: no follow-on error.
    const mebibytes = (quantity: string) => (positiveQuantity(parseMemory)(quantity) ? parseMemory(quantity) : NaN);
    // Listed from the config as given, read through the recorder one workload at a time.
    for (const { path } of workloadSizes(config)) {
        check(() => {
            const size = path.reduce<any>((node, key) => node[key], c) as WorkloadSize;
            const key = dotted(path);
            if (mebibytes(size.memoryLimit) < mebibytes(size.memory)) {
                issue([...path, "memoryLimit"], `at least ${key}.memory (${size.memory}): a container's memory limit is never below its request`, [`${key}.memory`]);
            }
        });
    }
    check(() => {
        const heapMiB = Number(c.observability.kafka.brokerHeap.slice(0, -1)) * (c.observability.kafka.brokerHeap.endsWith("g") ? 1024 : 1);
        if (heapMiB > mebibytes(c.observability.kafka.resources.broker.memory)) {
            issue(["observability", "kafka", "brokerHeap"], `at most observability.kafka.resources.broker.memory (${c.observability.kafka.resources.broker.memory}): the heap lives inside the broker's memory`, ["observability.kafka.resources.broker.memory"]);
        }
    });
    for (const [component, cache, workload] of [["loki", "chunks", "chunksCache"], ["loki", "results", "resultsCache"], ["mimir", "chunks", "chunksCache"], ["mimir", "results", "resultsCache"]] as const) {
        check(() => {
            const memory = c.observability[component].resources[workload].memory;
            if (c.observability[component].cacheMiB[cache] >= mebibytes(memory)) {
                const key = `observability.${component}.resources.${workload}.memory`;
                issue(["observability", component, "cacheMiB", cache], `less than ${key} (${memory}): memcached needs its cache plus room for connections`, [key]);
            }
        });
    }
}, { when: () => true });

/**
 * `root` seen through a proxy that reports the path of every value read below it that is not an
 * object: a leaf, or a key that is absent. Objects on the way are not reads of their own.
 */
function recordingReads<T extends object>(root: T, read: (path: string) => void): T {
    const wrap = (node: object, path: readonly string[]): object => new Proxy(node, {
        get(target, key, receiver) {
            const value: unknown = Reflect.get(target, key, receiver);
            if (typeof key !== "string" || typeof value === "function") return value;
            if (value !== null && typeof value === "object") return wrap(value, [...path, key]);
            read([...path, key].join("."));
            return value;
        },
    });
    return wrap(root, []) as T;
}

/** One container's requests and memory limit, as the config holds them. */
export type WorkloadSize = z.infer<typeof workloadSize>;

/** Every workload size in a config, with its path: whatever sits under a `resources` key with a memory request. */
export function workloadSizes(node: unknown, path: string[] = []): { path: string[]; size: WorkloadSize }[] {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return [];
    if (path[path.length - 2] === "resources" && "memory" in node) return [{ path, size: node as WorkloadSize }];
    return Object.entries(node).flatMap(([key, child]) => workloadSizes(child, [...path, key]));
}

export type StackConfig = z.infer<typeof stackConfigSchema>;
/** What a stack's defaults come from (config/profiles.ts), whatever the environment is called. */
export type Profile = StackConfig["profile"];
export type Tags = StackConfig["tags"];
export type NetworkConfig = StackConfig["network"];
export type ClusterConfig = StackConfig["cluster"];
export type NodeGroupConfig = ClusterConfig["nodeGroups"][number];
export type ObservabilityConfig = StackConfig["observability"];
export type SecurityConfig = StackConfig["security"];
export type BackupConfig = StackConfig["backup"];
export type OperationsConfig = StackConfig["operations"];
export type CostAssumptions = StackConfig["costAssumptions"];
export type UiConfig = StackConfig["ui"];

/**
 * What the platform installs, as the image table keys it: the EKS add-ons and every pinned chart
 * (a test keeps the table's keys in step with the chart catalog). All of them, not only those a
 * stack turns on, so that turning a component on later cannot put an image without arm64 on
 * arm64 nodes.
 */
const PLATFORM_INSTALLS: readonly string[] = Object.keys(PINNED_IMAGES);

/** The architectures of known instance types, each with its types: "amd64: t3a.medium; arm64: t4g.medium". */
function distinctArchitectures(instanceTypes: readonly string[]): string[] {
    const byArchitecture = new Map<string, string[]>();
    for (const type of instanceTypes) {
        const architecture = findInstanceType(type)?.architecture;
        if (architecture) byArchitecture.set(architecture, [...(byArchitecture.get(architecture) ?? []), type]);
    }
    return [...byArchitecture].map(([architecture, types]) => `${architecture}: ${types.join(", ")}`);
}

function isTimeZone(zone: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return true;
    } catch {
        return false;
    }
}

/** Compares two "1.x" Kubernetes minor versions. */
export function compareMinor(a: string, b: string): number {
    return Number(a.split(".")[1]) - Number(b.split(".")[1]);
}

/**
 * Principals that cluster.access lists more than once, each with where: "arn (deployRoleArn,
 * entries[1])". Compared without case, as IAM compares role and user names.
 */
export function duplicatePrincipals(access: { deployRoleArn: string; breakGlassRoleArn: string; entries: readonly { principalArn: string }[] }): string[] {
    const places = new Map<string, { arn: string; keys: string[] }>();
    const listed: [string, string][] = [["deployRoleArn", access.deployRoleArn], ["breakGlassRoleArn", access.breakGlassRoleArn], ...access.entries.map((e, i): [string, string] => [`entries[${i}]`, e.principalArn])];
    for (const [key, arn] of listed) {
        const seen = places.get(arn.toLowerCase()) ?? { arn, keys: [] };
        seen.keys.push(key);
        places.set(arn.toLowerCase(), seen);
    }
    return [...places.values()].filter((p) => p.keys.length > 1).map((p) => `${p.arn} (${p.keys.join(", ")})`);
}
