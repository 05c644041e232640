/**
 * Every config the stacks render is checked against the definition of that config at the version that reads it
 * (the image tag in the render): the key files derived from upstream by scripts/derive-config-keys.ts. An unknown
 * key, section, component or block stops Tempo, Mimir, Loki and Alloy at startup, so each one fails here, named by
 * release, file, key path and version; so does a duration the field's Go type cannot parse, and a value outside
 * the values upstream lists. The deriver is tested on small fixtures of each source kind.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigKeyFile, checkAlloy, checkConfig, checkIni, configKeys, describeProblems, parseAlloy, parseIni } from "../lib/config-keys";
import { GitTree, GoConfigReader, USER_SECTION, droppedKeys, fromAlloyPage, fromDescriptor, fromIni, fromOpenApi, fromReference, goStructFields, mergeNodes, stripGoComments, supportedValues } from "../scripts/derive-config-keys";
import { RenderedConfig, parseYamlConfig, renderedConfigs } from "./support/configs";
import { inMode, stack } from "./support/stacks";

/** The problems of one rendered config, each "<release> <from> (<program> <version>) <path>: <problem>". */
function problemsOf(config: RenderedConfig, keys: ConfigKeyFile): string[] {
    const node = keys.files[config.role];
    if (!node) return [`${config.release} ${config.from}: ${config.program} ${config.version} defines no ${config.role} file`];
    const found = (keys.format === "alloy" ? checkAlloy(node, parseAlloy(config.text)) : keys.format === "ini" ? checkIni(node, parseIni(config.text)) : checkConfig(node, parseYamlConfig(config.text)))
        .filter((p) => !(config.chartOwn.includes(p.path) && p.problem === "is not a key"));
    return describeProblems(found).map((p) => `${config.release} ${config.from} (${config.program} ${config.version}) ${p}`);
}

describe("rendered application configs against their version's own keys", () => {
    const checked: Record<string, string[]> = {};
    for (const name of ["dev", "prod"] as const) {
        it(`${name}: every key, section, component and value is one the reading version accepts`, async () => {
            const run = await stack(name);
            const configs = renderedConfigs(run);
            checked[name] = configs.map((c) => `${c.program} ${c.version} ${c.role}`).sort();
            const problems = configs.flatMap((c) => problemsOf(c, configKeys(c.program, c.version)));
            expect(problems, `keys the pinned versions do not accept:\n  ${problems.join("\n  ")}\n`).to.deep.equal([]);
        });
    }

    // The releases each observability mode keeps, reconfigured by it (Grafana's datasources, Kiali without Grafana).
    for (const mode of ["aws-managed", "amp-amg", "hybrid"] as const) {
        for (const name of ["dev", "prod"] as const) {
            it(`${name} in observability mode ${mode}: every config it still renders is one the reading version accepts`, async () => {
                const configs = renderedConfigs(await inMode(name, mode));
                const problems = configs.flatMap((c) => problemsOf(c, configKeys(c.program, c.version)));
                expect(problems, `keys the pinned versions do not accept:\n  ${problems.join("\n  ")}\n`).to.deep.equal([]);
            });
        }
    }

    it("cover every consumer of both stacks, at the versions the images pin", () => {
        expect(checked).to.deep.equal({
            dev: ["alloy 1.18.1 config", "alloy 1.18.1 config", "grafana 13.2.0 config", "loki 3.7.6 config", "loki 3.7.6 runtime", "tempo 2.10.8 config", "tempo 2.10.8 runtime"],
            prod: ["alloy 1.18.1 config", "alloy 1.18.1 config", "grafana 13.2.0 config", "kiali 2.29.0 config", "loki 3.7.6 config", "loki 3.7.6 runtime", "mimir 3.2.0 config", "mimir 3.2.0 runtime", "tempo 3.0.3 config", "tempo 3.0.3 runtime"],
        });
    });

    it("name a key the version does not define, a Go duration with a day unit and a value outside upstream's list", () => {
        const tempo = configKeys("tempo", "3.0.3");
        expect(describeProblems(checkConfig(tempo.files.config, { ingest: { kafka: { address: "k:9093", tls_enabled: true } }, storage: { trace: { blocklist_poll: "1d" } } }))).to.deep.equal([
            "ingest.kafka.tls_enabled: is not a key",
            'storage.trace.blocklist_poll: "1d" uses a d, w or y unit, which this Go time.Duration field rejects (only h, m, s, ms, us, ns)',
        ]);
        // model.Duration fields take days: Tempo's per-tenant override period is one.
        expect(checkConfig(tempo.files.config, { overrides: { per_tenant_override_period: "1d" } })).to.deep.equal([]);
        const loki = configKeys("loki", "3.7.6");
        expect(describeProblems(checkConfig(loki.files.config, { limits_config: { retention_period: "30d", reject_old_samples_max_age: "1w" }, common: { storage: { s3: { bucketnames: "b", region: "r", no_such: 1 } } }, memberlist: { join_members: ["a"] } })))
            .to.deep.equal(["common.storage.s3.no_such: is not a key"]);
        const mimir = configKeys("mimir", "3.2.0");
        expect(describeProblems(checkConfig(mimir.files.config, { distributor: { ring: { kvstore: { store: "zookeeper" } } }, limits: { compactor_blocks_retention_period: "1y", max_global_series_per_user: "x", ingestion_rate: 1 }, server: { http_listen_port: { port: 1 } } })))
            .to.deep.equal(['distributor.ring.kvstore.store: "zookeeper" is not one of "consul", "etcd", "inmemory", "memberlist", "multi"', "server.http_listen_port: is a value, not a block"]);
    });

    it("name a grafana.ini section or key Grafana does not define, which it would silently ignore", () => {
        const grafana = configKeys("grafana", "13.2.0").files.config;
        const ini = parseIni("app_mode = production\napp_mod = production\n[database]\nssl_mode = verify-full\nssl_mod = verify-full\n[unifed_storage]\nindex_path = /x\n[unified_alerting]\nha_peers = a:9094\n[server.custom_response_headers]\nX-Frame-Options = DENY\n");
        expect(describeProblems(checkIni(grafana, ini))).to.deep.equal(["app_mod: is not a key", "database.ssl_mod: is not a key", "unifed_storage: is not a section"]);
        // A section name used as a key, and a key used as a section, are both wrong.
        expect(describeProblems(checkIni(grafana, parseIni("database = x\n[app_mode]\na = b\n")))).to.deep.equal(["database: is not a key", "app_mode: is not a section"]);
        expect(() => parseIni("[database]\nssl_mode\n")).to.throw(/line 2 is neither/);
    });

    it("read Alloy components, arguments and blocks, and refuse what the version does not have", () => {
        const alloy = configKeys("alloy", "1.18.1").files.config;
        const text = 'loki.write "x" {\n  endpoint {\n    url = "http://a" // trailing\n    batch_wait = "1d"\n    remote_timeout = "30s"\n    tls_config { ca_file = "/ca" }\n    no_arg = 1\n  }\n  external_labels = { a = "b", c = sys.env("X") }\n}\nloki.nope "y" {}\ndiscovery.relabel "z" {\n  targets = []\n  rule { action = "keep" }\n  relabel { }\n}\n';
        expect(describeProblems(checkAlloy(alloy, parseAlloy(text)))).to.deep.equal([
            'loki.write "x".endpoint.batch_wait: "1d" uses a d, w or y unit, which this Go time.Duration field rejects (only h, m, s, ms, us, ns)',
            'loki.write "x".endpoint.no_arg: is not an argument',
            "loki.nope: is not a component or config block",
            'discovery.relabel "z".relabel: is not a block',
        ]);
        expect(() => parseAlloy('loki.write "x" {\n  url = "a"\n')).to.throw(/missing \}/);
    });
});

describe("the config key deriver", () => {
    it("reads Go config structs: yaml names, inline, skipped and multi-name fields", () => {
        const source = stripGoComments("type C struct {\n\tA string `yaml:\"a\"` // x\n\tB, D int\n\tE time.Duration `yaml:\"-\"`\n\tInner `yaml:\",inline\"`\n\tF struct {\n\t\tG bool `yaml:\"g\"`\n\t} `yaml:\"f\"`\n}\n");
        const body = source.slice(source.indexOf("{") + 1, source.lastIndexOf("}"));
        expect(goStructFields(body).map((f) => [f.names, f.type.replace(/\s+/g, " "), f.tag, f.embedded])).to.deep.equal([
            [["A"], "string", 'yaml:"a"', false],
            [["B", "D"], "int", "", false],
            [["E"], "time.Duration", 'yaml:"-"', false],
            [["Inner"], "Inner", 'yaml:",inline"', true],
            [["F"], "struct { G bool `yaml:\"g\"` }", 'yaml:"f"', false],
        ]);
    });

    it("follows Go config structs across packages: vendored types, durations, maps, lists, own YAML unmarshalling", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-keys-"));
        const files: Record<string, string> = {
            "app/config.go": [
                "package app", "import (", '\t"time"', '\t"github.com/prometheus/common/model"', '\tsrv "github.com/grafana/dskit/server"', '\t"example.com/m/limits"', ")",
                "type Config struct {", '\tServer srv.Config `yaml:"server"`', '\tPoll time.Duration `yaml:"poll"`', '\tPeriod model.Duration `yaml:"period"`',
                '\tTenants map[string]*limits.Limits `yaml:"tenants"`', '\tRules []Rule `yaml:"rules"`', '\tAny any `yaml:"any"`', '\tSecret Opaque `yaml:"secret"`', '\tInternal int `yaml:"-"`', "}",
                "type Rule struct {", '\tName string `yaml:"name"`', "}",
                "type Opaque struct{ v string }", "func (o *Opaque) UnmarshalYAML(unmarshal func(interface{}) error) error { return unmarshal(&o.v) }",
            ].join("\n"),
            "limits/limits.go": [
                "package limits", "type Limits struct {", '\tRate float64 `yaml:"rate"`', "}",
                "func (l *Limits) UnmarshalYAML(unmarshal func(interface{}) error) error {", "\ttype plain Limits", "\treturn unmarshal((*plain)(l))", "}",
            ].join("\n"),
            "vendor/github.com/grafana/dskit/server/server.go": ["package server", "type Config struct {", '\tPort int `yaml:"http_listen_port"`', "}"].join("\n"),
        };
        for (const [file, text] of Object.entries(files)) {
            fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        }
        const git = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args], { stdio: "pipe" });
        git("init", "-q");
        git("add", ".");
        git("commit", "-q", "-m", "fixture");
        git("tag", "v1");
        try {
            const reader = new GoConfigReader(new GitTree(path.join(dir, ".git"), "v1"), "example.com/m");
            expect(reader.named("app", "Config")).to.deep.equal({
                keys: {
                    server: { keys: { http_listen_port: {} } },
                    poll: { duration: "go" },
                    period: { duration: "prometheus" },
                    tenants: { map: { keys: { rate: {} } } },
                    rules: { items: { keys: { name: {} } } },
                    any: { open: "any value (interface)" },
                    secret: { open: "Opaque has its own YAML unmarshalling" },
                },
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads a generated descriptor: blocks, squashed blocks, maps, slices, durations by Go type and listed values", () => {
        const descriptor = {
            kind: "block", name: "", blockEntries: [
                { kind: "field", name: "retention", fieldType: "duration" },
                { kind: "field", name: "poll", fieldType: "duration" },
                { kind: "field", name: "store", fieldType: "string", desc: "Backend. Supported values are: consul, etcd and memberlist." },
                { kind: "block", name: "", blockEntries: [{ kind: "field", name: "squashed", fieldType: "int" }] },
                { kind: "map", name: "trackers", fieldElement: { kind: "block", name: "t", blockEntries: [{ kind: "field", name: "internal", fieldType: "boolean" }] } },
                { kind: "field", name: "rules", fieldType: "slice", fieldElement: { kind: "block", name: "r", blockEntries: [{ kind: "field", name: "pattern", fieldType: "string" }] } },
            ],
        } as any;
        expect(fromDescriptor(descriptor, new Set(["retention"]))).to.deep.equal({
            keys: {
                retention: { duration: "prometheus" }, poll: { duration: "go" }, store: { enum: ["consul", "etcd", "memberlist"] }, squashed: {},
                trackers: { map: { keys: { internal: {} } } }, rules: { items: { keys: { pattern: {} } } },
            },
        });
        expect(supportedValues("Compression. Supported values are: 'snappy' and ''.")).to.deep.equal(["snappy", ""]);
        expect(supportedValues("Comma-separated list. Supported values: a, b.")).to.equal(undefined);
    });

    it("unites Go structs with a generated reference: hidden fields kept, durations from Go, enums from the reference", () => {
        const go = { keys: { hidden: {}, poll: { duration: "prometheus" as const }, store: {}, limits: { keys: { a: {} }, open: "Limits has its own YAML unmarshalling" }, any: { open: "any value (interface)" } } };
        const reference = { keys: { poll: { duration: "go" as const }, store: { enum: ["a", "b"] }, limits: { keys: { a: {}, b: {} } }, any: { keys: { x: {} } } } };
        expect(mergeNodes(go, reference)).to.deep.equal({
            keys: { hidden: {}, poll: { duration: "prometheus" }, store: { enum: ["a", "b"] }, limits: { keys: { a: {}, b: {} } }, any: { keys: { x: {} } } },
        });
    });

    it("reads a generated configuration reference: root, referenced, squashed, inline and list blocks", () => {
        const md = [
            "### Supported contents and default values of `loki.yaml`", "```yaml", "[server: <server>]", "", "common:", "  # Where. Supported values: s3, gcs.", "  [store: <string> | default = \"\"]", "", "  ring:", "    [<tls_config>]", "", "[configs: <list of period_configs>]", "[labels: <map of string to string>]", "```",
            "### server", "Example:", "```yaml", "server:", "  http: 1", "```", "```yaml", "[http_listen_port: <int> | default = 80]", "[graceful_shutdown_timeout: <duration> | default = 30s]", "```",
            "### tls_config", "```yaml", "[tls_cert_path: <string> | default = \"\"]", "```",
            "### period_config", "```yaml", "[retention: <duration> | default = 0s]", "```",
        ].join("\n");
        expect(fromReference(md, new Set(["retention"]))).to.deep.equal({
            keys: {
                server: { keys: { http_listen_port: {}, graceful_shutdown_timeout: { duration: "go" } } },
                common: { keys: { store: { enum: ["s3", "gcs"] }, ring: { keys: { tls_cert_path: {} } } } },
                configs: { items: { keys: { retention: { duration: "prometheus" } } } },
                labels: { map: {} },
            },
        });
    });

    it("reads an Alloy reference page with its blocks hierarchy and shared fragments", () => {
        const page = [
            "---", "title: x.y", "---", "## Arguments", "| Name | Type | Description | Default | Required |", "| --- | --- | --- | --- | --- |", "| `targets` | `list` | T |  | yes |", "| `sync_period` | `duration` | S | `10s` | no |",
            "## Blocks", "| Block | Description | Required |", "| --- | --- | --- |", "| [`client`][client] | C | no |", "| `client` > [`tls_config`][tls_config] | T | no |", "| [`rule`][rule] | R | no |",
            "### `client`", "| Name | Type | Description |", "| --- | --- | --- |", "| `api_server` | `string` | A |",
            "### `tls_config`", '{{< docs/shared lookup="reference/components/tls-config-block.md" source="alloy" >}}',
            "## Exported fields", "| Name | Type | Description |", "| --- | --- | --- |", "| `output` | `list` | O |",
        ].join("\n");
        const shared = (lookup: string) => (lookup === "reference/components/tls-config-block.md" ? "| Name | Type | Description |\n| --- | --- | --- |\n| `ca_file` | `string` | C |\n" : undefined);
        expect(fromAlloyPage(page, shared)).to.deep.equal({
            keys: { targets: {}, sync_period: { duration: "go" }, client: { keys: { api_server: {}, tls_config: { keys: { ca_file: {} } } } }, rule: { keys: {}, open: "the reference lists the block but no argument table" } },
        });
    });

    it("reads INI defaults: root keys, dotted sections, comments, and a section left to the user", () => {
        const text = "# top\napp_mode = production\n[server]\n# protocol = http\nhttp_port = 3000\n;old = 1\nroot_url = %(protocol)s://x/\n[server.custom_response_headers]\n#exampleHeader1 = exampleValue1\n[log.file]\nmax_days = 7\n[server]\ndomain = localhost\n";
        expect(fromIni(text)).to.deep.equal({
            keys: {
                app_mode: {},
                server: { keys: { http_port: {}, root_url: {}, domain: {} } },
                "server.custom_response_headers": { keys: {}, open: USER_SECTION },
                "log.file": { keys: { max_days: {} } },
            },
        });
    });

    it("reads a CRD schema with free-form and preserved objects, maps and enums", () => {
        const schema = { type: "object", properties: { auth: { type: "object", properties: { strategy: { type: "string", enum: ["token", "openid"] } } }, custom: { type: "object", "x-kubernetes-preserve-unknown-fields": true }, labels: { type: "object", additionalProperties: { type: "string" } }, list: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } } } };
        expect(fromOpenApi(schema)).to.deep.equal({ keys: { auth: { keys: { strategy: { enum: ["token", "openid"] } } }, custom: { open: "a free-form object in the schema" }, labels: { map: {} }, list: { items: { keys: { a: {} } } } } });
    });

    it("lists every key a version bump drops", () => {
        const before = { keys: { a: {}, b: { keys: { c: {}, d: {} } }, m: { map: { keys: { x: {} } } } } };
        const after = { keys: { b: { keys: { d: {} } }, m: { map: { keys: {} } } } };
        expect(droppedKeys(before, after)).to.deep.equal(["a", "b.c", "m.*.x"]);
        const tempo2 = configKeys("tempo", "2.10.8").files.config;
        const tempo3 = configKeys("tempo", "3.0.3").files.config;
        expect(droppedKeys(tempo2, tempo3)).to.include.members(["compactor", "ingester", "metrics_generator.processor.local_blocks"]);
    });
});
