/**
 * The inventory: what a stack creates, by component and type, like the summary of a preview.
 */
import { PlannedResource } from "../engine/types";

/** How many resources of one type. */
export interface TypeCount {
    readonly type: string;
    readonly count: number;
}

/** The resources under one top-level component (itself included), or directly under the stack. */
export interface ComponentInventory {
    /** "<type> <name>" of the top-level component, or STACK_LEVEL. */
    readonly component: string;
    readonly urn?: string;
    readonly total: number;
    readonly types: readonly TypeCount[];
}

export interface Inventory {
    readonly total: number;
    readonly byComponent: readonly ComponentInventory[];
    readonly byType: readonly TypeCount[];
}

/** Where resources registered without a parent component (the default AWS provider) are filed. */
export const STACK_LEVEL = "(stack)";

/**
 * The top-level component a resource belongs to: the last ancestor along its parent URNs, or the
 * resource itself when it is a parentless component. A parent the run did not record (the stack
 * resource) ends the walk, and the guard against a cycle keeps a malformed graph from hanging it.
 */
function topLevelComponent(resource: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): PlannedResource | undefined {
    let current = resource;
    const seen = new Set<string>();
    for (let parent = byUrn.get(current.parent ?? ""); parent && !seen.has(parent.urn); parent = byUrn.get(current.parent ?? "")) {
        seen.add(parent.urn);
        current = parent;
    }
    return current.custom ? undefined : current;
}

/** Counts the resources by top-level component and by type; both lists sorted by name. */
export function buildInventory(resources: readonly PlannedResource[]): Inventory {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const groups = new Map<string, { urn?: string; members: PlannedResource[] }>();
    for (const resource of resources) {
        const top = topLevelComponent(resource, byUrn);
        const key = top ? `${top.type} ${top.name}` : STACK_LEVEL;
        const group = groups.get(key) ?? { urn: top?.urn, members: [] };
        group.members.push(resource);
        groups.set(key, group);
    }
    const byComponent = [...groups.entries()]
        .map(([component, { urn, members }]) => ({ component, ...(urn ? { urn } : {}), total: members.length, types: countTypes(members) }))
        .sort((a, b) => a.component.localeCompare(b.component));
    return { total: resources.length, byComponent, byType: countTypes(resources) };
}

function countTypes(resources: readonly PlannedResource[]): TypeCount[] {
    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type));
}
