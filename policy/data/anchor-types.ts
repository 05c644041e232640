/**
 * Which Pulumi types each anchor check judges: our reading of the resource types the anchors name
 * (Security Hub's AWS Config types as published, typos included; cdk-nag's CloudFormation classes)
 * in `@pulumi/aws` tokens. A source type missing here judges nothing the platform could declare;
 * the coverage test fails on an anchor type it does not find here, so a new anchor list is mapped
 * before it counts.
 */
const S3_BUCKET = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const RDS_INSTANCE = ["aws:rds/instance:Instance"];
const RDS_CLUSTER = ["aws:rds/cluster:Cluster"];
const EC2_INSTANCE = ["aws:ec2/instance:Instance"];
const SECURITY_GROUP = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];
const SECURITY_GROUP_INGRESS = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:ec2/securityGroupRule:SecurityGroupRule"];
const NETWORK_ACL = ["aws:ec2/networkAcl:NetworkAcl", "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"];
const LOAD_BALANCER_V2 = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const LISTENER_V2 = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const WEB_ACL_V2 = ["aws:wafv2/webAcl:WebAcl"];
const LOG_GROUP = ["aws:cloudwatch/logGroup:LogGroup"];

/** Anchor resource type → the Pulumi types it judges (empty: nothing a stack declares). */
export const ANCHOR_TYPES: Readonly<Record<string, readonly string[]>> = {
    // Account-level and compliance-record types: no stack declares them.
    "AWS account": [],
    "AWS::::Account": [],
    "AWS::S3::Account": [],
    "AWS::SSM::AssociationCompliance": [],
    "AWS::SSM::PatchCompliance": [],
    "AWS::ACM::Certificate": ["aws:acm/certificate:Certificate"],
    "AWS::ApiGateway::Stage": ["aws:apigateway/stage:Stage"],
    "AWS::ApiGatewayV2::Route": ["aws:apigatewayv2/route:Route"],
    "AWS::ApiGatewayV2::Stage": ["aws:apigatewayv2/stage:Stage"],
    "AWS::AutoScaling::AutoScalingGroup": ["aws:autoscaling/group:Group"],
    "AWS::AutoScaling::LaunchConfiguration": ["aws:ec2/launchConfiguration:LaunchConfiguration"],
    "AWS::CloudFormation::Stack": ["aws:cloudformation/stack:Stack"],
    "AWS::CloudFront::Distribution": ["aws:cloudfront/distribution:Distribution"],
    "AWS::CloudTrail::Trail": ["aws:cloudtrail/trail:Trail"],
    "AWS::CloudWatch::Alarm": ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    "AWS::CodeBuild::Project": ["aws:codebuild/project:Project"],
    "AWS::DAX::Cluster": ["aws:dax/cluster:Cluster"],
    "AWS::DMS::ReplicationInstance": ["aws:dms/replicationInstance:ReplicationInstance"],
    "AWS::DynamoDB::Table": ["aws:dynamodb/table:Table"],
    "AWS::EC2::EIP": ["aws:ec2/eip:Eip"],
    "AWS::EC2::Instance": EC2_INSTANCE,
    "AWS::EC2::LaunchTemplate": ["aws:ec2/launchTemplate:LaunchTemplate"],
    "AWS::EC2::NetworkAcl": NETWORK_ACL,
    "AWS::EC2::SecurityGroup": SECURITY_GROUP,
    "AWS::EC2::Subnet": ["aws:ec2/subnet:Subnet"],
    "AWS::EC2::TransitGateway": ["aws:ec2transitgateway/transitGateway:TransitGateway"],
    "AWS::EC2::VPC": ["aws:ec2/vpc:Vpc"],
    "AWS::EC2::VPNConnection": ["aws:ec2/vpnConnection:VpnConnection"],
    "AWS::EC2::Volume": ["aws:ebs/volume:Volume"],
    "AWS::ECR::Repository": ["aws:ecr/repository:Repository"],
    "AWS::ECS::Cluster": ["aws:ecs/cluster:Cluster"],
    "AWS::ECS::Service": ["aws:ecs/service:Service"],
    "AWS::ECS::TaskDefinition": ["aws:ecs/taskDefinition:TaskDefinition"],
    "AWS::EFS::AccessPoint": ["aws:efs/accessPoint:AccessPoint"],
    "AWS::EFS::FileSystem": ["aws:efs/fileSystem:FileSystem"],
    "AWS::EKS::Cluster": ["aws:eks/cluster:Cluster"],
    "AWS::EMR::Cluster": ["aws:emr/cluster:Cluster"],
    "AWS::ElastiCache::CacheCluster": ["aws:elasticache/cluster:Cluster"],
    "AWS::ElastiCache::ReplicationGroup": ["aws:elasticache/replicationGroup:ReplicationGroup"],
    "AWS::ElasticBeanstalk::Environment": ["aws:elasticbeanstalk/environment:Environment"],
    "AWS::ElasticLoadBalancing::LoadBalancer": ["aws:elb/loadBalancer:LoadBalancer"],
    "AWS::ElasticLoadBalancingV2::LoadBalancer": LOAD_BALANCER_V2,
    "AWS::Elasticsearch::Domain": ["aws:elasticsearch/domain:Domain"],
    // Security Hub's AWS::IAM::Policy is a customer-managed policy (AWS Config's type).
    "AWS::IAM::Policy": ["aws:iam/policy:Policy"],
    "AWS::IAM::User": ["aws:iam/user:User"],
    "AWS::KMS::Key": ["aws:kms/key:Key"],
    "AWS::Kinesis::Stream": ["aws:kinesis/stream:Stream"],
    "AWS::Lambda::Function": ["aws:lambda/function:Function"],
    "AWS::Logs::LogGroup": LOG_GROUP,
    "AWS::NetworkFirewall::FirewallPolicy": ["aws:networkfirewall/firewallPolicy:FirewallPolicy"],
    "AWS::NetworkFirewall::RuleGroup": ["aws:networkfirewall/ruleGroup:RuleGroup"],
    "AWS::OpenSearch::Domain": ["aws:opensearch/domain:Domain"],
    "AWS::RDS::DBCluster": RDS_CLUSTER,
    "AWS::RDS:DBCluster": RDS_CLUSTER,
    "AWS::RDS::DBClusterSnapshot": ["aws:rds/clusterSnapshot:ClusterSnapshot"],
    "AWS::RDS::DBInstance": RDS_INSTANCE,
    "AWS::RDS::DBSnapshot": ["aws:rds/snapshot:Snapshot"],
    " AWS::RDS::DBSnapshot": ["aws:rds/snapshot:Snapshot"],
    "AWS::RDS::EventSubscription": ["aws:rds/eventSubscription:EventSubscription"],
    "AWS::Redshift::Cluster": ["aws:redshift/cluster:Cluster"],
    "AWS::Redshift::ClusterParameterGroup": ["aws:redshift/parameterGroup:ParameterGroup"],
    "AWS::S3::Bucket": S3_BUCKET,
    "AWS::SNS::Topic": ["aws:sns/topic:Topic"],
    "AWS::SQS::Queue": ["aws:sqs/queue:Queue"],
    "AWS::SSM::Document": ["aws:ssm/document:Document"],
    "AWS::SageMaker::NotebookInstance": ["aws:sagemaker/notebookInstance:NotebookInstance"],
    "AWS::SecretsManager::Secret": ["aws:secretsmanager/secret:Secret"],
    "AWS::WAF::Rule": ["aws:waf/rule:Rule"],
    "AWS::WAF::RuleGroup": ["aws:waf/ruleGroup:RuleGroup"],
    "AWS::WAF::WebACL": ["aws:waf/webAcl:WebAcl"],
    "AWS::WAFRegional::Rule": ["aws:wafregional/rule:Rule"],
    "AWS::WAFRegional::RuleGroup": ["aws:wafregional/ruleGroup:RuleGroup"],
    "AWS::WAFRegional::WebACL": ["aws:wafregional/webAcl:WebAcl"],
    "AWS::WAFV2::WebACL": WEB_ACL_V2,
    "AWS::WAFv2::WebACL": WEB_ACL_V2,

    "aws-applicationautoscaling.CfnScalableTarget": ["aws:appautoscaling/target:Target"],
    "aws-apigateway.CfnStage": ["aws:apigateway/stage:Stage"],
    "aws-autoscaling.CfnAutoScalingGroup": ["aws:autoscaling/group:Group"],
    "aws-autoscaling.CfnLaunchConfiguration": ["aws:ec2/launchConfiguration:LaunchConfiguration"],
    // cdk-nag's backup-plan rules look for a selection naming the resource; the resource is what they judge.
    "aws-backup.CfnBackupSelection": [],
    "aws-cloudtrail.CfnTrail": ["aws:cloudtrail/trail:Trail"],
    "aws-cloudwatch.CfnAlarm": ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    "aws-dms.CfnReplicationInstance": ["aws:dms/replicationInstance:ReplicationInstance"],
    "aws-dynamodb.CfnTable": ["aws:dynamodb/table:Table"],
    // VPCFlowLogsEnabled judges each VPC by the flow logs that name it.
    "aws-ec2.CfnFlowLog": [],
    "aws-ec2.CfnInstance": EC2_INSTANCE,
    "aws-ec2.CfnLaunchTemplate": ["aws:ec2/launchTemplate:LaunchTemplate"],
    "aws-ec2.CfnRoute": ["aws:ec2/route:Route", "aws:ec2/routeTable:RouteTable"],
    "aws-ec2.CfnSecurityGroup": SECURITY_GROUP,
    "aws-ec2.CfnSecurityGroupIngress": SECURITY_GROUP_INGRESS,
    "aws-ec2.CfnSubnet": ["aws:ec2/subnet:Subnet"],
    "aws-ec2.CfnVPC": ["aws:ec2/vpc:Vpc"],
    "aws-ec2.CfnVolume": ["aws:ebs/volume:Volume"],
    "aws-ecs.CfnTaskDefinition": ["aws:ecs/taskDefinition:TaskDefinition"],
    "aws-efs.CfnFileSystem": ["aws:efs/fileSystem:FileSystem"],
    "aws-elasticache.CfnCacheCluster": ["aws:elasticache/cluster:Cluster"],
    "aws-elasticache.CfnReplicationGroup": ["aws:elasticache/replicationGroup:ReplicationGroup"],
    "aws-elasticbeanstalk.CfnEnvironment": ["aws:elasticbeanstalk/environment:Environment"],
    "aws-elasticloadbalancing.CfnLoadBalancer": ["aws:elb/loadBalancer:LoadBalancer"],
    "aws-elasticloadbalancingv2.CfnListener": LISTENER_V2,
    "aws-elasticloadbalancingv2.CfnLoadBalancer": LOAD_BALANCER_V2,
    "aws-elasticsearch.CfnDomain": ["aws:elasticsearch/domain:Domain"],
    "aws-iam.CfnGroup": ["aws:iam/group:Group", "aws:iam/groupPolicy:GroupPolicy"],
    "aws-iam.CfnManagedPolicy": ["aws:iam/policy:Policy"],
    // CloudFormation's AWS::IAM::Policy is an inline policy.
    "aws-iam.CfnPolicy": ["aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy", "aws:iam/groupPolicy:GroupPolicy"],
    "aws-iam.CfnRole": ["aws:iam/role:Role"],
    "aws-iam.CfnUser": ["aws:iam/user:User"],
    "aws-kms.CfnKey": ["aws:kms/key:Key"],
    "aws-lambda.CfnFunction": ["aws:lambda/function:Function"],
    "aws-lambda.CfnPermission": ["aws:lambda/permission:Permission"],
    "aws-logs.CfnLogGroup": LOG_GROUP,
    "aws-opensearchservice.CfnDomain": ["aws:opensearch/domain:Domain"],
    "aws-rds.CfnDBCluster": RDS_CLUSTER,
    "aws-rds.CfnDBInstance": RDS_INSTANCE,
    "aws-redshift.CfnCluster": ["aws:redshift/cluster:Cluster"],
    "aws-redshift.CfnClusterParameterGroup": ["aws:redshift/parameterGroup:ParameterGroup"],
    "aws-s3.CfnBucket": S3_BUCKET,
    "aws-s3.CfnBucketPolicy": ["aws:s3/bucketPolicy:BucketPolicy"],
    "aws-sagemaker.CfnEndpointConfig": ["aws:sagemaker/endpointConfiguration:EndpointConfiguration"],
    "aws-sagemaker.CfnNotebookInstance": ["aws:sagemaker/notebookInstance:NotebookInstance"],
    "aws-secretsmanager.CfnRotationSchedule": ["aws:secretsmanager/secretRotation:SecretRotation"],
    "aws-secretsmanager.CfnSecret": ["aws:secretsmanager/secret:Secret"],
    "aws-secretsmanager.CfnSecretTargetAttachment": [],
    "aws-sns.CfnTopic": ["aws:sns/topic:Topic"],
    "aws-wafv2.CfnLoggingConfiguration": ["aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"],
    "aws-wafv2.CfnWebACL": WEB_ACL_V2,
    // Judged through what it associates: ALBWAFEnabled names the load balancer too, APIGWAssociatedWithWAF the stage.
    "aws-wafv2.CfnWebACLAssociation": [],
};

/** Security Hub controls whose published page names no resource type, by what the control checks. */
export const UNTYPED_CONTROLS: Readonly<Record<string, readonly string[]>> = {
    "EC2.13": ["AWS::EC2::SecurityGroup"],
    "KMS.4": ["AWS::KMS::Key"],
    // Inline policies of roles, users and groups that allow kms:Decrypt on every key.
    "KMS.2": ["aws-iam.CfnPolicy", "aws-iam.CfnRole"],
    "IAM.9": ["AWS account"],
};

/**
 * What AWS creates for a declared type, which the anchors judge like a declared resource: a managed
 * node group's Auto Scaling group and its instances, a VPC's default network ACL and default
 * security group.
 */
export const CREATED_BY_AWS: Readonly<Record<string, readonly string[]>> = {
    "aws:eks/nodeGroup:NodeGroup": ["aws:autoscaling/group:Group", "aws:ec2/instance:Instance"],
    "aws:ec2/vpc:Vpc": ["aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
};

/**
 * The types the next wave declares (issues 23 and 24: the ALB and its listeners, WAF, AMP, AMG,
 * Container Insights log groups). The coverage table lists their anchors for the engineers mapping
 * rules to them; applicability itself comes from the types the stacks declare.
 */
export const NEXT_WAVE_TYPES: readonly string[] = [
    ...LOAD_BALANCER_V2,
    ...LISTENER_V2,
    ...WEB_ACL_V2,
    "aws:wafv2/webAclAssociation:WebAclAssociation",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    "aws:amp/workspace:Workspace",
    "aws:grafana/workspace:Workspace",
    ...LOG_GROUP,
];
