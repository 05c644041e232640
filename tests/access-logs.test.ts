/**
 * S3 server access logs (AU-2, AU-12; Security Hub S3.9): every bucket of a stack logs to the
 * region's access-log bucket, which S3's log delivery alone may write, under S3's own keys (the
 * only encryption it delivers to), kept as long as the flow logs, and which does not log itself.
 */
import { expect } from "chai";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { ofType, providerOf, stack, stackWith } from "./support/stacks";

const BUCKET = "aws:s3/bucket:Bucket";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";

/** The resource of `type` whose `bucket` input is the bucket's id. */
const ofBucket = (run: StackRun, bucket: PlannedResource, type: string) => ofType(run, type).filter((r) => r.inputs.bucket === bucket.outputs.id);

function accessLogBuckets(run: StackRun): PlannedResource[] {
    return ofType(run, BUCKET).filter((b) => b.name.endsWith("-access-logs-bucket"));
}

describe("S3 server access logs", () => {
    it("prod: every data bucket logs under its own prefix to the access-log bucket of its region", async () => {
        const run = await stack("prod");
        const [logBucket] = accessLogBuckets(run);
        const data = ofType(run, BUCKET).filter((b) => b !== logBucket);
        expect(data).to.have.length(8);
        for (const bucket of data) {
            const loggings = ofBucket(run, bucket, LOGGING);
            expect(loggings.map((l) => l.inputs), bucket.name).to.deep.equal([{ bucket: bucket.outputs.id, targetBucket: logBucket.outputs.bucket, targetPrefix: `${bucket.name.replace(/-bucket$/, "")}/` }]);
        }
        expect(ofBucket(run, logBucket, LOGGING)).to.deep.equal([]);
    });

    it("prod: the access-log bucket is protected, SSE-S3, private, TLS-only, writable by S3's log delivery for this account only, and kept as long as the flow logs", async () => {
        const run = await stack("prod");
        const [logBucket] = accessLogBuckets(run);
        expect(accessLogBuckets(run)).to.have.length(1);
        expect(logBucket.protect).to.equal(true);
        const one = (type: string) => { const found = ofBucket(run, logBucket, type); expect(found, type).to.have.length(1); return found[0]; };
        expect(one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }]);
        expect(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        const arn = logBucket.outputs.arn;
        expect(JSON.parse(one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy)).to.deep.equal({
            Statement: [
                { Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } }, Effect: "Deny", Principal: "*", Resource: [arn, `${arn}/*`], Sid: "DenyInsecureTransport" },
                { Action: "s3:PutObject", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } }, Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Resource: `${arn}/*`, Sid: "S3ServerAccessLogDelivery" },
            ],
            Version: "2012-10-17",
        });
        expect(one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules).to.deep.equal([{
            id: "retention", status: "Enabled", filter: {}, expiration: { days: run.config.network.flowLogRetentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        }]);
    });

    it("dev: logs its buckets too, into a bucket a destroy may empty", async () => {
        const run = await stack("dev");
        const logBuckets = accessLogBuckets(run);
        const data = ofType(run, BUCKET).filter((b) => !logBuckets.includes(b));
        expect(logBuckets.map((b) => [b.protect, b.inputs.forceDestroy])).to.deep.equal(data.length > 0 ? [[false, true]] : []);
        for (const bucket of data) expect(ofBucket(run, bucket, LOGGING).map((l) => l.inputs.targetBucket), bucket.name).to.deep.equal([logBuckets[0].outputs.bucket]);
    });

    it("the backup replica logs to an access-log bucket in the replica's own region", async () => {
        const run = await stackWith("prod", (c) => { c.backup.crossRegionReplication.enabled = true; });
        const replica = ofType(run, BUCKET).find((b) => b.name.endsWith("-backup-replica-bucket-bucket"))!;
        const replicaLogs = accessLogBuckets(run).find((b) => b.name.includes("-backup-replica-"))!;
        expect(providerOf(run, replicaLogs)!.inputs.region).to.equal(run.config.backup.crossRegionReplication.region);
        expect(ofBucket(run, replica, LOGGING).map((l) => l.inputs.targetBucket)).to.deep.equal([replicaLogs.outputs.bucket]);
        expect(accessLogBuckets(run)).to.have.length(2);
    });
});
