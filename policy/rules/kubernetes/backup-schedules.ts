import { cadence } from "../../lib/cron";
import { durationHours, formatHours } from "../../lib/duration";
import { releasesOf } from "../../lib/helm";
import { defineStackPolicy } from "../../lib/policy";
import { at, readFlag, readRecord, readString, UNKNOWN } from "../../lib/values";

const DAILY_MINIMUM_TTL_HOURS = 7 * 24;
const WEEKLY_MINIMUM_TTL_HOURS = 30 * 24;
/** Velero keeps a backup whose schedule sets no ttl for 720h. */
const VELERO_DEFAULT_TTL_HOURS = 720;

/** What one schedule of the chart's `schedules` map provides. */
interface Schedule {
    readonly daily: boolean;
    readonly weekly: boolean;
    readonly ttlHours: number;
}

export const backupSchedules = defineStackPolicy({
    name: "backup-schedules",
    description: `Prod has Velero backing up the cluster daily, kept at least ${formatHours(DAILY_MINIMUM_TTL_HOURS)}, and at least weekly, kept at least ${formatHours(WEEKLY_MINIMUM_TTL_HOURS)}, so that a lost or corrupted namespace can be restored from a recent point and from one a month back.`,
    nist: ["CP-9"],
    anchors: [],
    severity: "medium",
    enforcementLevel: "advisory",
    prodOnly: true,
    remediationSteps: "Enable backup.velero and list two schedules, e.g. { name: daily, cron: \"0 2 * * *\", ttl: 7d } and { name: weekly, cron: \"0 3 * * 0\", ttl: 30d }; the chart takes ttl as a Go duration such as 168h.",
    validate(resources, _context, report) {
        const releases = releasesOf(resources, "velero");
        if (releases.length === 0) {
            report("no Velero Helm release: the cluster has no scheduled backups");
            return;
        }
        const schedules: Schedule[] = [];
        for (const release of releases) {
            const map = readRecord(at(release.props, "values", "schedules"));
            // Schedules not known yet may well satisfy the rule: judge only a fully known set.
            if (map === UNKNOWN) return;
            for (const [name, spec] of Object.entries(map ?? {})) {
                if (readFlag(at(spec, "disabled")) === true) continue;
                const cron = readString(at(spec, "schedule"));
                const ttl = readString(at(spec, "template", "ttl"));
                if (cron === UNKNOWN || ttl === UNKNOWN) return;
                const fires = cron === undefined ? undefined : cadence(cron);
                const ttlHours = ttl === undefined ? VELERO_DEFAULT_TTL_HOURS : durationHours(ttl, "go");
                if (!fires) report(`schedule ${name}: "${cron ?? ""}" is not a cron schedule Velero accepts`, release);
                if (ttlHours === undefined) report(`schedule ${name}: ttl "${ttl}" is not a Go duration such as 168h`, release);
                if (fires && ttlHours !== undefined) schedules.push({ ...fires, ttlHours });
            }
        }
        if (!schedules.some((s) => s.daily && s.ttlHours >= DAILY_MINIMUM_TTL_HOURS)) {
            report(`no schedule runs every day with a ttl of at least ${DAILY_MINIMUM_TTL_HOURS}h`, releases[0]);
        }
        if (!schedules.some((s) => s.weekly && s.ttlHours >= WEEKLY_MINIMUM_TTL_HOURS)) {
            report(`no schedule runs at least weekly with a ttl of at least ${WEEKLY_MINIMUM_TTL_HOURS}h`, releases[0]);
        }
    },
});
