/**
 * How often a Velero schedule fires. Schedules are read by velero-cron.ts (the program's lib/cron.ts, copied), in Velero's own dialect;
 * like cron, when both day-of-month and day-of-week are restricted a day matches if either does.
 */
import { Field, MONTH, readSchedule } from "./velero-cron";

export interface Cadence {
    /** Fires on every day of the year. */
    readonly daily: boolean;
    /** Never goes more than seven days without firing. */
    readonly weekly: boolean;
}

function covers(field: Field, spec: { readonly min: number; readonly max: number }): boolean {
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
    const read = readSchedule(expression);
    if (!("schedule" in read)) return undefined;
    const schedule = read.schedule;
    if (schedule.kind === "every") return { daily: schedule.hours <= 24, weekly: schedule.hours <= 7 * 24 };
    const fields = schedule.fields;
    if (!covers(fields.months, MONTH)) return { daily: false, weekly: false };
    const gap = longestGap(fields.daysOfMonth, fields.daysOfWeek);
    return { daily: gap <= 1, weekly: gap <= 7 };
}
