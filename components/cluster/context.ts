import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { DeclaredResource } from "../helm/workloads";

/** What the cluster hands the add-ons: how to reach it, how to grant AWS access, what to wait for. */
export interface KubernetesContext {
    readonly clusterName: string;
    readonly region: string;
    readonly accountId: string;
    readonly partition: string;
    /** The provider built from the cluster's outputs. */
    readonly kubernetesProvider: KubernetesProvider;
    /** The tagged AWS provider every AWS resource uses. */
    readonly awsProvider: AwsProvider;
    /** The IAM OIDC provider for IRSA, and its issuer without https://. */
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly oidcIssuer: pulumi.Output<string>;
    /** The default StorageClass's name ("gp3", or "gp2" where dev uses it). */
    readonly storageClassName: string;
    /** The encrypted gp3 StorageClass, for data that must be on gp3 whatever the default (Kafka). */
    readonly gp3StorageClassName: string;
    /** The S3 key exists only in a stack with buckets (see `s3KeyArn`). */
    readonly kmsKeyArns: { readonly ebs: pulumi.Output<string>; readonly s3?: pulumi.Output<string> };
    /** Protect stateful resources (prod). */
    readonly protect: boolean;
    /**
     * Every declared object that runs pods (releases with their values, add-ons, Kafka node pools),
     * recorded at declaration, so that the platform can check it fits its nodes before deploying.
     */
    readonly declaredWorkloads: DeclaredResource[];
    /**
     * Whether the stack runs the Istio mesh: the namespaces the platform creates then carry the
     * labels that put their pods in it (components/security/mesh.ts).
     */
    readonly mesh: boolean;
    /** The namespaces the platform created, by name, for objects that must be placed in them later (the mesh's policies). */
    readonly namespaces: Map<string, pulumi.Resource>;
    /** Everything workloads need first: node groups, ENIConfigs, add-ons, storage classes. */
    readonly ready: pulumi.Resource[];
}

/**
 * The S3 key's ARN, for a component that declares a bucket. The key is created only where the stack
 * has buckets (platform.ts asks `stackHasBuckets`), so a bucket without it is a wiring mistake.
 */
export function s3KeyArn(ctx: Pick<KubernetesContext, "kmsKeyArns">): pulumi.Output<string> {
    if (!ctx.kmsKeyArns.s3) throw new Error("A bucket is declared, but the stack created no S3 KMS key: stackHasBuckets (platform.ts) must count the component's buckets");
    return ctx.kmsKeyArns.s3;
}
