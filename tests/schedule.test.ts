import { expect } from "chai";
import * as fc from "fast-check";
import { cronAt, parseRecurrence, weeklyRunningHours, WEEKDAYS, workingHoursCrons } from "../lib/schedule";

const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, "0")}:${m === 0 ? "00" : "30"}`);
const days = fc.subarray([...WEEKDAYS], { minLength: 1 });

describe("working-hours schedules", () => {
    it("write weekday crons with Sunday as 0, the days in order", () => {
        expect(workingHoursCrons({ days: ["FRI", "MON", "WED"], start: "07:30", stop: "19:00" })).to.deep.equal({ start: "30 7 * * 1,3,5", stop: "0 19 * * 1,3,5" });
        expect(cronAt("00:00", ["SUN", "SAT"])).to.equal("0 0 * * 0,6");
    });

    it("read back what they write, and count days x (stop - start) hours a week", () => {
        fc.assert(fc.property(days, time, time, (d, a, b) => {
            fc.pre(a !== b);
            const [start, stop] = a < b ? [a, b] : [b, a];
            const crons = workingHoursCrons({ days: d, start, stop });
            const [up, down] = [parseRecurrence(crons.start)!, parseRecurrence(crons.stop)!];
            expect(up.days.map((n) => WEEKDAYS[n])).to.deep.equal(WEEKDAYS.filter((w) => d.includes(w)));
            const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
            expect(weeklyRunningHours(up, down)).to.equal((d.length * (minutes(stop) - minutes(start))) / 60);
        }));
    });

    it("read ranges, lists, * and 7 as Sunday", () => {
        expect(parseRecurrence("0 8 * * 1-5")).to.deep.equal({ minuteOfDay: 480, days: [1, 2, 3, 4, 5] });
        expect(parseRecurrence("15 6 * * 5-7")).to.deep.equal({ minuteOfDay: 375, days: [0, 5, 6] });
        expect(parseRecurrence("0 0 * * *")!.days).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    });

    it("refuse forms they cannot price rather than guess", () => {
        for (const cron of ["0 8 1 * 1-5", "*/5 8 * * 1", "0 24 * * 1", "0 8 * * MON-FRI", "0 8 * * 5-1", "0 8 * *"]) {
            expect(parseRecurrence(cron), cron).to.equal(undefined);
        }
        const weekdays = parseRecurrence("0 8 * * 1-5")!;
        expect(weeklyRunningHours(weekdays, parseRecurrence("0 20 * * 1-4")!)).to.equal(undefined);
        expect(weeklyRunningHours(weekdays, parseRecurrence("0 7 * * 1-5")!)).to.equal(undefined);
    });
});
