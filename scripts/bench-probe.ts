/**
 * Preloaded into the planner by scripts/bench.ts (`node --require`) where GNU time is missing:
 * writes the process's peak resident set size in KiB (getrusage's ru_maxrss) to the file named by
 * PLANNER_BENCH_RSS_FILE as the process exits.
 */
import * as fs from "fs";

const file = process.env.PLANNER_BENCH_RSS_FILE;
if (file) process.on("exit", () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
