import { defineResourcePolicy } from "../../lib/policy";
import { T } from "../../lib/resource-types";
import { mergedTags, missingRequiredTags, REQUIRED_TAGS, TAGGABLE_TYPES } from "../../lib/tags";
import { at, readList, readString, UNKNOWN } from "../../lib/values";

/**
 * What a launch template launches: provider default tags never reach these, so without tag
 * specifications every node and its disks would be missing from the inventory.
 */
const LAUNCHED_RESOURCE_TYPES = ["instance", "volume"] as const;

/** Problems with a launch template's tagSpecifications; none while they are unknown. */
function tagSpecificationProblems(tagSpecifications: unknown): string[] {
    const specs = readList(tagSpecifications);
    if (specs === UNKNOWN) return [];
    const problems: string[] = [];
    for (const resourceType of LAUNCHED_RESOURCE_TYPES) {
        const spec = (specs ?? []).find((s) => readString(at(s, "resourceType")) === resourceType);
        if (spec === undefined) {
            problems.push(`no tagSpecifications for ${resourceType}s, so the ${resourceType}s it launches carry no tags`);
            continue;
        }
        const { tags, incomplete } = mergedTags(spec);
        const missing = missingRequiredTags(tags);
        if (missing.length > 0 && !incomplete) problems.push(`tagSpecifications for ${resourceType}s lack ${missing.join(", ")}`);
    }
    return problems;
}

export const requiredTags = defineResourcePolicy({
    name: "required-tags",
    description: `Every taggable AWS resource carries non-empty ${REQUIRED_TAGS.join(", ")} tags (its own tags merged with the provider's default tags), so the component inventory can attribute it to a project, environment, owner and budget.`,
    nist: ["CM-8"],
    anchors: [],
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set the four tags in the stack's `tags` config: the AWS provider's defaultTags put them on every resource that takes tags. For a resource on another provider, add the missing tags to its `tags`. Launch templates also need tagSpecifications for instances and volumes, which default tags do not reach.",
    resourceTypes: [...TAGGABLE_TYPES],
    validate(resource, _context, report) {
        const missing = missingRequiredTags(resource.tags.tags);
        if (missing.length > 0 && !resource.tags.incomplete) report(`missing or empty tags: ${missing.join(", ")}`);
        if (resource.type === T.launchTemplate) {
            for (const problem of tagSpecificationProblems(resource.props.tagSpecifications)) report(problem);
        }
    },
});
