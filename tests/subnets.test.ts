import { expect } from "chai";
import * as fc from "fast-check";
import { blockSize, cidrContains, cidrsOverlap, formatCidr, isValidCidr, parseCidr, subnetAt } from "../lib/cidr";
import { planSubnets } from "../lib/subnets";

const zoneNames = (n: number) => ["a", "b", "c", "d", "e", "f"].slice(0, n).map((l) => `us-east-1${l}`);

/** Any aligned block: a random address masked to a random prefix length. */
const anyCidr = (minPrefix: number, maxPrefix: number) => fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: minPrefix, max: maxPrefix }))
    .map(([address, prefixLength]) => formatCidr({ base: address - (address % blockSize(prefixLength)), prefixLength }));

describe("CIDR maths", () => {
    it("parses and formats round trip", () => {
        fc.assert(fc.property(anyCidr(0, 32), (cidr) => formatCidr(parseCidr(cidr)!) === cidr));
    });

    it("rejects malformed blocks and host bits", () => {
        for (const bad of ["10.0.0.0", "10.0.0.0/33", "256.0.0.0/8", "10.0.0.1/16", "a.b.c.d/8", ""]) expect(isValidCidr(bad), bad).to.equal(false);
    });

    it("carves blocks that lie inside their parent and do not overlap each other", () => {
        fc.assert(fc.property(anyCidr(8, 24), fc.integer({ min: 0, max: 6 }), fc.nat(), fc.nat(), (parent, extra, i, j) => {
            const prefix = Math.min(32, parseCidr(parent)!.prefixLength + extra);
            const count = blockSize(parseCidr(parent)!.prefixLength) / blockSize(prefix);
            const a = subnetAt(parent, prefix, i % count);
            const b = subnetAt(parent, prefix, j % count);
            return cidrContains(parent, a) && (i % count === j % count || !cidrsOverlap(a, b));
        }));
    });

    it("refuses a block beyond the parent", () => {
        expect(() => subnetAt("10.0.0.0/16", 18, 4)).to.throw(/holds 4 blocks of \/18; block 4 does not exist/);
    });
});

describe("subnet plan", () => {
    const input = fc.record({
        zones: fc.integer({ min: 2, max: 6 }),
        vpcPrefix: fc.integer({ min: 16, max: 20 }),
        publicExtra: fc.integer({ min: 3, max: 8 }),
        privateExtra: fc.integer({ min: 3, max: 8 }),
        podExtra: fc.integer({ min: 3, max: 6 }),
    });

    it("gives every tier one subnet per zone, of the configured size, inside its CIDR, with no overlap", () => {
        fc.assert(fc.property(input, ({ zones, vpcPrefix, publicExtra, privateExtra, podExtra }) => {
            const config = {
                vpcCidr: `10.0.0.0/${vpcPrefix}`,
                podCidr: "100.64.0.0/16",
                availabilityZones: zoneNames(zones),
                publicSubnetPrefixLength: vpcPrefix + publicExtra,
                privateSubnetPrefixLength: vpcPrefix + privateExtra,
                podSubnetPrefixLength: 16 + podExtra,
            };
            let plan;
            try {
                plan = planSubnets(config);
            } catch (e) {
                // Refusal is right only when the subnets really need more addresses than there are.
                const vpcNeed = zones * (blockSize(config.publicSubnetPrefixLength) + blockSize(config.privateSubnetPrefixLength));
                return /need \d+ addresses/.test((e as Error).message) && (vpcNeed > blockSize(vpcPrefix) || zones * blockSize(config.podSubnetPrefixLength) > blockSize(16));
            }
            const expectedPrefix = { public: config.publicSubnetPrefixLength, private: config.privateSubnetPrefixLength, pods: config.podSubnetPrefixLength };
            for (const subnet of plan) {
                if (parseCidr(subnet.cidr)!.prefixLength !== expectedPrefix[subnet.tier]) return false;
                if (!cidrContains(subnet.tier === "pods" ? config.podCidr : config.vpcCidr, subnet.cidr)) return false;
            }
            for (const tier of ["public", "private", "pods"] as const) {
                if (plan.filter((s) => s.tier === tier).map((s) => s.availabilityZone).join() !== config.availabilityZones.join()) return false;
            }
            return plan.every((a, i) => plan.every((b, j) => i === j || !cidrsOverlap(a.cidr, b.cidr)));
        }), { numRuns: 300 });
    });

    it("is deterministic: the same config yields the same CIDRs", () => {
        const config = { vpcCidr: "10.0.0.0/16", podCidr: "100.64.0.0/16", availabilityZones: zoneNames(3), publicSubnetPrefixLength: 24, privateSubnetPrefixLength: 20, podSubnetPrefixLength: 18 };
        expect(planSubnets(config)).to.deep.equal(planSubnets(config));
        expect(planSubnets(config).map((s) => s.cidr)).to.deep.equal([
            "10.0.48.0/24", "10.0.49.0/24", "10.0.50.0/24",
            "10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20",
            "100.64.0.0/18", "100.64.64.0/18", "100.64.128.0/18",
        ]);
    });
});
