/**
 * The UIs' front door: the AWS Load Balancer Controller (its IAM policy, its webhook's certificate),
 * the ALB it makes from the platform's IngressClassParams, the UIs' rendered Ingresses, the web ACL,
 * the access logs, sign-in, and the ui config that drives them.
 */
import { expect } from "chai";
import { sortedJson } from "../lib/json";
import { ALB_CONTROLLER_NAMESPACE, ALB_WEBHOOK_SECRET, ALB_WEBHOOK_SERVICE, MANAGED_RULE_GROUPS, webhookDnsNames } from "../components/edge";
import { CHARTS } from "../components/helm/catalog";
import { stackWorkloads } from "../components/helm/workloads";
import { StackRun } from "../engine/run";
import { PlannedResource } from "../engine/types";
import { ALB_CONTROLLER_POLICY_SOURCE, ALB_TLS_POLICY, albControllerPolicy, CONTROLLER_CLUSTER_TAG, grafanaRoleExpression, UI_INGRESS_CLASS } from "../lib/alb";
import published from "../lib/data/alb-controller-iam-policy.json";
import { readLock } from "../lib/helm/vendor";
import { Manifest } from "../lib/helm/render";
import { missingSecrets } from "../platform";
import { estimateCost } from "../planner/cost";
import { loadPriceTable } from "../planner/pricing";
import { renderPlan } from "../planner/render";
import { rejectionOf } from "./support/config";
import { renderedConfigs } from "./support/configs";
import YAML from "yaml";
import { checkConfig, configKeys, describeProblems } from "../lib/config-keys";
import { signInClientData } from "../components/edge";
import { headlampOidcEnvironment } from "../components/operations/headlamp";
import { evaluatePolicies, loadPackConfig } from "../policy/evaluate";
import { ofType, planOf, single, stack, stackWith } from "./support/stacks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PARAMS = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";

/** Every manifest a stack's releases render, with the release that renders it. */
const rendered = (run: StackRun): { release: string; m: Manifest }[] =>
    [...stackWorkloads(run.resources).renders.values()].flatMap(({ request, rendered: r }) => r.manifests.map((m) => ({ release: request.name, m: { ...m, metadata: { ...m.metadata, namespace: m.metadata.namespace ?? request.namespace } } })));
const ingresses = (run: StackRun) => rendered(run).filter(({ m }) => m.kind === "Ingress").map(({ m }) => m);
const controller = (run: StackRun): PlannedResource => ofType(run, RELEASE).find((r) => r.inputs.name === "aws-load-balancer-controller")!;

describe("the UIs' front door: the AWS Load Balancer Controller and one ALB", () => {
    describe("the controller's IAM policy", () => {
        it("is upstream's published policy for the chart's app version, with provenance down to the commit", () => {
            const lock = readLock().charts.find((c) => c.chart === CHARTS.awsLoadBalancerController.chart)!;
            expect(ALB_CONTROLLER_POLICY_SOURCE).to.deep.include({ repository: "https://github.com/kubernetes-sigs/aws-load-balancer-controller", tag: lock.appVersion, file: "docs/install/iam_policy.json" });
            expect(ALB_CONTROLLER_POLICY_SOURCE.commit).to.match(/^[0-9a-f]{40}$/);
            expect(ALB_CONTROLLER_POLICY_SOURCE.sha256).to.match(/^[0-9a-f]{64}$/);
        });

        it("narrows every tag condition to this cluster's name, and changes nothing else", () => {
            const policy = JSON.parse(albControllerPolicy("nist-eks-prod"));
            const upstream = published.policy.Statement as any[];
            expect(policy.Statement).to.have.length(upstream.length);
            let narrowed = 0;
            policy.Statement.forEach((s: any, i: number) => {
                const u = upstream[i];
                expect([s.Effect, s.Action, s.Resource]).to.deep.equal([u.Effect, u.Action, u.Resource]);
                const tagged = Object.entries(u.Condition?.Null ?? {}).filter(([key, value]) => key.endsWith(`/${CONTROLLER_CLUSTER_TAG}`) && value === "false").map(([key]) => key);
                // Upstream's conditions stay as they are; each "carries the cluster tag" gains "with this cluster's name".
                const expected = u.Condition === undefined ? undefined : { ...u.Condition, ...(tagged.length > 0 ? { StringEquals: { ...u.Condition.StringEquals, ...Object.fromEntries(tagged.map((key) => [key, "nist-eks-prod"])) } } : {}) };
                expect(s.Condition, `statement ${i}`).to.deep.equal(expected);
                narrowed += tagged.length;
            });
            // Creating load balancers, target groups and security groups (and tagging them at creation), and changing, retagging or deleting them.
            expect(narrowed).to.equal(7);
            // Mutations without a tag condition are upstream's own (listeners and rules, targets, WAF and certificates on listeners).
            const mutatingUnconditioned = policy.Statement.filter((s: any) => !s.Condition && [s.Action].flat().some((a: string) => /:(Create|Delete|Modify|Set|Add|Remove|Register|Deregister|Authorize|Revoke)/.test(a)));
            expect(mutatingUnconditioned).to.deep.equal(upstream.filter((u) => !u.Condition && [u.Action].flat().some((a: string) => /:(Create|Delete|Modify|Set|Add|Remove|Register|Deregister|Authorize|Revoke)/.test(a))));
        });

        it("is the policy the controller's IRSA role carries, trusted by its service account alone", async () => {
            const prod = await stack("prod");
            expect(JSON.parse(single(prod, "aws:iam/rolePolicy:RolePolicy", "aws-load-balancer-controller-irsa-policy").inputs.policy)).to.deep.equal(JSON.parse(albControllerPolicy("nist-eks-prod")));
            const trust = JSON.parse(single(prod, "aws:iam/role:Role", "aws-load-balancer-controller-irsa-role").inputs.assumeRolePolicy);
            expect(Object.values(trust.Statement[0].Condition.StringEquals)).to.include("system:serviceaccount:aws-load-balancer-controller:aws-load-balancer-controller");
        });
    });

    describe("the controller's release", () => {
        it("names its cluster, region and VPC, uses IRSA, keeps the stack's webhook certificate, and declares no class or Service webhook of its own", async () => {
            const prod = await stack("prod");
            const values = controller(prod).inputs.values;
            expect(values).to.deep.include({ clusterName: "nist-eks-prod", region: "us-east-1", replicaCount: 1, keepTLSSecret: true, createIngressClassResource: false, ingressClassParams: { create: false }, enableServiceMutatorWebhook: false });
            expect(values.vpcId).to.match(/^vpc-/);
            expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).to.match(/^arn:aws:iam::\d{12}:role\/aws-load-balancer-controller-irsa-role/);
            // No certificate or key in the values: nothing changes between renders, and no key is in the release's values.
            expect(values).to.not.have.property("webhookTLS");
            expect(JSON.stringify(values)).to.not.match(/BEGIN/);
        });

        it("serves its webhooks from the Service and Secret the stack's certificate names", async () => {
            const prod = await stack("prod");
            const manifests = rendered(prod).filter(({ release }) => release === "aws-load-balancer-controller").map(({ m }) => m);
            const hooks = manifests.filter((m) => /WebhookConfiguration$/.test(m.kind)).flatMap((m) => m.webhooks.map((w: any) => w.clientConfig.service));
            expect(hooks.length).to.be.greaterThan(3);
            expect(new Set(hooks.map((s: any) => `${s.namespace}/${s.name}`))).to.deep.equal(new Set([`${ALB_CONTROLLER_NAMESPACE}/${ALB_WEBHOOK_SERVICE}`]));
            expect(manifests.filter((m) => m.kind === "Service").map((m) => m.metadata.name)).to.include(ALB_WEBHOOK_SERVICE);
            expect(manifests.filter((m) => m.kind === "Secret").map((m) => m.metadata.name)).to.deep.equal([ALB_WEBHOOK_SECRET]);
            // The Secret the chart keeps (keepTLSSecret), written first, labelled for Helm to adopt; its certificate names the Service.
            const secret = single(prod, "kubernetes:core/v1:Secret", "-edge-webhook-tls").inputs;
            expect(secret.metadata).to.deep.equal({
                name: ALB_WEBHOOK_SECRET,
                namespace: ALB_CONTROLLER_NAMESPACE,
                labels: { "app.kubernetes.io/managed-by": "Helm" },
                annotations: { "meta.helm.sh/release-name": "aws-load-balancer-controller", "meta.helm.sh/release-namespace": ALB_CONTROLLER_NAMESPACE },
            });
            expect(secret.type).to.equal("kubernetes.io/tls");
            expect(single(prod, "tls:index/certRequest:CertRequest", "-edge-webhook").inputs.dnsNames).to.deep.equal(webhookDnsNames(ALB_CONTROLLER_NAMESPACE));
            expect(webhookDnsNames(ALB_CONTROLLER_NAMESPACE)).to.include(`${ALB_WEBHOOK_SERVICE}.${ALB_CONTROLLER_NAMESPACE}.svc`);
            const cert = single(prod, "tls:index/locallySignedCert:LocallySignedCert", "-edge-webhook").inputs;
            expect([cert.validityPeriodHours, cert.earlyRenewalHours, cert.allowedUses]).to.deep.equal([26280, 2160, ["server_auth", "digital_signature", "key_encipherment"]]);
        });

        it("is reachable by the API server on its webhook port under the generated policies, from the VPC alone", async () => {
            const prod = await stack("prod");
            // One policy holds every rule for the webhook Service's pods (its probes' too): the webhook's is one of them.
            const webhook = { from: [{ ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ protocol: "TCP", port: "webhook-server" }] };
            const allow = ofType(prod, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((p) => p.inputs.metadata.namespace === ALB_CONTROLLER_NAMESPACE && (p.inputs.spec.ingress ?? []).some((r: unknown) => sortedJson(r) === sortedJson(webhook)));
            expect(allow.map((p) => p.inputs.spec.podSelector), `the pods behind ${ALB_WEBHOOK_SERVICE}`).to.have.length(1);
        });
    });

    describe("the ALB: one IngressClassParams for the four UIs", () => {
        const spec = (run: StackRun) => single(run, PARAMS).inputs.spec;

        it("prod: internal, in the private subnets, TLS 1.3/1.2 with HTTP redirected, its web ACL and access logs, the UIs' namespaces only", async () => {
            const prod = await stack("prod");
            const s = spec(prod);
            const acl = single(prod, "aws:wafv2/webAcl:WebAcl");
            const bucket = single(prod, "aws:s3/bucket:Bucket", "ui-alb-access-logs");
            const certificate = single(prod, "aws:acm/certificateValidation:CertificateValidation");
            expect(s).to.deep.equal({
                group: { name: "nist-eks-prod-ui" },
                scheme: "internal",
                targetType: "ip",
                ipAddressType: "ipv4",
                subnets: { tags: { "kubernetes.io/role/internal-elb": ["1"], "kubernetes.io/cluster/nist-eks-prod": ["shared"] } },
                // No allow-list in prod's file: the VPC alone (the bastion's tunnel, networks routed into it).
                inboundCIDRs: ["10.0.0.0/16"],
                certificateArn: [certificate.inputs.certificateArn],
                sslPolicy: ALB_TLS_POLICY,
                sslRedirectPort: "443",
                wafv2AclArn: s.wafv2AclArn,
                namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["headlamp", "kubecost", "monitoring"] }] },
                loadBalancerAttributes: [
                    { key: "access_logs.s3.enabled", value: "true" },
                    { key: "access_logs.s3.bucket", value: bucket.inputs.bucket ?? s.loadBalancerAttributes[1].value },
                    { key: "access_logs.s3.prefix", value: "ui-alb" },
                    { key: "routing.http.drop_invalid_header_fields.enabled", value: "true" },
                    { key: "routing.http.desync_mitigation_mode", value: "strictest" },
                    { key: "deletion_protection.enabled", value: "true" },
                ],
                tags: s.tags,
            });
            expect(s.wafv2AclArn).to.match(/^arn:aws:wafv2:us-east-1:\d{12}:regional\/webacl\//);
            expect(acl.inputs.scope).to.equal("REGIONAL");
            expect(s.loadBalancerAttributes[1].value).to.match(/^ui-alb-access-logs/);
            expect(s.tags).to.deep.include({ key: "Environment", value: "prod" });
        });

        it("dev: internet-facing, in the public subnets, from the allow-list alone", async () => {
            const s = spec(await stack("dev"));
            expect([s.scheme, s.subnets, s.inboundCIDRs]).to.deep.equal(["internet-facing", { tags: { "kubernetes.io/role/elb": ["1"], "kubernetes.io/cluster/nist-eks-dev": ["shared"] } }, ["203.0.113.0/24"]]);
            expect(s.loadBalancerAttributes.find((a: any) => a.key === "deletion_protection.enabled").value).to.equal("false");
        });

        it("the certificate is requested for the domain and validated in the zone by the record ACM asks for", async () => {
            const dev = await stack("dev");
            const cert = single(dev, "aws:acm/certificate:Certificate");
            const record = single(dev, "aws:route53/record:Record", "-certificate-validation");
            expect(cert.inputs).to.deep.include({ domainName: "*.nist-eks-dev.example.com", validationMethod: "DNS" });
            expect(record.inputs).to.deep.include({ zoneId: "Z0123456789EXAMPLEZONE", type: "CNAME" });
            expect(record.inputs.name).to.match(/\.nist-eks-dev\.example\.com\.$/);
            expect(single(dev, "aws:acm/certificateValidation:CertificateValidation").inputs.validationRecordFqdns).to.deep.equal([record.inputs.name.replace(/\.$/, "")]);
        });

        it("the web ACL runs AWS's managed rule groups, and logs to its own encrypted log group", async () => {
            const dev = await stack("dev");
            const acl = single(dev, "aws:wafv2/webAcl:WebAcl").inputs;
            expect(acl.defaultAction).to.deep.equal({ allow: {} });
            expect(acl.rules.map((r: any) => [r.priority, r.statement.managedRuleGroupStatement, r.overrideAction])).to.deep.equal(
                MANAGED_RULE_GROUPS.map((name, i) => [i, { vendorName: "AWS", name }, { none: {} }]));
            expect(MANAGED_RULE_GROUPS).to.include.members(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]);
            const group = single(dev, "aws:cloudwatch/logGroup:LogGroup", "-edge-waf-logs").inputs;
            expect(group.name).to.equal("aws-waf-logs-nist-eks-dev-ui");
            expect(group.kmsKeyId).to.match(/^arn:aws:kms:/);
            expect(single(dev, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs.logDestinationConfigs).to.deep.equal([`arn:aws:logs:us-east-1:123456789012:log-group:${group.name}`]);
        });

        it("the access-log bucket: SSE-S3 (what ALB log delivery requires), private, TLS only, written by the region's ELB account under the ALB's prefix alone", async () => {
            const dev = await stack("dev");
            expect(single(dev, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "ui-alb-access-logs-sse").inputs.rules).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
            const policy = JSON.parse(single(dev, "aws:s3/bucketPolicy:BucketPolicy", "ui-alb-access-logs-policy").inputs.policy);
            const bucket = single(dev, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.bucket;
            expect(policy.Statement).to.deep.equal([
                { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                { Sid: "ElbLogDelivery", Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/ui-alb/AWSLogs/123456789012/*` },
            ]);
            expect(single(dev, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "ui-alb-access-logs-public-access").inputs).to.deep.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        });
    });

    describe("the UIs' Ingresses, as their charts render them", () => {
        it("prod: Grafana, Kiali, Headlamp and Kubecost, each on its host under the domain, on the platform's class, HTTPS listeners, no sign-in at the ALB (internal)", async () => {
            const prod = await stack("prod");
            const found = ingresses(prod).map((m) => [m.metadata.namespace, m.spec.ingressClassName, m.spec.rules.map((r: any) => r.host).join(), m.metadata.annotations!["alb.ingress.kubernetes.io/listen-ports"], m.metadata.annotations!["alb.ingress.kubernetes.io/auth-type"]]).sort();
            expect(found).to.deep.equal([
                ["headlamp", UI_INGRESS_CLASS, "headlamp.nist-eks-prod.example.com", '[{"HTTP":80},{"HTTPS":443}]', undefined],
                ["kubecost", UI_INGRESS_CLASS, "kubecost.nist-eks-prod.example.com", '[{"HTTP":80},{"HTTPS":443}]', undefined],
                ["monitoring", UI_INGRESS_CLASS, "grafana.nist-eks-prod.example.com", '[{"HTTP":80},{"HTTPS":443}]', undefined],
                ["monitoring", UI_INGRESS_CLASS, "kiali.nist-eks-prod.example.com", '[{"HTTP":80},{"HTTPS":443}]', undefined],
            ]);
            // Kiali under its web root, the others at /; health checks that accept a login redirect.
            expect(ingresses(prod).map((m) => [m.spec.rules[0].http.paths[0].path, m.metadata.annotations!["alb.ingress.kubernetes.io/healthcheck-path"], m.metadata.annotations!["alb.ingress.kubernetes.io/success-codes"]]).sort())
                .to.deep.equal([["/", "/", "200-399"], ["/", "/", "200-399"], ["/", "/api/health", "200-399"], ["/kiali", "/kiali/healthz", "200-399"]]);
            // Grafana and Kiali build their links for the address operators open.
            const grafana = ofType(prod, RELEASE).find((r) => r.inputs.name.endsWith("-grafana"))!;
            expect(grafana.inputs.values["grafana.ini"].server.root_url).to.equal(prod.config.observability.grafana.url);
            const kiali = ofType(prod, RELEASE).find((r) => r.inputs.name.endsWith("-kiali"))!;
            expect(kiali.inputs.values.server).to.deep.equal({ web_fqdn: "kiali.nist-eks-prod.example.com", web_schema: "https", web_port: "443" });
            expect(prod.outputs.uiUrls).to.deep.equal({ grafana: "https://grafana.nist-eks-prod.example.com/", kiali: "https://kiali.nist-eks-prod.example.com/", headlamp: "https://headlamp.nist-eks-prod.example.com/", kubecost: "https://kubecost.nist-eks-prod.example.com/" });
        });

        it("dev: Grafana behind Cognito sign-in at the ALB, with the pool, client and domain the stack creates", async () => {
            const dev = await stack("dev");
            const [grafana] = ingresses(dev);
            expect(ingresses(dev)).to.have.length(1);
            const pool = single(dev, "aws:cognito/userPool:UserPool");
            const client = single(dev, "aws:cognito/userPoolClient:UserPoolClient");
            const domain = single(dev, "aws:cognito/userPoolDomain:UserPoolDomain");
            const a = grafana.metadata.annotations!;
            expect([a["alb.ingress.kubernetes.io/auth-type"], a["alb.ingress.kubernetes.io/auth-on-unauthenticated-request"], a["alb.ingress.kubernetes.io/auth-scope"]]).to.deep.equal(["cognito", "authenticate", "openid email profile"]);
            const idp = JSON.parse(a["alb.ingress.kubernetes.io/auth-idp-cognito"]);
            expect(idp.userPoolARN).to.match(/^arn:aws:cognito-idp:us-east-1:\d{12}:userpool\//);
            expect(idp.userPoolDomain).to.equal(domain.inputs.domain);
            expect(idp.userPoolClientID).to.be.a("string").and.not.equal("");
            // Users are created by administrators only, with MFA; the client may return only to the UIs' hosts.
            expect(pool.inputs).to.deep.include({ mfaConfiguration: "ON", adminCreateUserConfig: { allowAdminCreateUserOnly: true } });
            expect(client.inputs.callbackUrls).to.deep.equal([
                ...["grafana", "kiali", "headlamp", "kubecost"].map((ui) => `https://${ui}.nist-eks-dev.example.com/oauth2/idpresponse`),
                // The UIs' own sign-in with the same client: Grafana's generic OAuth, Kiali's web root, Headlamp's callback.
                "https://grafana.nist-eks-dev.example.com/login/generic_oauth",
                "https://kiali.nist-eks-dev.example.com/kiali",
                "https://headlamp.nist-eks-dev.example.com/oidc-callback",
            ]);
            // The same three, as the output an existing provider's client is registered from.
            expect(dev.outputs.uiCallbackUrls).to.deep.equal(client.inputs.callbackUrls.slice(4));
            expect(ofType(dev, "aws:cognito/userGroup:UserGroup").map((g) => g.inputs.name).sort()).to.deep.equal(["platform-admins", "platform-editors", "platform-viewers"]);
        });

        it("dev: Grafana signs users in with the same pool, its groups giving the role; a user in no role group is refused", async () => {
            const dev = await stack("dev");
            const grafana = ofType(dev, RELEASE).find((r) => r.inputs.name.endsWith("-grafana"))!.inputs.values;
            const domain = single(dev, "aws:cognito/userPoolDomain:UserPoolDomain").inputs.domain;
            const cognito = (path: string) => `https://${domain}.auth.us-east-1.amazoncognito.com/oauth2/${path}`;
            expect(grafana["grafana.ini"]["auth.generic_oauth"]).to.deep.equal({
                enabled: true,
                name: "Cognito",
                client_id: single(dev, "aws:cognito/userPoolClient:UserPoolClient").outputs.id,
                scopes: "openid email profile",
                auth_url: cognito("authorize"),
                token_url: cognito("token"),
                api_url: cognito("userInfo"),
                use_pkce: true,
                allow_sign_up: true,
                auto_login: true,
                login_attribute_path: "email",
                email_attribute_path: "email",
                role_attribute_path: "(contains(\"cognito:groups\"[*], 'platform-admins')) && 'Admin' || (contains(\"cognito:groups\"[*], 'platform-editors')) && 'Editor' || (contains(\"cognito:groups\"[*], 'platform-viewers')) && 'Viewer'",
                role_attribute_strict: true,
            });
            expect(grafana.envValueFrom).to.deep.equal({ GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET: { secretKeyRef: { name: "ui-oidc-client", key: "clientSecret" } } });
            const secret = ofType(dev, "kubernetes:core/v1:Secret").find((x) => x.inputs.metadata.name === "ui-oidc-client")!;
            expect([secret.inputs.metadata.namespace, secret.inputs.stringData]).to.deep.equal(["monitoring", "[secret]"]);
            // Made after its namespace (Observability creates it after the front door), and Grafana starts after it.
            const monitoring = ofType(dev, "kubernetes:core/v1:Namespace").find((n) => n.inputs.metadata.name === "monitoring")!;
            expect(secret.dependencies).to.include(monitoring.urn);
            expect(ofType(dev, RELEASE).find((r) => r.inputs.name.endsWith("-grafana"))!.dependencies).to.include(secret.urn);
            // Prod's ALB signs nobody in (internal): Grafana keeps its own login alone.
            const prodGrafana = ofType(await stack("prod"), RELEASE).find((r) => r.inputs.name.endsWith("-grafana"))!.inputs.values;
            expect(prodGrafana["grafana.ini"]).to.not.have.property("auth.generic_oauth");
        });

        it("maps groups to Grafana's roles by the first role that lists one, quoting the claim and the names", () => {
            expect(grafanaRoleExpression({ groupsClaim: "groups", admin: ["ops", "o'neil"], editor: [], viewer: ["all"] }))
                .to.equal("(contains(\"groups\"[*], 'ops') || contains(\"groups\"[*], 'o\\'neil')) && 'Admin' || (contains(\"groups\"[*], 'all')) && 'Viewer'");
            expect(grafanaRoleExpression({ groupsClaim: "groups", admin: [], editor: [], viewer: [] })).to.equal("null");
        });

        it("an existing OIDC provider: its endpoints on each Ingress, the client secret in a Secret beside it, from the Pulumi secret", async () => {
            const run = await stackWith("prod", (c) => {
                c.ui.exposure = "internet";
                c.ui.allowedCidrs = ["198.51.100.0/24"];
                c.ui.certificate = { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" };
                c.ui.signIn = { type: "oidc", issuer: "https://login.example.com", authorizationEndpoint: "https://login.example.com/authorize", tokenEndpoint: "https://login.example.com/token", userInfoEndpoint: "https://login.example.com/userinfo", clientId: "platform-ui" };
                c.ui.roles = { groupsClaim: "groups", viewer: ["ops-viewers"], editor: [], admin: ["ops-admins"], adminScope: "cluster" };
                c.uiOidcClientSecret = "offline-stand-in";
            });
            for (const m of ingresses(run)) {
                expect(JSON.parse(m.metadata.annotations!["alb.ingress.kubernetes.io/auth-idp-oidc"]), m.metadata.name).to.deep.equal({
                    issuer: "https://login.example.com", authorizationEndpoint: "https://login.example.com/authorize", tokenEndpoint: "https://login.example.com/token", userInfoEndpoint: "https://login.example.com/userinfo", secretName: "ui-oidc-client",
                });
            }
            const secrets = ofType(run, "kubernetes:core/v1:Secret").filter((s) => s.inputs.metadata.name === "ui-oidc-client");
            expect(secrets.map((s) => s.inputs.metadata.namespace).sort()).to.deep.equal(["headlamp", "kubecost", "monitoring"]);
            // The Secret's data is a Pulumi secret as a whole: it holds the client secret.
            expect(secrets.map((x) => x.inputs.stringData)).to.deep.equal(["[secret]", "[secret]", "[secret]"]);
            // The given certificate, no ACM request; the ALB in the public subnets, from the allow-list alone.
            expect(ofType(run, "aws:acm/certificate:Certificate")).to.deep.equal([]);
            expect(single(run, PARAMS).inputs.spec).to.deep.include({ scheme: "internet-facing", inboundCIDRs: ["198.51.100.0/24"], certificateArn: ["arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"] });
            // Grafana signs in with the same provider, the client's secret from the same Secret.
            const oauth = ofType(run, RELEASE).find((r) => r.inputs.name.endsWith("-grafana"))!.inputs.values["grafana.ini"]["auth.generic_oauth"];
            expect([oauth.name, oauth.client_id, oauth.auth_url, oauth.token_url, oauth.api_url, oauth.role_attribute_path])
                .to.deep.equal(["Single sign-on", "platform-ui", "https://login.example.com/authorize", "https://login.example.com/token", "https://login.example.com/userinfo", "(contains(\"groups\"[*], 'ops-admins')) && 'Admin' || (contains(\"groups\"[*], 'ops-viewers')) && 'Viewer'"]);
            expect(missingSecrets(run.config, {})).to.deep.equal(["uiOidcClientSecret: not set; allowed: the OIDC client's secret as a Pulumi secret (pulumi config set --secret uiOidcClientSecret <secret>) when ui.signIn.type is oidc"]);
        });

        it("none: no controller, no ALB, no Ingress; the UIs stay port-forward only", async () => {
            const run = await stackWith("dev", (c) => { c.ui.exposure = "none"; });
            expect([controller(run), ofType(run, PARAMS), ingresses(run), run.outputs.uiUrls]).to.deep.equal([undefined, [], [], undefined]);
            expect(ofType(run, RELEASE).find((r) => r.inputs.name.endsWith("-grafana"))!.inputs.values.ingress).to.equal(undefined);
        });
    });

    describe("one identity inside: the cluster trusts the ALB's identity provider", () => {
        const IDP = "aws:eks/identityProviderConfig:IdentityProviderConfig";
        const bindingsOf = (run: StackRun) => [
            ...ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"),
            ...ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"),
        ].filter((b) => b.inputs.metadata.name.startsWith("ui-")).map((b) => ({ name: b.inputs.metadata.name, namespace: b.inputs.metadata.namespace, role: b.inputs.roleRef.name, groups: b.inputs.subjects.map((x: any) => `${x.kind}:${x.name}`) }))
            .sort((a, b) => `${a.name}/${a.namespace}`.localeCompare(`${b.name}/${b.namespace}`));
        const oidcProd = () => stackWith("prod", (c) => {
            c.ui.exposure = "internet";
            c.ui.allowedCidrs = ["198.51.100.0/24"];
            c.ui.signIn = { type: "oidc", issuer: "https://login.example.com", authorizationEndpoint: "https://login.example.com/authorize", tokenEndpoint: "https://login.example.com/token", userInfoEndpoint: "https://login.example.com/userinfo", clientId: "platform-ui" };
            c.ui.roles = { groupsClaim: "groups", viewer: ["ops-viewers"], editor: [], admin: ["ops-admins"], adminScope: "cluster" };
            c.uiOidcClientSecret = "offline-stand-in";
        });

        it("dev: EKS accepts the Cognito pool's ID tokens for the ALB's client, names and groups prefixed apart from the system's", async () => {
            const dev = await stack("dev");
            const pool = single(dev, "aws:cognito/userPool:UserPool");
            const client = single(dev, "aws:cognito/userPoolClient:UserPoolClient");
            const idp = single(dev, IDP);
            expect(idp.inputs).to.deep.equal({
                clusterName: "nist-eks-dev",
                oidc: {
                    identityProviderConfigName: "ui-sign-in",
                    issuerUrl: `https://cognito-idp.us-east-1.amazonaws.com/${pool.outputs.id}`,
                    clientId: client.outputs.id,
                    groupsClaim: "cognito:groups",
                    groupsPrefix: "oidc:",
                    usernameClaim: "email",
                    usernamePrefix: "oidc:",
                },
            });
            expect(idp.parent).to.match(/platform:cluster:Cluster::nist-eks-dev$/);
            // EKS takes one OIDC provider per cluster, and any change to it replaces it: the old one goes first.
            expect(idp.deleteBeforeReplace).to.equal(true);
        });

        it("an existing OIDC provider: its issuer and client; prod's internal ALB without sign-in trusts no provider", async () => {
            expect(single(await oidcProd(), IDP).inputs.oidc).to.deep.equal({
                identityProviderConfigName: "ui-sign-in", issuerUrl: "https://login.example.com", clientId: "platform-ui", groupsClaim: "groups", groupsPrefix: "oidc:", usernameClaim: "email", usernamePrefix: "oidc:",
            });
            const prod = await stack("prod");
            expect(ofType(prod, IDP)).to.deep.equal([]);
            expect(bindingsOf(prod)).to.deep.equal([]);
        });

        it("dev: every role reads (view, no Secrets), editors scale and restart, admins administer the UIs' namespaces alone", async () => {
            const dev = await stack("dev");
            const readers = ["Group:oidc:platform-viewers", "Group:oidc:platform-editors", "Group:oidc:platform-admins"];
            const uiNamespaces = ["monitoring", "headlamp", "kubecost"].filter((ns) => ofType(dev, "kubernetes:core/v1:Namespace").some((n) => n.inputs.metadata.name === ns)).sort();
            expect(uiNamespaces).to.include("monitoring");
            expect(bindingsOf(dev)).to.deep.equal([
                ...uiNamespaces.map((namespace) => ({ name: "ui-admins-admin", namespace, role: "admin", groups: ["Group:oidc:platform-admins"] })),
                { name: "ui-editors-operator", namespace: undefined, role: "platform-ui-operator", groups: ["Group:oidc:platform-editors", "Group:oidc:platform-admins"] },
                { name: "ui-viewers-reader", namespace: undefined, role: "platform-ui-reader", groups: readers },
                { name: "ui-viewers-view", namespace: undefined, role: "view", groups: readers },
            ]);
        });

        it("the platform's roles: the reader only reads what view leaves out, the operator only scales and restarts, neither touches a Secret", async () => {
            const roles = ofType(await stack("dev"), "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").filter((r) => r.inputs.metadata.name.startsWith("platform-ui-"));
            const read = ["get", "list", "watch"];
            expect(Object.fromEntries(roles.map((r) => [r.inputs.metadata.name, r.inputs.rules]))).to.deep.equal({
                "platform-ui-reader": [
                    { apiGroups: [""], resources: ["nodes", "persistentvolumes"], verbs: read },
                    { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: read },
                    { apiGroups: ["networking.k8s.io"], resources: ["ingressclasses"], verbs: read },
                    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: read },
                    { apiGroups: ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io", "gateway.networking.k8s.io"], resources: ["*"], verbs: read },
                ],
                "platform-ui-operator": [
                    { apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale", "replicasets/scale"], verbs: ["get", "update", "patch"] },
                    { apiGroups: [""], resources: ["pods"], verbs: ["delete"] },
                    { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
                ],
            });
        });

        const cognitoProd = () => stackWith("prod", (c) => {
            c.ui.exposure = "internet";
            c.ui.allowedCidrs = ["198.51.100.0/24"];
            c.ui.signIn = { type: "cognito" };
            c.ui.roles = { groupsClaim: "cognito:groups", viewer: ["ops-viewers"], editor: ["ops-editors"], admin: ["ops-admins"], adminScope: "namespaces" };
        });
        const kialiConfig = (run: StackRun) => YAML.parse(rendered(run).find(({ release, m }) => release.endsWith("-kiali") && m.kind === "ConfigMap" && m.metadata.name === "kiali")!.m.data!["config.yaml"]);
        const kialiSecretVolume = (run: StackRun) => (rendered(run).find(({ release, m }) => release.endsWith("-kiali") && m.kind === "Deployment")!.m as any).spec.template.spec.volumes.find((v: any) => v.name === "kiali-secret").secret;
        const headlampContainer = (run: StackRun) => (rendered(run).find(({ m }) => m.kind === "Deployment" && m.metadata.namespace === "headlamp")!.m as any).spec.template.spec.containers[0];

        it("Kiali signs in with the ALB's provider and client, its secret from the mounted Secret, the user's ID token for the API server; prod's internal ALB keeps the token login", async () => {
            for (const [run, issuerUrl, clientId] of [
                [await oidcProd(), "https://login.example.com", "platform-ui"],
                await cognitoProd().then((r) => [r, `https://cognito-idp.us-east-1.amazonaws.com/${single(r, "aws:cognito/userPool:UserPool").outputs.id}`, single(r, "aws:cognito/userPoolClient:UserPoolClient").outputs.id] as const),
            ] as const) {
                const config = kialiConfig(run);
                expect(config.auth).to.deep.equal({
                    strategy: "openid",
                    openid: { client_id: clientId, issuer_uri: issuerUrl, username_claim: "email", scopes: ["openid", "email", "profile"], disable_rbac: false },
                    // The chart's own default, inert off OpenShift.
                    openshift: { client_id_prefix: "kiali" },
                });
                // Its callback is its web root on its host, which the client allows; the secret is the file oidc-secret of the client's Secret.
                expect([config.server.web_fqdn, config.server.web_root, config.deployment.secret_name]).to.deep.equal(["kiali.nist-eks-prod.example.com", "/kiali", "ui-oidc-client"]);
                expect(kialiSecretVolume(run)).to.deep.equal({ secretName: "ui-oidc-client", optional: true });
                // Every key is one Kiali's CR schema at the pinned version knows (less the chart's own top-level knobs, as tests/config-keys.test.ts reads them).
                const kiali = renderedConfigs(run).find((c) => c.program === "kiali")!;
                expect(describeProblems(checkConfig(configKeys("kiali", kiali.version).files.config, config).filter((p) => !kiali.chartOwn.includes(p.path)))).to.deep.equal([]);
                const secret = ofType(run, "kubernetes:core/v1:Secret").find((x) => x.inputs.metadata.name === "ui-oidc-client" && x.inputs.metadata.namespace === "monitoring")!;
                expect(secret.inputs.stringData).to.equal("[secret]");
                expect(ofType(run, RELEASE).find((r) => r.inputs.name.endsWith("-kiali"))!.dependencies).to.include(secret.urn);
            }
            expect(kialiConfig(await stack("prod")).auth).to.deep.equal({ strategy: "token", openid: {}, openshift: { client_id_prefix: "kiali" } });
        });

        it("the sign-in client's Secret carries the secret under the names the controller, Grafana and Kiali read", () => {
            expect(signInClientData("platform-ui", "s3cret")).to.deep.equal({ clientID: "platform-ui", clientSecret: "s3cret", "oidc-secret": "s3cret" });
        });

        it("Headlamp signs in with the ALB's provider and client from a Secret of the stack's, its callback on its host; without sign-in, no OIDC", async () => {
            const run = await cognitoProd();
            const pool = single(run, "aws:cognito/userPool:UserPool").outputs.id;
            const clientId = single(run, "aws:cognito/userPoolClient:UserPoolClient").outputs.id;
            const values = ofType(run, RELEASE).find((r) => r.inputs.name.endsWith("-headlamp"))!.inputs.values;
            expect(values.config).to.deep.equal({ oidc: { secret: { create: false }, externalSecret: { enabled: true, name: "headlamp-oidc", hasScopes: true }, callbackURL: "https://headlamp.nist-eks-prod.example.com/oidc-callback" } });
            const container = headlampContainer(run);
            expect(container.envFrom).to.deep.equal([{ secretRef: { name: "headlamp-oidc" } }]);
            expect(container.args.filter((a: string) => a.startsWith("-oidc"))).to.deep.equal([
                "-oidc-client-id=$(OIDC_CLIENT_ID)", "-oidc-client-secret=$(OIDC_CLIENT_SECRET)", "-oidc-idp-issuer-url=$(OIDC_ISSUER_URL)", "-oidc-scopes=$(OIDC_SCOPES)", "-oidc-callback-url=$(OIDC_CALLBACK_URL)",
            ]);
            const secret = ofType(run, "kubernetes:core/v1:Secret").find((x) => x.inputs.metadata.name === "headlamp-oidc")!;
            expect([secret.inputs.metadata.namespace, secret.inputs.stringData]).to.deep.equal(["headlamp", "[secret]"]);
            expect(ofType(run, RELEASE).find((r) => r.inputs.name.endsWith("-headlamp"))!.dependencies).to.include(secret.urn);
            // What the Secret holds, every key an environment variable the arguments above name.
            expect(headlampOidcEnvironment({ issuerUrl: `https://cognito-idp.us-east-1.amazonaws.com/${pool}`, clientId }, "headlamp.nist-eks-prod.example.com", "s3cret")).to.deep.equal({
                OIDC_CLIENT_ID: clientId,
                OIDC_CLIENT_SECRET: "s3cret",
                OIDC_ISSUER_URL: `https://cognito-idp.us-east-1.amazonaws.com/${pool}`,
                OIDC_SCOPES: "email,profile",
                OIDC_CALLBACK_URL: "https://headlamp.nist-eks-prod.example.com/oidc-callback",
            });
            const prod = ofType(await stack("prod"), RELEASE).find((r) => r.inputs.name.endsWith("-headlamp"))!.inputs.values;
            expect(prod).to.not.have.property("config");
            expect(headlampContainer(await stack("prod")).args.filter((a: string) => a.startsWith("-oidc"))).to.deep.equal([]);
        });

        it("no client secret in any release's values, and the pack finds no plaintext secret, with either provider", async () => {
            for (const run of [await oidcProd(), await cognitoProd()]) {
                const secret = run.config.environment === "prod" && run.config.ui.signIn.type === "oidc" ? "offline-stand-in" : single(run, "aws:cognito/userPoolClient:UserPoolClient").outputs.clientSecret;
                for (const release of ofType(run, RELEASE)) expect(JSON.stringify(release.inputs.values ?? {}), release.name).to.not.include(secret);
                expect(evaluatePolicies(run.resources, loadPackConfig(run.config.environment)).filter((v) => v.policy === "helm-no-plaintext-secrets")).to.deep.equal([]);
            }
        });

        it("Kubecost is read-only for everyone who reaches it: its aggregator runs with READ_ONLY", async () => {
            for (const run of [await stack("prod"), await cognitoProd()]) {
                const aggregator = rendered(run).find(({ release, m }) => release.endsWith("-kubecost") && m.kind === "StatefulSet" && m.metadata.name.endsWith("aggregator"))!.m as any;
                expect(aggregator.spec.template.spec.containers.flatMap((c: any) => c.env ?? []).filter((e: any) => e.name === "READ_ONLY")).to.deep.equal([{ name: "READ_ONLY", value: "true" }]);
            }
        });

        it("dev and a Cognito prod: editors add the operator role; admin in each UI namespace that runs", async () => {
            const run = await cognitoProd();
            expect(bindingsOf(run).filter((b) => b.name === "ui-admins-admin").map((b) => b.namespace)).to.deep.equal(["headlamp", "kubecost", "monitoring"]);
            expect(bindingsOf(run).find((b) => b.name === "ui-editors-operator")!.groups).to.deep.equal(["Group:oidc:ops-editors", "Group:oidc:ops-admins"]);
            expect(single(run, IDP).inputs.oidc.groupsClaim).to.equal("cognito:groups");
        });

        it("adminScope cluster: admins are cluster-admin; a role without groups (editor here) binds nothing of its own", async () => {
            expect(bindingsOf(await oidcProd())).to.deep.equal([
                { name: "ui-admins-cluster-admin", namespace: undefined, role: "cluster-admin", groups: ["Group:oidc:ops-admins"] },
                { name: "ui-editors-operator", namespace: undefined, role: "platform-ui-operator", groups: ["Group:oidc:ops-admins"] },
                { name: "ui-viewers-reader", namespace: undefined, role: "platform-ui-reader", groups: ["Group:oidc:ops-viewers", "Group:oidc:ops-admins"] },
                { name: "ui-viewers-view", namespace: undefined, role: "view", groups: ["Group:oidc:ops-viewers", "Group:oidc:ops-admins"] },
            ]);
        });
    });

    describe("planned and priced, though Pulumi never creates the ALB", () => {
        it("prod: the plan lists the ALB the controller will create, with its hosts and backends, in the text and the JSON", async () => {
            const prod = await stack("prod");
            const plan = planOf(prod);
            const route = (host: string, backend: string, ingress: string, path = "/") => ({ url: `https://${host}.nist-eks-prod.example.com${path}`, backend, ingress, signIn: "none" });
            expect(plan.loadBalancers).to.deep.equal([{
                group: "nist-eks-prod-ui",
                ingressClass: UI_INGRESS_CLASS,
                scheme: "internal",
                createdBy: "the AWS Load Balancer Controller, not Pulumi",
                tlsPolicy: ALB_TLS_POLICY,
                inboundCidrs: ["10.0.0.0/16"],
                webAcl: true,
                accessLogs: true,
                routes: [
                    route("grafana", "monitoring/grafana:80", "monitoring/grafana"),
                    route("headlamp", "headlamp/nist-eks-prod-operations-headlamp:80", "headlamp/nist-eks-prod-operations-headlamp"),
                    route("kiali", "monitoring/kiali:20001", "monitoring/kiali", "/kiali"),
                    route("kubecost", "kubecost/nist-eks-prod-operations-kubecost-frontend:tcp-frontend", "kubecost/nist-eks-prod-operations-kubecost"),
                ],
            }]);
            expect(renderPlan(plan)).to.include("Load balancers (created by the AWS Load Balancer Controller from the Ingresses, not by Pulumi; priced below):\n  nist-eks-prod-ui: internal ALB, HTTPS 443 (ELBSecurityPolicy-TLS13-1-2-2021-06) and HTTP 80 redirecting to it, from 10.0.0.0/16; web ACL on; access logs on\n");
        });

        it("prices the ALB's hours and LCUs, the web ACL, its rules and requests, and Cognito's users beyond the free ones, each from its assumption", async () => {
            const dev = await stack("dev");
            const lines = planOf(dev).cost.lines.filter((l) => /^(alb|waf|cognito)-/.test(l.id));
            expect(lines.map((l) => [l.id, l.factors.map((f) => `${f.value} ${f.unit}`).join(" x "), l.unitPrice, l.assumption ?? ""])).to.deep.equal([
                ["alb-hours", "1 load balancer x 730 h", 0.0225, ""],
                ["alb-lcus", "1 LCU x 730 h", 0.008, "costAssumptions.albLcus = 1 (per load balancer, on average)"],
                ["waf-web-acls", "1 web ACL", 5, ""],
                ["waf-rules", "3 rule", 1, ""],
                ["waf-requests", "1 million request", 0.6, "costAssumptions.uiRequestsMillionsPerMonth = 1"],
                ["cognito-mau", "0 MAU", 0.015, "costAssumptions.uiMonthlyActiveUsers = 10"],
            ]);
            // Beyond the free 10,000 users, each is billed.
            const many = estimateCost({ resources: dev.resources, assumptions: { ...dev.config.costAssumptions, uiMonthlyActiveUsers: 12_000 }, cpuRequestedMillicores: 0 }, loadPriceTable("us-east-1"));
            expect(many.lines.find((l) => l.id === "cognito-mau")!.monthly).to.be.closeTo(2000 * 0.015, 1e-9);
        });
    });

    describe("the ui config, validated like every other key", () => {
        const problem = (stackName: "dev" | "prod", change: (c: Record<string, any>) => void) => {
            const error = rejectionOf(stackName, change);
            if (!error) throw new Error("the config was accepted");
            return error.problems;
        };

        it("accepts both stack files: dev on the internet behind Cognito, prod internal", async () => {
            expect([(await stack("dev")).config.ui.exposure, (await stack("prod")).config.ui.exposure]).to.deep.equal(["internet", "internal"]);
        });

        it("refuses, one error per mistake, naming the key, the value and what is allowed", () => {
            expect(problem("dev", (c) => { c.ui.exposure = "public"; })).to.deep.equal(['ui.exposure: got "public"; allowed: one of internal, internet, none']);
            expect(problem("dev", (c) => { c.ui.allowedCidrs = []; })).to.deep.equal(["ui.allowedCidrs: got []; allowed: at least one CIDR when ui.exposure is internet (your office or VPN egress ranges)"]);
            expect(problem("dev", (c) => { c.ui.allowedCidrs = ["203.0.113.1/24"]; })[0]).to.match(/^ui\.allowedCidrs\[0\]: got "203\.0\.113\.1\/24"; allowed: an IPv4 CIDR/);
            expect(problem("dev", (c) => { c.ui.signIn = { type: "none" }; })[0]).to.match(/^ui\.signIn\.type: got "none"; allowed: oidc or cognito when ui\.exposure is internet/);
            expect(problem("dev", (c) => { c.ui.webAcl = false; })[0]).to.match(/^ui\.webAcl: got false; allowed: true when ui\.exposure is internet/);
            expect(problem("dev", (c) => { delete c.ui.domain; })[0]).to.match(/^ui\.domain: .*a DNS name such as ops\.example\.com when ui\.exposure is internet/);
            expect(problem("dev", (c) => { c.ui.hosts.kiali = "grafana"; })[0]).to.match(/^ui\.hosts: .*a different host name for each UI/);
            expect(problem("dev", (c) => { c.ui.certificate = { route53ZoneId: "Z0123456789EXAMPLEZONE", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" }; })[0]).to.match(/^ui\.certificate: .*route53ZoneId.*certificateArn/);
            expect(problem("dev", (c) => { c.ui.roles.admin = []; })[0]).to.match(/^ui\.roles\.admin: got \[\]; allowed: at least one group/);
            expect(problem("dev", (c) => { c.ui.roles.viewer = ["platform-admins"]; })[0]).to.match(/^ui\.roles: .*each group under one role only/);
        });

        it("prod refuses the whole internet as the allow-list; dev, behind sign-in and the web ACL, may take it", () => {
            const internet = (c: Record<string, any>) => { c.ui.exposure = "internet"; c.ui.allowedCidrs = ["0.0.0.0/0"]; c.ui.signIn = { type: "cognito" }; c.ui.roles.admin = ["ops-admins"]; };
            expect(problem("prod", internet)).to.deep.equal(['ui.allowedCidrs: got ["0.0.0.0/0"]; allowed: specific CIDRs in the prod profile; 0.0.0.0/0 would offer the operators\' UIs to the whole internet']);
            expect(rejectionOf("dev", (c) => { c.ui.allowedCidrs = ["0.0.0.0/0"]; })).to.equal(undefined);
        });
    });
});
