import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../../config/schema";
import { serviceTrustPolicy } from "../../lib/trust";
import { sortedTags } from "../provider";

export interface BastionArgs {
    readonly instanceType: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly ebsKmsKeyArn: pulumi.Input<string>;
    readonly partition: string;
    readonly clusterName: string;
    /** Provider default tags do not reach the root volume: it is tagged explicitly (CM-8). */
    readonly tags: Tags;
}

/** The latest Amazon Linux 2023 AMI, as AWS publishes it in SSM. */
const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/**
 * An emergency-access host reached only through SSM Session Manager (AC-2, AU-2, IA-5): no key
 * pair, no inbound rule, no public address, IMDSv2, an encrypted root volume. Sessions are logged
 * by SSM, and the host can reach the private API endpoint.
 */
export class Bastion extends pulumi.ComponentResource {
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly instanceId: pulumi.Output<string>;

    constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:Bastion", name, {}, opts);
        const role = new aws.iam.Role(`${name}-role`, {
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
        }, { parent: this });
        new aws.iam.RolePolicyAttachment(`${name}-ssm`, {
            role: role.name,
            policyArn: `arn:${args.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
        }, { parent: this });
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name }, { parent: this });
        const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: "Bastion: no inbound; HTTPS out to SSM and the API server",
            egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS to SSM endpoints and the EKS API" }],
            tags: { Name: `${args.clusterName}-bastion` },
        }, { parent: this });
        const ami = aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, { parent: this });
        const instance = new aws.ec2.Instance(`${name}-instance`, {
            ami: ami.value,
            instanceType: args.instanceType,
            subnetId: args.subnetId,
            vpcSecurityGroupIds: [sg.id],
            iamInstanceProfile: profile.name,
            associatePublicIpAddress: false,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { encrypted: true, kmsKeyId: args.ebsKmsKeyArn, volumeType: "gp3", volumeSize: 20, deleteOnTermination: true },
            tags: { Name: `${args.clusterName}-bastion` },
            volumeTags: sortedTags({ ...args.tags, Name: `${args.clusterName}-bastion` }),
        }, { parent: this });
        this.securityGroupId = sg.id;
        this.instanceId = instance.id;
        this.registerOutputs({ instanceId: this.instanceId, securityGroupId: this.securityGroupId });
    }
}
