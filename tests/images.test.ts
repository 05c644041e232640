import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { validateStackConfig } from "../config/load";
import { CHARTS } from "../components/helm/catalog";
import { readStackFile } from "../engine/stack-file";
import { nodeImageProblems } from "../components/cluster/nodes";
import { canonicalImage, imagesBlocking, ImageTable, PINNED_IMAGES, renderedImagesBlocking } from "../lib/images";
import { imageInventory } from "../planner/images";
import { IMAGE_RELEASES, ImageReleaseTable, UPSTREAM_RULES, compareVersions, imageReleaseProblems, upstreamRule } from "../lib/image-releases";
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
            const images = imageInventory((await stack(name)).resources).map((i) => i.image);
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

    describe("published upstream for their tags", () => {
        /** Every image reference the platform runs: the table's (placeholders aside) and every rendered one of both stacks. */
        async function runImages(): Promise<string[]> {
            const table = Object.values(PINNED_IMAGES).flat().map((i) => i.image);
            const rendered = (await Promise.all((["dev", "prod"] as const).map(async (name) => imageInventory((await stack(name)).resources).map((i) => i.image)))).flat();
            return [...new Set([...table, ...rendered])].filter((image) => !image.includes("<"));
        }

        it("every image the platform pins or renders has an upstream release for its tag in the record, so a chart bump or a new pin must be recorded", async () => {
            const images = await runImages();
            expect(images.length).to.be.greaterThan(30);
            expect(imageReleaseProblems(images)).to.deep.equal([]);
            // Every image has a rule saying which upstream releases it.
            expect(images.filter((image) => !upstreamRule(image))).to.deep.equal([]);
        });

        it("records the evidence for each: the tag's commit, the changelog or the publisher's file, and the snapshot's date", () => {
            for (const release of IMAGE_RELEASES.images) {
                expect(release.snapshot, release.image).to.match(/^\d{4}-\d{2}-\d{2}$/);
                if (release.status === "published") {
                    expect(release.commit, release.image).to.match(/^[0-9a-f]{40}$/);
                    expect(release.evidence, release.image).to.be.a("string");
                } else {
                    // Unconfirmed only where the version is newer than everything upstream had tagged when the snapshot was taken.
                    expect(release.status, release.image).to.equal("unconfirmed");
                    expect(compareVersions(release.gitTag, release.newestTag!), `${release.image} against ${release.newestTag}`).to.be.greaterThan(0);
                }
            }
        });

        it("name an image upstream never published, one it could not check, and one with no record", () => {
            const record: ImageReleaseTable = {
                about: "",
                recorded: "2026-12-07",
                images: [
                    { image: "docker.io/velero/velero:v1.18.1", upstream: "vmware-tanzu/velero", gitTag: "v1.18.1", status: "published", commit: "0".repeat(40), snapshot: "2026-08-01" },
                    { image: "docker.io/velero/velero:v1.18.9", upstream: "vmware-tanzu/velero", gitTag: "v1.18.9", status: "unconfirmed", snapshot: "2026-08-01", newestTag: "v1.18.1" },
                    { image: "docker.io/velero/velero:v1.17.9", upstream: "vmware-tanzu/velero", gitTag: "v1.17.9", status: "absent", snapshot: "2026-08-01", newestTag: "v1.18.1" },
                    { image: "docker.io/grafana/grafana:99.0.0", upstream: "grafana/grafana", gitTag: "v99.0.0", status: "unrecorded", reason: "no snapshot of grafana/grafana in /m" },
                ],
            };
            expect(imageReleaseProblems(["velero/velero:v1.18.1", "velero/velero:v1.18.9", "velero/velero:v1.17.9", "grafana/grafana:99.0.0", "ghcr.io/y/new:1"], record)).to.deep.equal([
                "docker.io/grafana/grafana:99.0.0: grafana/grafana could not be checked (no snapshot of grafana/grafana in /m)",
                "docker.io/velero/velero:v1.17.9: vmware-tanzu/velero has no v1.17.9 in its snapshot of 2026-08-01, whose newest tag v1.18.1 is newer: upstream never published it",
                "ghcr.io/y/new:1: no record of an upstream release (npm run image-releases records one)",
            ]);
        });

        it("the README names every unconfirmed tag and how many there are", () => {
            const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8").replace(/\s+/g, " ");
            const unconfirmed = IMAGE_RELEASES.images.filter((r) => r.status === "unconfirmed");
            const words = ["No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"];
            const paragraph = readme.slice(readme.indexOf("Each image's tag is checked to exist too"));
            expect(paragraph).to.contain(`${words[unconfirmed.length]} tags are newer than their upstream's snapshot`);
            for (const release of unconfirmed) expect(paragraph.slice(0, 900), release.image).to.contain(release.image.slice(release.image.lastIndexOf(":") + 1));
        });

        it("map each image tag to the git tag that releases it", () => {
            const tagOf = (image: string) => upstreamRule(image)!.gitTag(image.slice(image.lastIndexOf(":") + 1));
            expect(tagOf("quay.io/prometheus/prometheus:v3.14.0-distroless")).to.deep.equal({ exact: "v3.14.0" });
            expect(tagOf("quay.io/strimzi/kafka:1.2.0-kafka-4.3.1")).to.deep.equal({ exact: "1.2.0" });
            expect(tagOf("nginxinc/nginx-unprivileged:1.31-alpine")).to.deep.equal({ prefix: "release-1.31." });
            expect(tagOf("busybox:1.28")).to.deep.equal({ prefix: "1_28_" });
            expect(tagOf("registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0")).to.deep.equal({ exact: "cluster-autoscaler-1.35.0" });
            expect(compareVersions("v1.14.4", "v1.14.0-rc.1")).to.be.greaterThan(0);
            expect(compareVersions("v1.14.0", "v1.14.0-rc.1")).to.be.greaterThan(0);
            expect(compareVersions("v1.13.2", "v1.14.0-rc.1")).to.be.lessThan(0);
            expect(new Set(UPSTREAM_RULES.map((r) => r.repository)).size).to.equal(UPSTREAM_RULES.length);
        });
    });
});
