/** Shared engine runs: each stack's unmodified graph is computed once per test process. */
import { prerender } from "../../components/helm/workloads";
import { RunOptions, StackRun, runStack } from "../../engine/run";
import { PlannedResource } from "../../engine/types";

const runs = new Map<string, Promise<StackRun>>();

/** The stack as its file declares it, with its releases rendered; later calls reuse the first run. */
export function stack(name: "dev" | "prod"): Promise<StackRun> {
    if (!runs.has(name)) runs.set(name, runStack(name).then(async (run) => (await prerender(run.resources), run)));
    return runs.get(name)!;
}

/** A one-off run with the stack's config changed by `override`. */
export function stackWith(name: "dev" | "prod", override: NonNullable<RunOptions["override"]>): Promise<StackRun> {
    return runStack(name, { override });
}

export function ofType(run: StackRun, type: string): PlannedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one resource of a type whose name ends with `suffix`; fails when there is not exactly one. */
export function single(run: StackRun, type: string, suffix = ""): PlannedResource {
    const found = ofType(run, type).filter((r) => r.name.endsWith(suffix));
    if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`);
    return found[0];
}

/** The provider record a resource uses. */
export function providerOf(run: StackRun, resource: PlannedResource): PlannedResource | undefined {
    return run.resources.find((r) => r.urn === resource.provider);
}
