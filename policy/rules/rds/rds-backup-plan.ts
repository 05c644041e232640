import { defineStackPolicy, StackResource } from "../../lib/policy";
import { ofType, refersTo } from "../../lib/stack";
import { at, readList, readString, UNKNOWN } from "../../lib/values";

const RDS_INSTANCE = "aws:rds/instance:Instance";
const SELECTION = "aws:backup/selection:Selection";
const PLAN = "aws:backup/plan:Plan";
const VAULT = "aws:backup/vault:Vault";

/** Whether the selection names the instance: its ARN among `resources`, or in a preview the instance feeding them. */
function selects(selection: StackResource, instance: StackResource): boolean {
    const resources = readList(selection.props.resources);
    const arn = readString(at(instance.outputs, "arn"));
    if (resources !== UNKNOWN && typeof arn === "string" && (resources ?? []).includes(arn)) return true;
    const feeding = selection.propertyDependencies.resources;
    return feeding !== undefined && feeding.includes(instance.urn);
}

export const rdsBackupPlan = defineStackPolicy({
    name: "rds-backup-plan",
    description: "Every RDS instance is selected by an AWS Backup plan with at least one rule writing to a vault of the stack, so that its recovery points live in a vault of their own, under our key, beside and beyond the instance's automated backups.",
    nist: ["CP-9", "CP-10"],
    anchors: ["SecurityHub:RDS.26", "cdk-nag:NIST.800.53.R5-RDSInBackupPlan"],
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Declare an aws.backup.Vault with kmsKeyArn, an aws.backup.Plan with a rule whose targetVaultName is that vault, and an aws.backup.Selection with planId the plan, resources [the instance's ARN] and a role with AWSBackupServiceRolePolicyForBackup (components/database).",
    validate(resources, _context, report) {
        const plans = ofType(resources, PLAN);
        const vaults = ofType(resources, VAULT);
        for (const instance of ofType(resources, RDS_INSTANCE)) {
            const selections = ofType(resources, SELECTION).filter((selection) => selects(selection, instance));
            if (selections.length === 0) {
                report(`${instance.name} is in no AWS Backup selection`, instance);
                continue;
            }
            const covered = selections.some((selection) => plans.some((plan) => {
                if (!refersTo(selection, "planId", plan)) return false;
                const rules = readList(plan.props.rules);
                return rules === UNKNOWN || (rules ?? []).some((rule) => {
                    const vault = readString(at(rule, "targetVaultName"));
                    return vault === UNKNOWN || vaults.some((v) => readString(at(v.outputs, "name")) === vault || readString(at(v.props, "name")) === vault)
                        || (plan.propertyDependencies.rules ?? []).some((urn) => vaults.some((v) => v.urn === urn));
                });
            }));
            if (!covered) report(`${instance.name}: no backup plan of the stack selecting it has a rule writing to a vault of the stack`, instance);
        }
    },
});
