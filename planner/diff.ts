/**
 * What an update would do, offline: two runs of the same program (the stack's config before and
 * after an edit) compared resource by resource, as `pulumi preview` would show them. A resource
 * is created, updated, replaced or deleted; a replacement names the inputs that force it, from
 * the providers' own rules (planner/data/replacements.json), the program's replaceOnChanges, or a
 * replaced resource it takes an input from (whose new id is unknown until it exists, as Pulumi's
 * preview reasons). Stateful and access-bearing resources that would be replaced or deleted are
 * flagged, and protected ones are called out as blocked: Pulumi refuses to delete them. A retained
 * resource (retainOnDelete) that is deleted or replaced is left in the account, unmanaged.
 */
import { PlannedResource } from "../engine/types";
import growOnlyFile from "./data/grow-only.json";
import replacementsFile from "./data/replacements.json";
import { volumeClaims } from "./volumes";
import { BUCKET_TYPES, TYPES } from "./resources";

export type Operation = "create" | "update" | "replace" | "delete";

/** Why a replacement happens: an input and where the rule comes from. */
export interface ReplaceReason {
    /** The input path that changed (dotted, list positions left out). */
    readonly input: string;
    /** provider: the provider's schema; conditional: the provider decides by value; replaceOnChanges; dependency: fed by a replaced resource; provider-replaced: its provider is replaced; replace-target: asked for. */
    readonly rule: "provider" | "conditional" | "replaceOnChanges" | "dependency" | "provider-replaced" | "replace-target";
    /** The replaced resource an input comes from, for dependency and provider-replaced. */
    readonly from?: string;
}

export interface ResourceChange {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly operation: Operation;
    /** Inputs that differ (dotted paths), for updates and replacements. */
    readonly changed: readonly string[];
    /** For a replacement: each input that forces it. */
    readonly replaceReasons: readonly ReplaceReason[];
    /** Whether a replacement deletes the old resource first (the program's deleteBeforeReplace). */
    readonly deleteBeforeReplace: boolean;
    /** What the resource holds that a replacement or deletion loses or takes away: database, bucket, ... */
    readonly holds?: string;
    /** Protected, and replaced or deleted: Pulumi stops there. */
    readonly blocked: boolean;
    /**
     * Retained (retainOnDelete), and replaced or deleted: Pulumi forgets the resource and leaves it
     * in the account, where it goes on costing and holding its name until someone deletes it.
     */
    readonly retained?: true;
    /**
     * An update that lowers a field its operator only grows (planner/data/grow-only.json): the
     * field and its two values. The operator leaves the object as it is and marks it not Ready.
     */
    readonly lowers?: string;
    /**
     * A replacement created before its predecessor is deleted, under the same fixed physical name
     * (the input and its value, `name "x"`): the provider refuses the duplicate.
     */
    readonly nameCollision?: string;
}

export interface StackDiff {
    readonly stack: string;
    /** What the stack's config is compared with: a git ref's stack file or another file. */
    readonly base: string;
    readonly changes: readonly ResourceChange[];
    readonly counts: Readonly<Record<Operation | "same", number>>;
}

/** A type's replacement rules (planner/data/replacements.json). */
export interface TypeRules {
    readonly forceNew: readonly string[];
    readonly conditional: readonly string[];
    readonly deleteBeforeReplaceWhenNamed?: boolean;
}

export interface Replacements {
    readonly types: Record<string, TypeRules>;
}

/** The derived replacement rules, as committed (scripts/derive-replacements.ts). */
export const REPLACEMENTS: Replacements = replacementsFile;

/** Fields of custom resources that their operators only grow, by type (scripts/derive-grow-only.ts). */
export const GROW_ONLY: Readonly<Record<string, readonly { readonly path: string }[]>> = growOnlyFile.types;

/** The first grow-only field of `type` that `after` lowers from `before`, as "<path> <before> → <after>". */
export function loweredField(type: string, before: Record<string, unknown>, after: Record<string, unknown>, growOnly = GROW_ONLY): string | undefined {
    const at = (inputs: Record<string, unknown>, dotted: string) => dotted.split(".").reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), inputs);
    for (const { path } of growOnly[type] ?? []) {
        const [was, now] = [at(before, path), at(after, path)];
        if (typeof was === "number" && typeof now === "number" && now < was) return `${path} ${was} → ${now}`;
    }
    return undefined;
}

/** The rules for a type: its own, or the rule every Kubernetes kind has. */
export function rulesFor(replacements: Replacements, type: string): TypeRules | undefined {
    return replacements.types[type] ?? (type.startsWith("kubernetes:") ? replacements.types["kubernetes:*"] : undefined);
}

/** Leaf paths where two input values differ; list positions are left out of the path. */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object";
    if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
        const keys = Array.isArray(before)
            ? Array.from({ length: Math.max(before.length, (after as unknown as unknown[]).length) }, (_, i) => String(i))
            : [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !k.startsWith("__"));
        const paths = keys.flatMap((key) => changedPaths((before as any)[key], (after as any)[key], Array.isArray(before) ? prefix : prefix ? `${prefix}.${key}` : key));
        return [...new Set(paths)];
    }
    // A block that appears or goes: each of its leaves changes.
    const side = isObject(after) ? after : isObject(before) ? before : undefined;
    if (side && Object.keys(side).length > 0) return [...new Set(changedPaths(isObject(before) ? before : {}, isObject(after) ? after : {}, prefix))];
    return [prefix || "(inputs)"];
}

const lower = (p: string) => p.toLowerCase();
/** Whether a changed path lies under (or contains) a rule's path. */
function covers(rule: string, changed: string): boolean {
    const [r, c] = [lower(rule), lower(changed)];
    return r === "*" || c === r || c.startsWith(`${r}.`) || r.startsWith(`${c}.`);
}

/** What a resource holds that its replacement or deletion loses (data, keys, access), by type. */
function holdingOf(resource: PlannedResource, volumeReleases: ReadonlySet<string>): string | undefined {
    const { type } = resource;
    if (type === "aws:rds/instance:Instance") return "database";
    if (BUCKET_TYPES.includes(type)) return "bucket";
    if (type === TYPES.kmsKey) return "KMS key";
    if (type === TYPES.eksCluster) return "cluster (control plane and etcd)";
    if (type === TYPES.logGroup) return "log group (retained records)";
    if (type === "aws:eks/accessEntry:AccessEntry" || type === "aws:eks/accessPolicyAssociation:AccessPolicyAssociation") return "access";
    if (/^kubernetes:kafka\.strimzi\.io\/[^:]+:(Kafka|KafkaNodePool|KafkaTopic)$/.test(type)) return "Kafka data";
    if (type === TYPES.persistentVolumeClaim) return "volume";
    if (type === TYPES.helmRelease && volumeReleases.has(String(resource.inputs.name))) return "volumes (PersistentVolumeClaims)";
    return undefined;
}

/** Helm release names whose workloads claim volumes, read from the rendered run; empty when it cannot be read. */
function releasesWithVolumes(resources: readonly PlannedResource[]): Set<string> {
    try {
        return new Set(volumeClaims(resources).map((claim) => claim.source));
    } catch {
        return new Set();
    }
}

export interface DiffOptions {
    /** URNs to replace whatever their inputs, as `pulumi up --replace <urn>` does. */
    readonly replace?: readonly string[];
}

/**
 * The changes from `before` to `after`, in the order Pulumi would list them: `after`'s resources
 * in registration order, then the deletions.
 */
export function diffResources(before: readonly PlannedResource[], after: readonly PlannedResource[], replacements: Replacements, options: DiffOptions = {}): ResourceChange[] {
    const custom = (r: PlannedResource) => r.custom;
    const old = new Map(before.filter(custom).map((r) => [r.urn, r]));
    const next = after.filter(custom);
    const volumeReleases = releasesWithVolumes(before);
    const changed = new Map<string, string[]>();
    const reasons = new Map<string, ReplaceReason[]>();
    for (const resource of next) {
        const previous = old.get(resource.urn);
        if (!previous) continue;
        const ignored = resource.ignoreChanges ?? [];
        const paths = changedPaths(previous.inputs, resource.inputs).filter((p) => !ignored.some((i) => lower(p) === lower(i) || lower(p).startsWith(`${lower(i)}.`)));
        changed.set(resource.urn, paths);
        const rules = rulesFor(replacements, resource.type);
        const found: ReplaceReason[] = [];
        for (const p of paths) {
            if (rules?.forceNew.some((f) => covers(f, p))) found.push({ input: p, rule: "provider" });
            else if (rules?.conditional.some((f) => covers(f, p))) found.push({ input: p, rule: "conditional" });
            else if ((resource.replaceOnChanges ?? []).some((f) => covers(f, p))) found.push({ input: p, rule: "replaceOnChanges" });
        }
        if (options.replace?.includes(resource.urn)) found.push({ input: "(all)", rule: "replace-target" });
        if (found.length > 0) reasons.set(resource.urn, found);
    }
    // A replaced resource's outputs are unknown until its successor exists: inputs taken from them
    // change, and replace their resource where its rules say so. Resources of a replaced provider are replaced.
    for (let grew = true; grew;) {
        grew = false;
        for (const resource of next) {
            if (!old.has(resource.urn) || reasons.has(resource.urn)) continue;
            const rules = rulesFor(replacements, resource.type);
            const found: ReplaceReason[] = [];
            if (resource.provider && reasons.has(resource.provider)) found.push({ input: "(provider)", rule: "provider-replaced", from: resource.provider });
            for (const [input, sources] of Object.entries(resource.propertyDependencies ?? {})) {
                const from = sources.find((urn) => reasons.has(urn));
                if (!from) continue;
                if (!changed.get(resource.urn)!.includes(input)) changed.get(resource.urn)!.push(input);
                if (rules?.forceNew.some((f) => covers(f, input)) || (resource.replaceOnChanges ?? []).some((f) => covers(f, input))) found.push({ input, rule: "dependency", from });
            }
            if (found.length > 0) {
                reasons.set(resource.urn, found);
                grew = true;
            }
        }
    }
    const result: ResourceChange[] = [];
    const change = (r: PlannedResource, operation: Operation, protectedBefore: boolean): ResourceChange => {
        const rules = rulesFor(replacements, r.type);
        const deleteFirst = operation === "replace" && (r.deleteBeforeReplace === true || (rules?.deleteBeforeReplaceWhenNamed === true && r.inputs.metadata?.name !== undefined));
        const retained = (operation === "replace" || operation === "delete") && (old.get(r.urn) ?? r).retainOnDelete === true;
        // A retained predecessor is never deleted, so deleting it first frees no name.
        const collision = operation === "replace" ? collidingName(old.get(r.urn), r, rules, deleteFirst && !retained, reasons.get(r.urn) ?? []) : undefined;
        const lowers = operation === "update" ? loweredField(r.type, old.get(r.urn)!.inputs, r.inputs) : undefined;
        return {
            urn: r.urn, type: r.type, name: r.name, operation,
            changed: operation === "update" || operation === "replace" ? [...changed.get(r.urn)!].sort() : [],
            replaceReasons: reasons.get(r.urn) ?? [],
            deleteBeforeReplace: deleteFirst,
            // A retained resource that is deleted loses nothing: it stays in the account.
            ...(operation === "replace" || (operation === "delete" && !retained) ? withHolding(holdingOf(old.get(r.urn) ?? r, volumeReleases)) : {}),
            blocked: (operation === "replace" || operation === "delete") && protectedBefore,
            ...(retained ? { retained: true as const } : {}),
            ...(collision ? { nameCollision: collision } : {}),
            ...(lowers ? { lowers } : {}),
        };
    };
    for (const resource of next) {
        const previous = old.get(resource.urn);
        if (!previous) result.push(change(resource, "create", false));
        else if (reasons.has(resource.urn)) result.push(change(resource, "replace", previous.protect));
        else if (changed.get(resource.urn)!.length > 0) result.push(change(resource, "update", previous.protect));
    }
    const present = new Set(next.map((r) => r.urn));
    for (const resource of before.filter(custom)) if (!present.has(resource.urn)) result.push(change(resource, "delete", resource.protect));
    return result;
}

const withHolding = (holds: string | undefined) => (holds ? { holds } : {});

/** Inputs that carry a resource's physical name when the program fixes it (Pulumi names it otherwise). */
const NAME_INPUTS = ["name", "bucket", "identifier", "nodeGroupName", "scheduledActionName"];

/**
 * The fixed name input a create-first replacement would reuse, if any. A replacement that follows
 * a replaced resource it takes inputs from lands under that new parent (a schedule on the new
 * node group's Auto Scaling group), where the name is free.
 */
function collidingName(previous: PlannedResource | undefined, next: PlannedResource, rules: TypeRules | undefined, deleteFirst: boolean, reasons: readonly ReplaceReason[]): string | undefined {
    if (!previous || deleteFirst || reasons.some((r) => r.rule === "dependency" || r.rule === "provider-replaced")) return undefined;
    const input = NAME_INPUTS.find((key) => rules?.forceNew.includes(key) && next.inputs[key] !== undefined && next.inputs[key] === previous.inputs[key]);
    return input === undefined ? undefined : `${input} ${JSON.stringify(next.inputs[input])}`;
}

/** The diff of two runs of a stack, with counts; `base` says what the first run's config was. */
export function diffRuns(stack: string, base: string, before: readonly PlannedResource[], after: readonly PlannedResource[], replacements: Replacements = REPLACEMENTS, options: DiffOptions = {}): StackDiff {
    const changes = diffResources(before, after, replacements, options);
    const count = (op: Operation) => changes.filter((c) => c.operation === op).length;
    const touched = changes.filter((c) => c.operation !== "create").length;
    return {
        stack, base, changes,
        counts: { create: count("create"), update: count("update"), replace: count("replace"), delete: count("delete"), same: before.filter((r) => r.custom).length - touched },
    };
}

const SYMBOL: Record<Operation, string> = { create: "+", update: "~", replace: "+-", delete: "-" };

/** The diff as text, like a preview: one line per resource, reasons indented, flagged and blocked ones last. */
export function renderDiff(diff: StackDiff): string {
    const lines = [`Changes to stack ${diff.stack} from ${diff.base} (same program, offline):`, ""];
    for (const c of diff.changes) {
        const order = c.operation === "replace" ? (c.deleteBeforeReplace ? " (delete before create)" : " (create before delete)") : "";
        lines.push(`  ${SYMBOL[c.operation].padEnd(2)} ${c.operation.padEnd(7)} ${c.type}  ${c.name}${order}${c.retained ? "  (retained)" : ""}${c.blocked ? "  BLOCKED: protected" : ""}`);
        if (c.operation === "replace") {
            for (const r of c.replaceReasons) lines.push(`        replaced by ${r.input}: ${reasonText(r)}`);
        } else if (c.operation === "update") {
            lines.push(`        changes ${c.changed.join(", ")}`);
        }
    }
    const { create, update, replace, delete: del, same } = diff.counts;
    lines.push("", `Resources: ${create} to create, ${update} to update, ${replace} to replace, ${del} to delete, ${same} unchanged`);
    const flagged = diff.changes.filter((c) => c.holds);
    if (flagged.length > 0) {
        lines.push("", "Stateful or access-bearing resources replaced or deleted:");
        for (const c of flagged) lines.push(`  ! ${c.operation} ${c.name}: ${c.holds}`);
    }
    const retained = diff.changes.filter((c) => c.retained);
    if (retained.length > 0) {
        lines.push("", "Retained: Pulumi stops managing these and leaves them in the account, still billed and holding their names, until they are deleted or imported by hand:");
        for (const c of retained) lines.push(`  ~ ${c.operation} ${c.name}: the ${c.operation === "replace" ? "old one stays beside its successor" : "resource stays"}`);
    }
    const colliding = diff.changes.filter((c) => c.nameCollision);
    if (colliding.length > 0) {
        lines.push("", "Replacements that keep a fixed name while their predecessor still exists (created first, or retained), which the provider refuses:");
        for (const c of colliding) lines.push(`  x replace ${c.name}: keeps ${c.nameCollision}`);
    }
    const lowering = diff.changes.filter((c) => c.lowers);
    if (lowering.length > 0) {
        lines.push("", "Updates that lower what an operator only grows, which it does not apply (the object is never Ready, and the update fails on its wait):");
        for (const c of lowering) lines.push(`  x update ${c.name}: ${c.lowers}`);
    }
    const blocked = diff.changes.filter((c) => c.blocked);
    if (blocked.length > 0) {
        lines.push("", "Blocked: these are protected, and Pulumi refuses to delete a protected resource (a replacement deletes the old one):");
        for (const c of blocked) lines.push(`  x ${c.operation} ${c.name}`);
    }
    return `${lines.join("\n")}\n`;
}

function reasonText(reason: ReplaceReason): string {
    switch (reason.rule) {
        case "provider": return "the provider replaces on this input";
        case "conditional": return "the provider may replace on this change (decided by value)";
        case "replaceOnChanges": return "the program's replaceOnChanges";
        case "dependency": return `takes it from ${shortUrn(reason.from!)}, which is replaced`;
        case "provider-replaced": return `its provider ${shortUrn(reason.from!)} is replaced`;
        case "replace-target": return "asked for (--replace)";
    }
}

const shortUrn = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
