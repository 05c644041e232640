/**
 * The whole platform for one validated stack config. index.ts calls it for `pulumi up`; the
 * offline engine calls it under mocks for tests and the planner.
 */
import { getAvailabilityZones } from "@pulumi/aws/getAvailabilityZones";
import { getCallerIdentity } from "@pulumi/aws/getCallerIdentity";
import { getPartition } from "@pulumi/aws/getPartition";
import * as pulumi from "@pulumi/pulumi";
import { AccessPath } from "./config/access";
import { ConfigError } from "./config/load";
import { StackConfig } from "./config/schema";
import { Backup } from "./components/backup";
import { Edge } from "./components/edge";
import { MONITORING_NAMESPACE } from "./components/observability/shared";
import { HEADLAMP_NAMESPACE } from "./components/operations/headlamp";
import { KUBECOST_NAMESPACE } from "./components/operations/kubecost";
import { AccessLogs } from "./components/storage/access-logs";
import { Cluster } from "./components/cluster";
import { assertCallerHasAccess } from "./components/cluster/access";
import { resolveAddonVersions } from "./components/cluster/addons";
import { POSTGRES_PORT, PostgresDatabase } from "./components/database";
import { databaseClients } from "./components/database/client-user";
import { Network } from "./components/network";
import { Observability, observabilityBuckets } from "./components/observability";
import { unsizedMimirContainers } from "./components/observability/mimir";
import { Operations } from "./components/operations";
import { createAwsProvider } from "./components/provider";
import { MeshAndScanning } from "./components/security";
import { declareBoundaries } from "./components/security/boundaries";
import { KmsKeys } from "./components/security/kms";
import { DeclaredResource, stackWorkloads } from "./components/helm/workloads";
import { maxSizeShortfall } from "./lib/fit";
import { UI_NAMES } from "./lib/alb";
import { nodeImageProblems } from "./components/cluster/nodes";
import { CLOUDWATCH_ADDON } from "./components/observability/cloudwatch-addon";
import { keeps, MODE_PARTS } from "./lib/observability-modes";
import { getAddonVersion } from "@pulumi/aws/eks/getAddonVersion";

/** Checks the configured zones against the zones the region offers, before any resource exists. */
export function checkAvailabilityZones(configured: readonly string[], offered: readonly string[], region: string): void {
    const unknown = configured.filter((zone) => !offered.includes(zone));
    if (configured.length > offered.length || unknown.length > 0) {
        throw new ConfigError([
            `network.availabilityZones: got ${JSON.stringify(configured)}; allowed: at most ${offered.length} of the zones ${region} offers (${offered.join(", ")})` +
                (unknown.length > 0 ? `; not offered: ${unknown.join(", ")}` : ""),
        ]);
    }
}

/** Whether the stack declares an S3 bucket (the LGTM stack's or Velero's), and so needs the S3 key. */
export function stackHasBuckets(config: StackConfig): boolean {
    return observabilityBuckets(config.observability).length > 0 || config.backup.velero.enabled;
}

/** What the program declared: the stack outputs, and every workload it runs (for the capacity plan). */
export interface Platform {
    readonly outputs: Record<string, unknown>;
    readonly declaredWorkloads: readonly DeclaredResource[];
}

/** Secrets the stack config names but does not hold: Pulumi secret config, read by index.ts. */
export interface StackSecrets {
    /** The OIDC client's secret for sign-in at the UIs' ALB (ui.signIn.type oidc). */
    readonly uiOidcClientSecret?: pulumi.Output<string>;
}

/** The secrets the config calls for but the stack lacks, one problem each. */
export function missingSecrets(config: Pick<StackConfig, "ui">, secrets: StackSecrets): string[] {
    return config.ui.exposure !== "none" && config.ui.signIn.type === "oidc" && secrets.uiOidcClientSecret === undefined
        ? ["uiOidcClientSecret: not set; allowed: the OIDC client's secret as a Pulumi secret (pulumi config set --secret uiOidcClientSecret <secret>) when ui.signIn.type is oidc"]
        : [];
}

export async function createPlatform(config: StackConfig, access: AccessPath = {}, secrets: StackSecrets = {}): Promise<Platform> {
    const missing = missingSecrets(config, secrets);
    if (missing.length > 0) throw new ConfigError(missing);
    // The provider only configures the SDK; no AWS resource is declared before the zones are checked.
    const provider = createAwsProvider(`aws-${config.environment}`, config.region, config.tags);
    const offered = await getAvailabilityZones({ state: "available" }, { provider });
    checkAvailabilityZones(config.network.availabilityZones, offered.names, config.region);
    const [identity, partition, addonVersions] = await Promise.all([
        getCallerIdentity({}, { provider }),
        getPartition({}, { provider }),
        resolveAddonVersions(config.cluster.kubernetesVersion, config.cluster.addonVersions, provider),
    ]);

    assertCallerHasAccess(identity.arn, config.cluster.access);
    const mode = config.observability.mode;
    const cloudwatchAddonVersion = mode === "self-managed" ? undefined : await resolveCloudwatchAddonVersion(config, provider);

    const protect = config.protect;
    const opts: pulumi.ComponentResourceOptions = { providers: { aws: provider } };

    const kms = new KmsKeys(config.cluster.name, {
        deletionWindowDays: config.security.kmsDeletionWindowDays,
        protect,
        accountId: identity.accountId,
        partition: partition.partition,
        region: config.region,
        s3: stackHasBuckets(config),
        // AMP and Amazon Managed Grafana encrypt with a key of their own, where the mode runs either.
        telemetry: MODE_PARTS[mode].services.some((s) => s === "amp" || s === "amg"),
    }, opts);

    const network = new Network(config.cluster.name, {
        config: config.network,
        clusterName: config.cluster.name,
        logsKmsKeyArn: kms.keys.logs.arn,
        protect,
        accountId: identity.accountId,
        partition: partition.partition,
        region: config.region,
    }, opts);

    // The buckets' server access logs, kept as long as the VPC's flow logs; declared with the first bucket.
    const accessLogs = new AccessLogs(`${config.cluster.name}-access-logs`, {
        accountId: identity.accountId,
        retentionDays: config.network.flowLogRetentionDays,
        protect,
    }, opts);

    const cluster = new Cluster(config.cluster.name, {
        config: config.cluster,
        mesh: config.security.istio.enabled,
        network,
        kmsKeyArns: { eks: kms.keys.eks.arn, ebs: kms.keys.ebs.arn, ...(kms.keys.s3 ? { s3: kms.keys.s3.arn } : {}), logs: kms.keys.logs.arn },
        region: config.region,
        accountId: identity.accountId,
        partition: partition.partition,
        tags: config.tags,
        protect,
        awsProvider: provider,
        access,
        addonVersions,
    }, opts);

    // The UIs' front door first: the UIs' releases render Ingresses the controller's webhook admits.
    const uiNamespaces = [
        MONITORING_NAMESPACE,
        ...(config.operations.headlamp.enabled ? [HEADLAMP_NAMESPACE] : []),
        ...(config.operations.kubecost.enabled ? [KUBECOST_NAMESPACE] : []),
    ];
    const edge = config.ui.exposure === "none" ? undefined : new Edge(`${config.cluster.name}-edge`, {
        config: config.ui,
        vpcId: network.vpcId,
        vpcCidr: config.network.vpcCidr,
        namespaces: uiNamespaces,
        tags: config.tags,
        logsKmsKeyArn: kms.keys.logs.arn,
        // The ALB's access logs and the web ACL's are network traffic records, kept like the flow logs.
        logRetentionDays: config.network.flowLogRetentionDays,
        oidcClientSecret: secrets.uiOidcClientSecret,
        accessLogs,
        context: cluster.context,
    }, opts);

    // Grafana's shared database where it runs more than one replica (prod).
    const grafanaDb = config.observability.grafana.database;
    const grafanaDatabase = grafanaDb.engine === "postgres" && keeps(mode, "grafana")
        ? new PostgresDatabase(`${config.cluster.name}-grafana-db`, {
            config: grafanaDb,
            databaseName: "grafana",
            // The master keeps the name it was created with (RDS replaces an instance whose master
            // username changes); Grafana connects as its own user.
            masterUsername: "grafana",
            clientUsername: "grafana_app",
            vpcId: network.vpcId,
            subnetIds: network.availabilityZones.map((zone) => network.privateSubnetIds[zone]),
            clientCidr: config.network.podCidr,
            kmsDeletionWindowDays: config.security.kmsDeletionWindowDays,
            logsKmsKeyArn: kms.keys.logs.arn,
            protect,
            accountId: identity.accountId,
            partition: partition.partition,
            region: config.region,
        }, opts)
        : undefined;

    // Observability first: its kube-prometheus-stack brings the ServiceMonitor CRDs other add-ons' monitors need.
    const observability = new Observability(`${config.cluster.name}-observability`, {
        config: config.observability,
        istioEnabled: config.security.istio.enabled,
        edge,
        ctx: cluster.context,
        accessLogs,
        availabilityZones: config.network.availabilityZones.filter((zone) => config.cluster.nodeGroups.some((group) => group.availabilityZones.includes(zone))),
        managed: cloudwatchAddonVersion ? { addonVersion: cloudwatchAddonVersion, logsKmsKeyArn: kms.keys.logs.arn, telemetryKmsKeyArn: kms.keys.telemetry?.arn } : undefined,
        grafanaDatabase: grafanaDb.engine === "postgres" && grafanaDatabase ? {
            address: grafanaDatabase.address,
            name: grafanaDatabase.databaseName,
            user: grafanaDatabase.clientUsername,
            password: grafanaDatabase.clientPassword,
            engineVersion: grafanaDb.engineVersion,
            masterSecretArn: grafanaDatabase.masterSecretArn,
            kmsKeyArn: grafanaDatabase.kmsKeyArn,
            caBundle: grafanaDatabase.caBundle,
        } : undefined,
    }, opts);

    // The mesh before the operations tools: Kubecost and Headlamp live in meshed namespaces, so
    // their namespaces and releases wait for istiod's injection webhook and the mTLS policy.
    const security = new MeshAndScanning(`${config.cluster.name}-security`, {
        config: config.security,
        context: cluster.context,
        monitoringCrds: observability.monitoringCrds,
        tracingEndpoint: observability.tracingEndpoint,
    }, opts);
    const operations = new Operations(`${config.cluster.name}-operations`, {
        // Kubecost where the mode keeps it (aws-managed leaves cost analysis to Cost Explorer).
        config: { ...config.operations, kubecost: { ...config.operations.kubecost, enabled: config.operations.kubecost.enabled && keeps(mode, "kubecost") } },
        context: security.meshedContext(cluster.context),
        edge,
    }, opts);
    // The API server trusts the ALB's identity provider, so that Kiali and Headlamp act as the person
    // who signed in; the roles' groups get their RBAC in the UIs' namespaces, which now exist.
    if (edge?.identityProvider) cluster.trustIdentityProvider({ provider: edge.identityProvider, roles: config.ui.roles, adminNamespaces: uiNamespaces.filter((namespace) => cluster.context.namespaces.has(namespace)) });
    const backup = new Backup(`${config.cluster.name}-backup`, {
        config: config.backup,
        context: cluster.context,
        accessLogs,
        accessLogRetentionDays: config.network.flowLogRetentionDays,
        tags: config.tags,
        kmsDeletionWindowDays: config.security.kmsDeletionWindowDays,
        monitoringCrds: observability.monitoringCrds,
    }, opts);

    // Every workload is declared by now: render the releases (synchronously, from the cache where
    // unchanged) and refuse node groups that could never hold what they run, or whose architecture a
    // rendered image is not published for, before the engine acts
    // on any registration (they are still queued while this synchronous pass runs). A release Helm
    // cannot render stops here too, with the release, the chart and Helm's message.
    const declaredWorkloads = cluster.context.declaredWorkloads;
    const stack = stackWorkloads(declaredWorkloads, config.cluster.kubernetesVersion);
    const workloads = stack.workloads;
    const images = workloads.flatMap((w) => [...w.initContainers, ...w.containers].map((c) => c.image));
    // An unsized Mimir container leaves the capacity check nothing to count, so it is the error alone.
    const unsizedMimir = unsizedMimirContainers(workloads);
    const problems = [unsizedMimir ?? maxSizeShortfall(config.cluster, workloads), ...nodeImageProblems(config.cluster, images)].filter((p): p is string => Boolean(p));
    if (problems.length > 0) throw new ConfigError(problems);

    // The mesh's authorization policies follow from the wiring of what was just rendered.
    const mesh = security.authorize(declaredWorkloads, stack, cluster.context, config.network.vpcCidr);

    // Inside the cluster, deny by default: each namespace's policies, drawn from everything declared.
    declareBoundaries(`${config.cluster.name}-boundaries`, {
        vpcCidr: config.network.vpcCidr,
        // Grafana, and the Job that sets up Grafana's own user as the master.
        databases: grafanaDatabase && observability.grafanaRelease ? databaseClients({ release: observability.grafanaRelease, username: grafanaDatabase.clientUsername, database: "Grafana's database" }, POSTGRES_PORT) : [],
    }, cluster.context, security);

    const outputs = {
        vpcId: network.vpcId,
        availabilityZones: network.availabilityZones,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        podSubnetIds: network.podSubnetIds,
        clusterName: cluster.name,
        clusterEndpoint: cluster.endpoint,
        oidcProviderArn: cluster.oidcProviderArn,
        kubeconfig: cluster.kubeconfig,
        bastionInstanceId: cluster.bastionInstanceId,
        kmsKeyArns: Object.fromEntries(Object.entries(kms.keys).map(([purpose, key]) => [purpose, key.arn])),
        mtlsMode: security.mtlsMode,
        mesh: security.meshSummary(),
        // How every wiring edge is encrypted and authenticated (mesh mTLS, application TLS, or plaintext
        // and why), and the hops outside the wiring graph that the mesh leaves unprotected, each with its reason.
        meshHops: mesh.hops,
        meshExceptions: mesh.exceptions,
        trivyScanners: security.scanners,
        operationsTools: operations.tools,
        backupBucket: backup.bucketName,
        veleroRoleArn: backup.veleroRoleArn,
        veleroRepositoryPassword: backup.repositoryPassword,
        backupSchedules: backup.schedules,
        backupReplicaRegion: backup.replica?.region,
        backupReplicaBucket: backup.replica?.bucketName,
        metricsQueryUrl: observability.metricsQueryUrl,
        lokiUrl: observability.lokiUrl,
        tempoQueryUrl: observability.tempoQueryUrl,
        tempoOtlpGrpcEndpoint: observability.tempoOtlpGrpcEndpoint,
        grafanaUrl: observability.grafanaUrl,
        // The UIs' addresses on the ALB, which the controller creates from their Ingresses.
        uiUrls: edge ? Object.fromEntries(UI_NAMES.map((ui) => [ui, `https://${edge.exposure(ui).host}/`])) : undefined,
        uiCertificateArn: edge?.certificateArn,
        uiWebAclArn: edge?.webAclArn,
        uiAccessLogBucket: edge?.accessLogBucket,
        uiUserPoolId: edge?.userPoolId,
        uiCallbackUrls: edge?.callbackUrls,
        observabilityMode: mode,
        ampWorkspaceEndpoint: observability.managed?.amp?.endpoint,
        tracingEndpoint: observability.tracingEndpoint,
        cloudwatchLogGroups: observability.managed?.logGroupNames,
        grafanaAdminPassword: observability.grafanaAdminPassword,
        grafanaDatabaseAddress: grafanaDatabase?.address,
        observabilityBuckets: observability.bucketNames,
    };
    return { outputs, declaredWorkloads };
}

/**
 * The amazon-cloudwatch-observability add-on's version: pinned, or what EKS offers for the cluster's Kubernetes version
 * (asked before any resource is declared, as for the cluster's own add-ons).
 */
async function resolveCloudwatchAddonVersion(config: StackConfig, provider: pulumi.ProviderResource): Promise<string> {
    const selection = config.observability.managed.addonVersion;
    if (selection !== "latest" && selection !== "default") return selection;
    try {
        return (await getAddonVersion({ addonName: CLOUDWATCH_ADDON, kubernetesVersion: config.cluster.kubernetesVersion, mostRecent: selection === "latest" }, { provider })).version;
    } catch (e) {
        throw new ConfigError([`observability.managed.addonVersion: got ${JSON.stringify(selection)}; allowed: a version EKS offers the ${CLOUDWATCH_ADDON} add-on for Kubernetes ${config.cluster.kubernetesVersion} (EKS answered: ${(e as Error).message})`]);
    }
}
