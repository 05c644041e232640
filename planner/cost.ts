/**
 * The monthly cost estimate: one line per priced item, each computed from the resources the stack
 * declares and the dated unit prices of its region (pricing.ts), with the usage assumptions
 * (config costAssumptions) printed beside the lines they drive. No figure is typed per stack.
 */
import { compareMinor, CostAssumptions, MINIMUM_KUBERNETES_VERSION } from "../config/schema";
import { PlannedResource } from "../engine/types";
import { Workload } from "../lib/workloads";
import { baselineMillicores, burstableFacts, CpuCreditMode, creditMode } from "../lib/burstable";
import { parseRecurrence, weeklyRunningHours, WEEKDAYS } from "../lib/schedule";
import { formatPrice, formatQuantity, formatUsd, plural, toCents } from "./format";
import { instanceHourlyPrice, PriceTable } from "./pricing";
import { findInstanceType } from "../lib/instance-types";
import { countPods, sum } from "./pods";
import { managedObservabilityLines } from "./managed-cost";
import { BUCKET_TYPES, distinct, nodeGroups, NodeGroupView, ofType, TYPES } from "./resources";
import { volumeClaims } from "./volumes";
import { CostLine, LineSpec, priceLine as line } from "./cost-line";

export type { CostCategory, CostLine, Factor } from "./cost-line";

export interface CostEstimate {
    readonly currency: string;
    readonly region: string;
    readonly pricesAsOf: string;
    /** The EC2 on-demand prices' own date (they come with the instance facts). */
    readonly ec2PricesAsOf: string;
    readonly hoursPerMonth: number;
    readonly lines: readonly CostLine[];
    /** The sum of the lines' monthly figures, to the cent. */
    readonly total: number;
}

/** What the estimate reads: the declared resources and the stack's usage assumptions. */
export interface CostInput {
    readonly resources: readonly PlannedResource[];
    readonly assumptions: CostAssumptions;
    /** What the stack runs, when the caller has it already (see planRun); else rendered from the resources' values. */
    readonly workloads?: readonly Workload[];
    /** The CPU the pods request at the node groups' desired sizes (the capacity plan's), in millicores. */
    readonly cpuRequestedMillicores: number;
}

/** Whether a Kubernetes version is past standard support: older than the schema's minimum. */
export function isExtendedSupport(version: string): boolean {
    return compareMinor(version, MINIMUM_KUBERNETES_VERSION) < 0;
}

/** EKS control plane per cluster: standard support, or extended (six times more) below the minimum version. */
function controlPlaneLines(input: CostInput, table: PriceTable): CostLine[] {
    const clusters = ofType(input.resources, TYPES.eksCluster);
    return clusters.map((cluster, i) => {
        const version = String(cluster.inputs.version);
        const extended = isExtendedSupport(version);
        // Cluster names differ per stack; the position pairs the lines of a comparison.
        const suffix = clusters.length > 1 ? ` ${i + 1}` : "";
        return line({
            id: `eks-control-plane${suffix}`,
            category: "control plane",
            item: `EKS control plane${suffix}`,
            detail: `${cluster.inputs.name ?? cluster.name}, Kubernetes ${version}, ${extended ? "extended" : "standard"} support`,
            factors: [{ value: 1, unit: "cluster" }, { value: table.hoursPerMonth, unit: "h" }],
            unitPrice: extended ? table.eks.extendedSupportPerHour : table.eks.standardSupportPerHour,
            priceUnit: "h",
            ...(extended ? { note: `versions below ${MINIMUM_KUBERNETES_VERSION} are in extended support` } : {}),
        });
    });
}

/** Hours in a week, which the billing month (730 h) holds 730 / 168 times. */
const HOURS_PER_WEEK = 168;

/** The working hours a group's scheduled actions declare. */
export interface WorkingHours {
    readonly hoursPerWeek: number;
    /** "60 h a week: MON,TUE,WED,THU,FRI 08:00-20:00 America/New_York". */
    readonly description: string;
}

const clock = (minuteOfDay: number) => `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;

/**
 * A group's working hours from its scheduled actions, undefined when it has none (it runs all
 * month): the action that allows nodes (a maximum above zero) starts them, the one that caps the
 * group at zero stops them. Throws for actions it cannot read as working hours, rather than pricing a month
 * the nodes might not run.
 */
export function workingHours(group: NodeGroupView): WorkingHours | undefined {
    if (group.schedules.length === 0) return undefined;
    // The stop action caps the group at zero; the start action restores a maximum above it (its
    // desired capacity may be 0 too, for a group that waits for the autoscaler).
    const start = group.schedules.find((s) => Number(s.inputs.maxSize) > 0);
    const stop = group.schedules.find((s) => Number(s.inputs.maxSize) === 0);
    const startAt = start && parseRecurrence(String(start.inputs.recurrence));
    const stopAt = stop && parseRecurrence(String(stop.inputs.recurrence));
    const weekly = startAt && stopAt ? weeklyRunningHours(startAt, stopAt) : undefined;
    if (!startAt || !stopAt || weekly === undefined) {
        throw new Error(`Node group ${group.name}: its scheduled actions (${group.schedules.map((s) => `${s.name} "${s.inputs.recurrence}"`).join(", ")}) are not a daily start and stop on the same days; the estimate cannot tell its running hours`);
    }
    const days = startAt.days.map((d) => WEEKDAYS[d]).join(",");
    return {
        hoursPerWeek: weekly,
        description: `${formatQuantity(weekly)} h a week: ${days} ${clock(startAt.minuteOfDay)}-${clock(stopAt.minuteOfDay)} ${start!.inputs.timeZone ?? "UTC"}`,
    };
}

/** The hourly price a group pays per node: on demand, or on demand less the assumed Spot discount. */
function nodeHourlyPrice(group: NodeGroupView, instanceType: string, input: CostInput, table: PriceTable): { price: number; detail: string; assumption?: string } {
    const onDemand = instanceHourlyPrice(table, instanceType);
    if (group.capacityType !== "SPOT") return { price: onDemand, detail: `${instanceType}, on demand` };
    const { spotDiscountPercent, spotDiscountAsOf } = input.assumptions;
    return {
        // Rounded to a millionth of a dollar so the price prints as the list does, not as float noise.
        price: Math.round(onDemand * (100 - spotDiscountPercent) * 1e4) / 1e6,
        detail: `${instanceType}, Spot: ${spotDiscountPercent}% below ${formatPrice(onDemand)}/h on demand`,
        assumption: `costAssumptions.spotDiscountPercent = ${spotDiscountPercent} (as of ${spotDiscountAsOf}; Spot prices move with spare capacity)`,
    };
}

/**
 * Each node group at its desired size for the hours it runs, with what its min and max would
 * cost; plus its root volumes, which exist only while their nodes do.
 */
function nodeGroupLines(input: CostInput, table: PriceTable): CostLine[] {
    return nodeGroups(input.resources).flatMap((group) => {
        // A mixed group is priced as its first type, the one the capacity plan sizes nodes as.
        const instanceType = group.instanceTypes[0];
        const { price, detail, assumption } = nodeHourlyPrice(group, instanceType, input, table);
        const hours = workingHours(group);
        const perMonth = hours ? (hours.hoursPerWeek * table.hoursPerMonth) / HOURS_PER_WEEK : table.hoursPerMonth;
        const at = (nodes: number) => formatUsd(nodes * price * perMonth);
        const others = group.instanceTypes.length > 1 ? `; priced as ${instanceType}, the first of ${group.instanceTypes.join(", ")}` : "";
        const lines = [line({
            id: `node-group:${group.name}`,
            category: "compute",
            item: `Node group ${group.name}`,
            detail,
            factors: [{ value: group.desired, unit: "node" }, { value: perMonth, unit: "h" }],
            unitPrice: price,
            priceUnit: "h",
            ...(assumption ? { assumption } : {}),
            note: `desired size; min ${group.min} = ${at(group.min)}, max ${group.max} = ${at(group.max)}${hours ? `; runs ${hours.description} (scheduled actions)` : ""}${others}`,
        })];
        if (group.rootVolume) {
            const { sizeGb, volumeType } = group.rootVolume;
            const share = perMonth / table.hoursPerMonth;
            lines.push(line({
                id: `node-group-volumes:${group.name}`,
                category: "storage",
                item: `EBS root volumes, node group ${group.name}`,
                detail: volumeType,
                factors: [{ value: group.desired, unit: "node" }, { value: sizeGb, unit: "GB" }, ...(share < 1 ? [{ value: share, unit: "month" }] : [])],
                unitPrice: ebsPrice(table, volumeType),
                priceUnit: "GB-month",
                note: `from the launch template; follows the node count${share < 1 ? " and is deleted with each node outside its running hours" : ""}`,
            }));
        }
        return lines;
    });
}

/** A burstable node group's CPU against its baseline at its desired size. */
export interface BurstableUse {
    readonly group: NodeGroupView;
    /** The group's first type, the one it is sized and priced as. */
    readonly instanceType: string;
    readonly mode: CpuCreditMode;
    /** The baseline of all the group's nodes, in millicores. */
    readonly baselineMillicores: number;
    /** The group's share of the requests: all requests, split over the groups by their nodes' vCPUs. */
    readonly requestedMillicores: number;
    /** What the pods use on average: the requests at costAssumptions.burstableCpuUsePercentOfRequests. */
    readonly usedMillicores: number;
}

/**
 * Every node group of a burstable first type with desired nodes, against its baseline. The model
 * is aggregate like the capacity plan's: the pods' requests are shared out over the groups in
 * proportion to their vCPUs, as the scheduler spreads them, and the groups' credit mode is the
 * launch template's, else the family's launch default.
 */
export function burstableUse(input: CostInput): BurstableUse[] {
    const groups = nodeGroups(input.resources).filter((g) => g.desired > 0 && g.instanceTypes.length > 0);
    const vcpus = (g: NodeGroupView) => g.desired * (findInstanceType(g.instanceTypes[0])?.vcpus ?? 0);
    const total = sum(groups.map(vcpus));
    return groups.flatMap((group) => {
        const instanceType = group.instanceTypes[0];
        const facts = burstableFacts(instanceType);
        if (!facts || total === 0) return [];
        const requestedMillicores = Math.round((input.cpuRequestedMillicores * vcpus(group)) / total);
        return [{
            group,
            instanceType,
            mode: creditMode(instanceType, group.cpuCredits as CpuCreditMode | undefined),
            baselineMillicores: group.desired * baselineMillicores(facts),
            requestedMillicores,
            usedMillicores: Math.round((requestedMillicores * input.assumptions.burstableCpuUsePercentOfRequests) / 100),
        }];
    });
}

/** The plan's warning for each burstable group whose pods request more CPU than its nodes' baseline. */
export function burstableWarnings(input: CostInput): string[] {
    return burstableUse(input).filter((u) => u.requestedMillicores > u.baselineMillicores).map((u) =>
        `node group ${u.group.name}: its pods request ${u.requestedMillicores}m CPU, above the ${u.baselineMillicores}m baseline of its ${plural(u.group.desired, `${u.instanceType} node`)} (${u.mode} credits): ` +
        (u.mode === "unlimited"
            ? "sustained use above the baseline is billed as surplus CPU credits (the cost estimate prices it at costAssumptions.burstableCpuUsePercentOfRequests); cpuCredits: standard throttles instead"
            : "sustained use above the baseline is throttled to it once the node's credits run out; cpuCredits: unlimited bills the surplus instead"));
}

/**
 * Surplus CPU credits of each burstable group in unlimited mode: the assumed use above the nodes'
 * baseline, for the hours the group runs, at the family's surplus price per vCPU-hour.
 */
function cpuCreditLines(input: CostInput, table: PriceTable): CostLine[] {
    const prices = table.cpuCredits.surplusPerVcpuHour;
    return burstableUse(input).filter((u) => u.mode === "unlimited" && u.usedMillicores > u.baselineMillicores).map((u) => {
        const family = u.instanceType.split(".")[0];
        if (!Object.hasOwn(prices, family)) {
            throw new Error(`No surplus CPU credit price for ${family} in the ${table.region} list (as of ${table.asOf}); priced families: ${Object.keys(prices).join(", ")}`);
        }
        const hours = workingHours(u.group);
        const percent = input.assumptions.burstableCpuUsePercentOfRequests;
        return line({
            id: `cpu-credits:${u.group.name}`,
            category: "compute",
            item: `Surplus CPU credits, node group ${u.group.name}`,
            detail: `${u.instanceType}, unlimited`,
            factors: [{ value: (u.usedMillicores - u.baselineMillicores) / 1000, unit: "vCPU" }, { value: hours ? (hours.hoursPerWeek * table.hoursPerMonth) / HOURS_PER_WEEK : table.hoursPerMonth, unit: "h" }],
            unitPrice: prices[family],
            priceUnit: "vCPU-h",
            assumption: `costAssumptions.burstableCpuUsePercentOfRequests = ${percent} (${u.usedMillicores}m used of ${u.requestedMillicores}m requested)`,
            note: `use above the ${u.baselineMillicores}m baseline of ${plural(u.group.desired, "node")}; cpuCredits: standard throttles instead of billing it`,
        });
    });
}

/**
 * What an instance is for, from the component that declares it ("Bastion"), so that its lines
 * pair across stacks whose resource names carry the stack's cluster name.
 */
function instanceRole(instance: PlannedResource): string {
    const parentType = instance.parent?.split("::")[2]?.split("$").pop();
    return parentType?.split(":").pop() ?? instance.name;
}

/** Stand-alone EC2 instances (the bastion) and their root volumes. */
function instanceLines(input: CostInput, table: PriceTable): CostLine[] {
    return ofType(input.resources, TYPES.instance).flatMap((instance) => {
        const type = String(instance.inputs.instanceType);
        const role = instanceRole(instance);
        const lines = [line({
            id: `instance:${role}`,
            category: "compute",
            item: `${role} instance`,
            detail: `${type}, on demand`,
            factors: [{ value: 1, unit: "instance" }, { value: table.hoursPerMonth, unit: "h" }],
            unitPrice: instanceHourlyPrice(table, type),
            priceUnit: "h",
        })];
        const root = instance.inputs.rootBlockDevice;
        if (root?.volumeSize !== undefined) {
            const volumeType = String(root.volumeType ?? "gp2");
            lines.push(line({
                id: `instance-volume:${role}`,
                category: "storage",
                item: `EBS root volume, ${role.toLowerCase()}`,
                detail: volumeType,
                factors: [{ value: 1, unit: "volume" }, { value: Number(root.volumeSize), unit: "GB" }],
                unitPrice: ebsPrice(table, volumeType),
                priceUnit: "GB-month",
            }));
        }
        return lines;
    });
}

/** The usage assumptions measured in GB. */
type GbAssumption = "natGatewayGbPerMonth" | "s3GbPerMonth" | "logIngestionGbPerMonth" | "interfaceEndpointGbPerMonth";

/** A line per GB of a usage assumption, which it states: "costAssumptions.s3GbPerMonth = 300". */
function usageLine(input: CostInput, key: GbAssumption, spec: Omit<LineSpec, "factors" | "assumption">, context = ""): CostLine {
    const gb = input.assumptions[key];
    return line({ ...spec, factors: [{ value: gb, unit: "GB" }], assumption: `costAssumptions.${key} = ${gb}${context}` });
}

function natLines(input: CostInput, table: PriceTable): CostLine[] {
    const gateways = ofType(input.resources, TYPES.natGateway).length;
    if (gateways === 0) return [];
    return [
        line({
            id: "nat-gateway-hours",
            category: "network",
            item: "NAT gateways",
            factors: [{ value: gateways, unit: "gateway" }, { value: table.hoursPerMonth, unit: "h" }],
            unitPrice: table.natGateway.perHour,
            priceUnit: "h",
        }),
        usageLine(input, "natGatewayGbPerMonth", {
            id: "nat-gateway-data",
            category: "network",
            item: "NAT gateway data processed",
            unitPrice: table.natGateway.perGbProcessed,
            priceUnit: "GB",
            note: endpointBreakEven(input, table),
        }),
    ];
}

/**
 * When an interface endpoint would pay for itself: it costs its hours in every zone and moves its
 * service's traffic from NAT's per-GB price to its own, lower one.
 */
function endpointBreakEven(input: CostInput, table: PriceTable): string {
    const zones = distinct(ofType(input.resources, TYPES.subnet).map((s) => String(s.inputs.availabilityZone))).length;
    const perEndpoint = zones * table.vpcEndpoints.interfacePerHourPerAz * table.hoursPerMonth;
    const savedPerGb = table.natGateway.perGbProcessed - table.vpcEndpoints.interfacePerGbProcessed;
    if (savedPerGb <= 0) return `an interface endpoint (${formatUsd(perEndpoint)} a month in ${plural(zones, "zone")}) never pays for itself at these prices`;
    return `an interface endpoint costs ${formatUsd(perEndpoint)} a month in ${plural(zones, "zone")} and pays for itself above ${formatQuantity(Math.ceil(perEndpoint / savedPerGb))} GB a month of its service's traffic`;
}

/**
 * Every Elastic IP (in use or not), every instance that asks for a public address, and every node
 * of a group whose launch template asks for one. The bastion and the nodes have none.
 */
function publicIpv4Lines(input: CostInput, table: PriceTable): CostLine[] {
    const eips = ofType(input.resources, TYPES.eip).length;
    const instances = ofType(input.resources, TYPES.instance).filter((i) => i.inputs.associatePublicIpAddress === true).length;
    const nodes = sum(nodeGroups(input.resources).filter((g) => g.publicIpv4).map((g) => g.desired));
    const addresses = eips + instances + nodes;
    if (addresses === 0) return [];
    return [line({
        id: "public-ipv4",
        category: "network",
        item: "Public IPv4 addresses",
        factors: [{ value: addresses, unit: "address" }, { value: table.hoursPerMonth, unit: "h" }],
        unitPrice: table.publicIpv4.perAddressPerHour,
        priceUnit: "h",
        note: `${plural(eips, "Elastic IP")}, ${plural(instances, "instance")} and ${plural(nodes, "node")} with a public address`,
    })];
}

/** Interface endpoints are charged per endpoint per AZ (one network interface per subnet); gateway endpoints are free. */
function endpointLines(input: CostInput, table: PriceTable): CostLine[] {
    const endpoints = ofType(input.resources, TYPES.vpcEndpoint);
    const interfaces = endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface");
    const gateways = endpoints.filter((e) => e.inputs.vpcEndpointType === "Gateway");
    const lines: CostLine[] = [];
    if (interfaces.length > 0) {
        const endpointAzs = sum(interfaces.map((e) => (e.inputs.subnetIds ?? []).length));
        lines.push(
            line({
                id: "interface-endpoint-hours",
                category: "network",
                item: "Interface VPC endpoints",
                factors: [{ value: endpointAzs, unit: "endpoint-AZ" }, { value: table.hoursPerMonth, unit: "h" }],
                unitPrice: table.vpcEndpoints.interfacePerHourPerAz,
                priceUnit: "h",
                note: `${plural(interfaces.length, "endpoint")} × their subnets (${distinct(interfaces.map((e) => String((e.inputs.subnetIds ?? []).length))).join("/")} each)`,
            }),
            usageLine(input, "interfaceEndpointGbPerMonth", {
                id: "interface-endpoint-data",
                category: "network",
                item: "Interface VPC endpoint data processed",
                unitPrice: table.vpcEndpoints.interfacePerGbProcessed,
                priceUnit: "GB",
            }),
        );
    }
    if (gateways.length > 0) {
        lines.push(line({
            id: "gateway-endpoint-hours",
            category: "network",
            item: "Gateway VPC endpoints",
            detail: gateways.map((e) => String(e.inputs.serviceName).split(".").pop()).join(", "),
            factors: [{ value: gateways.length, unit: "endpoint" }, { value: table.hoursPerMonth, unit: "h" }],
            unitPrice: table.vpcEndpoints.gatewayPerHour,
            priceUnit: "h",
            note: "free",
        }));
    }
    return lines;
}

/**
 * The ALBs the AWS Load Balancer Controller creates, one per IngressGroup its IngressClassParams
 * name: Pulumi never declares them, so the estimate counts them from what it declares, and prices
 * their hours and their load balancer capacity units (costAssumptions.albLcus each).
 */
function loadBalancerLines(input: CostInput, table: PriceTable): CostLine[] {
    const groups = distinct(ofType(input.resources, TYPES.ingressClassParams).map((p) => String(p.inputs.spec?.group?.name)));
    if (groups.length === 0) return [];
    const lcus = input.assumptions.albLcus;
    const note = `created by the AWS Load Balancer Controller from the Ingresses of IngressGroup ${groups.join(", ")}, not by Pulumi`;
    return [
        line({ id: "alb-hours", category: "network", item: "Application Load Balancers", factors: [{ value: groups.length, unit: "load balancer" }, { value: table.hoursPerMonth, unit: "h" }], unitPrice: table.alb.perHour, priceUnit: "h", note }),
        line({
            id: "alb-lcus",
            category: "network",
            item: "ALB capacity units",
            factors: [{ value: lcus * groups.length, unit: "LCU" }, { value: table.hoursPerMonth, unit: "h" }],
            unitPrice: table.alb.perLcuHour,
            priceUnit: "LCU-hour",
            assumption: `costAssumptions.albLcus = ${lcus} (per load balancer, on average)`,
        }),
    ];
}

/** Each web ACL, its rules (a managed rule group is one), and the requests it inspects (costAssumptions.uiRequestsMillionsPerMonth). */
function webAclLines(input: CostInput, table: PriceTable): CostLine[] {
    const acls = ofType(input.resources, TYPES.webAcl);
    if (acls.length === 0) return [];
    const rules = sum(acls.map((a) => (a.inputs.rules ?? []).length));
    const millions = input.assumptions.uiRequestsMillionsPerMonth;
    return [
        line({ id: "waf-web-acls", category: "security", item: "WAF web ACLs", factors: [{ value: acls.length, unit: "web ACL" }], unitPrice: table.waf.webAclPerMonth, priceUnit: "ACL-month" }),
        line({ id: "waf-rules", category: "security", item: "WAF rules", factors: [{ value: rules, unit: "rule" }], unitPrice: table.waf.rulePerMonth, priceUnit: "rule-month", note: "each AWS managed rule group is one rule" }),
        line({
            id: "waf-requests",
            category: "security",
            item: "WAF requests inspected",
            factors: [{ value: millions, unit: "million request" }],
            unitPrice: table.waf.perMillionRequests,
            priceUnit: "million requests",
            assumption: `costAssumptions.uiRequestsMillionsPerMonth = ${millions}`,
        }),
    ];
}

/** Cognito user pools: the monthly active users above the free ones (costAssumptions.uiMonthlyActiveUsers, over all pools). */
function cognitoLines(input: CostInput, table: PriceTable): CostLine[] {
    const pools = ofType(input.resources, TYPES.cognitoUserPool);
    if (pools.length === 0) return [];
    const users = input.assumptions.uiMonthlyActiveUsers;
    const billed = Math.max(0, users - table.cognito.freeMonthlyActiveUsers);
    return [line({
        id: "cognito-mau",
        category: "security",
        item: "Cognito monthly active users",
        factors: [{ value: billed, unit: "MAU" }],
        unitPrice: table.cognito.essentialsPerMonthlyActiveUser,
        priceUnit: "MAU",
        assumption: `costAssumptions.uiMonthlyActiveUsers = ${users}`,
        note: `the first ${formatQuantity(table.cognito.freeMonthlyActiveUsers)} a month are free (Essentials tier)`,
    })];
}

/** One line per EBS volume type of the persistent volume claims, with the claims behind it. */
function claimLines(input: CostInput, table: PriceTable): CostLine[] {
    const claims = volumeClaims(input.resources, input.workloads);
    return distinct(claims.map((c) => c.volumeType)).map((volumeType) => {
        const ofVolumeType = claims.filter((c) => c.volumeType === volumeType);
        return line({
            id: `pvc:${volumeType}`,
            category: "storage",
            item: `EBS persistent volumes ${volumeType}`,
            factors: [{ value: sum(ofVolumeType.map((c) => c.sizeGb * c.count)), unit: "GB" }],
            unitPrice: ebsPrice(table, volumeType),
            priceUnit: "GB-month",
            note: `${plural(sum(ofVolumeType.map((c) => c.count)), "volume")} from ${plural(ofVolumeType.length, "claim")} rendered by the charts, created by operators or declared (see each claim)`,
            claims: ofVolumeType,
        });
    });
}

function s3Lines(input: CostInput, table: PriceTable): CostLine[] {
    const buckets = ofType(input.resources, ...BUCKET_TYPES);
    if (buckets.length === 0) return [];
    return [usageLine(input, "s3GbPerMonth", {
        id: "s3-storage",
        category: "storage",
        item: "S3 Standard storage",
        unitPrice: table.s3.standardPerGbMonth,
        priceUnit: "GB-month",
        note: `buckets: ${buckets.map((b) => b.name).join(", ")}`,
    }, ` (in total, over ${plural(buckets.length, "bucket")})`)];
}

function kmsLines(input: CostInput, table: PriceTable): CostLine[] {
    const keys = ofType(input.resources, TYPES.kmsKey);
    if (keys.length === 0) return [];
    return [line({
        id: "kms-keys",
        category: "security",
        item: "KMS customer-managed keys",
        factors: [{ value: keys.length, unit: "key" }],
        unitPrice: table.kms.perKeyMonth,
        priceUnit: "key-month",
        note: `requests ($${table.kms.per10kRequests} per 10,000) not estimated`,
    })];
}

/** A log group without retention keeps everything; the estimate then shows a year's accumulation. */
const UNLIMITED_RETENTION_DAYS = 365;

/**
 * Ingestion from the assumption, and storage at steady state: a month's ingestion kept for the
 * longest retention of the stack's log groups (uncompressed, so an upper bound).
 */
function logLines(input: CostInput, table: PriceTable): CostLine[] {
    const groups = ofType(input.resources, TYPES.logGroup);
    if (groups.length === 0) return [];
    const gb = input.assumptions.logIngestionGbPerMonth;
    const unlimited = groups.filter((g) => !g.inputs.retentionInDays).length;
    const longest = Math.max(...groups.map((g) => Number(g.inputs.retentionInDays) || UNLIMITED_RETENTION_DAYS));
    const daysPerMonth = table.hoursPerMonth / 24;
    const context = ` (over ${plural(groups.length, "log group")})`;
    return [
        usageLine(input, "logIngestionGbPerMonth", {
            id: "logs-ingestion",
            category: "logging",
            item: "CloudWatch Logs ingestion",
            unitPrice: table.cloudwatchLogs.ingestedPerGb,
            priceUnit: "GB",
        }, context),
        line({
            id: "logs-storage",
            category: "logging",
            item: "CloudWatch Logs storage",
            factors: [{ value: (gb * longest) / daysPerMonth, unit: "GB" }],
            unitPrice: table.cloudwatchLogs.storedPerGbMonth,
            priceUnit: "GB-month",
            assumption: `costAssumptions.logIngestionGbPerMonth = ${gb}${context}`,
            note: `steady state: ${longest} days of ingestion kept (the longest retention${unlimited > 0 ? `; ${plural(unlimited, "group")} without retention counted as ${UNLIMITED_RETENTION_DAYS} days` : ""}), uncompressed`,
        }),
    ];
}

/** The price keys of the EBS volume types the table prices. */
const EBS_PRICE_KEYS: Readonly<Record<string, keyof PriceTable["ebs"]>> = { gp2: "gp2PerGbMonth", gp3: "gp3PerGbMonth" };

const RDS_INSTANCE = "aws:rds/instance:Instance";

/** Whether an AWS Backup selection of the stack names the instance. */
function inBackupPlan(resources: readonly PlannedResource[], db: PlannedResource): boolean {
    return ofType(resources, "aws:backup/selection:Selection").some((selection) => (selection.inputs.resources ?? []).includes(db.outputs.arn));
}

/** RDS for PostgreSQL: the instance hours and its gp3 storage, both at the Multi-AZ price where a standby runs. */
export function rdsLines(input: CostInput, table: PriceTable): CostLine[] {
    return ofType(input.resources, RDS_INSTANCE).flatMap((db) => {
        const instanceClass = String(db.inputs.instanceClass);
        const deployment = db.inputs.multiAz === true ? "multiAz" : "singleAz";
        const prices = table.rds.postgresInstancePerHour[deployment];
        if (db.inputs.engine !== "postgres" || !Object.hasOwn(prices, instanceClass)) {
            throw new Error(`No RDS price for ${db.inputs.engine} on "${instanceClass}" in the ${table.region} list (as of ${table.asOf}); priced PostgreSQL classes: ${Object.keys(prices).join(", ")}. Add it to planner/data/pricing-${table.region}.json.`);
        }
        const where = deployment === "multiAz" ? "Multi-AZ" : "single-AZ";
        return [
            line({
                id: `rds-${db.name}-instance`,
                category: "compute",
                item: "RDS PostgreSQL instance",
                detail: `${instanceClass}, ${where}`,
                factors: [{ value: table.hoursPerMonth, unit: "h" }],
                unitPrice: prices[instanceClass],
                priceUnit: "h",
            }),
            line({
                id: `rds-${db.name}-storage`,
                category: "storage",
                item: "RDS gp3 storage",
                detail: where,
                factors: [{ value: Number(db.inputs.allocatedStorage), unit: "GB" }],
                unitPrice: table.rds.gp3PerGbMonth[deployment],
                priceUnit: "GB-month",
                note: "automated backups up to the database's size are free",
            }),
            // AWS Backup's recovery points: the first is a full copy, the daily ones after it hold changed blocks only.
            ...(inBackupPlan(input.resources, db) ? [line({
                id: `rds-${db.name}-aws-backup`,
                category: "storage",
                item: "AWS Backup RDS snapshots",
                detail: "a full copy of the allocated storage",
                factors: [{ value: Number(db.inputs.allocatedStorage), unit: "GB" }],
                unitPrice: table.rds.awsBackupSnapshotPerGbMonth,
                priceUnit: "GB-month",
                note: "the daily snapshots' changed blocks not estimated",
            })] : []),
            // RDS keeps a managed master password in a Secrets Manager secret of its own.
            ...(db.inputs.manageMasterUserPassword === true ? [line({
                id: `rds-${db.name}-master-secret`,
                category: "security",
                item: "Secrets Manager secret",
                detail: "the RDS-managed master password",
                factors: [{ value: 1, unit: "secret" }],
                unitPrice: table.secretsManager.perSecretMonth,
                priceUnit: "secret-month",
            })] : []),
        ];
    });
}

/** The EBS price of a volume type; throws for a type the table does not price. */
function ebsPrice(table: PriceTable, volumeType: string): number {
    if (!Object.hasOwn(EBS_PRICE_KEYS, volumeType)) {
        throw new Error(`No EBS price for volume type "${volumeType}" in the ${table.region} list (as of ${table.asOf}); priced types: ${Object.keys(EBS_PRICE_KEYS).join(", ")}`);
    }
    return table.ebs[EBS_PRICE_KEYS[volumeType]];
}

/** The observability modes' AWS services; Container Insights counts the stack's pods and nodes. */
function observabilityServiceLines(input: CostInput, table: PriceTable): CostLine[] {
    const managed = input.resources.some((r) => r.type === TYPES.eksAddon && r.inputs.addonName === "amazon-cloudwatch-observability");
    const pods = managed ? countPods(input.resources, input.workloads) : undefined;
    return managedObservabilityLines(input.resources, input.assumptions, table, pods?.total ?? 0, pods?.nodeCount ?? 0);
}

/** The estimate for a stack: every line, in the order above, and their sum. */
export function estimateCost(input: CostInput, table: PriceTable): CostEstimate {
    const lines = [
        ...controlPlaneLines(input, table),
        ...nodeGroupLines(input, table),
        ...cpuCreditLines(input, table),
        ...instanceLines(input, table),
        ...natLines(input, table),
        ...publicIpv4Lines(input, table),
        ...endpointLines(input, table),
        ...loadBalancerLines(input, table),
        ...webAclLines(input, table),
        ...cognitoLines(input, table),
        ...claimLines(input, table),
        ...s3Lines(input, table),
        ...kmsLines(input, table),
        ...logLines(input, table),
        ...rdsLines(input, table),
        ...observabilityServiceLines(input, table),
    ];
    return {
        currency: table.currency,
        region: table.region,
        pricesAsOf: table.asOf,
        ec2PricesAsOf: table.ec2PricesAsOf,
        hoursPerMonth: table.hoursPerMonth,
        lines,
        total: toCents(sum(lines.map((l) => l.monthly))),
    };
}
