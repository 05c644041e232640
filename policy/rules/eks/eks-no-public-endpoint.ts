import { coversInternet, describeInternet } from "../../lib/cidr";
import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readFlag, readList, readRecord, readString, UNKNOWN } from "../../lib/values";

export const eksNoPublicEndpoint = defineResourcePolicy({
    name: "eks-no-public-endpoint",
    description: "The EKS API endpoint is private in prod; where a public endpoint is allowed (dev), it is limited to named CIDRs and never blocks that together cover the whole internet (0.0.0.0/0, which AWS uses when publicAccessCidrs is left empty).",
    nist: ["SC-7"],
    anchors: [],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "In prod set cluster.endpointPublicAccess false (with endpointPrivateAccess true and the interface endpoints, reached over VPN or the bastion). In dev list your office or VPN egress range in cluster.publicAccessCidrs.",
    resourceTypes: [T.eksCluster],
    validate(resource, { environment }, report) {
        const vpcConfig = readRecord(resource.props.vpcConfig);
        if (vpcConfig === UNKNOWN) return;
        // EKS turns the public endpoint on unless told otherwise.
        const publicAccess = readFlag(at(vpcConfig, "endpointPublicAccess")) ?? true;
        if (environment === "prod" && publicAccess === true) {
            report("prod: vpcConfig.endpointPublicAccess must be false (EKS defaults it to true)");
        }
        const cidrs = readList(at(vpcConfig, "publicAccessCidrs"));
        if (cidrs === UNKNOWN) return;
        const given = (cidrs ?? []).map(readString).filter((c): c is string => typeof c === "string");
        // Blocks add up: two /1s open the endpoint as much as 0.0.0.0/0 does.
        if (coversInternet(given)) report(`vpcConfig.publicAccessCidrs opens the API endpoint to ${describeInternet(given)}`);
        else if (publicAccess === true && (cidrs ?? []).length === 0) {
            report("the public endpoint has no publicAccessCidrs, so AWS opens it to 0.0.0.0/0");
        }
    },
});
