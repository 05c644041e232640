/**
 * The S3 resources the platform declares, each from its own module of @pulumi/aws. The package's
 * `s3` namespace loads, at import, its Lambda event mixins and with them the Lambda and CloudWatch
 * Events classes; these modules load only their class.
 */
export { Bucket } from "@pulumi/aws/s3/bucket";
export { BucketLifecycleConfiguration } from "@pulumi/aws/s3/bucketLifecycleConfiguration";
export { BucketLogging } from "@pulumi/aws/s3/bucketLogging";
export { BucketObjectLockConfiguration } from "@pulumi/aws/s3/bucketObjectLockConfiguration";
export { BucketOwnershipControls } from "@pulumi/aws/s3/bucketOwnershipControls";
export { BucketPolicy } from "@pulumi/aws/s3/bucketPolicy";
export { BucketPublicAccessBlock } from "@pulumi/aws/s3/bucketPublicAccessBlock";
export { BucketReplicationConfig } from "@pulumi/aws/s3/bucketReplicationConfig";
export { BucketServerSideEncryptionConfiguration } from "@pulumi/aws/s3/bucketServerSideEncryptionConfiguration";
export { BucketVersioning } from "@pulumi/aws/s3/bucketVersioning";
