import { expect } from "chai";
import * as fc from "fast-check";
import { accessGrants, principalResourceKey } from "../components/cluster/access";
import { bastionAmiParameter } from "../components/cluster/bastion";
import { irsaTrustPolicy } from "../components/cluster/irsa";
import { nodeMaxPods } from "../components/cluster/nodes";
import { nodeGroupsByZone } from "../lib/zonal";
import { releaseChart } from "../components/helm/workloads";
import { mockAddonVersion } from "../engine/mocks";
import { ofType, single, stack, stackReachedAt, stackWith } from "./support/stacks";

const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

describe("EKS cluster", () => {
    describe("control plane", () => {
        it("prod: private endpoint only", async () => {
            const cluster = single(await stack("prod"), "aws:eks/cluster:Cluster");
            expect(cluster.inputs.vpcConfig.endpointPublicAccess).to.equal(false);
            expect(cluster.inputs.vpcConfig.endpointPrivateAccess).to.equal(true);
            expect(cluster.inputs.vpcConfig.publicAccessCidrs).to.equal(undefined);
        });

        it("dev: public endpoint limited to the allow-list, private access on too", async () => {
            const cluster = single(await stack("dev"), "aws:eks/cluster:Cluster");
            expect(cluster.inputs.vpcConfig.endpointPublicAccess).to.equal(true);
            expect(cluster.inputs.vpcConfig.endpointPrivateAccess).to.equal(true);
            expect(cluster.inputs.vpcConfig.publicAccessCidrs).to.deep.equal(["203.0.113.0/24"]);
        });

        for (const name of ["dev", "prod"] as const) {
            it(`${name}: encrypts secrets with the EKS key, logs to an encrypted group, uses API access entries`, async () => {
                const run = await stack(name);
                const cluster = single(run, "aws:eks/cluster:Cluster");
                const eksKey = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-eks"))!;
                expect(cluster.inputs.encryptionConfig).to.deep.equal({ provider: { keyArn: eksKey.outputs.arn }, resources: ["secrets"] });
                expect(cluster.inputs.version).to.equal("1.35");
                expect(cluster.inputs.accessConfig.authenticationMode).to.equal("API");
                expect(cluster.inputs.enabledClusterLogTypes).to.deep.equal(name === "prod" ? ALL_LOG_TYPES : ["api", "audit", "authenticator"]);
                const logGroup = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === `/aws/eks/${run.config.cluster.name}/cluster`)!;
                expect(cluster.dependencies).to.include(logGroup.urn);
                expect(logGroup.inputs.kmsKeyId).to.be.a("string").and.match(/^arn:aws:kms:/);
                expect(cluster.inputs.vpcConfig.subnetIds).to.have.length(run.config.network.availabilityZones.length);
                expect(cluster.protect).to.equal(name === "prod");
            });
        }

        it("grants each configured principal an access entry with its access policy and scope", async () => {
            const viewer = "arn:aws:iam::123456789012:role/platform-viewer";
            const run = await stackWith("prod", (c) => { c.cluster.access.entries.push({ principalArn: viewer, policy: "view", namespaces: ["monitoring"] }); });
            const entries = ofType(run, "aws:eks/accessEntry:AccessEntry").map((e) => e.inputs.principalArn);
            expect(entries).to.deep.equal(["deploy", "break-glass", "preview", "viewer"].map((r) => `arn:aws:iam::123456789012:role/platform-${r}`));
            const association = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").find((a) => a.inputs.principalArn === viewer)!;
            expect([association.inputs.policyArn, association.inputs.accessScope]).to.deep.equal(["arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", { type: "namespace", namespaces: ["monitoring"] }]);
        });

        it("names access entries by principal and associations by principal and policy, replacing either delete-first", async () => {
            const viewer = "arn:aws:iam::123456789012:role/platform-viewer";
            const run = await stackWith("prod", (c) => { c.cluster.access.entries.push({ principalArn: viewer, policy: "view", namespaces: ["monitoring"] }); });
            const named = (type: string) => ofType(run, type).map((r) => [r.name, r.inputs.principalArn, r.deleteBeforeReplace]);
            const key = (role: string) => `nist-eks-prod-access-${principalResourceKey(`arn:aws:iam::123456789012:role/platform-${role}`)}`;
            const arn = (role: string) => `arn:aws:iam::123456789012:role/platform-${role}`;
            expect(named("aws:eks/accessEntry:AccessEntry")).to.deep.equal(["deploy", "break-glass", "preview", "viewer"].map((r) => [key(r), arn(r), true]));
            const preview = run.config.cluster.access.entries.find((e) => e.principalArn === arn("preview"))!.policy;
            expect(named("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")).to.deep.equal(
                [["deploy", "cluster-admin"], ["break-glass", "cluster-admin"], ["preview", preview], ["viewer", "view"]].map(([r, p]) => [`${key(r)}-${p}`, arn(r), true]));
            expect(key("viewer")).to.match(/^nist-eks-prod-access-123456789012-role-platform-viewer-[0-9a-f]{8}$/);
        });

        it("the Kubernetes provider waits for every access association, so releases come after access and go before it", async () => {
            for (const run of [await stack("dev"), await stack("prod")]) {
                const provider = single(run, "pulumi:providers:kubernetes");
                const associations = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => a.urn);
                expect(associations).to.have.length(3);
                expect(provider.dependencies).to.include.members(associations);
                // Each association takes its principal from its entry: replacing the entry replaces the association.
                for (const association of ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")) {
                    const entry = ofType(run, "aws:eks/accessEntry:AccessEntry").find((e) => e.inputs.principalArn === association.inputs.principalArn)!;
                    expect(association.propertyDependencies?.principalArn).to.deep.equal([entry.urn]);
                }
            }
        });

        it("access resource names do not depend on the list's order, are unique per principal and valid names (property)", () => {
            const role = fc.tuple(fc.stringMatching(/^\d{12}$/), fc.constantFrom("role", "user"), fc.stringMatching(/^([\w+=,.@-]{1,8}\/){0,2}[\w+=,.@-]{1,20}$/))
                .map(([account, kind, name]) => `arn:aws:iam::${account}:${kind}/${name}`);
            const entry = fc.record({ principalArn: role, policy: fc.constantFrom("admin", "edit", "view"), namespaces: fc.array(fc.constantFrom("a", "monitoring", "apps"), { maxLength: 2 }) });
            const access = fc.record({ deployRoleArn: role, breakGlassRoleArn: role, entries: fc.array(entry, { maxLength: 6 }) })
                .filter((a) => new Set([a.deployRoleArn, a.breakGlassRoleArn, ...a.entries.map((e) => e.principalArn)].map((p) => p.toLowerCase())).size === a.entries.length + 2);
            fc.assert(fc.property(access, fc.infiniteStream(fc.nat()), (config, seeds) => {
                const byPrincipal = (grants: ReturnType<typeof accessGrants>) => new Map(grants.map((g) => [g.principalArn, [g.key, g.associationKey]]));
                const shuffled = [...config.entries].map((e) => ({ e, r: seeds.next().value })).sort((a, b) => a.r - b.r).map(({ e }) => e);
                const before = byPrincipal(accessGrants(config as any, "aws"));
                const after = byPrincipal(accessGrants({ ...config, entries: shuffled } as any, "aws"));
                expect(after).to.deep.equal(before);
                const keys = [...before.values()].map(([k]) => k);
                expect(new Set(keys).size).to.equal(keys.length);
                for (const [k, a] of before.values()) {
                    expect(k).to.match(/^[a-z0-9-]{1,80}$/);
                    expect(a.startsWith(`${k}-`)).to.equal(true);
                }
            }), { numRuns: 200 });
        });
    });

    for (const name of ["dev", "prod"] as const) {
        describe(`custom networking and nodes (${name})`, () => {
            it("has one ENIConfig per zone, named after it, pointing at that zone's pod subnet and the node security group", async () => {
                const run = await stack(name);
                const eniConfigs = ofType(run, "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig");
                expect(eniConfigs.map((e) => e.inputs.metadata.name)).to.deep.equal(run.config.network.availabilityZones);
                const nodeSg = ofType(run, "aws:ec2/securityGroup:SecurityGroup").find((s) => s.name.endsWith("-node-sg"))!;
                for (const eni of eniConfigs) {
                    const podSubnet = ofType(run, "aws:ec2/subnet:Subnet").find((s) => s.outputs.id === eni.inputs.spec.subnet)!;
                    expect(podSubnet.inputs.tags.Tier).to.equal("pods");
                    expect(podSubnet.inputs.availabilityZone).to.equal(eni.inputs.metadata.name);
                    expect(eni.inputs.spec.securityGroups).to.deep.equal([nodeSg.outputs.id]);
                }
            });

            it("configures vpc-cni for custom networking before the ENIConfigs, and every node group waits for them", async () => {
                const run = await stack(name);
                const cni = ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni")!;
                const env = JSON.parse(cni.inputs.configurationValues).env;
                expect(env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG).to.equal("true");
                expect(env.ENI_CONFIG_LABEL_DEF).to.equal("topology.kubernetes.io/zone");
                expect(env.ENABLE_PREFIX_DELEGATION).to.equal(String(run.config.cluster.prefixDelegation));
                const eniConfigs = ofType(run, "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig");
                for (const eni of eniConfigs) expect(eni.dependencies).to.include(cni.urn);
                for (const group of ofType(run, "aws:eks/nodeGroup:NodeGroup")) {
                    for (const eni of eniConfigs) expect(group.dependencies, group.name).to.include(eni.urn);
                }
            });

            it("runs nodes only in private subnets of the configured zones", async () => {
                const run = await stack(name);
                const subnets = ofType(run, "aws:ec2/subnet:Subnet");
                for (const [i, group] of ofType(run, "aws:eks/nodeGroup:NodeGroup").entries()) {
                    const groupSubnets = group.inputs.subnetIds.map((id: string) => subnets.find((s) => s.outputs.id === id)!);
                    expect(groupSubnets.map((s: any) => s.inputs.tags.Tier)).to.satisfy((tiers: string[]) => tiers.every((t) => t === "private"));
                    expect(groupSubnets.map((s: any) => s.inputs.availabilityZone)).to.deep.equal(nodeGroupsByZone(run.config.cluster.nodeGroups)[i].availabilityZones);
                }
            });

            it("sizes node groups from config, prod's as one group per zone, the AMI following the architecture and the capacity type as chosen", async () => {
                const run = await stack(name);
                const groups = ofType(run, "aws:eks/nodeGroup:NodeGroup");
                const expected = name === "prod"
                    ? [{ minSize: 1, desiredSize: 1, maxSize: 4 }, { minSize: 1, desiredSize: 1, maxSize: 3 }, { minSize: 1, desiredSize: 1, maxSize: 3 }]
                    : [{ minSize: 0, desiredSize: 2, maxSize: 3 }];
                expect(groups.map((g) => g.inputs.scalingConfig)).to.deep.equal(expected);
                for (const group of groups) {
                    expect([group.inputs.instanceTypes, group.inputs.amiType, group.inputs.capacityType]).to.deep.equal(name === "prod"
                        ? [["t4g.xlarge"], "AL2023_ARM_64_STANDARD", "ON_DEMAND"]
                        : [["t3a.medium", "t3.medium", "c5a.large", "c6a.large"], "AL2023_x86_64_STANDARD", "SPOT"]);
                    expect(group.inputs.tags["k8s.io/cluster-autoscaler/enabled"]).to.equal("true");
                    expect(group.inputs.tags[`k8s.io/cluster-autoscaler/${run.config.cluster.name}`]).to.equal("owned");
                }
            });

            it("launches nodes with an encrypted root volume, IMDSv2, no public IP and no SSH key", async () => {
                const run = await stack(name);
                for (const template of ofType(run, "aws:ec2/launchTemplate:LaunchTemplate")) {
                    const ebsKey = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-ebs"))!;
                    expect(template.inputs.blockDeviceMappings[0].ebs).to.deep.include({
                        encrypted: "true",
                        kmsKeyId: ebsKey.outputs.arn,
                        volumeSize: name === "prod" ? 40 : 20,
                        volumeType: name === "prod" ? "gp3" : "gp2",
                    });
                    expect(template.inputs.metadataOptions.httpTokens).to.equal("required");
                    expect(template.inputs.metadataOptions.httpPutResponseHopLimit).to.equal(run.config.cluster.metadataHopLimit);
                    expect(template.inputs.networkInterfaces.every((n: any) => n.associatePublicIpAddress === "false")).to.equal(true);
                    expect(template.inputs.keyName).to.equal(undefined);
                    const tagged = template.inputs.tagSpecifications.map((t: any) => t.resourceType);
                    expect(tagged).to.include.members(["instance", "volume"]);
                    for (const spec of template.inputs.tagSpecifications) expect(spec.tags).to.include.keys("Project", "Environment", "Owner", "CostCenter");
                }
            });

            it(name === "dev" ? "scales the nodes to zero outside working hours through scheduled actions on the group's Auto Scaling group" : "runs the nodes around the clock", async () => {
                const run = await stack(name);
                const actions = ofType(run, "aws:autoscaling/schedule:Schedule").map((a) => a.inputs);
                if (name === "prod") {
                    expect(actions).to.deep.equal([]);
                    return;
                }
                const group = single(run, "aws:eks/nodeGroup:NodeGroup");
                const autoscalingGroupName = group.outputs.resources[0].autoscalingGroups[0].name;
                expect(actions).to.deep.equal([
                    { scheduledActionName: "general-start", autoscalingGroupName, recurrence: "0 8 * * 1,2,3,4,5", timeZone: "America/New_York", minSize: 0, maxSize: 3, desiredCapacity: 2 },
                    { scheduledActionName: "general-stop", autoscalingGroupName, recurrence: "0 20 * * 1,2,3,4,5", timeZone: "America/New_York", minSize: 0, maxSize: 0, desiredCapacity: 0 },
                ]);
            });

            it("sets the kubelet's max pods to what the CNI mode provides", async () => {
                const run = await stack(name);
                const expectedMaxPods = nodeMaxPods(run.config.cluster.nodeGroups[0], run.config.cluster.prefixDelegation);
                expect(expectedMaxPods).to.equal(110);
                for (const template of ofType(run, "aws:ec2/launchTemplate:LaunchTemplate")) {
                    const userData = Buffer.from(template.inputs.userData, "base64").toString();
                    expect(userData).to.include("kind: NodeConfig").and.include(`maxPods: ${expectedMaxPods}`);
                }
            });

            it("gives nodes only the managed policies they need, SSM's among them (SSM.1); the CNI's go to its own service account", async () => {
                const run = await stack(name);
                const nodeRole = ofType(run, "aws:iam/role:Role").find((r) => r.name.endsWith("-node-role"))!;
                const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === nodeRole.outputs.name).map((a) => a.inputs.policyArn);
                expect(attached.sort()).to.deep.equal(["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
                const cni = ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === "vpc-cni")!;
                expect(cni.inputs.serviceAccountRoleArn).to.match(/^arn:aws:iam::123456789012:role\//);
            });

            it("installs the managed add-ons at the versions EKS offers for the cluster's Kubernetes version", async () => {
                const run = await stack(name);
                const addons = Object.fromEntries(ofType(run, "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
                const latest = run.config.cluster.addonVersions === "latest";
                expect(latest).to.equal(name === "dev");
                const offered = (addon: string) => mockAddonVersion(addon, "1.35", latest);
                expect(addons).to.deep.equal({ "vpc-cni": offered("vpc-cni"), "kube-proxy": offered("kube-proxy"), coredns: offered("coredns"), "aws-ebs-csi-driver": offered("aws-ebs-csi-driver") });
            });

            it("makes an encrypted EBS CSI class the default, and the stock gp2 class no longer", async () => {
                const run = await stack(name);
                const classes = ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass");
                const defaults = classes.filter((c) => c.inputs.metadata.annotations["storageclass.kubernetes.io/is-default-class"] === "true");
                expect(defaults.map((c) => c.inputs.metadata.name)).to.deep.equal([name === "prod" ? "gp3" : "gp2-encrypted"]);
                const ebsKey = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-ebs"))!;
                for (const sc of classes) {
                    expect(sc.inputs.provisioner).to.equal("ebs.csi.aws.com");
                    expect(sc.inputs.parameters).to.deep.include({ encrypted: "true", kmsKeyId: ebsKey.outputs.arn });
                }
                expect(classes.map((c) => c.inputs.metadata.name)).to.include("gp3");
                const stock = single(run, "kubernetes:storage.k8s.io/v1:StorageClassPatch");
                expect(stock.inputs.metadata).to.deep.equal({ name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } });
            });

            it("installs the Cluster Autoscaler with an IRSA role for exactly its service account", async () => {
                const run = await stack(name);
                const release = ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => releaseChart(r.inputs) === "cluster-autoscaler")!;
                const values = release.inputs.values;
                expect(values.autoDiscovery.clusterName).to.equal(run.config.cluster.name);
                expect(values.image.tag).to.equal("v1.35.0");
                const roleArn = values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"];
                const role = ofType(run, "aws:iam/role:Role").find((r) => r.outputs.arn === roleArn)!;
                const condition = JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
                const subjects = Object.entries(condition).filter(([key]) => key.endsWith(":sub")).map(([, value]) => value);
                expect(subjects).to.deep.equal([`system:serviceaccount:kube-system:${values.rbac.serviceAccount.name}`]);
            });
        });
    }

    describe("bastion", () => {
        it("prod: an SSM-only Graviton t4g.micro on the arm64 AMI in a private subnet with IMDSv2 and an encrypted 8 GB root volume", async () => {
            const run = await stack("prod");
            const bastion = single(run, "aws:ec2/instance:Instance");
            expect(bastion.inputs.instanceType).to.equal("t4g.micro");
            expect(bastion.inputs.keyName).to.equal(undefined);
            expect(bastion.inputs.associatePublicIpAddress).to.equal(false);
            expect(bastion.inputs.metadataOptions.httpTokens).to.equal("required");
            expect(bastion.inputs.rootBlockDevice).to.deep.include({ encrypted: true, volumeType: "gp3", volumeSize: 8 });
            const subnet = ofType(run, "aws:ec2/subnet:Subnet").find((s) => s.outputs.id === bastion.inputs.subnetId)!;
            expect(subnet.inputs.tags.Tier).to.equal("private");
            const sg = ofType(run, "aws:ec2/securityGroup:SecurityGroup").find((s) => bastion.inputs.vpcSecurityGroupIds.includes(s.outputs.id))!;
            expect(sg.inputs.ingress ?? []).to.deep.equal([]);
            const profile = single(run, "aws:iam/instanceProfile:InstanceProfile");
            const attachments = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === profile.inputs.role);
            expect(attachments.map((a) => a.inputs.policyArn)).to.deep.equal(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        });

        it("dev: none", async () => {
            expect(ofType(await stack("dev"), "aws:ec2/instance:Instance")).to.have.length(0);
        });

        it("boots the AL2023 AMI of its type's architecture", () => {
            expect(["t4g.micro", "t3a.medium", "m7g.large"].map(bastionAmiParameter)).to.deep.equal([
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
            ]);
        });
    });

    describe("IRSA", () => {
        it("trusts exactly one service account, for STS", () => {
            const policy = JSON.parse(irsaTrustPolicy("arn:aws:iam::123456789012:oidc-provider/oidc.example/id/X", "oidc.example/id/X", "monitoring", "loki"));
            expect(policy.Statement).to.have.length(1);
            expect(policy.Statement[0].Action).to.equal("sts:AssumeRoleWithWebIdentity");
            expect(policy.Statement[0].Condition.StringEquals).to.deep.equal({
                "oidc.example/id/X:aud": "sts.amazonaws.com",
                "oidc.example/id/X:sub": "system:serviceaccount:monitoring:loki",
            });
        });

        it("every IRSA role in both stacks names one service account, through the cluster's OIDC provider", async () => {
            for (const name of ["dev", "prod"] as const) {
                const run = await stack(name);
                const oidc = single(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
                expect(oidc.inputs.clientIdLists).to.deep.equal(["sts.amazonaws.com"]);
                const irsaRoles = ofType(run, "aws:iam/role:Role").filter((r) => r.inputs.assumeRolePolicy.includes("AssumeRoleWithWebIdentity"));
                expect(irsaRoles.length).to.be.greaterThan(2);
                for (const role of irsaRoles) {
                    const [statement] = JSON.parse(role.inputs.assumeRolePolicy).Statement;
                    expect(statement.Principal.Federated).to.equal(oidc.outputs.arn);
                    const sub = Object.entries(statement.Condition.StringEquals).filter(([k]) => k.endsWith(":sub"));
                    expect(sub, role.name).to.have.length(1);
                    expect(sub[0][1]).to.match(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/);
                }
            }
        });
    });

    describe("Kubernetes provider", () => {
        it("authenticates with aws eks get-token and can go through an SSM tunnel", async () => {
            const direct = JSON.parse(single(await stack("prod"), "pulumi:providers:kubernetes").inputs.kubeconfig);
            expect(direct.users[0].user.exec.args).to.deep.equal(["eks", "get-token", "--cluster-name", "nist-eks-prod", "--region", "us-east-1", "--output", "json"]);
            expect(direct.clusters[0].cluster.server).to.match(/^https:\/\/.*\.eks\.amazonaws\.com$/);
            const run = await stackReachedAt("prod", { apiServerUrl: "https://127.0.0.1:8443" });
            const tunnelled = JSON.parse(single(run, "pulumi:providers:kubernetes").inputs.kubeconfig);
            expect(tunnelled.clusters[0].cluster.server).to.equal("https://127.0.0.1:8443");
            expect(tunnelled.clusters[0].cluster["tls-server-name"]).to.equal(new URL(direct.clusters[0].cluster.server).hostname);
        });
    });
});
