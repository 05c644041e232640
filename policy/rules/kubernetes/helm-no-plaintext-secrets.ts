import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { isSecretMarker, isUnknown, unwrapProxy } from "../../lib/values";

/** Keys whose value is a credential. */
const SECRET_KEY = /password|passwd|secret|token|api[-_]?key|access[-_]?key|secret[-_]?key|product[-_]?key/i;

/**
 * Keys that name or locate a credential instead of holding it: existingSecret, secretName, envFromSecret,
 * passwordKey (the key inside an existing Secret), tokenFile, token_url, tokenTTL, ...
 * Compared without separators and case, as the end of the key.
 */
const REFERENCE_KEY = /^existing|(name|names|ref|file|path|dir|url|uri|endpoint|audience|ttl|type|mode|header|field|prefix|issuer|length|enabled|mount|mountpath|fromsecret|passwordkey|passwdkey|tokenkey)$/;

/**
 * Values that point at a credential kept elsewhere: ${VAR} expansion (Loki, Tempo, Mimir with
 * -config.expand-env) and Grafana's $__file{...}, $__env{...} and $__vault{...} providers.
 */
const REFERENCE_VALUE = /^\$(\{[^}]+\}|__(file|env|vault)\{[^}]*\})$/;

function isReferenceKey(key: string): boolean {
    return REFERENCE_KEY.test(key.replace(/[-_.]/g, "").toLowerCase());
}

/** The dotted paths under `values` whose value is a credential written in clear. */
function plaintextSecrets(value: unknown, path: string): string[] {
    const v = unwrapProxy(value);
    // Unknown values are computed (a generated password) and secrets are Pulumi secrets: both are fine.
    if (isUnknown(v) || isSecretMarker(v) || v === null || typeof v !== "object") return [];
    if (Array.isArray(v)) return v.flatMap((item, i) => plaintextSecrets(item, `${path}[${i}]`));
    return Object.entries(v as Record<string, unknown>).flatMap(([key, child]) => {
        const childPath = `${path}.${key}`;
        const literal = unwrapProxy(child);
        if (typeof literal === "string" && !isUnknown(literal)) {
            const isSecret = SECRET_KEY.test(key) && !isReferenceKey(key) && literal.trim() !== "" && !REFERENCE_VALUE.test(literal.trim());
            return isSecret ? [childPath] : [];
        }
        return plaintextSecrets(child, childPath);
    });
}

export const helmNoPlaintextSecrets = defineResourcePolicy({
    name: "helm-no-plaintext-secrets",
    description: "Helm release values hold no password, token or key written in clear: such literals end up in the Pulumi state, the Helm release secret and every preview diff.",
    nist: ["IA-5"],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Put the credential in a Kubernetes Secret (from a Pulumi secret or a random.RandomPassword) and point the chart at it (existingSecret, secretKeyRef, $__file{...} or ${ENV} expansion), or pass a Pulumi secret so that it stays encrypted in state.",
    resourceTypes: [T.helmRelease],
    validate(resource, _context, report) {
        const found = plaintextSecrets(resource.props.values, "values");
        if (found.length > 0) report(`credential-like values written in clear: ${found.join(", ")}`);
    },
});
