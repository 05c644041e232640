import { expect } from "chai";
import * as fc from "fast-check";
import { findInstanceType, INSTANCE_TYPE_NAMES } from "../lib/instance-types";
import { instanceHourlyPrice, loadPriceTable, monthly, PriceOverrides } from "../planner/pricing";

/** The EC2 types of the spec's price table. */
const SPEC_EC2 = ["t3a.medium", "t3a.large", "t3a.xlarge", "t3a.2xlarge", "t3.medium", "t4g.medium", "m6i.large"];
const pick = (prices: Readonly<Record<string, number>>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, prices[k]]));

describe("pricing", () => {
    describe("the list prices", () => {
        const table = loadPriceTable("us-east-1");

        it("price every instance type that has an upstream list price, dated", () => {
            const priced = INSTANCE_TYPE_NAMES.filter((type) => findInstanceType(type)!.onDemandUsdPerHour !== null);
            expect(Object.keys(table.ec2.onDemandPerHour)).to.deep.equal(priced);
            expect(priced.length).to.equal(1345);
            expect(pick(table.ec2.onDemandPerHour, ["m5.large", "m7g.large", "t4g.xlarge", "t4g.nano"])).to.deep.equal({ "m5.large": 0.096, "m7g.large": 0.0816, "t4g.xlarge": 0.1344, "t4g.nano": 0.0042 });
            expect(table.ec2PricesAsOf).to.equal("2026-07-20");
        });

        it("say what they are valid for", () => {
            expect(table.asOf).to.equal("2026");
            expect(table.region).to.equal("us-east-1");
            expect(table.currency).to.equal("USD");
            expect(table.hoursPerMonth).to.equal(730);
        });

        it("match the spec's table", () => {
            expect(table.eks).to.deep.equal({ standardSupportPerHour: 0.1, extendedSupportPerHour: 0.6 });
            expect(pick(table.ec2.onDemandPerHour, SPEC_EC2)).to.deep.equal({
                "t3a.medium": 0.0376, "t3a.large": 0.0752, "t3a.xlarge": 0.1504, "t3a.2xlarge": 0.3008,
                "t3.medium": 0.0416, "t4g.medium": 0.0336, "m6i.large": 0.096,
            });
            expect(table.natGateway).to.deep.equal({ perHour: 0.045, perGbProcessed: 0.045 });
            expect(table.publicIpv4.perAddressPerHour).to.equal(0.005);
            expect(table.vpcEndpoints).to.deep.equal({ interfacePerHourPerAz: 0.01, interfacePerGbProcessed: 0.01, gatewayPerHour: 0, gatewayPerGbProcessed: 0 });
            expect(table.ebs).to.deep.equal({ gp3PerGbMonth: 0.08, gp2PerGbMonth: 0.1, snapshotPerGbMonth: 0.05 });
            expect(table.s3.standardPerGbMonth).to.equal(0.023);
            expect(table.kms).to.deep.equal({ perKeyMonth: 1, per10kRequests: 0.03 });
            expect(table.cloudwatchLogs).to.deep.equal({ ingestedPerGb: 0.5, storedPerGbMonth: 0.03 });
            expect(table.alb).to.deep.equal({ perHour: 0.0225, perLcuHour: 0.008 });
            expect(table.msk).to.deep.equal({ brokerPerHour: { "kafka.t3.small": 0.0456, "kafka.m5.large": 0.21 }, storagePerGbMonth: 0.1 });
            expect(table.dataTransfer.interAzPerGbEachDirection).to.equal(0.01);
        });
    });

    describe("monthly", () => {
        const table = loadPriceTable("us-east-1");

        it("bills 730 hours: three NAT gateways are 3 x 0.045 x 730 = 98.55", () => {
            expect(monthly(3 * table.natGateway.perHour, table)).to.be.closeTo(98.55, 1e-9);
        });

        it("prices two t3a.medium nodes at 2 x 0.0376 x 730 = 54.896", () => {
            expect(monthly(2 * instanceHourlyPrice(table, "t3a.medium"), table)).to.be.closeTo(54.896, 1e-9);
        });

        it("prices an EKS cluster in standard support at 73 and in extended support at 438", () => {
            expect(monthly(table.eks.standardSupportPerHour, table)).to.be.closeTo(73, 1e-9);
            expect(monthly(table.eks.extendedSupportPerHour, table)).to.be.closeTo(438, 1e-9);
        });

        it("uses the table's month, not a fixed 730", () => {
            expect(monthly(1, { hoursPerMonth: 720 })).to.equal(720);
        });
    });

    describe("instanceHourlyPrice", () => {
        it("returns the on-demand price of a listed type", () => {
            expect(instanceHourlyPrice(loadPriceTable("us-east-1"), "m6i.large")).to.equal(0.096);
        });

        it("names a type that does not exist, and one without a list price", () => {
            expect(() => instanceHourlyPrice(loadPriceTable("us-east-1"), "m9z.large")).to.throw(Error, /"m9z\.large".*as of 2026-07-20.*not a current EC2 type/);
            expect(() => instanceHourlyPrice(loadPriceTable("us-east-1"), "trn2.48xlarge")).to.throw(Error, /"trn2\.48xlarge".*no on-demand price/);
        });

        it("does not mistake an inherited property for a price", () => {
            expect(() => instanceHourlyPrice(loadPriceTable("us-east-1"), "toString")).to.throw(Error, /"toString"/);
        });
    });

    describe("loadPriceTable overrides", () => {
        it("replace only the prices given", () => {
            const table = loadPriceTable("us-east-1", { natGateway: { perHour: 0.05 }, ec2: { onDemandPerHour: { "t3a.medium": 0.03 } } });
            expect(table.natGateway).to.deep.equal({ perHour: 0.05, perGbProcessed: 0.045 });
            expect(table.ec2.onDemandPerHour["t3a.medium"]).to.equal(0.03);
            expect(table.ec2.onDemandPerHour["t3a.large"]).to.equal(0.0752);
        });

        it("accept 0, for a price the user does not pay", () => {
            expect(loadPriceTable("us-east-1", { kms: { perKeyMonth: 0 } }).kms.perKeyMonth).to.equal(0);
        });

        it("treat an explicit undefined as not overridden", () => {
            expect(loadPriceTable("us-east-1", { alb: { perHour: undefined } }).alb.perHour).to.equal(0.0225);
        });

        it("do not leak into later tables", () => {
            const overridden = loadPriceTable("us-east-1", { s3: { standardPerGbMonth: 1 } });
            (overridden.ec2.onDemandPerHour as Record<string, number>)["t3a.medium"] = 99;
            const fresh = loadPriceTable("us-east-1");
            expect(fresh.s3.standardPerGbMonth).to.equal(0.023);
            expect(fresh.ec2.onDemandPerHour["t3a.medium"]).to.equal(0.0376);
        });

        const rejects = (overrides: unknown, message: RegExp) => expect(() => loadPriceTable("us-east-1", overrides as PriceOverrides)).to.throw(Error, message);

        it("reject a negative price, naming the key", () => {
            rejects({ natGateway: { perHour: -0.01 } }, /natGateway\.perHour must be a non-negative number, got -0\.01/);
        });

        it("reject a price that is not a finite number, naming the key", () => {
            rejects({ ebs: { gp3PerGbMonth: "0.08" } }, /ebs\.gp3PerGbMonth must be a non-negative number, got "0\.08"/);
            rejects({ ebs: { gp3PerGbMonth: NaN } }, /ebs\.gp3PerGbMonth .* got NaN/);
            rejects({ ebs: { gp3PerGbMonth: Infinity } }, /ebs\.gp3PerGbMonth .* got Infinity/);
        });

        it("reject an unknown key, naming it and the known keys beside it", () => {
            rejects({ natGateways: { perHour: 1 } }, /natGateways is not a known price; known keys: eks, natGateway, publicIpv4.*, ec2/);
            rejects({ ebs: { io2PerGbMonth: 0.125 } }, /ebs\.io2PerGbMonth is not a known price; known keys under ebs: gp3PerGbMonth, gp2PerGbMonth, snapshotPerGbMonth/);
            rejects({ ec2: { onDemandPerHour: { "m9z.large": 0.1 } } }, /ec2\.onDemandPerHour\["m9z\.large"\] is not a known price/);
            rejects({ ec2: { onDemandPerHour: { constructor: 0.1 } } }, /ec2\.onDemandPerHour\.constructor is not a known price/);
        });

        it("reject a number where a group of prices is expected, and a group where a price is", () => {
            rejects({ natGateway: 0.045 }, /natGateway must be an object of prices, got 0\.045/);
            rejects({ s3: { standardPerGbMonth: { first50Tb: 0.023 } } }, /s3\.standardPerGbMonth must be a non-negative number/);
        });

        it("reject the table's metadata, which is not a price", () => {
            rejects({ hoursPerMonth: 720 }, /hoursPerMonth is not a price/);
            rejects({ asOf: "2027" }, /asOf is not a price/);
        });

        /** Every price in the table as a path of keys, found from the data so new prices are covered too. */
        const pricePaths = (node: unknown, path: string[] = []): string[][] =>
            typeof node === "number" ? [path] : Object.entries(node as object).flatMap(([key, child]) => pricePaths(child, [...path, key]));
        const { asOf: _a, ec2PricesAsOf: _e, region: _r, currency: _c, hoursPerMonth: _h, source: _s, ...prices } = loadPriceTable("us-east-1");
        const allPaths = pricePaths(prices);
        const nest = (path: string[], value: unknown): unknown => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
        const at = (root: unknown, path: string[]): unknown => path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root);

        it("can replace any single price, leaving all the others", () => {
            fc.assert(fc.property(fc.constantFrom(...allPaths), fc.double({ min: 0, max: 1e6, noNaN: true }), (path, price) => {
                const table = loadPriceTable("us-east-1", nest(path, price) as PriceOverrides);
                for (const other of allPaths) {
                    expect(at(table, other)).to.equal(other === path ? price : at(prices, other));
                }
            }));
        });

        it("refuse a negative value for any price, naming its key", () => {
            fc.assert(fc.property(fc.constantFrom(...allPaths), fc.double({ max: -Number.MIN_VALUE, noNaN: true }), (path, price) => {
                expect(() => loadPriceTable("us-east-1", nest(path, price) as PriceOverrides)).to.throw(Error, path[path.length - 1]);
            }));
        });
    });
});
