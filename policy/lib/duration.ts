/**
 * Durations in the two dialects the charts take. Go's time.Duration (Tempo's block_retention,
 * Velero's ttl) knows h, m, s and smaller units but no days; Prometheus' model.Duration (Prometheus
 * and Loki retention) knows y, w, d, h, m, s, ms in whole numbers. A value in the wrong dialect is
 * one the tool itself would reject, so it is reported rather than guessed.
 */

export type DurationDialect = "go" | "prometheus";

const HOURS_PER_UNIT: Record<DurationDialect, Record<string, number>> = {
    go: { h: 1, m: 1 / 60, s: 1 / 3600, ms: 1 / 3.6e6, us: 1 / 3.6e9, "µs": 1 / 3.6e9, ns: 1 / 3.6e12 },
    prometheus: { y: 365 * 24, w: 7 * 24, d: 24, h: 1, m: 1 / 60, s: 1 / 3600, ms: 1 / 3.6e6 },
};

const NUMBER: Record<DurationDialect, string> = { go: "\\d+(?:\\.\\d+)?", prometheus: "\\d+" };

/** The duration in hours, or undefined when `text` is not a duration of the dialect. */
export function durationHours(text: string, dialect: DurationDialect): number | undefined {
    const value = text.trim();
    if (value === "0") return 0;
    const units = Object.keys(HOURS_PER_UNIT[dialect]).sort((a, b) => b.length - a.length).join("|");
    const part = new RegExp(`(${NUMBER[dialect]})(${units})`, "y");
    let hours = 0;
    let index = 0;
    while (index < value.length) {
        part.lastIndex = index;
        const match = part.exec(value);
        if (!match) return undefined;
        hours += Number(match[1]) * HOURS_PER_UNIT[dialect][match[2]];
        index = part.lastIndex;
    }
    return value.length > 0 ? hours : undefined;
}

/** Hours as people write retention: 2160 as "90d", 36 as "36h". */
export function formatHours(hours: number): string {
    return hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`;
}
