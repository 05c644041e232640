import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { credentialKind, REFERENCE_VALUE } from "../../lib/secrets";
import { isSecretMarker, isUnknown, unwrapProxy } from "../../lib/values";

const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/** Keys whose value is a credential. */
const SECRET_KEY = /password|passwd|secret|token|api[-_]?key|access[-_]?key|secret[-_]?key|product[-_]?key/i;

/**
 * Keys that name or locate a credential instead of holding it: existingSecret, secretName, envFromSecret,
 * passwordKey (the key inside an existing Secret), tokenFile, token_url, tokenTTL, ...
 * Compared without separators and case, as the end of the key.
 */
const REFERENCE_KEY = /^existing|(name|names|ref|file|path|dir|url|uri|endpoint|audience|ttl|type|mode|header|field|prefix|issuer|length|enabled|mount|mountpath|fromsecret|passwordkey|passwdkey|tokenkey)$/;

function isReferenceKey(key: string): boolean {
    return REFERENCE_KEY.test(key.replace(/[-_.]/g, "").toLowerCase());
}

/**
 * The dotted paths under `values` whose value is a credential written in clear: by its key's name,
 * or by what the value itself is (a private key, a token, a password in a URL or in config text)
 * under any key. References to credentials kept elsewhere pass: ${VAR} expansion (Loki, Tempo,
 * Mimir with -config.expand-env), Grafana's $__file{...}, $__env{...} and $__vault{...}, and
 * Kiali's secret:<secret>:<key>.
 */
function plaintextSecrets(value: unknown, path: string, key?: string): string[] {
    const v = unwrapProxy(value);
    // Unknown values are computed (a generated password) and secrets are Pulumi secrets: both are fine.
    if (isUnknown(v) || isSecretMarker(v) || v === null) return [];
    if (typeof v === "string") {
        const byKey = key !== undefined && SECRET_KEY.test(key) && !isReferenceKey(key) && v.trim() !== "" && !REFERENCE_VALUE.test(v.trim());
        if (byKey) return [path];
        const kind = credentialKind(v);
        return kind ? [`${path} (${kind})`] : [];
    }
    if (typeof v !== "object") return [];
    if (Array.isArray(v)) return v.flatMap((item, i) => plaintextSecrets(item, `${path}[${i}]`, key));
    const record = v as Record<string, unknown>;
    // `value` says nothing of its own: in the env-list idiom of charts (env, extraEnv, extraEnvVars:
    // [{ name: DB_PASSWORD, value: ... }]) the entry's name is its key, and in the env map idiom
    // ({ DB_PASSWORD: { value: ... } }) the key above it. An entry with valueFrom has no value to judge.
    const name = unwrapProxy(record.name);
    const valueKey = typeof name === "string" ? name : key;
    return Object.entries(record).flatMap(([childKey, child]) => plaintextSecrets(child, `${path}.${childKey}`, childKey === "value" ? valueKey : childKey));
}

export const helmNoPlaintextSecrets = defineResourcePolicy({
    name: "helm-no-plaintext-secrets",
    description: "Helm release values and ConfigMap data hold no password, token or key written in clear, found by the key's name (for an env entry { name, value }, its name) or by what the value is (private keys, cloud and SaaS tokens, JWTs, passwords in URLs or in embedded config text) under any key: such literals end up in the Pulumi state, the Helm release secret (or a ConfigMap anyone with read access sees) and every preview diff.",
    nist: ["IA-5"],
    anchors: [],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Put the credential in a Kubernetes Secret (from a Pulumi secret or a random.RandomPassword) and point the chart at it (existingSecret, secretKeyRef, $__file{...} or ${ENV} expansion), or pass a Pulumi secret so that it stays encrypted in state.",
    resourceTypes: [T.helmRelease, CONFIG_MAP],
    validate(resource, _context, report) {
        // A ConfigMap is stored and shown in clear by Kubernetes itself: a credential belongs in a Secret.
        const found = resource.type === CONFIG_MAP ? plaintextSecrets(resource.props.data, "data") : plaintextSecrets(resource.props.values, "values");
        if (found.length > 0) report(`credential-like values written in clear: ${found.join(", ")}`);
    },
});
