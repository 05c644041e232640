import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { readFlag, readNonEmptyString, readNumber, readString, UNKNOWN } from "../../lib/values";

/** Prod keeps a scheduled key deletion cancellable for AWS's maximum, and default, window. */
const PROD_MINIMUM_DELETION_WINDOW_DAYS = 30;

/** AWS rotates only symmetric encryption keys in its own key store. */
function canRotate(props: Readonly<Record<string, unknown>>): boolean {
    const spec = readString(props.customerMasterKeySpec);
    const usage = readString(props.keyUsage);
    const customStore = readNonEmptyString(props.customKeyStoreId);
    return (spec === undefined || spec === UNKNOWN || spec === "SYMMETRIC_DEFAULT")
        && (usage === undefined || usage === UNKNOWN || usage === "ENCRYPT_DECRYPT")
        && customStore === undefined;
}

export const kmsKeyRotation = defineResourcePolicy({
    name: "kms-key-rotation",
    description: `Customer-managed KMS keys rotate their key material automatically; in prod a scheduled deletion waits at least ${PROD_MINIMUM_DELETION_WINDOW_DAYS} days, so a mistaken deletion can be cancelled before data becomes unreadable.`,
    nist: ["SC-12"],
    anchors: ["SecurityHub:KMS.4", "cdk-nag:NIST.800.53.R5-KMSBackingKeyRotationEnabled"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: `Set enableKeyRotation true on every aws.kms.Key, and in prod deletionWindowInDays ${PROD_MINIMUM_DELETION_WINDOW_DAYS} (security.kmsDeletionWindowDays).`,
    resourceTypes: [T.kmsKey],
    validate(resource, { environment }, report) {
        const { props } = resource;
        if (canRotate(props)) {
            const rotation = readFlag(props.enableKeyRotation);
            if (rotation === false || rotation === undefined) report("enableKeyRotation is not true");
        }
        if (environment === "prod") {
            // Unset, AWS waits 30 days.
            const window = readNumber(props.deletionWindowInDays);
            if (typeof window === "number" && window < PROD_MINIMUM_DELETION_WINDOW_DAYS) {
                report(`prod: deletionWindowInDays is ${window}, below ${PROD_MINIMUM_DELETION_WINDOW_DAYS}`);
            }
        }
    },
});
