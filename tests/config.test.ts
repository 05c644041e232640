import { expect } from "chai";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { allowedKeys, CONFIG_DOCS, ConfigError, nearestKeys, validateStackConfig } from "../config/load";
import { STRUCTURED_KEYS } from "../config/load";
import { checkAvailabilityZones } from "../platform";
import { rawConfig, rejectionOf } from "./support/config";
import { stackWith } from "./support/stacks";

/** Validates a changed config and returns the error's message; fails when nothing is rejected. */
function rejection(stack: "dev" | "prod", change: (c: Record<string, any>) => void): string {
    const error = rejectionOf(stack, change);
    if (!error) throw new Error("the config was accepted");
    return error.message;
}

/** The problems a config error lists, one per line. */
const problems = (message: string) => message.split("\n").filter((l) => l.startsWith("  - ")).map((l) => l.slice(4));

describe("stack config", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`accepts the ${stack} stack file as it is`, () => {
            const config = validateStackConfig(rawConfig(stack));
            expect(config.environment).to.equal(stack);
            expect(config.region).to.equal("us-east-1");
        });
    }

    describe("rejects, naming the key, the value and what is allowed", () => {
        it("fewer than 2 availability zones", () => {
            const message = rejection("dev", (c) => { c.network.availabilityZones = ["us-east-1a"]; });
            expect(message).to.include("network.availabilityZones").and.include('["us-east-1a"]').and.include("at least 2");
        });

        it("more availability zones than the region offers", () => {
            const offered = ["us-east-1a", "us-east-1b", "us-east-1c"];
            expect(() => checkAvailabilityZones(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], offered, "us-east-1"))
                .to.throw(ConfigError, /network\.availabilityZones: got .*us-east-1d.*at most 3 of the zones us-east-1 offers/);
            expect(() => checkAvailabilityZones(["us-east-1a", "us-east-1z"], offered, "us-east-1")).to.throw(ConfigError, /not offered: us-east-1z/);
        });

        it("a zone the region does not offer, before any AWS resource is declared", async () => {
            let error: unknown;
            try {
                await stackWith("dev", (c) => { c.network.availabilityZones = ["us-east-1a", "us-east-1q"]; });
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(ConfigError);
            expect((error as Error).message).to.include("us-east-1q");
        });

        it("a malformed CIDR", () => {
            const message = rejection("prod", (c) => { c.network.vpcCidr = "10.0.0.0/33"; });
            expect(message).to.include("network.vpcCidr").and.include('"10.0.0.0/33"').and.include("IPv4 CIDR");
        });

        it("a CIDR with host bits set", () => {
            expect(rejection("prod", (c) => { c.network.vpcCidr = "10.0.0.1/16"; })).to.include("no host bits");
        });

        it("overlapping CIDRs", () => {
            const message = rejection("prod", (c) => { c.network.podCidr = "100.64.0.0/16"; c.network.vpcCidr = "100.64.0.0/16"; });
            expect(message).to.include("network.podCidr").and.include("does not overlap network.vpcCidr");
        });

        it("a pod CIDR outside 100.64.0.0/10", () => {
            const message = rejection("prod", (c) => { c.network.podCidr = "172.16.0.0/16"; });
            expect(message).to.include("network.podCidr").and.include('"172.16.0.0/16"').and.include("inside 100.64.0.0/10");
        });

        it("subnets that do not fit their CIDR", () => {
            const message = rejection("prod", (c) => { c.network.podSubnetPrefixLength = 17; });
            expect(message).to.include("network.availabilityZones").and.include("100.64.0.0/16 holds 65536");
        });

        it("a node group whose sizes are out of order", () => {
            const message = rejection("prod", (c) => { Object.assign(c.cluster.nodeGroups[0], { minSize: 4, desiredSize: 3, maxSize: 10 }); });
            expect(message).to.include("cluster.nodeGroups[0]").and.include("minSize <= desiredSize <= maxSize").and.include("min 4, desired 3, max 10");
            expect(rejection("prod", (c) => { Object.assign(c.cluster.nodeGroups[0], { minSize: 2, desiredSize: 11, maxSize: 10 }); })).to.include("desired 11, max 10");
        });

        it("a disk below 20 GB", () => {
            const message = rejection("dev", (c) => { c.cluster.nodeGroups[0].diskSizeGb = 10; });
            expect(message).to.include("cluster.nodeGroups[0].diskSizeGb: got 10").and.include("from 20");
        });

        it("an unknown volume type", () => {
            const message = rejection("dev", (c) => { c.cluster.nodeGroups[0].volumeType = "io9"; });
            expect(message).to.include("cluster.nodeGroups[0].volumeType").and.include('"io9"').and.include("one of gp2, gp3");
        });

        it("a retention that is not a duration", () => {
            const message = rejection("prod", (c) => { c.observability.loki.retention = "90 days"; });
            expect(message).to.include("observability.loki.retention").and.include('"90 days"').and.include("a duration such as");
        });

        it("Kiali without Istio", () => {
            const message = rejection("prod", (c) => { c.security.istio.enabled = false; });
            expect(message).to.include("observability.kiali.enabled: got true").and.include("security.istio.enabled is false");
        });

        for (const tag of ["Project", "Environment", "Owner", "CostCenter"]) {
            it(`a missing or empty ${tag} tag`, () => {
                expect(rejection("prod", (c) => { delete c.tags[tag]; })).to.include(`tags.${tag}: got nothing`);
                expect(rejection("prod", (c) => { c.tags[tag] = "  "; })).to.include(`tags.${tag}`).and.include("non-empty");
            });
        }

        it("an Environment tag that contradicts the stack's environment", () => {
            expect(rejection("dev", (c) => { c.tags.Environment = "prod"; })).to.include("tags.Environment").and.include("the stack's environment (dev)");
        });

        it("a Kubernetes version out of standard support", () => {
            expect(rejection("prod", (c) => { c.cluster.kubernetesVersion = "1.29"; })).to.include("cluster.kubernetesVersion").and.include("extended support");
        });

        it("a public endpoint open to the internet", () => {
            expect(rejection("dev", (c) => { c.cluster.publicAccessCidrs = ["0.0.0.0/0"]; })).to.include("cluster.publicAccessCidrs").and.include("0.0.0.0/0");
        });

        it("a public endpoint with no allow-list", () => {
            expect(rejection("dev", (c) => { c.cluster.publicAccessCidrs = []; })).to.include("at least one CIDR");
        });

        it("Mimir ingest storage without Kafka", () => {
            expect(rejection("prod", (c) => { c.observability.kafka.enabled = false; })).to.include("observability.kafka.enabled").and.include("write through Kafka");
        });

        it("a node group per zone whose maximum does not reach every zone, and a name prefix EKS would refuse", () => {
            const message = rejection("prod", (c) => { c.cluster.nodeGroups[0].maxSize = 2; c.cluster.nodeGroups[0].minSize = 0; c.cluster.nodeGroups[0].desiredSize = 2; });
            expect(message).to.include("cluster.nodeGroups[0].maxSize: got 2").and.include("at least the group's 3 zones when groupPerZone is true");
            const long = rejection("prod", (c) => { c.cluster.nodeGroups[0].name = "general-purpose"; });
            expect(long).to.include('cluster.nodeGroups[0].name: got "general-purpose"').and.include('"nist-eks-prod-general-purpose-us-east-1a-" has 41');
            expect(() => validateStackConfig((() => { const c = rawConfig("prod"); c.cluster.nodeGroups[0].groupPerZone = false; c.cluster.nodeGroups[0].name = "general-purpose"; return c; })())).not.to.throw();
        });

        it("a namespaced cluster-admin access entry, and a principal listed twice", () => {
            const scoped = rejection("dev", (c) => { Object.assign(c.cluster.access.entries[0], { policy: "cluster-admin", namespaces: ["monitoring"] }); });
            expect(scoped).to.include('cluster.access.entries[0].namespaces: got ["monitoring"]; allowed: [] for the cluster-admin policy');
            const twice = rejection("dev", (c) => {
                c.cluster.access.breakGlassRoleArn = c.cluster.access.deployRoleArn;
                c.cluster.access.entries.push({ ...c.cluster.access.entries[0], principalArn: c.cluster.access.deployRoleArn.replace("platform-deploy", "Platform-Deploy") }, { ...c.cluster.access.entries[0] });
            });
            // Every duplicate in one error at the key, each principal with the places that list it (IAM names ignore case).
            expect(problems(twice)).to.deep.equal([
                "cluster.access: got principals listed more than once: arn:aws:iam::123456789012:role/platform-deploy (deployRoleArn, breakGlassRoleArn, entries[1]); "
                + "arn:aws:iam::123456789012:role/platform-preview (entries[0], entries[2]); allowed: each principal once: EKS takes one access entry per principal, and IAM compares names without case",
            ]);
        });

        it("Mimir ingester zones where no node runs", () => {
            const message = rejection("prod", (c) => { c.cluster.nodeGroups[0].availabilityZones = ["us-east-1a"]; });
            expect(message).to.include("observability.mimir.ingesterZones: got 3").and.include("zones nodes run in (us-east-1a)");
        });

        it("a Tempo storage that does not suit its mode", () => {
            expect(rejection("prod", (c) => { c.observability.tempo.storage = "local"; })).to.include("observability.tempo.storage").and.include("s3 when");
            expect(rejection("dev", (c) => { c.observability.tempo.storage = "s3"; })).to.include("local when");
        });

        it("a gp2 Grafana volume on a cluster without the encrypted gp2 class", () => {
            // Dev's Grafana has a volume (SQLite); prod's keeps its state in a database and has none.
            expect(rejection("dev", (c) => { c.cluster.defaultStorageClass = "gp3"; })).to.include("observability.grafana.storageClass").and.include("cluster.defaultStorageClass is gp2");
        });

        it("an unknown key, such as a typo", () => {
            expect(problems(rejection("prod", (c) => { c.network.natGateway = "single"; }))).to.deep.equal([
                `network.natGateway: got a key that does not exist here (did you mean network.natGateways?); allowed: the keys of network: ${allowedKeys(["network"]).join(", ")}`,
            ]);
        });

        it("a node group in a zone the network does not have", () => {
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].availabilityZones = ["us-east-1c"]; })).to.include("cluster.nodeGroups[0].availabilityZones[0]");
        });

        for (const stack of ["dev", "prod"] as const) {
            it(`a Velero schedule Velero would refuse, in ${stack} too (whatever the policy pack's level there)`, () => {
                const message = rejection(stack, (c) => { c.backup.velero.schedules = [{ name: "nightly", cron: "0 25 * * *", ttl: "7d" }]; });
                expect(problems(message)).to.deep.equal([
                    `backup.velero.schedules[0].cron: got "0 25 * * *" in schedule "nightly"; allowed: a schedule Velero accepts: five fields (minute hour day-of-month month day-of-week) such as 0 2 * * *, or @daily, @weekly, @every 24h (here: hour 25 is outside 0-23)`,
                ]);
            });
        }

        it("one error per mistake: checks that read a key already in error stay quiet", () => {
            expect(problems(rejection("prod", (c) => { c.network.vpcCidr = "10.0.0.0/33"; }))).to.have.length(1);
            expect(problems(rejection("prod", (c) => { c.network.availabilityZones = ["us-east-1a"]; }))).to.deep.equal([
                'network.availabilityZones: got ["us-east-1a"]; allowed: at least 2 availability zone names: EKS needs subnets in 2 zones',
            ]);
            expect(problems(rejection("prod", (c) => { c.cluster.nodeGroups[0].minSize = 1.5; }))).to.deep.equal([
                'cluster.nodeGroups[0].minSize: got 1.5 in node group "general"; allowed: a whole number from 0 to 100',
            ]);
            // Two independent mistakes are still two errors.
            expect(problems(rejection("prod", (c) => { c.network.vpcCidr = "nope"; c.observability.kafka.brokers = 0; }))).to.have.length(2);
        });

        it("a node group by its name, never dumped", () => {
            const message = rejection("prod", (c) => { Object.assign(c.cluster.nodeGroups[0], { minSize: 4, desiredSize: 3 }); });
            expect(problems(message)).to.deep.equal(['cluster.nodeGroups[0]: got min 4, desired 3, max 10 in node group "general"; allowed: sizes with minSize <= desiredSize <= maxSize']);
        });

        it("an instance type that is not a current EC2 type, naming its key and the nearest real names", () => {
            const message = rejection("dev", (c) => { c.cluster.nodeGroups[0].instanceTypes[1] = "m5.larg"; });
            expect(message).to.equal('Invalid stack config:\n  - cluster.nodeGroups[0].instanceTypes[1]: got "m5.larg" in node group "general"; allowed: a current EC2 instance type; nearest: m5.large, m5.xlarge, m5n.large');
            expect(rejection("prod", (c) => { c.cluster.bastion.instanceType = "t4g.mikro"; })).to.include('cluster.bastion.instanceType: got "t4g.mikro"').and.include("nearest: t4g.micro");
        });

        it("an instance type whose pod capacity cannot be planned", () => {
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].instanceTypes = ["hpc7a.12xlarge"]; })).to.include("cluster.nodeGroups[0].instanceTypes[0]").and.include("known network interfaces");
        });

        it("a node group mixing architectures, which one AMI cannot boot", () => {
            const message = rejection("dev", (c) => { c.cluster.nodeGroups[0].instanceTypes = ["t3a.medium", "t4g.medium", "t3.medium"]; });
            expect(message).to.include("cluster.nodeGroups[0].instanceTypes: got").and.include("one architecture").and.include("amd64: t3a.medium, t3.medium; arm64: t4g.medium");
        });

        it("a capacity type EKS does not have", () => {
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].capacityType = "spot"; })).to.include('cluster.nodeGroups[0].capacityType: got "spot" in node group "general"; allowed: one of ON_DEMAND, SPOT');
        });

        it("working hours that are not a daytime window in a real time zone", () => {
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].schedule.timeZone = "Mars/Olympus"; })).to.include("cluster.nodeGroups[0].schedule.timeZone").and.include("IANA time zone");
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].schedule.days = ["MON", "MON"]; })).to.include("cluster.nodeGroups[0].schedule.days").and.include("distinct days");
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].schedule.days = ["MONDAY"]; })).to.include("cluster.nodeGroups[0].schedule.days[0]").and.include("one of SUN, MON");
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].schedule.start = "8:00"; })).to.include("cluster.nodeGroups[0].schedule.start").and.include("08:00");
            expect(rejection("dev", (c) => { c.cluster.nodeGroups[0].schedule.stop = "07:00"; })).to.include('cluster.nodeGroups[0].schedule.stop: got "07:00" in node group "general"; allowed: a time after schedule.start (08:00) on the same day');
        });

        it("a Spot discount without the month it was read", () => {
            expect(rejection("dev", (c) => { c.costAssumptions.spotDiscountAsOf = "recently"; })).to.include("costAssumptions.spotDiscountAsOf").and.include("such as 2026-11");
            expect(rejection("dev", (c) => { c.costAssumptions.spotDiscountPercent = 95; })).to.include("costAssumptions.spotDiscountPercent");
        });

        it("several problems at once, each on its own line", () => {
            // Two mistakes of one key's own, three that only show beside other keys: all five in one run.
            expect(problems(rejection("prod", (c) => {
                c.network.vpcCidr = "nope";
                c.cluster.nodeGroups[0].diskSizeGb = 1;
                c.tags.Environment = "production";
                c.security.istio.enabled = false;
                c.observability.tempo.storage = "local";
            }))).to.deep.equal([
                'network.vpcCidr: got "nope"; allowed: an IPv4 CIDR such as 10.0.0.0/16, with no host bits set',
                'cluster.nodeGroups[0].diskSizeGb: got 1 in node group "general"; allowed: a whole number from 20 to 16384',
                'tags.Environment: got "production"; allowed: the stack\'s environment (prod)',
                "observability.kiali.enabled: got true; allowed: false while security.istio.enabled is false: Kiali only shows Istio mesh traffic",
                'observability.tempo.storage: got "local"; allowed: s3 when observability.tempo.mode is distributed',
            ]);
            const message = rejection("dev", (c) => { c.network.vpcCidr = "nope"; c.cluster.nodeGroups[0].diskSizeGb = 1; });
            expect(message.split("\n").filter((l) => l.startsWith("  - "))).to.have.length.greaterThan(1);
        });
    });

    describe("who owns the account's Session Manager preferences (cluster.bastion.sessionPreferences)", () => {
        /** prod's config with the bastion's keys replaced by `bastion`'s (undefined deletes one); its problems, none when accepted. */
        const withBastion = (bastion: Record<string, unknown>) => {
            const error = rejectionOf("prod", (c) => {
                for (const [key, value] of Object.entries(bastion)) {
                    if (value === undefined) delete c.cluster.bastion[key];
                    else c.cluster.bastion[key] = value;
                }
            });
            return error ? error.problems : [];
        };
        const PRODS_GROUP = "/aws/ssm/nist-eks-prod/sessions";
        const NAME_ALLOWED = "a CloudWatch log group name of 1 to 512 letters, digits and _ - / . #, not starting with aws/, such as /aws/ssm/nist-eks-prod/sessions";

        it("is listed by both stack files, and required: nothing is assumed about an account", () => {
            expect([rawConfig("prod").cluster.bastion, rawConfig("dev").cluster.bastion].map((b) => [b.sessionPreferences, b.sessionLogGroupName]))
                .to.deep.equal([["create", undefined], ["existing", PRODS_GROUP]]);
            const missing = ["cluster.bastion.sessionPreferences: got nothing (the key is missing); allowed: one of create, existing"];
            expect(withBastion({ sessionPreferences: undefined })).to.deep.equal(missing);
            expect(withBastion({ sessionPreferences: "import" })).to.deep.equal(['cluster.bastion.sessionPreferences: got "import"; allowed: one of create, existing']);
            // A disabled bastion still states its owner: turning it on later must not change who owns them.
            expect(withBastion({ enabled: false, sessionPreferences: undefined })).to.deep.equal(missing);
        });

        it("existing takes the log group the owner's preferences name, and needs it", () => {
            expect(withBastion({ sessionPreferences: "existing", sessionLogGroupName: PRODS_GROUP })).to.deep.equal([]);
            expect(withBastion({ sessionPreferences: "existing" })).to.deep.equal([
                "cluster.bastion.sessionLogGroupName: got nothing (the key is missing); allowed: the log group the account's Session Manager preferences send sessions to, when cluster.bastion.sessionPreferences is existing",
            ]);
        });

        it("create makes its own log group, so a name beside it is a mistake", () => {
            expect(withBastion({ sessionPreferences: "create", sessionLogGroupName: "/aws/ssm/shared/sessions" })).to.deep.equal([
                'cluster.bastion.sessionLogGroupName: got "/aws/ssm/shared/sessions"; allowed: absent when cluster.bastion.sessionPreferences is create: the stack creates its own sessions log group, /aws/ssm/nist-eks-prod/sessions',
            ]);
        });

        it("a malformed log group name is one error at its key, whichever value names it", () => {
            for (const bad of ["", "aws/ssm/sessions", "/aws/ssm/my sessions", "/aws/ssm/prod:sessions", `/${"x".repeat(512)}`, true]) {
                const expected = [`cluster.bastion.sessionLogGroupName: got ${JSON.stringify(bad)}; allowed: ${NAME_ALLOWED}`];
                expect(withBastion({ sessionPreferences: "existing", sessionLogGroupName: bad }), String(bad)).to.deep.equal(expected);
                expect(withBastion({ sessionPreferences: "create", sessionLogGroupName: bad }), String(bad)).to.deep.equal(expected);
            }
        });

        it("accepts every name CloudWatch does, and only those", () => {
            const allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-/.#".split("");
            const name = fc.array(fc.constantFrom(...allowed), { minLength: 1, maxLength: 512 }).map((cs) => cs.join("")).filter((n) => !n.startsWith("aws/"));
            fc.assert(fc.property(name, (n) => withBastion({ sessionPreferences: "existing", sessionLogGroupName: n }).length === 0), { numRuns: 25 });
            const foreign = fc.constantFrom(" ", ":", "*", "@", "é", "\\", "+");
            fc.assert(fc.property(name, foreign, fc.nat(), (n, c, at) => {
                const bad = n.slice(0, at % n.length) + c + n.slice(at % n.length);
                return withBastion({ sessionPreferences: "existing", sessionLogGroupName: bad }).length === 1;
            }), { numRuns: 25 });
            expect(withBastion({ sessionPreferences: "existing", sessionLogGroupName: `/${"x".repeat(511)}` })).to.deep.equal([]);
        });
    });
});

describe("errors a new user can act on", () => {
    /** Every object of the schema by its path (a list's items at index 0), with the keys it allows. */
    const objects = (at: (string | number)[] = []): { at: (string | number)[]; keys: string[] }[] => {
        const keys = allowedKeys(at);
        if (keys.length === 0) return [];
        return [{ at, keys }, ...keys.flatMap((key) => [...objects([...at, key]), ...objects([...at, key, 0])])];
    };
    /**
     * Every string one edit from `key`: a character added, left out, changed, or two neighbours
     * swapped. Keys are compared without case, and every character that none of `keys` has is as
     * far from each of them as any other: the letters of `keys` and one such stranger stand for all.
     */
    const oneEditFrom = (key: string, keys: readonly string[]): string[] => {
        const alphabet = [...new Set([...keys.join("").toLowerCase(), "#"])];
        const out = new Set<string>();
        for (let i = 0; i <= key.length; i++) {
            for (const ch of alphabet) out.add(key.slice(0, i) + ch + key.slice(i));
            if (i < key.length) {
                out.add(key.slice(0, i) + key.slice(i + 1));
                for (const ch of alphabet) out.add(key.slice(0, i) + ch + key.slice(i + 1));
            }
            if (i < key.length - 1) out.add(key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2));
        }
        return [...out];
    };

    it("suggests the key meant for every misspelling one edit away, at every object of the schema", () => {
        const all = objects();
        expect(all.map((o) => o.at.join("."))).to.include.members(["", "cluster.nodeGroups.0", "observability.loki.resources.write", "observability.grafana.database"]);
        // Objects with the same keys (every workload's size) are one case.
        const distinct = [...new Map(all.map((o) => [o.keys.join(","), o])).values()];
        const misses: string[] = [];
        for (const { at, keys } of distinct) {
            for (const key of keys) {
                for (const typo of oneEditFrom(key, keys).filter((t) => !keys.includes(t))) {
                    if (!nearestKeys(typo, keys).includes(key)) misses.push(`${at.join(".")}: ${typo} -> ${nearestKeys(typo, keys).join(", ")} (meant ${key})`);
                }
            }
        }
        expect(misses.slice(0, 5)).to.deep.equal([]);
        // A word far from every key gets no guess.
        expect(nearestKeys("zzzzzz", allowedKeys(["network"]))).to.deep.equal([]);
    });

    it("reports a misspelt key with the key meant and the keys allowed there, not also the meant key as missing, through the whole validation", () => {
        // A sample of the property above through validateStackConfig: one key of each object of prod's config, misspelt.
        // Not the add-on versions (or a word) nor the database (sqlite or postgres): a union says what it takes as a whole.
        const places = objects().filter(({ at }) => at.length > 0 && !["cluster.addonVersions", "observability.grafana.database"].includes(at.join(".")));
        let checked = 0;
        for (const { at, keys } of places) {
            const raw = rawConfig("prod");
            const parent = at.reduce<any>((node, key) => node?.[key], raw);
            const key = keys.find((k) => parent?.[k] !== undefined);
            if (parent === undefined || key === undefined) continue;
            const typo = key.length > 3 ? key.slice(0, 2) + key[3] + key[2] + key.slice(4) : `${key}s`;
            if (keys.includes(typo) || nearestKeys(typo, keys).length !== 1) continue;
            parent[typo] = parent[key];
            delete parent[key];
            const name = (k: string) => [...at, k].map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("").replace(/^region$/, "aws:region");
            let found: string[] = [];
            try {
                validateStackConfig(raw);
            } catch (e) {
                found = (e as ConfigError).problems;
            }
            expect(found, `${at.join(".")}.${typo}`).to.include(`${name(typo)}: got a key that does not exist here (did you mean ${name(key)}?); allowed: the keys of ${name("").replace(/\.$/, "")}: ${keys.join(", ")}`);
            expect(found.filter((p) => p.startsWith(`${name(key)}:`)), `${at.join(".")}.${typo}`).to.deep.equal([]);
            checked++;
        }
        expect(checked).to.be.greaterThan(25);
    });

    it("names a misspelt section and the one meant, with the sections allowed", () => {
        expect(problems(rejection("prod", (c) => { c.netwrok = c.network; delete c.network; }))).to.deep.equal([
            `netwrok: got a key that does not exist here (did you mean network?); allowed: the stack config's keys: ${allowedKeys([]).join(", ")}`,
        ]);
    });

    it("says which section is missing, its keys, and where the README documents it; and nothing else follows from its absence", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        expect(CONFIG_DOCS).to.equal("README.md#stack-config");
        expect(readme).to.match(/^## Stack config$/m);
        for (const section of STRUCTURED_KEYS) {
            expect(readme, section).to.include(`| \`${section}\` |`);
            const found = problems(rejection("prod", (c) => { delete c[section]; }));
            expect(found, section).to.deep.equal([
                `${section}: got nothing (the section is missing from the stack file: nist-eks-platform:${section}); allowed: an object with the keys ${allowedKeys([section]).join(", ")}, as README.md#stack-config documents (the ${section} row of its table)`,
            ]);
        }
        expect(problems(rejection("prod", (c) => { delete c.observability.kiali; }))).to.deep.equal([
            `observability.kiali: got nothing (the section is missing); allowed: an object with the keys enabled, replicas, resources, as README.md#stack-config documents (the observability row of its table)`,
        ]);
    });

    it("says to quote a version that YAML read as a number", () => {
        expect(problems(rejection("prod", (c) => { c.cluster.kubernetesVersion = 1.3; }))).to.deep.equal([
            "cluster.kubernetesVersion: got the number 1.3 (an unquoted value, which YAML reads as a number, without its trailing zeros (1.30 as 1.3)); allowed: a Kubernetes minor version such as 1.35, as text: write it in quotes",
        ]);
        // With the stack file's text at hand, the value as written.
        const raw = rawConfig("prod");
        raw.cluster.kubernetesVersion = 1.3;
        raw.observability.grafana.database.engineVersion = 17;
        expect(() => validateStackConfig(raw, new Date(), () => new Map([["cluster.kubernetesVersion", "1.30"], ["observability.grafana.database.engineVersion", "17"]]))).to.throw(ConfigError)
            .with.property("problems").that.deep.equals([
                'cluster.kubernetesVersion: got the number 1.3 (the stack file\'s unquoted 1.30, which YAML reads as a number); allowed: a Kubernetes minor version such as 1.35, as text: write it in quotes, "1.30"',
                'observability.grafana.database.engineVersion: got the number 17 (the stack file\'s unquoted 17, which YAML reads as a number); allowed: a PostgreSQL major version such as 17, as text: write it in quotes, "17"',
            ]);
    });

    it("reads the numbers as written only to explain an error: a valid config never parses its text again", () => {
        const unread = () => { throw new Error("the stack file's text was parsed for a valid config"); };
        for (const stack of ["dev", "prod"]) expect(validateStackConfig(rawConfig(stack), new Date(), unread).environment).to.equal(stack);
    });

    it("lists the workloads a component has when a name is not one of them", () => {
        expect(problems(rejection("prod", (c) => { c.observability.loki.resources = { wirte: { memory: "1Gi" } }; }))).to.deep.equal([
            "observability.loki.resources.wirte: got a key that does not exist here (did you mean observability.loki.resources.write?); allowed: the keys of observability.loki.resources: singleBinary, read, write, backend, gateway, gatewayMetrics, rulesSidecar, chunksCache, resultsCache, memcachedExporter",
        ]);
    });

    it("says a volume must be above zero", () => {
        expect(problems(rejection("prod", (c) => { c.observability.kafka.storageSize = "0Gi"; }))).to.deep.equal([
            'observability.kafka.storageSize: got "0Gi"; allowed: a size above zero in whole Gi, such as 10Gi',
        ]);
    });

    it("checks the support window beside the other mistakes, not after them", () => {
        expect(problems(rejection("prod", (c) => {
            c.cluster.kubernetesVersion = "1.36";
            c.cluster.addonVersions = "default";
            c.cluster.nodeGroups[0].releaseVersion = "latest-at-creation";
            c.network.natGateways = "sometimes";
        }))).to.deep.equal([
            'network.natGateways: got "sometimes"; allowed: one of single, one-per-az',
            'cluster.kubernetesVersion: got "1.36"; allowed: a version whose support window lib/data/eks-kubernetes-versions.json lists (1.33, 1.34, 1.35); add a new version\'s dates from the EKS release calendar',
        ]);
    });
});

describe("names that key a list are unique", () => {
    it("two node groups of one name: one error, at the second's name", () => {
        expect(problems(rejection("prod", (c) => { c.cluster.nodeGroups.push(structuredClone(c.cluster.nodeGroups[0])); }))).to.deep.equal([
            'cluster.nodeGroups[1].name: got "general" in node group "general"; allowed: a name no other node group has (cluster.nodeGroups[0] is "general" too)',
        ]);
    });

    it("a group whose name is another's split per zone: the EKS node group names would meet", () => {
        const solo = (c: Record<string, any>) => ({ ...structuredClone(c.cluster.nodeGroups[0]), name: "general-us-east-1a", groupPerZone: false, availabilityZones: ["us-east-1a"], minSize: 0, desiredSize: 0, maxSize: 1 });
        expect(problems(rejection("prod", (c) => { c.cluster.nodeGroups.push(solo(c)); }))).to.deep.equal([
            'cluster.nodeGroups[1].name: got "general-us-east-1a" in node group "general-us-east-1a"; allowed: a name whose EKS node groups no other group\'s share (cluster.nodeGroups[0] makes general-us-east-1a too)',
        ]);
        // Another name is accepted.
        expect(rejectionOf("prod", (c) => { c.cluster.nodeGroups.push({ ...solo(c), name: "batch" }); })).to.equal(undefined);
    });

    it("two Velero schedules of one name", () => {
        expect(problems(rejection("prod", (c) => { c.backup.velero.schedules.push({ ...c.backup.velero.schedules[0], cron: "0 4 * * *" }); }))).to.deep.equal([
            `backup.velero.schedules[${rawConfig("prod").backup.velero.schedules.length}].name: got "${rawConfig("prod").backup.velero.schedules[0].name}" in schedule "${rawConfig("prod").backup.velero.schedules[0].name}"; allowed: a name no other schedule has (backup.velero.schedules[0] is "${rawConfig("prod").backup.velero.schedules[0].name}" too)`,
        ]);
    });
});
