import { defineStackPolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { ofType, refersTo } from "../../lib/stack";
import { readList, UNKNOWN } from "../../lib/values";

export const defaultSgClosed = defineStackPolicy({
    name: "default-sg-closed",
    description: "Every VPC's default security group is managed with no ingress and no egress rules, so that nothing placed in it by mistake can talk to anything (AWS's default one allows all traffic among its members and out).",
    nist: ["SC-7"],
    anchors: ["SecurityHub:EC2.2", "cdk-nag:NIST.800.53.R5-VPCDefaultSecurityGroupClosed"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Manage each VPC's default security group with aws.ec2.DefaultSecurityGroup (vpcId: the VPC) and no ingress or egress arguments (the provider then removes AWS's allow-all rules); put workloads in purpose-made security groups.",
    validate(resources, _context, report) {
        const groups = ofType(resources, T.defaultSecurityGroup);
        for (const vpc of ofType(resources, T.vpc)) {
            if (!groups.some((group) => refersTo(group, "vpcId", vpc))) report(`${vpc.name} leaves its default security group unmanaged, with AWS's allow-all rules`, vpc);
        }
        for (const group of groups) {
            for (const direction of ["ingress", "egress"] as const) {
                const rules = readList(group.props[direction]);
                if (rules !== undefined && rules !== UNKNOWN && rules.length > 0) report(`the default security group has ${rules.length} ${direction} rule(s)`, group);
            }
        }
    },
});
