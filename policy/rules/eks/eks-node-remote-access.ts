import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readList, readNonEmptyString, readRecord, UNKNOWN } from "../../lib/values";

export const eksNodeRemoteAccess = defineResourcePolicy({
    name: "eks-node-remote-access",
    description: "EKS managed node groups take no SSH remote access: with remoteAccess EKS installs a key pair on every node, and without sourceSecurityGroupIds it opens port 22 to the whole internet. Nodes are reached through SSM Session Manager instead.",
    nist: ["AC-17", "SC-7"],
    anchors: [],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove remoteAccess from the node group and reach nodes with SSM Session Manager (the node role has AmazonSSMManagedInstanceCore) or the bastion. If SSH is unavoidable, put the key in a launch template and allow port 22 from one named security group only.",
    resourceTypes: [T.eksNodeGroup],
    validate(resource, _context, report) {
        const remote = readRecord(resource.props.remoteAccess);
        if (remote === undefined || remote === UNKNOWN) return;
        const key = readNonEmptyString(at(remote, "ec2SshKey"));
        const sources = readList(at(remote, "sourceSecurityGroupIds"));
        if (sources !== UNKNOWN && (sources === undefined || sources.length === 0)) {
            report(`remoteAccess${typeof key === "string" ? ` with key ${key}` : ""} has no sourceSecurityGroupIds, so EKS opens SSH (port 22) on every node to 0.0.0.0/0`);
        } else if (key !== undefined) {
            report("remoteAccess installs an SSH key pair on every node: use SSM Session Manager instead");
        }
    },
});
