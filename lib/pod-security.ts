/**
 * Pod Security Admission's levels, which the platform's namespaces enforce. What each level forbids
 * is judged by the policy pack (policy/lib/pod-security-standards.ts, one function per upstream check).
 */

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";
