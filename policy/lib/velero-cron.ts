// Generated from lib/cron.ts by scripts/sync-pack-sources.ts (`npm run pack-sources`): the pack is
// published alone, so it carries this copy. Edit the source, not this file.
/**
 * Velero's schedule dialect, read as Velero reads it: robfig/cron's standard parser
 * (`cron.ParseStandard`). Five fields (minute, hour, day of month, month, day of week) with
 * `*`, `?`, lists, ranges and steps, names such as MON or JAN in any case; an optional `TZ=` or
 * `CRON_TZ=` zone prefix; or a descriptor: @yearly, @annually, @monthly, @weekly, @daily,
 * @midnight, @hourly, or @every followed by a Go duration. No seconds field, and day of week runs
 * 0-6 (7 is refused). The config schema and the policy pack both read schedules here.
 */

export interface Field {
    readonly values: ReadonlySet<number>;
    /** Written as * or ?: cron's OR of the two day fields applies only to restricted ones. */
    readonly star: boolean;
}

/** The five fields of a schedule. */
export interface CronFields {
    readonly minutes: Field;
    readonly hours: Field;
    readonly daysOfMonth: Field;
    readonly months: Field;
    readonly daysOfWeek: Field;
}

/** A schedule Velero accepts: calendar fields, or a fixed interval (@every). */
export type Schedule =
    | { readonly kind: "fields"; readonly fields: CronFields; readonly timeZone?: string }
    | { readonly kind: "every"; readonly hours: number };

interface FieldSpec {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    /** Names standing for numbers, the first for `min`. */
    readonly names?: readonly string[];
}

export const MINUTE: FieldSpec = { name: "minute", min: 0, max: 59 };
export const HOUR: FieldSpec = { name: "hour", min: 0, max: 23 };
export const DAY_OF_MONTH: FieldSpec = { name: "day of month", min: 1, max: 31 };
export const MONTH: FieldSpec = { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] };
export const DAY_OF_WEEK: FieldSpec = { name: "day of week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] };
const SPECS = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK] as const;

/** robfig/cron's descriptors as the five fields they stand for. */
const DESCRIPTORS: Record<string, string> = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
};

const GO_DURATION_HOURS: Record<string, number> = { h: 1, m: 1 / 60, s: 1 / 3600, ms: 1 / 3.6e6, us: 1 / 3.6e9, "µs": 1 / 3.6e9, ns: 1 / 3.6e12 };

/** Thrown inside the reader; `readSchedule` turns it into its `problem`. */
class CronProblem extends Error {}

function parseValue(text: string, spec: FieldSpec): number {
    const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (named >= 0) return spec.min + named;
    if (!/^\d+$/.test(text)) throw new CronProblem(`${spec.name} "${text}" is not a number${spec.names ? ` or a name such as ${spec.names[0]}` : ""}`);
    const value = Number(text);
    if (value < spec.min || value > spec.max) throw new CronProblem(`${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
    return value;
}

function parseField(text: string, spec: FieldSpec): Field {
    const values = new Set<number>();
    for (const item of text.split(",")) {
        const parts = item.split("/");
        if (parts.length > 2) throw new CronProblem(`${spec.name} "${item}" has more than one /`);
        const [range, stepText] = parts;
        const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : NaN;
        if (!(step >= 1)) throw new CronProblem(`${spec.name} step "${stepText}" is not a positive whole number`);
        let low: number;
        let high: number;
        if (range === "*" || range === "?") {
            [low, high] = [spec.min, spec.max];
        } else {
            const bounds = range.split("-");
            if (bounds.length > 2) throw new CronProblem(`${spec.name} "${range}" has more than one -`);
            low = parseValue(bounds[0], spec);
            // "a/n" runs from a to the end of the field's range.
            high = bounds.length === 2 ? parseValue(bounds[1], spec) : stepText === undefined ? low : spec.max;
            if (low > high) throw new CronProblem(`${spec.name} range ${range} runs backwards`);
        }
        for (let v = low; v <= high; v += step) values.add(v);
    }
    return { values, star: text === "*" || text === "?" };
}

function parseFields(text: string): CronFields {
    const fields = text.split(/\s+/);
    if (fields.length !== 5) throw new CronProblem(`${fields.length} field${fields.length === 1 ? "" : "s"} where Velero wants exactly 5 (no seconds field)`);
    const [minutes, hours, daysOfMonth, months, daysOfWeek] = fields.map((f, i) => parseField(f, SPECS[i]));
    return { minutes, hours, daysOfMonth, months, daysOfWeek };
}

/** A Go time.Duration (1h30m, 90m, 1.5h) in hours. */
function goDurationHours(text: string): number {
    const match = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
    if (!match) throw new CronProblem(`@every needs a Go duration such as 24h or 1h30m, got "${text}"`);
    let hours = 0;
    for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) hours += Number(amount) * GO_DURATION_HOURS[unit];
    if (match[1] === "-" || hours <= 0) throw new CronProblem(`@every needs a positive duration, got "${text}"`);
    return hours;
}

function read(expression: string): Schedule {
    let text = expression.trim();
    if (text.length === 0) throw new CronProblem("the schedule is empty");
    let timeZone: string | undefined;
    const zone = /^(?:CRON_)?TZ=(\S+)\s+(.*)$/.exec(text);
    if (zone) {
        try {
            new Intl.DateTimeFormat("en-US", { timeZone: zone[1] });
        } catch {
            throw new CronProblem(`unknown time zone "${zone[1]}"`);
        }
        [timeZone, text] = [zone[1], zone[2]];
    }
    if (text.startsWith("@every ")) {
        if (timeZone) throw new CronProblem("@every takes no time zone");
        return { kind: "every", hours: goDurationHours(text.slice("@every ".length).trim()) };
    }
    if (text.startsWith("@")) {
        const fields = DESCRIPTORS[text];
        if (fields === undefined) throw new CronProblem(`unknown descriptor "${text}" (known: ${Object.keys(DESCRIPTORS).join(", ")}, @every <duration>)`);
        text = fields;
    }
    return { kind: "fields", fields: parseFields(text), ...(timeZone ? { timeZone } : {}) };
}

/** The schedule, or what Velero would refuse in it. */
export function readSchedule(expression: string): { readonly schedule: Schedule } | { readonly problem: string } {
    try {
        return { schedule: read(expression) };
    } catch (error) {
        if (error instanceof CronProblem) return { problem: error.message };
        throw error;
    }
}

/** The five fields of a calendar schedule (descriptors expanded); undefined for @every or invalid text. */
export function parseCron(expression: string): CronFields | undefined {
    const result = readSchedule(expression);
    return "schedule" in result && result.schedule.kind === "fields" ? result.schedule.fields : undefined;
}
