/**
 * How often a Velero schedule fires. Velero reads schedules with robfig/cron: five standard fields
 * (an optional leading seconds field is tolerated), names such as MON or JAN, and the descriptors
 * @yearly, @monthly, @weekly, @daily, @hourly and @every <Go duration>. Like cron, when both
 * day-of-month and day-of-week are restricted a day matches if either does.
 */
import { durationHours } from "./duration";

export interface Cadence {
    /** Fires on every day of the year. */
    readonly daily: boolean;
    /** Never goes more than seven days without firing. */
    readonly weekly: boolean;
}

const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
    readonly min: number;
    readonly max: number;
    /** Names standing for numbers, first name for `min`. */
    readonly names?: readonly string[];
}

const MINUTE: FieldSpec = { min: 0, max: 59 };
const HOUR: FieldSpec = { min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { min: 1, max: 31 };
const MONTH: FieldSpec = { min: 1, max: 12, names: MONTH_NAMES };
// 7 is Sunday too in most crons; it is folded into 0 below.
const DAY_OF_WEEK: FieldSpec = { min: 0, max: 7, names: DAY_NAMES };

export interface Field {
    readonly values: ReadonlySet<number>;
    /** Written as * or ?: cron's OR of the two day fields applies only to restricted ones. */
    readonly star: boolean;
}

function parseValue(text: string, spec: FieldSpec): number | undefined {
    const upper = text.toUpperCase();
    const named = spec.names?.indexOf(upper) ?? -1;
    const value = named >= 0 ? spec.min + named : /^\d+$/.test(text) ? Number(text) : NaN;
    return Number.isInteger(value) && value >= spec.min && value <= spec.max ? value : undefined;
}

/** The values a field matches, or undefined when it is not valid cron. */
function parseField(text: string, spec: FieldSpec): Field | undefined {
    const values = new Set<number>();
    for (const item of text.split(",")) {
        const [range, stepText] = item.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        if (!Number.isInteger(step) || step < 1) return undefined;
        let low: number | undefined;
        let high: number | undefined;
        if (range === "*" || range === "?") {
            [low, high] = [spec.min, spec.max];
        } else if (range.includes("-")) {
            const [a, b] = range.split("-");
            [low, high] = [parseValue(a, spec), parseValue(b, spec)];
        } else {
            low = parseValue(range, spec);
            // "a/n" runs from a to the end of the range.
            high = stepText === undefined ? low : spec.max;
        }
        if (low === undefined || high === undefined || low > high) return undefined;
        for (let v = low; v <= high; v += step) values.add(v);
    }
    return { values, star: text === "*" || text === "?" };
}

/** The five standard fields of a cron expression; day-of-week 7 is folded into 0 (Sunday). */
export interface CronFields {
    readonly minutes: Field;
    readonly hours: Field;
    readonly daysOfMonth: Field;
    readonly months: Field;
    readonly daysOfWeek: Field;
}

/**
 * Reads a five-field expression, or six with a leading seconds field (which does not change when
 * it fires in whole minutes); undefined when any field is not valid cron.
 */
export function parseCron(expression: string): CronFields | undefined {
    const fields = expression.trim().split(/\s+/);
    const [minute, hour, dom, month, dow] = fields.length === 6 ? fields.slice(1) : fields.length === 5 ? fields : [];
    if (minute === undefined) return undefined;
    const parsed = [parseField(minute, MINUTE), parseField(hour, HOUR), parseField(dom, DAY_OF_MONTH), parseField(month, MONTH), parseField(dow, DAY_OF_WEEK)];
    if (parsed.some((f) => f === undefined)) return undefined;
    const [minutes, hours, daysOfMonth, months, rawDayOfWeek] = parsed as Field[];
    const daysOfWeek: Field = { star: rawDayOfWeek.star, values: new Set([...rawDayOfWeek.values].map((d) => d % 7)) };
    return { minutes, hours, daysOfMonth, months, daysOfWeek };
}

function covers(field: Field, spec: FieldSpec): boolean {
    for (let v = spec.min; v <= spec.max; v++) if (!field.values.has(v)) return false;
    return true;
}

/** The longest run of days without firing, over every month length and weekday alignment. */
function longestGap(dayOfMonth: Field, dayOfWeek: Field): number {
    const restrictedBoth = !dayOfMonth.star && !dayOfWeek.star;
    const fires = (day: number, weekday: number) => {
        const domMatch = dayOfMonth.values.has(day);
        const dowMatch = dayOfWeek.values.has(weekday);
        return restrictedBoth ? domMatch || dowMatch : domMatch && dowMatch;
    };
    let longest = 0;
    // Seven starting weekdays and four month lengths cover every calendar; two months in a row
    // catch the gap across a month boundary.
    for (const length of [28, 29, 30, 31]) {
        for (let startWeekday = 0; startWeekday < 7; startWeekday++) {
            let last: number | undefined;
            for (let i = 0; i < 2 * length; i++) {
                const day = (i % length) + 1;
                if (fires(day, (startWeekday + i) % 7)) {
                    if (last !== undefined) longest = Math.max(longest, i - last);
                    last = i;
                }
            }
            if (last === undefined) return Infinity;
        }
    }
    return longest;
}

/** How often `expression` fires, or undefined when it is not a schedule Velero accepts. */
export function cadence(expression: string): Cadence | undefined {
    const text = expression.trim();
    const descriptor = /^@(\w+)(?:\s+(\S+))?$/.exec(text);
    if (descriptor) {
        switch (descriptor[1]) {
            case "hourly":
            case "daily":
            case "midnight":
                return { daily: true, weekly: true };
            case "weekly":
                return { daily: false, weekly: true };
            case "monthly":
            case "yearly":
            case "annually":
                return { daily: false, weekly: false };
            case "every": {
                const hours = descriptor[2] === undefined ? undefined : durationHours(descriptor[2], "go");
                return hours === undefined || hours <= 0 ? undefined : { daily: hours <= 24, weekly: hours <= 7 * 24 };
            }
            default:
                return undefined;
        }
    }
    const fields = parseCron(text);
    if (!fields) return undefined;
    if (!covers(fields.months, MONTH)) return { daily: false, weekly: false };
    const gap = longestGap(fields.daysOfMonth, fields.daysOfWeek);
    return { daily: gap <= 1, weekly: gap <= 7 };
}
