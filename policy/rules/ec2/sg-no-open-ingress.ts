import { isWholeInternet } from "../../lib/cidr";
import { defineResourcePolicy, ResourceView } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readList, readNumber, readString, UNKNOWN } from "../../lib/values";

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

function ingressesOf(resource: ResourceView): Ingress[] {
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
            return [{ where: "rule", protocol: props.ipProtocol, fromPort: props.fromPort, toPort: props.toPort, cidrs: cidrsOf(props.cidrIpv4, props.cidrIpv6) }];
        default:
            // aws.ec2.SecurityGroupRule holds egress rules too.
            if (readString(props.type) !== "ingress") return [];
            return [{ where: "rule", protocol: props.protocol, fromPort: props.fromPort, toPort: props.toPort, cidrs: cidrsOf(props.cidrBlocks, props.ipv6CidrBlocks) }];
    }
}

/** Open to the internet but only on allow-listed TCP ports (load balancer listeners). */
function onlyAllowedPorts(ingress: Ingress, allowed: ReadonlySet<number>): boolean | undefined {
    const protocol = readString(ingress.protocol);
    const from = readNumber(ingress.fromPort);
    const to = readNumber(ingress.toPort);
    if (protocol === UNKNOWN || from === UNKNOWN || to === UNKNOWN) return undefined;
    if (!(protocol === "tcp" || protocol === "6") || from === undefined || to === undefined || to < from) return false;
    if (to - from + 1 > allowed.size) return false;
    for (let port = from; port <= to; port++) if (!allowed.has(port)) return false;
    return true;
}

function portText(ingress: Ingress): string {
    const protocol = readString(ingress.protocol);
    if (protocol === "-1" || protocol === "all") return "all ports";
    const from = readNumber(ingress.fromPort);
    const to = readNumber(ingress.toPort);
    const ports = from === to ? String(from) : `${String(from)}-${String(to)}`;
    return `${typeof protocol === "string" ? protocol : "?"} ${ports}`;
}

export const sgNoOpenIngress = defineResourcePolicy<Config>({
    name: "sg-no-open-ingress",
    description: "No security group lets 0.0.0.0/0 or ::/0 in, except on the allow-listed TCP ports of internet-facing load balancers.",
    nist: ["SC-7"],
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
    resourceTypes: [T.securityGroup, T.securityGroupIngressRule, T.securityGroupRule],
    validate(resource, { config }, report) {
        const allowed = new Set(config.allowedPublicPorts);
        for (const ingress of ingressesOf(resource)) {
            const open = ingress.cidrs.map(readString).filter((c): c is string => typeof c === "string" && isWholeInternet(c));
            if (open.length === 0 || onlyAllowedPorts(ingress, allowed) !== false) continue;
            report(`${ingress.where}: ${open.join(", ")} may reach ${portText(ingress)}; only TCP ${[...allowed].join(", ")} may be public`);
        }
    },
});
