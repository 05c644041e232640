import { expect } from "chai";
import type { PlannedResource } from "../../engine/types";
import { multiAzHa } from "../../policy/rules/ec2/multi-az-ha";
import { check, messages, planned, UNKNOWN } from "./helpers";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

function subnet(zone: string, tier = "private"): PlannedResource {
    return planned("aws:ec2/subnet:Subnet", `${tier}-${zone}`, { vpcId: "vpc-1", availabilityZone: zone, tags: { Tier: tier } }, { outputs: { id: `subnet-${tier}-${zone}` } });
}

function nat(zone: string): PlannedResource {
    return planned("aws:ec2/natGateway:NatGateway", `nat-${zone}`, { subnetId: `subnet-public-${zone}`, allocationId: "eipalloc-1" });
}

function nodeGroup(name: string, subnetIds: unknown, dependsOn: PlannedResource[] = []): PlannedResource {
    return planned("aws:eks/nodeGroup:NodeGroup", name, { clusterName: "c", nodeRoleArn: "arn", scalingConfig: { minSize: 3, maxSize: 6, desiredSize: 3 }, subnetIds }, { dependsOn });
}

describe("policy multi-az-ha", () => {
    const subnets = ZONES.map((z) => subnet(z));

    it("passes three zones, node groups over all three and a NAT gateway per zone", () => {
        const general = nodeGroup("general", subnets.map((s) => s.outputs.id));
        expect(check(multiAzHa, [...subnets, ...ZONES.map(nat), general], "prod")).to.deep.equal([]);
    });

    it("fails two zones, a node group in one zone and a single NAT gateway", () => {
        const twoZones = ZONES.slice(0, 2).map((z) => subnet(z));
        const single = nodeGroup("general", [twoZones[0].outputs.id]);
        const violations = check(multiAzHa, [...twoZones, nat(ZONES[0]), single], "prod");
        expect(violations.map((v) => [v.resourceName, v.message, v.enforcementLevel])).to.deep.equal([
            [undefined, "subnets span 2 availability zone(s) (us-east-1a, us-east-1b); prod needs 3", "advisory"],
            ["general", "node group general spans 1 zones; prod needs 3 zones", "advisory"],
            [undefined, "1 public NAT gateway(s) for 2 zones: a zone without its own loses egress when the NAT's zone fails", "advisory"],
        ]);
    });

    it("resolves a node group's zones through its dependencies when the subnet ids are unknown", () => {
        const spread = nodeGroup("spread", [UNKNOWN, UNKNOWN, UNKNOWN], subnets);
        const narrow = nodeGroup("narrow", [UNKNOWN, UNKNOWN], [subnets[0], subnet(ZONES[0], "pods")]);
        const all = [...subnets, subnet(ZONES[0], "pods"), ...ZONES.map(nat), spread, narrow];
        expect(messages(check(multiAzHa, all, "prod"))).to.deep.equal(["node group narrow spans 1 zones; prod needs 3 zones"]);
    });

    it("counts distinct subnets when zones cannot be resolved, and skips ids that are all unknown", () => {
        const twoSubnets = nodeGroup("two", ["subnet-x", "subnet-y", "subnet-x"]);
        const unknownIds = nodeGroup("unknown", UNKNOWN);
        expect(messages(check(multiAzHa, [...subnets, ...ZONES.map(nat), twoSubnets, unknownIds], "prod"))).to.deep.equal([
            "node group two spans 2 subnets; prod needs 3 zones",
        ]);
    });

    it("counts one-zone node groups of one cluster and instance types together, and only those", () => {
        const zonal = (zone: string, types: string[]) => planned("aws:eks/nodeGroup:NodeGroup", `general-${zone}`, {
            clusterName: "c", nodeRoleArn: "arn", instanceTypes: types, scalingConfig: { minSize: 1, maxSize: 4, desiredSize: 1 }, subnetIds: [`subnet-private-${zone}`],
        });
        const nats = ZONES.map(nat);
        expect(check(multiAzHa, [...subnets, ...nats, ...ZONES.map((z) => zonal(z, ["m5.large"]))], "prod")).to.deep.equal([]);
        // Two zones of one shape and a third of another are not one zonal set.
        const mixed = [zonal(ZONES[0], ["m5.large"]), zonal(ZONES[1], ["m5.large"]), zonal(ZONES[2], ["c5.large"])];
        expect(messages(check(multiAzHa, [...subnets, ...nats, ...mixed], "prod"))).to.deep.equal(ZONES.map((z) => `node group general-${z} spans 1 zones; prod needs 3 zones`));
    });

    it("accepts one regional NAT gateway, and does not judge dev", () => {
        const regional = planned("aws:ec2/natGateway:NatGateway", "regional", { vpcId: "vpc-1", availabilityMode: "regional" });
        expect(check(multiAzHa, [...subnets, regional], "prod")).to.deep.equal([]);
        expect(check(multiAzHa, [subnet(ZONES[0]), nodeGroup("g", ["subnet-private-us-east-1a"])], "dev")).to.deep.equal([]);
    });
});
