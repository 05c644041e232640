/**
 * Unit prices the cost estimate multiplies usage by: dated list prices kept as data, one entry per
 * region, so that a price change is a data edit with its date, not a code change; any single price
 * can be overridden by a user who pays a different rate. Every price is looked up by the stack's
 * region, and a region without prices is refused, naming the regions that have them: a plan never
 * prices one region at another's rates.
 *
 * Where prices live: data/pricing-<region>.json (every service below but EC2, one file per region)
 * and the EC2 on-demand prices of every instance type (lib/data/instance-types.json, us-east-1's,
 * generated upstream). A service with prices of its own (a load balancer, a managed service) keeps
 * them in its own data file keyed by region, `{ "<region>": { "date": ..., "source": ..., ... } }`,
 * and reads its region's entry with `pricesInRegion(file, region, "<service>")`, which refuses a
 * region the file does not cover the same way.
 */
// JSON imports (resolveJsonModule) rather than file reads: ts-node resolves them next to this file, and
// tsc copies the JSON into dist/planner/data, so the same lines work from source and from the build.
// A region's list is added here, beside its file.
import usEast1 from "./data/pricing-us-east-1.json";
import edgePrices from "./data/edge-prices.json";
import { INSTANCE_PRICES_AS_OF, INSTANCE_TYPE_NAMES, findInstanceType } from "../lib/instance-types";
import { isJsonObject } from "../lib/json";

/** A price per unit of a named item, in the table's currency: `{ "t3a.medium": 0.0376 }`. */
export type PriceByName = Readonly<Record<string, number>>;

/** Every price of the list, in the table's currency. "Month" prices are per GB-month or key-month. */
export interface Prices {
    readonly eks: {
        /** One cluster on a Kubernetes version in standard support. */
        readonly standardSupportPerHour: number;
        /** One cluster on a version past standard support: six times the standard price. */
        readonly extendedSupportPerHour: number;
    };
    readonly ec2: {
        /** On-demand Linux price per instance-hour, by instance type: every type with a list price. */
        readonly onDemandPerHour: PriceByName;
    };
    /** What a burstable node in unlimited mode pays per vCPU-hour of surplus credits (use above its baseline), by family. */
    readonly cpuCredits: { readonly surplusPerVcpuHour: PriceByName };
    readonly natGateway: { readonly perHour: number; readonly perGbProcessed: number };
    /** Every public IPv4 address is charged, an Elastic IP in use or not. */
    readonly publicIpv4: { readonly perAddressPerHour: number };
    readonly vpcEndpoints: {
        /** An interface endpoint is charged once per availability zone it has a network interface in. */
        readonly interfacePerHourPerAz: number;
        readonly interfacePerGbProcessed: number;
        /** Gateway endpoints (S3, DynamoDB) are free; carried so the estimate can show them at 0. */
        readonly gatewayPerHour: number;
        readonly gatewayPerGbProcessed: number;
    };
    readonly ebs: {
        /** gp3 includes 3,000 IOPS and 125 MB/s; more of either is charged extra and not modelled. */
        readonly gp3PerGbMonth: number;
        readonly gp2PerGbMonth: number;
        readonly snapshotPerGbMonth: number;
    };
    /** S3 Standard's first-50-TB tier; the platform stays far below the point where tiers matter. */
    readonly s3: { readonly standardPerGbMonth: number };
    readonly kms: { readonly perKeyMonth: number; readonly per10kRequests: number };
    readonly cloudwatchLogs: { readonly ingestedPerGb: number; readonly storedPerGbMonth: number };
    readonly alb: { readonly perHour: number; readonly perLcuHour: number };
    /** AWS WAF (data/edge-prices.json): each web ACL and each rule or managed rule group a month, and requests inspected. */
    readonly waf: { readonly webAclPerMonth: number; readonly rulePerMonth: number; readonly perMillionRequests: number };
    /** Cognito user pools on the Essentials tier (data/edge-prices.json): MAUs above the free ones. */
    readonly cognito: { readonly freeMonthlyActiveUsers: number; readonly essentialsPerMonthlyActiveUser: number };
    readonly msk: {
        /** Price per broker-hour, by MSK broker instance type. */
        readonly brokerPerHour: PriceByName;
        readonly storagePerGbMonth: number;
    };
    /** RDS for PostgreSQL: a Multi-AZ deployment bills the standby too, so both its prices are listed. */
    readonly rds: {
        readonly postgresInstancePerHour: { readonly singleAz: PriceByName; readonly multiAz: PriceByName };
        readonly gp3PerGbMonth: { readonly singleAz: number; readonly multiAz: number };
        /** A GB-month of the snapshots AWS Backup keeps of an RDS instance (warm storage). */
        readonly awsBackupSnapshotPerGbMonth: number;
    };
    /** A secret a month, such as the one RDS keeps a managed master password in; API calls are not estimated. */
    readonly secretsManager: { readonly perSecretMonth: number };
    /** Charged in each direction, so a GB sent and answered across zones costs twice this. */
    readonly dataTransfer: { readonly interAzPerGbEachDirection: number };
}

/** The price list with what it is valid for: the date, region and currency a reader must see beside any total. */
export interface PriceTable extends Prices {
    /** When these list prices were taken; estimates print it because prices change. */
    readonly asOf: string;
    /** When the EC2 on-demand prices were generated upstream (they come with the instance facts). */
    readonly ec2PricesAsOf: string;
    readonly region: string;
    readonly currency: string;
    /** The month the estimate bills: 730 hours, AWS's own convention (8,760 / 12). */
    readonly hoursPerMonth: number;
    readonly source: string;
}

/** Optional at every level, so a user supplies only the prices they want to change. */
type DeepPartial<T> = { [K in keyof T]?: T[K] extends number ? number : DeepPartial<T[K]> };

/** Prices a user may replace; the table's date, region, currency and month length are not prices. */
export type PriceOverrides = DeepPartial<Prices>;

/** Prices of one kind keyed by region: `{ "us-east-1": {...}, "eu-west-1": {...} }`. */
export type ByRegion<T> = Readonly<Record<string, T>>;

/**
 * The entry of `region` in prices keyed by region. Throws for a region they do not cover, naming the
 * regions they do: pricing it at another region's rates would be a silent error.
 */
export function pricesInRegion<T>(byRegion: ByRegion<T>, region: string, what: string): T {
    if (!Object.hasOwn(byRegion, region)) {
        throw new Error(`region: got "${region}"; the planner has ${what} prices only for ${Object.keys(byRegion).sort().join(", ")}, and does not price one region at another's rates (add the region's list prices as data to plan there)`);
    }
    return byRegion[region];
}

type ListPrices = Omit<PriceTable, "ec2" | "ec2PricesAsOf" | "waf" | "cognito">;

/** WAF's and Cognito's prices by region (data/edge-prices.json), beside the list. */
const EDGE_PRICES: ByRegion<Pick<PriceTable, "waf" | "cognito">> = { "us-east-1": edgePrices["us-east-1"] };

// Typed assignment: tsc rejects the build if a region's JSON loses a price or a price stops being a number.
const LIST_PRICES: ByRegion<ListPrices> = { "us-east-1": usEast1 };

/** EC2 on-demand prices by region, with their date: the instance facts carry us-east-1's. */
const EC2_ON_DEMAND: ByRegion<{ readonly asOf: string; readonly onDemandPerHour: PriceByName }> = {
    "us-east-1": {
        asOf: INSTANCE_PRICES_AS_OF,
        onDemandPerHour: Object.fromEntries(INSTANCE_TYPE_NAMES.flatMap((type) => {
            const price = findInstanceType(type)?.onDemandUsdPerHour;
            return price === null || price === undefined ? [] : [[type, price]];
        })),
    },
};

/** The regions the planner can price: those with both the list prices and EC2's. */
export const PRICED_REGIONS: readonly string[] = Object.keys(LIST_PRICES).filter((r) => Object.hasOwn(EC2_ON_DEMAND, r) && Object.hasOwn(EDGE_PRICES, r)).sort();

/** The full price table of `region`; throws, naming the priced regions, for a region without prices. */
function listPricesOf(region: string): PriceTable {
    const list = pricesInRegion(LIST_PRICES, region, "list");
    const ec2 = pricesInRegion(EC2_ON_DEMAND, region, "EC2 on-demand");
    return { ...list, ...pricesInRegion(EDGE_PRICES, region, "WAF and Cognito"), ec2PricesAsOf: ec2.asOf, ec2: { onDemandPerHour: ec2.onDemandPerHour } };
}

const METADATA_KEYS: ReadonlySet<string> = new Set(["asOf", "ec2PricesAsOf", "region", "currency", "hoursPerMonth", "source"]);

/**
 * The price table of `region`, with `overrides` replacing individual list prices. Overrides usually come from
 * untyped config, so they are checked at run time: each key must name an existing price (a typo must
 * not silently leave the list price in place) and each value must be a finite number >= 0. The error
 * names the offending key as a path such as `ec2.onDemandPerHour["t3a.medium"]`.
 */
export function loadPriceTable(region: string, overrides: PriceOverrides = {}): PriceTable {
    // A copy, so that neither overrides nor a caller's edits leak into the module-cached list prices.
    const table = structuredClone(listPricesOf(region));
    applyOverrides(table as unknown as Record<string, unknown>, overrides, "");
    return table;
}

function applyOverrides(target: Record<string, unknown>, overrides: unknown, path: string): void {
    if (!isJsonObject(overrides)) {
        throw new Error(`Price override ${path || "(the overrides)"} must be an object of prices, got ${describe(overrides)}`);
    }
    for (const [key, value] of Object.entries(overrides)) {
        const keyPath = joinKey(path, key);
        if (path === "" && METADATA_KEYS.has(key)) {
            throw new Error(`Price override ${keyPath} is not a price and cannot be overridden (the table's ${[...METADATA_KEYS].join(", ")} describe the list itself)`);
        }
        // hasOwn, not `in`: "toString" or "constructor" must be unknown keys, not inherited ones.
        if (!Object.hasOwn(target, key)) {
            throw new Error(`Price override ${keyPath} is not a known price; known keys${path ? ` under ${path}` : ""}: ${Object.keys(target).filter((k) => path !== "" || !METADATA_KEYS.has(k)).join(", ")}`);
        }
        // DeepPartial lets a caller spell "not overridden" as an explicit undefined.
        if (value === undefined) continue;
        const current = target[key];
        if (typeof current === "number") {
            if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
                throw new Error(`Price override ${keyPath} must be a non-negative number, got ${describe(value)}`);
            }
            target[key] = value;
        } else {
            applyOverrides(current as Record<string, unknown>, value, keyPath);
        }
    }
}

/** Dotted where the key is an identifier, bracketed where it is not (instance types contain dots). */
function joinKey(path: string, key: string): string {
    if (/^[A-Za-z_$][\w$]*$/.test(key)) return path ? `${path}.${key}` : key;
    return `${path}[${JSON.stringify(key)}]`;
}

/** JSON.stringify would print NaN and Infinity as null, hiding what the user actually wrote. */
function describe(value: unknown): string {
    return typeof value === "number" || value === undefined ? String(value) : JSON.stringify(value);
}

/**
 * The on-demand hourly price of an EC2 instance type. Throws for a type the list does not price,
 * naming it, because a silent 0 would understate the estimate.
 */
export function instanceHourlyPrice(table: PriceTable, instanceType: string): number {
    const prices = table.ec2.onDemandPerHour;
    if (!Object.hasOwn(prices, instanceType)) {
        const known = findInstanceType(instanceType) !== undefined;
        throw new Error(
            `No EC2 price for instance type "${instanceType}" in the ${table.region} list (as of ${table.ec2PricesAsOf}): ` +
            (known ? "upstream publishes no on-demand price for it there" : "it is not a current EC2 type"),
        );
    }
    return prices[instanceType];
}

/** An hourly price over the table's billing month (730 hours); unrounded, so rounding happens once, when shown. */
export function monthly(hourly: number, table: Pick<PriceTable, "hoursPerMonth">): number {
    return hourly * table.hoursPerMonth;
}
