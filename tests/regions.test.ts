import { expect } from "chai";
import { Region } from "@pulumi/aws/types/enums";
import { validateStackConfig } from "../config/load";
import { mockInvoke } from "../engine/mocks";
import { RunOptions, StackRun } from "../engine/run";
import { EXIT_BAD_INPUT, main } from "../planner/cli";
import { loadPriceTable, PRICED_REGIONS, pricesInRegion } from "../planner/pricing";
import { AVAILABILITY_ZONES, COMMERCIAL_REGIONS, deriveAvailabilityZones, regionZones } from "../lib/regions";
import { rawConfig, rejectionOf } from "./support/config";

/** The problems a config error lists, one per line. */
const problems = (message: string) => message.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));

/** prod's config moved to another region: its zones renamed to that region's first three. */
function prodIn(region: string): Record<string, any> {
    const raw = rawConfig("prod");
    raw.region = region;
    const zones = regionZones(region)!.slice(0, raw.network.availabilityZones.length).map((z) => z.name);
    const renamed = (zone: string) => zones[raw.network.availabilityZones.indexOf(zone)];
    for (const group of raw.cluster.nodeGroups) group.availabilityZones = group.availabilityZones.map(renamed);
    raw.network.availabilityZones = zones;
    if (raw.backup.crossRegionReplication.region === region) raw.backup.crossRegionReplication.region = "us-east-1";
    return raw;
}

describe("regions and availability zones", () => {
    it("allow exactly the commercial regions of @pulumi/aws's Region enum: not China, GovCloud, ISO or the sovereign cloud", () => {
        const all: string[] = Object.values(Region);
        expect(COMMERCIAL_REGIONS).to.include.members(["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "mx-central-1", "ap-east-2"]);
        expect(COMMERCIAL_REGIONS.every((r) => all.includes(r))).to.equal(true);
        expect(all.filter((r) => !COMMERCIAL_REGIONS.includes(r)).sort()).to.deep.equal(
            ["cn-north-1", "cn-northwest-1", "eu-isoe-west-1", "eusc-de-east-1", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1"]);
    });

    it("come from a dated table of zone names and IDs, one region prefix per region, for every commercial region but those it lacks", () => {
        expect(AVAILABILITY_ZONES.source).to.include({ repository: "networknext/next", file: "terraform/prod/relays/amazon/generated.tf" });
        expect(AVAILABILITY_ZONES.source.lastChangedDate).to.match(/^\d{4}-\d{2}-\d{2}T/);
        expect(Object.keys(AVAILABILITY_ZONES.regions).every((r) => COMMERCIAL_REGIONS.includes(r))).to.equal(true);
        expect(COMMERCIAL_REGIONS.filter((r) => !regionZones(r))).to.deep.equal(["ap-east-2"]);
        expect(regionZones("us-east-1")!.map((z) => z.id).sort()).to.deep.equal(["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"]);
        expect(regionZones("us-west-2")!.map((z) => z.name)).to.deep.equal(["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]);
        expect(regionZones("eu-west-1")!.map((z) => z.id).sort()).to.deep.equal(["euw1-az1", "euw1-az2", "euw1-az3"]);
    });

    it("derive standard zones only, and refuse a zone listed with two IDs or IDs of two regions", () => {
        const entry = (azid: string, zone: string, region: string) => `"x" = {\n  azid        = "${azid}"\n  zone        = "${zone}"\n  region      = "${region}"\n  latitude = 1\n}\n`;
        expect(deriveAvailabilityZones(entry("usw2-az2", "us-west-2a", "us-west-2") + entry("usw2-lax1-az1", "us-west-2-lax-1a", "us-west-2") + entry("use1-az4", "us-east-1a", "us-east-1")))
            .to.deep.equal({ "us-east-1": [{ name: "us-east-1a", id: "use1-az4" }], "us-west-2": [{ name: "us-west-2a", id: "usw2-az2" }] });
        expect(() => deriveAvailabilityZones(entry("usw2-az2", "us-west-2a", "us-west-2") + entry("usw2-az1", "us-west-2a", "us-west-2"))).to.throw("us-west-2a is listed as usw2-az2 and as usw2-az1");
        expect(() => deriveAvailabilityZones(entry("usw2-az2", "us-west-2a", "us-west-2") + entry("use1-az1", "us-west-2b", "us-west-2"))).to.throw("IDs of different regions");
    });

    it("refuse an invented region, naming the allowed ones", () => {
        const message = rejectionOf("prod", (c) => { c.region = "us-east-9"; })!.message;
        expect(problems(message)).to.have.length(1);
        expect(problems(message)[0]).to.match(/^aws:region: got "us-east-9"; allowed: one of the commercial regions @pulumi\/aws knows: af-south-1, .*eu-west-1, .*us-west-2$/);
    });

    it("refuse an invented replica region alike", () => {
        expect(problems(rejectionOf("prod", (c) => { c.backup.crossRegionReplication.region = "eu-west-9"; })!.message)[0])
            .to.match(/^backup\.crossRegionReplication\.region: got "eu-west-9"; allowed: one of the commercial regions/);
    });

    it("accept a real zone of a real region that is not among its first three (us-west-2d)", () => {
        const raw = prodIn("us-west-2");
        raw.network.availabilityZones = ["us-west-2b", "us-west-2c", "us-west-2d"];
        for (const group of raw.cluster.nodeGroups) group.availabilityZones = raw.network.availabilityZones.slice(0, group.availabilityZones.length);
        expect(validateStackConfig(raw).network.availabilityZones).to.deep.equal(["us-west-2b", "us-west-2c", "us-west-2d"]);
    });

    it("refuse an invented zone of a real region, naming the region's real zones with their IDs", () => {
        const message = rejectionOf("dev", (c) => { c.network.availabilityZones = ["us-east-1a", "us-east-1q"]; })!.message;
        expect(problems(message)).to.deep.equal([
            `network.availabilityZones[1]: got "us-east-1q"; allowed: a zone of us-east-1: us-east-1a (use1-az4), us-east-1b (use1-az6), us-east-1c (use1-az1), us-east-1d (use1-az2), us-east-1e (use1-az3), us-east-1f (use1-az5) (lib/data/availability-zones.json, as of ${AVAILABILITY_ZONES.source.lastChangedDate.slice(0, 10)}; npm run availability-zones refreshes it)`,
        ]);
    });

    it("refuse another region's zone names after the region changes (us-east-1 zones in eu-west-1)", () => {
        const message = rejectionOf("prod", (c) => { c.region = "eu-west-1"; })!.message;
        expect(problems(message).filter((p) => p.startsWith("network.availabilityZones"))).to.have.length(rawConfig("prod").network.availabilityZones.length);
        expect(message).to.include("a zone of eu-west-1: eu-west-1a (euw1-az2), eu-west-1b (euw1-az3), eu-west-1c (euw1-az1)");
    });

    it("refuse a region the zone table lacks, naming the regions it has", () => {
        const message = rejectionOf("prod", (c) => { c.region = "ap-east-2"; c.network.availabilityZones = ["ap-east-2a", "ap-east-2b", "ap-east-2c"]; })!.message;
        expect(message).to.include("network.availabilityZones").and.include("it has none for ap-east-2").and.include("regions with zones: af-south-1");
    });

    it("let the offline engine answer getAvailabilityZones from the table, names with their IDs", () => {
        expect(mockInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", { state: "available" }, { region: "eu-west-1", stack: "prod" })).to.deep.include({
            names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneIds: ["euw1-az2", "euw1-az3", "euw1-az1"],
        });
    });
});

describe("prices by region", () => {
    it("are looked up by the stack's region, and a region without prices is refused naming the priced ones", () => {
        expect(PRICED_REGIONS).to.deep.equal(["us-east-1"]);
        expect(loadPriceTable("us-east-1")).to.deep.include({ region: "us-east-1", asOf: "2026" });
        expect(() => loadPriceTable("eu-west-1")).to.throw(/^region: got "eu-west-1"; the planner has list prices only for us-east-1, and does not price one region at another's rates/);
    });

    it("let a service keep its own prices keyed by region and refuse a region its file lacks", () => {
        const albPrices = { "us-east-1": { date: "2026-11", source: "s", perHour: 0.0225 }, "eu-west-1": { date: "2026-11", source: "s", perHour: 0.0252 } };
        expect(pricesInRegion(albPrices, "eu-west-1", "ALB").perHour).to.equal(0.0252);
        expect(() => pricesInRegion(albPrices, "us-west-2", "ALB")).to.throw('region: got "us-west-2"; the planner has ALB prices only for eu-west-1, us-east-1');
        expect(() => pricesInRegion(albPrices, "toString", "ALB")).to.throw('got "toString"');
    });

    it("accept a eu-west-1 copy of prod on Ireland's real zones, and refuse to price it at Virginia's rates before the program runs", async () => {
        expect(validateStackConfig(prodIn("eu-west-1")).network.availabilityZones).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        let runs = 0;
        const engine = async (): Promise<StackRun> => { runs += 1; throw new Error("the program ran"); };
        const override: RunOptions["override"] = (c) => { Object.assign(c, prodIn("eu-west-1")); };
        let stdout = "";
        let stderr = "";
        const code = await main(["--stack", "prod"], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } }, { override }, engine);
        expect(code).to.equal(EXIT_BAD_INPUT);
        expect(stdout).to.equal("");
        expect(stderr).to.match(/^error: .*region: got "eu-west-1"; the planner has list prices only for us-east-1/);
        expect(runs).to.equal(0);
    });
});
