import * as storagev1 from "@pulumi/kubernetes/storage/v1";
import * as pulumi from "@pulumi/pulumi";

export type EbsVolumeType = "gp2" | "gp3";

/** The platform's StorageClass names: its own, so that they never collide with EKS's stock gp2. */
export const STORAGE_CLASS_NAMES: Record<EbsVolumeType, string> = { gp3: "gp3", gp2: "gp2-encrypted" };

/** An EBS CSI StorageClass whose volumes are encrypted with the platform's EBS key (SC-28). */
export function storageClassSpec(volumeType: EbsVolumeType, ebsKmsKeyArn: pulumi.Input<string>, isDefault: boolean, retain: boolean) {
    return {
        metadata: {
            name: STORAGE_CLASS_NAMES[volumeType],
            annotations: { "storageclass.kubernetes.io/is-default-class": String(isDefault) },
        },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: volumeType, encrypted: "true", kmsKeyId: ebsKmsKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
        // Bind in the zone the pod lands in, so that zone-pinned workloads get their volume there.
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        // Prod keeps a volume when its claim is deleted: the data outlives a mistaken uninstall.
        reclaimPolicy: retain ? "Retain" : "Delete",
    };
}

export interface StorageClassesArgs {
    readonly defaultVolumeType: EbsVolumeType;
    readonly ebsKmsKeyArn: pulumi.Input<string>;
    readonly retain: boolean;
}

/**
 * The encrypted gp3 class (always: Kafka and other IOPS-sensitive data need it), the encrypted gp2
 * class where gp2 is the default (dev), and the stock gp2 class stripped of its default flag.
 */
export function createStorageClasses(name: string, args: StorageClassesArgs, opts: pulumi.CustomResourceOptions): storagev1.StorageClass[] {
    const types: EbsVolumeType[] = args.defaultVolumeType === "gp2" ? ["gp3", "gp2"] : ["gp3"];
    const classes = types.map((type) => new storagev1.StorageClass(`${name}-${STORAGE_CLASS_NAMES[type]}`,
        storageClassSpec(type, args.ebsKmsKeyArn, type === args.defaultVolumeType, args.retain), opts));
    new storagev1.StorageClassPatch(`${name}-stock-gp2`, {
        metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } },
    }, opts);
    return classes;
}
