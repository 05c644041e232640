/**
 * The CloudWatch log groups that hold the platform's telemetry in the observability modes that ship it to AWS: what
 * Fluent Bit and Container Insights write (AWS names them /aws/containerinsights/<cluster>/...), and AMP's own logs
 * (/aws/vendedlogs/prometheus/...). They replace Loki, so they answer to its retention (90 days in prod), not to the
 * year that audit logs (flow, control plane, sessions, database) keep.
 */
export const TELEMETRY_LOG_GROUP_PREFIXES = ["/aws/containerinsights/", "/aws/vendedlogs/prometheus/"] as const;

export const isTelemetryLogGroup = (name: string): boolean => TELEMETRY_LOG_GROUP_PREFIXES.some((prefix) => name.startsWith(prefix));

/** The group of a cluster's container logs, which Fluent Bit fills (the logs Loki keeps in self-managed). */
export const isContainerLogGroup = (name: string): boolean => /^\/aws\/containerinsights\/[^/]+\/application$/.test(name);
