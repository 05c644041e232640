import { AWS_TYPES } from "../../lib/aws-types";
import {
    allowsAllActions, anyPrincipal, appliesToAllResources, appliesToAllTargetsOf, describeSet, escalationActions, federatedProviders, isAllow,
    isPolicyDocument, narrowedByCondition, ParsedStatement, parsePolicyDocument, PatternSet, setMatches, subjectPinned,
} from "../../lib/iam";
import { defineResourcePolicy, ResourceView } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { at, readList, readString, readStringOrList, UNKNOWN } from "../../lib/values";

/**
 * AWS managed policies that grant everything (AdministratorAccess) or the means to grant oneself
 * everything (IAMFullAccess).
 */
const ADMIN_EQUIVALENT = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|IAMFullAccess)$/;

/** Where a document path points, as values: `inlinePolicies[].policy` reads every element's policy. */
function documentsAt(props: ResourceView["props"], path: string): { where: string; document: unknown }[] {
    const [head, ...rest] = path.split(".");
    if (head.endsWith("[]")) {
        const name = head.slice(0, -2);
        const list = readList(props[name]);
        if (list === undefined || list === UNKNOWN) return [];
        return list.map((element, i) => ({ where: `${name}[${i}].${rest.join(".")}`, document: at(element, ...rest) }));
    }
    return [{ where: path, document: at(props, head, ...rest) }];
}

/** What an identity policy (no principals) grants beyond least privilege. */
function identityProblems(where: string, statement: ParsedStatement): string[] {
    if (!isAllow(statement) || typeof statement.actions !== "object") return [];
    const everywhere = appliesToAllResources(statement);
    if (allowsAllActions(statement) && everywhere) return [`${where} ${statement.label} allows every action (${describeSet(statement.actions)}) on every resource`];
    // An escalation action on every role (user, group, policy) it can act on is as open as on `*`.
    const escalation = escalationActions(statement).filter((action) => appliesToAllTargetsOf(statement, action));
    if (escalation.length > 0) {
        return [`${where} ${statement.label} allows ${escalation.join(", ")} on every resource, which lets the holder grant itself more`];
    }
    const problems: string[] = [];
    const services = wholeServices(statement.actions);
    if (services.length > 0) problems.push(`${where} ${statement.label} allows every action of ${services.join(", ")}: list the actions the holder needs`);
    const decrypt = DECRYPT_ACTIONS.filter((action) => setMatches(statement.actions as PatternSet, action, true));
    if (decrypt.length > 0 && everywhere) problems.push(`${where} ${statement.label} allows ${decrypt.join(", ")} on every resource, so every KMS key's data: name the keys`);
    return problems;
}

/** Actions that read data under any KMS key the holder may use. */
const DECRYPT_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"];

/** The services a set of action patterns grants whole (`s3:*`, `kms:*`); a negated set grants all of them, which allowsAllActions reports. */
function wholeServices(actions: PatternSet): string[] {
    if (actions.negated) return [];
    return actions.patterns.filter((p): p is string => typeof p === "string" && /^[a-z0-9-]+:\*+$/i.test(p));
}

/** What a trust policy lets assume the role. */
function trustProblems(where: string, statement: ParsedStatement): string[] {
    if (!isAllow(statement)) return [];
    if (anyPrincipal(statement) && !narrowedByCondition(statement)) {
        return [`${where} ${statement.label} lets any AWS principal assume the role (no organisation, account or external-id condition)`];
    }
    const webIdentity = typeof statement.actions === "object"
        && ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"].some((a) => setMatches(statement.actions as never, a, true));
    if (webIdentity && federatedProviders(statement).length > 0 && !subjectPinned(statement)) {
        return [`${where} ${statement.label} lets any identity of ${federatedProviders(statement).map(String).join(", ")} assume the role: no condition pins the token's subject (:sub)`];
    }
    return [];
}

/** What a resource policy (bucket, key, queue, ...) opens to anyone. */
function resourcePolicyProblems(where: string, statement: ParsedStatement): string[] {
    if (!isAllow(statement) || !anyPrincipal(statement) || narrowedByCondition(statement)) return [];
    const actions = typeof statement.actions === "object" ? describeSet(statement.actions) : "its actions";
    return [`${where} ${statement.label} allows anyone (Principal *) ${actions} without a condition naming the callers' organisation, account or source`];
}

function documentProblems(resource: ResourceView, path: string): string[] {
    return documentsAt(resource.props, path).flatMap(({ where, document }) => {
        const statements = parsePolicyDocument(document);
        // Unknown documents are judged when known; JSON that is no IAM document (a lifecycle or
        // redrive policy) is not this rule's business.
        if (statements === undefined || statements === UNKNOWN || !isPolicyDocument(statements)) return [];
        const trust = path === "assumeRolePolicy";
        return statements.flatMap((statement) => trust ? trustProblems(where, statement)
            : statement.principals === undefined ? identityProblems(where, statement)
            : resourcePolicyProblems(where, statement));
    });
}

/**
 * A Lambda permission is one statement of the function's resource policy, given field by field:
 * judged as the statement AWS writes from it.
 */
function lambdaPermissionProblems(props: ResourceView["props"]): string[] {
    const principal = readString(props.principal);
    if (typeof principal !== "string") return [];
    const condition: Record<string, Record<string, unknown>> = {};
    const sourceArn = readString(props.sourceArn);
    const sourceAccount = readString(props.sourceAccount);
    const organisation = readString(props.principalOrgId);
    // An unknown value is a narrowing condition still to be computed.
    if (sourceArn !== undefined) condition.ArnLike = { "aws:SourceArn": sourceArn === UNKNOWN ? "unknown" : sourceArn };
    if (sourceAccount !== undefined) condition.StringEquals = { ...condition.StringEquals, "aws:SourceAccount": sourceAccount === UNKNOWN ? "unknown" : sourceAccount };
    if (organisation !== undefined) condition.StringEquals = { ...condition.StringEquals, "aws:PrincipalOrgID": organisation === UNKNOWN ? "unknown" : organisation };
    const action = readString(props.action);
    const statements = parsePolicyDocument({
        Statement: [{ Effect: "Allow", Principal: principal.includes(".") ? { Service: principal } : { AWS: principal }, Action: typeof action === "string" ? action : "lambda:InvokeFunction", Condition: condition }],
    });
    if (statements === undefined || statements === UNKNOWN) return [];
    return statements.flatMap((statement) => resourcePolicyProblems("the permission", statement));
}

function managedPolicyProblems(resource: ResourceView, property: string): string[] {
    const arns = readStringOrList(resource.props[property]);
    if (arns === undefined || arns === UNKNOWN) return [];
    return arns.filter((a): a is string => typeof a === "string" && ADMIN_EQUIVALENT.test(a)).map((a) => `${property} attaches ${a}`);
}

/** A statement of a function's resource policy, given as fields rather than a document. */
const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";

/** Every type that carries a policy document or managed policy ARNs, as the provider declares them. */
const POLICY_TYPES = [...new Set([...Object.keys(AWS_TYPES.policyDocuments), ...Object.keys(AWS_TYPES.managedPolicyArns)])];

export const iamLeastPrivilege = defineResourcePolicy({
    name: "iam-least-privilege",
    description: "No IAM grant goes beyond least privilege, on every resource type that carries a policy: no identity policy allows every action (Action *, *:*, NotAction) on every resource (*, arn:*, NotResource, or a pattern matching a whole partition such as arn:aws:*:*:*:*), a privilege-escalation action (iam:PassRole, iam:Put*Policy, ...) on every resource it acts on (arn:aws:iam::*:role/* for PassRole), every action of a service (s3:*), or kms:Decrypt on every key; no trust policy lets any principal, or any identity of an OIDC/SAML provider, assume a role; no resource policy (or Lambda permission) opens to Principal * without a narrowing condition; no AdministratorAccess or IAMFullAccess attachment; no IAM users or access keys.",
    nist: ["AC-6", "IA-5"],
    anchors: ["SecurityHub:KMS.2", "cdk-nag:NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess", "cdk-nag:NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess", "cdk-nag:NIST.800.53.R5-IAMUserNoPolicies"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "List the specific actions and resource ARNs the role needs (start from the service's managed policy or IAM Access Analyzer's generated policy); scope iam:PassRole to the roles it passes. Pin trust policies to a service, an account with aws:PrincipalOrgID or sts:ExternalId, or an OIDC subject (<issuer>:sub = system:serviceaccount:<ns>:<sa>). Give resource policies with Principal * a condition on aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID. Replace IAM users and access keys with roles: Pod Identity or IRSA for pods, IAM Identity Center for people, OIDC for CI.",
    resourceTypes: [...POLICY_TYPES, T.iamUser, T.iamAccessKey, LAMBDA_PERMISSION],
    validate(resource, _context, report) {
        if (resource.type === T.iamUser) report("IAM users hold long-lived credentials: use roles (EKS Pod Identity or IRSA for workloads, IAM Identity Center for people)");
        if (resource.type === T.iamAccessKey) report("access keys are static credentials: use roles and short-lived credentials instead");
        if (resource.type === LAMBDA_PERMISSION) for (const problem of lambdaPermissionProblems(resource.props)) report(problem);
        for (const path of AWS_TYPES.policyDocuments[resource.type] ?? []) for (const problem of documentProblems(resource, path)) report(problem);
        for (const property of AWS_TYPES.managedPolicyArns[resource.type] ?? []) for (const problem of managedPolicyProblems(resource, property)) report(problem);
    },
});
