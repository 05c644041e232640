import { coversInternet } from "../../lib/cidr";
import { defineStackPolicy, StackResource } from "../../lib/policy";
import { readExposure } from "../../lib/ports";
import { T } from "../../lib/resource-types";
import { checkAttachments, ofType, refersTo } from "../../lib/stack";
import { at, readFlag, readList, readNumber, readString, UNKNOWN } from "../../lib/values";

const NETWORK_ACL = "aws:ec2/networkAcl:NetworkAcl";
const DEFAULT_NETWORK_ACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl";
const NETWORK_ACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule";

/** Remote administration ports: SSH and RDP. */
const ADMIN_PORTS = [22, 3389];

interface Entry {
    readonly ruleNo: number;
    readonly allow: boolean;
    readonly internet: boolean;
    readonly exposure: ReturnType<typeof readExposure>;
}

/** An ingress entry as AWS evaluates it; undefined when a field it depends on is unknown. */
function entry(fields: unknown): Entry | undefined {
    const ruleNo = readNumber(at(fields, "ruleNo") ?? at(fields, "ruleNumber"));
    const action = readString(at(fields, "action") ?? at(fields, "ruleAction"));
    const blocks = [readString(at(fields, "cidrBlock")), readString(at(fields, "ipv6CidrBlock"))];
    if (typeof ruleNo !== "number" || typeof action !== "string" || blocks.includes(UNKNOWN)) return undefined;
    return {
        ruleNo,
        allow: action.toLowerCase() === "allow",
        internet: coversInternet(blocks.filter((b): b is string => typeof b === "string")),
        exposure: readExposure(at(fields, "protocol"), at(fields, "fromPort"), at(fields, "toPort")),
    };
}

/** The admin ports the ACL's ingress admits from the whole internet: the lowest-numbered entry matching decides. */
function openAdminPorts(acl: StackResource, rules: readonly StackResource[]): number[] {
    const inline = readList(acl.props.ingress);
    const standalone = rules.filter((r) => readFlag(r.props.egress) !== true && refersTo(r, "networkAclId", acl));
    const entries = [...(inline === UNKNOWN ? [] : inline ?? []), ...standalone.map((r) => r.props)].map(entry);
    const known = entries.filter((e): e is Entry => e !== undefined && e.internet).sort((a, b) => a.ruleNo - b.ruleNo);
    return ADMIN_PORTS.filter((port) => {
        const first = known.find((e) => e.exposure !== UNKNOWN && e.exposure !== undefined && e.exposure.from <= port && port <= e.exposure.to && (e.exposure.protocol === "tcp" || e.exposure.protocol === "all"));
        return first?.allow === true;
    });
}

export const networkAcls = defineStackPolicy({
    name: "network-acls",
    description: "Every VPC's default network ACL is managed with no rules (it denies everything to a subnet left on it, where AWS's default allows all), and no network ACL admits SSH or RDP from the whole internet.",
    nist: ["SC-7", "AC-17"],
    anchors: ["SecurityHub:EC2.21"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Manage the default ACL with aws.ec2.DefaultNetworkAcl (defaultNetworkAclId: vpc.defaultNetworkAclId) and no ingress or egress; associate the subnets with an aws.ec2.NetworkAcl whose lowest-numbered entries deny TCP 22 and 3389 from 0.0.0.0/0 (components/network).",
    validate(resources, _context, report) {
        checkAttachments(resources, {
            targetTypes: [T.vpc],
            subTypes: [DEFAULT_NETWORK_ACL],
            property: "defaultNetworkAclId",
            idProperties: ["defaultNetworkAclId"],
            what: "managed default network ACL (AWS's default allows all traffic in and out)",
            problems(acl) {
                return (["ingress", "egress"] as const).flatMap((direction) => {
                    const rules = readList(acl.props[direction]);
                    return rules !== undefined && rules !== UNKNOWN && rules.length > 0 ? [`the default network ACL has ${rules.length} ${direction} rule(s)`] : [];
                });
            },
        }, report);
        const rules = ofType(resources, NETWORK_ACL_RULE);
        for (const acl of ofType(resources, NETWORK_ACL, DEFAULT_NETWORK_ACL)) {
            const open = openAdminPorts(acl, rules);
            if (open.length > 0) report(`${acl.name} admits TCP ${open.join(" and ")} from the whole internet`, acl);
        }
    },
});
