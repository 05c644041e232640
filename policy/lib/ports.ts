/**
 * Protocols and port ranges as the provider normalises them: names in any case and IANA numbers
 * mean the same protocol ("TCP", "tcp" and "6"), "-1" and "all" mean every protocol on every port,
 * and a port range is meaningful only for TCP and UDP (for ICMP the two fields hold type and code).
 */
import { Read, readNumber, readString, UNKNOWN } from "./values";

export type Protocol = "all" | "tcp" | "udp" | "icmp" | "icmpv6" | `ip-${number}`;

const NAMED: Readonly<Record<string, Protocol>> = {
    "-1": "all", all: "all", tcp: "tcp", "6": "tcp", udp: "udp", "17": "udp", icmp: "icmp", "1": "icmp",
    icmpv6: "icmpv6", "58": "icmpv6", "icmp-v6": "icmpv6",
};

/** A protocol field (string or number) as the provider understands it; undefined when unreadable. */
export function readProtocol(value: unknown): Read<Protocol> {
    const number = readNumber(value);
    const text = number === UNKNOWN ? UNKNOWN : typeof number === "number" ? String(number) : readString(value);
    if (text === UNKNOWN) return UNKNOWN;
    if (text === undefined) return undefined;
    const key = text.trim().toLowerCase();
    if (key in NAMED) return NAMED[key];
    return /^\d+$/.test(key) && Number(key) <= 255 ? `ip-${Number(key)}` : undefined;
}

/** What one permission opens: a protocol and, for TCP and UDP, an inclusive port range. */
export interface Exposure {
    readonly protocol: Protocol;
    readonly from: number;
    readonly to: number;
}

/**
 * The exposure of a rule: every port of every protocol for "all"; for TCP/UDP the range, with a
 * missing or negative bound read as the full range (the provider's own default for -1 and 0-0 on
 * "all"); other protocols as one whole. UNKNOWN when any field it depends on is.
 */
export function readExposure(protocol: unknown, fromPort: unknown, toPort: unknown): Read<Exposure> {
    const p = readProtocol(protocol);
    if (p === UNKNOWN || p === undefined) return p;
    if (p !== "tcp" && p !== "udp") return { protocol: p, from: 0, to: 65535 };
    const from = readNumber(fromPort);
    const to = readNumber(toPort);
    if (from === UNKNOWN || to === UNKNOWN) return UNKNOWN;
    const low = from === undefined || from < 0 ? 0 : from;
    const high = to === undefined || to < 0 ? 65535 : to;
    return { protocol: p, from: Math.min(low, high), to: Math.max(low, high) };
}

/** Whether the exposure opens only TCP ports in `allowed`. */
export function onlyTcpPorts(exposure: Exposure, allowed: ReadonlySet<number>): boolean {
    if (exposure.protocol !== "tcp" || exposure.to - exposure.from + 1 > allowed.size) return false;
    for (let port = exposure.from; port <= exposure.to; port++) if (!allowed.has(port)) return false;
    return true;
}

export function describeExposure(exposure: Exposure): string {
    if (exposure.protocol === "all") return "every protocol and port";
    if (exposure.protocol !== "tcp" && exposure.protocol !== "udp") return exposure.protocol;
    const ports = exposure.from === exposure.to ? String(exposure.from) : exposure.from === 0 && exposure.to === 65535 ? "every port" : `${exposure.from}-${exposure.to}`;
    return `${exposure.protocol} ${ports}`;
}
