import { ALB_ANNOTATION, albIngresses, ingressClassParams, paramsName } from "../../lib/alb";
import { defineStackPolicy } from "../../lib/policy";
import { at, readString, UNKNOWN } from "../../lib/values";

const SIGN_IN = ["cognito", "oidc"];

export const albInternetProtected = defineStackPolicy({
    name: "alb-internet-protected",
    description: "An internet-facing ALB (IngressClassParams scheme internet-facing) has a WAFv2 web ACL in front of it, and every ALB Ingress the stack declares, as an Ingress or through a chart's ingress values, makes the ALB sign users in (auth-type cognito or oidc) before a request reaches an application.",
    nist: ["SC-7", "AC-3", "IA-2", "SI-4"],
    anchors: ["cdk-nag:NIST.800.53.R5-ALBWAFEnabled"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set ui.webAcl true and ui.signIn to cognito or oidc (config/schema.ts refuses internet exposure without them), or keep ui.exposure internal.",
    validate(resources, _context, report) {
        const internet = ingressClassParams(resources).filter((p) => readString(at(p.props, "spec", "scheme")) === "internet-facing");
        for (const params of internet) {
            const acl = readString(at(params.props, "spec", "wafv2AclArn"));
            const aclName = readString(at(params.props, "spec", "wafv2AclName"));
            if (acl !== UNKNOWN && aclName !== UNKNOWN && !acl && !aclName) report(`IngressClassParams ${paramsName(params)}: internet-facing without a WAFv2 web ACL (wafv2AclArn)`, params);
        }
        if (internet.length === 0) return;
        for (const ingress of albIngresses(resources)) {
            const type = readString(ingress.annotations[`${ALB_ANNOTATION}auth-type`]);
            if (type === UNKNOWN) continue;
            if (!type || !SIGN_IN.includes(type)) report(`${ingress.where}: an ALB Ingress of a stack with an internet-facing ALB, without sign-in at the load balancer (${ALB_ANNOTATION}auth-type is ${type ?? "unset"}, not cognito or oidc)`, ingress.resource);
        }
    },
});
