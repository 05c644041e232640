/**
 * Writes lib/data/<addon>-configuration-schema.json from the output of
 * `aws eks describe-addon-configuration --addon-name <addon> --addon-version <version>`, with where
 * that output came from. Usage:
 *
 *   npm run addon-schema -- <describe-addon-configuration output.json> <where it was published>
 *
 * Re-run it with a newer output (from an account: `aws eks describe-addon-configuration ... >
 * out.json`) to check the configuration against the schema of the version a stack resolves.
 */
import * as fs from "fs";
import * as path from "path";
import { deriveAddonSchema } from "../lib/addon-schema";

const [input, publishedAt] = process.argv.slice(2);
if (!input || !publishedAt) throw new Error("usage: npm run addon-schema -- <describe-addon-configuration output.json> <where it was published>");
const output = JSON.parse(fs.readFileSync(input, "utf8"));
const schema = deriveAddonSchema(output, {
    command: `aws eks describe-addon-configuration --addon-name ${output.addonName} --addon-version ${output.addonVersion}`,
    publishedAt,
    derivation: "configurationSchema parsed as JSON, otherwise unchanged (scripts/derive-addon-schema.ts)",
});
const target = path.join(__dirname, "..", "lib", "data", `${output.addonName}-configuration-schema.json`);
fs.writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
process.stderr.write(`wrote ${path.relative(process.cwd(), target)}: ${output.addonName} ${output.addonVersion}\n`);
