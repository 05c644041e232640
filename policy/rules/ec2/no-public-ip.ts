import { defineResourcePolicy, ResourceView } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readFlag, readList, readNonEmptyString, UNKNOWN } from "../../lib/values";

function problems(resource: ResourceView): string[] {
    const { props } = resource;
    switch (resource.type) {
        case T.launchTemplate: {
            const interfaces = readList(props.networkInterfaces);
            if (interfaces === undefined || interfaces === UNKNOWN) return [];
            return interfaces.flatMap((nic, i) =>
                readFlag(at(nic, "associatePublicIpAddress")) === true ? [`networkInterfaces[${i}].associatePublicIpAddress is "true"`] : []);
        }
        case T.instance: {
            const found = readFlag(props.associatePublicIpAddress) === true ? ["associatePublicIpAddress is true"] : [];
            // Without a subnet or interface of its own an instance lands in the default VPC, whose subnets hand out public addresses.
            const placed = readNonEmptyString(props.subnetId) !== undefined || readList(props.networkInterfaces) !== undefined;
            return placed ? found : [...found, "no subnetId: the instance launches in the account's default VPC, with a public address"];
        }
        default:
            return readFlag(props.mapPublicIpOnLaunch) === true ? ["mapPublicIpOnLaunch is true: every instance launched in the subnet gets a public address"] : [];
    }
}

export const noPublicIp = defineResourcePolicy({
    name: "no-public-ip",
    description: "Nodes, the bastion and every subnet get no public IP addresses, and no instance lands in the default VPC: they reach the internet through NAT and are reached through load balancers or SSM, never directly (NAT gateways and load balancers get their own addresses).",
    nist: ["SC-7"],
    anchors: ["SecurityHub:EC2.9", "SecurityHub:EC2.15", "SecurityHub:EC2.25", "SecurityHub:EC2.29", "cdk-nag:NIST.800.53.R5-EC2InstanceNoPublicIp", "cdk-nag:NIST.800.53.R5-EC2InstancesInVPC", "cdk-nag:NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Leave associatePublicIpAddress unset or false on launch template network interfaces and instances (use SSM Session Manager for the bastion), give every instance a subnetId in the platform's VPC, and set mapPublicIpOnLaunch false on every subnet (NAT gateways and load balancers get addresses of their own).",
    resourceTypes: [T.launchTemplate, T.instance, T.subnet],
    validate(resource, _context, report) {
        for (const problem of problems(resource)) report(problem);
    },
});
