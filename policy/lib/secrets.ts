/**
 * Credentials recognised by what a value is, whatever key holds it: private keys, cloud and SaaS
 * tokens in their published formats, JWTs, passwords inside URLs, and credential assignments in
 * configuration text (a YAML, INI or env file passed as one string value).
 */

/**
 * A reference to a credential kept elsewhere: ${VAR}, $VAR, $__file{...}, $__env{...}, $__vault{...},
 * and Kiali's secret:<secret>:<key>, which its chart mounts from the named Secret.
 */
export const REFERENCE_VALUE = /^(\$(\{[^}]+\}|__(file|env|vault)\{[^}]*\}|[A-Z_][A-Z0-9_]*)|secret:[a-z0-9][a-z0-9.-]*:[A-Za-z0-9._-]+)$/;

interface Detector {
    readonly kind: string;
    readonly pattern: RegExp;
    /** The part of the match that must not be a reference or a placeholder, when there is one. */
    readonly group?: number;
}

const DETECTORS: readonly Detector[] = [
    { kind: "a private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
    { kind: "an AWS access key id", pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z0-9])/ },
    { kind: "a GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
    { kind: "a GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
    { kind: "a Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
    { kind: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
    { kind: "a Stripe secret key", pattern: /\b[rs]k_live_[0-9A-Za-z]{16,}\b/ },
    { kind: "a JSON web token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
    { kind: "a password in a URL", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/i, group: 1 },
    {
        // An env list written as YAML text (extraEnvVars: |): a secret-named entry with a literal value.
        kind: "a credential in an env list",
        pattern: /^[ \t]*-?[ \t]*name:[ \t]*["']?[\w.-]*(?:password|passwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key)[\w.-]*["']?[ \t]*\n[ \t]*value:[ \t]*["']?([^\s"'#]+)["']?[ \t]*$/im,
        group: 1,
    },
    {
        kind: "a credential in configuration text",
        pattern: /^[ \t]*["']?[\w.-]*(?:password|passwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key)["']?[ \t]*[:=][ \t]*["']?([^\s"'#]+)["']?[ \t]*$/im,
        group: 1,
    },
];

/** Values that stand for nothing (empty markers and common placeholders). */
const PLACEHOLDER = /^(?:|null|none|~|true|false|changeme|<[^>]*>|\*+|x+)$/i;

/** What kind of credential `value` is or contains; undefined when none is recognised. */
export function credentialKind(value: string): string | undefined {
    // A value that as a whole points elsewhere (Kiali's secret:<name>:<key> reads like "secret: x").
    if (REFERENCE_VALUE.test(value.trim())) return undefined;
    for (const { kind, pattern, group } of DETECTORS) {
        const match = pattern.exec(value);
        if (!match) continue;
        if (group !== undefined) {
            const part = match[group] ?? "";
            if (REFERENCE_VALUE.test(part) || /^\$\{/.test(part) || /^\$__/.test(part) || PLACEHOLDER.test(part)) continue;
            // A key (or an env entry's name) that names a file, a secret or an env var holds no credential itself.
            const key = kind === "a credential in an env list" ? /name:[ \t]*["']?([\w.-]+)/.exec(match[0])![1] : kind === "a credential in configuration text" ? match[0].split(/[:=]/)[0] : undefined;
            if (key !== undefined && /(file|path|name|ref|key_?id|secret_?name|existing)\b/i.test(key)) continue;
        }
        return kind;
    }
    return undefined;
}
