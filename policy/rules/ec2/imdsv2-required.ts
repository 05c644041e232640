import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readRecord, readString, UNKNOWN } from "../../lib/values";

export const imdsv2Required = defineResourcePolicy({
    name: "imdsv2-required",
    description: "Launch templates and instances require IMDSv2 (metadataOptions.httpTokens \"required\"), so that a server-side request forgery in a pod cannot read the node role's credentials from the metadata service.",
    nist: ["AC-6"],
    anchors: ["SecurityHub:EC2.8", "cdk-nag:NIST.800.53.R5-EC2IMDSv2Enabled"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set metadataOptions { httpTokens: \"required\", httpPutResponseHopLimit: 2 } on the launch template or instance (a hop limit of 2 lets pods that need IMDS reach it through the node).",
    resourceTypes: [T.launchTemplate, T.instance],
    validate(resource, _context, report) {
        const options = readRecord(resource.props.metadataOptions);
        // An instance without metadataOptions that launches from a template takes the template's.
        if (options === undefined && resource.type === T.instance && readRecord(resource.props.launchTemplate) !== undefined) return;
        if (readString(at(options, "httpEndpoint")) === "disabled") return;
        const tokens = readString(at(options, "httpTokens"));
        if (tokens === UNKNOWN || tokens === "required") return;
        // AWS defaults httpTokens to "optional", which still answers IMDSv1.
        report(`metadataOptions.httpTokens is ${tokens ?? "unset (optional)"}, not "required"`);
    },
});
