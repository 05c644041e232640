/**
 * Facts about every current EC2 instance type (vCPUs, memory, architecture, network interfaces,
 * EKS max pods, us-east-1 on-demand price), kept as the project's own data
 * (data/instance-types.json) and refreshed by scripts/refresh-instance-types.ts from generated
 * upstream tables. The config schema, the node groups and the planner all read them from here.
 */
// A JSON import so the data travels into dist/ (the build copies imported JSON). Rows rather than
// objects keep the inferred type small for 1,363 types; `rowFacts` checks each row's shape.
import data from "./data/instance-types.json";

/** CPU architecture as Kubernetes labels it (kubernetes.io/arch) and image platforms name it. */
export type Architecture = "amd64" | "arm64";
export const ARCHITECTURES: readonly Architecture[] = ["amd64", "arm64"];

export interface InstanceTypeFacts {
    readonly type: string;
    readonly vcpus: number;
    /** Nominal memory (the instance's full memory, not what the kubelet leaves allocatable). */
    readonly memoryGiB: number;
    readonly architecture: Architecture;
    /**
     * Network interfaces on the default network card, the ones the VPC CNI uses (for a multi-card
     * type this is fewer than the instance's total). Null where upstream lists no ENI facts.
     */
    readonly maxEnis: number | null;
    readonly ipv4PerEni: number | null;
    /** The EKS AMI's default max pods (no prefix delegation, no custom networking). */
    readonly maxPodsEksAmi: number;
    /** Built on the Nitro system (prefix delegation needs it). */
    readonly nitro: boolean;
    /** us-east-1 on-demand Linux list price per hour; null where upstream has none. */
    readonly onDemandUsdPerHour: number | null;
}

/** The columns of a data row, in order. */
export const INSTANCE_TYPE_COLUMNS = ["type", "vcpus", "memoryMiB", "architecture", "maxEnis", "ipv4PerEni", "maxPodsEksAmi", "nitro", "onDemandUsdPerHour"] as const;
type Row = readonly [string, number, number, Architecture, number | null, number | null, number, boolean, number | null];

/** The upstream table as generated (make-instance-types.py): only the fields read here. */
export interface UpstreamInstanceTypes {
    readonly source: Record<string, { readonly repo?: string; readonly commit?: string; readonly path?: string; readonly dataGeneratedAt?: string }>;
    readonly types: Record<string, {
        readonly vcpu: number;
        readonly memoryMiB: number;
        readonly arch: string;
        readonly family: string;
        readonly maxEnis: number | null;
        readonly ipv4PerEni: number | null;
        readonly maxPodsEksAmi: number;
        readonly onDemandUsdPerHourUsEast1: number | null;
    }>;
}

export interface InstanceTypesData {
    readonly source: {
        readonly derivedFrom: string;
        readonly refresh: string;
        readonly pricesAsOf: string;
        readonly derivations: Readonly<Record<string, string>>;
        readonly upstream: UpstreamInstanceTypes["source"];
    };
    readonly columns: readonly string[];
    readonly rows: readonly Row[];
}

/**
 * Families on the Xen hypervisor rather than Nitro, from the EC2 documentation's list of instances
 * built on the Nitro system (every family not listed there); their .metal sizes are Nitro.
 */
export const XEN_FAMILIES: readonly string[] = ["c1", "c3", "c4", "d2", "h1", "i2", "i3", "m1", "m2", "m3", "m4", "r3", "r4", "t1", "t2", "x1", "x1e"];

/**
 * The project's facts from the upstream table. Default-card ENIs come from the EKS AMI's own max
 * pods, `ENIs x (IPv4 per ENI - 1) + 2`, solved for ENIs: upstream's `maxEnis` counts every
 * network card, which overstates pods for multi-card types. Throws where the two disagree.
 */
export function deriveInstanceTypes(upstream: UpstreamInstanceTypes, inputName: string): InstanceTypesData {
    const rows = Object.entries(upstream.types).sort(([a], [b]) => a.localeCompare(b)).map(([type, t]): Row => {
        if (t.arch !== "amd64" && t.arch !== "arm64") throw new Error(`${type}: architecture "${t.arch}" is neither amd64 nor arm64`);
        let enis: number | null = null;
        if (t.maxEnis !== null && t.ipv4PerEni !== null) {
            enis = (t.maxPodsEksAmi - 2) / (t.ipv4PerEni - 1);
            if (!Number.isInteger(enis) || enis < 1 || enis > t.maxEnis) {
                throw new Error(`${type}: max pods ${t.maxPodsEksAmi} with ${t.ipv4PerEni} IPv4 per ENI gives ${enis} default-card ENIs (of ${t.maxEnis} in all)`);
            }
        }
        const nitro = !XEN_FAMILIES.includes(t.family) || type.endsWith(".metal");
        return [type, t.vcpu, t.memoryMiB, t.arch, enis, enis === null ? null : t.ipv4PerEni, t.maxPodsEksAmi, nitro, t.onDemandUsdPerHourUsEast1];
    });
    const pricing = upstream.source.karpenterPricing;
    return {
        source: {
            derivedFrom: `${inputName}, generated from upstream machine-readable tables (its SOURCE file says which field came from which commit)`,
            refresh: "npm run instance-types -- <path to instance-types.json>",
            pricesAsOf: String(pricing?.dataGeneratedAt ?? "unknown").slice(0, 10),
            derivations: {
                maxEnis: "default network card only: (maxPodsEksAmi - 2) / (ipv4PerEni - 1), the EKS AMI's formula solved for ENIs",
                nitro: `false for the Xen families ${XEN_FAMILIES.join(", ")} (EC2 documentation, instances built on the Nitro system), except their .metal sizes`,
                memoryMiB: "the instance's full memory",
                onDemandUsdPerHour: "us-east-1, Linux, shared tenancy, on demand; null where the upstream table has no price",
            },
            upstream: upstream.source,
        },
        columns: INSTANCE_TYPE_COLUMNS,
        rows,
    };
}

function rowFacts(row: readonly unknown[]): InstanceTypeFacts {
    const [type, vcpus, memoryMiB, architecture, maxEnis, ipv4PerEni, maxPodsEksAmi, nitro, price] = row;
    const numberOrNull = (v: unknown) => v === null || typeof v === "number";
    if (row.length !== INSTANCE_TYPE_COLUMNS.length || typeof type !== "string" || typeof vcpus !== "number" || typeof memoryMiB !== "number"
        || !ARCHITECTURES.includes(architecture as Architecture) || !numberOrNull(maxEnis) || !numberOrNull(ipv4PerEni)
        || typeof maxPodsEksAmi !== "number" || typeof nitro !== "boolean" || !numberOrNull(price)) {
        throw new Error(`lib/data/instance-types.json: malformed row ${JSON.stringify(row)}; columns: ${INSTANCE_TYPE_COLUMNS.join(", ")}`);
    }
    return {
        type, vcpus, memoryGiB: memoryMiB / 1024, architecture: architecture as Architecture,
        maxEnis: maxEnis as number | null, ipv4PerEni: ipv4PerEni as number | null, maxPodsEksAmi, nitro, onDemandUsdPerHour: price as number | null,
    };
}

const FACTS: ReadonlyMap<string, InstanceTypeFacts> = new Map(data.rows.map((row) => {
    const facts = rowFacts(row);
    return [facts.type, facts];
}));

/** Every known instance type, sorted. */
export const INSTANCE_TYPE_NAMES: readonly string[] = [...FACTS.keys()];

/** The date of the on-demand prices in the data (when upstream generated its price table). */
export const INSTANCE_PRICES_AS_OF: string = data.source.pricesAsOf;

/** The facts of a type, or undefined for a name that is not a current EC2 type. */
export function findInstanceType(type: string): InstanceTypeFacts | undefined {
    return FACTS.get(type);
}

/** Edit distance (insertions, deletions, substitutions), for suggesting names. */
function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

function commonPrefixLength(a: string, b: string): number {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return i;
}

/**
 * The real type names closest to a wrong one, best first: by edit distance, then those of the
 * same family (the part before the dot), then the longer common prefix, then newer first (by
 * name, descending: t3 before t2).
 */
export function nearestInstanceTypes(type: string, count = 3): string[] {
    const family = type.split(".")[0];
    return INSTANCE_TYPE_NAMES
        .map((name) => ({ name, distance: editDistance(type, name), sameFamily: name.split(".")[0] === family, prefix: commonPrefixLength(type, name) }))
        .sort((a, b) => a.distance - b.distance || Number(b.sameFamily) - Number(a.sameFamily) || b.prefix - a.prefix || b.name.localeCompare(a.name))
        .slice(0, count)
        .map((c) => c.name);
}
