/** How the planner writes numbers and counts, in one place so that every section reads alike. */

function pluralWord(word: string): string {
    if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
    return `${word}${word.endsWith("s") ? "es" : "s"}`;
}

/** "1 volume", "3 volumes", "2 addresses", "4 policies". */
export function plural(count: number, word: string): string {
    return `${count} ${count === 1 ? word : pluralWord(word)}`;
}

/**
 * An amount of dollars to the cent, half a cent up: how every cost line is priced, as a bill
 * prices it, so that totals and deltas (sums and differences of cents) agree with the lines shown.
 */
export function toCents(amount: number): number {
    return Math.sign(amount) * Math.round(Math.abs(amount) * 100 + 1e-9) / 100;
}

const USD = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Dollars with cents and thousands separators: $1,097.92. */
export function formatUsd(amount: number): string {
    return `$${USD.format(amount)}`;
}

/** A unit price with at least cents and every digit the price list has: $0.10, $0.0376. */
export function formatPrice(price: number): string {
    return `$${Number.isInteger(price * 100) ? price.toFixed(2) : String(price)}`;
}

const QUANTITY = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A quantity: whole numbers as they are, others to two decimals. */
export function formatQuantity(value: number): string {
    return QUANTITY.format(value);
}

/** Units that read the same in the plural: hours and gigabytes. */
const UNCOUNTED_UNITS: ReadonlySet<string> = new Set(["h", "GB"]);

/** A quantity with its unit: "3 gateways", "730 h", "4.93 GB", "1 million traces" (a million of them is many). */
export function formatAmount(value: number, unit: string): string {
    const singular = UNCOUNTED_UNITS.has(unit) || (value === 1 && !unit.startsWith("million "));
    return `${formatQuantity(value)} ${singular ? unit : pluralWord(unit)}`;
}
