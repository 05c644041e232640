import { coversInternet, describeInternet, publicBlocks } from "../../lib/cidr";
import { defineStackPolicy, StackResource } from "../../lib/policy";
import { describeExposure, Exposure, onlyTcpPorts, readExposure } from "../../lib/ports";
import { T } from "../../lib/resource-types";
import { ofType, refersTo } from "../../lib/stack";
import { at, readList, readString, UNKNOWN } from "../../lib/values";

interface Config {
    readonly allowedPublicPorts: readonly number[];
}

/** One ingress permission, whichever resource type declared it. */
interface Ingress {
    readonly where: string;
    readonly protocol: unknown;
    readonly fromPort: unknown;
    readonly toPort: unknown;
    readonly cidrs: readonly unknown[];
}

/** The CIDRs of a field that may hold one CIDR (the vpc rule types) or a list (the ec2 ones). */
function cidrsOf(...fields: unknown[]): unknown[] {
    return fields.flatMap((field) => {
        const list = readList(field);
        if (list === UNKNOWN) return [];
        return list ?? (field === undefined ? [] : [field]);
    });
}

function ingressesOf(resource: StackResource): Ingress[] {
    const { props } = resource;
    switch (resource.type) {
        case T.securityGroup: {
            const rules = readList(props.ingress);
            if (rules === undefined || rules === UNKNOWN) return [];
            return rules.map((rule, i) => ({
                where: `ingress[${i}]`,
                protocol: at(rule, "protocol"),
                fromPort: at(rule, "fromPort"),
                toPort: at(rule, "toPort"),
                cidrs: cidrsOf(at(rule, "cidrBlocks"), at(rule, "ipv6CidrBlocks")),
            }));
        }
        case T.securityGroupIngressRule:
            return [{ where: resource.name, protocol: props.ipProtocol, fromPort: props.fromPort, toPort: props.toPort, cidrs: cidrsOf(props.cidrIpv4, props.cidrIpv6) }];
        default:
            // aws.ec2.SecurityGroupRule holds egress rules too.
            if (readString(props.type) !== "ingress") return [];
            return [{ where: resource.name, protocol: props.protocol, fromPort: props.fromPort, toPort: props.toPort, cidrs: cidrsOf(props.cidrBlocks, props.ipv6CidrBlocks) }];
    }
}

/** An ingress whose protocol, ports and sources are all known. */
interface KnownIngress {
    readonly where: string;
    readonly exposure: Exposure;
    readonly cidrs: readonly string[];
}

function known(ingress: Ingress): KnownIngress | undefined {
    const exposure = readExposure(ingress.protocol, ingress.fromPort, ingress.toPort);
    if (exposure === UNKNOWN || exposure === undefined) return undefined;
    // An unknown source may add to the union; what the known ones cover is open regardless.
    const cidrs = ingress.cidrs.map(readString).filter((c): c is string => typeof c === "string");
    return { where: ingress.where, exposure, cidrs };
}

/**
 * The stretches of each protocol's ports that the ingress rules, taken together, open to the whole
 * internet: rules for the same ports add up their sources, so 0.0.0.0/1 on one rule and
 * 128.0.0.0/1 on another open the port as much as 0.0.0.0/0 does.
 */
export function openToInternet(ingresses: readonly KnownIngress[]): { exposure: Exposure; where: string[]; blocks: string[] }[] {
    const open: { exposure: Exposure; where: string[]; blocks: string[] }[] = [];
    const everything = ingresses.filter((i) => i.exposure.protocol === "all");
    if (coversInternet(everything.flatMap((i) => i.cidrs))) {
        const culprits = everything.filter((i) => publicBlocks(i.cidrs).length > 0);
        return [{ exposure: { protocol: "all", from: 0, to: 65535 }, where: culprits.map((i) => i.where), blocks: [...new Set(culprits.flatMap((i) => publicBlocks(i.cidrs)))] }];
    }
    const protocols = new Set(ingresses.map((i) => i.exposure.protocol).filter((p) => p !== "all"));
    for (const protocol of protocols) {
        const relevant = ingresses.filter((i) => i.exposure.protocol === protocol || i.exposure.protocol === "all");
        const bounds = [...new Set(relevant.flatMap((i) => [i.exposure.from, i.exposure.to + 1]))].sort((a, b) => a - b);
        for (let k = 0; k + 1 < bounds.length; k++) {
            const [from, to] = [bounds[k], bounds[k + 1] - 1];
            const covering = relevant.filter((i) => (i.exposure.protocol === "all" || (i.exposure.from <= from && i.exposure.to >= to)));
            if (covering.length === 0 || !coversInternet(covering.flatMap((i) => i.cidrs))) continue;
            const culprits = covering.filter((i) => publicBlocks(i.cidrs).length > 0);
            const where = culprits.map((i) => i.where);
            const blocks = [...new Set(culprits.flatMap((i) => publicBlocks(i.cidrs)))];
            const last = open[open.length - 1];
            // Adjacent stretches opened by the same rules read as one range.
            if (last && last.exposure.protocol === protocol && last.exposure.to + 1 === from && last.where.join() === where.join()) {
                open[open.length - 1] = { ...last, exposure: { ...last.exposure, to } };
            } else {
                open.push({ exposure: { protocol, from, to }, where, blocks });
            }
        }
    }
    return open;
}

/** Standalone rule types, which name their security group in `securityGroupId`. */
const RULE_TYPES = [T.securityGroupIngressRule, T.securityGroupRule];

/**
 * The ingress of each security group, wherever it is declared: the group's own `ingress` list and
 * every standalone rule attached to it (by id, else by the resources feeding `securityGroupId`,
 * else by dependency). A rule whose group is not in the stack, or cannot be told, stands alone.
 */
function groupsOf(resources: readonly StackResource[]): StackResource[][] {
    const groups = ofType(resources, T.securityGroup).map((sg) => [sg]);
    const alone: StackResource[][] = [];
    for (const rule of ofType(resources, ...RULE_TYPES)) {
        const owners = groups.filter(([sg]) => refersTo(rule, "securityGroupId", sg));
        if (owners.length === 1) owners[0].push(rule);
        else alone.push([rule]);
    }
    return [...groups, ...alone];
}

export const sgNoOpenIngress = defineStackPolicy<Config>({
    name: "sg-no-open-ingress",
    description: "No security group lets the whole internet in (any set of IPv4 or IPv6 blocks that together cover every public address, 0.0.0.0/0 and ::/0 being the plainest, across the group's own ingress list and every standalone rule attached to it), except on the allow-listed TCP ports of internet-facing load balancers.",
    nist: ["SC-7"],
    anchors: ["SecurityHub:EC2.13", "SecurityHub:EC2.18", "SecurityHub:EC2.19", "cdk-nag:NIST.800.53.R5-EC2RestrictedSSH", "cdk-nag:NIST.800.53.R5-EC2RestrictedCommonPorts"],
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Narrow the source to the VPC, a peer security group, or your office/VPN range; reach nodes and the bastion through SSM. Public traffic should enter only through a load balancer on a port listed in allowedPublicPorts.",
    config: {
        allowedPublicPorts: {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            default: [80, 443],
            description: "TCP ports that may be open to the internet (load balancer listeners)",
        },
    },
    validate(resources, { config }, report) {
        const allowed = new Set(config.allowedPublicPorts);
        for (const group of groupsOf(resources)) {
            const owner = new Map<string, StackResource>();
            const ingresses = group.flatMap((resource) => ingressesOf(resource).map(known).filter((i): i is KnownIngress => i !== undefined).map((i) => {
                owner.set(i.where, resource);
                return i;
            }));
            for (const { exposure, where, blocks } of openToInternet(ingresses)) {
                if (onlyTcpPorts(exposure, allowed)) continue;
                // On the one resource that opens it, else on the group the rules add up in.
                const culprits = new Set(where.map((w) => owner.get(w)));
                const subject = culprits.size === 1 ? [...culprits][0] : group[0];
                report(`${where.join(" + ")}: ${describeInternet(blocks)} may reach ${describeExposure(exposure)}; only TCP ${[...allowed].join(", ")} may be public`, subject);
            }
        }
    },
});
