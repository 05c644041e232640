/**
 * Working-hours schedules for node groups: the cron recurrences of the scheduled actions that start
 * a group's nodes and scale them to zero, and, read back from those recurrences, the hours a week
 * the nodes run. Pure maths, shared by the program (which declares the actions) and the planner
 * (which prices the hours from the declared actions).
 */

export const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When nodes run: from `start` to `stop` (HH:MM, same day) on each of `days`. */
export interface WorkingHours {
    readonly days: readonly Weekday[];
    readonly start: string;
    readonly stop: string;
}

/** A scheduled action's recurrence: minute, hour and the days of the week, numbered as cron does (SUN = 0). */
export interface Recurrence {
    readonly minuteOfDay: number;
    readonly days: readonly number[];
}

function minuteOfDay(time: string): number {
    const [hours, minutes] = time.split(":").map(Number);
    return hours * 60 + minutes;
}

/** Five-field Unix cron, as Auto Scaling scheduled actions take it: "0 8 * * 1,2,3,4,5". */
export function cronAt(time: string, days: readonly Weekday[]): string {
    const minutes = minuteOfDay(time);
    const numbers = days.map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
    return `${minutes % 60} ${Math.floor(minutes / 60)} * * ${numbers.join(",")}`;
}

/** The start and stop recurrences of working hours. */
export function workingHoursCrons(hours: WorkingHours): { start: string; stop: string } {
    return { start: cronAt(hours.start, hours.days), stop: cronAt(hours.stop, hours.days) };
}

/**
 * Reads a recurrence of the form the platform writes: fixed minute and hour, any day of the month
 * and month, days of the week as numbers, lists and ranges (7 is Sunday too). Undefined for any
 * other form, which the caller must not guess at.
 */
export function parseRecurrence(cron: string): Recurrence | undefined {
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5 || fields[2] !== "*" || fields[3] !== "*" || !/^\d+$/.test(fields[0]) || !/^\d+$/.test(fields[1])) return undefined;
    const [minute, hour] = [Number(fields[0]), Number(fields[1])];
    if (minute > 59 || hour > 23) return undefined;
    const days = new Set<number>();
    for (const part of fields[4] === "*" ? ["0-6"] : fields[4].split(",")) {
        const range = /^(\d)(?:-(\d))?$/.exec(part);
        if (!range) return undefined;
        const [from, to] = [Number(range[1]), Number(range[2] ?? range[1])];
        if (from > 7 || to > 7 || from > to) return undefined;
        for (let d = from; d <= to; d++) days.add(d % 7);
    }
    return { minuteOfDay: hour * 60 + minute, days: [...days].sort((a, b) => a - b) };
}

/**
 * Hours a week that nodes run between a start and a stop recurrence: on each start day, until the
 * stop on the same day. Undefined when the two do not pair up that way (a stop on other days, or
 * not after the start), which a priced estimate must not guess at.
 */
export function weeklyRunningHours(start: Recurrence, stop: Recurrence): number | undefined {
    const sameDays = start.days.length === stop.days.length && start.days.every((d, i) => d === stop.days[i]);
    if (!sameDays || stop.minuteOfDay <= start.minuteOfDay) return undefined;
    return (start.days.length * (stop.minuteOfDay - start.minuteOfDay)) / 60;
}

/** Working hours in a time zone, as a node group's schedule states them. */
export interface ZonedWorkingHours extends WorkingHours {
    /** An IANA time zone such as America/New_York. */
    readonly timeZone: string;
}

/** The weekday and the minute of the day at an instant, in a time zone. */
function localTime(at: Date, timeZone: string): { day: Weekday; minute: number } {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
        .formatToParts(at).map((p) => [p.type, p.value]));
    return { day: parts.weekday.toUpperCase() as Weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Whether a schedule's nodes run at an instant: one of its days, from its start until its stop, in its time zone. */
export function withinWorkingHours(hours: ZonedWorkingHours, at: Date): boolean {
    const { day, minute } = localTime(at, hours.timeZone);
    return hours.days.includes(day) && minute >= minuteOfDay(hours.start) && minute < minuteOfDay(hours.stop);
}

/** When the nodes next start after an instant outside working hours, such as "MON 08:00 America/New_York". */
export function nextStart(hours: ZonedWorkingHours, at: Date): string {
    const { day, minute } = localTime(at, hours.timeZone);
    const today = WEEKDAYS.indexOf(day);
    const offset = [0, 1, 2, 3, 4, 5, 6, 7].find((n) => hours.days.includes(WEEKDAYS[(today + n) % 7]) && (n > 0 || minute < minuteOfDay(hours.start)))!;
    return `${WEEKDAYS[(today + offset) % 7]} ${hours.start} ${hours.timeZone}`;
}
