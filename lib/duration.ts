/** Durations as the observability tools write them: a positive whole number and a unit h, d or w. */

const HOURS_PER_UNIT: Record<string, number> = { h: 1, d: 24, w: 24 * 7 };

/** 90d -> 2160; undefined when the text is not such a duration. */
export function durationToHours(text: string): number | undefined {
    const match = /^([1-9]\d*)([hdw])$/.exec(text);
    return match ? Number(match[1]) * HOURS_PER_UNIT[match[2]] : undefined;
}

export function durationToDays(text: string): number {
    const hours = durationToHours(text);
    if (hours === undefined) throw new Error(`"${text}" is not a duration such as 72h, 15d or 2w`);
    return hours / 24;
}

/** Go's time.Duration has no day unit: Tempo and Velero take hours. */
export function durationToGoHours(text: string): string {
    return `${durationToDays(text) * 24}h`;
}
