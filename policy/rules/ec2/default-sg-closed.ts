import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { readList, UNKNOWN } from "../../lib/values";

export const defaultSgClosed = defineResourcePolicy({
    name: "default-sg-closed",
    description: "The VPC's default security group is managed with no ingress and no egress rules, so that nothing placed in it by mistake can talk to anything.",
    nist: ["SC-7"],
    anchors: [],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Manage the default security group with aws.ec2.DefaultSecurityGroup and no ingress or egress arguments (the provider then removes AWS's allow-all rules); put workloads in purpose-made security groups.",
    resourceTypes: [T.defaultSecurityGroup],
    validate(resource, _context, report) {
        for (const direction of ["ingress", "egress"] as const) {
            const rules = readList(resource.props[direction]);
            if (rules !== undefined && rules !== UNKNOWN && rules.length > 0) report(`the default security group has ${rules.length} ${direction} rule(s)`);
        }
    },
});
