/**
 * The pack as the Pulumi engine runs it: started as the CLI starts a pack, from a copy of policy/
 * alone with its own dependencies (tests/support/pack.ts: the SDK's PolicyPack serves the analyzer
 * over gRPC and prints its port), configured, then asked to
 * Analyze every resource and AnalyzeStack the whole graph, with props, providers, parents,
 * dependencies and propertyDependencies on the wire as the engine sends them. Its diagnostics must
 * equal what the offline evaluator reports for the same resources and pack config.
 */
import { expect } from "chai";
import type { PlannedResource } from "../../engine/types";
import { SECRET_PLACEHOLDER } from "../../engine/types";
import { evaluatePolicies, loadPackConfig, PolicyPackConfig, resolvePolicyConfig } from "../../policy/evaluate";
import { allPolicies } from "../../policy/policies";
import { servedPack } from "../support/pack";
import { stack } from "../support/stacks";
import { awsProvider, planned, TAGS, UNKNOWN } from "./helpers";

/* eslint-disable @typescript-eslint/no-var-requires */
const grpc = require("@grpc/grpc-js");
const services = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const messages = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

/** One finding, whichever path produced it. */
type Finding = [policy: string, urn: string, level: string, message: string];

// Started when mocha loads this file: the pack loads its SDKs on the other core while the suite runs.
const pack = servedPack();
pack.catch(() => undefined);

/** A client of the served pack's analyzer. */
const connect = (port: number) => new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))));
}

/** Props as the engine puts them on the wire: plain JSON, undefined left out. */
function struct(value: Record<string, unknown>): unknown {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
}

/**
 * The resources as a first preview has them: secrets not generated yet are unknown, and there are
 * no outputs (no ids) for stack rules to match on, only inputs and the dependency graph.
 */
function asPreview(resources: readonly PlannedResource[]): PlannedResource[] {
    const secretsUnknown = (value: unknown): unknown => {
        if (value === SECRET_PLACEHOLDER) return UNKNOWN;
        if (Array.isArray(value)) return value.map(secretsUnknown);
        if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretsUnknown(v)]));
        return value;
    };
    return resources.map((r) => ({ ...r, inputs: secretsUnknown(r.inputs) as Record<string, unknown>, outputs: {} }));
}

function configureRequest(packConfig: PolicyPackConfig): unknown {
    const request = new messages.ConfigureAnalyzerRequest();
    for (const policy of allPolicies) {
        const { enforcementLevel, properties } = resolvePolicyConfig(policy, packConfig);
        const config = new messages.PolicyConfig();
        config.setEnforcementlevel(LEVELS.indexOf(enforcementLevel));
        config.setProperties(struct(properties));
        request.getPolicyconfigMap().set(policy.name, config);
    }
    return request;
}

function options(resource: PlannedResource): unknown {
    const opts = new messages.AnalyzerResourceOptions();
    opts.setProtect(resource.protect);
    if (resource.parent) opts.setParent(resource.parent);
    return opts;
}

function providerOf(resource: PlannedResource, byUrn: Map<string, PlannedResource>): unknown {
    const record = resource.provider === undefined ? undefined : byUrn.get(resource.provider);
    if (!record) return undefined;
    const provider = new messages.AnalyzerProviderResource();
    provider.setType(record.type);
    provider.setProperties(struct(record.inputs));
    provider.setUrn(record.urn);
    provider.setName(record.name);
    return provider;
}

/** The fields an AnalyzeRequest and an AnalyzerResource share, filled from the resource. */
function onWire<M extends Record<string, any>>(message: M, resource: PlannedResource, byUrn: Map<string, PlannedResource>): M {
    message.setType(resource.type);
    message.setProperties(struct(resource.inputs));
    message.setUrn(resource.urn);
    message.setName(resource.name);
    message.setOptions(options(resource));
    const provider = providerOf(resource, byUrn);
    if (provider) message.setProvider(provider);
    return message;
}

function findings(response: any, description: (policy: string) => string, fallbackUrn = ""): Finding[] {
    return response.getDiagnosticsList().map((d: any) => {
        const prefix = `${description(d.getPolicyname())}\n`;
        const message: string = d.getMessage();
        return [d.getPolicyname(), d.getUrn() || fallbackUrn, LEVELS[d.getEnforcementlevel()], message.startsWith(prefix) ? message.slice(prefix.length) : message];
    });
}

/** What the served pack reports for the resources: Analyze per resource, then AnalyzeStack. */
async function analyzeOverGrpc(client: any, resources: readonly PlannedResource[], packConfig: PolicyPackConfig): Promise<Finding[]> {
    await call(client, "configure", configureRequest(packConfig));
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const description = (name: string) => allPolicies.find((p) => p.name === name)!.description;
    // All in flight at once, as the engine analyzes resources as they register: the pack works
    // on the other core while this process puts the next requests on the wire.
    const perResource = await Promise.all(resources.map((resource) =>
        call(client, "analyze", onWire(new messages.AnalyzeRequest(), resource, byUrn)).then((response) => findings(response, description, resource.urn))));
    const found: Finding[] = perResource.flat();
    const stackRequest = new messages.AnalyzeStackRequest();
    stackRequest.setResourcesList(resources.map((resource) => {
        const r = onWire(new messages.AnalyzerResource(), resource, byUrn);
        if (resource.parent) r.setParent(resource.parent);
        r.setDependenciesList([...resource.dependencies]);
        for (const [key, urns] of Object.entries(resource.propertyDependencies ?? {})) {
            const dependencies = new messages.AnalyzerPropertyDependencies();
            dependencies.setUrnsList([...urns]);
            r.getPropertydependenciesMap().set(key, dependencies);
        }
        return r;
    }));
    found.push(...findings(await call(client, "analyzeStack", stackRequest), description));
    return found;
}

function offline(resources: readonly PlannedResource[], packConfig: PolicyPackConfig): Finding[] {
    return evaluatePolicies(resources, packConfig).map((v) => [v.policy, v.resourceUrn ?? "", v.enforcementLevel, v.message]);
}

const sorted = (list: Finding[]) => [...list].sort((a, b) => a.join("|").localeCompare(b.join("|")));

/** Resources that break rules in the ways the pack reads by meaning, plus waived ones. */
function fixtures(): PlannedResource[] {
    const provider = awsProvider(TAGS);
    const withProvider = { provider };
    const bucket = planned("aws:s3/bucket:Bucket", "data", {}, { ...withProvider, outputs: { id: "data-123" } });
    const other = planned("aws:s3/bucket:Bucket", "other", {}, { ...withProvider, outputs: { id: "other-456" } });
    return [
        provider,
        bucket,
        other,
        // Fed by the other bucket, though both are dependencies: only propertyDependencies tell.
        planned("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "other-sse", {
            bucket: UNKNOWN,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } }],
        }, { ...withProvider, dependsOn: [bucket, other], propertyDependencies: { bucket: [other] } }),
        planned("aws:ec2/securityGroup:SecurityGroup", "halves", {
            ingress: [
                { protocol: "TCP", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1"] },
                { protocol: "6", fromPort: 0, toPort: 1024, cidrBlocks: ["128.0.0.0/1"] },
            ],
        }, withProvider),
        planned("aws:rds/cluster:Cluster", "db", { storageEncrypted: "False", engine: "aurora-postgresql" }, withProvider),
        planned("aws:sqs/queue:Queue", "jobs", { kmsMasterKeyId: "alias/aws/sqs" }, withProvider),
        planned("aws:iam/policy:Policy", "wild", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "arn:*" }] }) }, withProvider),
        planned("aws:iam/role:Role", "open-trust", {
            assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks" }, Action: "sts:AssumeRoleWithWebIdentity" }] }),
        }, withProvider),
        planned("aws:eks/nodeGroup:NodeGroup", "ssh", { remoteAccess: { ec2SshKey: "ops" } }, withProvider),
        planned("aws:dynamodb/table:Table", "untagged", { serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN } }),
        planned("kubernetes:helm.sh/v3:Release", "app", { chart: "app", values: { config: "url: postgres://app:hunter2@db:5432/app" } }),
        planned("aws:kms/key:Key", "no-rotation", { enableKeyRotation: "0" }, withProvider),
    ];
}

/** The dev config plus waivers: one in force, one lapsed, one that matches nothing. */
function configWithWaivers(): PolicyPackConfig {
    const dev = loadPackConfig("dev");
    const entry = (name: string) => dev[name] as Record<string, unknown>;
    return {
        ...dev,
        "eks-node-remote-access": { ...entry("eks-node-remote-access"), waivers: [{ resource: "ssh", reason: "break-glass access until the SSM agent rollout ends", expires: "2099-12-31" }] },
        "kms-key-rotation": { ...entry("kms-key-rotation"), waivers: [{ resource: "no-rotation", reason: "imported key material cannot rotate automatically", expires: "2020-01-31" }] },
        "s3-versioning": { ...entry("s3-versioning"), waivers: [{ resource: "gone", reason: "scratch bucket that a migration deleted already", expires: "2099-12-31" }] },
    };
}

/** The resources of a stack as a first preview has them, with the Owner default tag removed from the AWS providers when asked. */
async function previewOf(name: "dev" | "prod", withoutOwner = false): Promise<PlannedResource[]> {
    return asPreview((await stack(name)).resources).map((r) => {
        if (!withoutOwner || r.type !== "pulumi:providers:aws") return r;
        const defaultTags = JSON.parse(r.inputs.defaultTags);
        delete defaultTags.tags.Owner;
        return { ...r, inputs: { ...r.inputs, defaultTags: JSON.stringify(defaultTags) } };
    });
}

/** What each test sends: resources and the pack config they are judged by. */
const cases = {
    fixtures: async () => ({ resources: asPreview(fixtures()), packConfig: configWithWaivers() }),
    dev: async () => ({ resources: await previewOf("dev"), packConfig: loadPackConfig("dev") }),
    prod: async () => ({ resources: await previewOf("prod"), packConfig: loadPackConfig("prod") }),
    prodWithoutOwner: async () => ({ resources: await previewOf("prod", true), packConfig: loadPackConfig("prod") }),
};
type Case = keyof typeof cases;

/**
 * What the served pack reports for each case, asked when mocha loads this file: the pack analyzes
 * on the other core while the suite runs, and each test compares its answer with the offline
 * evaluator's. One case at a time, since configure sets the config the pack judges the next
 * requests by; the client closes after the last, so that nothing keeps mocha waiting.
 */
const overGrpc = (() => {
    const answers = {} as Record<Case, Promise<Finding[]>>;
    const client = pack.then(({ port }) => connect(port));
    let previous: Promise<unknown> = client;
    for (const name of Object.keys(cases) as Case[]) {
        answers[name] = previous.then(async () => {
            const { resources, packConfig } = await cases[name]();
            return analyzeOverGrpc(await client, resources, packConfig);
        });
        previous = answers[name].catch(() => undefined);
        answers[name].catch(() => undefined);
    }
    previous.then(() => client).then((c) => c.close(), () => undefined);
    return answers;
})();

describe("policy pack over the SDK's gRPC analyzer", function () {
    this.timeout(180_000);
    let client: any;

    before(async () => {
        client = connect((await pack).port);
        const info = await call<any>(client, "getAnalyzerInfo", new Empty());
        expect(info.getPoliciesList().map((p: any) => p.getName())).to.deep.equal(allPolicies.map((p) => p.name));
    });

    after(() => {
        // The served pack stays up for tests/policy/standalone.test.ts; it ends with the test process.
        client?.close();
    });

    it("agrees with the offline evaluator on fixtures that break rules by meaning, waivers included", async () => {
        const { resources, packConfig } = await cases.fixtures();
        const expected = sorted(offline(resources, packConfig));
        expect(expected.length).to.be.greaterThan(10);
        const policies = new Set(expected.map((f) => f[0]));
        for (const rule of ["sg-no-open-ingress", "encryption-at-rest", "iam-least-privilege", "required-tags", "helm-no-plaintext-secrets", "kms-key-rotation", "s3-kms-encryption"]) {
            expect(policies, rule).to.include(rule);
        }
        // The waiver in force hides the SSH finding; the lapsed one lets the rotation finding through.
        expect(expected.some((f) => f[0] === "eks-node-remote-access")).to.equal(false);
        expect(expected.find((f) => f[0] === "kms-key-rotation")?.[3]).to.include("waiver expired 2020-01-31");
        // Only propertyDependencies tell which bucket the encryption configuration is for.
        expect(expected.filter((f) => f[0] === "s3-kms-encryption").map((f) => f[1])).to.deep.equal([resources[1].urn]);
        expect(sorted(await overGrpc.fixtures)).to.deep.equal(expected);
    });

    for (const name of ["dev", "prod"] as const) {
        it(`agrees with the offline evaluator over the ${name} stack as a first preview delivers it`, async () => {
            const { resources, packConfig } = await cases[name]();
            const expected = sorted(offline(resources, packConfig));
            expect(sorted(await overGrpc[name])).to.deep.equal(expected);
        });
    }

    it("agrees over prod with the provider's Owner default tag removed: the same finding on every taggable resource", async () => {
        const { resources, packConfig } = await cases.prodWithoutOwner();
        const expected = sorted(offline(resources, packConfig));
        expect(expected.length).to.be.greaterThan(50);
        expect(new Set(expected.map((f) => f[0]))).to.deep.equal(new Set(["required-tags"]));
        expect(sorted(await overGrpc.prodWithoutOwner)).to.deep.equal(expected);
    });
});
