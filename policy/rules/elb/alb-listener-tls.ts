import { ingressClassParams, paramsName } from "../../lib/alb";
import { defineStackPolicy } from "../../lib/policy";
import { at, readList, readString, UNKNOWN } from "../../lib/values";

/**
 * ELB security policies that offer TLS 1.2 or newer only, with forward-secret ciphers: the TLS 1.3
 * families (…-TLS13-1-2-…, …-TLS13-1-3-…) and the forward-secrecy TLS 1.2 ones (…-FS-1-2-…).
 * ELBSecurityPolicy-2016-08 (the default), -TLS-1-0-/-1-1- and the non-FS -TLS-1-2- ones are out.
 */
const STRONG_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|FS-1-2-)/;

export const albListenerTls = defineStackPolicy({
    name: "alb-listener-tls",
    description: "Every ALB the AWS Load Balancer Controller creates from the stack's IngressClassParams listens with a certificate, a TLS 1.2+ security policy with forward-secret ciphers, and redirects HTTP to HTTPS: no request or credential crosses the network in clear, and no client negotiates a deprecated protocol.",
    nist: ["SC-8", "SC-13", "SC-23"],
    anchors: ["SecurityHub:ELB.1", "cdk-nag:NIST.800.53.R5-ALBHttpToHttpsRedirection", "cdk-nag:NIST.800.53.R5-ELBTlsHttpsListenersOnly"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the IngressClassParams a certificateArn, sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS13/FS-1-2 policy) and sslRedirectPort \"443\" (lib/alb.ts ingressClassParamsSpec does).",
    validate(resources, _context, report) {
        for (const params of ingressClassParams(resources)) {
            const name = paramsName(params);
            const certificates = readList(at(params.props, "spec", "certificateArn"));
            if (certificates !== UNKNOWN && (certificates ?? []).length === 0) report(`IngressClassParams ${name}: no certificateArn, so its ALB has no HTTPS listener with a certificate`, params);
            const policy = readString(at(params.props, "spec", "sslPolicy"));
            if (policy !== UNKNOWN && (policy === undefined || !STRONG_POLICY.test(policy))) {
                report(`IngressClassParams ${name}: sslPolicy ${policy ?? "unset (the controller's default, ELBSecurityPolicy-2016-08, accepts TLS 1.0)"} is not a TLS 1.2+ forward-secret policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -FS-1-2-*)`, params);
            }
            const redirect = readString(at(params.props, "spec", "sslRedirectPort"));
            if (redirect !== UNKNOWN && redirect !== "443") report(`IngressClassParams ${name}: sslRedirectPort is ${redirect ?? "unset"}, so an HTTP listener would serve requests in clear instead of redirecting them to HTTPS 443`, params);
        }
    },
});
