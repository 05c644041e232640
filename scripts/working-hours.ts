/**
 * `npm run working-hours -- --stack <name>`: whether the stack's nodes run now. A stack whose every
 * node group follows a working-hours schedule has no node off hours, so an update that changes a
 * Helm release would wait out the release's timeout and roll back. CI's dev deploy asks this first
 * and leaves an off-hours merge to the run at the next start; `npm run up` refuses such an update.
 * Prints `running=true` or `running=false` (a GitHub Actions step output), and why on stderr.
 */
import { validateStackConfig } from "../config/load";
import { StackConfig } from "../config/schema";
import { runConfig } from "../engine/run";
import { findProjectDir } from "../engine/stack-file";
import { nextStart, withinWorkingHours } from "../lib/schedule";

/** When the nodes of a stack are all scaled to zero at an instant, until when; undefined while any node group runs. */
export function nodesOffUntil(cluster: Pick<StackConfig["cluster"], "nodeGroups">, at: Date): string | undefined {
    const schedules = cluster.nodeGroups.map((group) => group.schedule);
    if (schedules.some((schedule) => schedule === undefined || withinWorkingHours(schedule, at))) return undefined;
    return schedules.map((schedule) => nextStart(schedule!, at)).sort()[0];
}

/** The validated config of a stack file. */
export function stackConfig(stack: string, projectDir = findProjectDir()): StackConfig {
    return validateStackConfig(runConfig(stack, { projectDir }).config);
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const at = args.indexOf("--stack");
    const stack = at >= 0 ? args[at + 1] : undefined;
    if (!stack) {
        console.error("usage: npm run working-hours -- --stack <name>");
        process.exit(2);
    }
    const until = nodesOffUntil(stackConfig(stack).cluster, new Date());
    console.error(until ? `${stack}: every node group is scaled to zero until ${until}` : `${stack}: nodes are running`);
    console.log(`running=${until === undefined}`);
}
