import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { sortedJson } from "../../lib/json";

export interface IrsaRoleArgs {
    readonly oidcProviderArn: pulumi.Input<string>;
    /** The issuer host and path, without https:// (oidc.eks.<region>.amazonaws.com/id/<id>). */
    readonly oidcIssuer: pulumi.Input<string>;
    readonly namespace: pulumi.Input<string>;
    readonly serviceAccount: pulumi.Input<string>;
    /** The role's own permissions, as an IAM policy document (JSON). */
    readonly policy?: pulumi.Input<string>;
    /** AWS managed policies the role carries, for add-ons whose permissions AWS maintains. */
    readonly managedPolicyArns?: readonly string[];
}

/**
 * The trust policy of an IRSA role: only tokens for exactly this service account in this
 * namespace, issued for STS, may assume it (AC-6; no long-lived credentials, IA-5).
 */
export function irsaTrustPolicy(oidcProviderArn: string, oidcIssuer: string, namespace: string, serviceAccount: string): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${oidcIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                    [`${oidcIssuer}:aud`]: "sts.amazonaws.com",
                },
            },
        }],
    });
}

/** An IAM role for one (namespace, service account) pair, with its inline and managed policies. */
export function createIrsaRole(name: string, args: IrsaRoleArgs, opts: pulumi.CustomResourceOptions): iam.Role {
    const role = new iam.Role(`${name}-role`, {
        assumeRolePolicy: pulumi.all([args.oidcProviderArn, args.oidcIssuer, args.namespace, args.serviceAccount])
            .apply(([arn, issuer, namespace, serviceAccount]) => irsaTrustPolicy(arn, issuer, namespace, serviceAccount)),
    }, opts);
    if (args.policy !== undefined) new iam.RolePolicy(`${name}-policy`, { role: role.id, policy: args.policy }, opts);
    (args.managedPolicyArns ?? []).forEach((policyArn) => {
        new iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop()}`, { role: role.name, policyArn }, opts);
    });
    return role;
}
