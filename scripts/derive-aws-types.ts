/**
 * Derives what the policy pack needs to know about every @pulumi/aws resource type from the
 * installed package itself, so that the pack judges an open world instead of a hand list:
 *
 * - which types take a `tags` map (CM-8 inventory: required-tags),
 * - which inputs of each type encrypt its data at rest (SC-28: encryption-at-rest), found by name in
 *   the type's Args interface and, one to three levels down, in the input types of its encryption
 *   blocks (types/input.d.ts),
 * - which inputs hold an IAM policy document or a managed policy ARN (AC-6: iam-least-privilege),
 *   found by their declared type (`inputs.iam.PolicyDocument`) or their documentation.
 *
 * The package ships no schema file, but its type definitions are generated from the provider schema
 * and keep one layout: `export interface <Class>Args {` with four-space properties, and
 * `export declare namespace <module> {` with eight-space interface properties in types/input.d.ts.
 *
 * Run: `npm run derive-aws-types` (writes policy/data/aws-types.ts); tests/policy/aws-types.test.ts
 * checks that the committed file equals what the installed package gives.
 */
import * as fs from "fs";
import * as path from "path";
import type { AwsTypeFacts, EncryptionInput } from "../policy/lib/aws-types";

interface Property {
    readonly name: string;
    readonly type: string;
    readonly doc: string;
}

/** Key inputs that name the KMS key a resource's stored data is encrypted under. */
const KEY_NAMES = new Set([
    "kmsKeyId", "kmsKeyArn", "kmsKey", "kmsKeyIdentifier", "kmsMasterKeyId", "kmsArn", "kmsEncryptionKey",
    "encryptionKeyArn", "encryptionKey", "volumeKmsKeyId", "customerEncryptionKeyArn", "awsKmsKeyArn",
    "encryptionAtRestKmsKeyArn", "keyId",
]);
/** Inside an encryption block, the key may be named plainly. */
const NESTED_KEY_NAMES = new Set([...KEY_NAMES, "keyArn", "keyId"]);
/** Flags that turn encryption at rest on. */
const FLAG_NAMES = new Set(["encrypted", "storageEncrypted", "atRestEncryptionEnabled", "kmsEncrypted", "rootVolumeEncryptionEnabled", "userVolumeEncryptionEnabled"]);
/** Inside an encryption block, `enabled` is its flag. */
const NESTED_FLAG_NAMES = new Set([...FLAG_NAMES, "enabled"]);
/** Inputs that choose between KMS and a service-owned algorithm. */
const MODE_NAMES = new Set(["encryptionType", "sseAlgorithm", "sseType"]);
/** Blocks that configure encryption at rest (not in transit, not client-side). */
const ENCRYPTION_BLOCK = /encrypt|^sse|serverSide|^kms/i;
const NOT_AT_REST = /transit|nodeToNode|clientSide|fieldLevel|interContainer|InTransit/i;

/** Type tokens of services whose resources are keys or key plumbing, not data. */
const NOT_DATA = /^aws:kms\//;

/**
 * Inputs that may hold an IAM policy document: declared as one (`inputs.iam.PolicyDocument`), or a
 * string named as a policy. Documentation is too uneven to tell IAM documents from other JSON
 * policies (lifecycle, redrive), so the rule decides by content: only text that parses as a policy
 * document with statements is judged.
 */
function holdsPolicyDocument(property: Property): boolean {
    if (/inputs\.iam\.PolicyDocument/.test(property.type)) return true;
    if (!/\bstring\b/.test(property.type) || /\[\]/.test(property.type)) return false;
    return /^(\w*[pP]olicy|\w*[pP]olicies|\w*PolicyDocument|policyDocument)$/.test(property.name);
}

function holdsManagedPolicyArns(property: Property): boolean {
    return /^(policyArn|policyArns|managedPolicyArns)$/.test(property.name);
}

/** The properties of each interface block at `indent` spaces, by interface name. */
function parseInterfaces(text: string, header: RegExp, indent: number): Map<string, Property[]> {
    const result = new Map<string, Property[]>();
    const lines = text.split("\n");
    const pad = " ".repeat(indent);
    const propertyLine = new RegExp(`^${pad}(\\w+)\\??: (.*)$`);
    let current: Property[] | undefined;
    let doc = "";
    /** A property whose type spans lines (object types), until its closing `;`. */
    let pending: { name: string; type: string } | undefined;
    for (const line of lines) {
        if (pending) {
            pending.type += ` ${line.trim()}`;
            if (line.startsWith(pad) && !line.startsWith(`${pad} `) && line.endsWith(";")) {
                current?.push({ name: pending.name, type: pending.type.replace(/;$/, ""), doc: doc.trim() });
                pending = undefined;
                doc = "";
            }
            continue;
        }
        const start = header.exec(line);
        if (start) {
            current = [];
            result.set(start[1], current);
            doc = "";
            continue;
        }
        if (!current) continue;
        if (line === `${" ".repeat(indent - 4)}}`) {
            current = undefined;
            continue;
        }
        const trimmed = line.trim();
        if (trimmed.startsWith("/**") || trimmed.startsWith("*")) {
            if (trimmed.startsWith("/**")) doc = "";
            doc += ` ${trimmed.replace(/^\/?\*+\/?/, "").replace(/\*\/$/, "")}`;
            continue;
        }
        const property = propertyLine.exec(line);
        if (property && property[2].endsWith(";")) {
            current.push({ name: property[1], type: property[2].replace(/;$/, ""), doc: doc.trim() });
            doc = "";
        } else if (property) {
            pending = { name: property[1], type: property[2] };
        }
    }
    return result;
}

/** Input types by `module.Interface`, as resource Args refer to them (`inputs.dynamodb.TableTtl`). */
function parseInputTypes(packageDir: string): Map<string, Property[]> {
    const text = fs.readFileSync(path.join(packageDir, "types", "input.d.ts"), "utf8");
    const result = new Map<string, Property[]>();
    let namespace: string | undefined;
    let block: string[] = [];
    const flush = () => {
        if (namespace === undefined) return;
        for (const [name, properties] of parseInterfaces(block.join("\n"), /^ {4}interface (\w+) \{$/, 8)) result.set(`${namespace}.${name}`, properties);
    };
    for (const line of text.split("\n")) {
        const start = /^export declare namespace (\w+) \{$/.exec(line);
        if (start) {
            flush();
            namespace = start[1];
            block = [];
        } else if (namespace !== undefined) {
            block.push(line);
        }
    }
    flush();
    return result;
}

/** The `inputs.x.Y` an input refers to, and whether it is a list of them. */
function referencedInput(type: string): { name: string; list: boolean } | undefined {
    const match = /inputs\.([\w.]+)/.exec(type);
    return match ? { name: match[1], list: /\[\]/.test(type) } : undefined;
}

function encryptionInputs(properties: readonly Property[], inputTypes: Map<string, Property[]>, prefix = "", inBlock = false, depth = 0): EncryptionInput[] {
    const found: EncryptionInput[] = [];
    for (const property of properties) {
        const at = `${prefix}${property.name}`;
        const keys = inBlock ? NESTED_KEY_NAMES : KEY_NAMES;
        const flags = inBlock ? NESTED_FLAG_NAMES : FLAG_NAMES;
        // A bare keyId is a KMS key only where its documentation says so (an API Gateway key is not).
        const kms = property.name !== "keyId" || inBlock || /KMS/.test(property.doc);
        if (/string/.test(property.type) && keys.has(property.name) && kms) found.push({ path: at, role: "key" });
        else if (/boolean|string/.test(property.type) && flags.has(property.name) && !/\[\]/.test(property.type)) found.push({ path: at, role: "flag" });
        else if (/string/.test(property.type) && MODE_NAMES.has(property.name)) found.push({ path: at, role: "mode" });
        const reference = referencedInput(property.type);
        if (!reference || depth >= 3 || NOT_AT_REST.test(property.name)) continue;
        const block = inBlock || ENCRYPTION_BLOCK.test(property.name);
        if (!block) continue;
        const children = inputTypes.get(reference.name);
        if (children) found.push(...encryptionInputs(children, inputTypes, `${at}${reference.list ? "[]" : ""}.`, true, depth + 1));
    }
    return found;
}

function* resourceModules(packageDir: string): Generator<{ token: string; className: string; dts: string }> {
    for (const entry of fs.readdirSync(packageDir, { withFileTypes: true })) {
        if (!entry.isDirectory() || entry.name === "node_modules" || entry.name === "types" || entry.name === "config") continue;
        const dir = path.join(packageDir, entry.name);
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js")).sort()) {
            const js = fs.readFileSync(path.join(dir, file), "utf8");
            const token = /static __pulumiType = '(aws:[^']+)';/.exec(js);
            const className = /^class (\w+) extends pulumi\.CustomResource/m.exec(js);
            if (!token || !className) continue;
            yield { token: token[1], className: className[1], dts: path.join(dir, file.replace(/\.js$/, ".d.ts")) };
        }
    }
}

function sortedRecord<T>(entries: Iterable<[string, T]>): Record<string, T> {
    return Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));
}

export function deriveAwsTypes(packageDir: string): AwsTypeFacts {
    const version = (JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string }).version;
    const inputTypes = parseInputTypes(packageDir);
    const taggable: string[] = [];
    const encryption: [string, EncryptionInput[]][] = [];
    const policyDocuments: [string, string[]][] = [];
    const managedPolicyArns: [string, string[]][] = [];
    for (const { token, className, dts } of resourceModules(packageDir)) {
        const header = new RegExp(`^export interface (${className}Args) \\{$`);
        const args = parseInterfaces(fs.readFileSync(dts, "utf8"), header, 4).get(`${className}Args`) ?? [];
        if (args.some((p) => p.name === "tags" && /\[key: string\]/.test(p.type))) taggable.push(token);
        if (!NOT_DATA.test(token)) {
            const inputs = encryptionInputs(args, inputTypes);
            if (inputs.some((i) => i.role === "key" || i.role === "flag")) encryption.push([token, inputs]);
        }
        const documents = args.filter(holdsPolicyDocument).map((p) => p.name);
        for (const p of args) {
            // Documents one level down, such as a role's inlinePolicies[].policy.
            const reference = referencedInput(p.type);
            if (!reference || !/polic/i.test(p.name)) continue;
            for (const child of inputTypes.get(reference.name) ?? []) {
                if (holdsPolicyDocument(child)) documents.push(`${p.name}${reference.list ? "[]" : ""}.${child.name}`);
            }
        }
        if (documents.length > 0) policyDocuments.push([token, documents]);
        const arns = args.filter(holdsManagedPolicyArns).map((p) => p.name);
        if (arns.length > 0) managedPolicyArns.push([token, arns]);
    }
    return {
        source: { package: "@pulumi/aws", version, derivedBy: "scripts/derive-aws-types.ts" },
        taggable: taggable.sort(),
        encryption: sortedRecord(encryption),
        policyDocuments: sortedRecord(policyDocuments),
        managedPolicyArns: sortedRecord(managedPolicyArns),
    };
}

/** The committed module's text for `facts`. */
export function renderAwsTypes(facts: AwsTypeFacts): string {
    return [
        "/**",
        ` * Generated by ${facts.source.derivedBy} from ${facts.source.package} ${facts.source.version}; do not edit.`,
        " * Regenerate with `npm run derive-aws-types` after upgrading @pulumi/aws.",
        " */",
        "import type { AwsTypeFacts } from \"../lib/aws-types\";",
        "",
        `export const AWS_TYPE_FACTS: AwsTypeFacts = ${JSON.stringify(facts, null, 4)};`,
        "",
    ].join("\n");
}

export const OUTPUT = path.join(__dirname, "..", "policy", "data", "aws-types.ts");

if (require.main === module) {
    const packageDir = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const facts = deriveAwsTypes(packageDir);
    fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
    fs.writeFileSync(OUTPUT, renderAwsTypes(facts));
    console.log(`${path.relative(process.cwd(), OUTPUT)}: ${facts.taggable.length} taggable types, ${Object.keys(facts.encryption).length} with encryption inputs, ${Object.keys(facts.policyDocuments).length} with policy documents (${facts.source.package} ${facts.source.version})`);
}
