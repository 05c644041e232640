/**
 * Address ranges by what they cover, not how they are written. "The internet" is every public
 * address of a family; a set of blocks opens a port to it when their union covers all of them,
 * however the blocks are cut (0.0.0.0/0, two /1s, or public space with the private ranges left out).
 */

export type Family = "IPv4" | "IPv6";

/** A closed interval of addresses of one family. */
interface Range {
    readonly family: Family;
    readonly first: bigint;
    readonly last: bigint;
}

const BITS: Record<Family, number> = { IPv4: 32, IPv6: 128 };

function parseIpv4(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.reduce((acc, p) => (acc << 8n) + BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
    let head = text;
    let tail4: bigint | undefined;
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
    const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
        tail4 = parseIpv4(v4[2]);
        if (tail4 === undefined) return undefined;
        head = `${v4[1]}0:0`;
    }
    const halves = head.split("::");
    if (halves.length > 2) return undefined;
    const groups = (half: string) => (half === "" ? [] : half.split(":"));
    const left = groups(halves[0]);
    const right = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - left.length - right.length;
    if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
    const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
    if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
    let value = all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
    if (tail4 !== undefined) value = (value & ~0xffffffffn) | tail4;
    return value;
}

/** A CIDR block (or a bare address) as the range it covers; undefined when it is not one. */
export function parseCidr(text: string): Range | undefined {
    const [address, prefixText, ...rest] = text.trim().split("/");
    if (rest.length > 0 || address === undefined) return undefined;
    const family: Family = address.includes(":") ? "IPv6" : "IPv4";
    const value = family === "IPv4" ? parseIpv4(address) : parseIpv6(address);
    const bits = BITS[family];
    const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (value === undefined || !(prefix >= 0 && prefix <= bits)) return undefined;
    const size = 1n << BigInt(bits - prefix);
    // AWS normalises host bits away (10.0.0.5/8 is 10.0.0.0/8); so does this.
    const first = value - (value % size);
    return { family, first, last: first + size - 1n };
}

function block(text: string): Range {
    const range = parseCidr(text);
    if (!range) throw new Error(`bad built-in block ${text}`);
    return range;
}

/**
 * Addresses no internet host has: private, shared, loopback, link-local, documentation,
 * benchmarking, multicast and reserved space (IANA special-purpose registries). For IPv6, the
 * internet is global unicast (2000::/3) minus documentation space.
 */
const NOT_INTERNET_V4 = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3"].map(block);
const INTERNET_V6 = block("2000::/3");
const NOT_INTERNET_V6 = ["2001:db8::/32", "3fff::/20"].map(block);

/** The sorted, merged union of ranges of one family. */
function union(ranges: readonly Range[]): Range[] {
    const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: Range[] = [];
    for (const r of sorted) {
        const last = merged[merged.length - 1];
        if (last && r.first <= last.last + 1n) merged[merged.length - 1] = { ...last, last: r.last > last.last ? r.last : last.last };
        else merged.push(r);
    }
    return merged;
}

/** `within` minus `holes`, as sorted ranges. */
function subtract(within: Range, holes: readonly Range[]): Range[] {
    const result: Range[] = [];
    let start = within.first;
    for (const hole of union(holes)) {
        if (hole.last < start || hole.first > within.last) continue;
        if (hole.first > start) result.push({ ...within, first: start, last: hole.first - 1n });
        start = hole.last + 1n;
    }
    if (start <= within.last) result.push({ ...within, first: start, last: within.last });
    return result;
}

const INTERNET: Record<Family, Range[]> = {
    IPv4: subtract({ family: "IPv4", first: 0n, last: (1n << 32n) - 1n }, NOT_INTERNET_V4),
    IPv6: subtract(INTERNET_V6, NOT_INTERNET_V6),
};

/** Whether the merged `ranges` contain every address of `target`. */
function contains(ranges: readonly Range[], target: Range): boolean {
    return ranges.some((r) => r.first <= target.first && r.last >= target.last);
}

/**
 * The families whose whole internet the blocks cover together. Texts that are not CIDR blocks
 * are ignored (the provider would reject them before anything is opened).
 */
export function internetCoverage(blocks: readonly string[]): Family[] {
    const ranges = blocks.map(parseCidr).filter((r): r is Range => r !== undefined);
    return (["IPv4", "IPv6"] as const).filter((family) => {
        const merged = union(ranges.filter((r) => r.family === family));
        return INTERNET[family].every((part) => contains(merged, part));
    });
}

/** True when the blocks together cover every public address of IPv4 or of IPv6. */
export function coversInternet(blocks: readonly string[]): boolean {
    return internetCoverage(blocks).length > 0;
}

/** The blocks that reach public addresses at all (for naming the culprits in a message). */
export function publicBlocks(blocks: readonly string[]): string[] {
    return blocks.filter((text) => {
        const range = parseCidr(text);
        return range !== undefined && INTERNET[range.family].some((part) => part.first <= range.last && part.last >= range.first);
    });
}

/** The blocks that open something to the internet, as a message names them. */
export function describeInternet(blocks: readonly string[]): string {
    const named = publicBlocks(blocks);
    return named.length === 1 ? named[0] : `${named.join(" + ")} (together the whole internet)`;
}
