import { AWS_TYPES, EncryptionInput } from "../../lib/aws-types";
import { defineResourcePolicy, ResourceView } from "../../lib/policy";
import { S3_TYPES, T } from "../../lib/resource-types";
import { at, readFlag, readList, readNonEmptyString, readString, UNKNOWN, Unknown } from "../../lib/values";

/**
 * Types whose encryption a rule of its own judges in more depth: S3 (through its encryption
 * configuration resource), EBS disks, EKS secrets and log groups. Judging them here too would report
 * one fault twice.
 */
const JUDGED_ELSEWHERE: ReadonlySet<string> = new Set([
    ...S3_TYPES.buckets, T.volume, T.instance, T.launchTemplate, T.eksCluster, T.logGroup,
]);

/** Resources of a type that store something to encrypt only in some configurations. */
const APPLIES_WHEN: Readonly<Record<string, (props: ResourceView["props"]) => boolean>> = {
    // Only SecureString parameters are encrypted; String and StringList ones hold no secret.
    "aws:ssm/parameter:Parameter": (props) => readString(props.type) === "SecureString",
};

/** AWS-managed keys, by alias name or alias ARN (alias/aws/rds, alias/aws/sqs, ...). */
const AWS_MANAGED_KEY = /(^|:)alias\/aws\//;

/** One value found at an input path, with where it sits for messages. */
interface Found {
    readonly where: string;
    readonly value: unknown;
}

/**
 * The values at a dotted path; a `name[]` step reads every element of the list, and an absent
 * container yields the path with an undefined value, so that "not set" is judged like AWS does.
 */
export function valuesAt(props: unknown, path: string): Found[] | Unknown {
    let found: Found[] = [{ where: "", value: props }];
    for (const step of path.split(".")) {
        const list = step.endsWith("[]");
        const name = list ? step.slice(0, -2) : step;
        const next: Found[] = [];
        for (const { where, value } of found) {
            const here = where === "" ? name : `${where}.${name}`;
            const child = at(value, name);
            if (child === UNKNOWN) return UNKNOWN;
            if (!list) {
                next.push({ where: here, value: child });
                continue;
            }
            const elements = readList(child);
            if (elements === UNKNOWN) return UNKNOWN;
            if (elements === undefined || elements.length === 0) next.push({ where: here, value: undefined });
            else elements.forEach((element, i) => next.push({ where: `${here}[${i}]`, value: element }));
        }
        found = next;
    }
    return found;
}

function problemsOf(props: ResourceView["props"], inputs: readonly EncryptionInput[]): string[] {
    const problems: string[] = [];
    const keyPaths = inputs.filter((i) => i.role === "key");
    // Whether a customer-managed (or not yet known) key is set, and whether any key is set at all.
    let keyed = false;
    let anyKey = false;
    for (const input of inputs) {
        const found = valuesAt(props, input.path);
        // Not known yet: a key this stack creates, a flag computed from config; judged when known.
        if (found === UNKNOWN) {
            if (input.role === "key") keyed = anyKey = true;
            continue;
        }
        for (const { where, value } of found) {
            if (input.role === "key") {
                const key = readNonEmptyString(value);
                if (key !== undefined) anyKey = true;
                if (key === UNKNOWN) keyed = true;
                else if (key !== undefined && AWS_MANAGED_KEY.test(key)) problems.push(`${where} ${key} is an AWS-managed key, whose policy the stack cannot scope`);
                else if (key !== undefined) keyed = true;
            } else if (input.role === "flag") {
                const flag = readFlag(value);
                if (flag === false) problems.push(`${where} is false: the data is stored unencrypted`);
                else if (flag === undefined && keyPaths.length === 0) problems.push(`${where} is not set true: the data is stored unencrypted`);
            } else {
                const mode = readString(value);
                if (typeof mode === "string" && !/kms/i.test(mode)) problems.push(`${where} is ${mode}, not KMS: a service-owned key the stack cannot scope or audit`);
            }
        }
    }
    if (keyPaths.length > 0 && !keyed && !anyKey) {
        problems.push(`no customer-managed KMS key (${keyPaths.map((k) => k.path).join(", ")} unset): the data is stored unencrypted or under an AWS-owned or AWS-managed key`);
    }
    return problems;
}

/** Every type the provider lets us encrypt, less those judged by their own rule. */
const TYPES = Object.keys(AWS_TYPES.encryption).filter((type) => !JUDGED_ELSEWHERE.has(type));

export const encryptionAtRest = defineResourcePolicy({
    name: "encryption-at-rest",
    description: "Every AWS resource that stores data and takes an encryption setting (databases, caches, file systems, queues, topics, streams, secrets, registries, backups, ... : each type whose provider inputs include a KMS key, an encryption flag or an encryption mode) encrypts it at rest under a customer-managed KMS key.",
    nist: ["SC-28", "SC-12"],
    anchors: [],
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set the resource's KMS key input (kmsKeyId, kmsKeyArn, kmsMasterKeyId, ... as the provider names it) to a customer-managed key of the stack, turn its encryption flag on (storageEncrypted, encrypted, atRestEncryptionEnabled, encryptAtRest.enabled) and choose KMS where it takes an encryption type. Keys under alias/aws/* are AWS-managed and do not count.",
    resourceTypes: TYPES,
    validate(resource, _context, report) {
        const applies = APPLIES_WHEN[resource.type];
        if (applies && !applies(resource.props)) return;
        for (const problem of problemsOf(resource.props, AWS_TYPES.encryption[resource.type] ?? [])) report(problem);
    },
});
