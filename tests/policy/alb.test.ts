/**
 * The ALB rules, judged on what the stack declares (the load balancer itself is the controller's):
 * the IngressClassParams' listeners, web ACL and access logs, and the ALB Ingresses' sign-in.
 */
import { expect } from "chai";
import { ingressClassParamsSpec, LoadBalancerSettings, uiIngressAnnotations } from "../../lib/alb";
import { allPolicies } from "../../policy/policies";
import { albAccessLogs } from "../../policy/rules/elb/alb-access-logs";
import { albInternetProtected } from "../../policy/rules/elb/alb-internet-protected";
import { albListenerTls } from "../../policy/rules/elb/alb-listener-tls";
import { check, messages, planned, UNKNOWN } from "./helpers";

const PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

const SETTINGS: LoadBalancerSettings = {
    scheme: "internet-facing",
    group: "ops-ui",
    subnetTags: { "kubernetes.io/role/elb": ["1"] },
    inboundCidrs: ["198.51.100.0/24"],
    certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
    webAclArn: "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/ops/1",
    accessLogs: { bucket: "ops-alb-logs", prefix: "ui-alb" },
    namespaces: ["monitoring"],
    deletionProtection: true,
    tags: {},
};

/** IngressClassParams as the program declares them, with the spec changed by `change`. */
const params = (name: string, change: (spec: Record<string, any>) => void = () => undefined, settings: LoadBalancerSettings = SETTINGS) => {
    const spec = structuredClone(ingressClassParamsSpec(settings)) as Record<string, any>;
    change(spec);
    return planned(PARAMS, name, { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams", metadata: { name }, spec });
};
const COGNITO = { type: "cognito" as const, userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x", userPoolClientId: "abc", userPoolDomain: "ops" };
const grafana = (annotations: Record<string, string>) => planned(RELEASE, "grafana", { chart: "./charts/vendor/grafana", values: { ingress: { enabled: true, ingressClassName: "platform-ui", annotations } } });

describe("policy alb-listener-tls", () => {
    it("passes the platform's settings: a certificate, a TLS 1.3/1.2 forward-secret policy, HTTP redirected", () => {
        expect(check(albListenerTls, [params("platform-ui"), params("fs", (s) => { s.sslPolicy = "ELBSecurityPolicy-FS-1-2-Res-2020-10"; })], "prod")).to.deep.equal([]);
    });

    it("fails no certificate, an old or default policy, and no redirect; skips what is unknown", () => {
        const violations = check(albListenerTls, [
            params("bare", (s) => { s.certificateArn = []; }),
            params("old", (s) => { s.sslPolicy = "ELBSecurityPolicy-2016-08"; }),
            params("tls11", (s) => { s.sslPolicy = "ELBSecurityPolicy-TLS-1-1-2017-01"; }),
            params("default", (s) => { delete s.sslPolicy; }),
            params("plain", (s) => { delete s.sslRedirectPort; }),
            params("later", (s) => { s.certificateArn = UNKNOWN; s.sslPolicy = UNKNOWN; s.sslRedirectPort = UNKNOWN; }),
        ], "prod");
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["bare", "IngressClassParams bare: no certificateArn, so its ALB has no HTTPS listener with a certificate"],
            ["old", "IngressClassParams old: sslPolicy ELBSecurityPolicy-2016-08 is not a TLS 1.2+ forward-secret policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -FS-1-2-*)"],
            ["tls11", "IngressClassParams tls11: sslPolicy ELBSecurityPolicy-TLS-1-1-2017-01 is not a TLS 1.2+ forward-secret policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -FS-1-2-*)"],
            ["default", "IngressClassParams default: sslPolicy unset (the controller's default, ELBSecurityPolicy-2016-08, accepts TLS 1.0) is not a TLS 1.2+ forward-secret policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -FS-1-2-*)"],
            ["plain", "IngressClassParams plain: sslRedirectPort is unset, so an HTTP listener would serve requests in clear instead of redirecting them to HTTPS 443"],
        ]);
    });
});

describe("policy alb-internet-protected", () => {
    it("passes an internet-facing ALB with a web ACL whose Ingresses sign users in, and an internal ALB without either", () => {
        expect(check(albInternetProtected, [params("platform-ui"), grafana(uiIngressAnnotations("/api/health", COGNITO))], "prod")).to.deep.equal([]);
        const internal = params("internal", (s) => { delete s.wafv2AclArn; }, { ...SETTINGS, scheme: "internal" });
        expect(check(albInternetProtected, [internal, grafana(uiIngressAnnotations("/api/health"))], "prod")).to.deep.equal([]);
    });

    it("fails an internet-facing ALB without a web ACL, and each ALB Ingress without sign-in, in a chart's values or an Ingress", () => {
        const ingress = planned(INGRESS, "raw", { metadata: { name: "raw", namespace: "apps", annotations: { "alb.ingress.kubernetes.io/group.name": "ops-ui" } } });
        const kiali = planned(RELEASE, "kiali", { chart: "kiali-server", values: { deployment: { ingress: { override_yaml: { metadata: { annotations: uiIngressAnnotations("/kiali/healthz", COGNITO) } } } } } });
        const violations = check(albInternetProtected, [params("open", (s) => { delete s.wafv2AclArn; }), grafana(uiIngressAnnotations("/api/health")), ingress, kiali], "prod");
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["open", "IngressClassParams open: internet-facing without a WAFv2 web ACL (wafv2AclArn)"],
            ["raw", "Ingress raw: an ALB Ingress of a stack with an internet-facing ALB, without sign-in at the load balancer (alb.ingress.kubernetes.io/auth-type is unset, not cognito or oidc)"],
            ["grafana", "grafana values ingress.annotations: an ALB Ingress of a stack with an internet-facing ALB, without sign-in at the load balancer (alb.ingress.kubernetes.io/auth-type is unset, not cognito or oidc)"],
        ]);
        expect(messages(check(albInternetProtected, [params("later", (s) => { s.wafv2AclArn = UNKNOWN; }), grafana({ "alb.ingress.kubernetes.io/auth-type": "none" })], "prod")))
            .to.deep.equal(["grafana values ingress.annotations: an ALB Ingress of a stack with an internet-facing ALB, without sign-in at the load balancer (alb.ingress.kubernetes.io/auth-type is none, not cognito or oidc)"]);
    });
});

describe("policy alb-access-logs", () => {
    it("passes an ALB logging to a bucket", () => {
        expect(check(albAccessLogs, [params("platform-ui")], "prod")).to.deep.equal([]);
    });

    it("fails logs switched off or without a bucket; skips attributes not known yet", () => {
        const violations = check(albAccessLogs, [
            params("off", (s) => { s.loadBalancerAttributes = s.loadBalancerAttributes.map((a: any) => (a.key === "access_logs.s3.enabled" ? { ...a, value: "false" } : a)); }),
            params("nowhere", (s) => { s.loadBalancerAttributes = s.loadBalancerAttributes.filter((a: any) => a.key !== "access_logs.s3.bucket"); }),
            params("none", (s) => { delete s.loadBalancerAttributes; }),
            params("later", (s) => { s.loadBalancerAttributes = UNKNOWN; }),
        ], "prod");
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["off", "IngressClassParams off: access logs are off (access_logs.s3.enabled false, bucket ops-alb-logs)"],
            ["nowhere", "IngressClassParams nowhere: access logs are off (access_logs.s3.enabled true, bucket unset)"],
            ["none", "IngressClassParams none: access logs are off (access_logs.s3.enabled unset, bucket unset)"],
        ]);
    });
});

describe("the ALB rules' anchors", () => {
    it("name the Security Hub and cdk-nag checks each rule enforces", () => {
        const anchors = Object.fromEntries(allPolicies.filter((p) => p.name.startsWith("alb-")).map((p) => [p.name, p.anchors]));
        expect(anchors).to.deep.equal({
            "alb-listener-tls": ["SecurityHub:ELB.1", "cdk-nag:NIST.800.53.R5-ALBHttpToHttpsRedirection", "cdk-nag:NIST.800.53.R5-ELBTlsHttpsListenersOnly"],
            "alb-internet-protected": ["cdk-nag:NIST.800.53.R5-ALBWAFEnabled"],
            "alb-access-logs": ["SecurityHub:ELB.5", "cdk-nag:NIST.800.53.R5-ELBLoggingEnabled"],
        });
    });
});
