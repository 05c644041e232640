/**
 * Refreshes lib/data/instance-types.json, the platform's EC2 facts, from the generated upstream
 * table (`instance-types.json`, built from Karpenter's and the EKS AMI's machine-generated data;
 * see its SOURCE file). Usage:
 *
 *   npm run instance-types -- [path/to/instance-types.json]     (default ../shared/spec/instance-types.json)
 *
 * The derivation is `deriveInstanceTypes`, a pure function the tests run on the same input.
 */
import * as fs from "fs";
import * as path from "path";
import { deriveInstanceTypes, UpstreamInstanceTypes } from "../lib/instance-types";

const input = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "..", "shared", "spec", "instance-types.json"));
const output = path.join(__dirname, "..", "lib", "data", "instance-types.json");
const upstream = JSON.parse(fs.readFileSync(input, "utf8")) as UpstreamInstanceTypes;
const data = deriveInstanceTypes(upstream, path.basename(input));
// One type per line: a refresh shows as a readable diff of the types that changed.
const rows = data.rows.map((row) => `    ${JSON.stringify(row)}`).join(",\n");
const { rows: _rows, ...head } = data;
const text = JSON.stringify(head, null, 2).replace(/\n}$/, `,\n  "rows": [\n${rows}\n  ]\n}\n`);
fs.writeFileSync(output, text);
process.stderr.write(`wrote ${path.relative(process.cwd(), output)}: ${data.rows.length} instance types from ${input}\n`);
