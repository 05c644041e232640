/**
 * The in-cluster addresses the stack's own configuration names (Grafana datasources, Prometheus
 * remote write, the Kafka bootstrap of Mimir and Tempo, the mesh's tracing provider, Kiali's
 * backends, ...) and the Service each resolves to: one a release renders, or one an operator
 * creates from a declared custom resource. An address nothing serves is a wiring bug that every
 * other check misses: the pods start, and the data goes nowhere. The graph itself is lib/wiring.ts;
 * this reads it from an engine run's resources.
 */
import { PlannedResource } from "../engine/types";
import { stackWiring } from "../components/helm/workloads";
import { Address } from "../lib/wiring";

/** Every in-cluster address in release values and custom resource specs, with what it resolves to. */
export function wiring(resources: readonly PlannedResource[]): Address[] {
    return stackWiring(resources);
}
