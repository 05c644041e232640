/**
 * Realistic answers for the offline engine: resource outputs shaped like the AWS and Kubernetes
 * providers return them (ids, ARNs, endpoints, certificate data), and every invoke the program
 * makes. An invoke nobody taught the engine fails loudly rather than returning nothing.
 */
import { createHash, generateKeyPairSync } from "crypto";
import { AvailabilityZone, regionZones } from "../lib/regions";

export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_PARTITION = "aws";
/** Who runs the program under mocks: a session of the deploy role the stack files name, as CI runs it. */
export const MOCK_CALLER_ARN = `arn:${MOCK_PARTITION}:sts::${MOCK_ACCOUNT_ID}:assumed-role/platform-deploy/planner`;

/** The zones the mocked region offers: the zone table's (lib/data/availability-zones.json); none for a region it does not list, as EC2 answers for a region the account cannot use. */
export function mockAvailabilityZones(region: string): readonly AvailabilityZone[] {
    return regionZones(region) ?? [];
}

/** A zone's ID as EC2 reports it on a subnet; a zone the table does not list has none, as EC2 would refuse the subnet. */
function zoneId(region: string, zone: string): string {
    const id = mockAvailabilityZones(region).find((z) => z.name === zone)?.id;
    if (!id) throw invokeError(`creating EC2 Subnet: InvalidParameterValue: Value (${zone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${mockAvailabilityZones(region).map((z) => z.name).join(", ")}`);
    return id;
}

/** A stable hex suffix for a resource, so that ids do not change between runs. */
function hexId(seed: string, length = 17): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

export interface MockContext {
    readonly region: string;
    readonly stack: string;
}

type State = Record<string, any>;

const arn = (ctx: MockContext, service: string, resource: string, regional = true) =>
    `arn:${MOCK_PARTITION}:${service}:${regional ? ctx.region : ""}:${MOCK_ACCOUNT_ID}:${resource}`;

/** Outputs per AWS type; each returns the id and the computed attributes AWS would fill in. */
const AWS_OUTPUTS: Record<string, (name: string, inputs: State, ctx: MockContext) => { id: string; state: State }> = {
    "aws:ec2/vpc:Vpc": (n, i, c) => { const id = `vpc-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `vpc/${id}`), defaultSecurityGroupId: `sg-${hexId(n + "default")}`, defaultNetworkAclId: `acl-${hexId(n + "default")}`, mainRouteTableId: `rtb-${hexId(n + "main")}`, ownerId: MOCK_ACCOUNT_ID } }; },
    "aws:ec2/subnet:Subnet": (n, i, c) => { const id = `subnet-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `subnet/${id}`), availabilityZoneId: zoneId(c.region, String(i.availabilityZone)) } }; },
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": (n) => ({ id: `vpc-cidr-assoc-${hexId(n)}`, state: {} }),
    "aws:ec2/internetGateway:InternetGateway": (n, i, c) => { const id = `igw-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `internet-gateway/${id}`) } }; },
    "aws:ec2/eip:Eip": (n) => ({ id: `eipalloc-${hexId(n)}`, state: { allocationId: `eipalloc-${hexId(n)}`, publicIp: `3.${parseInt(hexId(n, 2), 16)}.${parseInt(hexId(n + "x", 2), 16)}.10` } }),
    "aws:ec2/natGateway:NatGateway": (n) => ({ id: `nat-${hexId(n)}`, state: { privateIp: "10.0.64.10" } }),
    "aws:ec2/routeTable:RouteTable": (n, i, c) => { const id = `rtb-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `route-table/${id}`) } }; },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (n) => ({ id: `rtbassoc-${hexId(n)}`, state: {} }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (n, i, c) => { const id = `vpce-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `vpc-endpoint/${id}`), state: "available" } }; },
    "aws:ec2/securityGroup:SecurityGroup": (n, i, c) => { const id = `sg-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `security-group/${id}`), name: i.name ?? n } }; },
    "aws:ec2/networkAcl:NetworkAcl": (n, i, c) => { const id = `acl-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `network-acl/${id}`), ownerId: MOCK_ACCOUNT_ID } }; },
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": (n, i, c) => { const id = String(i.defaultNetworkAclId); return { id, state: { arn: arn(c, "ec2", `network-acl/${id}`), ownerId: MOCK_ACCOUNT_ID, vpcId: `vpc-${hexId(n)}` } }; },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (n, i, c) => { const id = `sg-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `security-group/${id}`), name: "default" } }; },
    "aws:ec2/flowLog:FlowLog": (n, i, c) => { const id = `fl-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `vpc-flow-log/${id}`) } }; },
    "aws:ec2/launchTemplate:LaunchTemplate": (n, i, c) => { const id = `lt-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `launch-template/${id}`), latestVersion: 1, defaultVersion: 1 } }; },
    "aws:ec2/instance:Instance": (n, i, c) => { const id = `i-${hexId(n)}`; return { id, state: { arn: arn(c, "ec2", `instance/${id}`), privateIp: "10.0.0.20", instanceState: "running" } }; },
    "aws:cloudwatch/logGroup:LogGroup": (n, i, c) => { const name = i.name ?? n; return { id: name, state: { name, arn: arn(c, "logs", `log-group:${name}`) } }; },
    "aws:kms/key:Key": (n, i, c) => { const keyId = `${hexId(n, 8)}-${hexId(n + 1, 4)}-${hexId(n + 2, 4)}-${hexId(n + 3, 4)}-${hexId(n + 4, 12)}`; return { id: keyId, state: { keyId, arn: arn(c, "kms", `key/${keyId}`) } }; },
    "aws:kms/alias:Alias": (n, i, c) => ({ id: i.name, state: { arn: arn(c, "kms", i.name), targetKeyArn: arn(c, "kms", `key/${i.targetKeyId}`) } }),
    "aws:iam/role:Role": (n, i, c) => { const name = i.name ?? `${n}-${hexId(n, 7)}`; return { id: name, state: { name, arn: arn(c, "iam", `role/${name}`, false), uniqueId: `AROA${hexId(n, 17).toUpperCase()}` } }; },
    "aws:iam/policy:Policy": (n, i, c) => { const name = i.name ?? `${n}-${hexId(n, 7)}`; const a = arn(c, "iam", `policy/${name}`, false); return { id: a, state: { name, arn: a, policyId: `ANPA${hexId(n).toUpperCase()}` } }; },
    "aws:iam/rolePolicy:RolePolicy": (n, i) => ({ id: `${i.role}:${n}`, state: { name: n } }),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (n) => ({ id: `${n}-${hexId(n, 8)}`, state: {} }),
    "aws:iam/instanceProfile:InstanceProfile": (n, i, c) => { const name = i.name ?? `${n}-${hexId(n, 7)}`; return { id: name, state: { name, arn: arn(c, "iam", `instance-profile/${name}`, false) } }; },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (n, i, c) => { const host = String(i.url ?? "").replace(/^https:\/\//, ""); const a = arn(c, "iam", `oidc-provider/${host}`, false); return { id: a, state: { arn: a } }; },
    "aws:eks/cluster:Cluster": (n, i, c) => {
        const name = i.name ?? n;
        const oidc = hexId(name, 32).toUpperCase();
        return {
            id: name,
            state: {
                name,
                arn: arn(c, "eks", `cluster/${name}`),
                endpoint: `https://${oidc}.gr7.${c.region}.eks.amazonaws.com`,
                certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\nMOCK-${name}\n-----END CERTIFICATE-----\n`).toString("base64") },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${oidc}` }] }],
                platformVersion: "eks.1",
                status: "ACTIVE",
                vpcConfig: { ...(i.vpcConfig ?? {}), clusterSecurityGroupId: `sg-${hexId(name + "cluster")}`, vpcId: `vpc-${hexId("vpc")}` },
            },
        };
    },
    "aws:eks/nodeGroup:NodeGroup": (n, i, c) => ({ id: `${i.clusterName}:${i.nodeGroupName ?? n}`, state: { arn: arn(c, "eks", `nodegroup/${i.clusterName}/${i.nodeGroupName ?? n}/${hexId(n, 8)}`), status: "ACTIVE", resources: [{ autoscalingGroups: [{ name: `eks-${i.nodeGroupName ?? n}-${hexId(n, 8)}` }] }] } }),
    "aws:autoscaling/schedule:Schedule": (n, i, c) => ({ id: i.scheduledActionName ?? n, state: { arn: arn(c, "autoscaling", `scheduledUpdateGroupAction:${hexId(n, 36)}:autoScalingGroupName/${i.autoscalingGroupName}:scheduledActionName/${i.scheduledActionName ?? n}`) } }),
    "aws:eks/addon:Addon": (n, i, c) => ({ id: `${i.clusterName}:${i.addonName}`, state: { arn: arn(c, "eks", `addon/${i.clusterName}/${i.addonName}/${hexId(n, 8)}`) } }),
    "aws:eks/accessEntry:AccessEntry": (n, i, c) => ({ id: `${i.clusterName}:${i.principalArn}`, state: { accessEntryArn: arn(c, "eks", `access-entry/${i.clusterName}/${hexId(n, 8)}`) } }),
    "aws:eks/identityProviderConfig:IdentityProviderConfig": (n, i, c) => ({ id: `${i.clusterName}:${i.oidc?.identityProviderConfigName}`, state: { arn: arn(c, "eks", `identityproviderconfig/${i.clusterName}/oidc/${i.oidc?.identityProviderConfigName}/${hexId(n, 8)}-${hexId(n + 1, 4)}-${hexId(n + 2, 4)}-${hexId(n + 3, 4)}-${hexId(n + 4, 12)}`), status: "ACTIVE" } }),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": (n, i) => ({ id: `${i.clusterName}#${i.principalArn}#${i.policyArn}`, state: {} }),
    "aws:rds/instance:Instance": (n, i, c) => {
        const id = i.identifier ?? `${n}-${hexId(n, 8)}`;
        const address = `${id}.c${hexId(n, 12)}.${c.region}.rds.amazonaws.com`;
        const port = i.port ?? 5432;
        const resourceId = `db-${hexId(n, 26).toUpperCase()}`;
        // RDS names the secret of a managed master password rds!db-<uuid>, with Secrets Manager's six-character suffix.
        const masterUserSecrets = i.manageMasterUserPassword === true
            ? [{ secretArn: arn(c, "secretsmanager", `secret:rds!db-${hexId(n + "secret", 8)}-${hexId(n + "s1", 4)}-${hexId(n + "s2", 4)}-${hexId(n + "s3", 4)}-${hexId(n + "s4", 12)}-${hexId(n + "sfx", 6)}`), kmsKeyId: i.masterUserSecretKmsKeyId, secretStatus: "active" }]
            : [];
        return { id, state: { identifier: id, arn: arn(c, "rds", `db:${id}`), address, port, endpoint: `${address}:${port}`, resourceId, status: "available", masterUserSecrets } };
    },
    "aws:backup/vault:Vault": (n, i, c) => { const name = i.name ?? `${n}-${hexId(n, 7)}`; return { id: name, state: { name, arn: arn(c, "backup", `backup-vault:${name}`), recoveryPoints: 0 } }; },
    "aws:backup/plan:Plan": (n, i, c) => { const id = [8, 4, 4, 4, 12].map((l, k) => hexId(n + k, l)).join("-"); return { id, state: { arn: arn(c, "backup", `backup-plan:${id}`), version: hexId(n + "version", 32) } }; },
    "aws:backup/selection:Selection": (n) => ({ id: [8, 4, 4, 4, 12].map((l, k) => hexId(n + k, l)).join("-"), state: {} }),
    "aws:rds/subnetGroup:SubnetGroup": (n, i, c) => { const name = i.name ?? `${n}-${hexId(n, 7)}`; return { id: name, state: { name, arn: arn(c, "rds", `subgrp:${name}`) } }; },
    "aws:rds/parameterGroup:ParameterGroup": (n, i, c) => { const name = i.name ?? `${n}-${hexId(n, 7)}`; return { id: name, state: { name, arn: arn(c, "rds", `pg:${name}`) } }; },
    "aws:acm/certificate:Certificate": (n, i, c) => {
        const id = `${hexId(n, 8)}-${hexId(n + 1, 4)}-${hexId(n + 2, 4)}-${hexId(n + 3, 4)}-${hexId(n + 4, 12)}`;
        const validation = { domainName: i.domainName, resourceRecordName: `_${hexId(n + "v", 32)}.${String(i.domainName).replace(/^\*\./, "")}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${hexId(n + "w", 32)}.acm-validations.aws.` };
        return { id, state: { arn: arn(c, "acm", `certificate/${id}`), domainValidationOptions: [validation], status: "PENDING_VALIDATION" } };
    },
    "aws:acm/certificateValidation:CertificateValidation": (n, i) => ({ id: String(i.certificateArn), state: { certificateArn: i.certificateArn } }),
    "aws:route53/record:Record": (n, i) => ({ id: `${i.zoneId}_${i.name}_${i.type}`, state: { fqdn: String(i.name).replace(/\.$/, "") } }),
    "aws:wafv2/webAcl:WebAcl": (n, i, c) => { const id = `${hexId(n, 8)}-${hexId(n + 1, 4)}-${hexId(n + 2, 4)}-${hexId(n + 3, 4)}-${hexId(n + 4, 12)}`; const name = i.name ?? `${n}-${hexId(n, 7)}`; return { id, state: { name, arn: arn(c, "wafv2", `regional/webacl/${name}/${id}`), capacity: 1400 } }; },
    "aws:cognito/userPool:UserPool": (n, i, c) => { const id = `${c.region}_${hexId(n, 9)}`; return { id, state: { arn: arn(c, "cognito-idp", `userpool/${id}`), endpoint: `cognito-idp.${c.region}.amazonaws.com/${id}` } }; },
    "aws:cognito/userPoolClient:UserPoolClient": (n) => ({ id: hexId(n, 26), state: { clientSecret: hexId(n + "secret", 51) } }),
    "aws:cognito/userPoolDomain:UserPoolDomain": (n, i) => ({ id: String(i.domain), state: { cloudfrontDistribution: `d${hexId(n, 13)}.cloudfront.net` } }),
    "aws:amp/workspace:Workspace": (n, i, c) => {
        const id = `ws-${hexId(n, 8)}-${hexId(n + 1, 4)}-${hexId(n + 2, 4)}-${hexId(n + 3, 4)}-${hexId(n + 4, 12)}`;
        return { id, state: { arn: arn(c, "aps", `workspace/${id}`), prometheusEndpoint: `https://aps-workspaces.${c.region}.amazonaws.com/workspaces/${id}/` } };
    },
    "aws:amp/ruleGroupNamespace:RuleGroupNamespace": (n, i, c) => { const a = arn(c, "aps", `rulegroupsnamespace/${i.workspaceId}/${i.name ?? n}`); return { id: a, state: { arn: a, name: i.name ?? n } }; },
    "aws:amp/alertManagerDefinition:AlertManagerDefinition": (n, i) => ({ id: String(i.workspaceId), state: {} }),
    "aws:grafana/workspace:Workspace": (n, i, c) => {
        const id = `g-${hexId(n, 10)}`;
        return { id, state: { arn: arn(c, "grafana", `/workspaces/${id}`), endpoint: `${id}.grafana-workspace.${c.region}.amazonaws.com`, grafanaVersion: i.grafanaVersion ?? "10.4", samlConfigurationStatus: (i.authenticationProviders ?? []).includes("SAML") ? "NOT_CONFIGURED" : undefined } };
    },
    "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration": (n, i) => ({ id: String(i.workspaceId), state: { status: "CONFIGURED" } }),
    "aws:cloudwatch/dashboard:Dashboard": (n, i) => ({ id: String(i.dashboardName), state: { dashboardArn: `arn:${MOCK_PARTITION}:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${i.dashboardName}` } }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (n, i, c) => { const name = i.name ?? `${n}-${hexId(n, 7)}`; return { id: name, state: { name, arn: arn(c, "cloudwatch", `alarm:${name}`) } }; },
    "aws:s3/bucket:Bucket": (n, i, c) => { const bucket = i.bucket ?? `${n}-${hexId(n, 7)}`; return { id: bucket, state: { bucket, arn: `arn:${MOCK_PARTITION}:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com`, bucketRegionalDomainName: `${bucket}.s3.${c.region}.amazonaws.com`, region: i.region ?? c.region } }; },
    // AWS names a bucket's logging configuration by the bucket.
    "aws:s3/bucketLogging:BucketLogging": (n, i) => ({ id: String(i.bucket), state: {} }),
};

const privateKeys = new Map<string, State>();

/**
 * A real key of the algorithm asked for, in the encodings the tls provider returns: `privateKeyPem`
 * in the algorithm's traditional form (SEC1 for ECDSA, PKCS#1 for RSA, PKCS#8 for ED25519) and
 * `privateKeyPemPkcs8` always PKCS#8, so a consumer's format rule can be checked against what the
 * program passes on. One key per resource and process, so that runs agree.
 */
function mockPrivateKey(id: string, inputs: State): State {
    const known = privateKeys.get(id);
    if (known) return known;
    const algorithm = String(inputs.algorithm ?? "RSA");
    const pair = algorithm === "ECDSA"
        ? generateKeyPairSync("ec", { namedCurve: ({ P224: "P-224", P256: "P-256", P384: "P-384", P521: "P-521" } as Record<string, string>)[String(inputs.ecdsaCurve ?? "P224")] })
        : algorithm === "ED25519" ? generateKeyPairSync("ed25519") : generateKeyPairSync("rsa", { modulusLength: Number(inputs.rsaBits ?? 2048) });
    const traditional = algorithm === "ECDSA" ? "sec1" : algorithm === "ED25519" ? "pkcs8" : "pkcs1";
    const state: State = {
        privateKeyPem: pair.privateKey.export({ type: traditional, format: "pem" }) as string,
        privateKeyPemPkcs8: pair.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
        publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }) as string,
    };
    privateKeys.set(id, state);
    return state;
}

/** Outputs for a resource of any type: the inputs echoed back plus what the type computes. */
export function mockResourceOutputs(type: string, name: string, inputs: State, ctx: MockContext): { id: string; state: State } {
    const computed = AWS_OUTPUTS[type]?.(name, inputs, ctx);
    if (computed) return { id: computed.id, state: { ...inputs, ...computed.state, id: computed.id } };
    if (type.startsWith("kubernetes:")) {
        const metadata = { ...(inputs.metadata ?? {}), name: inputs.metadata?.name ?? inputs.name ?? name, uid: hexId(name, 32) };
        return { id: `${metadata.namespace ?? inputs.namespace ?? "default"}/${metadata.name}`, state: { ...inputs, metadata, status: type.endsWith("Release") ? { status: "deployed", version: 1 } : {} } };
    }
    if (type === "random:index/randomPassword:RandomPassword") {
        const length = Number(inputs.length ?? 32);
        const result = hexId(`${ctx.stack}/${name}`, 64).slice(0, length);
        return { id: "none", state: { ...inputs, result, bcryptHash: `$2a$10$${hexId(result, 53)}` } };
    }
    if (type === "random:index/randomId:RandomId") {
        const hex = hexId(`${ctx.stack}/${name}`, 2 * Number(inputs.byteLength ?? 8));
        const bytes = Buffer.from(hex, "hex");
        return { id: bytes.toString("base64url"), state: { ...inputs, hex, b64Url: bytes.toString("base64url"), b64Std: bytes.toString("base64"), dec: BigInt(`0x${hex}`).toString() } };
    }
    if (type.startsWith("tls:")) {
        // PEM-shaped placeholders: what the program passes on (into Secrets and ConfigMaps) is real text.
        const pem = (label: string) => `-----BEGIN ${label}-----\nMOCK-${hexId(`${ctx.stack}/${name}`, 32)}\n-----END ${label}-----\n`;
        const computed: State = type === "tls:index/privateKey:PrivateKey"
            ? mockPrivateKey(`${ctx.stack}/${name}`, inputs)
            : type === "tls:index/certRequest:CertRequest" ? { certRequestPem: pem("CERTIFICATE REQUEST") } : { certPem: pem("CERTIFICATE") };
        return { id: hexId(`${ctx.stack}/${name}`, 20), state: { ...inputs, ...computed } };
    }
    if (type.startsWith("aws:")) {
        // Sub-resources (bucket policies, public access blocks, attachments) have no computed
        // attributes the program reads: their id is enough.
        return { id: `${name}-${hexId(type + name, 8)}`, state: { ...inputs } };
    }
    return { id: `${name}-id`, state: { ...inputs } };
}

/**
 * The add-on versions EKS offers, per add-on and Kubernetes minor version, as DescribeAddonVersions
 * lists them: the default version and the most recent build. An add-on or a Kubernetes version not
 * listed gets the error EKS gives.
 */
const ADDON_VERSIONS: Record<string, Record<string, { default: string; latest: string }>> = {
    "vpc-cni": {
        "1.33": { default: "v1.19.6-eksbuild.7", latest: "v1.20.4-eksbuild.2" },
        "1.34": { default: "v1.20.4-eksbuild.2", latest: "v1.20.5-eksbuild.1" },
        "1.35": { default: "v1.20.4-eksbuild.2", latest: "v1.20.5-eksbuild.1" },
    },
    "kube-proxy": {
        "1.33": { default: "v1.33.3-eksbuild.4", latest: "v1.33.5-eksbuild.2" },
        "1.34": { default: "v1.34.0-eksbuild.4", latest: "v1.34.1-eksbuild.2" },
        "1.35": { default: "v1.35.0-eksbuild.2", latest: "v1.35.0-eksbuild.3" },
    },
    coredns: {
        "1.33": { default: "v1.12.1-eksbuild.2", latest: "v1.12.4-eksbuild.1" },
        "1.34": { default: "v1.12.4-eksbuild.1", latest: "v1.12.4-eksbuild.1" },
        "1.35": { default: "v1.13.1-eksbuild.1", latest: "v1.13.1-eksbuild.2" },
    },
    "amazon-cloudwatch-observability": {
        "1.33": { default: "v4.4.0-eksbuild.1", latest: "v4.7.0-eksbuild.1" },
        "1.34": { default: "v4.5.0-eksbuild.1", latest: "v4.7.0-eksbuild.1" },
        "1.35": { default: "v4.7.0-eksbuild.1", latest: "v4.7.0-eksbuild.1" },
    },
    "aws-ebs-csi-driver": {
        "1.33": { default: "v1.48.0-eksbuild.2", latest: "v1.53.0-eksbuild.1" },
        "1.34": { default: "v1.53.0-eksbuild.1", latest: "v1.54.0-eksbuild.1" },
        "1.35": { default: "v1.53.0-eksbuild.1", latest: "v1.54.0-eksbuild.1" },
    },
};

/** The version EKS offers for an add-on on a Kubernetes version (default or most recent). */
export function mockAddonVersion(addonName: string, kubernetesVersion: string, mostRecent: boolean): string {
    const offered = ADDON_VERSIONS[addonName]?.[kubernetesVersion];
    // The provider's own words, and where this answer comes from: not EKS, a table of the engine's.
    if (!offered) throw invokeError(`reading EKS Add-On version info (${addonName}, ${kubernetesVersion}): empty result (offline: engine/mocks.ts lists no such build)`);
    return mostRecent ? offered.latest : offered.default;
}

/**
 * The recommended EKS-optimised AL2023 release per Kubernetes version, as the public parameters
 * /aws/service/eks/optimized-ami/<version>/amazon-linux-2023/<arch>/standard/recommended/release_version
 * give it (one release date for both architectures).
 */
const NODE_RELEASES: Record<string, string> = { "1.33": "1.33.10-20261118", "1.34": "1.34.8-20261118", "1.35": "1.35.5-20261118" };

/** A public SSM parameter's value: an AMI id for the Amazon Linux image parameters, a release version for the EKS ones; an unknown name fails as SSM fails it. */
export function mockParameterValue(name: string): string {
    if (name.startsWith("/aws/service/ami-amazon-linux-latest/")) return `ami-${hexId(name)}`;
    const release = /^\/aws\/service\/eks\/optimized-ami\/(1\.\d+)\/amazon-linux-2023\/(x86_64|arm64)\/standard\/recommended\/release_version$/.exec(name);
    if (release && NODE_RELEASES[release[1]]) return NODE_RELEASES[release[1]];
    throw invokeError(`reading SSM Parameter (${name}): ParameterNotFound`);
}

/** An invoke's failure as a provider reports it: the SDK rethrows only the gRPC error's details. */
function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/** Answers for every invoke the program makes, keyed by token. */
export function mockInvoke(token: string, inputs: State, ctx: MockContext): State {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const zones = mockAvailabilityZones(ctx.region);
            return { id: ctx.region, names: zones.map((z) => z.name), zoneIds: zones.map((z) => z.id), groupNames: zones.map(() => ctx.region) };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { id: MOCK_ACCOUNT_ID, accountId: MOCK_ACCOUNT_ID, arn: MOCK_CALLER_ARN, userId: "AROAPLATFORMDEPLOY:planner" };
        case "aws:index/getPartition:getPartition":
            return { id: MOCK_PARTITION, partition: MOCK_PARTITION, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
        case "aws:index/getRegion:getRegion":
            return { id: ctx.region, name: ctx.region, region: ctx.region, description: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com` };
        case "aws:ssm/getParameter:getParameter": {
            const name = String(inputs.name);
            const value = mockParameterValue(name);
            return { id: name, name, type: "String", value, insecureValue: value, version: 1, arn: arn(ctx, "ssm", `parameter${name}`) };
        }
        case "aws:eks/getAddonVersion:getAddonVersion": {
            const version = mockAddonVersion(String(inputs.addonName), String(inputs.kubernetesVersion), inputs.mostRecent === true);
            return { id: String(inputs.addonName), addonName: inputs.addonName, kubernetesVersion: inputs.kubernetesVersion, mostRecent: inputs.mostRecent, region: ctx.region, version };
        }
        case "aws:elb/getServiceAccount:getServiceAccount":
            // Elastic Load Balancing's log-delivery account in the region (us-east-1's; others alike in shape).
            return { id: "127311923021", arn: "arn:aws:iam::127311923021:root", region: ctx.region };
        default:
            throw invokeError(`The offline engine has no answer for the invoke ${token}: teach engine/mocks.ts what AWS returns for it`);
    }
}
