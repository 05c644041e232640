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

/**
 * `value` to `places` decimals with thousands separators, as Intl.NumberFormat("en-US") writes it
 * (tests/planner.test.ts compares them over any number), without ICU's number formatter, whose
 * set-up cost a plan more than all its formatting. Intl rounds the shortest decimal that reads back
 * as `value` (1.005 is 1.01, not the binary 1.00499...), half away from zero.
 */
function formatFixed(value: number, places: number, trimZeros: boolean): string {
    const [mantissa, exponent = "0"] = Math.abs(value).toString().split("e");
    const [whole, fraction = ""] = mantissa.split(".");
    const digits = whole + fraction;
    // The first `end` digits are those kept: the value in units of 10^-places, rounded on the next.
    const end = whole.length + Number(exponent) + places;
    const kept = end > 0 ? BigInt(digits.slice(0, end).padEnd(end, "0")) : 0n;
    const units = (kept + (end >= 0 && (digits[end] ?? "0") >= "5" ? 1n : 0n)).toString().padStart(places + 1, "0");
    const decimals = trimZeros ? units.slice(-places).replace(/0+$/, "") : units.slice(-places);
    const sign = value < 0 || Object.is(value, -0) ? "-" : "";
    return `${sign}${units.slice(0, -places).replace(/\B(?=(\d{3})+$)/g, ",")}${decimals ? `.${decimals}` : ""}`;
}

/** Dollars with cents and thousands separators: $1,097.92. */
export function formatUsd(amount: number): string {
    return `$${formatFixed(amount, 2, false)}`;
}

/** A unit price with at least cents and every digit the price list has: $0.10, $0.0376. */
export function formatPrice(price: number): string {
    return `$${Number.isInteger(price * 100) ? price.toFixed(2) : String(price)}`;
}

/** A quantity: whole numbers as they are, others to two decimals. */
export function formatQuantity(value: number): string {
    return formatFixed(value, 2, true);
}

/** Units that read the same in the plural: hours and gigabytes. */
const UNCOUNTED_UNITS: ReadonlySet<string> = new Set(["h", "GB"]);

/** A quantity with its unit: "3 gateways", "730 h", "4.93 GB", "1 million traces" (a million of them is many). */
export function formatAmount(value: number, unit: string): string {
    const singular = UNCOUNTED_UNITS.has(unit) || (value === 1 && !unit.startsWith("million "));
    return `${formatQuantity(value)} ${singular ? unit : pluralWord(unit)}`;
}
