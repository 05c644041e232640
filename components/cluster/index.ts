import * as cloudwatch from "../aws/cloudwatch";
import * as ec2 from "../aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as vpc from "@pulumi/aws/vpc";
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { AccessPath } from "../../config/access";
import { ClusterConfig, Tags } from "../../config/schema";
import { sortedJson } from "../../lib/json";
import { serviceTrustPolicy } from "../../lib/trust";
import { DeclaredResource } from "../helm/workloads";
import { SubnetIdsByZone } from "../network";
import { accessGrants } from "./access";
import { AddonName, addonConfiguration } from "./addons";
import { NODE_GROUP_LABEL, installClusterAutoscaler } from "./autoscaler";
import { Bastion, createSessionPreferences, logGroupArn } from "./bastion";
import { KubernetesContext } from "./context";
import { trustIdentityProvider, TrustIdentityProviderArgs } from "./identity";
import { createIrsaRole } from "./irsa";
import { kubeconfig } from "./kubeconfig";
import { createNodeLaunchTemplate, createNodeSchedule, nodeAmiType, nodeGroupIgnoreChanges, nodeReleaseVersion } from "./nodes";
import { nodeGroupNamePrefix, nodeGroupsByZone } from "../../lib/zonal";
import { STORAGE_CLASS_NAMES, createStorageClasses } from "./storage";

export interface ClusterArgs {
    /** The cluster slice of the validated stack config. */
    readonly config: ClusterConfig;
    /** Whether the stack runs the Istio mesh (security.istio.enabled), handed on in the cluster's context. */
    readonly mesh: boolean;
    /** The network the cluster runs in. */
    readonly network: {
        readonly vpcId: pulumi.Input<string>;
        readonly vpcCidr: string;
        readonly availabilityZones: readonly string[];
        readonly privateSubnetIds: SubnetIdsByZone;
        readonly podSubnetIds: SubnetIdsByZone;
    };
    /** Customer-managed keys: EKS secrets, EBS volumes, S3 (handed on to add-ons), CloudWatch Logs. */
    readonly kmsKeyArns: { readonly eks: pulumi.Output<string>; readonly ebs: pulumi.Output<string>; readonly s3?: pulumi.Output<string>; readonly logs: pulumi.Output<string> };
    readonly region: string;
    readonly accountId: string;
    readonly partition: string;
    /** The four mandatory tags, for what Auto Scaling launches (provider default tags do not reach it). */
    readonly tags: Tags;
    /** Protect the control plane and its logs from deletion (prod). */
    readonly protect: boolean;
    /** The tagged AWS provider, handed to add-ons that create AWS resources. */
    readonly awsProvider: AwsProvider;
    /** How this run reaches the API server (from the environment, never from the stack file). */
    readonly access: AccessPath;
    /** The add-on versions EKS offers for the cluster's Kubernetes version ({@link resolveAddonVersions}). */
    readonly addonVersions: Record<AddonName, string>;
}

/** The OIDC issuer without its scheme, as IAM condition keys spell it. */
export function issuerHost(issuerUrl: string): string {
    return issuerUrl.replace(/^https:\/\//, "");
}

/**
 * The EKS cluster: a control plane with envelope-encrypted secrets and audit logs, API-mode access
 * entries, IRSA, VPC CNI custom networking (ENIConfigs before any node), managed node groups from
 * an encrypted IMDSv2 launch template, EBS CSI with encrypted storage classes, the Cluster
 * Autoscaler, an optional SSM bastion, and a Kubernetes provider for everything that runs inside.
 */
export class Cluster extends pulumi.ComponentResource {
    public readonly name: pulumi.Output<string>;
    public readonly endpoint: pulumi.Output<string>;
    public readonly oidcProviderArn: pulumi.Output<string>;
    public readonly nodeSecurityGroupId: pulumi.Output<string>;
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly context: KubernetesContext;
    public readonly bastionInstanceId?: pulumi.Output<string>;
    private readonly resourceName: string;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:Cluster", name, {}, opts);
        const { config, network, partition } = args;
        const child = { parent: this };
        const managedPolicy = (policy: string) => `arn:${partition}:iam::aws:policy/${policy}`;
        const privateSubnets = network.availabilityZones.map((zone) => network.privateSubnetIds[zone]);
        // Known before the cluster exists: the trust policy and the Kubernetes provider name it.
        const clusterArn = `arn:${partition}:eks:${args.region}:${args.accountId}:cluster/${config.name}`;

        const clusterRole = new iam.Role(`${name}-role`, {
            assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com", { accountId: args.accountId, sourceArn: clusterArn }),
        }, child);
        const clusterRolePolicy = new iam.RolePolicyAttachment(`${name}-role-cluster-policy`, { role: clusterRole.name, policyArn: managedPolicy("AmazonEKSClusterPolicy") }, child);

        // Nodes and the control plane talk through two groups we own, rule by rule, so that no
        // rule opens more than the path that needs it (SC-7).
        const clusterSg = new ec2.SecurityGroup(`${name}-sg`, {
            vpcId: network.vpcId,
            description: `${config.name} control plane: HTTPS from nodes and the bastion`,
            tags: { Name: `${config.name}-control-plane` },
        }, child);
        const nodeSg = new ec2.SecurityGroup(`${name}-node-sg`, {
            vpcId: network.vpcId,
            description: `${config.name} nodes: from each other and the control plane`,
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "Nodes reach AWS APIs, registries and the internet through NAT" }],
            tags: { Name: `${config.name}-nodes`, [`kubernetes.io/cluster/${config.name}`]: "owned" },
        }, child);
        const rule = (ruleName: string, securityGroupId: pulumi.Input<string>, source: pulumi.Input<string>, fromPort: number, toPort: number, protocol: string, description: string) =>
            new vpc.SecurityGroupIngressRule(`${name}-${ruleName}`, { securityGroupId, referencedSecurityGroupId: source, fromPort, toPort, ipProtocol: protocol, description }, child);
        rule("nodes-to-api", clusterSg.id, nodeSg.id, 443, 443, "tcp", "Kubelets and pods to the API server");
        rule("api-to-nodes", nodeSg.id, clusterSg.id, 1025, 65535, "tcp", "API server to kubelets and webhooks");
        rule("api-to-nodes-https", nodeSg.id, clusterSg.id, 443, 443, "tcp", "API server to webhooks on 443");
        new vpc.SecurityGroupIngressRule(`${name}-node-to-node`, { securityGroupId: nodeSg.id, referencedSecurityGroupId: nodeSg.id, ipProtocol: "-1", description: "Pods and nodes to each other" }, child);
        new vpc.SecurityGroupEgressRule(`${name}-api-egress`, { securityGroupId: clusterSg.id, referencedSecurityGroupId: nodeSg.id, ipProtocol: "-1", description: "API server to nodes" }, child);

        // The log group exists before the cluster so that EKS writes into our encrypted group
        // with our retention instead of creating its own (AU-9, AU-11).
        const controlPlaneLogs = new cloudwatch.LogGroup(`${name}-control-plane-logs`, {
            name: `/aws/eks/${config.name}/cluster`,
            retentionInDays: config.controlPlaneLogRetentionDays,
            kmsKeyId: args.kmsKeyArns.logs,
        }, { parent: this, protect: args.protect });

        const cluster = new eks.Cluster(`${name}-eks`, {
            name: config.name,
            version: config.kubernetesVersion,
            // Said explicitly: without it EKS moves an outdated cluster into extended support.
            upgradePolicy: { supportType: config.supportType },
            roleArn: clusterRole.arn,
            vpcConfig: {
                subnetIds: privateSubnets,
                securityGroupIds: [clusterSg.id],
                endpointPrivateAccess: config.endpointPrivateAccess,
                endpointPublicAccess: config.endpointPublicAccess,
                // AWS opens a public endpoint to 0.0.0.0/0 unless told otherwise.
                ...(config.endpointPublicAccess ? { publicAccessCidrs: config.publicAccessCidrs } : {}),
            },
            encryptionConfig: { provider: { keyArn: args.kmsKeyArns.eks }, resources: ["secrets"] },
            enabledClusterLogTypes: config.controlPlaneLogTypes,
            accessConfig: {
                authenticationMode: "API",
                // Access comes from the entries below only: an implicit entry for whoever created the
                // cluster would lock out the other of CI and the break-glass role, and collide with
                // the explicit entry of the one that did.
                bootstrapClusterCreatorAdminPermissions: false,
            },
            // vpc-cni, kube-proxy and CoreDNS come as managed add-ons with our configuration.
            bootstrapSelfManagedAddons: false,
        }, { parent: this, protect: args.protect, dependsOn: [controlPlaneLogs, clusterRolePolicy] });
        this.name = cluster.name;
        this.endpoint = cluster.endpoint;

        // Named by principal (and policy): EKS keys entries and associations the same way, so an edit
        // to the list touches only the principals it adds, removes or changes. A replacement deletes
        // first: EKS refuses a second entry for a principal, and a second association of the same
        // policy is the same association, which deleting the old one afterwards would remove.
        const associations = accessGrants(config.access, partition).map((grant) => {
            const entry = new eks.AccessEntry(`${name}-access-${grant.key}`, { clusterName: cluster.name, principalArn: grant.principalArn, type: "STANDARD" }, {
                ...child, deleteBeforeReplace: true, aliases: [{ name: `${name}-access-${grant.formerKey}` }],
            });
            return new eks.AccessPolicyAssociation(`${name}-access-${grant.associationKey}`, {
                clusterName: cluster.name,
                // From the entry, so that replacing the entry (which takes its associations with it) replaces these too.
                principalArn: entry.principalArn,
                policyArn: grant.policyArn,
                accessScope: grant.accessScope,
            }, { parent: this, deleteBeforeReplace: true, aliases: [{ name: `${name}-access-${grant.formerKey}` }] });
        });

        const issuerUrl = cluster.identities.apply((ids) => ids[0].oidcs![0].issuer!);
        const oidcProvider = new iam.OpenIdConnectProvider(`${name}-oidc`, { url: issuerUrl, clientIdLists: ["sts.amazonaws.com"] }, child);
        this.oidcProviderArn = oidcProvider.arn;
        const oidcIssuer = issuerUrl.apply(issuerHost);
        const irsa = (roleName: string, serviceAccount: string, irsaArgs: { policy?: pulumi.Input<string>; managedPolicyArns?: string[] }) =>
            createIrsaRole(`${name}-${roleName}`, { oidcProviderArn: oidcProvider.arn, oidcIssuer, namespace: "kube-system", serviceAccount, ...irsaArgs }, child);

        const declaredWorkloads: DeclaredResource[] = [];
        const addon = (addonName: AddonName, extra: Partial<eks.AddonArgs>, dependsOn: pulumi.Resource[] = []) => {
            const configurationValues = addonConfiguration(addonName, config, args.tags);
            declaredWorkloads.push({ type: "aws:eks/addon:Addon", inputs: { addonName, addonVersion: args.addonVersions[addonName], configurationValues } });
            return new eks.Addon(`${name}-${addonName}`, {
                clusterName: cluster.name,
                addonName,
                addonVersion: args.addonVersions[addonName],
                configurationValues,
                resolveConflictsOnCreate: "OVERWRITE",
                resolveConflictsOnUpdate: "OVERWRITE",
                ...extra,
            }, { parent: this, dependsOn });
        };

        // The CNI's AWS permissions go to its own service account, not to every pod on the node.
        const cniRole = irsa("vpc-cni", "aws-node", { managedPolicyArns: [managedPolicy("AmazonEKS_CNI_Policy")] });
        const vpcCni = addon("vpc-cni", { serviceAccountRoleArn: cniRole.arn });
        const kubeProxy = addon("kube-proxy", {});

        const kubeconfigFor = (server?: string) => pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([clusterName, endpoint, ca]) => kubeconfig({
            clusterName,
            region: args.region,
            server: server ?? endpoint,
            certificateAuthorityData: ca.data!,
            // Through a tunnel the certificate still names the real endpoint.
            tlsServerName: server ? new URL(endpoint).hostname : undefined,
        }));
        // The stack output always names the real endpoint; only this run's provider takes the tunnel.
        this.kubeconfig = kubeconfigFor();
        const kubernetesProvider = new KubernetesProvider(`${name}-k8s`, {
            kubeconfig: kubeconfigFor(args.access.apiServerUrl),
            // The cluster's identity, not its kubeconfig: a runner inside the VPC and one through the
            // SSM tunnel reach the same cluster, and must not replace every object in it.
            clusterIdentifier: clusterArn,
            enableServerSideApply: true,
            // After the access policies: every Kubernetes object waits for the deploy role's access on
            // create, and a destroy removes them all before it takes that access away.
        }, { parent: this, dependsOn: [vpcCni, ...associations] });
        const inCluster = { parent: this, provider: kubernetesProvider };

        // Pods take addresses from the ENIConfig named after their node's zone. Nodes that join
        // before their ENIConfig exists hand out primary-CIDR addresses, so every node group waits.
        const eniConfigs = network.availabilityZones.map((zone) => new apiextensions.CustomResource(`${name}-eniconfig-${zone}`, {
            apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
            kind: "ENIConfig",
            metadata: { name: zone },
            spec: { subnet: network.podSubnetIds[zone], securityGroups: [nodeSg.id] },
        }, { ...inCluster, dependsOn: [vpcCni] }));

        const nodeRole = new iam.Role(`${name}-node-role`, { assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") }, child);
        // SSM lets operators reach a node through Session Manager instead of SSH, and keeps it in
        // Systems Manager's inventory and patch compliance (CM-8, SI-2).
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"].map((policy) =>
            new iam.RolePolicyAttachment(`${name}-node-role-${policy}`, { role: nodeRole.name, policyArn: managedPolicy(policy) }, child));

        const nodeGroups = nodeGroupsByZone(config.nodeGroups).map((group) => {
            const launchTemplate = createNodeLaunchTemplate(`${name}-${group.name}-lt`, {
                group,
                prefixDelegation: config.prefixDelegation,
                metadataHopLimit: config.metadataHopLimit,
                ebsKmsKeyArn: args.kmsKeyArns.ebs,
                nodeSecurityGroupId: nodeSg.id,
                tags: args.tags,
                clusterName: config.name,
            }, child);
            const nodeGroup = new eks.NodeGroup(`${name}-${group.name}`, {
                clusterName: cluster.name,
                nodeGroupNamePrefix: nodeGroupNamePrefix(config.name, group.name),
                nodeRoleArn: nodeRole.arn,
                subnetIds: group.availabilityZones.map((zone) => network.privateSubnetIds[zone]),
                instanceTypes: group.instanceTypes,
                amiType: nodeAmiType(group),
                // The nodes follow the control plane's version and run a known AMI release: a
                // Kubernetes upgrade and an AMI roll are updates of the group, node by node.
                version: config.kubernetesVersion,
                releaseVersion: nodeReleaseVersion(group, config.kubernetesVersion, { parent: this }),
                capacityType: group.capacityType,
                scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
                updateConfig: { maxUnavailable: 1 },
                launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
                // The autoscaler balances groups that differ only in this label and the zone.
                labels: { [NODE_GROUP_LABEL]: group.name },
                // The autoscaler discovers the groups it may scale by these tags.
                tags: { "k8s.io/cluster-autoscaler/enabled": "true", [`k8s.io/cluster-autoscaler/${config.name}`]: "owned" },
            }, {
                parent: this,
                dependsOn: [...eniConfigs, vpcCni, kubeProxy, ...nodePolicies],
                ignoreChanges: nodeGroupIgnoreChanges(group),
            });
            createNodeSchedule(`${name}-${group.name}`, group, nodeGroup.resources.apply((r) => r[0].autoscalingGroups[0].name), child);
            return nodeGroup;
        });

        const ebsCsiRole = irsa("ebs-csi", "ebs-csi-controller-sa", {
            managedPolicyArns: [managedPolicy("service-role/AmazonEBSCSIDriverPolicy")],
            policy: args.kmsKeyArns.ebs.apply((keyArn) => sortedJson({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], Resource: keyArn, Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
                    { Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"], Resource: keyArn },
                ],
            })),
        });
        // CoreDNS and the EBS CSI controller are Deployments: they only become healthy on nodes.
        const coredns = addon("coredns", {}, nodeGroups);
        const ebsCsi = addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebsCsiRole.arn }, nodeGroups);

        const storageClasses = createStorageClasses(`${name}-storage`, {
            defaultVolumeType: config.defaultStorageClass,
            ebsKmsKeyArn: args.kmsKeyArns.ebs,
            retain: args.protect,
        }, { ...inCluster, dependsOn: [ebsCsi] });

        this.context = {
            clusterName: config.name,
            region: args.region,
            accountId: args.accountId,
            partition,
            kubernetesProvider,
            awsProvider: args.awsProvider,
            oidcProviderArn: oidcProvider.arn,
            oidcIssuer,
            storageClassName: STORAGE_CLASS_NAMES[config.defaultStorageClass],
            gp3StorageClassName: STORAGE_CLASS_NAMES.gp3,
            kmsKeyArns: { ebs: args.kmsKeyArns.ebs, ...(args.kmsKeyArns.s3 ? { s3: args.kmsKeyArns.s3 } : {}) },
            protect: args.protect,
            mesh: args.mesh,
            namespaces: new Map(),
            declaredWorkloads,
            ready: [...nodeGroups, coredns, ebsCsi, ...storageClasses],
        };

        if (config.clusterAutoscaler.enabled) installClusterAutoscaler(`${name}-autoscaler`, { kubernetesVersion: config.kubernetesVersion, config: config.clusterAutoscaler }, this.context, this);

        // The account's Session Manager preferences follow who owns them, not whether this stack
        // runs a bastion: turning the bastion off must not delete them for every stack relying on them.
        const sessionLogGroupArn = config.bastion.sessionPreferences === "create"
            ? createSessionPreferences(name, { clusterName: config.name, kmsKeyArn: args.kmsKeyArns.logs, retentionDays: config.controlPlaneLogRetentionDays, protect: args.protect }, this).arn
            // Validation requires the name with existing.
            : pulumi.output(logGroupArn(partition, args.region, args.accountId, config.bastion.sessionLogGroupName!));
        if (config.bastion.enabled) {
            const bastion = new Bastion(`${name}-bastion`, {
                instanceType: config.bastion.instanceType,
                ami: config.bastion.ami,
                vpcId: network.vpcId,
                subnetId: privateSubnets[0],
                ebsKmsKeyArn: args.kmsKeyArns.ebs,
                partition,
                clusterName: config.name,
                tags: args.tags,
                sessionLogGroupArn,
            }, child);
            rule("bastion-to-api", clusterSg.id, bastion.securityGroupId, 443, 443, "tcp", "kubectl from the SSM bastion");
            this.bastionInstanceId = bastion.instanceId;
        }

        this.nodeSecurityGroupId = nodeSg.id;
        this.resourceName = name;
        this.registerOutputs({
            name: this.name,
            endpoint: this.endpoint,
            oidcProviderArn: this.oidcProviderArn,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            kubeconfig: this.kubeconfig,
            bastionInstanceId: this.bastionInstanceId,
        });
    }

    /**
     * Trusts the UIs' identity provider and binds ui.roles' groups (components/cluster/identity.ts):
     * called once the UIs' namespaces exist, which admin's RoleBindings are placed in.
     */
    trustIdentityProvider(args: Omit<TrustIdentityProviderArgs, "clusterName">): void {
        trustIdentityProvider(this.resourceName, { ...args, clusterName: this.name }, this.context, this);
    }
}
