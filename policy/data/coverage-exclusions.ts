/**
 * Anchor checks the pack does not enforce, each with why: a check of what only exists at run time,
 * of the account rather than a stack, or a design decision with the control that compensates for it.
 * The README's coverage table shows each reason; the coverage test requires one for every
 * applicable anchor check that no rule enforces.
 */
export type ExclusionKind = "runtime-only" | "account-level" | "design decision";

export interface Exclusion {
    readonly kind: ExclusionKind;
    /** Why, and for a design decision the compensating control. */
    readonly reason: string;
}

const runtime = (reason: string): Exclusion => ({ kind: "runtime-only", reason });
const design = (reason: string): Exclusion => ({ kind: "design decision", reason });

export const EXCLUSIONS: Readonly<Record<string, Exclusion>> = {
    "SecurityHub:AutoScaling.1": design("no Auto Scaling group of the platform sits behind a Classic Load Balancer (the node groups' groups sit behind none; load balancers target pods by IP), so there is no load balancer health check to use; the node groups replace nodes the kubelet reports unhealthy"),
    "cdk-nag:NIST.800.53.R5-AutoScalingGroupELBHealthCheckRequired": design("as AutoScaling.1: the node groups' Auto Scaling groups are associated with no load balancer"),
    "SecurityHub:AutoScaling.6": design("each node group runs the one instance type its capacity is planned for (the planner's fit and prices); zone spread, the control's other half, is enforced by multi-az-ha"),
    "SecurityHub:EC2.4": runtime("whether an instance is stopped, and for how long, is a state of the running account"),
    "SecurityHub:EC2.12": runtime("whether an Elastic IP is associated is a state of the running account; the stack allocates each one for a NAT gateway"),
    "SecurityHub:EC2.16": runtime("whether a network ACL is associated with a subnet is a state of the running account"),
    "SecurityHub:EC2.17": design("the VPC CNI attaches secondary network interfaces to nodes to give pods VPC addresses; they sit in the private pod subnets, behind the node security group and the namespaces' NetworkPolicies"),
    "SecurityHub:EC2.22": runtime("whether a security group is attached to a network interface is a state of the running account (EKS attaches the cluster and node groups to interfaces it creates)"),
    "SecurityHub:EC2.24": design("paravirtual virtualisation belongs to previous-generation instance types; the planner accepts only types from its instance data (all HVM, Nitro)"),
    "cdk-nag:NIST.800.53.R5-EC2EBSOptimizedInstance": design("every instance type the planner accepts is EBS-optimised by default (Nitro), so the flag changes nothing"),
    "SecurityHub:KMS.3": runtime("whether a key is pending deletion is a state of the running account; kms-key-rotation requires a 30-day deletion window in prod, and prod keys are protected"),
    "SecurityHub:RDS.23": design("PostgreSQL listens on its standard port 5432: a different port hides nothing from a scan, and the database is reachable only from the pod network (its security group), only by the pods its NetworkPolicy names, only over TLS"),
    "cdk-nag:NIST.800.53.R5-IAMNoInlinePolicy": design("each role's inline policy is written for that role alone and deleted with it; iam-least-privilege judges every statement of every inline policy as it judges managed ones"),
    "cdk-nag:NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW": design("the public subnets' route table sends 0.0.0.0/0 to the internet gateway for the NAT gateways that live there; no node, pod or database is in a public subnet (no-public-ip), and no security group admits the internet but on allowed ports (sg-no-open-ingress)"),
    "SecurityHub:EC2.10": design("interface endpoints are a costed choice per stack (network.interfaceEndpoints, none by default): nodes reach the EC2 API over TLS through the NAT gateways, whose traffic the VPC flow logs record; the S3 gateway endpoint is always declared"),
    "SecurityHub:S3.11": design("no process of the platform acts on bucket events: the buckets are written by its own services through their IRSA roles, and every request to them is recorded by server access logging (s3-access-logging), versioning keeps every overwritten or deleted object (s3-versioning)"),
    "SecurityHub:S3.7": design("only the backup bucket holds data that cannot be re-created: its cross-region replica is declared in full behind backup.crossRegionReplication (off as the decisions have it, a costed choice, CP-6), and in-region it is versioned with Object Lock; the observability buckets hold telemetry bounded by retention"),
    "cdk-nag:NIST.800.53.R5-S3BucketReplicationEnabled": design("as S3.7: the backup bucket's replica is declared behind backup.crossRegionReplication; the observability buckets hold telemetry bounded by retention"),
    "SecurityHub:ACM.1": design("the UIs' certificate is ACM's, DNS-validated by the record the stack keeps in the zone, so ACM renews it by itself before it expires; a given certificateArn is the owner's to renew"),
    "SecurityHub:WAF.10": design("the UIs' web ACL is declared with AWS's managed rule groups (components/edge MANAGED_RULE_GROUPS, tested whole), and alb-internet-protected requires a web ACL on every internet-facing ALB"),
    "SecurityHub:WAF.11": design("the UIs' web ACL is declared with its logging configuration to an encrypted CloudWatch log group whose retention log-retention judges (tests/edge.test.ts)"),
    "cdk-nag:NIST.800.53.R5-WAFv2LoggingEnabled": design("as WAF.11: the web ACL's logging configuration is declared with it"),
    "cdk-nag:NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod": design("an unset retention keeps logs forever, longer than any minimum: log-retention accepts it and requires at least 365 days of any group that sets one in prod"),
};

/**
 * Anchor checks a rule enforces everywhere but where a decision says otherwise: what the rule leaves
 * out and why. The coverage table shows them as partly enforced.
 */
export const PARTLY: Readonly<Record<string, string>> = {
    "cdk-nag:NIST.800.53.R5-S3DefaultEncryptionKMS": "the buckets that receive server access logs are encrypted with SSE-S3, the only encryption S3's log delivery writes to; they hold request records, not data",
    "SecurityHub:S3.9": "the buckets that receive server access logs do not log themselves: their own logs would record every delivery of the others' without end",
    "cdk-nag:NIST.800.53.R5-S3BucketLoggingEnabled": "as S3.9: the access-log buckets do not log themselves",
};
