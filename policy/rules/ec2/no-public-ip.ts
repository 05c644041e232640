import { defineResourcePolicy, ResourceView } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readFlag, readList, UNKNOWN } from "../../lib/values";

/** Tier tag values that mark a subnet private (config/network: private for nodes, pods for pods). */
const PRIVATE_TIERS = ["private", "pods", "pod"];
/** A word private/pod(s) in a Name tag or resource name, between separators. */
const PRIVATE_NAME = /(^|[^a-z0-9])(private|pods?)([^a-z0-9]|$)/i;

/**
 * A subnet meant to be private: tagged for internal load balancers, or with a Tier tag of private
 * or pods, or so named. Both tags are checked because either alone may be missing on a hand-made
 * subnet.
 */
function isPrivateSubnet(subnet: ResourceView): boolean {
    const { tags } = subnet.tags;
    if ("kubernetes.io/role/internal-elb" in tags) return true;
    const tier = tags.Tier;
    if (typeof tier === "string" && PRIVATE_TIERS.includes(tier.toLowerCase())) return true;
    const name = tags.Name;
    return PRIVATE_NAME.test(typeof name === "string" ? name : subnet.name);
}

function problems(resource: ResourceView): string[] {
    const { props } = resource;
    switch (resource.type) {
        case T.launchTemplate: {
            const interfaces = readList(props.networkInterfaces);
            if (interfaces === undefined || interfaces === UNKNOWN) return [];
            return interfaces.flatMap((nic, i) =>
                readFlag(at(nic, "associatePublicIpAddress")) === true ? [`networkInterfaces[${i}].associatePublicIpAddress is "true"`] : []);
        }
        case T.instance:
            return readFlag(props.associatePublicIpAddress) === true ? ["associatePublicIpAddress is true"] : [];
        default:
            return isPrivateSubnet(resource) && readFlag(props.mapPublicIpOnLaunch) === true
                ? ["a private subnet with mapPublicIpOnLaunch true hands its instances public addresses"]
                : [];
    }
}

export const noPublicIp = defineResourcePolicy({
    name: "no-public-ip",
    description: "Nodes, the bastion and private subnets get no public IP addresses: they reach the internet through NAT and are reached through load balancers or SSM, never directly.",
    nist: ["SC-7"],
    anchors: ["SecurityHub:EC2.25", "cdk-nag:NIST.800.53.R5-EC2InstanceNoPublicIp"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Leave associatePublicIpAddress unset or false on launch template network interfaces and instances (use SSM Session Manager for the bastion), and set mapPublicIpOnLaunch false on private and pod subnets.",
    resourceTypes: [T.launchTemplate, T.instance, T.subnet],
    validate(resource, _context, report) {
        for (const problem of problems(resource)) report(problem);
    },
});
