import { defineStackPolicy, StackResource } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { ofType, refersTo } from "../../lib/stack";
import { readNonEmptyString, readString, UNKNOWN } from "../../lib/values";

const ROLE = "aws:iam/role:Role";
const INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const SSM_POLICY = /^arn:[a-z-]+:iam::aws:policy\/AmazonSSMManagedInstanceCore$/;

/** Whether the role has AWS's SSM core policy attached; unknown when an attachment's ARN is not known yet. */
function hasSsmPolicy(role: StackResource, resources: readonly StackResource[]): boolean | typeof UNKNOWN {
    const arns = ofType(resources, ROLE_POLICY_ATTACHMENT).filter((a) => refersTo(a, "role", role, ["name"])).map((a) => readString(a.props.policyArn));
    if (arns.some((arn) => typeof arn === "string" && SSM_POLICY.test(arn))) return true;
    return arns.includes(UNKNOWN) ? UNKNOWN : false;
}

export const ssmManagedInstances = defineStackPolicy({
    name: "ssm-managed-instances",
    description: "Every EC2 instance the stack runs, the node groups' nodes and stand-alone instances alike, has an instance role with AmazonSSMManagedInstanceCore, so that Systems Manager inventories and patches it and operators reach it through Session Manager rather than SSH.",
    nist: ["CM-8", "SI-2", "AC-17"],
    anchors: ["SecurityHub:SSM.1", "cdk-nag:NIST.800.53.R5-EC2InstanceProfileAttached"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Attach arn:<partition>:iam::aws:policy/AmazonSSMManagedInstanceCore to the node role (components/cluster) and to every instance's role with an aws.iam.RolePolicyAttachment; give every aws.ec2.Instance an iamInstanceProfile.",
    validate(resources, _context, report) {
        const roles = ofType(resources, ROLE);
        const judge = (subject: StackResource, what: string, role: StackResource | undefined) => {
            if (!role) return report(`${subject.name}: the ${what} role is not a role of this stack, so its SSM policy cannot be checked`, subject);
            if (hasSsmPolicy(role, resources) === false) report(`${subject.name}: its ${what} role ${role.name} lacks AmazonSSMManagedInstanceCore, so Systems Manager cannot manage its instances`, subject);
        };
        for (const group of ofType(resources, T.eksNodeGroup)) {
            if (readNonEmptyString(group.props.nodeRoleArn) === undefined) continue;
            judge(group, "node", roles.find((role) => refersTo(group, "nodeRoleArn", role, ["arn"])));
        }
        for (const instance of ofType(resources, T.instance)) {
            if (readNonEmptyString(instance.props.iamInstanceProfile) === undefined) {
                report(`${instance.name} has no iamInstanceProfile: without a role Systems Manager cannot manage it`, instance);
                continue;
            }
            const profile = ofType(resources, INSTANCE_PROFILE).find((p) => refersTo(instance, "iamInstanceProfile", p, ["name"]));
            judge(instance, "instance profile's", profile && roles.find((role) => refersTo(profile, "role", role, ["name"])));
        }
    },
});
