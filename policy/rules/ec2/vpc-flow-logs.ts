import { defineStackPolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { checkAttachments } from "../../lib/stack";
import { readString, UNKNOWN } from "../../lib/values";

export const vpcFlowLogs = defineStackPolicy({
    name: "vpc-flow-logs",
    description: "Every VPC has a flow log capturing ALL traffic (accepted and rejected), the network record incident response and monitoring start from.",
    nist: ["AU-2", "SI-4"],
    anchors: ["SecurityHub:EC2.6", "cdk-nag:NIST.800.53.R5-VPCFlowLogsEnabled"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Add an aws.ec2.FlowLog with vpcId set to the VPC, trafficType \"ALL\", and a KMS-encrypted CloudWatch log group (or S3 bucket) as destination.",
    validate(resources, _context, report) {
        checkAttachments(resources, {
            targetTypes: [T.vpc],
            subTypes: [T.flowLog],
            property: "vpcId",
            idProperties: [],
            what: "flow log",
            // One log of ALL traffic is the record; another, narrower one beside it takes nothing away.
            sufficient: "any",
            problems(flowLog) {
                const traffic = readString(flowLog.props.trafficType);
                return traffic === UNKNOWN || traffic === "ALL" ? [] : [`the flow log captures ${traffic ?? "unset"} traffic, not ALL`];
            },
        }, report);
    },
});
