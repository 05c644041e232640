import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "./secure-bucket";

export interface AccessLogsArgs {
    /** The account whose buckets log here: S3's log delivery may write for them only. */
    readonly accountId: string;
    /** Days the access logs are kept (the VPC flow logs' retention: one record of who reached what). */
    readonly retentionDays: number;
    /** Protect the bucket and its logs from deletion (prod). */
    readonly protect: boolean;
}

/**
 * The bucket a region's buckets write their S3 server access logs to (AU-2, AU-12), declared when
 * the first bucket asks for it, so that a stack without buckets has none. It is encrypted with
 * S3's own keys, the only encryption S3's log delivery writes to, and does not log itself: its
 * own access logs would record every delivery of the others', without end.
 */
export class AccessLogs {
    private bucket?: SecureBucket;

    constructor(private readonly name: string, private readonly args: AccessLogsArgs, private readonly opts: pulumi.ComponentResourceOptions) {}

    /** The log bucket's name, for a bucket's `accessLogBucket`. */
    target(): pulumi.Output<string> {
        this.bucket ??= new SecureBucket(this.name, {
            encryption: { receivesAccessLogsFrom: this.args.accountId },
            expireAfterDays: this.args.retentionDays,
            // Log objects are written once; a version left behind by a deletion goes a day later.
            noncurrentVersionDays: 1,
            protect: this.args.protect,
        }, this.opts);
        return this.bucket.name;
    }
}
