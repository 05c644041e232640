/** Pure IPv4 CIDR arithmetic: parsing, containment, overlap and carving. */

export interface Cidr {
    /** The network address as an unsigned 32-bit integer. */
    readonly base: number;
    readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n"; returns undefined for a malformed block or one with host bits set. */
export function parseCidr(text: string): Cidr | undefined {
    const match = CIDR_PATTERN.exec(text);
    if (!match) return undefined;
    const octets = match.slice(1, 5).map(Number);
    const prefixLength = Number(match[5]);
    if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % blockSize(prefixLength) !== 0) return undefined;
    return { base, prefixLength };
}

export function isValidCidr(text: string): boolean {
    return parseCidr(text) !== undefined;
}

function mustParse(text: string): Cidr {
    const parsed = parseCidr(text);
    if (!parsed) throw new Error(`"${text}" is not an IPv4 CIDR block with no host bits set`);
    return parsed;
}

/** How many addresses a block of this prefix length holds. */
export function blockSize(prefixLength: number): number {
    return 2 ** (32 - prefixLength);
}

export function formatCidr(cidr: Cidr): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
    return `${octets.join(".")}/${cidr.prefixLength}`;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
    const o = mustParse(outer);
    const i = mustParse(inner);
    return i.prefixLength >= o.prefixLength && i.base >= o.base && i.base + blockSize(i.prefixLength) <= o.base + blockSize(o.prefixLength);
}

export function cidrsOverlap(a: string, b: string): boolean {
    const x = mustParse(a);
    const y = mustParse(b);
    return x.base < y.base + blockSize(y.prefixLength) && y.base < x.base + blockSize(x.prefixLength);
}

/**
 * The `index`-th block of `prefixLength` inside `parent`.
 * Throws when the block would fall outside the parent.
 */
export function subnetAt(parent: string, prefixLength: number, index: number): string {
    const p = mustParse(parent);
    if (prefixLength < p.prefixLength) throw new Error(`a /${prefixLength} does not fit inside ${parent}`);
    const count = blockSize(p.prefixLength) / blockSize(prefixLength);
    if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw new Error(`${parent} holds ${count} blocks of /${prefixLength}; block ${index} does not exist`);
    }
    return formatCidr({ base: p.base + index * blockSize(prefixLength), prefixLength });
}
