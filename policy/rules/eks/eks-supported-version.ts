import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { readString } from "../../lib/values";

interface Config {
    readonly minimumKubernetesVersion: string;
}

/** "1.35" as [1, 35]; undefined for anything else. */
function parseVersion(text: string): [number, number] | undefined {
    const match = /^(\d+)\.(\d+)$/.exec(text.trim());
    return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export const eksSupportedVersion = defineResourcePolicy<Config>({
    name: "eks-supported-version",
    description: "The EKS cluster runs a Kubernetes version at or above the configured minimum, the oldest still in EKS standard support, so that it keeps receiving security patches.",
    nist: ["SI-2"],
    anchors: ["SecurityHub:EKS.2"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Upgrade cluster.kubernetesVersion one minor version at a time (with matching add-on versions) until it reaches the minimum; raise minimumKubernetesVersion in the policy config as EKS ends standard support for old versions.",
    config: {
        minimumKubernetesVersion: {
            type: "string",
            pattern: "^\\d+\\.\\d+$",
            default: "1.34",
            description: "The oldest Kubernetes minor version in EKS standard support, e.g. 1.34",
        },
    },
    resourceTypes: [T.eksCluster],
    validate(resource, { config }, report) {
        const version = readString(resource.props.version);
        // Unset, EKS picks its current default version, which is always supported.
        if (typeof version !== "string") return;
        const actual = parseVersion(version);
        const minimum = parseVersion(config.minimumKubernetesVersion);
        if (!actual || !minimum) {
            report(`cannot compare version ${version} with the minimum ${config.minimumKubernetesVersion}: both must look like 1.34`);
        } else if (actual[0] < minimum[0] || (actual[0] === minimum[0] && actual[1] < minimum[1])) {
            report(`Kubernetes ${version} is older than the supported minimum ${config.minimumKubernetesVersion}`);
        }
    },
});
