/**
 * The regions a stack may name and each region's availability zones. The regions are the
 * commercial ones the pinned @pulumi/aws knows (its `Region` enum); the zones come from a dated
 * table (data/availability-zones.json) derived by scripts/derive-availability-zones.ts from a public,
 * machine-generated list of every zone's name and ID (the table names its source). `pulumi up` still
 * asks EC2 for the zones the account is offered (platform.ts); the table lets the plan and the config
 * check refuse an invented zone offline.
 */
import { Region } from "@pulumi/aws/types/enums";
import table from "./data/availability-zones.json";

/**
 * The commercial partition's region names as AWS's partition metadata describes them (botocore's
 * `aws` partition regionRegex): China (cn-), GovCloud (us-gov-), the ISO partitions (-iso*-) and the
 * European Sovereign Cloud (eusc-) fall outside it.
 */
const COMMERCIAL_REGION = /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/;

/** Every commercial region @pulumi/aws 7.48.0 can deploy to, sorted. */
export const COMMERCIAL_REGIONS: readonly string[] = Object.values(Region).filter((r) => COMMERCIAL_REGION.test(r)).sort();

/** One availability zone: its name (account-specific in older regions) and its ID (the same in every account). */
export interface AvailabilityZone {
    readonly name: string;
    readonly id: string;
}

export interface AvailabilityZoneTable {
    readonly about: string;
    readonly source: {
        readonly repository: string; readonly commit: string; readonly commitDate: string;
        /** The commit that last changed the file, and its date: the data's date. */
        readonly lastChangedCommit: string; readonly lastChangedDate: string; readonly file: string; readonly generatedBy: string; readonly retrieved: string;
    };
    /** The standard availability zones of each region, sorted by name; Local and Wavelength Zones are left out. */
    readonly regions: Readonly<Record<string, readonly AvailabilityZone[]>>;
}

export const AVAILABILITY_ZONES: AvailabilityZoneTable = table;

/** The zones of `region` in the table, undefined for a region it does not list. */
export function regionZones(region: string, zones: AvailabilityZoneTable = AVAILABILITY_ZONES): readonly AvailabilityZone[] | undefined {
    return Object.hasOwn(zones.regions, region) ? zones.regions[region] : undefined;
}

/**
 * The standard zones per region from a Terraform locals file whose entries carry `azid`, `zone` and
 * `region` (as networknext/next generates from `aws ec2 describe-availability-zones
 * --all-availability-zones` in every region). A zone is standard when its name is the region's name
 * and one letter; Local Zones (us-east-1-bos-1a) are not places a VPC subnet of ours goes. Throws when
 * a zone is listed twice with different IDs, or an ID does not belong to its region's prefix.
 */
export function deriveAvailabilityZones(text: string): Record<string, AvailabilityZone[]> {
    const regions: Record<string, AvailabilityZone[]> = {};
    const entry = /\{\s*azid\s*=\s*"([a-z0-9-]+)"\s*zone\s*=\s*"([a-z0-9-]+)"\s*region\s*=\s*"([a-z0-9-]+)"/g;
    for (const [, id, name, region] of text.matchAll(entry)) {
        if (!new RegExp(`^${region}[a-z]$`).test(name)) continue;
        if (!/^[a-z]+\d+-az\d+$/.test(id)) throw new Error(`zone ${name}: "${id}" is not an availability zone ID such as use1-az1`);
        const zones = (regions[region] ??= []);
        const known = zones.find((z) => z.name === name);
        if (known && known.id !== id) throw new Error(`zone ${name} is listed as ${known.id} and as ${id}`);
        if (!known) zones.push({ name, id });
    }
    for (const zones of Object.values(regions)) {
        zones.sort((a, b) => a.name.localeCompare(b.name));
        const prefixes = new Set(zones.map((z) => z.id.split("-")[0]));
        if (prefixes.size !== 1) throw new Error(`zones ${zones.map((z) => z.name).join(", ")} have IDs of different regions (${[...prefixes].join(", ")})`);
    }
    return Object.fromEntries(Object.entries(regions).sort(([a], [b]) => a.localeCompare(b)));
}
