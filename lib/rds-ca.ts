/**
 * The Amazon RDS certificate authorities a client needs to verify an RDS server's certificate
 * (data/rds-ca.json, derived by scripts/derive-rds-ca.ts from a published npm package, which it
 * names with its version and integrity). RDS signs each instance's certificate with the regional
 * root its `caCertIdentifier` names; the platform pins that identifier, and a client verifying
 * with `verify-full` trusts only that region's root.
 */
import { X509Certificate, createHash } from "crypto";
import table from "./data/rds-ca.json";

/** The CA every RDS instance the platform creates is signed by (valid until 2061, RSA 2048). */
export const RDS_CA_IDENTIFIER = "rds-ca-rsa2048-g1";

export interface RdsCaCertificate {
    /** The AWS region whose instances it signs. */
    readonly region: string;
    /** The RDS CA identifier, as `caCertIdentifier` names it. */
    readonly identifier: string;
    readonly subject: string;
    readonly notAfter: string;
    /** SHA-256 of the DER certificate, hex. */
    readonly sha256: string;
    readonly pem: string;
}

export interface RdsCaTable {
    readonly about: string;
    readonly source: { readonly package: string; readonly version: string; readonly integrity: string; readonly file: string; readonly retrieved: string };
    readonly certificates: readonly RdsCaCertificate[];
}

export const RDS_CA: RdsCaTable = table;

/** A root's subject common name: "Amazon RDS us-east-1 Root CA RSA2048 G1". Beta and Preview endpoints are not regions. */
const REGIONAL_ROOT = /^Amazon RDS ([a-z]{2}(?:-[a-z]+)+-\d) Root CA (RSA2048|RSA4096|ECC384) (G\d+)$/;

/**
 * The regional roots of `identifier` among `pems` (the package's certificates), one per region,
 * sorted by region: self-signed, named as RDS names its roots. Throws on a certificate that does
 * not parse or a region with two roots of one identifier.
 */
export function deriveRdsCa(pems: readonly string[], identifier: string): RdsCaCertificate[] {
    const found = new Map<string, RdsCaCertificate>();
    for (const pem of pems) {
        const certificate = new X509Certificate(pem);
        const commonName = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1] ?? "";
        const match = REGIONAL_ROOT.exec(commonName);
        if (!match || `rds-ca-${match[2]}-${match[3]}`.toLowerCase() !== identifier || certificate.subject !== certificate.issuer) continue;
        const region = match[1];
        if (found.has(region)) throw new Error(`Two ${identifier} roots for ${region}`);
        found.set(region, {
            region,
            identifier,
            subject: commonName,
            notAfter: new Date(certificate.validTo).toISOString(),
            sha256: createHash("sha256").update(certificate.raw).digest("hex"),
            pem: certificate.toString(),
        });
    }
    return [...found.values()].sort((a, b) => a.region.localeCompare(b.region));
}

/** The PEM bundle a client in `region` verifies RDS with; undefined where the table has no root for the region. */
export function rdsCaBundle(region: string, identifier = RDS_CA_IDENTIFIER, ca: RdsCaTable = RDS_CA): string | undefined {
    const roots = ca.certificates.filter((c) => c.region === region && c.identifier === identifier);
    return roots.length > 0 ? roots.map((c) => c.pem).join("") : undefined;
}
