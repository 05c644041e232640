/**
 * Derives the keys Tempo's and Mimir's Kafka clients accept at their pinned versions and writes them
 * to lib/data/kafka-client-keys.json, with where each list came from.
 *
 * Both programs read their config strictly (an unknown key stops the process), and their Kafka
 * blocks differ: Mimir 3.2 has TLS and several SASL mechanisms, Tempo 3.0.3 only SASL PLAIN.
 *
 * Usage: npx ts-node --transpile-only scripts/derive-kafka-client-keys.ts <tempo-git-dir> <mimir-git-dir>
 *   - Tempo: the yaml tags of `KafkaConfig` in pkg/ingest/config.go at tag v3.0.3 (`ingest.kafka`).
 *   - Mimir: the `ingest_storage.kafka` block of cmd/mimir/config-descriptor.json at MIMIR_COMMIT.
 * Only key names are written: no upstream descriptions or defaults.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const TEMPO = { version: "3.0.3", ref: "v3.0.3", file: "pkg/ingest/config.go", block: "ingest.kafka" } as const;
/**
 * grafana/mimir's tag mimir-3.2.0 is not in the mirror this was derived from (a fork with upstream
 * history): the commit is "[3.2] Bump version to 3.2.0 everywhere", whose VERSION reads 3.2.0.
 * Re-run against the tag where a full clone is at hand.
 */
const MIMIR = { version: "3.2.0", ref: "9ab70ccf850c7f9cf06ccc42e28faf8d5bdaa70f", file: "cmd/mimir/config-descriptor.json", block: "ingest_storage.kafka" } as const;

const show = (gitDir: string, ref: string, file: string) => execFileSync("git", ["--git-dir", gitDir, "show", `${ref}:${file}`], { encoding: "utf8", maxBuffer: 64 << 20 });

/** The yaml keys of a Go struct, following `yaml:",inline"` fields into the structs they name. */
export function goStructKeys(source: string, struct: string): string[] {
    const body = new RegExp(`type ${struct} struct \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1];
    if (body === undefined) throw new Error(`no struct ${struct}`);
    const keys: string[] = [];
    for (const line of body.split("\n")) {
        const field = /^\s*(\w+)?\s+([\w.*\[\]]+)\s+`[^`]*yaml:"([^"]*)"/.exec(line);
        if (!field) continue;
        const [name, ...options] = field[3].split(",");
        if (name === "-") continue;
        if (options.includes("inline")) keys.push(...goStructKeys(source, field[2].replace(/^\*/, "")));
        else keys.push(name);
    }
    return keys;
}

interface DescriptorNode { kind: string; name: string; blockEntries?: DescriptorNode[] }

/** The field names under a dotted block of Mimir's config descriptor. */
export function descriptorKeys(descriptor: DescriptorNode, block: string): string[] {
    let node: DescriptorNode | undefined = descriptor;
    for (const name of block.split(".")) node = node?.blockEntries?.find((e) => e.kind === "block" && e.name === name);
    if (!node) throw new Error(`no block ${block}`);
    return (node.blockEntries ?? []).map((e) => e.name);
}

function main(): void {
    const [tempoGit, mimirGit] = process.argv.slice(2);
    if (!tempoGit || !mimirGit) throw new Error("usage: derive-kafka-client-keys.ts <tempo-git-dir> <mimir-git-dir>");
    const tempo = goStructKeys(show(tempoGit, TEMPO.ref, TEMPO.file), "KafkaConfig");
    const mimir = descriptorKeys(JSON.parse(show(mimirGit, MIMIR.ref, MIMIR.file)), MIMIR.block);
    const data = {
        tempo: { version: TEMPO.version, block: TEMPO.block, source: `grafana/tempo ${TEMPO.ref} ${TEMPO.file} (KafkaConfig yaml tags)`, keys: [...new Set(tempo)].sort() },
        mimir: { version: MIMIR.version, block: MIMIR.block, source: `grafana/mimir ${MIMIR.ref} ${MIMIR.file}`, keys: [...new Set(mimir)].sort() },
    };
    const out = path.join(__dirname, "..", "lib", "data", "kafka-client-keys.json");
    fs.writeFileSync(out, JSON.stringify(data, null, 2) + "\n");
    console.log(`wrote ${out}: tempo ${data.tempo.keys.length} keys, mimir ${data.mimir.keys.length} keys`);
}

if (require.main === module) main();
