/**
 * The persistent volumes a stack's workloads claim, found in what it declares: Helm values,
 * custom resources (a Strimzi KafkaNodePool's spec.storage) and plain PersistentVolumeClaims.
 *
 * Claims are found generically rather than chart by chart, so that a new chart's volumes are
 * priced without a change here. What counts as a claim:
 * - a size key (size, storage, storageRequest, storageSize) holding a quantity such as "50Gi",
 * - below a key that names storage (persistence, persistentVolume, volumeClaimTemplate(s),
 *   storage, *Storage, pvc; matched case-insensitively on any ancestor key),
 * - unless that block or one above it says `enabled: false`.
 * A size the values leave at the chart's default is not seen and not priced.
 *
 * How many volumes a claim makes: a StatefulSet gets one per replica (volumeClaimTemplates), any
 * other workload shares one. The claim is matched to the release's workloads by the values key
 * above it ("ingester" or "store_gateway" to the workloads named ingester-zone-a or store-gateway);
 * a root-level block belongs to the release's only workload. A custom resource counts its
 * StatefulSet workloads' replicas, else its spec.replicas. Anything unmatched counts once, and
 * the claim says so.
 */
import { PlannedResource } from "../engine/types";
import { workloadsOf } from "../components/helm/workload-registry";
import { Workload } from "../components/helm/workloads";
import { parseMemory } from "../lib/quantity";
import { plural } from "./format";
import { ofType, TYPES } from "./resources";

/** One claim and the volumes it makes. */
export interface VolumeClaim {
    /** The release or resource that declares it. */
    readonly source: string;
    /** Where the size is, in the release values or the resource inputs: "ingester.persistentVolume.size". */
    readonly path: string;
    readonly sizeGb: number;
    /** Volumes of that size: see countBasis. */
    readonly count: number;
    /** Why count is what it is, for the reader of the estimate. */
    readonly countBasis: string;
    /** The StorageClass the claim names, or the default class. */
    readonly storageClass: string;
    /** The EBS volume type the class provisions. */
    readonly volumeType: string;
}

const SIZE_KEYS: ReadonlySet<string> = new Set(["size", "storage", "storageRequest", "storageSize"]);
const STORAGE_CONTEXT = /persisten|storage|volumeclaim|pvc/i;
/** Keys naming a StorageClass: Helm charts' spellings and Strimzi's `class`. */
const CLASS_KEYS = ["storageClassName", "storageClass", "class"] as const;
/** A storage quantity: a number with a unit, so that a plain count named "size" is not read as bytes. */
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/;
/** What EKS provisions when no StorageClass is marked default: the stock gp2 class. */
const EKS_STOCK_VOLUME_TYPE = "gp2";

interface FoundSize {
    /** Keys from the walked root to the size key. */
    readonly path: readonly string[];
    readonly sizeGb: number;
    readonly storageClass?: string;
}

/**
 * Sizes under storage keys in a values or spec tree (see the module comment); `isClaim` says the
 * tree is itself a claim (a PersistentVolumeClaim's spec), so no storage key is needed above the
 * size. Exported for tests: it is the whole of the "what counts as a claim" rule.
 */
export function findStorageSizes(tree: unknown, isClaim = false): FoundSize[] {
    const found: FoundSize[] = [];
    const walk = (node: unknown, path: string[], ancestors: Record<string, unknown>[]): void => {
        if (Array.isArray(node)) {
            node.forEach((item, i) => walk(item, [...path, String(i)], ancestors));
            return;
        }
        if (node === null || typeof node !== "object") return;
        const object = node as Record<string, unknown>;
        if (object.enabled === false) return;
        const lineage = [object, ...ancestors];
        for (const [key, value] of Object.entries(object)) {
            if (SIZE_KEYS.has(key) && typeof value === "string" && QUANTITY.test(value) && (isClaim || path.some((k) => STORAGE_CONTEXT.test(k)))) {
                const storageClass = nearestClass(lineage);
                found.push({ path: [...path, key], sizeGb: parseMemory(value) / 1024, ...(storageClass ? { storageClass } : {}) });
            } else {
                walk(value, [...path, key], lineage);
            }
        }
    };
    walk(tree, [], []);
    return found;
}

function nearestClass(lineage: readonly Record<string, unknown>[]): string | undefined {
    for (const node of lineage) {
        for (const key of CLASS_KEYS) {
            const value = node[key];
            if (typeof value === "string" && value !== "") return value;
        }
    }
    return undefined;
}

/** StorageClass name to the EBS type it provisions, and the default class. */
interface StorageClasses {
    readonly types: ReadonlyMap<string, string>;
    readonly defaultClass?: string;
}

function storageClasses(resources: readonly PlannedResource[]): StorageClasses {
    const classes = ofType(resources, TYPES.storageClass);
    const types = new Map(classes.map((c) => [String(c.inputs.metadata?.name ?? c.name), String(c.inputs.parameters?.type ?? EKS_STOCK_VOLUME_TYPE)]));
    const defaultClass = classes.find((c) => c.inputs.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
    return { types, ...(defaultClass ? { defaultClass: String(defaultClass.inputs.metadata.name) } : {}) };
}

/**
 * The EBS type a named class provisions. A class the stack does not declare is read as its name
 * where that is an EBS type (EKS's stock gp2 class), else as the default class's type.
 */
function volumeTypeOf(storageClass: string | undefined, classes: StorageClasses): { storageClass: string; volumeType: string } {
    const name = storageClass ?? classes.defaultClass;
    if (name === undefined) return { storageClass: "(EKS stock gp2)", volumeType: EKS_STOCK_VOLUME_TYPE };
    const declared = classes.types.get(name);
    if (declared) return { storageClass: name, volumeType: declared };
    if (/^(gp2|gp3|io1|io2|st1|sc1)$/.test(name)) return { storageClass: name, volumeType: name };
    return volumeTypeOf(undefined, classes);
}

/** camelCase and snake_case values keys in the kebab case of workload names. */
function kebab(key: string): string {
    return key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/_/g, "-").toLowerCase();
}

/** Volumes a set of workloads makes of one claim: a StatefulSet's per replica, others one shared. */
function volumesFor(workloads: readonly Workload[]): number {
    return workloads.reduce((total, w) => total + (w.kind === "StatefulSet" ? w.replicas : 1), 0);
}

function describeMatch(workloads: readonly Workload[]): string {
    return workloads.map((w) => `${w.kind} ${w.name}${w.kind === "StatefulSet" ? ` (${plural(w.replicas, "replica")})` : ""}`).join(", ");
}

/** How many volumes a claim in a Helm release's values makes (see the module comment). */
function releaseClaimCount(path: readonly string[], workloads: readonly Workload[]): { count: number; countBasis: string } {
    for (const key of path.filter((k) => !STORAGE_CONTEXT.test(k) && !/^\d+$/.test(k))) {
        const name = kebab(key);
        const matched = workloads.filter((w) => w.name === name || w.name.startsWith(`${name}-`));
        if (matched.length > 0) return { count: volumesFor(matched), countBasis: describeMatch(matched) };
    }
    const owners = workloads.filter((w) => w.kind !== "DaemonSet");
    if (STORAGE_CONTEXT.test(path[0]) && owners.length === 1) return { count: volumesFor(owners), countBasis: describeMatch(owners) };
    return { count: 1, countBasis: "counted once: no workload of the release matches the values key" };
}

/** How many volumes a claim in a custom resource's spec makes. */
function resourceClaimCount(resource: PlannedResource): { count: number; countBasis: string } {
    const statefulSets = workloadsOf(resource).filter((w) => w.kind === "StatefulSet");
    if (statefulSets.length > 0) return { count: volumesFor(statefulSets), countBasis: describeMatch(statefulSets) };
    const replicas = resource.inputs.spec?.replicas;
    if (typeof replicas === "number") return { count: replicas, countBasis: `spec.replicas ${replicas}` };
    return { count: 1, countBasis: "counted once: the resource states no replicas" };
}

/** How many volumes a claim makes, by what declares it. */
function claimCount(resource: PlannedResource, path: readonly string[]): { count: number; countBasis: string } {
    if (resource.type === TYPES.helmRelease) return releaseClaimCount(path, workloadsOf(resource));
    if (resource.type === TYPES.persistentVolumeClaim) return { count: 1, countBasis: "one PersistentVolumeClaim" };
    return resourceClaimCount(resource);
}

/** Every persistent volume claim the stack declares, with its size, count and EBS type. */
export function volumeClaims(resources: readonly PlannedResource[]): VolumeClaim[] {
    const classes = storageClasses(resources);
    const claims: VolumeClaim[] = [];
    for (const resource of resources) {
        if (!resource.type.startsWith("kubernetes:")) continue;
        const isRelease = resource.type === TYPES.helmRelease;
        const sizes = isRelease ? findStorageSizes(resource.inputs.values) : findStorageSizes(resource.inputs.spec, resource.type === TYPES.persistentVolumeClaim);
        for (const size of sizes) {
            claims.push({
                source: resource.name,
                path: (isRelease ? size.path : ["spec", ...size.path]).join("."),
                sizeGb: size.sizeGb,
                ...claimCount(resource, size.path),
                ...volumeTypeOf(size.storageClass, classes),
            });
        }
    }
    return claims;
}
