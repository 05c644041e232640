import { defineResourcePolicy } from "../../lib/policy";
import { at, readRecord, readString, UNKNOWN } from "../../lib/values";

const SSM_DOCUMENT = "aws:ssm/document:Document";

export const ssmDocumentsPrivate = defineResourcePolicy({
    name: "ssm-documents-private",
    description: "No Systems Manager document is shared with every AWS account: a public document shows the commands and settings it holds (Session Manager's preferences among them) to anyone.",
    nist: ["AC-3", "AC-21"],
    anchors: ["SecurityHub:SSM.4"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove permissions from the aws.ssm.Document, or share it with named account ids only (permissions.accountIds without \"All\").",
    resourceTypes: [SSM_DOCUMENT],
    validate(resource, _context, report) {
        const permissions = readRecord(resource.props.permissions);
        if (permissions === undefined || permissions === UNKNOWN) return;
        const accounts = readString(at(permissions, "accountIds"));
        if (typeof accounts === "string" && accounts.split(",").some((id) => id.trim().toLowerCase() === "all")) report("permissions share the document with All accounts: it is public");
    },
});
