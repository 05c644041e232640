/**
 * Kubernetes upgrades, node patching and add-on versions as deliberate changes of the stack file:
 * node groups follow the control plane's version and run a known AMI release, prod's add-ons are
 * pinned, a version EKS has upgraded away from is refused, and a working-hours schedule owns the
 * sizes it sets.
 */
import { expect } from "chai";
import { resolveAddonVersions } from "../components/cluster/addons";
import { nodeGroupIgnoreChanges } from "../components/cluster/nodes";
import { ConfigError, validateStackConfig } from "../config/load";
import { mockInvoke, mockParameterValue } from "../engine/mocks";
import { KUBERNETES_SUPPORT, nodeReleaseParameter, supportWindowProblem } from "../lib/eks-versions";
import { rawConfig, rejectionOf } from "./support/config";
import { ofType, stack, stackWith } from "./support/stacks";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";

describe("upgrades and patching", () => {
    describe("node groups", () => {
        it("prod's follow the cluster's version and run the AMI release its file pins, which a new AWS release never changes", async () => {
            const run = await stack("prod");
            const groups = ofType(run, NODE_GROUP);
            expect(groups).to.have.length(3);
            for (const group of groups) {
                expect(group.inputs).to.deep.include({ version: "1.35", releaseVersion: "1.35.5-20261118" });
                expect(group.ignoreChanges).to.deep.equal(["scalingConfig.desiredSize"]);
            }
        });

        it("dev's take the recommended release of the public SSM parameter when created, and keep it until one is pinned", async () => {
            const run = await stack("dev");
            const [group] = ofType(run, NODE_GROUP);
            const parameter = nodeReleaseParameter("1.35", "amd64");
            expect(parameter).to.equal("/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/release_version");
            expect(group.inputs).to.deep.include({ version: "1.35", releaseVersion: mockParameterValue(parameter) });
            expect(group.inputs.releaseVersion).to.match(/^1\.35\.\d+-\d{8}$/);
            expect(group.ignoreChanges).to.include("releaseVersion");
            expect(nodeReleaseParameter("1.35", "arm64")).to.equal("/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/arm64/standard/recommended/release_version");
            expect(() => mockInvoke("aws:ssm/getParameter:getParameter", { name: nodeReleaseParameter("1.29", "amd64") }, { region: "us-east-1", stack: "dev" })).to.throw("ParameterNotFound");
        });

        it("an AMI roll and a Kubernetes version change update the groups in place, nothing else", async () => {
            const [before, rolled] = [await stack("prod"), await stackWith("prod", (c) => { c.cluster.nodeGroups[0].releaseVersion = "1.35.5-20261202"; })];
            const changedInputs = (a: typeof before, b: typeof before) => a.resources.flatMap((r) => {
                const next = b.resources.find((x) => x.urn === r.urn);
                if (!next) return [`${r.name} gone`];
                return Object.keys({ ...r.inputs, ...next.inputs }).filter((k) => JSON.stringify(r.inputs[k]) !== JSON.stringify(next.inputs[k])).map((k) => `${r.type}.${k}`);
            });
            expect([...new Set(changedInputs(before, rolled))]).to.deep.equal([`${NODE_GROUP}.releaseVersion`]);
            const other = await stackWith("prod", (c) => {
                Object.assign(c.cluster, { kubernetesVersion: "1.34", supportType: "EXTENDED" });
                c.cluster.nodeGroups[0].releaseVersion = "1.34.8-20261118";
                c.cluster.addonVersions = { ...c.cluster.addonVersions, "kube-proxy": "v1.34.0-eksbuild.4" };
            });
            for (const group of ofType(other, NODE_GROUP)) expect(group.inputs).to.deep.include({ version: "1.34", releaseVersion: "1.34.8-20261118" });
            expect(ofType(other, NODE_GROUP).map((g) => g.urn)).to.deep.equal(ofType(before, NODE_GROUP).map((g) => g.urn));
        });

        it("refuses a pinned release or kube-proxy build of another Kubernetes version, naming what to set", () => {
            expect(rejectionOf("prod", (c) => { c.cluster.kubernetesVersion = "1.34"; c.cluster.supportType = "EXTENDED"; })!.problems).to.deep.equal([
                'cluster.nodeGroups[0].releaseVersion: got "1.35.5-20261118" in node group "general"; allowed: latest-at-creation or a release of Kubernetes 1.34 (cluster.kubernetesVersion), such as 1.34.x-YYYYMMDD: node groups follow the control plane\'s version',
                'cluster.addonVersions.kube-proxy: got "v1.35.0-eksbuild.2"; allowed: a kube-proxy build of Kubernetes 1.34 (cluster.kubernetesVersion), such as v1.34.0-eksbuild.2: kube-proxy follows the control plane\'s version; pin the others to builds EKS offers for it (aws eks describe-addon-versions --kubernetes-version 1.34)',
            ]);
            expect(rejectionOf("dev", (c) => { c.cluster.nodeGroups[0].releaseVersion = "latest"; })!.problems).to.deep.equal([
                'cluster.nodeGroups[0].releaseVersion: got "latest" in node group "general"; allowed: latest-at-creation or an EKS-optimised AMI release such as 1.35.5-20261118',
            ]);
        });
    });

    describe("add-on versions", () => {
        it("prod's are the ones its file pins, without asking EKS", async () => {
            const run = await stack("prod");
            const pins = run.config.cluster.addonVersions;
            expect(pins).to.deep.equal({ "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.35.0-eksbuild.2", coredns: "v1.13.1-eksbuild.1", "aws-ebs-csi-driver": "v1.53.0-eksbuild.1" });
            expect(Object.fromEntries(ofType(run, "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a.inputs.addonVersion]))).to.deep.equal(pins);
            // No provider and no engine: a pinned selection never reaches EKS.
            expect(await resolveAddonVersions("1.35", pins as any, undefined as any)).to.deep.equal(pins);
        });

        it("refuses a pin that is not an EKS add-on build, or an add-on left out", () => {
            const problems = rejectionOf("prod", (c) => { c.cluster.addonVersions = { ...c.cluster.addonVersions, coredns: "1.13" }; })!.problems;
            expect(problems).to.have.length(1);
            expect(problems[0]).to.match(/^cluster\.addonVersions/).and.include("v1.20.4-eksbuild.2");
        });
    });

    describe("the support window", () => {
        it("refuses a version EKS has upgraded away from, and says what to do", () => {
            expect(KUBERNETES_SUPPORT["1.35"]).to.deep.equal({ released: "2026-01-27", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" });
            expect(() => validateStackConfig(rawConfig("prod"), new Date("2027-03-26T23:59:00Z"))).to.not.throw();
            let error: ConfigError | undefined;
            try {
                validateStackConfig(rawConfig("prod"), new Date("2027-03-27T00:00:00Z"));
            } catch (e) {
                error = e as ConfigError;
            }
            expect(error!.problems).to.deep.equal([
                'cluster.kubernetesVersion: got "1.35"; allowed: a version still in standard support on 2027-03-27 (1.35\'s ended 2027-03-27, and EKS has upgraded the control plane to the next version on its own): ' +
                    'set the version the cluster runs now (aws eks describe-cluster --query cluster.version), then upgrade on purpose (README, "A Kubernetes minor upgrade")',
            ]);
            // Extended support keeps the version a year longer, at its price.
            expect(supportWindowProblem("1.35", "EXTENDED", new Date("2027-03-27T00:00:00Z"))).to.equal(undefined);
            expect(supportWindowProblem("1.35", "EXTENDED", new Date("2028-03-27T00:00:00Z"))).to.include("still in extended support");
            expect(supportWindowProblem("1.37", "STANDARD", new Date())).to.include("add a new version's dates");
        });
    });

    describe("a working-hours schedule", () => {
        it("owns min, max and desired on dev's group, so an update reopens no node at night; prod's autoscaler owns only the running size", async () => {
            const [devGroup] = ofType(await stack("dev"), NODE_GROUP);
            expect(devGroup.ignoreChanges).to.deep.equal(["scalingConfig.desiredSize", "scalingConfig.minSize", "scalingConfig.maxSize", "releaseVersion"]);
            const schedule = { timeZone: "Etc/UTC", days: ["MON" as const], start: "08:00", stop: "18:00" };
            expect(nodeGroupIgnoreChanges({ schedule, releaseVersion: "1.35.5-20261118" })).to.deep.equal(["scalingConfig.desiredSize", "scalingConfig.minSize", "scalingConfig.maxSize"]);
            expect(nodeGroupIgnoreChanges({ schedule: undefined, releaseVersion: "1.35.5-20261118" })).to.deep.equal(["scalingConfig.desiredSize"]);
        });

        it("carries a change of sizes to the schedule's start action, which applies it at the next start", async () => {
            const run = await stackWith("dev", (c) => { c.cluster.nodeGroups[0].maxSize = 4; });
            const start = ofType(run, "aws:autoscaling/schedule:Schedule").find((s) => s.name.endsWith("-start"))!;
            expect(start.inputs).to.deep.include({ minSize: 0, maxSize: 4, desiredCapacity: 2 });
        });
    });
});
