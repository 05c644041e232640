/**
 * Burstable instance types (T2, T3, T3a, T4g): the CPU each earns credits for, its baseline. A node
 * that runs above its baseline spends credits; in `unlimited` mode (the default of T3, T3a and T4g)
 * AWS bills the surplus per vCPU-hour, in `standard` mode (T2's default) the node is throttled to the
 * baseline once its credits run out. The facts are data (data/burstable-credits.json), derived by
 * scripts/derive-burstable-credits.ts from the credit table of AWS's EC2 user guide source, which
 * the file names with its commit.
 */
import table from "./data/burstable-credits.json";

/** The credit modes a burstable instance runs in. */
export const CPU_CREDIT_MODES = ["standard", "unlimited"] as const;
export type CpuCreditMode = (typeof CPU_CREDIT_MODES)[number];

export interface BurstableFacts {
    readonly vcpus: number;
    /** CPU credits earned an hour: one credit is one vCPU at 100% for a minute. */
    readonly creditsPerHour: number;
}

export interface BurstableTable {
    readonly about: string;
    readonly source: { readonly repository: string; readonly commit: string; readonly commitDate: string; readonly file: string; readonly retrieved: string };
    /** The credit mode each family launches in when the launch template sets none. */
    readonly defaultModes: Readonly<Record<string, CpuCreditMode>>;
    readonly types: Readonly<Record<string, BurstableFacts>>;
}

export const BURSTABLE: BurstableTable = table as BurstableTable;

/** The facts of a burstable type; undefined for a type that does not burst. */
export function burstableFacts(instanceType: string, burstable: BurstableTable = BURSTABLE): BurstableFacts | undefined {
    return Object.hasOwn(burstable.types, instanceType) ? burstable.types[instanceType] : undefined;
}

/** The CPU a node of the type may use around the clock without spending credits, in millicores: credits an hour / 60 vCPUs. */
export function baselineMillicores(facts: BurstableFacts): number {
    return Math.round((facts.creditsPerHour / 60) * 1000);
}

/** The mode a node of the type runs in: the configured one, else its family's launch default. */
export function creditMode(instanceType: string, configured?: CpuCreditMode, burstable: BurstableTable = BURSTABLE): CpuCreditMode {
    return configured ?? burstable.defaultModes[instanceType.split(".")[0]];
}

/**
 * Each family's launch default from the same page's table of credit differences (rows
 * `| T4g | <credits> | Standard, Unlimited \(default\) | ... |`). Throws for a family row that marks
 * no mode, or both, as the default.
 */
export function deriveDefaultModes(markdown: string): Record<string, CpuCreditMode> {
    const modes: Record<string, CpuCreditMode> = {};
    for (const [, family, modesCell] of markdown.matchAll(/^\|\s*(T\d[a-z]*)\s*\|[^|]*\|([^|]*)\|/gm)) {
        const defaults = CPU_CREDIT_MODES.filter((mode) => new RegExp(`${mode}\\s*\\\\\\(default\\\\\\)`, "i").test(modesCell));
        if (defaults.length !== 1) throw new Error(`${family}: the credit modes "${modesCell.trim()}" mark ${defaults.length} defaults`);
        modes[family.toLowerCase()] = defaults[0];
    }
    return Object.fromEntries(Object.entries(modes).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Each burstable type's vCPUs and credits an hour from the markdown source of the EC2 user guide's
 * credit table (rows `| t3\.medium | 24 | 576 | 2 | 20%\*\* |`: type, credits earned an hour, the
 * accrual limit, vCPUs, baseline per vCPU). Throws when a row's baseline is not credits / vCPUs / 60,
 * so a misread column cannot pass.
 */
export function deriveBurstableCredits(markdown: string): Record<string, BurstableFacts> {
    const types: Record<string, BurstableFacts> = {};
    const row = /^\|\s*(t\d[a-z]*\\?\.[a-z0-9]+)\s*\|\s*([\d\\.]+)\s*\|\s*([\d\\.]+)\s*\|\s*(\d+)\s*\|\s*([\d\\.]+)%/gm;
    const number = (text: string) => Number(text.replace(/\\/g, ""));
    for (const [, name, credits, , vcpus, baseline] of markdown.matchAll(row)) {
        const type = name.replace(/\\/g, "");
        const facts = { vcpus: Number(vcpus), creditsPerHour: number(credits) };
        const computed = facts.creditsPerHour / facts.vcpus / 60 * 100;
        if (Math.abs(computed - number(baseline)) > 0.05) throw new Error(`${type}: ${facts.creditsPerHour} credits an hour over ${facts.vcpus} vCPUs is ${computed.toFixed(2)}%, but the table says ${number(baseline)}%`);
        if (Object.hasOwn(types, type)) throw new Error(`${type} is listed twice`);
        types[type] = facts;
    }
    return Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b)));
}
