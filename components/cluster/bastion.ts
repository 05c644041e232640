import * as cloudwatch from "../aws/cloudwatch";
import * as ec2 from "../aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../../config/schema";
import { Architecture, findInstanceType } from "../../lib/instance-types";
import { sortedJson } from "../../lib/json";
import { serviceTrustPolicy } from "../../lib/trust";
import { sortedTags } from "../provider";

export interface BastionArgs {
    readonly instanceType: string;
    /** "latest-at-creation": the newest Amazon Linux 2023 image when the host is first created, never replaced by a newer one; or a pinned AMI id. */
    readonly ami: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly ebsKmsKeyArn: pulumi.Input<string>;
    readonly partition: string;
    readonly clusterName: string;
    /** Provider default tags do not reach the root volume: it is tagged explicitly (CM-8). */
    readonly tags: Tags;
    /**
     * The log group the account's Session Manager preferences send shell sessions to: this stack's
     * ({@link createSessionPreferences}) or the owner's. The bastion may write there and nowhere else.
     */
    readonly sessionLogGroupArn: pulumi.Input<string>;
}

/** The ARN of a log group in this account and region, as CloudWatch Logs reports it. */
export function logGroupArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
}

/** The Session Manager preferences document: one per account and region, read by every shell session. */
export const SESSION_PREFERENCES_DOCUMENT = "SSM-SessionManagerRunShell";

/**
 * Session Manager preferences: every shell session streams its input and output to the encrypted
 * log group, and Session Manager refuses to start one if the group is not encrypted.
 */
export function sessionPreferences(logGroupName: string): string {
    return sortedJson({
        schemaVersion: "1.0",
        description: "Session Manager preferences: shell sessions are logged to an encrypted CloudWatch log group",
        sessionType: "Standard_Stream",
        inputs: {
            cloudWatchLogGroupName: logGroupName,
            cloudWatchEncryptionEnabled: true,
            cloudWatchStreamingEnabled: true,
            s3BucketName: "",
            s3KeyPrefix: "",
            s3EncryptionEnabled: true,
            kmsKeyId: "",
            runAsEnabled: false,
            runAsDefaultUser: "",
            idleSessionTimeout: "20",
            shellProfile: { linux: "", windows: "" },
        },
    });
}

/** What the bastion's role may do with its session log group: write streams, and check that it is encrypted. */
export function sessionLogPolicy(logGroupArn: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            { Sid: "WriteSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: [logGroupArn, `${logGroupArn}:*`] },
            // The SSM agent checks the group's encryption before it streams; DescribeLogGroups takes no resource scope.
            { Sid: "CheckLogGroupEncryption", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
        ],
    });
}

/** The bastion.ami value that takes the newest image at creation and ignores newer ones. */
export const LATEST_AT_CREATION = "latest-at-creation";

/** The latest Amazon Linux 2023 AMI for each architecture, as AWS publishes it in SSM. */
const AL2023_AMI_PARAMETERS: Readonly<Record<Architecture, string>> = {
    amd64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
};
/** The AL2023 AMI's own root snapshot size: the host keeps nothing but the SSM agent's logs. */
const ROOT_VOLUME_GB = 8;

/** The AMI parameter for an instance type's architecture (a Graviton bastion boots the arm64 AMI). */
export function bastionAmiParameter(instanceType: string): string {
    const facts = findInstanceType(instanceType);
    if (!facts) throw new Error(`Unknown instance type "${instanceType}" for the bastion`);
    return AL2023_AMI_PARAMETERS[facts.architecture];
}

export interface SessionPreferencesArgs {
    /** The log group is /aws/ssm/<clusterName>/sessions. */
    readonly clusterName: string;
    /** The key that encrypts the sessions log group, and how long sessions are kept (AU-11). */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly retentionDays: number;
    /** Protect the log group and the document from deletion (prod). */
    readonly protect: boolean;
}

/**
 * The account's Session Manager preferences, owned by this stack: the encrypted sessions log group
 * and the document that sends every shell session there, in this account and region. They exist
 * whether or not this stack runs a bastion (other stacks' bastions and people's sessions rely on
 * them), and a destroy leaves the document in place for the same reason. They were the bastion's
 * children once; the aliases keep their identity in stacks created then.
 */
export function createSessionPreferences(name: string, args: SessionPreferencesArgs, parent: pulumi.Resource): cloudwatch.LogGroup {
    const formerParent = pulumi.createUrn(`${name}-bastion`, "platform:cluster:Bastion", parent);
    const group = new cloudwatch.LogGroup(`${name}-session-logs`, {
        name: `/aws/ssm/${args.clusterName}/sessions`,
        retentionInDays: args.retentionDays,
        kmsKeyId: args.kmsKeyArn,
    }, { parent, protect: args.protect, aliases: [{ name: `${name}-bastion-session-logs`, parent: formerParent }] });
    new ssm.Document(`${name}-session-preferences`, {
        name: SESSION_PREFERENCES_DOCUMENT,
        documentType: "Session",
        documentFormat: "JSON",
        content: group.name.apply(sessionPreferences),
    }, { parent, protect: args.protect, retainOnDelete: true, aliases: [{ name: `${name}-bastion-session-preferences`, parent: formerParent }] });
    return group;
}

/**
 * An emergency-access host reached only through SSM Session Manager (AC-2, AU-2, IA-5): no key
 * pair, no inbound rule, no public address, IMDSv2, an encrypted root volume. Every shell session
 * is logged to a KMS-encrypted log group through the account's Session Manager preferences
 * (AU-2, AU-12; {@link createSessionPreferences}), and the host can reach the private API endpoint. A newer Amazon Linux image does
 * not replace it (that would cut the SSM tunnel mid-update): it is rolled by pinning `ami`.
 */
export class Bastion extends pulumi.ComponentResource {
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly instanceId: pulumi.Output<string>;

    constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:Bastion", name, {}, opts);
        const role = new iam.Role(`${name}-role`, {
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
        }, { parent: this });
        new iam.RolePolicyAttachment(`${name}-ssm`, {
            role: role.name,
            policyArn: `arn:${args.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
        }, { parent: this });
        new iam.RolePolicy(`${name}-session-logs`, { role: role.id, policy: pulumi.output(args.sessionLogGroupArn).apply(sessionLogPolicy) }, { parent: this });
        const profile = new iam.InstanceProfile(`${name}-profile`, { role: role.name }, { parent: this });
        const sg = new ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: "Bastion: no inbound; HTTPS out to SSM and the API server",
            egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS to SSM endpoints and the EKS API" }],
            tags: { Name: `${args.clusterName}-bastion` },
        }, { parent: this });
        const latest = args.ami === LATEST_AT_CREATION;
        const instance = new ec2.Instance(`${name}-instance`, {
            ami: latest ? ssm.getParameterOutput({ name: bastionAmiParameter(args.instanceType) }, { parent: this }).value : args.ami,
            instanceType: args.instanceType,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: [sg.id],
            iamInstanceProfile: profile.name,
            associatePublicIpAddress: false,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { encrypted: true, kmsKeyId: args.ebsKmsKeyArn, volumeType: "gp3", volumeSize: ROOT_VOLUME_GB, deleteOnTermination: true },
            tags: { Name: `${args.clusterName}-bastion` },
            volumeTags: sortedTags({ ...args.tags, Name: `${args.clusterName}-bastion` }),
        }, { parent: this, ...(latest ? { ignoreChanges: ["ami"] } : {}) });
        this.securityGroupId = sg.id;
        this.instanceId = instance.id;
        this.registerOutputs({ instanceId: this.instanceId, securityGroupId: this.securityGroupId });
    }
}
