/**
 * The pack over an open world: types derived from the installed provider, and the rules that judge
 * them by meaning. Every newly judged type and reader gets resources that pass and that fail.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { AWS_TYPE_FACTS } from "../../policy/data/aws-types";
import { AWS_TYPES } from "../../policy/lib/aws-types";
import { ebsKmsEncryption } from "../../policy/rules/ebs/ebs-kms-encryption";
import { sgNoOpenIngress } from "../../policy/rules/ec2/sg-no-open-ingress";
import { eksNodeRemoteAccess } from "../../policy/rules/eks/eks-node-remote-access";
import { encryptionAtRest } from "../../policy/rules/encryption/encryption-at-rest";
import { iamLeastPrivilege } from "../../policy/rules/iam/iam-least-privilege";
import { helmNoPlaintextSecrets } from "../../policy/rules/kubernetes/helm-no-plaintext-secrets";
import { s3KmsEncryption } from "../../policy/rules/s3/s3-kms-encryption";
import { s3TlsOnly } from "../../policy/rules/s3/s3-tls-only";
import { requiredTags } from "../../policy/rules/tags/required-tags";
import { deriveAwsTypes, OUTPUT, renderAwsTypes } from "../../scripts/derive-aws-types";
import { awsProvider, check, messages, planned, TAGS, UNKNOWN } from "./helpers";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("policy data: AWS types derived from the installed provider", () => {
    const packageDir = path.dirname(require.resolve("@pulumi/aws/package.json"));

    it("is exactly what scripts/derive-aws-types.ts derives from the installed @pulumi/aws", () => {
        const derived = deriveAwsTypes(packageDir);
        expect(derived.source.version).to.equal(require("@pulumi/aws/package.json").version);
        expect(AWS_TYPE_FACTS).to.deep.equal(derived);
        expect(fs.readFileSync(OUTPUT, "utf8")).to.equal(renderAwsTypes(derived));
    });

    it("is counted in the pack's README as it is", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "..", "policy", "README.md"), "utf8");
        const version = AWS_TYPES.source.version;
        for (const count of [AWS_TYPES.taggable.length, Object.keys(AWS_TYPES.encryption).length, Object.keys(AWS_TYPES.policyDocuments).length]) {
            expect(readme, String(count)).to.include(`(${count} in ${version}`);
        }
        expect(readme).to.include(`managed policy ARNs (${Object.keys(AWS_TYPES.managedPolicyArns).length})`);
    });

    it("names taggable types by their tags map, and leaves out list-tagged and untaggable ones", () => {
        const taggable = new Set(AWS_TYPES.taggable);
        for (const type of ["aws:dynamodb/table:Table", "aws:rds/cluster:Cluster", "aws:ec2/vpc:Vpc", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:eks/addon:Addon"]) expect(taggable, type).to.include(type);
        for (const type of ["aws:autoscaling/group:Group", "aws:kms/alias:Alias", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:ec2/routeTableAssociation:RouteTableAssociation"]) expect(taggable, type).not.to.include(type);
        expect(taggable.size).to.be.greaterThan(800);
    });

    it("finds encryption inputs at the top and inside encryption blocks, and policy documents where they are", () => {
        expect(AWS_TYPES.encryption["aws:dynamodb/table:Table"]).to.deep.equal([{ path: "serverSideEncryption.enabled", role: "flag" }, { path: "serverSideEncryption.kmsKeyArn", role: "key" }]);
        expect(AWS_TYPES.encryption["aws:ecr/repository:Repository"]).to.deep.equal([{ path: "encryptionConfigurations[].encryptionType", role: "mode" }, { path: "encryptionConfigurations[].kmsKey", role: "key" }]);
        expect(AWS_TYPES.encryption["aws:rds/instance:Instance"]).to.deep.include({ path: "storageEncrypted", role: "flag" });
        expect(AWS_TYPES.encryption["aws:apigateway/usagePlanKey:UsagePlanKey"]).to.equal(undefined);
        expect(Object.keys(AWS_TYPES.encryption).filter((t) => t.startsWith("aws:kms/"))).to.deep.equal([]);
        expect(AWS_TYPES.policyDocuments["aws:iam/role:Role"]).to.deep.equal(["assumeRolePolicy", "inlinePolicies[].policy"]);
        expect(AWS_TYPES.policyDocuments["aws:kms/key:Key"]).to.deep.equal(["policy"]);
        expect(AWS_TYPES.managedPolicyArns["aws:iam/role:Role"]).to.deep.equal(["managedPolicyArns"]);
    });
});

describe("policy required-tags over every taggable type", () => {
    it("judges types no hand list named, and passes them with the provider's default tags", () => {
        const provider = awsProvider(TAGS);
        expect(check(requiredTags, [provider, ...["aws:dynamodb/table:Table", "aws:sagemaker/domain:Domain"].map((t) => planned(t, t.split(":").pop()!, {}, { provider }))])).to.deep.equal([]);
        const bare = ["aws:dynamodb/table:Table", "aws:sagemaker/domain:Domain", "aws:kms/alias:Alias"].map((t) => planned(t, t.split(":").pop()!, {}));
        expect(check(requiredTags, bare).map((v) => v.resourceType)).to.deep.equal(["aws:dynamodb/table:Table", "aws:sagemaker/domain:Domain"]);
    });
});

/** Inputs with every path of the type set: keys to a customer key, flags true, modes KMS. */
function encryptedInputs(type: string): Record<string, unknown> {
    const inputs: Record<string, unknown> = {};
    for (const { path: at, role } of AWS_TYPES.encryption[type]) {
        let node: Record<string, unknown> = inputs;
        const steps = at.split(".");
        steps.forEach((step, i) => {
            const list = step.endsWith("[]");
            const name = list ? step.slice(0, -2) : step;
            if (i === steps.length - 1) {
                node[name] = role === "key" ? KEY_ARN : role === "flag" ? true : "KMS";
                return;
            }
            if (list) {
                node[name] ??= [{}];
                node = (node[name] as Record<string, unknown>[])[0];
            } else {
                node[name] ??= {};
                node = node[name] as Record<string, unknown>;
            }
        });
    }
    return inputs;
}

describe("policy encryption-at-rest", () => {
    /** Every derived type less those with their own rule and SSM parameters (judged only as SecureString). */
    const judged = Object.keys(AWS_TYPES.encryption).filter((t) => !/aws:s3\/bucket(V2)?:|aws:ebs\/volume|aws:ec2\/(instance|launchTemplate)|aws:eks\/cluster|aws:cloudwatch\/logGroup|aws:ssm\/parameter/.test(t));

    it("judges every derived type: each fails with nothing set and passes with a customer key, flags on and KMS chosen", () => {
        expect(judged.length).to.be.greaterThan(140);
        const empty = check(encryptionAtRest, judged.map((t) => planned(t, t, {})));
        expect(new Set(empty.map((v) => v.resourceType))).to.deep.equal(new Set(judged));
        expect(check(encryptionAtRest, judged.map((t) => planned(t, t, encryptedInputs(t))))).to.deep.equal([]);
    });

    it("fails a flag off in any spelling, an AWS-managed key, and a service-owned mode, in every list element", () => {
        const violations = check(encryptionAtRest, [
            planned("aws:rds/cluster:Cluster", "db", { storageEncrypted: "False", kmsKeyId: KEY_ARN }),
            planned("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: "alias/aws/sqs" }),
            planned("aws:ecr/repository:Repository", "repo", { encryptionConfigurations: [{ encryptionType: "AES256" }] }),
            planned("aws:opensearch/domain:Domain", "search", { encryptAtRest: { enabled: false, kmsKeyId: KEY_ARN } }),
            planned("aws:ssm/parameter:Parameter", "secret", { type: "SecureString", value: "x" }),
        ]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["db", "storageEncrypted is false: the data is stored unencrypted"],
            ["q", "kmsMasterKeyId alias/aws/sqs is an AWS-managed key, whose policy the stack cannot scope"],
            ["repo", "encryptionConfigurations[0].encryptionType is AES256, not KMS: a service-owned key the stack cannot scope or audit"],
            ["repo", "no customer-managed KMS key (encryptionConfigurations[].kmsKey unset): the data is stored unencrypted or under an AWS-owned or AWS-managed key"],
            ["search", "encryptAtRest.enabled is false: the data is stored unencrypted"],
            ["secret", "no customer-managed KMS key (keyId unset): the data is stored unencrypted or under an AWS-owned or AWS-managed key"],
        ]);
    });

    it("passes keys unknown during preview, plain SSM parameters and types judged by their own rule", () => {
        expect(check(encryptionAtRest, [
            planned("aws:efs/fileSystem:FileSystem", "fs", { encrypted: true, kmsKeyId: UNKNOWN }),
            planned("aws:dynamodb/table:Table", "t", { serverSideEncryption: UNKNOWN }),
            planned("aws:ssm/parameter:Parameter", "plain", { type: "String", value: "x" }),
            planned("aws:ebs/volume:Volume", "v", {}),
            planned("aws:s3/bucket:Bucket", "b", {}),
        ])).to.deep.equal([]);
    });
});

describe("policy eks-node-remote-access and node group disks", () => {
    const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

    it("passes node groups without remote access and with a launch template", () => {
        const groups = [planned(NODE_GROUP, "ng", { launchTemplate: { id: "lt-1", version: "1" } }), planned(NODE_GROUP, "pending", { remoteAccess: UNKNOWN, launchTemplate: UNKNOWN })];
        expect(check(eksNodeRemoteAccess, groups)).to.deep.equal([]);
        expect(check(ebsKmsEncryption, groups)).to.deep.equal([]);
    });

    it("fails SSH open to the internet, any SSH key, and disks without a launch template", () => {
        const open = planned(NODE_GROUP, "open", { remoteAccess: { ec2SshKey: "ops" } });
        const scoped = planned(NODE_GROUP, "scoped", { remoteAccess: { ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-1"] }, launchTemplate: { id: "lt-1" } });
        expect(messages(check(eksNodeRemoteAccess, [open, scoped]))).to.deep.equal([
            "remoteAccess with key ops has no sourceSecurityGroupIds, so EKS opens SSH (port 22) on every node to 0.0.0.0/0",
            "remoteAccess installs an SSH key pair on every node: use SSM Session Manager instead",
        ]);
        expect(check(ebsKmsEncryption, [open, scoped]).map((v) => v.resourceName)).to.deep.equal(["open"]);
    });
});

describe("policy iam-least-privilege over trust and resource policies", () => {
    const ROLE = "aws:iam/role:Role";
    const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
    const OIDC = { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X" };

    /** Inputs with `document` at every policy path of the type (`name[]` as a one-element list). */
    const withDocument = (type: string, document: string): Record<string, unknown> => Object.fromEntries(AWS_TYPES.policyDocuments[type].map((at) => {
        const [head, ...rest] = at.split(".");
        return head.endsWith("[]") ? [head.slice(0, -2), [{ [rest.join(".")]: document }]] : [head, document];
    }));

    it("judges every policy-bearing type the provider declares: an open grant fails on each, a scoped one passes", () => {
        const types = Object.keys(AWS_TYPES.policyDocuments);
        expect(types.length).to.be.greaterThan(100);
        const open = doc({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" });
        const found = check(iamLeastPrivilege, types.map((t) => planned(t, t, withDocument(t, open))));
        expect(new Set(found.map((v) => v.resourceType))).to.deep.equal(new Set(types));
        const scoped = doc({ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" }, Action: "logs:PutLogEvents", Resource: "arn:aws:logs:us-east-1:1:log-group:x:*" });
        expect(check(iamLeastPrivilege, types.map((t) => planned(t, t, withDocument(t, scoped))))).to.deep.equal([]);
    });

    it("judges a Lambda permission as the resource policy statement it writes", () => {
        const PERMISSION = "aws:lambda/permission:Permission";
        const violations = check(iamLeastPrivilege, [
            planned(PERMISSION, "public", { function: "f", action: "lambda:InvokeFunction", principal: "*" }),
            planned(PERMISSION, "from-bucket", { function: "f", action: "lambda:InvokeFunction", principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::b" }),
            planned(PERMISSION, "org", { function: "f", action: "lambda:InvokeFunction", principal: "*", principalOrgId: "o-abc123" }),
            planned(PERMISSION, "pending", { function: "f", action: "lambda:InvokeFunction", principal: "*", sourceAccount: UNKNOWN }),
        ]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["public", "the permission statement 0 allows anyone (Principal *) lambda:InvokeFunction without a condition naming the callers' organisation, account or source"],
        ]);
    });

    it("passes service trust, pinned OIDC subjects, narrowed public statements and non-IAM JSON", () => {
        expect(check(iamLeastPrivilege, [
            planned(ROLE, "service", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }) }),
            planned(ROLE, "irsa", { assumeRolePolicy: doc({ Effect: "Allow", Principal: OIDC, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/X:sub": "system:serviceaccount:velero:velero" } } }) }),
            planned("aws:sqs/queuePolicy:QueuePolicy", "q", { queueUrl: "u", policy: doc({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }, { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:1:t" } } }) }),
            planned("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lc", { repository: "r", policy: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "any" }, action: { type: "expire" } }] }) }),
            planned("aws:iam/rolePolicy:RolePolicy", "scoped-pass", { role: "r", policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/node" }) }),
        ])).to.deep.equal([]);
    });

    it("fails open trust, unpinned OIDC trust, public resource policies, escalation and admin-equivalent attachments", () => {
        const violations = check(iamLeastPrivilege, [
            planned(ROLE, "anyone", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }),
            planned(ROLE, "any-pod", { assumeRolePolicy: doc({ Effect: "Allow", Principal: OIDC, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.us-east-1.amazonaws.com/id/X:aud": "sts.amazonaws.com" } } }) }),
            planned("aws:s3/bucketPolicy:BucketPolicy", "public", { bucket: "b", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }) }),
            planned("aws:iam/rolePolicy:RolePolicy", "pass-any", { role: "r", policy: doc({ Effect: "Allow", Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*" }) }),
            planned(ROLE, "iam-full", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }), managedPolicyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"] }),
        ]);
        expect(violations.map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["anyone", "assumeRolePolicy statement 0 lets any AWS principal assume the role (no organisation, account or external-id condition)"],
            ["any-pod", `assumeRolePolicy statement 0 lets any identity of ${OIDC.Federated} assume the role: no condition pins the token's subject (:sub)`],
            ["public", "policy statement 0 allows anyone (Principal *) s3:GetObject without a condition naming the callers' organisation, account or source"],
            ["pass-any", "policy statement 0 allows iam:PassRole on every resource, which lets the holder grant itself more"],
            ["iam-full", "managedPolicyArns attaches arn:aws:iam::aws:policy/IAMFullAccess"],
        ]);
    });
});

describe("policy helm-no-plaintext-secrets by what a value is", () => {
    const RELEASE = "kubernetes:helm.sh/v3:Release";

    it("fails credentials under innocent keys: private keys, cloud tokens, JWTs, URL passwords and config text", () => {
        const values = {
            tls: { cert: "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----" },
            env: [{ name: "AWS_KEY", value: "AKIAIOSFODNN7EXAMPLE" }],
            header: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            datasource: { url: "https://grafana:s3cr3t-pw@mimir.example.com/prometheus" },
            config: "server:\n  http_listen_port: 3100\nstorage:\n  access_key_id: ${S3_KEY}\n  secret_access_key: wJalrXUtnFEMI/K7MDENG\n",
        };
        expect(messages(check(helmNoPlaintextSecrets, [planned(RELEASE, "r", { chart: "x", values })]))).to.deep.equal([
            "credential-like values written in clear: values.tls.cert (a private key), values.env[0].value (an AWS access key id), values.header (a JSON web token), values.datasource.url (a password in a URL), values.config (a credential in configuration text)",
        ]);
    });

    it("passes look-alikes: URLs without passwords, references in config text, digests and certificates", () => {
        const values = {
            image: { digest: "sha256:3f2d7e1b9a4c6d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a" },
            url: "https://mimir.example.com/prometheus",
            proxy: "http://${USER}:${PASSWORD}@proxy:3128",
            config: "storage:\n  secret_access_key: ${S3_SECRET}\n  password_file: /etc/secret/pw\n  token: $__file{/var/run/token}\n",
            ca: "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----",
        };
        expect(check(helmNoPlaintextSecrets, [planned(RELEASE, "r", { chart: "x", values })])).to.deep.equal([]);
    });
});

describe("policy helm-no-plaintext-secrets over ConfigMaps", () => {
    const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

    it("fails a credential in a ConfigMap, by key or by value, and passes configuration without one", () => {
        const leaky = planned(CONFIG_MAP, "app", { metadata: { name: "app" }, data: { "application.properties": "server.port=8080\nspring.datasource.password=hunter2hunter\n", API_TOKEN: "abc123" } });
        const clean = planned(CONFIG_MAP, "dashboards", { metadata: { name: "dashboards" }, data: { "k8s.json": JSON.stringify({ title: "Pods", panels: [{ datasource: "Mimir", targets: [{ expr: "sum(rate(x[5m]))" }] }] }) } });
        expect(check(helmNoPlaintextSecrets, [leaky, clean]).map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["app", "credential-like values written in clear: data.application.properties (a credential in configuration text), data.API_TOKEN"],
        ]);
    });
});

describe("policy sg-no-open-ingress: rules add up, protocols normalise", () => {
    const SG = "aws:ec2/securityGroup:SecurityGroup";

    it("fails blocks that together cover the internet on the ports they share, in any protocol spelling", () => {
        const halves = planned(SG, "halves", { ingress: [
            { protocol: "TCP", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1"] },
            { protocol: "6", fromPort: 0, toPort: 1024, cidrBlocks: ["128.0.0.0/1"] },
        ] });
        const v6 = planned(SG, "v6", { ingress: [{ protocol: "udp", fromPort: 53, toPort: 53, ipv6CidrBlocks: ["2000::/4", "3000::/4"] }] });
        expect(messages(check(sgNoOpenIngress, [halves, v6]))).to.deep.equal([
            "ingress[0] + ingress[1]: 0.0.0.0/1 + 128.0.0.0/1 (together the whole internet) may reach tcp 22; only TCP 80, 443 may be public",
            "ingress[0]: 2000::/4 + 3000::/4 (together the whole internet) may reach udp 53; only TCP 80, 443 may be public",
        ]);
    });

    it("adds up standalone rules attached to one group, found by id or by what feeds securityGroupId", () => {
        const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        const sg = planned(SG, "bastion", {}, { outputs: { id: "sg-1" } });
        const pending = planned(SG, "pending", {}, { outputs: {} });
        const rules = [
            planned(RULE, "low", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1" }),
            planned(RULE, "high", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1" }),
            // A preview of a new stack: the group's id is unknown; only the feeding resource tells.
            planned(RULE, "low-2", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "0.0.0.0/1" }, { dependsOn: [sg, pending], propertyDependencies: { securityGroupId: [pending] } }),
            planned(RULE, "high-2", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv4: "128.0.0.0/1" }, { dependsOn: [sg, pending], propertyDependencies: { securityGroupId: [pending] } }),
        ];
        expect(check(sgNoOpenIngress, [sg, pending, ...rules]).map((v) => [v.resourceName, v.message])).to.deep.equal([
            ["bastion", "low + high: 0.0.0.0/1 + 128.0.0.0/1 (together the whole internet) may reach tcp 22; only TCP 80, 443 may be public"],
            ["pending", "low-2 + high-2: 0.0.0.0/1 + 128.0.0.0/1 (together the whole internet) may reach tcp 3389; only TCP 80, 443 may be public"],
        ]);
        // Attached to different groups, the halves open nothing.
        expect(check(sgNoOpenIngress, [sg, pending, rules[0], { ...rules[3], inputs: { ...rules[3].inputs, fromPort: 22, toPort: 22 } }])).to.deep.equal([]);
    });

    it("passes allow-listed ports however the protocol is spelled, and halves that share no port", () => {
        expect(check(sgNoOpenIngress, [
            planned(SG, "https", { ingress: [{ protocol: "TCP", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "6", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }] }),
            planned(SG, "apart", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1"] }, { protocol: "tcp", fromPort: 23, toPort: 23, cidrBlocks: ["128.0.0.0/1"] }] }),
        ])).to.deep.equal([]);
    });
});

describe("policy S3 rules judge every configuration, by meaning", () => {
    const BUCKET = "aws:s3/bucket:Bucket";
    const bucket = planned(BUCKET, "data", { bucket: "data" }, { outputs: { id: "data", arn: "arn:aws:s3:::data" } });

    it("fails a second, weaker encryption rule beside a good one", () => {
        const sse = planned("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { bucket: "data", rules: [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } },
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ] });
        expect(messages(check(s3KmsEncryption, [bucket, sse]))).to.deep.equal(["data: rules[1]: sseAlgorithm is AES256, not aws:kms"]);
    });

    it("counts a TLS Deny only when it covers every principal, every S3 action and all objects", () => {
        const policy = (statement: object) => planned("aws:s3/bucketPolicy:BucketPolicy", "tls", { bucket: "data", policy: JSON.stringify({ Statement: [statement] }) });
        const deny = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::data", "arn:aws:s3:::data/*"], Condition: { Bool: { "aws:SecureTransport": "False" } } };
        expect(check(s3TlsOnly, [bucket, policy(deny)])).to.deep.equal([]);
        expect(messages(check(s3TlsOnly, [bucket, policy({ ...deny, Action: "s3:GetObject" })]))).to.deep.equal(["data: statement 0 denies insecure transport but not for every S3 action (s3:GetObject)"]);
        expect(messages(check(s3TlsOnly, [bucket, policy({ ...deny, Principal: { AWS: "arn:aws:iam::1:role/x" } })]))).to.deep.equal(["data: statement 0 denies insecure transport but not for every principal (Principal \"*\")"]);
        expect(messages(check(s3TlsOnly, [bucket, policy({ ...deny, Resource: "arn:aws:s3:::data/logs/*" })]))).to.deep.equal(["data: statement 0 denies insecure transport but not for the bucket and all its objects"]);
    });
});
