/**
 * `npm run helm` (and before `npm test`): fetches and checks the pinned Helm into .cache/helm unless
 * it is there already, so that the first test that renders does not spend its time downloading.
 */
import { HELM_VERSION, helmBinary } from "../lib/helm/binary";

console.log(`helm ${HELM_VERSION}: ${helmBinary()}`);
