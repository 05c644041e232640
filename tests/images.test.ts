import { expect } from "chai";
import * as path from "path";
import { validateStackConfig } from "../config/load";
import { CHARTS } from "../components/helm/catalog";
import { stackWorkloads } from "../components/helm/workloads";
import { readStackFile } from "../engine/stack-file";
import { nodeImageProblems } from "../components/cluster/nodes";
import { canonicalImage, imagesBlocking, ImageTable, PINNED_IMAGES, renderedImagesBlocking } from "../lib/images";
import { imageInventory } from "../planner/images";
import { stack } from "./support/stacks";

const INSTALLS = ["eks-add-ons", ...Object.values(CHARTS).map((c) => `${c.chart}@${c.version}`)];

function rawConfig(stack: "dev" | "prod"): Record<string, any> {
    const file = readStackFile(path.join(__dirname, ".."), stack);
    return Object.fromEntries(Object.entries(file.config).map(([key, value]) => [key === "aws:region" ? "region" : key.split(":")[1], structuredClone(value)]));
}

describe("pinned images and their platforms", () => {
    it("list every pinned chart (and the EKS add-ons), so a new pin or a version bump needs its images recorded", () => {
        expect(INSTALLS.filter((install) => !Object.hasOwn(PINNED_IMAGES, install))).to.deep.equal([]);
    });

    it("give every image its platforms, where to check them and what they rest on", () => {
        for (const [install, images] of Object.entries(PINNED_IMAGES)) {
            for (const image of images) {
                expect(image.platforms, `${install} ${image.image}`).to.include("linux/amd64");
                expect(image.source, image.image).to.match(/^https:\/\//);
                expect(image.basis, image.image).to.have.length.greaterThan(20);
            }
        }
    });

    it("let both architectures run everything the platform installs", () => {
        expect(imagesBlocking("arm64", INSTALLS)).to.deep.equal([]);
        expect(imagesBlocking("amd64", INSTALLS)).to.deep.equal([]);
    });

    it("name each image that blocks an architecture, and each install the table does not know", () => {
        const images: ImageTable = {
            "a@1": [
                { image: "x/one:1", platforms: ["linux/amd64", "linux/arm64"], source: "https://example.test", basis: "b" },
                { image: "x/two:2", platforms: ["linux/amd64"], source: "https://example.test", basis: "b" },
            ],
            "b@1": [{ image: "x/three:3", platforms: [], source: "https://example.test", basis: "b" }],
        };
        expect(imagesBlocking("arm64", ["a@1", "b@1", "c@9"], images)).to.deep.equal([
            "a@1: x/two:2 is published for linux/amd64",
            "b@1: x/three:3 is published for unknown platforms",
            "c@9: its images are not in lib/data/images.json",
        ]);
        expect(imagesBlocking("amd64", ["a@1"], images)).to.deep.equal([]);
    });

    it("refuse an arm64 node group in config when one image lacks arm64, and leave amd64 groups alone", () => {
        const image = PINNED_IMAGES["kubecost@3.2.1"][0] as { platforms: readonly string[] };
        const saved = image.platforms;
        image.platforms = ["linux/amd64"];
        try {
            expect(() => validateStackConfig(rawConfig("prod"))).to.throw(/cluster\.nodeGroups\[0\]\.instanceTypes: got \["t4g\.xlarge"\] in node group "general"; allowed: amd64 instance types: .*kubecost@3\.2\.1: icr\.io\/kubecost\/cost-model:3\.2\.1 is published for linux\/amd64/);
            expect(validateStackConfig(rawConfig("dev")).environment).to.equal("dev");
        } finally {
            image.platforms = saved;
        }
        expect(validateStackConfig(rawConfig("prod")).environment).to.equal("prod");
    });

    it("spell an image one way, as a runtime resolves it", () => {
        expect(["memcached:1.6.45-alpine", "docker.io/memcached:1.6.45-alpine", "docker.io/library/memcached:1.6.45-alpine"].map(canonicalImage)).to.deep.equal(Array(3).fill("docker.io/library/memcached:1.6.45-alpine"));
        expect(canonicalImage("velero/velero-plugin-for-aws:v1.14.4")).to.equal("docker.io/velero/velero-plugin-for-aws:v1.14.4");
        expect(canonicalImage("quay.io/kiali/kiali:v2.29.0@sha256:0123")).to.equal("quay.io/kiali/kiali:v2.29.0");
        expect(canonicalImage("<EKS add-on coredns v1.12.4-eksbuild.1>")).to.equal("<EKS add-on coredns>");
    });

    it("cover every image the rendered releases of both stacks run, on both architectures", async () => {
        for (const name of ["dev", "prod"] as const) {
            const images = imageInventory(stackWorkloads((await stack(name)).resources).workloads).map((i) => i.image);
            expect(images.length, name).to.be.greaterThan(10);
            expect(renderedImagesBlocking("arm64", images), name).to.deep.equal([]);
            expect(renderedImagesBlocking("amd64", images), name).to.deep.equal([]);
        }
    });

    it("refuse, after rendering, a node group whose architecture a rendered image lacks or is unknown", () => {
        const table: ImageTable = { "a@1": [{ image: "docker.io/x/two:2", platforms: ["linux/amd64"], source: "https://example.test", basis: "b" }] };
        expect(renderedImagesBlocking("arm64", ["x/two:2", "ghcr.io/y/new:1", "x/two:2"], table)).to.deep.equal([
            "ghcr.io/y/new:1 is not in lib/data/images.json, so its platforms are unknown",
            "x/two:2 is published for linux/amd64",
        ]);
        // A tag the program derives (the autoscaler's follows the Kubernetes version) matches the table's <placeholder>.
        expect(renderedImagesBlocking("arm64", ["registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0", "registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.0"])).to.deep.equal([]);
        expect(renderedImagesBlocking("arm64", ["registry.k8s.io/autoscaling/other:v1.34.0"])).to.have.length(1);
        const groups = (instanceTypes: string[]) => ({ nodeGroups: [{ instanceTypes }] as never });
        expect(nodeImageProblems(groups(["t4g.xlarge"]), ["ghcr.io/y/new:1"])).to.deep.equal([
            'cluster.nodeGroups[0].instanceTypes: got ["t4g.xlarge"] (arm64); allowed: types of an architecture every rendered image runs on, and ghcr.io/y/new:1 is not in lib/data/images.json, so its platforms are unknown',
        ]);
        expect(nodeImageProblems(groups(["t3a.xlarge"]), ["ghcr.io/y/new:1"])).to.deep.equal([]);
    });
});
