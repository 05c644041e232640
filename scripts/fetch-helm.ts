/**
 * `npm run helm`: fetches and checks the pinned Helm into .cache/helm unless it is there already
 * (`npm test` does the same in its global setup, tests/support/helm.ts).
 */
import { HELM_VERSION, helmBinary } from "../lib/helm/binary";

console.log(`helm ${HELM_VERSION}: ${helmBinary()}`);
