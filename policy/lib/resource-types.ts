/**
 * The Pulumi type tokens the rules read. Rules compare tokens as strings instead of calling
 * `isType(aws.s3.Bucket)`, so that no rule loads @pulumi/aws (or a second @pulumi/pulumi) at run time.
 */
export const T = {
    bucket: "aws:s3/bucket:Bucket",
    bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    natGateway: "aws:ec2/natGateway:NatGateway",
    flowLog: "aws:ec2/flowLog:FlowLog",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    volume: "aws:ebs/volume:Volume",
    eksCluster: "aws:eks/cluster:Cluster",
    eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    kmsKey: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    ampWorkspace: "aws:amp/workspace:Workspace",
    grafanaWorkspace: "aws:grafana/workspace:Workspace",
    iamUser: "aws:iam/user:User",
    iamAccessKey: "aws:iam/accessKey:AccessKey",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    namespace: "kubernetes:core/v1:Namespace",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    eksAddon: "aws:eks/addon:Addon",
    peerAuthentication: "kubernetes:security.istio.io/v1:PeerAuthentication",
    peerAuthenticationBeta: "kubernetes:security.istio.io/v1beta1:PeerAuthentication",
    authorizationPolicy: "kubernetes:security.istio.io/v1:AuthorizationPolicy",
    authorizationPolicyBeta: "kubernetes:security.istio.io/v1beta1:AuthorizationPolicy",
    /** An ALB's settings, which the AWS Load Balancer Controller applies to every Ingress of the class naming them. */
    ingressClassParams: "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
} as const;

/**
 * S3 types with their deprecated V2 aliases, which @pulumi/aws 7 still registers under their own
 * tokens: a program on either name is judged alike.
 */
export const S3_TYPES = {
    buckets: [T.bucket, "aws:s3/bucketV2:BucketV2"],
    encryption: [T.bucketEncryption, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"],
    publicAccessBlocks: [T.bucketPublicAccessBlock],
    policies: [T.bucketPolicy],
    versioning: [T.bucketVersioning, "aws:s3/bucketVersioningV2:BucketVersioningV2"],
} as const;

/** Istio's PeerAuthentication in its current and previous API versions. */
export const PEER_AUTHENTICATION_TYPES = [T.peerAuthentication, T.peerAuthenticationBeta] as const;
export const AUTHORIZATION_POLICY_TYPES = [T.authorizationPolicy, T.authorizationPolicyBeta] as const;
