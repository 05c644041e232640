/**
 * `npm run preview -- --stack <name> [pulumi flags]` and `npm run up -- --stack <name> [...]`:
 * pulumi preview/up with the policy pack and the stack's own pack config always passed, so that no
 * update can forget them. Flags after the stack go to pulumi unchanged, except those that would
 * swap the pack or its config, which are refused.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadPackConfigFile } from "../policy/evaluate";
import { nodesOffUntil, stackConfig } from "./working-hours";

export const COMMANDS = ["preview", "up"] as const;
export type Command = (typeof COMMANDS)[number];

export class UsageError extends Error {}

/** Flags that would run without the pack or with another config. */
const FORBIDDEN = ["--policy-pack", "--policy-pack-config"];

/** Lets `up` run while a stack's scheduled nodes are all off, for an update that changes no Helm release. */
export const WHILE_NODES_ARE_OFF = "--while-nodes-are-off";

/** The stack named by --stack/-s (also --stack=<name>), and the other arguments in order. */
function splitStack(argv: readonly string[]): { stack?: string; rest: string[] } {
    const rest: string[] = [];
    let stack: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const inline = /^--stack=(.*)$/.exec(arg);
        if (inline) stack = inline[1];
        else if (arg === "--stack" || arg === "-s") {
            const value = argv[++i];
            if (value === undefined || value.startsWith("-")) throw new UsageError(`${arg} needs a stack name`);
            stack = value;
        } else rest.push(arg);
    }
    return { stack, rest };
}

function stacksIn(projectDir: string): string[] {
    return fs.readdirSync(projectDir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
}

/**
 * The pulumi command line for `command` with the user's arguments: checked before anything runs
 * (a stack is named, it has a stack file and a pack config, the pack is installed).
 */
export function pulumiArgs(command: Command, argv: readonly string[], projectDir: string, now: Date = new Date()): string[] {
    const { stack, rest: given } = splitStack(argv);
    const offHoursAllowed = given.includes(WHILE_NODES_ARE_OFF);
    const rest = given.filter((arg) => arg !== WHILE_NODES_ARE_OFF);
    const stacks = stacksIn(projectDir);
    if (stack === undefined) throw new UsageError(`name the stack: npm run ${command} -- --stack <name> (stacks here: ${stacks.join(", ")})`);
    if (!stacks.includes(stack)) throw new UsageError(`--stack ${stack}: no Pulumi.${stack}.yaml in ${projectDir} (stacks here: ${stacks.join(", ")})`);
    const forbidden = rest.find((arg) => FORBIDDEN.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
    if (forbidden) throw new UsageError(`${forbidden}: npm run ${command} always passes policy/ and policy/config/${stack}.json; run pulumi directly to use another pack`);
    const packDir = path.join(projectDir, "policy");
    const config = path.join(packDir, "config", `${stack}.json`);
    if (!fs.existsSync(config)) throw new UsageError(`--stack ${stack}: no policy config ${path.relative(projectDir, config)}; copy one of policy/config/*.json for the new stack`);
    if (!fs.existsSync(path.join(packDir, "node_modules", "@pulumi", "policy"))) throw new UsageError("the policy pack's dependencies are not installed: run npm ci --prefix policy");
    // Bad waivers and levels fail here, with every mistake named, rather than inside pulumi.
    loadPackConfigFile(config);
    if (command === "up" && !offHoursAllowed) {
        const until = nodesOffUntil(stackConfig(stack, projectDir).cluster, now);
        if (until) {
            throw new UsageError(`--stack ${stack}: every node group is scaled to zero by its schedule until ${until}, so a Helm release this update changes would wait out its timeout with no node to run on and roll back; ` +
                `run it then, or pass ${WHILE_NODES_ARE_OFF} for an update that changes no release`);
        }
    }
    return [command, "--stack", stack, "--policy-pack", packDir, "--policy-pack-config", config, ...rest];
}

if (require.main === module) {
    const [command, ...argv] = process.argv.slice(2);
    try {
        if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}": expected ${COMMANDS.join(" or ")}`);
        const args = pulumiArgs(command as Command, argv, path.join(__dirname, ".."));
        console.error(`pulumi ${args.join(" ")}`);
        const result = spawnSync("pulumi", args, { stdio: "inherit" });
        if (result.error) throw new Error(`could not run pulumi (${result.error.message}); install the Pulumi CLI: https://www.pulumi.com/docs/install/`);
        process.exit(result.status ?? 1);
    } catch (error) {
        console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(2);
    }
}
