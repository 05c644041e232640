/**
 * The CloudWatch resources the platform declares, each from its own module of @pulumi/aws. The
 * package's `cloudwatch` namespace loads, at import, its Lambda event mixins; these modules load
 * only their class.
 */
export { Dashboard } from "@pulumi/aws/cloudwatch/dashboard";
export { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
export { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
