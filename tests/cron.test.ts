import { expect } from "chai";
import * as fc from "fast-check";
import { DAY_OF_MONTH, DAY_OF_WEEK, HOUR, MINUTE, MONTH, parseCron, readSchedule } from "../lib/cron";

const problem = (expression: string) => {
    const read = readSchedule(expression);
    return "problem" in read ? read.problem : undefined;
};
const values = (expression: string) => {
    const fields = parseCron(expression);
    if (!fields) throw new Error(`"${expression}" was refused: ${problem(expression)}`);
    return [fields.minutes, fields.hours, fields.daysOfMonth, fields.months, fields.daysOfWeek].map((f) => [...f.values].sort((a, b) => a - b));
};
const SPECS = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
const range = (low: number, high: number, step = 1) => Array.from({ length: Math.floor((high - low) / step) + 1 }, (_, i) => low + i * step);

describe("Velero schedules (robfig/cron's standard parser)", () => {
    it("reads the five fields with lists, ranges, steps and names", () => {
        expect(values("0 2 * * *")).to.deep.equal([[0], [2], range(1, 31), range(1, 12), range(0, 6)]);
        expect(values("*/15 9-17/4 1,15 jan-Mar MON-fri")).to.deep.equal([[0, 15, 30, 45], [9, 13, 17], [1, 15], [1, 2, 3], [1, 2, 3, 4, 5]]);
        expect(values("5/20 ? * * ?")).to.deep.equal([[5, 25, 45], range(0, 23), range(1, 31), range(1, 12), range(0, 6)]);
    });

    it("expands the descriptors to the fields they stand for", () => {
        expect(values("@daily")).to.deep.equal(values("0 0 * * *"));
        expect(values("@midnight")).to.deep.equal(values("0 0 * * *"));
        expect(values("@hourly")).to.deep.equal(values("0 * * * *"));
        expect(values("@weekly")).to.deep.equal(values("0 0 * * 0"));
        expect(values("@monthly")).to.deep.equal(values("0 0 1 * *"));
        expect(values("@yearly")).to.deep.equal(values("0 0 1 1 *"));
        expect(values("@annually")).to.deep.equal(values("0 0 1 1 *"));
    });

    it("reads @every with a Go duration, and a time zone prefix", () => {
        expect(readSchedule("@every 1h30m")).to.deep.equal({ schedule: { kind: "every", hours: 1.5 } });
        expect(readSchedule("@every 90m")).to.deep.equal({ schedule: { kind: "every", hours: 1.5 } });
        const zoned = readSchedule("CRON_TZ=Europe/Berlin 0 2 * * *");
        expect("schedule" in zoned && zoned.schedule.kind === "fields" && zoned.schedule.timeZone).to.equal("Europe/Berlin");
    });

    it("refuses what Velero refuses, saying why", () => {
        expect(problem("0 25 * * *")).to.equal("hour 25 is outside 0-23");
        expect(problem("0 2 * *")).to.equal("4 fields where Velero wants exactly 5 (no seconds field)");
        expect(problem("0 0 2 * * *")).to.equal("6 fields where Velero wants exactly 5 (no seconds field)");
        expect(problem("0 3 * * 7")).to.equal("day of week 7 is outside 0-6");
        expect(problem("0 0 32 * *")).to.equal("day of month 32 is outside 1-31");
        expect(problem("0 0 * 0 *")).to.equal("month 0 is outside 1-12");
        expect(problem("0 0 * * FUNDAY")).to.equal('day of week "FUNDAY" is not a number or a name such as SUN');
        expect(problem("*/0 * * * *")).to.equal('minute step "0" is not a positive whole number');
        expect(problem("30-10 * * * *")).to.equal("minute range 30-10 runs backwards");
        expect(problem("0 0 L * *")).to.equal('day of month "L" is not a number');
        expect(problem("@sometimes")).to.match(/^unknown descriptor "@sometimes"/);
        expect(problem("@every 1d")).to.equal('@every needs a Go duration such as 24h or 1h30m, got "1d"');
        expect(problem("@every -1h")).to.equal('@every needs a positive duration, got "-1h"');
        expect(problem("TZ=Mars/Olympus 0 2 * * *")).to.equal('unknown time zone "Mars/Olympus"');
        expect(problem("")).to.equal("the schedule is empty");
    });

    it("accepts any in-range value in every field and refuses any value just outside", () => {
        const field = fc.integer({ min: 0, max: 4 });
        fc.assert(fc.property(field, fc.integer({ min: 0, max: 59 }), (i, n) => {
            const spec = SPECS[i];
            const value = spec.min + (n % (spec.max - spec.min + 1));
            const fields = ["*", "*", "*", "*", "*"];
            fields[i] = String(value);
            expect(values(fields.join(" "))[i]).to.deep.equal([value]);
            for (const outside of [spec.min - 1, spec.max + 1].filter((v) => v >= 0)) {
                fields[i] = String(outside);
                expect(problem(fields.join(" "))).to.equal(`${spec.name} ${outside} is outside ${spec.min}-${spec.max}`);
            }
        }));
    });
});
