import { defineResourcePolicy } from "../../lib/policy";
import { S3_TYPES } from "../../lib/resource-types";
import { at, readList, readNonEmptyString, readRecord, readString, UNKNOWN } from "../../lib/values";

const BUCKET_ACL_TYPES = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
const OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";

export const s3NoAcls = defineResourcePolicy({
    name: "s3-no-acls",
    description: "No bucket grants access through ACLs: access is decided by IAM and bucket policies alone, as AWS does for every new bucket (Object Ownership BucketOwnerEnforced, ACLs disabled). No BucketAcl, no canned ACL or grants on a bucket, no ownership controls that turn ACLs back on.",
    nist: ["AC-3", "AC-6"],
    anchors: ["SecurityHub:S3.12"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Remove aws.s3.BucketAcl resources and the bucket's acl/grants arguments; grant access with IAM or bucket policies. Leave Object Ownership at BucketOwnerEnforced (the default), or declare aws.s3.BucketOwnershipControls with objectOwnership \"BucketOwnerEnforced\".",
    resourceTypes: [...S3_TYPES.buckets, ...BUCKET_ACL_TYPES, OWNERSHIP_CONTROLS],
    validate(resource, _context, report) {
        const { props } = resource;
        if (BUCKET_ACL_TYPES.includes(resource.type)) return report("a BucketAcl manages access with ACLs");
        if (resource.type === OWNERSHIP_CONTROLS) {
            const ownership = readString(at(readRecord(props.rule), "objectOwnership"));
            if (ownership !== UNKNOWN && ownership !== "BucketOwnerEnforced") report(`objectOwnership is ${ownership ?? "unset"}: ACLs stay enabled on the bucket`);
            return;
        }
        const acl = readNonEmptyString(props.acl);
        if (typeof acl === "string" && acl !== "private") report(`the bucket sets the canned ACL "${acl}"`);
        const grants = readList(props.grants);
        if (grants !== UNKNOWN && grants !== undefined && grants.length > 0) report(`the bucket sets ${grants.length} ACL grant(s)`);
    },
});
