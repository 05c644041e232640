import { expect } from "chai";
import * as path from "path";
import { validateStackConfig } from "../config/load";
import { CHARTS } from "../components/helm/catalog";
import { readStackFile } from "../engine/stack-file";
import { imagesBlocking, ImageTable, PINNED_IMAGES } from "../lib/images";

const INSTALLS = ["eks-add-ons", ...Object.values(CHARTS).map((c) => `${c.chart}@${c.version}`)];

function rawConfig(stack: "dev" | "prod"): Record<string, any> {
    const file = readStackFile(path.join(__dirname, ".."), stack);
    return Object.fromEntries(Object.entries(file.config).map(([key, value]) => [key === "aws:region" ? "region" : key.split(":")[1], structuredClone(value)]));
}

describe("pinned images and their platforms", () => {
    it("list exactly the pinned charts (and the EKS add-ons), so a new pin or a version bump needs its images recorded", () => {
        expect(Object.keys(PINNED_IMAGES).sort()).to.deep.equal([...INSTALLS].sort());
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
            expect(() => validateStackConfig(rawConfig("prod"))).to.throw(/cluster\.nodeGroups\[0\]\.instanceTypes: got \["t4g\.xlarge"\]; allowed: amd64 instance types: .*kubecost@3\.2\.1: icr\.io\/kubecost\/cost-model:3\.2\.1 is published for linux\/amd64/);
            expect(validateStackConfig(rawConfig("dev")).environment).to.equal("dev");
        } finally {
            image.platforms = saved;
        }
        expect(validateStackConfig(rawConfig("prod")).environment).to.equal("prod");
    });
});
