import { Environment } from "../../lib/environment";
import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { readStringOrList, UNKNOWN } from "../../lib/values";

/**
 * api, audit and authenticator record who did what to the cluster; prod also keeps the controller
 * manager and scheduler logs for diagnosing incidents.
 */
const REQUIRED_LOG_TYPES: Record<Environment, readonly string[]> = {
    dev: ["api", "audit", "authenticator"],
    prod: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
};

export const eksControlPlaneLogging = defineResourcePolicy({
    name: "eks-control-plane-logging",
    description: "The EKS control plane sends its api, audit and authenticator logs to CloudWatch (prod: all five log types), the record of every change to the cluster and who made it.",
    nist: ["AU-2", "AU-12"],
    anchors: [],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "List the log types in cluster.controlPlaneLogTypes (enabledClusterLogTypes): api, audit, authenticator, and in prod controllerManager and scheduler too.",
    resourceTypes: [T.eksCluster],
    validate(resource, { environment }, report) {
        const enabled = readStringOrList(resource.props.enabledClusterLogTypes);
        if (enabled === UNKNOWN) return;
        const missing = REQUIRED_LOG_TYPES[environment].filter((type) => !(enabled ?? []).includes(type));
        // An unknown entry may be any of the missing types.
        if (missing.length > 0 && !(enabled ?? []).includes(UNKNOWN)) {
            report(`${environment}: enabledClusterLogTypes lacks ${missing.join(", ")}`);
        }
    },
});
