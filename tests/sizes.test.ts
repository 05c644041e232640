/**
 * Sizes, replica counts and retentions as stack config: the profile's defaults
 * (config/profiles.ts), what a stack file's partial override keeps of them, and the errors a bad
 * value gets. Validation only, no engine run: the third stack (stacks.test.ts) carries overrides
 * through to rendered pods and the capacity plan.
 */
import { expect } from "chai";
import * as fs from "fs";
import { join } from "path";
import { validateStackConfig, withProfileDefaults } from "../config/load";
import { PROFILE_DEFAULTS, ProfileDefaults } from "../config/profiles";
import { PROFILES, StackConfig, workloadSizes } from "../config/schema";
import { parseCpu, parseMemory } from "../lib/quantity";
import { kafkaNodePoolSpec, kafkaSpec, strimziValues } from "../components/observability/kafka";
import { lokiValues } from "../components/observability/loki";
import { mimirValues } from "../components/observability/mimir";
import { kubecostValues } from "../components/operations/kubecost";
import { trivyValues } from "../components/security/trivy";
import { rawConfig, rejectionOf } from "./support/config";

/** The problems validation finds in a stack's config after `change`; none when it is accepted. */
const problems = (stack: "dev" | "prod", change: (c: Record<string, any>) => void) => rejectionOf(stack, change)?.problems ?? [];

/** The part of a validated config a profile fills in: the keys PROFILE_DEFAULTS has, component by component. */
function defaultsIn(config: StackConfig): ProfileDefaults {
    const sections = Object.entries(PROFILE_DEFAULTS.dev).map(([section, components]) => [section, Object.fromEntries(
        Object.entries(components as Record<string, object>).map(([component, keys]) => {
            const own = (config as Record<string, any>)[section][component];
            return [component, Object.fromEntries(Object.keys(keys).map((key) => [key, own[key]]))];
        }),
    )]);
    return Object.fromEntries(sections);
}

/** Every key under a component of PROFILE_DEFAULTS whose name `name` matches, as paths; one path per entry where the key holds an object. */
function defaultKeys(name: RegExp): string[][] {
    return Object.entries(PROFILE_DEFAULTS.dev).flatMap(([section, components]) => Object.entries(components as Record<string, object>)
        .flatMap(([component, keys]) => Object.entries(keys).filter(([key]) => name.test(key))
            .flatMap(([key, value]) => (typeof value === "object" ? Object.keys(value).map((entry) => [section, component, key, entry]) : [[section, component, key]]))));
}

/** A copy of the stack's config with `value` at `path`, the sections on the way made where the file has none. */
const setAt = (path: string[], value: unknown) => (c: Record<string, any>) => {
    path.slice(0, -1).reduce<Record<string, any>>((node, key) => (node[key] ??= {}), c)[path[path.length - 1]] = value;
};

const COUNT_KEYS = [
    "cluster.addons.corednsReplicas", "cluster.addons.ebsControllerReplicas", "cluster.clusterAutoscaler.replicas",
    "observability.prometheus.alertmanagerReplicas", "observability.mimir.cacheReplicas.chunks", "observability.mimir.cacheReplicas.results",
    "observability.mimir.querySchedulerReplicas", "observability.mimir.rulerReplicas", "observability.mimir.compactorReplicas",
    "observability.mimir.alertmanagerReplicas", "observability.kafka.operatorReplicas", "observability.loki.cacheReplicas.chunks",
    "observability.loki.cacheReplicas.results", "observability.tempo.memcachedReplicas",
    "security.trivy.operatorReplicas", "operations.kubecost.frontendReplicas", "operations.headlamp.replicas", "ui.controller.replicas",
];

describe("sizes, counts and retentions as stack config", () => {
    describe("the profiles' defaults", () => {
        for (const profile of PROFILES) {
            it(`${profile}: every workload has valid quantities above zero and a memory limit at least its request`, () => {
                const sizes = workloadSizes(PROFILE_DEFAULTS[profile]);
                expect(sizes.length).to.equal(74);
                for (const { path, size } of sizes) {
                    const key = path.join(".");
                    expect(parseCpu(size.cpu), key).to.be.greaterThan(0);
                    expect(parseMemory(size.memory), key).to.be.greaterThan(0);
                    expect(parseMemory(size.memoryLimit), key).to.be.at.least(parseMemory(size.memory));
                }
            });

            it(`${profile}: a memory limit one MiB under the request is refused at that workload's memoryLimit alone, for each workload`, () => {
                const stack = profile;
                for (const { path, size } of workloadSizes(PROFILE_DEFAULTS[profile])) {
                    const key = path.join(".");
                    const under = `${Math.ceil(parseMemory(size.memory)) - 1}Mi`;
                    expect(problems(stack, (c) => {
                        const section = path.slice(0, -1).reduce<Record<string, any>>((node, k) => (node[k] ??= {}), c);
                        section[path[path.length - 1]] = { memoryLimit: under };
                    }), key).to.deep.equal([
                        `${key}.memoryLimit: got "${under}"; allowed: at least ${key}.memory (${size.memory}): a container's memory limit is never below its request`,
                    ]);
                }
            });
        }

        it("fill in every size of a stack file that lists none: dev's in dev, prod's in prod", () => {
            for (const profile of PROFILES) {
                expect(defaultsIn(validateStackConfig(rawConfig(profile))), profile).to.deep.equal(PROFILE_DEFAULTS[profile]);
            }
        });

        it("follow the profile, not the environment's name: dev's file with the prod profile gets prod's sizes", () => {
            const raw = rawConfig("dev");
            Object.assign(raw, { environment: "qa", profile: "prod" });
            raw.tags.Environment = "qa";
            expect(defaultsIn(validateStackConfig(raw))).to.deep.equal(PROFILE_DEFAULTS.prod);
        });

        it("are counts of at least one and retentions Kafka and Trivy read, in each profile, each accepted as a stack file's own value in either stack", () => {
            expect(defaultKeys(/(^r|R)eplicas$/).map((path) => path.join("."))).to.deep.equal(COUNT_KEYS);
            expect(defaultKeys(/^(retention|reportTtl)$/).map((path) => path.join("."))).to.deep.equal(["observability.kafka.retention", "security.trivy.reportTtl"]);
            for (const profile of PROFILES) {
                for (const path of [...defaultKeys(/(^r|R)eplicas$/), ...defaultKeys(/^(retention|reportTtl)$/)]) {
                    const value = path.reduce<any>((node, key) => node[key], PROFILE_DEFAULTS[profile]);
                    for (const stack of ["dev", "prod"] as const) expect(problems(stack, setAt(path, value)), `${profile} ${path.join(".")} in ${stack}`).to.deep.equal([]);
                }
            }
        });

        it("are the counts and retentions the README quotes, the same in both profiles but prod's Alertmanagers", () => {
            const readme = fs.readFileSync(join(__dirname, "..", "README.md"), "utf8");
            const keys = [...defaultKeys(/(^r|R)eplicas$/), ...defaultKeys(/^(retention|reportTtl)$/)];
            const values = (profile: keyof typeof PROFILE_DEFAULTS) => Object.fromEntries(keys.map((k) => [k.join("."), k.reduce<any>((node, key) => node[key], PROFILE_DEFAULTS[profile])]));
            // Prod's Alertmanager is clustered (HA); every other count and retention is the same in both.
            expect(values("prod")).to.deep.equal({ ...values("dev"), "observability.prometheus.alertmanagerReplicas": 2 });
            expect(values("dev")["observability.prometheus.alertmanagerReplicas"]).to.equal(1);
            expect(readme).to.include("`observability.prometheus.alertmanagerReplicas` | 1 in dev, 2 in prod:");
            const { cluster: c, observability: o, security: s, operations: p, ui } = PROFILE_DEFAULTS.prod;
            expect(c.addons.ebsControllerReplicas).to.equal(c.addons.corednsReplicas);
            expect(readme).to.include(`\`corednsReplicas\` and \`ebsControllerReplicas\` (${c.addons.corednsReplicas} each)`);
            const single = [c.clusterAutoscaler.replicas, o.kafka.operatorReplicas, s.trivy.operatorReplicas, p.headlamp.replicas, p.kubecost.frontendReplicas, ui.controller.replicas];
            expect(new Set(single).size).to.equal(1);
            expect(readme).to.include(`\`operations.kubecost.frontendReplicas\`, \`ui.controller.replicas\` | ${single[0]} each;`);
            const caches = [o.mimir.cacheReplicas.chunks, o.mimir.cacheReplicas.results, o.loki.cacheReplicas.chunks, o.loki.cacheReplicas.results, o.tempo.memcachedReplicas];
            expect(new Set(caches).size).to.equal(1);
            expect(readme).to.include(`\`observability.tempo.memcachedReplicas\` | ${caches[0]} each;`);
            expect(readme).to.include(`\`alertmanagerReplicas\` | ${[o.mimir.querySchedulerReplicas, o.mimir.rulerReplicas, o.mimir.compactorReplicas, o.mimir.alertmanagerReplicas].join(", ")}: the chart's counts`);
            expect(readme).to.include(`how long brokers keep records (\`${o.kafka.retention}\`)`);
            expect(readme).to.include(`before the operator scans again (\`${s.trivy.reportTtl}\`)`);
        });
    });

    describe("a stack file's override", () => {
        it("merges key by key: one workload's memory keeps its cpu and limit, and every other workload and size stays the profile's", () => {
            const raw = rawConfig("prod");
            raw.observability.loki.resources = { write: { memory: "1Gi" } };
            raw.observability.alloy = { resources: { events: { cpu: "50m" } } };
            raw.operations.kubecost.volumes = { aggregatorDb: "64Gi" };
            raw.observability.mimir.cacheMiB = { results: 128 };
            const sizes = defaultsIn(validateStackConfig(raw));
            const prod = PROFILE_DEFAULTS.prod;
            expect(sizes).to.deep.equal({
                ...prod,
                observability: {
                    ...prod.observability,
                    loki: { ...prod.observability.loki, resources: { ...prod.observability.loki.resources, write: { cpu: "200m", memory: "1Gi", memoryLimit: "1536Mi" } } },
                    alloy: { resources: { ...prod.observability.alloy.resources, events: { cpu: "50m", memory: "96Mi", memoryLimit: "192Mi" } } },
                    mimir: { ...prod.observability.mimir, cacheMiB: { results: 128, chunks: 512 } },
                },
                operations: { ...prod.operations, kubecost: { ...prod.operations.kubecost, volumes: { aggregatorDb: "64Gi", localStore: "16Gi" } } },
            });
        });

        it("is never changed by the merge: a value of the wrong shape reaches the schema as written", () => {
            const raw = rawConfig("prod");
            raw.observability.loki.resources = "large";
            expect((withProfileDefaults(raw).observability as any).loki.resources).to.equal("large");
        });
    });

    describe("values that are not requests, in the values they drive", () => {
        const override = (change: (c: Record<string, any>) => void) => {
            const raw = rawConfig("prod");
            change(raw);
            return validateStackConfig(raw);
        };

        it("memcached's caches, the ingesters' volume and the brokers' heap", () => {
            const config = override((c) => {
                c.observability.mimir.cacheMiB = { chunks: 384 };
                c.observability.mimir.volumes = { ingester: "40Gi" };
                c.observability.loki.cacheMiB = { results: 96 };
                c.observability.kafka.brokerHeap = "768m";
            }).observability;
            const mimir = mimirValues(config, {
                region: "us-east-1", buckets: { blocks: "b", ruler: "r", alertmanager: "a" }, roleArn: "arn", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], storageClassName: "gp3", kafkaAddress: "k:9092",
            }) as any;
            expect([mimir["chunks-cache"].allocatedMemory, mimir["results-cache"].allocatedMemory, mimir.ingester.persistentVolume.size]).to.deep.equal([384, 256, "40Gi"]);
            const loki = lokiValues(config, { region: "us-east-1", storageClassName: "gp3", buckets: { chunks: "c", ruler: "r" }, roleArn: "arn" }) as any;
            expect([loki.chunksCache.allocatedMemory, loki.resultsCache.allocatedMemory]).to.deep.equal([512, 96]);
            expect((kafkaNodePoolSpec(config, { storageClassName: "gp3" }) as any).jvmOptions).to.deep.equal({ "-Xms": "768m", "-Xmx": "768m" });
        });

        it("Trivy's concurrent scans and Kubecost's volumes and savings profile", () => {
            const config = override((c) => {
                c.security.trivy.concurrentScans = 5;
                c.operations.kubecost.volumes = { localStore: "24Gi" };
                c.operations.kubecost.savingsProfile = "high-availability";
            });
            expect((trivyValues(config.security.trivy, "role") as any).operator.scanJobsConcurrentLimit).to.equal(5);
            const kubecost = kubecostValues({ clusterName: "c", storageClassName: "gp3", config: config.operations.kubecost }) as any;
            expect([kubecost.aggregator.aggregatorDbStorage.storageRequest, kubecost.localStore.persistentVolume.size, kubecost.kubecostProductConfigs])
                .to.deep.equal(["32Gi", "24Gi", { clusterProfile: "high-availability" }]);
        });

        it("Kafka's retention in the Kafka resource's config, Trivy's report lifetime and the operators' replicas", () => {
            const config = override((c) => {
                c.observability.kafka.retention = "1w";
                c.observability.kafka.operatorReplicas = 2;
                c.security.trivy.reportTtl = "2d";
                c.security.trivy.operatorReplicas = 3;
            });
            expect((kafkaSpec(config.observability) as any).kafka.config).to.deep.equal({
                "auto.create.topics.enable": false,
                "default.replication.factor": 3,
                "min.insync.replicas": 2,
                "offsets.topic.replication.factor": 3,
                "transaction.state.log.replication.factor": 3,
                "transaction.state.log.min.isr": 2,
                "log.retention.hours": 168,
            });
            expect(strimziValues(config.observability).replicas).to.equal(2);
            expect((trivyValues(config.security.trivy, "role") as any).operator).to.deep.equal({
                vulnerabilityScannerEnabled: true,
                configAuditScannerEnabled: true,
                rbacAssessmentScannerEnabled: true,
                exposedSecretScannerEnabled: true,
                infraAssessmentScannerEnabled: true,
                replicas: 3,
                scannerReportTTL: "48h",
                scanJobsConcurrentLimit: 3,
            });
        });
    });

    describe("bad counts and retentions: one error each, at the key, with the value and what is allowed", () => {
        it("refuses a count below one, above 20, fractional or quoted, at each count key", () => {
            for (const path of defaultKeys(/(^r|R)eplicas$/)) {
                const key = path.join(".");
                for (const bad of [0, 21, 1.5, "2"]) {
                    expect(problems("prod", setAt(path, bad)), `${key} = ${JSON.stringify(bad)}`).to.deep.equal([
                        `${key}: got ${JSON.stringify(bad)}; allowed: a whole number from 1 to 20`,
                    ]);
                }
            }
        });

        it("refuses a retention that is not a whole number of hours, days or weeks", () => {
            for (const path of defaultKeys(/^(retention|reportTtl)$/)) {
                const key = path.join(".");
                for (const bad of [24, "24", "1.5d", "0h", "90m", "24hours"]) {
                    expect(problems("prod", setAt(path, bad)), `${key} = ${JSON.stringify(bad)}`).to.deep.equal([
                        `${key}: got ${JSON.stringify(bad)}; allowed: a duration such as 72h, 15d or 2w`,
                    ]);
                }
            }
        });
    });

    describe("bad sizes: one error each, at the key, with the value and what is allowed", () => {
        it("refuses quantities Kubernetes would not take", () => {
            expect(problems("prod", (c) => { c.observability.loki.resources = { write: { cpu: "250 m" } }; })).to.deep.equal([
                'observability.loki.resources.write.cpu: got "250 m"; allowed: a CPU quantity above zero such as "250m" or "1" (whole millicores, or cores with at most three decimals)',
            ]);
            expect(problems("dev", (c) => { c.security.istio.resources = { proxy: { memory: "64MB" } }; })).to.deep.equal([
                'security.istio.resources.proxy.memory: got "64MB"; allowed: a memory quantity above zero such as "512Mi" or "2Gi" (units Ki, Mi, Gi, Ti or k, M, G, T)',
            ]);
            expect(problems("prod", (c) => { c.backup.velero.resources = { nodeAgent: { cpu: 1 } }; })).to.deep.equal([
                // YAML reads an unquoted 1 as a number; in quotes it is one core.
                'backup.velero.resources.nodeAgent.cpu: got the number 1 (an unquoted value, which YAML reads as a number); allowed: a CPU quantity above zero such as "250m" or "1" (whole millicores, or cores with at most three decimals), as text: write it in quotes',
            ]);
            expect(problems("prod", (c) => { c.operations.kubecost.volumes = { localStore: "16G" }; })).to.deep.equal([
                'operations.kubecost.volumes.localStore: got "16G"; allowed: a size above zero in whole Gi, such as 10Gi',
            ]);
        });

        it("says when the value at fault is the profile's: a request raised above the default limit", () => {
            expect(problems("prod", (c) => { c.observability.loki.resources = { write: { memory: "2Gi" } }; })).to.deep.equal([
                'observability.loki.resources.write.memoryLimit: got "1536Mi" (the prod profile\'s default); allowed: at least observability.loki.resources.write.memory (2Gi): a container\'s memory limit is never below its request',
            ]);
        });

        it("refuses a workload the component does not have, and sizes that are not an object", () => {
            expect(problems("prod", (c) => { c.observability.loki.resources = { writer: { memory: "1Gi" } }; })).to.deep.equal([
                "observability.loki.resources.writer: got a key that does not exist here (did you mean observability.loki.resources.write?); allowed: the keys of observability.loki.resources: singleBinary, read, write, backend, gateway, gatewayMetrics, rulesSidecar, chunksCache, resultsCache, memcachedExporter",
            ]);
            expect(problems("prod", (c) => { c.observability.loki.resources = "large"; })).to.have.length(1);
        });

        it("refuses a Kafka heap above the broker's memory, and a memcached cache that fills its pod", () => {
            expect(problems("prod", (c) => { c.observability.kafka.brokerHeap = "2g"; })).to.deep.equal([
                'observability.kafka.brokerHeap: got "2g"; allowed: at most observability.kafka.resources.broker.memory (1536Mi): the heap lives inside the broker\'s memory',
            ]);
            expect(problems("prod", (c) => { c.observability.kafka.brokerHeap = "1.5g"; })).to.deep.equal([
                'observability.kafka.brokerHeap: got "1.5g"; allowed: a JVM heap size such as "512m" or "1g"',
            ]);
            expect(problems("dev", (c) => { c.observability.mimir.cacheMiB = { chunks: 160 }; })).to.deep.equal([
                "observability.mimir.cacheMiB.chunks: got 160; allowed: less than observability.mimir.resources.chunksCache.memory (160Mi): memcached needs its cache plus room for connections",
            ]);
            // Raising the pod's memory with the cache is the fix, and is accepted.
            expect(problems("dev", (c) => { c.observability.mimir.cacheMiB = { chunks: 160 }; c.observability.mimir.resources = { chunksCache: { memory: "192Mi", memoryLimit: "192Mi" } }; })).to.deep.equal([]);
        });

        it("without a valid profile, reports the profile alone: the sizes it would have filled in are not missing keys of their own", () => {
            expect(problems("prod", (c) => { c.profile = "large"; })).to.deep.equal(["profile: got \"large\"; allowed: one of dev, prod"]);
            // A component missing from the stack file is its own mistake, whatever the profile.
            expect(problems("prod", (c) => { c.profile = "large"; delete c.observability.kiali; }).map((p) => p.split(":")[0])).to.deep.equal(["profile", "observability.kiali"]);
        });
    });
});
