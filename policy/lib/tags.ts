/**
 * Tags as a real preview delivers them. A resource's own `tags` are only part of the story: the
 * AWS provider adds its `defaultTags` at apply time, and `tagsAll` (their merge, computed by the
 * provider) may or may not be known yet. Reading only `tags` would fail every resource that, like
 * ours, takes the mandatory tags from the provider.
 */
import { S3_TYPES, T } from "./resource-types";
import { at, isUnknown, Read, readJsonObject, readRecord, readString, UNKNOWN, Unknown } from "./values";

/** The four tags CM-8 asks of every taggable resource (see config/schema.ts `tags`). */
export const REQUIRED_TAGS = ["Project", "Environment", "Owner", "CostCenter"] as const;

/**
 * AWS types that take a `tags` map and receive the provider's default tags. Sub-resources that take
 * no tags (bucket policy, public access block, versioning and encryption configurations, routes,
 * route table associations, role policies and attachments, KMS aliases, access keys) are left out:
 * CM-8 inventories them through the resource they belong to. Auto Scaling groups are left out too:
 * their `tags` is a list with propagate-at-launch flags and the provider's default tags skip it.
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set([
    ...S3_TYPES.buckets,
    T.vpc,
    T.subnet,
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/defaultRouteTable:DefaultRouteTable",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    T.natGateway,
    "aws:ec2/eip:Eip",
    T.securityGroup,
    T.defaultSecurityGroup,
    T.securityGroupIngressRule,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    "aws:ec2/vpcEndpoint:VpcEndpoint",
    T.flowLog,
    T.launchTemplate,
    T.instance,
    "aws:ec2/networkInterface:NetworkInterface",
    "aws:ec2/keyPair:KeyPair",
    T.volume,
    "aws:ebs/snapshot:Snapshot",
    T.logGroup,
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "aws:cloudwatch/eventRule:EventRule",
    T.kmsKey,
    "aws:kms/replicaKey:ReplicaKey",
    T.iamRole,
    T.iamPolicy,
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:iam/instanceProfile:InstanceProfile",
    T.iamUser,
    T.eksCluster,
    T.eksNodeGroup,
    "aws:eks/addon:Addon",
    "aws:eks/accessEntry:AccessEntry",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation",
    "aws:eks/fargateProfile:FargateProfile",
    "aws:eks/identityProviderConfig:IdentityProviderConfig",
    "aws:sqs/queue:Queue",
    "aws:sns/topic:Topic",
    "aws:secretsmanager/secret:Secret",
    "aws:ssm/parameter:Parameter",
    "aws:acm/certificate:Certificate",
    "aws:route53/zone:Zone",
    "aws:ecr/repository:Repository",
    "aws:backup/vault:Vault",
    "aws:backup/plan:Plan",
    "aws:efs/fileSystem:FileSystem",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:lb/targetGroup:TargetGroup",
]);

/** Tag values by key; a value (or the whole set) may be unknown during preview. */
export type TagSet = Readonly<Record<string, string | Unknown>>;

/** One tag map as given: UNKNOWN when the whole map is, otherwise its string values. */
function readTagMap(value: unknown): Read<TagSet> {
    const map = readRecord(value);
    if (map === undefined || map === UNKNOWN) return map;
    const tags: Record<string, string | Unknown> = {};
    for (const key of Object.keys(map)) {
        const v = readString(map[key]);
        if (v !== undefined) tags[key] = v;
    }
    return tags;
}

/**
 * The provider's default tags. Explicit providers reach a preview with `defaultTags` as JSON text
 * (@pulumi/aws serialises object-valued provider config), the offline engine may hand an object.
 */
function providerDefaultTags(providerProps: unknown): Read<TagSet> {
    const defaultTags = readJsonObject(at(providerProps, "defaultTags"));
    if (defaultTags === undefined || defaultTags === UNKNOWN) return defaultTags;
    return readTagMap(defaultTags.tags);
}

export interface MergedTags {
    /** Provider default tags, then `tagsAll`, then the resource's own tags (which win, as in AWS). */
    readonly tags: TagSet;
    /**
     * True when the resource's tags or the provider's default tags are unknown as a whole and
     * `tagsAll` (their merge) is not known either: a tag missing from `tags` may still arrive.
     */
    readonly incomplete: boolean;
}

export function mergedTags(props: unknown, providerProps?: unknown): MergedTags {
    const defaults = providerDefaultTags(providerProps);
    const all = readTagMap(at(props, "tagsAll"));
    const own = readTagMap(at(props, "tags"));
    const tags: Record<string, string | Unknown> = {};
    for (const source of [defaults, all, own]) {
        if (source !== undefined && source !== UNKNOWN) Object.assign(tags, source);
    }
    const incomplete = (defaults === UNKNOWN || own === UNKNOWN) && (all === undefined || all === UNKNOWN);
    return { tags, incomplete };
}

/**
 * The required tags missing from `tags` or set to an empty string; tags whose value is still
 * unknown count as present.
 */
export function missingRequiredTags(tags: TagSet): string[] {
    return REQUIRED_TAGS.filter((key) => {
        const value = tags[key];
        if (isUnknown(value)) return false;
        return typeof value !== "string" || value.trim() === "";
    });
}
