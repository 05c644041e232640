/**
 * Mocha's global setup: the pinned Helm is fetched (or found in .cache/helm) once, in the test
 * process, before any test runs, so that the first test that renders does not spend its timeout
 * downloading it and `npm test` needs no separate process for it.
 */
import { helmBinary } from "../../lib/helm/binary";

export function mochaGlobalSetup(): void {
    helmBinary();
}
