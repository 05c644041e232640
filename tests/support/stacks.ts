/**
 * Shared engine runs: every test file asks here, and a run is computed once per test process for
 * each distinct config. Runs are keyed by the config they start from (the stack file with the
 * override applied) and the API server access path, so two tests that change the same keys the
 * same way share one run, however their overrides are written. Runs are read-only to tests. Every
 * run has its releases rendered.
 */
import { prerender } from "../../components/helm/workloads";
import { RunOptions, StackRun, runConfig, runStack } from "../../engine/run";
import { PlannedResource } from "../../engine/types";
import { ObservabilityMode } from "../../lib/observability-modes";
import { planRun, StackPlan } from "../../planner/plan";
import { loadPriceTable } from "../../planner/pricing";

const runs = new Map<string, Promise<StackRun>>();

/** `runStack` with its releases rendered. */
function renderedRun(name: string, options: RunOptions): Promise<StackRun> {
    return runStack(name, options).then(async (run) => (await prerender(run.resources), run));
}

/** `runStack`, memoised by the run's starting config; a failed run fails alike for every caller. */
export function run(name: string, options: RunOptions = {}): Promise<StackRun> {
    let key: string;
    try {
        key = JSON.stringify([options.projectDir ?? "", name, runConfig(name, options).config, options.access ?? null]);
    } catch {
        // An unreadable stack file or a throwing override: let the engine report it, unshared.
        return renderedRun(name, options);
    }
    if (options.program !== undefined) return renderedRun(name, options);
    if (!runs.has(key)) runs.set(key, renderedRun(name, options));
    return runs.get(key)!;
}

/** The stack as its file declares it. */
export function stack(name: string): Promise<StackRun> {
    return run(name);
}

/** The stack as a run that reaches the API server by another path (`PLATFORM_API_SERVER_URL`). */
export function stackReachedAt(name: string, access: NonNullable<RunOptions["access"]>): Promise<StackRun> {
    return run(name, { access });
}

/** A shipped stack with only its observability mode changed: one shared run per stack and mode. */
export function inMode(name: string, mode: ObservabilityMode): Promise<StackRun> {
    return mode === "self-managed" ? stack(name) : stackWith(name, (c) => { c.observability.mode = mode; });
}

/** The stack with its config changed by `override`. */
export function stackWith(name: string, override: NonNullable<RunOptions["override"]>): Promise<StackRun> {
    return run(name, { override });
}

const plans = new WeakMap<StackRun, StackPlan>();

/**
 * The plan of a run at its region's list prices, made once per run: many files plan the shipped
 * stacks, and a plan of prod evaluates the whole policy pack. Plans, like runs, are read-only to tests.
 */
export function planOf(run: StackRun): StackPlan {
    if (!plans.has(run)) plans.set(run, planRun(run, loadPriceTable(run.config.region)));
    return plans.get(run)!;
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
