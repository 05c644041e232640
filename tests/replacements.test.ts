/**
 * The replacement rules the diff reads (planner/data/replacements.json) cover every resource type
 * the program declares, record where they come from, and the derivation reads the upstream forms
 * it meets: SDKv2 ForceNew (nested, through helper functions), plugin-framework RequiresReplace,
 * CustomizeDiff, and pulumi-kubernetes's table.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { REPLACEMENTS, rulesFor } from "../planner/diff";
import { findLiteral, functionSource, parseValue } from "../scripts/go-literal";
import { AWS_TERRAFORM_TYPES, canonicalKey, frameworkFields, kubernetesRules, replacementInputs, sdkResourceSchema } from "../scripts/derive-replacements";
import { stack } from "./support/stacks";
import data from "../planner/data/replacements.json";

const root = path.join(__dirname, "..");

/** Every `new alias.Class(` of a Pulumi package the program's sources construct, as type tokens. */
function constructedTypes(): string[] {
    const files = ["index.ts", "platform.ts", ...walk(path.join(root, "components")).map((f) => path.relative(root, f))];
    const tokens = new Set<string>();
    for (const file of files) {
        const text = fs.readFileSync(path.join(root, file), "utf8");
        const modules = new Map<string, string>();
        for (const m of text.matchAll(/^import \* as (\w+) from "(@pulumi\/(?:aws|tls|random)(?:\/[\w/]+)?)";$/gm)) modules.set(m[1], m[2]);
        for (const m of text.matchAll(/^import \{ Provider as (\w+) \} from "(@pulumi\/(?:aws|kubernetes)\/provider)";$/gm)) modules.set(m[1], `${m[2]}#Provider`);
        for (const m of text.matchAll(/new (\w+)(?:\.(\w+))?\(/g)) {
            const module = modules.get(m[1]);
            if (!module) continue;
            const [name, member] = module.includes("#") ? module.split("#") : [module, m[2]];
            const token = require(name)[member]?.__pulumiType;
            if (token) tokens.add(token.startsWith("pulumi:providers:") || !module.includes("#") ? token : `pulumi:providers:${token}`);
        }
    }
    return [...tokens].sort();
}

function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

describe("replacement rules derived from the providers", () => {
    it("cover every resource type the program constructs or the shipped stacks declare", async () => {
        const declared = new Set(constructedTypes());
        for (const name of ["dev", "prod"]) for (const r of (await stack(name)).resources) if (r.custom) declared.add(r.type);
        expect(declared.size).to.be.greaterThan(50);
        const missing = [...declared].filter((type) => rulesFor(REPLACEMENTS, type) === undefined);
        expect(missing, "add the type to scripts/derive-replacements.ts and run npm run derive-replacements").to.deep.equal([]);
        // Each AWS type the program constructs has its Terraform resource named in the script.
        expect([...declared].filter((t) => t.startsWith("aws:") && !AWS_TERRAFORM_TYPES[t])).to.deep.equal([]);
    });

    it("record the pinned packages, and each upstream source with its revision, commit and date", () => {
        const installed = (pkg: string) => JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
        expect(data.packages).to.deep.equal({ "@pulumi/aws": installed("@pulumi/aws"), "@pulumi/kubernetes": installed("@pulumi/kubernetes"), "@pulumi/tls": installed("@pulumi/tls"), "@pulumi/random": installed("@pulumi/random") });
        expect(data.derivedBy).to.equal("scripts/derive-replacements.ts");
        for (const source of Object.values(data.sources)) {
            expect(source.commit).to.match(/^[0-9a-f]{40}$/);
            expect(Date.parse(source.date)).to.be.greaterThan(Date.parse("2026-01-01"));
            expect(source.note).to.have.length.greaterThan(20);
        }
        expect(Object.keys(data.sources).sort()).to.deep.equal(["aws", "kubernetes", "random", "tls"]);
    });

    it("hold the inputs the issue names: access scope, the parameter group family, node instance types, an immutable Secret's data", () => {
        const forced = (type: string) => rulesFor(REPLACEMENTS, type)!.forceNew;
        expect(forced("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")).to.have.members(["clusterName", "accessScope", "policyArn", "principalArn"]);
        expect(forced("aws:eks/accessEntry:AccessEntry")).to.have.members(["clusterName", "principalArn", "type"]);
        expect(forced("aws:rds/parameterGroup:ParameterGroup")).to.include("family");
        expect(forced("aws:rds/instance:Instance")).not.to.include("engineVersion");
        expect(forced("aws:eks/nodeGroup:NodeGroup")).to.include.members(["instanceTypes", "subnetIds"]).and.not.include("version");
        expect(forced("kubernetes:core/v1:Secret")).to.include.members(["data", "stringData", "type"]);
        expect(forced("kubernetes:apps/v1:Deployment")).to.include.members(["metadata.name", "metadata.namespace", "spec.selector"]);
        expect(forced("kubernetes:batch/v1:Job")).to.include.members(["spec.template", "spec.selector"]);
        expect(forced("kubernetes:networking.k8s.io/v1:NetworkPolicy")).to.deep.equal(["metadata.name", "metadata.namespace"]);
        expect(forced("kubernetes:helm.sh/v3:Release")).to.deep.equal(["name", "namespace"]);
        expect(forced("pulumi:providers:kubernetes")).to.deep.equal(["clusterIdentifier"]);
    });

    describe("the Go reader", () => {
        const SDK = `func resourceThing() *schema.Resource {
    return &schema.Resource{
        CustomizeDiff: customdiff.ForceNewIfChange("size", func(_ context.Context, old, new, meta any) bool { return new.(int) < old.(int) }),
        Schema: map[string]*schema.Schema{
            names.AttrName: { Type: schema.TypeString, Required: true, ForceNew: true, Description: "a { brace, in text" },
            "config": {
                Type: schema.TypeList, Optional: true, MaxItems: 1,
                Elem: &schema.Resource{ Schema: map[string]*schema.Schema{
                    "mode": { Type: schema.TypeString, Optional: true, ForceNew: true }, // "x": {
                    "note": { Type: schema.TypeString, Optional: true },
                }},
            },
            "block": { Type: schema.TypeList, Optional: true, Elem: blockSchema() },
            "arn": { Type: schema.TypeString, Computed: true },
        },
    }
}`;

        const BLOCK = `func blockSchema() *schema.Resource {
    return &schema.Resource{ Schema: map[string]*schema.Schema{ "kind": { Type: schema.TypeString, Required: true, ForceNew: true } } }
}`;
        const lookup = (name: string) => (name === "blockSchema" ? functionSource(BLOCK, name) : undefined);

        it("SDKv2: ForceNew at any depth, through helper functions, past strings, comments and func literals; CustomizeDiff as conditional; computed-only left out", () => {
            const { fields, customize } = sdkResourceSchema(functionSource(SDK, "resourceThing")!, lookup);
            expect([...fields.keys()]).to.deep.equal(["@Name", "config", "block", "arn"]);
            expect(replacementInputs(fields, customize)).to.deep.equal({ forceNew: ["name", "block.kind", "config.mode"], conditional: ["size"] });
            expect(parseValue("validation.All(a, b)")).to.deep.equal({ kind: "expression", text: "validation.All(a, b)" });
        });

        it("plugin framework: RequiresReplace forces, RequiresReplaceIf and a provider's own replace modifier are conditional, nested blocks included", () => {
            const schema = findLiteral(`resp.Schema = schema.Schema{
    Attributes: map[string]schema.Attribute{
        "length": schema.Int64Attribute{ Required: true, PlanModifiers: []planmodifier.Int64{ int64planmodifier.RequiresReplace() } },
        "keepers": schema.MapAttribute{ Optional: true, PlanModifiers: []planmodifier.Map{ mapplanmodifiers.RequiresReplaceIfValuesNotNull() } },
        "pem": schema.StringAttribute{ Required: true, PlanModifiers: []planmodifier.String{ requireReplaceIfStateContainsPEMString() } },
        "result": schema.StringAttribute{ Computed: true, PlanModifiers: []planmodifier.String{ stringplanmodifier.RequiresReplace() } },
        "label": schema.StringAttribute{ Optional: true },
    },
    Blocks: map[string]schema.Block{
        "subject": schema.ListNestedBlock{ NestedObject: schema.NestedBlockObject{ Attributes: map[string]schema.Attribute{
            "common_name": schema.StringAttribute{ Optional: true, PlanModifiers: []planmodifier.String{ stringplanmodifier.RequiresReplace() } },
        } } },
    },
}`, /schema\.Schema\{/)!;
            expect(replacementInputs(frameworkFields(schema, () => undefined), [])).to.deep.equal({ forceNew: ["length", "subject.commonName"], conditional: ["keepers", "pem"] });
        });

        it("pulumi-kubernetes: metadata for every kind, the table's kinds through variables, append and helpers, immutable Secrets, the Release and the provider", () => {
            const diffGo = `func (k *kubeProvider) forceNewProperties(obj *unstructured.Unstructured) []string {
\tprops := metadataForceNewProperties(".metadata")
\tif clients.IsSecret(obj) && (!k.enableSecretMutable || clients.IsImmutable(obj)) {
\t\tprops = append(props, properties{".type", ".stringData", ".data"}...)
\t} else if clients.IsConfigMap(obj) && (!k.enableConfigMapMutable || clients.IsImmutable(obj)) {
\t\tprops = append(props, properties{".binaryData", ".data"}...)
\t}
\treturn props
}
var forceNew = _groups{
\t"apps": _versions{ "v1": _kinds{ "StatefulSet": statefulSet } },
\t"":     core,
}
var core = _versions{ "v1": _kinds{ "Service": properties{ ".spec.clusterIP" } } }
var statefulSet = append(properties{ ".spec.serviceName" }, labelSelectorForceNewProperties(".spec.selector")...)
func metadataForceNewProperties(prefix string) properties {
\treturn properties{ prefix + ".name", prefix + ".namespace" }
}
func labelSelectorForceNewProperties(prefix string) properties {
\treturn properties{ prefix + ".matchLabels" }
}
`;
            const helmGo = `forceNewFields := []string{".name", ".namespace"}`;
            const providerGo = `clusterIdentifierKey = "clusterIdentifier"\nreplaces = append(replaces, clusterIdentifierKey)\ndeleteBeforeReplace := len(replaces) > 0 && metadata.IsNamed(newInputs, newResInputs)`;
            const rules = kubernetesRules(diffGo, helmGo, providerGo);
            const forced = Object.fromEntries(Object.entries(rules).map(([type, rule]) => [type, rule.forceNew]));
            expect(forced).to.deep.equal({
                "kubernetes:*": ["metadata.name", "metadata.namespace"],
                "kubernetes:apps/v1:StatefulSet": ["metadata.name", "metadata.namespace", "spec.selector.matchLabels", "spec.serviceName"],
                "kubernetes:core/v1:Service": ["metadata.name", "metadata.namespace", "spec.clusterIP"],
                "kubernetes:core/v1:Secret": ["data", "metadata.name", "metadata.namespace", "stringData", "type"],
                "kubernetes:core/v1:ConfigMap": ["binaryData", "data", "metadata.name", "metadata.namespace"],
                "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
                "pulumi:providers:kubernetes": ["clusterIdentifier"],
            });
            expect(rules["kubernetes:*"].deleteBeforeReplaceWhenNamed).to.equal(true);
        });

        it("matches Terraform names to Pulumi's whatever their separators and case", () => {
            expect(["access_scope", "AccessScope", "accessScope"].map(canonicalKey)).to.deep.equal(["accessscope", "accessscope", "accessscope"]);
        });
    });
});
