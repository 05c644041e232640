import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import data from "../lib/data/instance-types.json";
import { deriveInstanceTypes, findInstanceType, INSTANCE_TYPE_NAMES, nearestInstanceTypes, UpstreamInstanceTypes } from "../lib/instance-types";

const upstreamType = (overrides: Partial<UpstreamInstanceTypes["types"][string]> = {}): UpstreamInstanceTypes["types"][string] => ({
    vcpu: 2, memoryMiB: 4096, arch: "amd64", family: "t3a", maxEnis: 3, ipv4PerEni: 6, maxPodsEksAmi: 17, onDemandUsdPerHourUsEast1: 0.0376, ...overrides,
});
const source = { karpenterPricing: { dataGeneratedAt: "2026-07-20T13:44:30Z" } };

describe("instance facts", () => {
    it("derive rows from the upstream table: default-card ENIs, Nitro, prices, sorted by name", () => {
        const derived = deriveInstanceTypes({
            source,
            types: {
                "t3a.medium": upstreamType(),
                "p5.48xlarge": upstreamType({ vcpu: 192, memoryMiB: 2097152, family: "p5", maxEnis: 64, ipv4PerEni: 50, maxPodsEksAmi: 100, onDemandUsdPerHourUsEast1: 55.04 }),
                "m4.large": upstreamType({ family: "m4", maxEnis: 2, ipv4PerEni: 10, maxPodsEksAmi: 20, onDemandUsdPerHourUsEast1: 0.1 }),
                "i3.metal": upstreamType({ family: "i3", vcpu: 72, maxEnis: 15, ipv4PerEni: 50, maxPodsEksAmi: 737 }),
                "hpc7a.12xlarge": upstreamType({ family: "hpc7a", arch: "amd64", maxEnis: null, ipv4PerEni: null, maxPodsEksAmi: 100, onDemandUsdPerHourUsEast1: null }),
                "m7g.large": upstreamType({ family: "m7g", arch: "arm64", memoryMiB: 8192, maxEnis: 3, ipv4PerEni: 10, maxPodsEksAmi: 29, onDemandUsdPerHourUsEast1: 0.0816 }),
            },
        }, "fixture.json");
        expect(derived.rows).to.deep.equal([
            ["hpc7a.12xlarge", 2, 4096, "amd64", null, null, 100, true, null],
            ["i3.metal", 72, 4096, "amd64", 15, 50, 737, true, 0.0376],
            ["m4.large", 2, 4096, "amd64", 2, 10, 20, false, 0.1],
            ["m7g.large", 2, 8192, "arm64", 3, 10, 29, true, 0.0816],
            ["p5.48xlarge", 192, 2097152, "amd64", 2, 50, 100, true, 55.04],
            ["t3a.medium", 2, 4096, "amd64", 3, 6, 17, true, 0.0376],
        ]);
        expect(derived.source.pricesAsOf).to.equal("2026-07-20");
    });

    it("refuse upstream facts that disagree, or an architecture the platform cannot boot", () => {
        expect(() => deriveInstanceTypes({ source, types: { "x.large": upstreamType({ maxPodsEksAmi: 18 }) } }, "f")).to.throw(/x\.large: max pods 18 with 6 IPv4 per ENI gives 3\.2 default-card ENIs/);
        expect(() => deriveInstanceTypes({ source, types: { "x.large": upstreamType({ arch: "s390x" }) } }, "f")).to.throw(/x\.large: architecture "s390x"/);
    });

    it("are the committed data for all 1,363 types, which the refresh script reproduces from the spec's table", function () {
        expect(INSTANCE_TYPE_NAMES).to.have.length(1363);
        expect(findInstanceType("t4g.micro")).to.deep.equal({ type: "t4g.micro", vcpus: 2, memoryGiB: 1, architecture: "arm64", maxEnis: 2, ipv4PerEni: 2, maxPodsEksAmi: 4, nitro: true, onDemandUsdPerHour: 0.0084 });
        const spec = path.join(__dirname, "..", "..", "shared", "spec", "instance-types.json");
        // A clone outside this workspace has no spec folder; the rows above still pin the data.
        if (!fs.existsSync(spec)) this.skip();
        const derived = deriveInstanceTypes(JSON.parse(fs.readFileSync(spec, "utf8")), "instance-types.json");
        expect(JSON.parse(JSON.stringify(derived))).to.deep.equal(data);
    });

    it("suggest real names for a wrong one, closest first", () => {
        expect(nearestInstanceTypes("m5.larg")).to.deep.equal(["m5.large", "m5.xlarge", "m5n.large"]);
        expect(nearestInstanceTypes("t4g.mikro", 1)).to.deep.equal(["t4g.micro"]);
        for (const name of nearestInstanceTypes("zz.top", 5)) expect(findInstanceType(name), name).to.not.equal(undefined);
    });
});
