/**
 * What a first real `pulumi up`, its second run and CI would trip on: each block guards one class
 * of defect that a model of our own could not see (issue 11).
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { nodeGroupsByZone, zoneShare } from "../lib/zonal";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { assertCallerHasAccess } from "../components/cluster/access";
import { REPLACEMENTS } from "../planner/diff";
import { accessPathFromEnvironment } from "../config/access";
import { ConfigError, validateStackConfig } from "../config/load";
import { Provider } from "@pulumi/aws/provider";
import { resolveAddonVersions } from "../components/cluster/addons";
import { mockAddonVersion, mockInvoke } from "../engine/mocks";
import { StackRun } from "../engine/run";
import { readStackFile } from "../engine/stack-file";
import { PlannedResource, SECRET_PLACEHOLDER } from "../engine/types";
import { planStackCapacity } from "../lib/fit";
import { compareStacks } from "../planner/compare";
import { renderPlan } from "../planner/render";
import { releaseChart, stackWorkloads } from "../components/helm/workloads";
import { ofType, planOf, run as engineRun, single, stack, stackReachedAt, stackWith } from "./support/stacks";

const STACKS = ["dev", "prod"] as const;
const statementsOf = (policy: string): any[] => [JSON.parse(policy).Statement].flat();
const asList = (value: unknown): unknown[] => [value].flat().filter((v) => v !== undefined);

/** Every policy document a resource carries: key policies, trust policies, role and bucket policies. */
function policyDocuments(run: StackRun): { resource: PlannedResource; field: string; statements: any[] }[] {
    return run.resources.flatMap((resource) => ["policy", "assumeRolePolicy"]
        .filter((field) => typeof resource.inputs[field] === "string" && resource.inputs[field].includes("Statement"))
        .map((field) => ({ resource, field, statements: statementsOf(resource.inputs[field]) })));
}

describe("deploy readiness", () => {
    describe("KMS key policies (item 1)", () => {
        for (const name of STACKS) {
            it(`${name}: name no principal that may not exist yet, and grant only for AWS resources`, async () => {
                const run = await stack(name);
                const keys = ofType(run, "aws:kms/key:Key");
                // Prod adds the S3 key (dev has no bucket) and the key of Grafana's database.
                expect(keys).to.have.length(name === "prod" ? 5 : 3);
                for (const key of keys) {
                    for (const statement of statementsOf(key.inputs.policy)) {
                        const principals = asList(statement.Principal?.AWS).map(String);
                        // Service-linked roles exist only after their service's first use in the account.
                        expect(principals.filter((p) => p.includes(":role/aws-service-role/")), `${key.name} ${statement.Sid}`).to.deep.equal([]);
                        if (asList(statement.Action).includes("kms:CreateGrant")) {
                            expect(statement.Condition?.Bool, `${key.name} ${statement.Sid}`).to.deep.equal({ "kms:GrantIsForAWSResource": "true" });
                        }
                    }
                }
            });
        }

        it("the EBS key still lets every principal of the account (Auto Scaling's role too) use it through EC2 only", async () => {
            const run = await stack("prod");
            const ebs = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-ebs"))!;
            const statements = statementsOf(ebs.inputs.policy).filter((s) => s.Principal?.AWS === "*");
            const through = { "kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.us-east-1.amazonaws.com" };
            expect(statements).to.deep.equal([
                { Sid: "UseThroughEC2", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: "*", Condition: { StringEquals: through } },
                { Sid: "GrantThroughEC2", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:CreateGrant", Resource: "*", Condition: { StringEquals: through, Bool: { "kms:GrantIsForAWSResource": "true" } } },
            ]);
        });
    });

    describe("service trust policies (item 10)", () => {
        /** EC2 passes no source context when it assumes an instance role; only this account can attach one (iam:PassRole). */
        const NO_SOURCE_CONTEXT = ["ec2.amazonaws.com"];
        for (const name of STACKS) {
            it(`${name}: every service principal but EC2 is held to this account's resources`, async () => {
                const run = await stack(name);
                const services = new Set<string>();
                for (const { resource, field, statements } of policyDocuments(run)) {
                    for (const statement of statements.filter((s) => s.Principal?.Service)) {
                        const service = String(statement.Principal.Service);
                        services.add(service);
                        if (NO_SOURCE_CONTEXT.includes(service)) continue;
                        const label = `${resource.name}.${field} (${service})`;
                        if (field === "assumeRolePolicy") {
                            expect(statement.Condition?.StringEquals?.["aws:SourceAccount"], label).to.equal("123456789012");
                            if (statement.Condition?.ArnLike) expect(statement.Condition.ArnLike["aws:SourceArn"], label).to.include(":123456789012:");
                        } else {
                            // A key policy for CloudWatch Logs names the log groups of this account in the encryption context.
                            expect(JSON.stringify(statement.Condition ?? {}), label).to.match(/123456789012/);
                        }
                    }
                }
                expect([...services]).to.include.members(["vpc-flow-logs.amazonaws.com", "eks.amazonaws.com"]);
            });
        }

        it("the flow-log and cluster roles name their source ARNs", async () => {
            const run = await stack("prod");
            const trust = (suffix: string) => statementsOf(ofType(run, "aws:iam/role:Role").find((r) => r.name.endsWith(suffix))!.inputs.assumeRolePolicy)[0].Condition;
            expect(trust("-flow-logs-role")).to.deep.equal({
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
            });
            expect(trust("nist-eks-prod-role")).to.deep.equal({
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": "arn:aws:eks:us-east-1:123456789012:cluster/nist-eks-prod" },
            });
        });
    });

    describe("physical names and replacements (item 2)", () => {
        /**
         * Types we declare whose physical name may be fixed, by the input that names them. Pulumi
         * creates a replacement first, so a fixed name with a changed input that forces replacement
         * (the providers' own rules, planner/data/replacements.json) collides with itself.
         */
        const NAME_INPUT: Record<string, string> = {
            "aws:eks/nodeGroup:NodeGroup": "nodeGroupName",
            "aws:eks/cluster:Cluster": "name",
            "aws:ec2/launchTemplate:LaunchTemplate": "name",
            "aws:ec2/securityGroup:SecurityGroup": "name",
            "aws:iam/role:Role": "name",
            "aws:cloudwatch/logGroup:LogGroup": "name",
            "aws:ssm/document:Document": "name",
        };
        const FORCE_NEW = Object.fromEntries(Object.entries(NAME_INPUT).map(([type, name]) => [type, { name, forceNew: REPLACEMENTS.types[type].forceNew.filter((input) => input !== name) }]));
        const at = (value: any, path: string) => path.split(".").reduce((v, key) => v?.[key], value);

        /** Every config value a user changes routinely that reaches a ForceNew input somewhere. */
        const change = (c: Record<string, any>) => {
            for (const group of c.cluster.nodeGroups) {
                group.instanceTypes = [group.instanceTypes[0].replace(/\.\w+$/, ".2xlarge")];
                group.diskSizeGb += 10;
                group.volumeType = group.volumeType === "gp3" ? "gp2" : "gp3";
            }
            // Another minor version: 1.34 is past standard support, so in extended support, with
            // the pins the stack files hold moved to that line.
            c.cluster.kubernetesVersion = "1.34";
            c.cluster.supportType = "EXTENDED";
            for (const group of c.cluster.nodeGroups) if (group.releaseVersion !== "latest-at-creation") group.releaseVersion = "1.34.8-20261118";
            if (typeof c.cluster.addonVersions === "object") c.cluster.addonVersions["kube-proxy"] = "v1.34.0-eksbuild.4";
        };

        for (const name of STACKS) {
            it(`${name}: no resource with a fixed name has a ForceNew input that the config changes`, async () => {
                const [before, after] = [await stack(name), await stackWith(name, change)];
                const changed: string[] = [];
                for (const resource of before.resources.filter((r) => FORCE_NEW[r.type])) {
                    const { name: nameField, forceNew } = FORCE_NEW[resource.type];
                    const next = after.resources.find((r) => r.urn === resource.urn);
                    if (!next || resource.inputs[nameField] === undefined || resource.inputs[nameField] !== next.inputs[nameField]) continue;
                    for (const field of forceNew) {
                        if (JSON.stringify(at(resource.inputs, field)) !== JSON.stringify(at(next.inputs, field)) && !next.deleteBeforeReplace) changed.push(`${resource.name}.${field}`);
                    }
                }
                expect(changed).to.deep.equal([]);
                // The change did reach the node groups: they are replaced, under a new generated name.
                const groups = ofType(after, "aws:eks/nodeGroup:NodeGroup");
                expect(groups.map((g) => g.inputs.instanceTypes[0])).to.satisfy((types: string[]) => types.every((t) => t.endsWith(".2xlarge")));
            });
        }

        it("node groups take a name prefix that EKS completes, so a replacement never meets its predecessor's name", async () => {
            for (const name of STACKS) {
                const run = await stack(name);
                for (const group of ofType(run, "aws:eks/nodeGroup:NodeGroup")) {
                    expect(group.inputs.nodeGroupName, group.name).to.equal(undefined);
                    expect(group.inputs.nodeGroupNamePrefix).to.equal(`${run.config.cluster.name}-${group.inputs.labels["platform/node-group"]}-`);
                    expect(group.inputs.nodeGroupNamePrefix.length).to.be.at.most(37);
                }
            }
        });
    });

    describe("node groups per zone (item 3)", () => {
        it("prod: one managed node group per zone, each in its zone's private subnet, sizes adding up to desired 3 and max 10", async () => {
            const run = await stack("prod");
            const groups = ofType(run, "aws:eks/nodeGroup:NodeGroup");
            const privateSubnets = ofType(run, "aws:ec2/subnet:Subnet").filter((s) => s.inputs.tags.Tier === "private");
            const zoneOf = (id: string) => privateSubnets.find((s) => s.outputs.id === id)!.inputs.availabilityZone;
            expect(groups.map((g) => g.inputs.subnetIds.map(zoneOf))).to.deep.equal([["us-east-1a"], ["us-east-1b"], ["us-east-1c"]]);
            const total = (key: string) => groups.reduce((sum, g) => sum + g.inputs.scalingConfig[key], 0);
            expect({ min: total("minSize"), desired: total("desiredSize"), max: total("maxSize") }).to.deep.equal({ min: 3, desired: 3, max: 10 });
        });

        it("prod fits at the groups' minimum (one node a zone), and did not at the old minimum of 2", async () => {
            const run = await stack("prod");
            const workloads = stackWorkloads(run.resources).workloads;
            expect(planStackCapacity(run.config.cluster, workloads, 3).fits).to.equal(true);
            const spread = { ...run.config.cluster, nodeGroups: run.config.cluster.nodeGroups.map((g) => ({ ...g, minSize: 2, groupPerZone: false })) };
            expect(planStackCapacity(spread, workloads, 2).fits).to.equal(false);
        });

        it("the autoscaler balances the zonal groups, ignoring the label that names each", async () => {
            const run = await stack("prod");
            const release = ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => releaseChart(r.inputs) === "cluster-autoscaler")!;
            expect(release.inputs.values.extraArgs).to.deep.equal({
                "balance-similar-node-groups": true,
                "balancing-ignore-label": "platform/node-group",
                "skip-nodes-with-system-pods": false,
                expander: "least-waste",
            });
            for (const group of ofType(run, "aws:eks/nodeGroup:NodeGroup")) expect(Object.keys(group.inputs.labels)).to.deep.equal(["platform/node-group"]);
        });

        it("the cost comparison pairs prod's zonal groups with dev's one group, their lines adding up", async () => {
            const [dev, prod] = [await stack("dev"), await stack("prod")];
            const [devPlan, prodPlan] = [planOf(dev), planOf(prod)];
            const comparison = compareStacks({ ...dev, stack: "dev", cost: devPlan.cost, pods: devPlan.pods, capacity: devPlan.capacity }, { ...prod, stack: "prod", cost: prodPlan.cost, pods: prodPlan.pods, capacity: prodPlan.capacity });
            const zonal = prodPlan.cost.lines.filter((l) => /^node-group:general-us-east-1[abc]$/.test(l.id));
            expect(zonal).to.have.length(3);
            const row = comparison.cost.find((r) => r.id === "node-group:general")!;
            expect(row.label).to.equal("Node group general");
            expect(row.values[1]).to.be.closeTo(zonal.reduce((sum, l) => sum + l.monthly, 0), 1e-9);
            expect(row.values[0]).to.equal(devPlan.cost.lines.find((l) => l.id === "node-group:general")!.monthly);
            expect(comparison.cost.filter((r) => r.id.includes("us-east-1"))).to.deep.equal([]);
        });

        it("dev stays one group in one zone", async () => {
            const groups = ofType(await stack("dev"), "aws:eks/nodeGroup:NodeGroup");
            expect(groups.map((g) => [g.inputs.labels["platform/node-group"], g.inputs.subnetIds.length])).to.deep.equal([["general", 1]]);
        });

        it("splits any sizes over any zones evenly, in order, keeping min <= desired <= max in every zone", () => {
            const sizes = fc.tuple(fc.nat(40), fc.nat(40), fc.nat(40)).map((t) => [...t].sort((a, b) => a - b));
            fc.assert(fc.property(sizes, fc.integer({ min: 1, max: 6 }), ([min, desired, max], zoneCount) => {
                const zones = Array.from({ length: zoneCount }, (_, i) => `us-east-1${"abcdef"[i]}`);
                const groups = nodeGroupsByZone([{ name: "g", instanceTypes: ["m5.large"], minSize: min, desiredSize: desired, maxSize: max, diskSizeGb: 20, volumeType: "gp3", availabilityZones: zones, groupPerZone: true }]);
                expect(groups.map((g) => g.availabilityZones)).to.deep.equal(zones.map((z) => [z]));
                for (const [key, total] of [["minSize", min], ["desiredSize", desired], ["maxSize", max]] as const) {
                    const shares = groups.map((g) => g[key]);
                    expect(shares.reduce((a, b) => a + b, 0)).to.equal(total);
                    expect(Math.max(...shares) - Math.min(...shares)).to.be.at.most(1);
                    expect(shares).to.deep.equal([...shares].sort((a, b) => b - a));
                }
                for (const g of groups) expect(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize).to.equal(true);
            }));
            expect([0, 1, 2].map((i) => zoneShare(10, 3, i))).to.deep.equal([4, 3, 3]);
        });
    });

    describe("the bastion (items 4 and 8)", () => {
        it("keeps its first image: a newer Amazon Linux does not replace it (and cut the SSM tunnel)", async () => {
            const bastion = single(await stack("prod"), "aws:ec2/instance:Instance");
            expect(bastion.ignoreChanges).to.deep.equal(["ami"]);
            expect(bastion.inputs.ami).to.match(/^ami-/);
        });

        it("rolls deliberately to a pinned image, which it then follows", async () => {
            const run = await stackWith("prod", (c) => { c.cluster.bastion.ami = "ami-0123456789abcdef0"; });
            const bastion = single(run, "aws:ec2/instance:Instance");
            expect([bastion.inputs.ami, bastion.ignoreChanges]).to.deep.equal(["ami-0123456789abcdef0", []]);
        });

        it("logs every shell session to a KMS-encrypted log group through the Session Manager preferences, and may write there", async () => {
            const run = await stack("prod");
            const logsKey = ofType(run, "aws:kms/key:Key").find((k) => k.name.endsWith("-logs"))!;
            const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === "/aws/ssm/nist-eks-prod/sessions")!;
            expect([group.inputs.kmsKeyId, group.inputs.retentionInDays, group.protect]).to.deep.equal([logsKey.outputs.arn, 365, true]);
            const preferences = single(run, "aws:ssm/document:Document");
            expect([preferences.inputs.name, preferences.inputs.documentType]).to.deep.equal(["SSM-SessionManagerRunShell", "Session"]);
            const inputs = JSON.parse(preferences.inputs.content).inputs;
            expect({ group: inputs.cloudWatchLogGroupName, encrypted: inputs.cloudWatchEncryptionEnabled, streaming: inputs.cloudWatchStreamingEnabled })
                .to.deep.equal({ group: "/aws/ssm/nist-eks-prod/sessions", encrypted: true, streaming: true });
            const profile = single(run, "aws:iam/instanceProfile:InstanceProfile");
            const policy = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === profile.inputs.role)!;
            const write = statementsOf(policy.inputs.policy).find((st) => st.Sid === "WriteSessionLogs");
            expect(write.Resource).to.deep.equal([group.outputs.arn, `${group.outputs.arn}:*`]);
            expect(write.Action).to.include("logs:PutLogEvents");
        });

        it("tells how to adopt an account's existing preferences document under the type, name, parent and provider the program records", async () => {
            const document = single(await stack("prod"), "aws:ssm/document:Document");
            const root = path.join(__dirname, "..");
            const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
            const command = readme.match(/^pulumi import (\S+) (\S+) (\S+) \\\n\s+--parent '[^=]+=([^']+)' \\\n\s+--provider '[^=]+=([^']+)' \\\n\s+--protect=false --stack prod$/m);
            expect(command?.slice(1)).to.deep.equal([document.type, document.name, document.inputs.name, document.parent, document.provider]);
            const stackFile = fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8").replace(/\n\s*#\s*/g, " ");
            expect(stackFile).to.include(`pulumi import ${document.type} ${document.name} ${document.inputs.name}`);
        });

        it("dev has no bastion, so no session preferences either", async () => {
            expect(ofType(await stack("dev"), "aws:ssm/document:Document")).to.deep.equal([]);
        });
    });

    describe("the Kubernetes provider's identity and access path (item 5)", () => {
        const providerOf = (run: StackRun) => single(run, "pulumi:providers:kubernetes");

        it("names the cluster, so that moving between an in-VPC runner and the SSM tunnel updates the provider in place", async () => {
            const [direct, tunnelled] = [await stack("prod"), await stackReachedAt("prod", { apiServerUrl: "https://127.0.0.1:8443" })];
            const identity = "arn:aws:eks:us-east-1:123456789012:cluster/nist-eks-prod";
            expect([providerOf(direct).inputs.clusterIdentifier, providerOf(tunnelled).inputs.clusterIdentifier]).to.deep.equal([identity, identity]);
            expect(providerOf(direct).inputs.kubeconfig).not.to.equal(providerOf(tunnelled).inputs.kubeconfig);
            // The stack output keeps the real endpoint whichever way this run went.
            expect(direct.outputs.kubeconfig).to.equal(tunnelled.outputs.kubeconfig);
            expect(JSON.parse(String(tunnelled.outputs.kubeconfig)).clusters[0].cluster.server).to.match(/\.eks\.amazonaws\.com$/);
        });

        it("takes the tunnel from the environment, with a clear error for a bad value, and no stack file may hold one", () => {
            expect(accessPathFromEnvironment({})).to.deep.equal({});
            expect(accessPathFromEnvironment({ PLATFORM_API_SERVER_URL: "https://127.0.0.1:8443" })).to.deep.equal({ apiServerUrl: "https://127.0.0.1:8443" });
            for (const bad of ["http://127.0.0.1:8443", "127.0.0.1:8443", "https://127.0.0.1:8443/api"]) {
                expect(() => accessPathFromEnvironment({ PLATFORM_API_SERVER_URL: bad }), bad).to.throw(ConfigError, `PLATFORM_API_SERVER_URL (environment): got ${JSON.stringify(bad)}; allowed: an https URL`);
            }
            for (const name of STACKS) {
                const raw = Object.fromEntries(Object.entries(readStackFile(path.join(__dirname, ".."), name).config).map(([k, v]) => [k.split(":")[1], structuredClone(v)]));
                raw.region = "us-east-1";
                (raw.cluster as any).apiServerTunnel = { serverUrl: "https://127.0.0.1:8443", tlsServerName: "x" };
                expect(() => validateStackConfig(raw)).to.throw(ConfigError, "cluster.apiServerTunnel: got a key that does not exist here");
            }
        });
    });

    describe("support type and instance metadata (items 6 and 7)", () => {
        for (const name of STACKS) {
            it(`${name}: asks for standard support explicitly (EKS's default is extended)`, async () => {
                expect(single(await stack(name), "aws:eks/cluster:Cluster").inputs.upgradePolicy).to.deep.equal({ supportType: "STANDARD" });
            });

            it(`${name}: no pod reaches the node's metadata, and with it the node role (hop limit 1)`, async () => {
                const templates = ofType(await stack(name), "aws:ec2/launchTemplate:LaunchTemplate");
                expect(templates.map((t) => t.inputs.metadataOptions)).to.deep.equal(templates.map(() => ({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 })));
            });
        }

        it("the plan prints the support type and the node groups per zone", async () => {
            const prod = renderPlan(planOf(await stack("prod")));
            expect(prod).to.include([
                "Cluster nist-eks-prod: Kubernetes 1.35, STANDARD support until 2027-03-27 (README, \"A Kubernetes minor upgrade\")",
                "  us-east-1a: 1 node group (general-us-east-1a)",
                "  us-east-1b: 1 node group (general-us-east-1b)",
                "  us-east-1c: 1 node group (general-us-east-1c)",
            ].join("\n"));
            const extended = planOf(await stackWith("dev", (c) => { c.cluster.supportType = "EXTENDED"; }));
            expect(extended.clusters).to.deep.equal([{ name: "nist-eks-dev", kubernetesVersion: "1.35", supportType: "EXTENDED", nodeGroupsByZone: { "us-east-1a": ["general"] }, networkPolicies: { enforced: true, policies: 19, namespaces: 2 } }]);
        });
    });

    describe("what AWS creates for the cluster carries the mandatory tags (item 9)", () => {
        for (const name of STACKS) {
            it(`${name}: pod ENIs (VPC CNI) and EBS volumes and snapshots (EBS CSI) get the four tags`, async () => {
                const run = await stack(name);
                const configuration = (addon: string) => JSON.parse(ofType(run, "aws:eks/addon:Addon").find((a) => a.inputs.addonName === addon)!.inputs.configurationValues);
                expect(JSON.parse(configuration("vpc-cni").env.ADDITIONAL_ENI_TAGS)).to.deep.equal(run.config.tags);
                // And the cluster's ownership tag, which Velero's snapshot permissions follow.
                expect(configuration("aws-ebs-csi-driver").controller.extraVolumeTags).to.deep.equal({ ...run.config.tags, [`kubernetes.io/cluster/${run.config.cluster.name}`]: "owned" });
                expect(Object.keys(run.config.tags).sort()).to.deep.equal(["CostCenter", "Environment", "Owner", "Project"]);
            });
        }
    });

    describe("add-on versions and the Pod Identity agent (item 11)", () => {
        it("follow the cluster's Kubernetes version where not pinned: a change asks EKS again instead of keeping a build of the old line", async () => {
            const run = await stackWith("prod", (c) => {
                Object.assign(c.cluster, { kubernetesVersion: "1.34", supportType: "EXTENDED", addonVersions: "default" });
                c.cluster.nodeGroups[0].releaseVersion = "latest-at-creation";
            });
            const versions = Object.fromEntries(ofType(run, "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a.inputs.addonVersion]));
            expect(versions).to.deep.equal({ "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.34.0-eksbuild.4", coredns: "v1.12.4-eksbuild.1", "aws-ebs-csi-driver": "v1.53.0-eksbuild.1" });
        });

        it("a version EKS offers no add-ons for stops the run, and an invoke the engine does not know still fails loudly", async () => {
            expect(() => mockAddonVersion("coredns", "1.29", false)).to.throw("empty result");
            expect(() => mockInvoke("aws:eks/getCluster:getCluster", {}, { region: "us-east-1", stack: "dev" })).to.throw("no answer for the invoke aws:eks/getCluster:getCluster");
            let error: unknown;
            try {
                await stackWith("dev", (c) => { c.cluster.kubernetesVersion = "1.36"; });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(ConfigError);
            // Refused by its support window before EKS is asked for anything.
            expect((error as Error).message).to.include('cluster.kubernetesVersion: got "1.36"; allowed: a version whose support window lib/data/eks-kubernetes-versions.json lists (1.33, 1.34, 1.35)');
        });

        it("a version the add-on lookup finds nothing for is refused without claiming who answered: offline, the engine's own table does", async () => {
            let error: unknown;
            try {
                await engineRun("dev", { program: async () => {
                    await resolveAddonVersions("1.29", "latest", new Provider("lookup", { region: "us-east-1" }));
                    throw new Error("the lookup found versions for 1.29");
                } });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as ConfigError).problems).to.have.length(1);
            expect((error as ConfigError).problems[0]).to.match(/^cluster\.kubernetesVersion: got "1\.29"; allowed: a version the (vpc-cni|kube-proxy|coredns|aws-ebs-csi-driver) add-on is offered for \(the add-on version lookup, aws\.eks\.getAddonVersion, failed: .*empty result \(offline: engine\/mocks\.ts lists no such build\)\)$/)
                .and.not.include("EKS answered");
        });

        for (const name of STACKS) {
            it(`${name}: runs no Pod Identity agent, since every AWS caller uses IRSA`, async () => {
                const run = await stack(name);
                expect(ofType(run, "aws:eks/addon:Addon").map((a) => a.inputs.addonName).sort()).to.deep.equal(["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
                expect(ofType(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation")).to.deep.equal([]);
            });
        }
    });

    describe("CI can deploy dev, and nobody is locked out (item 12)", () => {
        const workflow = YAML.parse(fs.readFileSync(path.join(__dirname, "..", ".github", "workflows", "ci.yml"), "utf8"));
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

        for (const name of STACKS) {
            it(`${name}: access entries for the deploy and break-glass roles as cluster admins, and no implicit creator entry`, async () => {
                const run = await stack(name);
                expect(single(run, "aws:eks/cluster:Cluster").inputs.accessConfig).to.deep.equal({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
                const grants = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => [a.inputs.principalArn, a.inputs.policyArn, a.inputs.accessScope]);
                const admin = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
                expect(grants).to.deep.equal([
                    [run.config.cluster.access.deployRoleArn, admin, { type: "cluster" }],
                    [run.config.cluster.access.breakGlassRoleArn, admin, { type: "cluster" }],
                    ["arn:aws:iam::123456789012:role/platform-preview", "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", { type: "cluster" }],
                ]);
                const entries = ofType(run, "aws:eks/accessEntry:AccessEntry");
                for (const association of ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")) {
                    const entry = entries.find((e) => e.inputs.principalArn === association.inputs.principalArn)!;
                    expect(association.dependencies).to.include(entry.urn);
                }
            });
        }

        it("stops before anything exists when the identity running Pulumi has no access entry", async () => {
            const access = (await stack("dev")).config.cluster.access;
            expect(() => assertCallerHasAccess("arn:aws:sts::123456789012:assumed-role/platform-deploy/ci-run-1", access)).not.to.throw();
            expect(() => assertCallerHasAccess("arn:aws:sts::123456789012:assumed-role/platform-break-glass/alice", access)).not.to.throw();
            expect(() => assertCallerHasAccess("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice", access))
                .to.throw(ConfigError, "cluster.access: got no access entry for arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice, the identity running Pulumi");
            // Another account's role of the same name is another principal.
            expect(() => assertCallerHasAccess("arn:aws:sts::210987654321:assumed-role/platform-deploy/x", access)).to.throw(ConfigError);
            let error: unknown;
            try {
                await stackWith("dev", (c) => { c.cluster.access.deployRoleArn = "arn:aws:iam::123456789012:role/someone-else"; });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(ConfigError);
        });

        it("the workflow runs everything that reaches a cluster on the stack's self-hosted runner, deploying dev as its deploy role", () => {
            expect(workflow.jobs["deploy-dev"]["runs-on"]).to.deep.equal(["self-hosted", "nist-eks-dev"]);
            expect(workflow.jobs["preview-dev"]["runs-on"]).to.deep.equal(["self-hosted", "nist-eks-dev"]);
            expect(workflow.jobs["preview-prod"]["runs-on"]).to.deep.equal(["self-hosted", "nist-eks-prod"]);
            expect(workflow.jobs.test["runs-on"]).to.equal("ubuntu-latest");
            expect(workflow.jobs.plan["runs-on"]).to.equal("ubuntu-latest");
            const credentials = workflow.jobs["deploy-dev"].steps.find((step: any) => String(step.uses).startsWith("aws-actions/configure-aws-credentials@"));
            expect(credentials.with["role-to-assume"]).to.equal("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
            expect(workflow.jobs["deploy-dev"].permissions["id-token"]).to.equal("write");
        });

        it("the README describes the same runners, roles and access entries", () => {
            for (const phrase of ["`self-hosted`, `nist-eks-prod`", "`self-hosted`, `nist-eks-dev`", "`vars.AWS_DEPLOY_ROLE_ARN` = dev's `cluster.access.deployRoleArn`", "`deployRoleArn`", "`breakGlassRoleArn`", "`bootstrapClusterCreatorAdminPermissions` is off"]) {
                expect(readme, phrase).to.include(phrase);
            }
        });
    });

    describe("the Velero repository password (item 13)", () => {
        /** Passwords charts ship as defaults: published, so they protect nothing. */
        const KNOWN_DEFAULT_PASSWORDS = ["static-passw0rd", "supersecret", "prom-operator"];

        it("prod: is random (a RandomPassword in the stack state), a Pulumi secret, protected, and in the Secret Velero reads before Velero starts", async () => {
            const run = await stack("prod");
            const password = single(run, "random:index/randomPassword:RandomPassword", "-velero-repository-password");
            expect([password.inputs.length, password.inputs.special, password.protect]).to.deep.equal([40, false, true]);
            const secret = ofType(run, "kubernetes:core/v1:Secret").find((r) => r.inputs.metadata.name === "velero-repo-credentials")!;
            expect(secret.inputs.metadata.namespace).to.equal("velero");
            expect(secret.inputs.stringData).to.equal(SECRET_PLACEHOLDER);
            expect(secret.dependencies).to.include(password.urn);
            const velero = ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => releaseChart(r.inputs) === "velero")!;
            expect(velero.dependencies).to.include(secret.urn);
            expect(run.outputs.veleroRepositoryPassword).to.equal(SECRET_PLACEHOLDER);
        });

        for (const name of STACKS) {
            it(`${name}: no chart's published default password remains in any release's values or plain Secret`, async () => {
                const run = await stack(name);
                const carriers = run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" || r.type === "kubernetes:core/v1:Secret");
                for (const resource of carriers) {
                    for (const known of KNOWN_DEFAULT_PASSWORDS) expect(JSON.stringify(resource.inputs), `${resource.name}: ${known}`).not.to.include(known);
                }
                for (const password of ofType(run, "random:index/randomPassword:RandomPassword")) expect(KNOWN_DEFAULT_PASSWORDS).not.to.include(password.outputs.result);
            });
        }
    });

    describe("properties no other test guards (item 14)", () => {
        /** Output names that say they hold a credential. */
        const CREDENTIAL_NAME = /password|secret|token|credential|private.?key|access.?key/i;

        for (const name of STACKS) {
            it(`${name}: every credential-like stack output is a Pulumi secret, by its name and by its value`, async () => {
                const run = await stack(name);
                const plain = Object.entries(run.outputs).filter(([, value]) => value !== SECRET_PLACEHOLDER);
                expect(plain.filter(([key, value]) => CREDENTIAL_NAME.test(key) && value !== undefined).map(([key]) => key)).to.deep.equal([]);
                // A generated credential may not surface in a plain output under any name.
                const generated = ofType(run, "random:index/randomPassword:RandomPassword").map((p) => String(p.outputs.result));
                // Prod adds Velero's repository password, Grafana's database password, Kiali's signing key and Tempo's Kafka password.
                expect(generated.length).to.equal(name === "prod" ? 5 : 1);
                for (const [key, value] of plain) {
                    for (const credential of generated) expect(JSON.stringify(value ?? null), key).not.to.include(credential);
                }
                const credentialOutputs = Object.keys(run.outputs).filter((key) => CREDENTIAL_NAME.test(key) && run.outputs[key] !== undefined);
                expect(credentialOutputs).to.deep.equal(name === "prod" ? ["veleroRepositoryPassword", "grafanaAdminPassword"] : ["grafanaAdminPassword"]);
            });
        }

        it("prod: Velero's schedules, compared whole", async () => {
            const velero = ofType(await stack("prod"), "kubernetes:helm.sh/v3:Release").find((r) => releaseChart(r.inputs) === "velero")!;
            expect(velero.inputs.values.schedules).to.deep.equal({
                daily: { schedule: "0 2 * * *", useOwnerReferencesInBackup: false, template: { ttl: "168h0m0s", storageLocation: "default", snapshotVolumes: false } },
                weekly: { schedule: "0 3 * * 0", useOwnerReferencesInBackup: false, template: { ttl: "720h0m0s", storageLocation: "default", snapshotVolumes: false } },
            });
        });

        const lifecycleOf = (run: StackRun, bucketSuffix: string) => {
            const bucket = single(run, "aws:s3/bucket:Bucket", bucketSuffix);
            return ofType(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.inputs.bucket === bucket.outputs.bucket)!.inputs.rules;
        };
        const retention = (noncurrentDays: number) => [{
            id: "retention",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        }];

        it("prod: the backup bucket keeps old versions for the longest schedule's TTL, its lifecycle compared whole", async () => {
            expect(lifecycleOf(await stack("prod"), "-backup-bucket-bucket")).to.deep.equal(retention(30));
        });

        it("the longest TTL wins wherever it is listed, in the bucket and its replica alike", async () => {
            for (const ttls of [["45d", "3d"], ["3d", "45d"]]) {
                const run = await stackWith("prod", (c) => {
                    c.backup.velero.schedules = ttls.map((ttl, i) => ({ name: `s${i}`, cron: "0 4 * * *", ttl }));
                    c.backup.crossRegionReplication.enabled = true;
                    c.backup.objectLock.retentionDays = 45;
                });
                expect(lifecycleOf(run, "-backup-bucket-bucket"), ttls.join()).to.deep.equal(retention(45));
                expect(lifecycleOf(run, "-backup-replica-bucket-bucket"), ttls.join()).to.deep.equal(retention(45));
            }
        });
    });
});
