import { sortedJson } from "./json";

/** Whose resources may make a service assume a role: the account, and where known its resources' ARNs. */
export interface SourceGuard {
    readonly accountId: string;
    /** The ARN (wildcards allowed) of the resources on whose behalf the service acts, where the service documents one. */
    readonly sourceArn?: string;
}

/**
 * A role trust policy for an AWS service. With a guard, the service may assume the role only when
 * acting for this account's own resources (the confused-deputy conditions aws:SourceAccount and
 * aws:SourceArn); without one, only for services that pass no source context (EC2 instance roles,
 * which only this account can attach, through iam:PassRole).
 */
export function serviceTrustPolicy(service: string, guard?: SourceGuard): string {
    return sortedJson({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(guard ? { Condition: { StringEquals: { "aws:SourceAccount": guard.accountId }, ...(guard.sourceArn ? { ArnLike: { "aws:SourceArn": guard.sourceArn } } : {}) } } : {}),
        }],
    });
}
