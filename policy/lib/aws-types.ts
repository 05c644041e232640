/**
 * What the pack knows about every @pulumi/aws resource type, derived from the installed provider
 * package by scripts/derive-aws-types.ts into data/aws-types.ts (with the package version it came
 * from). Rules judge every type these facts name, not a hand list.
 */
import { AWS_TYPE_FACTS } from "../data/aws-types";

export interface EncryptionInput {
    /** Dotted path below the resource's inputs; `[]` marks a list whose every element is read. */
    readonly path: string;
    /** key: names a KMS key; flag: turns encryption on; mode: picks the algorithm (KMS or not). */
    readonly role: "key" | "flag" | "mode";
}

export interface AwsTypeFacts {
    readonly source: { readonly package: string; readonly version: string; readonly derivedBy: string };
    /** Types whose inputs take a `tags` map, which the provider's default tags reach. */
    readonly taggable: readonly string[];
    /** Types that store data, with the inputs that encrypt it at rest. */
    readonly encryption: Readonly<Record<string, readonly EncryptionInput[]>>;
    /** Types with inputs holding an IAM policy document (identity, resource or trust policy). */
    readonly policyDocuments: Readonly<Record<string, readonly string[]>>;
    /** Types with inputs holding managed policy ARNs. */
    readonly managedPolicyArns: Readonly<Record<string, readonly string[]>>;
}

export const AWS_TYPES: AwsTypeFacts = AWS_TYPE_FACTS;
