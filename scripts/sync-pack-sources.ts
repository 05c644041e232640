/**
 * The program's modules the policy pack needs too, copied into policy/ so that the pack stands alone:
 * `pulumi policy publish` uploads policy/ and nothing above it. The program keeps the source (the
 * config schema validates Velero schedules with the same reader the pack judges them with); each
 * copy carries a header naming its source, and tests/policy/standalone.test.ts checks every copy is
 * exactly what this script writes, so the two can never drift apart.
 *
 * Run: `npm run pack-sources` after changing a source listed here.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..");

/** Program source → its copy in the pack, both relative to the project root. */
export const PACK_SOURCES: Readonly<Record<string, string>> = {
    "lib/cron.ts": "policy/lib/velero-cron.ts",
};

/** The copy of `source` as the pack carries it: a header, then the source unchanged. */
export function packCopy(source: string): string {
    const header = `// Generated from ${source} by scripts/sync-pack-sources.ts (\`npm run pack-sources\`): the pack is\n`
        + "// published alone, so it carries this copy. Edit the source, not this file.\n";
    return header + fs.readFileSync(path.join(ROOT, source), "utf8");
}

export function syncPackSources(): string[] {
    return Object.entries(PACK_SOURCES).map(([source, copy]) => {
        fs.writeFileSync(path.join(ROOT, copy), packCopy(source));
        return copy;
    });
}

if (require.main === module) {
    for (const copy of syncPackSources()) console.log(`wrote ${copy}`);
}
