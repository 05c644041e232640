/**
 * The operators' front door (SC-7, SC-8, AC-3, AU-2): the AWS Load Balancer Controller, and the one
 * ALB it makes from the UIs' Ingresses, with its certificate, web ACL, access logs and sign-in. The
 * ALB itself is the controller's, not Pulumi's: this component declares what it is made from (the
 * IngressClassParams every UI's Ingress names), and the UIs' charts render the Ingresses.
 */
import * as acm from "@pulumi/aws/acm";
import * as cloudwatch from "../aws/cloudwatch";
import * as cognito from "@pulumi/aws/cognito";
import { getServiceAccountOutput } from "@pulumi/aws/elb/getServiceAccount";
import * as route53 from "@pulumi/aws/route53";
import * as s3 from "../aws/s3";
import * as wafv2 from "@pulumi/aws/wafv2";
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { UiConfig } from "../../config/schema";
import { ALB_CONTROLLER_NAME, AlbSignIn, albControllerPolicy, GrafanaOAuth, grafanaRoleExpression, ingressClassParamsSpec, UI_INGRESS_CLASS, UiIngress, UiName, uiIngressAnnotations } from "../../lib/alb";
import { sortedJson } from "../../lib/json";
import { KubernetesContext } from "../cluster/context";
import { IdentityProvider } from "../cluster/identity";
import { AccessLogs } from "../storage/access-logs";
import { MONITORING_NAMESPACE } from "../observability/shared";
import { CHARTS } from "../helm/catalog";
import { createNamespace, HelmChart, installHelmChart } from "../helm/release";
import { podResourcesOf, RESTRICTED_CONTAINER, restrictedPod } from "../helm/values";
import { ROLE_ARN_ANNOTATION } from "../../lib/irsa";

export const ALB_CONTROLLER_NAMESPACE = "aws-load-balancer-controller";
/** Pinned so that the IRSA trust condition names exactly it. */
export const ALB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";
/** The release name: the chart names its webhook Service after its own name, not the release's. */
export const ALB_CONTROLLER_RELEASE = "aws-load-balancer-controller";
/** The chart's webhook Service ("<chart name without -controller>-webhook-service"), which the serving certificate names. */
export const ALB_WEBHOOK_SERVICE = "aws-load-balancer-webhook-service";
/** AWS's managed rule groups the web ACL runs, in priority order. */
export const MANAGED_RULE_GROUPS = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesCommonRuleSet"] as const;

/**
 * The access-log bucket's resource name, the same in every stack (the component's URN keeps it
 * unique): the policy config's waiver of the S3 KMS rule names its encryption by it.
 */
export const ALB_LOGS = "ui-alb-access-logs";

/** The Secret the chart keeps its webhook's serving certificate in ("<name prefix>-tls"). */
export const ALB_WEBHOOK_SECRET = "aws-load-balancer-tls";

/** The DNS names the webhook's serving certificate covers: the Service, as the API server dials it. */
export function webhookDnsNames(namespace: string): string[] {
    return [`${ALB_WEBHOOK_SERVICE}.${namespace}`, `${ALB_WEBHOOK_SERVICE}.${namespace}.svc`, `${ALB_WEBHOOK_SERVICE}.${namespace}.svc.cluster.local`];
}

export interface ControllerValuesInput {
    readonly clusterName: string;
    readonly region: string;
    readonly vpcId: string;
    readonly roleArn: string;
    readonly config: UiConfig["controller"];
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Chart values: the cluster, region and VPC given (no instance metadata lookup, which pods cannot
 * reach), IRSA, the webhook's serving certificate from the Secret the stack writes (the chart would
 * otherwise make a new one on every render: a diff on every update), no IngressClass of the chart's (the platform
 * declares its own with the ALB's settings), and no mutating webhook on every LoadBalancer
 * Service of the cluster, which nothing here uses.
 */
export function controllerValues(input: ControllerValuesInput): Record<string, unknown> {
    return {
        clusterName: input.clusterName,
        region: input.region,
        vpcId: input.vpcId,
        replicaCount: input.config.replicas,
        serviceAccount: { create: true, name: ALB_CONTROLLER_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: input.roleArn } },
        keepTLSSecret: true,
        createIngressClassResource: false,
        ingressClassParams: { create: false },
        enableServiceMutatorWebhook: false,
        defaultTags: { ...input.tags },
        resources: podResourcesOf(input.config.resources.controller),
        // Restricted: the image is distroless `nonroot` (65532); the controller only calls APIs.
        podSecurityContext: restrictedPod(65532),
        securityContext: RESTRICTED_CONTAINER,
        ...(input.config.replicas > 1 ? { podDisruptionBudget: { maxUnavailable: 1 } } : {}),
    };
}

/** The web ACL's rules: each managed group blocks what it matches; metrics and samples per rule. */
export function webAclRules(prefix: string): wafv2.WebAclArgs["rules"] {
    return MANAGED_RULE_GROUPS.map((group, priority) => ({
        name: group,
        priority,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
        visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${prefix}-${group}` },
    }));
}

/**
 * The access-log bucket's policy: the region's Elastic Load Balancing account may write under the
 * ALB's prefix and nothing else, and every request must use TLS.
 */
export function accessLogBucketPolicy(bucketArn: string, elbAccountArn: string, prefix: string, accountId: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            { Sid: "ElbLogDelivery", Effect: "Allow", Principal: { AWS: elbAccountArn }, Action: "s3:PutObject", Resource: `${bucketArn}/${prefix}/AWSLogs/${accountId}/*` },
        ],
    });
}

export interface EdgeArgs {
    /** The ui slice of the validated stack config. */
    readonly config: UiConfig;
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's primary range: where an internal ALB admits from when allowedCidrs is empty. */
    readonly vpcCidr: string;
    /** The namespaces of the UIs this stack runs: only their Ingresses may use the ALB's class. */
    readonly namespaces: readonly string[];
    readonly tags: Readonly<Record<string, string>>;
    /** The key that encrypts the WAF's log group. */
    readonly logsKmsKeyArn: pulumi.Input<string>;
    /** Days the access logs and the web ACL's logs are kept (network.flowLogRetentionDays). */
    readonly logRetentionDays: number;
    /** Where the buckets' own S3 server access logs go (the access-log bucket's too). */
    readonly accessLogs: AccessLogs;
    /** The OIDC client's secret (the Pulumi secret uiOidcClientSecret), for oidc sign-in. */
    readonly oidcClientSecret?: pulumi.Input<string>;
    readonly context: KubernetesContext;
}

/** The controller, the ALB's certificate, web ACL, logs and sign-in, and its IngressClass. */
export class Edge extends pulumi.ComponentResource {
    /** What a release whose chart renders a UI Ingress waits for: the controller's webhook and the class. */
    public readonly ready: pulumi.Resource[];
    public readonly controller: HelmChart;
    public readonly certificateArn: pulumi.Output<string>;
    public readonly webAclArn?: pulumi.Output<string>;
    public readonly accessLogBucket: pulumi.Output<string>;
    /** The Cognito user pool operators are added to, where sign-in is cognito. */
    public readonly userPoolId?: pulumi.Output<string>;
    /** The identity provider the ALB signs users in with, and its client: what the cluster trusts, where sign-in is not none. */
    public readonly identityProvider?: IdentityProvider;
    /** Where the UIs' own OpenID sign-in returns (Grafana's, Kiali's, Headlamp's): an existing provider's client must allow them. */
    public readonly callbackUrls?: string[];
    /** What the UIs' Ingresses are made from (host names, sign-in), for their charts' values. */
    private readonly signInRefs: Record<string, pulumi.Input<string>> = {};
    private readonly config: UiConfig;
    private readonly region: string;
    private readonly name: string;
    private readonly kubernetesProvider: KubernetesContext["kubernetesProvider"];
    /** The sign-in client's id and secret, and the namespaces whose UIs read them. */
    private readonly client?: { readonly data: Record<string, pulumi.Input<string>>; readonly namespaces: readonly string[] };
    private readonly clientSecrets = new Map<string, corev1.Secret>();
    /** The sign-in client's secret, for a UI that keeps it in a Secret of its own shape (Headlamp's). */
    private readonly clientSecret?: pulumi.Output<string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Edge", name, {}, opts);
        const { config, context: ctx } = args;
        this.config = config;
        this.region = ctx.region;
        this.name = name;
        this.kubernetesProvider = ctx.kubernetesProvider;
        const aws = { parent: this, provider: ctx.awsProvider };
        const domain = config.domain!;

        // The webhook's serving certificate, issued once and kept in state: no diff per update.
        const namespace = createNamespace(ALB_CONTROLLER_NAMESPACE, ctx, this);
        const caKey = new tls.PrivateKey(`${name}-webhook-ca`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
        const ca = new tls.SelfSignedCert(`${name}-webhook-ca`, {
            privateKeyPem: caKey.privateKeyPem,
            isCaCertificate: true,
            validityPeriodHours: 10 * 8760,
            allowedUses: ["cert_signing", "crl_signing"],
            subject: { commonName: "aws-load-balancer-controller-webhook-ca" },
        }, { parent: this });
        const key = new tls.PrivateKey(`${name}-webhook`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, { parent: this });
        const request = new tls.CertRequest(`${name}-webhook`, { privateKeyPem: key.privateKeyPem, subject: { commonName: `${ALB_WEBHOOK_SERVICE}.${ALB_CONTROLLER_NAMESPACE}.svc` }, dnsNames: webhookDnsNames(ALB_CONTROLLER_NAMESPACE) }, { parent: this });
        // Three years, renewed by the first `pulumi up` in its last 90 days.
        const cert = new tls.LocallySignedCert(`${name}-webhook`, {
            certRequestPem: request.certRequestPem,
            caPrivateKeyPem: caKey.privateKeyPem,
            caCertPem: ca.certPem,
            validityPeriodHours: 3 * 8760,
            earlyRenewalHours: 90 * 24,
            allowedUses: ["server_auth", "digital_signature", "key_encipherment"],
        }, { parent: this });

        // The chart reuses the Secret it finds (keepTLSSecret) instead of generating a certificate on
        // every render. The platform writes it first, labelled so that Helm adopts it, and keeps the
        // private key out of the release's values (and so out of every render and diff).
        const webhookSecret = new corev1.Secret(`${name}-webhook-tls`, {
            metadata: {
                name: ALB_WEBHOOK_SECRET,
                namespace: ALB_CONTROLLER_NAMESPACE,
                labels: { "app.kubernetes.io/managed-by": "Helm" },
                annotations: { "meta.helm.sh/release-name": ALB_CONTROLLER_RELEASE, "meta.helm.sh/release-namespace": ALB_CONTROLLER_NAMESPACE },
            },
            type: "kubernetes.io/tls",
            stringData: { "ca.crt": ca.certPem, "tls.crt": cert.certPem, "tls.key": pulumi.secret(key.privateKeyPem) },
        }, { parent: this, provider: ctx.kubernetesProvider, dependsOn: [namespace] });

        this.controller = installHelmChart(ALB_CONTROLLER_RELEASE, {
            source: CHARTS.awsLoadBalancerController,
            namespace,
            irsa: { serviceAccount: ALB_CONTROLLER_SERVICE_ACCOUNT, policy: albControllerPolicy(ctx.clusterName) },
            refs: { vpcId: args.vpcId },
            values: (refs) => controllerValues({
                clusterName: ctx.clusterName,
                region: ctx.region,
                vpcId: refs.vpcId,
                roleArn: refs.irsaRoleArn!,
                config: config.controller,
                tags: args.tags,
            }),
            dependsOn: [webhookSecret],
        }, ctx, this);

        // The certificate: DNS-validated in the zone, or the one given.
        if (config.certificate.route53ZoneId !== undefined) {
            const certificate = new acm.Certificate(`${name}-certificate`, { domainName: `*.${domain}`, validationMethod: "DNS", keyAlgorithm: "EC_prime256v1" }, { ...aws, deleteBeforeReplace: false });
            const option = certificate.domainValidationOptions.apply((options) => options[0]);
            const record = new route53.Record(`${name}-certificate-validation`, {
                zoneId: config.certificate.route53ZoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            }, aws);
            this.certificateArn = new acm.CertificateValidation(`${name}-certificate`, { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] }, aws).certificateArn;
        } else {
            this.certificateArn = pulumi.output(config.certificate.certificateArn!);
        }

        // Access logs: SSE-S3, the only encryption ALB log delivery writes to (see the pack's waiver).
        const logs = new s3.Bucket(ALB_LOGS, { forceDestroy: !ctx.protect }, { ...aws, protect: ctx.protect });
        this.accessLogBucket = logs.bucket;
        new s3.BucketServerSideEncryptionConfiguration(`${ALB_LOGS}-sse`, { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, aws);
        const publicAccess = new s3.BucketPublicAccessBlock(`${ALB_LOGS}-public-access`, { bucket: logs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, aws);
        new s3.BucketLogging(`${ALB_LOGS}-access-logs`, { bucket: logs.id, targetBucket: args.accessLogs.target(), targetPrefix: `${ALB_LOGS}/` }, aws);
        new s3.BucketOwnershipControls(`${ALB_LOGS}-ownership`, { bucket: logs.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, aws);
        const versioning = new s3.BucketVersioning(`${ALB_LOGS}-versioning`, { bucket: logs.id, versioningConfiguration: { status: "Enabled" } }, aws);
        new s3.BucketLifecycleConfiguration(`${ALB_LOGS}-lifecycle`, {
            bucket: logs.id,
            rules: [{ id: "retention", status: "Enabled", filter: {}, expiration: { days: args.logRetentionDays }, noncurrentVersionExpiration: { noncurrentDays: 7 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }],
        }, { ...aws, dependsOn: [versioning] });
        const elb = getServiceAccountOutput({}, { parent: this, provider: ctx.awsProvider });
        const logPrefix = "ui-alb";
        const logPolicy = new s3.BucketPolicy(`${ALB_LOGS}-policy`, {
            bucket: logs.id,
            policy: pulumi.all([logs.arn, elb.arn]).apply(([bucketArn, elbArn]) => accessLogBucketPolicy(bucketArn, elbArn, logPrefix, ctx.accountId)),
        }, { ...aws, dependsOn: [publicAccess] });

        // The web ACL, with its own log group (WAF requires the aws-waf-logs- prefix).
        if (config.webAcl) {
            const acl = new wafv2.WebAcl(`${name}-web-acl`, {
                scope: "REGIONAL",
                defaultAction: { allow: {} },
                rules: webAclRules(ctx.clusterName),
                visibilityConfig: { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${ctx.clusterName}-ui` },
            }, aws);
            const wafLogs = new cloudwatch.LogGroup(`${name}-waf-logs`, { name: `aws-waf-logs-${ctx.clusterName}-ui`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKmsKeyArn }, { ...aws, protect: ctx.protect });
            new wafv2.WebAclLoggingConfiguration(`${name}-web-acl-logging`, { resourceArn: acl.arn, logDestinationConfigs: [wafLogs.arn] }, aws);
            this.webAclArn = acl.arn;
        }

        // Sign-in at the ALB.
        const hosts = Object.values(config.hosts).map((host) => `${host}.${domain}`);
        if (config.signIn.type !== "none") this.callbackUrls = uiCallbackUrls(config);
        if (config.signIn.type === "cognito") {
            const pool = new cognito.UserPool(`${name}-users`, {
                // Administrators create the users: nobody signs themselves up to the operators' UIs.
                adminCreateUserConfig: { allowAdminCreateUserOnly: true },
                passwordPolicy: { minimumLength: 14, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 3 },
                mfaConfiguration: "ON",
                softwareTokenMfaConfiguration: { enabled: true },
                deletionProtection: ctx.protect ? "ACTIVE" : "INACTIVE",
                usernameAttributes: ["email"],
                autoVerifiedAttributes: ["email"],
            }, { ...aws, protect: ctx.protect });
            for (const [role, groups] of [["viewer", config.roles.viewer], ["editor", config.roles.editor], ["admin", config.roles.admin]] as const) {
                for (const group of groups) new cognito.UserGroup(`${name}-group-${group}`, { userPoolId: pool.id, name: group, description: `The UIs' ${role} role` }, aws);
            }
            const client = new cognito.UserPoolClient(`${name}-alb-client`, {
                userPoolId: pool.id,
                generateSecret: true,
                allowedOauthFlowsUserPoolClient: true,
                allowedOauthFlows: ["code"],
                allowedOauthScopes: ["openid", "email", "profile"],
                // The ALB's callback on every host, and Grafana's, Kiali's and Headlamp's own sign-in with the same provider.
                callbackUrls: [...hosts.map((host) => `https://${host}/oauth2/idpresponse`), ...uiCallbackUrls(config)],
                supportedIdentityProviders: ["COGNITO"],
            }, aws);
            const userPoolDomain = new cognito.UserPoolDomain(`${name}-domain`, { userPoolId: pool.id, domain: `${ctx.clusterName}-ui-${ctx.accountId}` }, aws);
            this.userPoolId = pool.id;
            // Cognito's issuer is the pool's endpoint (cognito-idp.<region>.amazonaws.com/<pool id>).
            this.identityProvider = { issuerUrl: pulumi.interpolate`https://${pool.endpoint}`, clientId: client.id };
            // Grafana and Kiali read the client's secret from this Secret (their own sign-in); Headlamp from its own (uiOpenId).
            this.client = { data: signInClientData(client.id, pulumi.secret(client.clientSecret)), namespaces: [MONITORING_NAMESPACE] };
            this.signInRefs = { [COGNITO_REFS.userPoolArn]: pool.arn, [COGNITO_REFS.userPoolClientId]: client.id, [COGNITO_REFS.userPoolDomain]: userPoolDomain.domain, [COGNITO_REFS.issuer]: this.identityProvider.issuerUrl };
            this.clientSecret = pulumi.secret(client.clientSecret);
        } else if (config.signIn.type === "oidc") {
            // The controller reads the client's id and secret from a Secret beside each Ingress (and Grafana from its own).
            this.client = { data: signInClientData(config.signIn.clientId, pulumi.secret(args.oidcClientSecret!)), namespaces: args.namespaces };
            this.clientSecret = pulumi.secret(args.oidcClientSecret!);
            this.identityProvider = { issuerUrl: config.signIn.issuer, clientId: config.signIn.clientId };
        }

        // The ALB's settings, which the controller applies to every Ingress of the class.
        const spec = pulumi.all([this.certificateArn, this.webAclArn, logs.bucket]).apply(([certificateArn, webAclArn, bucket]) => ingressClassParamsSpec({
            scheme: config.exposure === "internet" ? "internet-facing" : "internal",
            group: `${ctx.clusterName}-ui`,
            subnetTags: { [config.exposure === "internet" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb"]: ["1"], [`kubernetes.io/cluster/${ctx.clusterName}`]: ["shared"] },
            inboundCidrs: config.allowedCidrs.length > 0 ? config.allowedCidrs : [args.vpcCidr],
            certificateArn,
            webAclArn,
            accessLogs: { bucket, prefix: logPrefix },
            namespaces: args.namespaces,
            deletionProtection: ctx.protect,
            tags: args.tags,
        }));
        const params = new apiextensions.CustomResource(`${name}-ingress-class-params`, {
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "IngressClassParams",
            metadata: { name: UI_INGRESS_CLASS },
            spec,
        }, { parent: this, provider: ctx.kubernetesProvider, dependsOn: [this.controller.release, logPolicy] });
        const ingressClass = new networkingv1.IngressClass(`${name}-ingress-class`, {
            metadata: { name: UI_INGRESS_CLASS },
            spec: { controller: ALB_CONTROLLER_NAME, parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: UI_INGRESS_CLASS } },
        }, { parent: this, provider: ctx.kubernetesProvider, dependsOn: [params] });
        this.ready = [this.controller.release, params, ingressClass];
        this.registerOutputs({ certificateArn: this.certificateArn, webAclArn: this.webAclArn, accessLogBucket: this.accessLogBucket });
    }

    /** How one UI is exposed: what its release's Ingress values are made from, and what the release waits for. */
    exposure(ui: UiName): UiExposure {
        return {
            host: `${this.config.hosts[ui]}.${this.config.domain}`,
            signIn: this.config.signIn,
            roles: this.config.roles,
            region: this.region,
            refs: this.signInRefs,
            ready: this.ready,
            clientSecretIn: (namespace, namespaceResource) => this.clientSecretIn(namespace, namespaceResource),
            clientSecret: this.clientSecret,
        };
    }

    /**
     * The Secret with the sign-in client's id and secret in a UI's namespace, made once, after the
     * namespace (the UIs' components create theirs after this one): none where nothing there reads it.
     */
    private clientSecretIn(namespace: string, namespaceResource: pulumi.Resource): pulumi.Resource[] {
        if (!this.client?.namespaces.includes(namespace)) return [];
        const existing = this.clientSecrets.get(namespace);
        if (existing) return [existing];
        const secret = new corev1.Secret(`${this.name}-oidc-${namespace}`, {
            metadata: { name: OIDC_SECRET, namespace },
            stringData: this.client.data,
        }, { parent: this, provider: this.kubernetesProvider, dependsOn: [namespaceResource] });
        this.clientSecrets.set(namespace, secret);
        return [secret];
    }
}

/** The references a Cognito sign-in's annotation names, as release refs. */
const COGNITO_REFS = { userPoolArn: "albUserPoolArn", userPoolClientId: "albUserPoolClientId", userPoolDomain: "albUserPoolDomain", issuer: "albUserPoolIssuer" } as const;

/**
 * The sign-in client's Secret in a UI's namespace: the id and secret under the names the ALB
 * controller's OIDC and Grafana read, and the secret again under the file name Kiali reads its
 * OpenID client secret from (/kiali-secret/oidc-secret, the Secret its chart mounts).
 */
export function signInClientData(clientId: pulumi.Input<string>, clientSecret: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return { clientID: clientId, clientSecret, [KIALI_CLIENT_SECRET_KEY]: clientSecret };
}

/** The key of the sign-in client's Secret Kiali reads its OpenID client secret from. */
export const KIALI_CLIENT_SECRET_KEY = "oidc-secret";
/** Kiali's web root (the kiali-server chart's default off OpenShift): Kiali's OpenID sign-in returns there. */
export const KIALI_WEB_ROOT = "/kiali";
/** Headlamp's OpenID callback path. */
export const HEADLAMP_OAUTH_CALLBACK = "/oidc-callback";
/** The scopes the UIs' own sign-in asks for: the ID token's email is the Kubernetes user name (components/cluster/identity.ts). */
export const UI_OPENID_SCOPES = ["openid", "email", "profile"] as const;

/** Where the UIs' own OpenID sign-in returns: Grafana's generic OAuth, Kiali's web root, Headlamp's callback. */
export function uiCallbackUrls(config: UiConfig): string[] {
    const url = (ui: UiName, path: string) => `https://${config.hosts[ui]}.${config.domain}${path}`;
    return [url("grafana", GRAFANA_OAUTH_CALLBACK), url("kiali", KIALI_WEB_ROOT), url("headlamp", HEADLAMP_OAUTH_CALLBACK)];
}

/**
 * The provider and client Kiali's and Headlamp's OpenID sign-in use: the ALB's, whose ID tokens the
 * API server accepts (components/cluster/identity.ts), so each request runs as the person who
 * signed in. Undefined where the ALB signs nobody in.
 */
export function uiOpenId(exposure: UiExposure, refs: Readonly<Record<string, string>>): { issuerUrl: string; clientId: string } | undefined {
    const s = exposure.signIn;
    if (s.type === "none") return undefined;
    return s.type === "oidc" ? { issuerUrl: s.issuer, clientId: s.clientId } : { issuerUrl: refs[COGNITO_REFS.issuer], clientId: refs[COGNITO_REFS.userPoolClientId] };
}

/** Grafana's sign-in path for its generic OAuth provider: the identity provider returns users there. */
export const GRAFANA_OAUTH_CALLBACK = "/login/generic_oauth";

/**
 * Grafana signs users in with the identity provider the ALB uses (its generic OAuth), so that the
 * identity inside is the one the ALB let in: the provider's session from the ALB's sign-in makes
 * the second redirect silent, and the groups claim gives the Grafana role (lib/alb.ts
 * grafanaRoleExpression). Undefined where the ALB signs nobody in.
 */
export function grafanaOAuth(exposure: UiExposure, refs: Readonly<Record<string, string>>): GrafanaOAuth | undefined {
    const s = exposure.signIn;
    if (s.type === "none") return undefined;
    const cognito = (path: string) => `https://${refs[COGNITO_REFS.userPoolDomain]}.auth.${exposure.region}.amazoncognito.com/oauth2/${path}`;
    const endpoints = s.type === "oidc"
        ? { name: "Single sign-on", clientId: s.clientId, authUrl: s.authorizationEndpoint, tokenUrl: s.tokenEndpoint, apiUrl: s.userInfoEndpoint }
        : { name: "Cognito", clientId: refs[COGNITO_REFS.userPoolClientId], authUrl: cognito("authorize"), tokenUrl: cognito("token"), apiUrl: cognito("userInfo") };
    return { ...endpoints, roleAttributePath: grafanaRoleExpression(exposure.roles), clientSecret: { name: OIDC_SECRET, key: "clientSecret" } };
}

/** How one UI is exposed through the ALB (Edge.exposure). */
export interface UiExposure {
    readonly host: string;
    readonly signIn: UiConfig["signIn"];
    /** The identity provider's groups for each role. */
    readonly roles: UiConfig["roles"];
    /** The stack's region (Cognito's endpoints are regional). */
    readonly region: string;
    /** Resources sign-in names (Cognito's pool, client, domain), as refs of the UI's release. */
    readonly refs: Readonly<Record<string, pulumi.Input<string>>>;
    /** The controller's webhook and the IngressClass: a release rendering an Ingress of the class waits for them. */
    readonly ready: readonly pulumi.Resource[];
    /** The Secret with the sign-in client in the UI's namespace (the controller's OIDC, Grafana's OAuth), once that exists; the release waits for it. */
    readonly clientSecretIn: (namespace: string, namespaceResource: pulumi.Resource) => pulumi.Resource[];
    /** The sign-in client's secret (a Pulumi secret), for a UI that keeps it in a Secret of its own shape; undefined without sign-in. */
    readonly clientSecret?: pulumi.Output<string>;
}

/** One UI's Ingress for its chart's values, from its exposure and its release's resolved refs. */
export function uiIngress(exposure: UiExposure, healthCheckPath: string, refs: Readonly<Record<string, string>>): UiIngress {
    const s = exposure.signIn;
    const signIn: AlbSignIn | undefined = s.type === "cognito"
        ? { type: "cognito", userPoolArn: refs[COGNITO_REFS.userPoolArn], userPoolClientId: refs[COGNITO_REFS.userPoolClientId], userPoolDomain: refs[COGNITO_REFS.userPoolDomain] }
        : s.type === "oidc" ? { type: "oidc", issuer: s.issuer, authorizationEndpoint: s.authorizationEndpoint, tokenEndpoint: s.tokenEndpoint, userInfoEndpoint: s.userInfoEndpoint, secretName: OIDC_SECRET } : undefined;
    return { className: UI_INGRESS_CLASS, host: exposure.host, annotations: uiIngressAnnotations(healthCheckPath, signIn) };
}

/** The Secret the controller reads the OIDC client's id and secret from, in each UI's namespace. */
export const OIDC_SECRET = "ui-oidc-client";
