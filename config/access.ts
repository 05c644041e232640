/**
 * How this run reaches the Kubernetes API: a property of the machine running Pulumi, not of the
 * stack, so it comes from the environment and never from a committed stack file (a tunnel URL
 * there would break the next run from inside the VPC).
 */
import { ConfigError } from "./load";

/** The environment variable that points the Kubernetes provider at a local SSM port-forward. */
export const API_SERVER_URL_VARIABLE = "PLATFORM_API_SERVER_URL";

export interface AccessPath {
    /** The API server URL to use instead of the cluster's endpoint (a tunnel such as https://127.0.0.1:8443). */
    readonly apiServerUrl?: string;
}

/** Reads the access path from the environment; throws a ConfigError naming the variable for a bad value. */
export function accessPathFromEnvironment(env: Record<string, string | undefined>): AccessPath {
    const value = env[API_SERVER_URL_VARIABLE];
    if (value === undefined || value === "") return {};
    let url: URL | undefined;
    try {
        url = new URL(value);
    } catch {
        url = undefined;
    }
    if (!url || url.protocol !== "https:" || url.pathname !== "/" || url.search || url.hash) {
        throw new ConfigError([`${API_SERVER_URL_VARIABLE} (environment): got ${JSON.stringify(value)}; allowed: an https URL with a host and an optional port, such as https://127.0.0.1:8443, or unset to use the cluster's endpoint`]);
    }
    return { apiServerUrl: `https://${url.host}` };
}
