import { attribute, ingressClassParams, paramsName } from "../../lib/alb";
import { defineStackPolicy } from "../../lib/policy";
import { UNKNOWN } from "../../lib/values";

export const albAccessLogs = defineStackPolicy({
    name: "alb-access-logs",
    description: "Every ALB the stack's IngressClassParams describe writes access logs to S3 (access_logs.s3.enabled true, with a bucket): each request to the operators' UIs is recorded with its source, time and result.",
    nist: ["AU-2", "AU-3", "AU-12"],
    anchors: ["SecurityHub:ELB.5", "cdk-nag:NIST.800.53.R5-ELBLoggingEnabled"],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the IngressClassParams the loadBalancerAttributes access_logs.s3.enabled=true, access_logs.s3.bucket and access_logs.s3.prefix (lib/alb.ts ingressClassParamsSpec does).",
    validate(resources, _context, report) {
        for (const params of ingressClassParams(resources)) {
            const enabled = attribute(params, "access_logs.s3.enabled");
            const bucket = attribute(params, "access_logs.s3.bucket");
            if (enabled === UNKNOWN || bucket === UNKNOWN) continue;
            if (enabled !== "true" || !bucket) report(`IngressClassParams ${paramsName(params)}: access logs are off (access_logs.s3.enabled ${enabled ?? "unset"}, bucket ${bucket || "unset"})`, params);
        }
    },
});
