/**
 * What a stack cannot keep beside the project's other stacks: a stack file copied from prod keeps
 * settings that only one stack per AWS account (and region) may have. The plan warns before the
 * first `pulumi up` fails on them, and says which pack config it applies when the stack has none
 * of its own.
 */
import * as fs from "fs";
import * as path from "path";
import { validateStackConfig } from "../config/load";
import { StackConfig } from "../config/schema";
import { runConfig } from "../engine/run";
import { listStacks } from "../engine/stack-file";
import { hasPackConfig } from "../policy/evaluate";

export interface StackOf {
    readonly stack: string;
    readonly config: StackConfig;
}

/**
 * The AWS account a stack deploys to, as its deploy role's ARN names it: `pulumi up` runs as that
 * role (cluster.access.deployRoleArn), which lives in the account it deploys to.
 */
export function accountOf(config: StackConfig): string {
    return config.cluster.access.deployRoleArn.split(":")[4];
}

/** The project's other stacks whose files validate (one that does not is its own plan's business). */
export function otherStacks(projectDir: string, stack: string): StackOf[] {
    return listStacks(projectDir).filter((other) => other !== stack).flatMap((other) => {
        try {
            return [{ stack: other, config: validateStackConfig(runConfig(other, { projectDir }).config) }];
        } catch {
            return [];
        }
    });
}

const named = (stacks: readonly StackOf[]) => stacks.map((s) => s.stack).join(" and ");

/**
 * Settings `self` shares with another stack of its account that only one may have: the account's
 * Session Manager preferences (one document per account and region), and the cluster's name, from
 * which every name the platform gives is made (IAM names are account-wide; the EKS cluster, log
 * groups and KMS aliases are per region, but the IAM roles already meet); and, in any account,
 * Grafana's UI host.
 */
export function neighbourWarnings(self: StackOf, others: readonly StackOf[]): string[] {
    const account = accountOf(self.config);
    const sameAccount = others.filter((o) => o.stack !== self.stack && accountOf(o.config) === account);
    const warnings: string[] = [];
    const { bastion, name } = self.config.cluster;
    const owners = sameAccount.filter((o) => o.config.region === self.config.region && o.config.cluster.bastion.sessionPreferences === "create");
    if (bastion.sessionPreferences === "create" && owners.length > 0) {
        warnings.push(`cluster.bastion.sessionPreferences is create, as ${named(owners)} says, in account ${account} and ${self.config.region}: one stack per account and region owns the Session Manager preferences, ` +
            `and whichever runs pulumi up second fails with DocumentAlreadyExists; all but the owner say existing, with the owner's sessionLogGroupName ` +
            `(${owners[0].stack}'s: /aws/ssm/${owners[0].config.cluster.name}/sessions; README: "Session Manager preferences")`);
    }
    const namesakes = sameAccount.filter((o) => o.config.cluster.name === name);
    if (namesakes.length > 0) {
        warnings.push(`cluster.name is ${name}, as ${named(namesakes)} has in account ${account}: the EKS cluster, its IAM roles, log groups, KMS aliases and node groups are named from it, ` +
            `so the first pulumi up fails on names ${named(namesakes)} already holds; give this stack a cluster name of its own`);
    }
    // A port-forward's address is every operator's own machine; a UI host is one stack's.
    const url = new URL(self.config.observability.grafana.url);
    const sharesUi = others.filter((o) => o.stack !== self.stack && o.config.observability.grafana.url === self.config.observability.grafana.url);
    if (sharesUi.length > 0 && !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) {
        warnings.push(`observability.grafana.url is ${url.href}, as ${named(sharesUi)} has: alert and Kiali links would open ${named(sharesUi)}'s Grafana; give this stack a UI host of its own`);
    }
    return warnings;
}

/** The folder of a project's own pack configs, if it has one. */
export function packConfigDir(projectDir: string): string | undefined {
    const dir = path.join(projectDir, "policy", "config");
    return fs.existsSync(dir) ? dir : undefined;
}

/**
 * The pack config a plan applies: the stack's own (policy/config/<stack>.json, the file
 * `npm run preview` passes), or, until it has one, its profile's, with a warning saying so.
 */
export function packConfigFor(stack: string, profile: string, configDir: string | undefined): { name: string; warning?: string } {
    if (hasPackConfig(stack, configDir)) return { name: stack };
    return {
        name: profile,
        warning: `no policy/config/${stack}.json: this plan applies the ${profile} profile's policy/config/${profile}.json, and npm run preview -- --stack ${stack} refuses to run without a config of its own: ` +
            `cp policy/config/${profile}.json policy/config/${stack}.json`,
    };
}
