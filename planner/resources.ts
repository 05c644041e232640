/**
 * Reading the engine's resource graph: the type tokens the planner prices and compares, and the
 * few joins it needs (a node group to its launch template, a subnet id to its zone). Everything the
 * planner reports is derived from these records, never from per-stack constants.
 */
import { PlannedResource } from "../engine/types";

/** The type tokens the planner reads. */
export const TYPES = {
    awsProvider: "pulumi:providers:aws",
    vpc: "aws:ec2/vpc:Vpc",
    vpcCidrAssociation: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    subnet: "aws:ec2/subnet:Subnet",
    natGateway: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    eksCluster: "aws:eks/cluster:Cluster",
    eksAddon: "aws:eks/addon:Addon",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    autoscalingSchedule: "aws:autoscaling/schedule:Schedule",
    kmsKey: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    iamRole: "aws:iam/role:Role",
    iamAccessKey: "aws:iam/accessKey:AccessKey",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    persistentVolumeClaim: "kubernetes:core/v1:PersistentVolumeClaim",
    /** The settings of an ALB the AWS Load Balancer Controller creates, one per IngressGroup: the ALB is the controller's, not Pulumi's. */
    ingressClassParams: "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
    ingressClass: "kubernetes:networking.k8s.io/v1:IngressClass",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    cognitoUserPool: "aws:cognito/userPool:UserPool",
} as const;

/** Both bucket types of the AWS provider: the planner counts either. */
export const BUCKET_TYPES: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

export function ofType(resources: readonly PlannedResource[], ...types: readonly string[]): PlannedResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** A managed node group as declared: its sizes, instance types and root volume. */
export interface NodeGroupView {
    readonly resource: PlannedResource;
    /** The node group's short name (its platform/node-group label), else its resource name. */
    readonly name: string;
    readonly instanceTypes: readonly string[];
    readonly desired: number;
    readonly min: number;
    readonly max: number;
    readonly subnetIds: readonly string[];
    /** The root volume each node gets, from the launch template or the group's diskSize. */
    readonly rootVolume?: { readonly sizeGb: number; readonly volumeType: string };
    /** Whether the launch template gives each node a public IPv4 address. */
    readonly publicIpv4: boolean;
    /** ON_DEMAND (EKS's default when unset) or SPOT. */
    readonly capacityType: string;
    /** The launch template's CPU credit mode for burstable nodes; undefined where it sets none (the family's default). */
    readonly cpuCredits?: string;
    /** The scheduled actions on the group's Auto Scaling group (working hours), in declared order. */
    readonly schedules: readonly PlannedResource[];
}

/** Every node group with its launch template resolved (by the template id the group names). */
export function nodeGroups(resources: readonly PlannedResource[]): NodeGroupView[] {
    const templates = ofType(resources, TYPES.launchTemplate);
    const schedules = ofType(resources, TYPES.autoscalingSchedule);
    return ofType(resources, TYPES.nodeGroup).map((resource) => {
        const inputs = resource.inputs;
        const template = templates.find((t) => t.outputs.id !== undefined && t.outputs.id === inputs.launchTemplate?.id);
        const ebs = template?.inputs.blockDeviceMappings?.[0]?.ebs;
        const rootVolume = ebs?.volumeSize !== undefined
            ? { sizeGb: Number(ebs.volumeSize), volumeType: String(ebs.volumeType ?? "gp2") }
            : inputs.diskSize !== undefined ? { sizeGb: Number(inputs.diskSize), volumeType: "gp2" } : undefined;
        const scaling = inputs.scalingConfig ?? {};
        return {
            resource,
            name: inputs.labels?.["platform/node-group"] ?? resource.name,
            instanceTypes: inputs.instanceTypes ?? (template?.inputs.instanceType ? [template.inputs.instanceType] : []),
            desired: Number(scaling.desiredSize ?? 0),
            min: Number(scaling.minSize ?? 0),
            max: Number(scaling.maxSize ?? 0),
            subnetIds: inputs.subnetIds ?? [],
            ...(rootVolume ? { rootVolume } : {}),
            // The provider takes this boolean as a string in launch templates.
            publicIpv4: (template?.inputs.networkInterfaces ?? []).some((ni: any) => String(ni.associatePublicIpAddress) === "true"),
            capacityType: String(inputs.capacityType ?? "ON_DEMAND"),
            ...(template?.inputs.creditSpecification?.cpuCredits !== undefined ? { cpuCredits: String(template.inputs.creditSpecification.cpuCredits) } : {}),
            schedules: schedules.filter((s) => (resource.outputs.resources ?? []).some((r: any) => (r.autoscalingGroups ?? []).some((g: any) => g.name === s.inputs.autoscalingGroupName))),
        };
    });
}

/** Nodes over all node groups at their desired sizes: what DaemonSets run on. */
export function desiredNodeCount(resources: readonly PlannedResource[]): number {
    return nodeGroups(resources).reduce((total, group) => total + group.desired, 0);
}

/** Subnet id (as the mocks assigned it) to the subnet resource. */
export function subnetsById(resources: readonly PlannedResource[]): Map<string, PlannedResource> {
    return new Map(ofType(resources, TYPES.subnet).map((s) => [String(s.outputs.id), s]));
}

/** Sorted distinct values, for "zones a, b, c" style summaries. */
export function distinct(values: readonly string[]): string[] {
    return [...new Set(values)].sort();
}
