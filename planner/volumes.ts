/**
 * The persistent volumes a stack's workloads claim, read from what actually asks for them: the
 * claim templates of the StatefulSets the charts render, the PersistentVolumeClaims they render,
 * the storage of custom resources operators turn into pods (Prometheus, Alertmanager, a Kafka node
 * pool), the models' claims (Mimir until its chart is vendored), and PersistentVolumeClaims the
 * program declares itself. A StatefulSet's template makes one volume per replica; any other claim
 * is one volume.
 */
import { PlannedResource } from "../engine/types";
import { stackWorkloads } from "../components/helm/workloads";
import { Workload, readClaim } from "../lib/workloads";
import { ofType, TYPES } from "./resources";
import { plural } from "./format";

/** One claim and the volumes it makes. */
export interface VolumeClaim {
    /** The release or resource that declares it. */
    readonly source: string;
    /** What claims it: "StatefulSet loki-write, claim template data". */
    readonly path: string;
    readonly sizeGb: number;
    /** Volumes of that size: see countBasis. */
    readonly count: number;
    /** Why count is what it is, for the reader of the estimate. */
    readonly countBasis: string;
    /** The StorageClass the claim names, or the default class. */
    readonly storageClass: string;
    /** The EBS volume type the class provisions. */
    readonly volumeType: string;
    /**
     * Whether its volumes outlive the release that made them: a StatefulSet's claim templates
     * (Kubernetes keeps their claims unless told otherwise), where Helm deletes the claims it
     * renders itself. A destroy then leaves their EBS volumes behind the cluster, untracked.
     */
    readonly outlivesRelease: boolean;
}

/** What EKS provisions when no StorageClass is marked default: the stock gp2 class. */
const EKS_STOCK_VOLUME_TYPE = "gp2";

/** StorageClass name to the EBS type it provisions, and the default class. */
interface StorageClasses {
    readonly types: ReadonlyMap<string, string>;
    readonly defaultClass?: string;
}

function storageClasses(resources: readonly PlannedResource[]): StorageClasses {
    const classes = ofType(resources, TYPES.storageClass);
    const types = new Map(classes.map((c) => [String(c.inputs.metadata?.name ?? c.name), String(c.inputs.parameters?.type ?? EKS_STOCK_VOLUME_TYPE)]));
    const defaultClass = classes.find((c) => c.inputs.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
    return { types, ...(defaultClass ? { defaultClass: String(defaultClass.inputs.metadata.name) } : {}) };
}

/**
 * The EBS type a named class provisions. A class the stack does not declare is read as its name
 * where that is an EBS type (EKS's stock gp2 class), else as the default class's type.
 */
function volumeTypeOf(storageClass: string | undefined, classes: StorageClasses): { storageClass: string; volumeType: string } {
    const name = storageClass ?? classes.defaultClass;
    if (name === undefined) return { storageClass: "(EKS stock gp2)", volumeType: EKS_STOCK_VOLUME_TYPE };
    const declared = classes.types.get(name);
    if (declared) return { storageClass: name, volumeType: declared };
    if (/^(gp2|gp3|io1|io2|st1|sc1)$/.test(name)) return { storageClass: name, volumeType: name };
    return volumeTypeOf(undefined, classes);
}

/**
 * Every persistent volume claim the stack makes, with its size, count and EBS type: the claims of
 * `workloads` (by default, the ones the resources' values render) and the declared claims.
 */
export function volumeClaims(resources: readonly PlannedResource[], workloads: readonly Workload[] = stackWorkloads(resources).workloads): VolumeClaim[] {
    const classes = storageClasses(resources);
    const claims: VolumeClaim[] = [];
    for (const w of workloads) {
        for (const claim of w.claims) {
            const perReplica = claim.perPod && w.kind === "StatefulSet";
            claims.push({
                source: w.source,
                path: `${w.kind} ${w.name}, ${claim.perPod ? "claim template" : "claim"} ${claim.name}`,
                sizeGb: claim.sizeMiB / 1024,
                count: perReplica ? w.replicas : 1,
                countBasis: perReplica ? `one per replica, ${plural(w.replicas, "replica")}${w.origin === "model" ? " (model)" : ""}` : "one claim",
                outlivesRelease: claim.perPod && claim.deletedWithOwner !== true,
                ...volumeTypeOf(claim.storageClass, classes),
            });
        }
    }
    for (const pvc of ofType(resources, TYPES.persistentVolumeClaim)) {
        const claim = readClaim({ metadata: { name: pvc.inputs.metadata?.name ?? pvc.name }, spec: pvc.inputs.spec }, false);
        // A claim the program declares is deleted by Pulumi like any other resource.
        claims.push({ source: pvc.name, path: `PersistentVolumeClaim ${claim.name}`, sizeGb: claim.sizeMiB / 1024, count: 1, countBasis: "one claim", outlivesRelease: false, ...volumeTypeOf(claim.storageClass, classes) });
    }
    return claims;
}

/** What a destroy leaves of the volumes: the claims that outlive their release, and whether their volumes are deleted with them. */
export interface DestroyLeftovers {
    readonly claims: readonly VolumeClaim[];
    readonly volumes: number;
    readonly sizeGb: number;
    /**
     * Retain: the stack's StorageClasses keep a volume when its claim goes (prod, protected: the
     * volumes stay on purpose, to be deleted or reattached by hand). Delete: deleting the claims
     * before the cluster deletes the volumes.
     */
    readonly reclaimPolicy: "Retain" | "Delete";
}

/** The volumes of the StatefulSets' claims that survive a Helm uninstall, which a clean destroy deletes first (README, "A clean destroy"). */
export function destroyLeftovers(resources: readonly PlannedResource[], workloads: readonly Workload[]): DestroyLeftovers {
    const claims = volumeClaims(resources, workloads).filter((c) => c.outlivesRelease);
    const retained = ofType(resources, TYPES.storageClass).some((c) => c.inputs.reclaimPolicy === "Retain");
    return {
        claims,
        volumes: claims.reduce((n, c) => n + c.count, 0),
        sizeGb: claims.reduce((n, c) => n + c.count * c.sizeGb, 0),
        reclaimPolicy: retained ? "Retain" : "Delete",
    };
}
