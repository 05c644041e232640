/**
 * Derives, for every resource type the program declares, which inputs its provider can only change
 * by replacing the resource, from the pinned providers' own sources:
 *
 * - AWS: the Terraform provider that @pulumi/aws bridges. Its schema functions, as published
 *   per release tag by lonegunmanb/terraform-provider-aws-index (each function's source verbatim,
 *   indexed by terraform type): `ForceNew: true` (SDKv2) and `RequiresReplace()` plan modifiers
 *   (plugin framework), nested blocks included; `ForceNewIfChange`/`ForceNew(...)` in a
 *   CustomizeDiff are recorded as conditional.
 * - TLS and random: the Terraform providers @pulumi/tls and @pulumi/random bridge (plugin framework
 *   schemas, `RequiresReplace*()` plan modifiers).
 * - Kubernetes: pulumi-kubernetes's own rules (provider/pkg/provider/diff.go: metadata.name and
 *   namespace for every kind, then per group, version and kind; Secrets and ConfigMaps are
 *   immutable unless the provider is told otherwise), Helm Release's (name and namespace,
 *   helm_release.go) and the provider's DiffConfig (a changed clusterIdentifier replaces it).
 *
 * Terraform names become Pulumi input names by the bridge's rule (snake_case to camelCase); the
 * names.AttrX constants are resolved against the @pulumi/aws input types, as are list blocks the
 * bridge pluralises (`rule` is `rules`).
 *
 * Run: `npm run derive-replacements -- --mirrors <dir>` where <dir> holds git directories named
 * <owner>+<repo>/repo (as the search tool's fetch lays them out) of lonegunmanb/terraform-provider-aws-index,
 * hashicorp/terraform-provider-tls, hashicorp/terraform-provider-random and pulumi/pulumi-kubernetes.
 * It writes planner/data/replacements.json; tests/replacements.test.ts checks that every type the
 * program declares is in it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { field, findLiteral, functionSource, GoLiteral, GoValue, matchingBracket, parseValue } from "./go-literal";

/** One source repository read at one revision. */
interface Source {
    readonly repository: string;
    readonly revision: string;
    readonly commit: string;
    readonly date: string;
    /** What the pinned Pulumi package bridges, and how this revision relates to it. */
    readonly note: string;
}

export interface TypeReplacements {
    /** Where the facts come from: repository and path (or rule). */
    readonly source: string;
    /** Input paths (Pulumi names, dotted, list items unmarked) whose change replaces the resource. */
    readonly forceNew: readonly string[];
    /** Inputs that replace the resource only for some changes (CustomizeDiff, RequiresReplaceIf). */
    readonly conditional: readonly string[];
    /** The provider deletes first when the replacement keeps the object's name (Kubernetes objects named by the program). */
    readonly deleteBeforeReplaceWhenNamed?: boolean;
}

export interface Replacements {
    readonly derivedBy: string;
    readonly derivedAt: string;
    readonly packages: Record<string, string>;
    readonly sources: Record<string, Source>;
    /** By Pulumi type token; `kubernetes:*` is the rule for every Kubernetes kind without one of its own. */
    readonly types: Record<string, TypeReplacements>;
}

/**
 * The Terraform resource each @pulumi/aws type bridges (pulumi-aws's provider mapping), for the
 * types the program declares. The derived file must cover every type the program declares; a
 * new type needs its line here.
 */
export const AWS_TERRAFORM_TYPES: Record<string, string> = {
    "aws:acm/certificate:Certificate": "aws_acm_certificate",
    "aws:acm/certificateValidation:CertificateValidation": "aws_acm_certificate_validation",
    "aws:amp/alertManagerDefinition:AlertManagerDefinition": "aws_prometheus_alert_manager_definition",
    "aws:amp/ruleGroupNamespace:RuleGroupNamespace": "aws_prometheus_rule_group_namespace",
    "aws:amp/workspace:Workspace": "aws_prometheus_workspace",
    "aws:autoscaling/schedule:Schedule": "aws_autoscaling_schedule",
    "aws:backup/plan:Plan": "aws_backup_plan",
    "aws:backup/selection:Selection": "aws_backup_selection",
    "aws:backup/vault:Vault": "aws_backup_vault",
    "aws:cloudwatch/dashboard:Dashboard": "aws_cloudwatch_dashboard",
    "aws:cloudwatch/logGroup:LogGroup": "aws_cloudwatch_log_group",
    "aws:cognito/userGroup:UserGroup": "aws_cognito_user_group",
    "aws:cognito/userPool:UserPool": "aws_cognito_user_pool",
    "aws:cognito/userPoolClient:UserPoolClient": "aws_cognito_user_pool_client",
    "aws:cognito/userPoolDomain:UserPoolDomain": "aws_cognito_user_pool_domain",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "aws_cloudwatch_metric_alarm",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": "aws_default_network_acl",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "aws_default_security_group",
    "aws:ec2/eip:Eip": "aws_eip",
    "aws:ec2/flowLog:FlowLog": "aws_flow_log",
    "aws:ec2/instance:Instance": "aws_instance",
    "aws:ec2/internetGateway:InternetGateway": "aws_internet_gateway",
    "aws:ec2/launchTemplate:LaunchTemplate": "aws_launch_template",
    "aws:ec2/networkAcl:NetworkAcl": "aws_network_acl",
    "aws:ec2/natGateway:NatGateway": "aws_nat_gateway",
    "aws:ec2/routeTable:RouteTable": "aws_route_table",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "aws_route_table_association",
    "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
    "aws:ec2/subnet:Subnet": "aws_subnet",
    "aws:ec2/vpc:Vpc": "aws_vpc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "aws_vpc_endpoint",
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": "aws_vpc_ipv4_cidr_block_association",
    "aws:eks/accessEntry:AccessEntry": "aws_eks_access_entry",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "aws_eks_access_policy_association",
    "aws:eks/identityProviderConfig:IdentityProviderConfig": "aws_eks_identity_provider_config",
    "aws:eks/addon:Addon": "aws_eks_addon",
    "aws:eks/cluster:Cluster": "aws_eks_cluster",
    "aws:eks/nodeGroup:NodeGroup": "aws_eks_node_group",
    "aws:grafana/workspace:Workspace": "aws_grafana_workspace",
    "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration": "aws_grafana_workspace_saml_configuration",
    "aws:iam/instanceProfile:InstanceProfile": "aws_iam_instance_profile",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "aws_iam_openid_connect_provider",
    "aws:iam/policy:Policy": "aws_iam_policy",
    "aws:iam/role:Role": "aws_iam_role",
    "aws:iam/rolePolicy:RolePolicy": "aws_iam_role_policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "aws_iam_role_policy_attachment",
    "aws:kms/alias:Alias": "aws_kms_alias",
    "aws:kms/key:Key": "aws_kms_key",
    "aws:rds/instance:Instance": "aws_db_instance",
    "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
    "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
    "aws:s3/bucket:Bucket": "aws_s3_bucket",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "aws_s3_bucket_lifecycle_configuration",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "aws_s3_bucket_ownership_controls",
    "aws:s3/bucketLogging:BucketLogging": "aws_s3_bucket_logging",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": "aws_s3_bucket_object_lock_configuration",
    "aws:s3/bucketPolicy:BucketPolicy": "aws_s3_bucket_policy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "aws_s3_bucket_public_access_block",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "aws_s3_bucket_server_side_encryption_configuration",
    "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
    "aws:route53/record:Record": "aws_route53_record",
    "aws:secretsmanager/secret:Secret": "aws_secretsmanager_secret",
    "aws:secretsmanager/secretVersion:SecretVersion": "aws_secretsmanager_secret_version",
    "aws:ssm/document:Document": "aws_ssm_document",
    "aws:ssm/parameter:Parameter": "aws_ssm_parameter",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "aws_vpc_security_group_egress_rule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "aws_vpc_security_group_ingress_rule",
    "aws:wafv2/webAcl:WebAcl": "aws_wafv2_web_acl",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "aws_wafv2_web_acl_logging_configuration",
};

/** The Terraform resources @pulumi/tls and @pulumi/random bridge, by token, with their source files. */
const FRAMEWORK_TYPES: Record<string, { provider: "tls" | "random"; file: string; struct: string }> = {
    "tls:index/privateKey:PrivateKey": { provider: "tls", file: "internal/provider/resource_private_key.go", struct: "privateKeyResource" },
    "tls:index/selfSignedCert:SelfSignedCert": { provider: "tls", file: "internal/provider/resource_self_signed_cert.go", struct: "selfSignedCertResource" },
    "tls:index/certRequest:CertRequest": { provider: "tls", file: "internal/provider/resource_cert_request.go", struct: "certRequestResource" },
    "tls:index/locallySignedCert:LocallySignedCert": { provider: "tls", file: "internal/provider/resource_locally_signed_cert.go", struct: "locallySignedCertResource" },
    "random:index/randomPassword:RandomPassword": { provider: "random", file: "internal/provider/resource_password.go", struct: "passwordResource" },
    "random:index/randomId:RandomId": { provider: "random", file: "internal/provider/resource_id.go", struct: "idResource" },
};

/** A field of a schema: whether changing it replaces the resource, and its nested fields. */
export interface SchemaField {
    forceNew: boolean;
    conditional: boolean;
    computedOnly: boolean;
    children: Map<string, SchemaField>;
}

/** Resolves calls to package-level functions (a schema built by a helper) to their source. */
export type FunctionLookup = (name: string) => string | undefined;

const isTrue = (value: GoValue | undefined) => value?.kind === "expression" && value.text === "true";

/** A Terraform attribute name from a key: a string literal, or names.AttrX (resolved later, marked with its constant). */
function keyName(key: string): string {
    const literal = /^"([^"]+)"$/.exec(key);
    if (literal) return literal[1];
    const constant = /^names\.Attr(\w+)$/.exec(key);
    if (constant) return `@${constant[1]}`;
    return key;
}

/** The literal a value stands for, following `helper()` to the literal its function returns. */
function resolveLiteral(value: GoValue | undefined, lookup: FunctionLookup, depth = 0): GoLiteral | undefined {
    if (!value || depth > 4) return undefined;
    if (value.kind === "literal") return value;
    const call = /^(\w+)\(\)$/.exec(value.text);
    if (!call) return undefined;
    const source = lookup(call[1]);
    const returned = source ? /\breturn\s+/.exec(source) : null;
    if (!source || !returned) return undefined;
    const start = returned.index + returned[0].length;
    const brace = source.indexOf("{", start);
    return resolveLiteral(parseValue(source.slice(start, matchingBracket(source, brace) + 1)), lookup, depth + 1);
}

/** SDKv2: the fields of a `map[string]*schema.Schema{...}`. */
function sdkFields(map: GoLiteral, lookup: FunctionLookup): Map<string, SchemaField> {
    const fields = new Map<string, SchemaField>();
    for (const element of map.elements) {
        if (!element.key) continue;
        const body = resolveLiteral(element.value, lookup);
        const result: SchemaField = { forceNew: false, conditional: false, computedOnly: false, children: new Map() };
        if (body) {
            result.forceNew = isTrue(field(body, "ForceNew"));
            result.computedOnly = isTrue(field(body, "Computed")) && !isTrue(field(body, "Optional")) && !isTrue(field(body, "Required"));
            const elem = resolveLiteral(field(body, "Elem"), lookup);
            const nested = elem && /schema\.Resource$/.test(elem.type) ? resolveLiteral(field(elem, "Schema"), lookup) : undefined;
            if (nested) result.children = sdkFields(nested, lookup);
        }
        fields.set(keyName(element.key), result);
    }
    return fields;
}

/** Plugin framework: the attributes and blocks of a schema or nested object. */
export function frameworkFields(object: GoLiteral, lookup: FunctionLookup): Map<string, SchemaField> {
    const fields = new Map<string, SchemaField>();
    for (const group of ["Attributes", "Blocks"]) {
        const map = resolveLiteral(field(object, group), lookup);
        for (const element of map?.elements ?? []) {
            if (!element.key) continue;
            const body = resolveLiteral(element.value, lookup);
            const result: SchemaField = { forceNew: false, conditional: false, computedOnly: false, children: new Map() };
            if (body) {
                const modifiers = field(body, "PlanModifiers");
                const text = modifiers?.kind === "literal" ? modifiers.elements.map((e) => (e.value.kind === "expression" ? e.value.text : "")).join(" ") : "";
                result.forceNew = /\bRequiresReplace(IfConfigured)?\(\)/.test(text);
                // Other replace modifiers (RequiresReplaceIf..., a provider's own) replace for some changes only.
                result.conditional = !result.forceNew && /requires?Replace\w*\(/i.test(text);
                result.computedOnly = isTrue(field(body, "Computed")) && !isTrue(field(body, "Optional")) && !isTrue(field(body, "Required"));
                const nested = resolveLiteral(field(body, "NestedObject"), lookup);
                if (nested) result.children = frameworkFields(nested, lookup);
            }
            fields.set(keyName(element.key), result);
        }
    }
    return fields;
}

/** Attribute paths that a CustomizeDiff may force to replace: ForceNewIfChange("x") and d.ForceNew("x.0.y"). */
function customizeDiffPaths(sources: readonly string[]): string[] {
    const found = new Set<string>();
    for (const source of sources) {
        for (const match of source.matchAll(/ForceNew(?:IfChange|IfChangeAny)?\(\s*("[^"]+"|names\.Attr\w+)/g)) found.add(keyName(match[1]).replace(/\.\d+\./g, "."));
    }
    return [...found];
}

// ---------------------------------------------------------------------------------------------
// Pulumi names

/** Pulumi's name for a Terraform attribute: snake_case to camelCase. */
function camel(name: string): string {
    return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Lower case without separators: how Terraform and Pulumi names compare. */
export function canonicalKey(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

interface PulumiProperty { readonly name: string; readonly type: string }

/** Input properties of @pulumi/aws resources and input types, for resolving names.AttrX and plural blocks. */
class PulumiNames {
    private readonly inputTypes = new Map<string, PulumiProperty[]>();
    private readonly args = new Map<string, PulumiProperty[]>();

    constructor(private readonly packageDir: string) {
        const text = fs.readFileSync(path.join(packageDir, "types", "input.d.ts"), "utf8");
        let namespace = "";
        let current: PulumiProperty[] | undefined;
        for (const line of text.split("\n")) {
            const ns = /^export declare namespace (\w+) \{$/.exec(line);
            if (ns) { namespace = ns[1]; continue; }
            const start = /^ {4}interface (\w+) \{$/.exec(line);
            if (start) { current = []; this.inputTypes.set(`${namespace}.${start[1]}`, current); continue; }
            if (/^ {4}\}$/.test(line)) { current = undefined; continue; }
            const property = /^ {8}(\w+)\??: (.*)$/.exec(line);
            if (property && current) current.push({ name: property[1], type: property[2] });
        }
    }

    /** The Args properties of the resource `token` (aws:eks/cluster:Cluster). */
    argsOf(token: string): PulumiProperty[] {
        if (!this.args.has(token)) {
            const [, module, file, className] = /^aws:([\w]+)\/(\w+):(\w+)$/.exec(token) ?? [];
            const dts = path.join(this.packageDir, module, `${file}.d.ts`);
            const properties: PulumiProperty[] = [];
            if (fs.existsSync(dts)) {
                let inside = false;
                for (const line of fs.readFileSync(dts, "utf8").split("\n")) {
                    if (line === `export interface ${className}Args {`) { inside = true; continue; }
                    if (inside && line === "}") break;
                    const property = inside ? /^ {4}(\w+)\??: (.*)$/.exec(line) : null;
                    if (property) properties.push({ name: property[1], type: property[2] });
                }
            }
            this.args.set(token, properties);
        }
        return this.args.get(token)!;
    }

    /** The properties of the input type a property refers to (`inputs.eks.ClusterVpcConfig`). */
    nested(property: PulumiProperty | undefined): PulumiProperty[] | undefined {
        const reference = property ? /inputs\.([\w.]+)/.exec(property.type) : null;
        return reference ? this.inputTypes.get(reference[1]) : undefined;
    }

    /** The Pulumi property for a Terraform name among `properties`: same name, or the bridge's plural of a list block. */
    static find(properties: readonly PulumiProperty[] | undefined, name: string): PulumiProperty | undefined {
        const key = canonicalKey(name.replace(/^@/, ""));
        const candidates = [key, `${key}s`, `${key}es`, key.replace(/y$/, "ies")];
        return properties?.find((p) => candidates.includes(canonicalKey(p.name)));
    }
}

/** The Pulumi name of a Terraform name among `properties`, or the bridge's camelCase of it. */
function pulumiName(properties: readonly PulumiProperty[] | undefined, name: string): string {
    const property = PulumiNames.find(properties, name);
    if (property) return property.name;
    return name.startsWith("@") ? name.slice(1, 2).toLowerCase() + name.slice(2) : camel(name);
}

/** A dotted Pulumi path for Terraform path segments, resolving each level's names. */
function pulumiPath(segments: readonly string[], properties: readonly PulumiProperty[] | undefined, names: PulumiNames): string {
    const [first, ...rest] = segments;
    const property = PulumiNames.find(properties, first);
    const name = pulumiName(properties, first);
    return rest.length === 0 ? name : `${name}.${pulumiPath(rest, names.nested(property), names)}`;
}

/** Dotted Pulumi paths of the fields that force a replacement (a forced block covers its children). */
function forcedPaths(fields: Map<string, SchemaField>, properties: readonly PulumiProperty[] | undefined, names: PulumiNames | undefined, prefix = ""): { forceNew: string[]; conditional: string[] } {
    const forceNew: string[] = [];
    const conditional: string[] = [];
    for (const [name, f] of [...fields].sort(([a], [b]) => a.localeCompare(b))) {
        if (f.computedOnly) continue;
        const property = PulumiNames.find(properties, name);
        const at = `${prefix}${pulumiName(properties, name)}`;
        if (f.forceNew) { forceNew.push(at); continue; }
        if (f.conditional) conditional.push(at);
        const nested = forcedPaths(f.children, names?.nested(property), names, `${at}.`);
        forceNew.push(...nested.forceNew);
        conditional.push(...nested.conditional);
    }
    return { forceNew, conditional };
}

// ---------------------------------------------------------------------------------------------
// Sources

function git(gitDir: string, ...args: string[]): string {
    return execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

function describe(gitDir: string, repository: string, revision: string, note: string): Source {
    const [commit, date] = git(gitDir, "log", "-1", "--format=%H %cI", revision).trim().split(" ");
    return { repository, revision, commit, date, note };
}

/** AWS: every declared type's schema function from the index at `tag`. */
function deriveAws(gitDir: string, tag: string, names: PulumiNames, tokens: readonly string[]): Record<string, TypeReplacements> {
    const index = JSON.parse(git(gitDir, "show", `${tag}:index/terraform-provider-aws-index.json`)) as {
        services: { service_name: string; aws_sdk_resources?: Record<string, unknown>; aws_framework_resources?: Record<string, unknown> }[];
    };
    const serviceOf = new Map<string, string>();
    const factories = new Map<string, string>();
    for (const service of index.services) {
        for (const type of [...Object.keys(service.aws_sdk_resources ?? {}), ...Object.keys(service.aws_framework_resources ?? {})]) serviceOf.set(type, service.service_name);
        for (const [type, entry] of Object.entries(service.aws_framework_resources ?? {})) factories.set(type, (entry as { factory_function: string }).factory_function);
    }
    const read = (file: string) => {
        try {
            return execFileSync("git", ["--git-dir", gitDir, "show", `${tag}:${file}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });
        } catch {
            return undefined;
        }
    };
    const result: Record<string, TypeReplacements> = {};
    for (const token of tokens) {
        const terraformType = AWS_TERRAFORM_TYPES[token];
        if (!terraformType) throw new Error(`${token}: no Terraform type in AWS_TERRAFORM_TYPES (scripts/derive-replacements.ts); add the resource pulumi-aws maps it to`);
        const service = serviceOf.get(terraformType);
        if (!service) throw new Error(`${terraformType}: not in the index at ${tag}`);
        const meta = JSON.parse(read(`index/resources/${terraformType}.json`) ?? "{}") as { struct_type?: string; sdk_type?: string; schema_index?: string; create_index?: string; read_index?: string; delete_index?: string };
        const dir = `index/internal/service/${service}`;
        const lookup: FunctionLookup = (name) => {
            const text = read(`${dir}/func.${name}.goindex`);
            return text ? functionSource(text, name) : undefined;
        };
        let fields: Map<string, SchemaField>;
        let file: string;
        let customize: string[] = [];
        const struct = meta.sdk_type === "aws_framework" ? frameworkStruct(meta.struct_type, factories.get(terraformType), dir, read) : undefined;
        if (struct) {
            file = `${dir}/method.${struct}.Schema.goindex`;
            const text = read(file);
            if (!text) throw new Error(`${terraformType}: ${file} missing`);
            const schemaLiteral = findLiteral(text, /schema\.Schema\{/);
            if (!schemaLiteral) throw new Error(`${terraformType}: no schema.Schema literal in ${file}`);
            fields = frameworkFields(schemaLiteral, lookup);
        } else {
            // The index's schema_index misnames SDK schema functions; they are named after their CRUD
            // functions (resourceXRead is resourceX's), which it names right. Create first: sibling
            // resources share a Read (aws_default_network_acl reads with aws_network_acl's).
            const candidates = [
                /^func\.(\w+)\.goindex$/.exec(meta.schema_index ?? "")?.[1],
                ...[meta.create_index, meta.read_index, meta.delete_index].map((index) => /^func\.(\w+?)(?:Read|Create|Put|Delete)\.goindex$/.exec(index ?? "")?.[1]),
            ].filter((f): f is string => f !== undefined);
            const factory = candidates.find((name) => lookup(name)?.includes("&schema.Resource{"));
            if (!factory) throw new Error(`${terraformType}: no schema function among ${candidates.join(", ") || "none"}`);
            file = `${dir}/func.${factory}.goindex`;
            ({ fields, customize } = sdkResourceSchema(lookup(factory)!, lookup, `${terraformType}: ${file}`));
        }
        result[token] = { source: `${file} (${terraformType})`, ...replacementInputs(fields, customize, names.argsOf(token), names) };
    }
    return result;
}

/** SDKv2: the fields of the schema a `func resourceX() *schema.Resource` returns, and its CustomizeDiff's source. */
export function sdkResourceSchema(source: string, lookup: FunctionLookup, where = "schema function"): { fields: Map<string, SchemaField>; customize: string[] } {
    const resource = findLiteral(source, /&schema\.Resource\{/);
    const map = resource && resolveLiteral(field(resource, "Schema") ?? schemaFuncResult(field(resource, "SchemaFunc"), lookup), lookup);
    if (!resource || !map) throw new Error(`${where}: no schema map`);
    const customize: string[] = [];
    const diff = field(resource, "CustomizeDiff");
    if (diff) {
        const text = diff.kind === "expression" ? diff.text : "";
        customize.push(text, ...[...text.matchAll(/\b(\w+)\b/g)].map((m) => lookup(m[1]) ?? ""));
    }
    return { fields: sdkFields(map, lookup), customize };
}

/** The forced and conditional input paths of a schema's fields, in Pulumi's names where `properties` are given. */
export function replacementInputs(fields: Map<string, SchemaField>, customize: readonly string[], properties?: readonly PulumiProperty[], names?: PulumiNames): { forceNew: string[]; conditional: string[] } {
    const paths = forcedPaths(fields, properties, names);
    const conditional = customizeDiffPaths(customize).map((p) => (names ? pulumiPath(p.split("."), properties, names) : p.split(".").map((x) => camel(x.replace(/^@/, ""))).join(".")));
    // An input that always replaces needs no conditional entry beside it.
    return { forceNew: paths.forceNew, conditional: [...new Set([...paths.conditional, ...conditional])].filter((p) => !paths.forceNew.includes(p)).sort() };
}

/**
 * The struct whose Schema method a framework resource uses. The index leaves struct_type empty for
 * some, and prefixes factory names with the service: the struct is the type whose name ends the
 * factory's, or the struct it embeds when it has no Schema method of its own.
 */
function frameworkStruct(indexed: string | undefined, factory: string | undefined, dir: string, read: (file: string) => string | undefined): string | undefined {
    let struct = indexed || undefined;
    if (!struct && factory) {
        const name = factory.replace(/^new/, "").toLowerCase();
        for (let i = 0; i < name.length && !struct; i++) {
            const candidate = factory.replace(/^new/, "").slice(i);
            const typeName = candidate[0].toLowerCase() + candidate.slice(1);
            if (read(`${dir}/type.${typeName}.goindex`)) struct = typeName;
        }
    }
    for (let depth = 0; struct && depth < 3 && !read(`${dir}/method.${struct}.Schema.goindex`); depth++) {
        const body = /struct \{\s*(\w+)\s*\n/.exec(read(`${dir}/type.${struct}.goindex`) ?? "");
        struct = body?.[1];
    }
    return struct;
}

/** A SchemaFunc's result: `func() map[string]*schema.Schema { return map...{...} }`. */
function schemaFuncResult(value: GoValue | undefined, lookup: FunctionLookup): GoValue | undefined {
    if (!value || value.kind !== "expression") return undefined;
    const text = value.text;
    const named = /^(\w+)$/.exec(text);
    const body = named ? lookup(named[1]) : text;
    if (!body) return undefined;
    return findLiteral(body, /map\[string\]\*schema\.Schema\{/);
}

/** TLS and random: the framework schema of each resource, from the provider's package. */
function deriveFramework(gitDirs: Record<"tls" | "random", { dir: string; revision: string }>): Record<string, TypeReplacements> {
    const result: Record<string, TypeReplacements> = {};
    for (const [token, { provider, file, struct }] of Object.entries(FRAMEWORK_TYPES)) {
        const { dir, revision } = gitDirs[provider];
        const files = git(dir, "ls-tree", "--name-only", revision, "internal/provider/").split("\n").filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"));
        const packageText = files.map((f) => git(dir, "show", `${revision}:${f}`)).join("\n");
        const lookup: FunctionLookup = (name) => functionSource(packageText, name);
        const method = functionSource(git(dir, "show", `${revision}:${file}`), "Schema");
        if (!method || !method.includes(`*${struct})`)) throw new Error(`${token}: no Schema method of ${struct} in ${file}`);
        const assigned = /resp\.Schema\s*=\s*/.exec(method)!;
        const schemaLiteral = resolveLiteral(parseValue(method.slice(assigned.index + assigned[0].length, method.lastIndexOf("}"))), lookup);
        if (!schemaLiteral) throw new Error(`${token}: no schema literal in ${file}`);
        const paths = forcedPaths(frameworkFields(schemaLiteral, lookup), undefined, undefined);
        result[token] = { source: file, forceNew: paths.forceNew, conditional: paths.conditional };
    }
    return result;
}

/** A Go `properties{...}` list with `prefix + ".x"` entries, evaluated for `prefix`. */
function propertyList(literal: GoLiteral, prefix: string): string[] {
    return literal.elements.map((e) => (e.value.kind === "expression" ? e.value.text : ""))
        .map((text) => /^(?:prefix\s*\+\s*)?"([^"]+)"$/.exec(text)).filter((m): m is RegExpExecArray => m !== null)
        .map((m) => (m[0].startsWith("prefix") ? prefix : "") + m[1]);
}

/** Kubernetes: pulumi-kubernetes's rules, read from its provider package at `revision`. */
function deriveKubernetes(gitDir: string, revision: string): Record<string, TypeReplacements> {
    const read = (file: string) => git(gitDir, "show", `${revision}:provider/pkg/provider/${file}`);
    return kubernetesRules(read("diff.go"), read("helm_release.go"), read("provider.go"));
}

/** diff.go's table evaluated kind by kind, and the Helm Release's and the provider's rules. */
export function kubernetesRules(diffGo: string, helmGo: string, providerGo: string): Record<string, TypeReplacements> {
    const variables = new Map<string, string>();
    for (const match of diffGo.matchAll(/^var (\w+) = /gm)) {
        const start = match.index! + match[0].length;
        const open = diffGo.slice(start).search(/[({]/) + start;
        variables.set(match[1], diffGo.slice(start, matchingBracket(diffGo, open) + 1));
    }
    /** Evaluates a properties expression: a literal, a variable, append(x, y...) or helper("prefix"). */
    const evaluate = (text: string): string[] => {
        const value = parseValue(text);
        if (value.kind === "literal" && value.type === "properties") return propertyList(value, "");
        const trimmed = text.trim().replace(/\.\.\.$/, "");
        if (variables.has(trimmed)) return evaluate(variables.get(trimmed)!);
        const call = /^(\w+)\(([\s\S]*)\)$/.exec(trimmed);
        if (call && call[1] === "append") {
            const args = parseValue(`x{${call[2]}}`) as GoLiteral;
            return args.elements.flatMap((e) => evaluate(e.value.kind === "expression" ? e.value.text : `properties{${(e.value as GoLiteral).elements.map((x) => (x.value as { text: string }).text).join(",")}}`));
        }
        if (call) {
            const source = functionSource(diffGo, call[1]);
            const body = source && findLiteral(source, /properties\{/);
            if (!body) throw new Error(`diff.go: cannot evaluate ${call[1]}`);
            return [...call[2].matchAll(/"([^"]+)"/g)].flatMap((m) => propertyList(body, m[1]));
        }
        throw new Error(`diff.go: cannot evaluate ${text.slice(0, 60)}`);
    };
    const table = findLiteral(variables.get("forceNew") ?? "", /_groups\{/);
    if (!table) throw new Error("diff.go: no forceNew table");
    const kinds = new Map<string, string[]>();
    const groupValue = (value: GoValue): GoLiteral | undefined => (value.kind === "literal" ? value : findLiteral(variables.get(value.text) ?? "", /_versions\{/));
    for (const group of table.elements) {
        const versions = groupValue(group.value);
        for (const version of versions?.elements ?? []) {
            for (const kind of (version.value as GoLiteral).elements ?? []) {
                const groupName = JSON.parse(group.key!) === "" ? "core" : JSON.parse(group.key!);
                const text = kind.value.kind === "expression" ? kind.value.text : `properties{${(kind.value as GoLiteral).elements.map((e) => (e.value as { text: string }).text).join(",")}}`;
                kinds.set(`kubernetes:${groupName}/${JSON.parse(version.key!)}:${JSON.parse(kind.key!)}`, evaluate(text));
            }
        }
    }
    const metadata = evaluate('metadataForceNewProperties(".metadata")');
    // Secrets (and ConfigMaps) are replaced on any data change unless the provider enables mutation (we do not).
    const secret = [...diffGo.matchAll(/IsSecret[\s\S]*?properties\{([^}]*)\}/g)][0]?.[1];
    const configMap = [...diffGo.matchAll(/IsConfigMap[\s\S]*?properties\{([^}]*)\}/g)][0]?.[1];
    if (secret) kinds.set("kubernetes:core/v1:Secret", evaluate(`properties{${secret}}`));
    if (configMap) kinds.set("kubernetes:core/v1:ConfigMap", evaluate(`properties{${configMap}}`));
    const helm = /forceNewFields := \[\]string\{([^}]*)\}/.exec(helmGo)?.[1];
    const clusterIdentifier = /clusterIdentifierKey\s*=\s*"(\w+)"/.exec(providerGo)?.[1];
    if (!helm || !clusterIdentifier || !/replaces = append\(replaces, clusterIdentifierKey\)/.test(providerGo)) throw new Error("pulumi-kubernetes: the Helm Release's or the provider's replacement rule moved");
    const dotted = (paths: readonly string[]) => [...new Set(paths.map((p) => p.replace(/^\./, "").replace(/\[\*\]/g, "")))].sort();
    // A named object replaced under the same name and namespace is deleted first (provider.go, Diff).
    const namedFirst = /deleteBeforeReplace :=[\s\S]{0,400}metadata\.IsNamed\(/.test(providerGo);
    const result: Record<string, TypeReplacements> = {
        "kubernetes:*": { source: "provider/pkg/provider/diff.go (metadataForceNewProperties, every kind)", forceNew: dotted(metadata), conditional: [], ...(namedFirst ? { deleteBeforeReplaceWhenNamed: true } : {}) },
        "kubernetes:helm.sh/v3:Release": { source: "provider/pkg/provider/helm_release.go (Diff)", forceNew: dotted([...helm.matchAll(/"([^"]+)"/g)].map((m) => m[1])), conditional: [] },
        "pulumi:providers:kubernetes": { source: "provider/pkg/provider/provider.go (DiffConfig, with clusterIdentifier set)", forceNew: [clusterIdentifier], conditional: [] },
    };
    // Every kind the table names, whether or not the program declares it yet; the rest (and Patch
    // resources, which change only the fields they name) follow kubernetes:*.
    for (const [token, rule] of kinds) {
        result[token] = { source: "provider/pkg/provider/diff.go (forceNew table)", forceNew: dotted([...metadata, ...rule]), conditional: [], ...(namedFirst ? { deleteBeforeReplaceWhenNamed: true } : {}) };
    }
    return result;
}

/** The custom resource types a run of each shipped stack declares. */
export async function declaredTypes(projectDir: string): Promise<string[]> {
    const { runStack } = await import("../engine/run");
    const { listStacks } = await import("../engine/stack-file");
    const types = new Set<string>();
    for (const stack of listStacks(projectDir)) {
        for (const resource of (await runStack(stack, { projectDir })).resources) if (resource.custom) types.add(resource.type);
    }
    return [...types].sort();
}

export const OUTPUT = path.join(__dirname, "..", "planner", "data", "replacements.json");

/** Provider packages and the upstream revisions that record their replacement rules. */
export const UPSTREAM = {
    aws: { repository: "lonegunmanb/terraform-provider-aws-index", revision: "v6.58.0", note: "@pulumi/aws 7.48.0 (published 2026-09-22) bridges a terraform-provider-aws 6.x release; v6.58.0 (2026-08-05) is the newest the index held when derived" },
    kubernetes: { repository: "pulumi/pulumi-kubernetes", revision: "HEAD", note: "@pulumi/kubernetes 4.34.2's own provider; read at the newest commit fetched (after v4.32.0)" },
    tls: { repository: "hashicorp/terraform-provider-tls", revision: "HEAD", note: "@pulumi/tls 5.6.1 bridges terraform-provider-tls 4.x; read at the newest commit fetched (after v4.2.1)" },
    random: { repository: "hashicorp/terraform-provider-random", revision: "f8d869dc98d90785f6c8f7131081fa5ef88f9d95", note: "the commit pulumi-random's provider/go.mod pins (v3.9.0), which @pulumi/random 4.21.x bridges" },
} as const;

export async function deriveReplacements(mirrors: string, projectDir: string): Promise<Replacements> {
    const dir = (repository: string) => path.join(mirrors, repository.replace("/", "+"), "repo");
    const tokens = await declaredTypes(projectDir);
    const awsTokens = [...new Set([...tokens.filter((t) => t.startsWith("aws:")), ...Object.keys(AWS_TERRAFORM_TYPES)])].sort();
    const packageDir = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const names = new PulumiNames(packageDir);
    const version = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
    const types: Record<string, TypeReplacements> = {
        ...deriveAws(dir(UPSTREAM.aws.repository), UPSTREAM.aws.revision, names, awsTokens),
        ...deriveFramework({ tls: { dir: dir(UPSTREAM.tls.repository), revision: UPSTREAM.tls.revision }, random: { dir: dir(UPSTREAM.random.repository), revision: UPSTREAM.random.revision } }),
        ...deriveKubernetes(dir(UPSTREAM.kubernetes.repository), UPSTREAM.kubernetes.revision),
        // The AWS provider's settings (region, default tags) update it in place; no input replaces it.
        "pulumi:providers:aws": { source: "provider configuration: no replacing input", forceNew: [], conditional: [] },
    };
    return {
        derivedBy: "scripts/derive-replacements.ts",
        derivedAt: new Date().toISOString().slice(0, 10),
        packages: Object.fromEntries(["@pulumi/aws", "@pulumi/kubernetes", "@pulumi/tls", "@pulumi/random"].map((p) => [p, version(p)])),
        sources: Object.fromEntries(Object.entries(UPSTREAM).map(([key, u]) => [key, describe(dir(u.repository), u.repository, u.revision, u.note)])),
        types: Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b))),
    };
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const at = args.indexOf("--mirrors");
    if (at < 0 || !args[at + 1]) {
        console.error("usage: npm run derive-replacements -- --mirrors <dir holding owner+repo/repo git directories>");
        process.exit(2);
    }
    deriveReplacements(path.resolve(args[at + 1]), path.join(__dirname, "..")).then((replacements) => {
        fs.writeFileSync(OUTPUT, `${JSON.stringify(replacements, null, 2)}\n`);
        console.log(`${path.relative(process.cwd(), OUTPUT)}: ${Object.keys(replacements.types).length} types`);
    }).catch((error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}
