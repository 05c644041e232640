/**
 * One priced item of the cost estimate and how it is priced: the one place a line's monthly figure
 * is computed, for the estimate's own lines (cost.ts) and the managed services' (managed-cost.ts).
 */
import { toCents } from "./format";
import { VolumeClaim } from "./volumes";

/** One factor of a line's quantity: 3 gateways, 730 h, 100 GB. The unit is singular; it is pluralised when shown. */
export interface Factor {
    readonly value: number;
    readonly unit: string;
}

export type CostCategory = "control plane" | "compute" | "network" | "storage" | "security" | "logging";

/** One priced item: quantity (the product of its factors) x unit price = monthly. */
export interface CostLine {
    /** Stable across stacks, so that a comparison can pair the lines: "nat-gateway-hours". */
    readonly id: string;
    readonly category: CostCategory;
    /** The same in every stack ("Node group general"), so that a comparison can label the pair. */
    readonly item: string;
    /** What this stack has of it: "t3a.xlarge, on demand". */
    readonly detail?: string;
    readonly factors: readonly Factor[];
    readonly unitPrice: number;
    /** What the unit price is per: "h", "GB", "GB-month", "key-month". */
    readonly priceUnit: string;
    /** To the cent (toCents), as a bill prices it: the total is the sum of the lines as shown. */
    readonly monthly: number;
    /** The usage assumption the line rests on: "costAssumptions.natGatewayGbPerMonth = 200". */
    readonly assumption?: string;
    /** What was counted and how, when the factors alone do not say it. */
    readonly note?: string;
    /** The persistent volume claims behind a PVC line. */
    readonly claims?: readonly VolumeClaim[];
}

/** A line before it is priced: everything but its monthly figure. */
export type LineSpec = Omit<CostLine, "monthly">;

/** A line priced as a bill prices it: quantity (the product of its factors) x unit price, to the cent. */
export function priceLine(spec: LineSpec): CostLine {
    return { ...spec, monthly: toCents(spec.factors.reduce((product, f) => product * f.value, spec.unitPrice)) };
}
