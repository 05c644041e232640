import { expect } from "chai";
import { cadence } from "../../policy/lib/cron";
import { durationHours } from "../../policy/lib/duration";
import { mergedTags } from "../../policy/lib/tags";
import { at, readFlag, readJsonObject, readNumber, UNKNOWN, unwrapProxy } from "../../policy/lib/values";
import { UNKNOWN as SENTINEL } from "./helpers";

const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(props: T): T };

describe("policy lib: values", () => {
    it("sees past the SDK's proxy without tripping on unknowns", () => {
        const props = unknownCheckingProxy({ vpcConfig: { endpointPublicAccess: SENTINEL }, whole: SENTINEL });
        expect(() => (props as Record<string, any>).vpcConfig.endpointPublicAccess).to.throw(/can't be known during preview/);
        expect(at(props, "vpcConfig", "endpointPublicAccess")).to.equal(UNKNOWN);
        expect(at(props, "whole", "below")).to.equal(UNKNOWN);
        expect(at(props, "absent", "below")).to.equal(undefined);
        expect(unwrapProxy(props)).to.deep.equal({ vpcConfig: { endpointPublicAccess: SENTINEL }, whole: SENTINEL });
    });

    it("reads flags and numbers as previews and Kubernetes write them", () => {
        expect([true, "true", false, "false", "yes", SENTINEL].map(readFlag)).to.deep.equal([true, true, false, false, undefined, UNKNOWN]);
        expect([30, "30", "", "x", SENTINEL].map(readNumber)).to.deep.equal([30, 30, undefined, undefined, UNKNOWN]);
    });

    it("parses JSON documents given as text or objects", () => {
        expect(readJsonObject("{\"a\":1}")).to.deep.equal({ a: 1 });
        expect(readJsonObject({ a: 1 })).to.deep.equal({ a: 1 });
        expect(readJsonObject("not json")).to.equal(undefined);
        expect(readJsonObject(SENTINEL)).to.equal(UNKNOWN);
    });

    it("opens Pulumi secrets, and treats a redacted one as unknown", () => {
        const SIG = "4dabf18193072939515e22adb298388d";
        const SECRET = "1b47061264138c4ac30d75fd1eb44270";
        expect(at({ key: { [SIG]: SECRET, value: "arn" } }, "key")).to.equal("arn");
        expect(at({ key: { [SIG]: SECRET } }, "key")).to.equal(UNKNOWN);
    });
});

describe("policy lib: tags", () => {
    it("merges provider defaults, tagsAll and own tags, own tags winning", () => {
        const provider = { defaultTags: JSON.stringify({ tags: { Project: "p", Owner: "default" } }) };
        expect(mergedTags({ tags: { Owner: "me" }, tagsAll: { CostCenter: "c" } }, provider)).to.deep.equal({ tags: { Project: "p", Owner: "me", CostCenter: "c" }, incomplete: false });
    });

    it("marks tags incomplete when a source is unknown and tagsAll does not make up for it", () => {
        expect(mergedTags({ tags: SENTINEL }, {}).incomplete).to.equal(true);
        expect(mergedTags({ tags: {} }, { defaultTags: SENTINEL }).incomplete).to.equal(true);
        expect(mergedTags({ tags: SENTINEL, tagsAll: { Project: "p" } }, {}).incomplete).to.equal(false);
    });
});

describe("policy lib: durations", () => {
    it("reads Go durations in hours, without days", () => {
        expect(["168h", "168h0m0s", "1.5h", "90m", "0"].map((d) => durationHours(d, "go"))).to.deep.equal([168, 168, 1.5, 1.5, 0]);
        expect(["7d", "", "h", "-1h"].map((d) => durationHours(d, "go"))).to.deep.equal([undefined, undefined, undefined, undefined]);
    });

    it("reads Prometheus durations with days, weeks and years, in whole numbers", () => {
        expect(["90d", "2160h", "2w1d", "1y"].map((d) => durationHours(d, "prometheus"))).to.deep.equal([2160, 2160, 360, 8760]);
        expect(durationHours("1.5d", "prometheus")).to.equal(undefined);
    });
});

describe("policy lib: cron cadence", () => {
    const cases: Array<[string, { daily: boolean; weekly: boolean } | undefined]> = [
        ["0 2 * * *", { daily: true, weekly: true }],
        ["0 3 * * 0", { daily: false, weekly: true }],
        ["0 3 * * SUN", { daily: false, weekly: true }],
        ["0 0 * * 1-5", { daily: false, weekly: true }],
        ["0 0 * * 0-6", { daily: true, weekly: true }],
        // Velero's parser takes exactly five fields: a leading seconds field is refused.
        ["0 0 2 * * *", undefined],
        ["0 0 */7 * *", { daily: false, weekly: true }],
        ["0 0 1,8,15,22 * *", { daily: false, weekly: false }],
        ["0 3 1 * *", { daily: false, weekly: false }],
        ["0 3 1 * 1", { daily: false, weekly: true }],
        ["0 2 * 1-6 *", { daily: false, weekly: false }],
        ["@daily", { daily: true, weekly: true }],
        ["@weekly", { daily: false, weekly: true }],
        ["@monthly", { daily: false, weekly: false }],
        ["@every 12h", { daily: true, weekly: true }],
        ["@every 48h", { daily: false, weekly: true }],
        ["0 2 * *", undefined],
        ["0 0 32 * *", undefined],
        ["@sometimes", undefined],
    ];
    for (const [expression, expected] of cases) {
        it(`reads "${expression}"`, () => expect(cadence(expression)).to.deep.equal(expected));
    }
});
