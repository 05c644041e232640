import { defineResourcePolicy, ResourceView } from "../../lib/policy";
import { Statement, statementsOf } from "../../lib/policy-document";
import { T } from "../../lib/resource-types";
import { at, readList, readString, readStringOrList, UNKNOWN } from "../../lib/values";

/** Actions that mean every action of every service. */
const ANY_ACTION = ["*", "*:*"];
/** AWS's managed policy that is exactly Allow * on *. */
const ADMINISTRATOR_ACCESS = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

function isAdminStatement(statement: Statement): boolean {
    if (readString(statement.Effect) !== "Allow") return false;
    const actions = readStringOrList(statement.Action);
    const resources = readStringOrList(statement.Resource);
    if (actions === UNKNOWN || resources === UNKNOWN || actions === undefined || resources === undefined) return false;
    return actions.some((a) => typeof a === "string" && ANY_ACTION.includes(a)) && resources.includes("*");
}

/** Messages for the documents the resource carries; unknown documents are skipped. */
function documentProblems(where: string, document: unknown): string[] {
    const statements = statementsOf(document);
    if (statements === undefined || statements === UNKNOWN) return [];
    return statements.some(isAdminStatement) ? [`${where} allows action * on resource *`] : [];
}

function problems(resource: ResourceView): string[] {
    const { props } = resource;
    switch (resource.type) {
        case T.iamUser:
            return ["IAM users hold long-lived credentials: use roles (EKS Pod Identity or IRSA for workloads, IAM Identity Center for people)"];
        case T.iamAccessKey:
            return ["access keys are static credentials: use roles and short-lived credentials instead"];
        case T.iamRolePolicyAttachment: {
            const arn = readString(props.policyArn);
            return typeof arn === "string" && ADMINISTRATOR_ACCESS.test(arn) ? [`attaches ${arn}`] : [];
        }
        case T.iamRole: {
            const inline = readList(props.inlinePolicies);
            const managed = readStringOrList(props.managedPolicyArns);
            return [
                ...(inline === undefined || inline === UNKNOWN ? [] : inline.flatMap((p, i) => documentProblems(`inlinePolicies[${i}]`, at(p, "policy")))),
                ...(managed === undefined || managed === UNKNOWN ? [] : managed.filter((a): a is string => typeof a === "string" && ADMINISTRATOR_ACCESS.test(a)).map((a) => `managedPolicyArns includes ${a}`)),
            ];
        }
        default:
            return documentProblems("the policy", props.policy);
    }
}

export const iamLeastPrivilege = defineResourcePolicy({
    name: "iam-least-privilege",
    description: "No IAM policy allows every action on every resource (Action * with Resource *, or AWS's AdministratorAccess), and no IAM users or access keys exist: workloads and people get scoped roles with short-lived credentials.",
    nist: ["AC-6", "IA-5"],
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "List the specific actions and resource ARNs the role needs (start from the service's managed policy or IAM Access Analyzer's generated policy). Replace IAM users and access keys with roles: Pod Identity or IRSA for pods, IAM Identity Center for people, OIDC for CI.",
    resourceTypes: [T.iamPolicy, T.iamRolePolicy, T.iamRole, T.iamRolePolicyAttachment, T.iamUser, T.iamAccessKey],
    validate(resource, _context, report) {
        for (const problem of problems(resource)) report(problem);
    },
});
