/**
 * The HTML plan report, checked like a reviewer would read it: written by the CLI next to its
 * --json for dev, prod and their comparison, opened in a real headless Chromium with JavaScript
 * off, and read from the DOM. Every zone, node, cost line, control family, rule, edge and image
 * of the JSON plan is on the page with the same figures; nothing overflows 1280 px; the page
 * fetches nothing; the markup is valid HTML. The README's screenshots are checked against the
 * report they show. Also the placement (planner/placement.ts) as a pure function.
 */
import chromium from "@sparticuz/chromium";
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import { HtmlValidate } from "html-validate";
import * as os from "os";
import * as path from "path";
import type { Browser, Page } from "puppeteer-core";
import { main, parseArgs, UsageError } from "../planner/cli";
import { formatQuantity, formatUsd } from "../planner/format";
import { escapeHtml, renderHtmlReport, REPORT_SECTIONS } from "../planner/html";
import { placePods } from "../planner/placement";
import { planStackCapacity } from "../lib/fit";
import { nistFamily } from "../planner/policy";
import { StackPlan } from "../planner/plan";
import { BROWSER_LIBRARIES, captureSections, launchBrowser, openReport, PAGE_WIDTH, SCREENSHOT_DIR, sectionFingerprints, storedFingerprints } from "../scripts/report-screenshots";
import { devWithViewer } from "./support/stack-files";
import { run } from "./support/stacks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "html-report-"));

/** Runs the CLI in-process on the suite's shared engine runs: the JSON on stdout, the report in `file`. */
async function planWithReport(args: string[], file: string): Promise<any> {
    let stdout = "";
    let stderr = "";
    const code = await main([...args, "--json", "--html", file], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } }, {}, run);
    expect(code, stderr).to.equal(0);
    expect(stderr).to.equal(`wrote ${file}\n`);
    return JSON.parse(stdout);
}

/** What a page says, read in the page (scripts off for the page; the probe is the test's own). */
const probe = <T>(page: Page, fn: (...args: any[]) => T, ...args: unknown[]): Promise<T> => page.evaluate(fn as any, ...args) as Promise<T>;

/** The numbers in a text, thousands separators dropped: "3,460 / 3,920 millicores (88.27%)" -> [3460, 3920, 88.27]. */
const numbers = (text: string) => [...text.replace(/,/g, "").matchAll(/-?\d+(\.\d+)?/g)].map((m) => Number(m[0]));

interface Report { file: string; json: any; page: Page; requests: string[] }

/** The network and placement of one stack's plan, read back from its part of the page. */
async function expectNetworkAndPlacement(page: Page, plan: StackPlan): Promise<void> {
    const scope = `#network [data-stack="${plan.stack}"]`;
    const zones = await probe(page, (s: string) => [...(globalThis as any).document.querySelectorAll(`${s} tr[data-zone]`)].map((row: any) => [row.dataset.zone, ...[...row.querySelectorAll("td")].map((td: any) => td.textContent)]), scope);
    expect(zones).to.deep.equal(plan.network.zones.map((z) => [z.zone, ...["public", "private", "pods"].map((tier) => z.subnets.filter((s) => s.tier === tier).map((s) => s.cidr).join(", ") || "-"), String(z.natGateways)]));
    const svgLabel = await probe(page, (s: string) => (globalThis as any).document.querySelector(`${s} svg[role=img]`).getAttribute("aria-label"), scope);
    expect(svgLabel).to.contain(`VPC ${plan.network.vpcCidrs.join(" and ")}`);
    const nodes = await probe(page, (s: string) => [...(globalThis as any).document.querySelectorAll(`${s} [data-placement-zone]`)].map((zone: any) => ({
        zone: zone.dataset.placementZone,
        use: zone.querySelector(".zone-use").textContent,
        nodes: [...zone.querySelectorAll("[data-node]")].map((node: any) => ({
            name: node.dataset.node,
            rows: [...node.querySelectorAll("tr[data-resource]")].map((row: any) => [row.dataset.resource, row.querySelector(".figure").textContent, row.querySelector("svg").getAttribute("aria-label")]),
            pods: node.querySelectorAll("details li").length,
        })),
    })), scope);
    expect(nodes.map((z) => [z.zone, z.nodes.map((n) => n.name)])).to.deep.equal(plan.capacity.placement.zones.map((z) => [z.zone, z.nodes.map((n) => n.name)]));
    const empty = await probe(page, (s: string) => [...(globalThis as any).document.querySelectorAll(`${s} [data-empty-zone]`)].map((z: any) => z.dataset.emptyZone), scope);
    expect(empty).to.deep.equal(plan.network.zones.map((z) => z.zone).filter((z) => !plan.capacity.placement.zones.some((p) => p.zone === z)));
    // Each zone's share in use: the nodes' sums, so the tight zone reads at a glance.
    expect(nodes.map((z) => numbers(z.use))).to.deep.equal(plan.capacity.placement.zones.map((z) => [z.cpuMillicores, z.memoryMiB, z.podSlots].map((u) => Number(((u.requested / u.allocatable) * 100).toFixed(2)))));
    for (const z of plan.capacity.placement.zones) {
        expect([z.cpuMillicores.requested, z.memoryMiB.requested, z.podSlots.requested]).to.deep.equal(["cpuMillicores", "memoryMiB", "podSlots"].map((k) => z.nodes.reduce((t, n) => t + (n as any)[k].requested, 0)));
    }
    const placed = plan.capacity.placement.zones.flatMap((z) => z.nodes);
    nodes.flatMap((z) => z.nodes).forEach((node, i) => {
        const expected = placed[i];
        expect(node.pods).to.equal(expected.pods.length);
        for (const [key, figure, label] of node.rows) {
            const use = key === "cpu" ? expected.cpuMillicores : key === "memory" ? expected.memoryMiB : expected.podSlots;
            expect(numbers(figure).slice(0, 2), `${node.name} ${key}`).to.deep.equal([use.requested, use.allocatable]);
            expect(label).to.contain(`${formatQuantity(use.requested)} of ${formatQuantity(use.allocatable)}`);
        }
    });
    // The nodes' requests add up to the capacity plan's totals: every pod placed once.
    const total = (pick: (n: (typeof placed)[number]) => number) => placed.reduce((t, n) => t + pick(n), 0);
    expect([total((n) => n.podSlots.requested), total((n) => n.cpuMillicores.requested), total((n) => n.memoryMiB.requested)])
        .to.deep.equal([plan.capacity.pods.requested, plan.capacity.cpuMillicores.requested, plan.capacity.memoryMiB.requested]);
    expect(plan.capacity.placement.unplaced).to.deep.equal([]);
}

/** Telemetry edges of one stack: one row per edge of the JSON plan, with its protection and policy verdict. */
async function expectTelemetry(page: Page, plan: StackPlan): Promise<void> {
    const rows = await probe(page, (s: string) => [...(globalThis as any).document.querySelectorAll(`${s} tr[data-edge]`)].map((r: any) => [r.dataset.edge, r.dataset.protection, r.dataset.policy]), `#telemetry [data-stack="${plan.stack}"]`);
    expect(rows).to.deep.equal(plan.telemetry.map((t) => [`${t.from} -> ${t.to}:${t.port}`, t.protection, t.policy]));
    const paths = await probe(page, (s: string) => (globalThis as any).document.querySelectorAll(`${s} svg path[stroke-width]`).length, `#telemetry [data-stack="${plan.stack}"]`);
    expect(paths).to.equal(plan.telemetry.length);
}

/** Every control family with its rules, and each rule's status per stack. */
async function expectCompliance(page: Page, plans: readonly StackPlan[]): Promise<void> {
    const families = await probe(page, () => [...(globalThis as any).document.querySelectorAll("#compliance [data-family]")].map((f: any) => ({
        family: f.dataset.family,
        rules: [...f.querySelectorAll("tr[data-rule]")].map((r: any) => [r.dataset.rule, ...[...r.querySelectorAll("td[data-status]")].map((td: any) => `${td.dataset.stack}:${td.dataset.status}`)]),
    })));
    const rules = plans[0].policy.rules;
    const expected = [...new Set(rules.flatMap((r) => r.nist.map(nistFamily)))].sort().map((family) => ({
        family,
        rules: rules.filter((r) => r.nist.some((c) => nistFamily(c) === family)).map((r) => [r.policy, ...plans.map((p) => `${p.stack}:${p.policy.rules.find((x) => x.policy === r.policy)!.status}`)]),
    }));
    expect(families).to.deep.equal(expected);
    const waivers = await probe(page, () => (globalThis as any).document.querySelectorAll("#compliance tr[data-waiver]").length);
    expect(waivers).to.equal(plans.reduce((t, p) => t + p.policy.waivers.length, 0));
}

async function expectImages(page: Page, plans: readonly StackPlan[]): Promise<void> {
    const images = await probe(page, () => [...(globalThis as any).document.querySelectorAll("#images tr[data-image]")].map((r: any) => [r.dataset.image, ...[...r.querySelectorAll("td")].map((td: any) => td.textContent)]));
    const all = [...new Set(plans.flatMap((p) => p.images.map((i) => i.image)))].sort();
    const prefixes = plans.map((p) => `${p.clusters[0].name}-`);
    const short = (release: string) => prefixes.reduce((r, prefix) => (r.startsWith(prefix) ? r.slice(prefix.length) : r), release);
    expect(images).to.deep.equal(all.map((image) => {
        const uses = plans.map((p) => p.images.find((i) => i.image === image));
        const { repository, tag, platforms } = uses.find((u) => u !== undefined)!;
        return [image, repository, tag || "(none)", platforms.join(", ") || "unknown", ...uses.map((u) => (u ? [...new Set(u.releases.map(short))].join(", ") : "not run"))];
    }));
}

/** Nothing wider than the page at 1280 px, nothing fetched, no script, every section shown with its heading. */
async function expectReadable(report: Report): Promise<void> {
    const { page, requests } = report;
    expect(requests, "requests beyond the report file").to.deep.equal([]);
    const layout = await probe(page, () => {
        const doc = (globalThis as any).document;
        const width = doc.documentElement.clientWidth;
        const over = [...doc.querySelectorAll("body *")].filter((el: any) => el.getBoundingClientRect().right > width + 0.5)
            .map((el: any) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} right ${Math.round(el.getBoundingClientRect().right)}`);
        const sections = [...doc.querySelectorAll("main > section[id]")].map((s: any) => [s.id, s.querySelector("h2").textContent, s.getBoundingClientRect().height > 0]);
        return { width, scrollWidth: doc.documentElement.scrollWidth, over: over.slice(0, 10), sections, scripts: doc.querySelectorAll("script, link[rel=stylesheet], img, iframe").length };
    });
    expect(layout.width).to.equal(PAGE_WIDTH);
    expect(layout.scrollWidth).to.equal(layout.width);
    expect(layout.over).to.deep.equal([]);
    expect(layout.scripts).to.equal(0);
    expect(layout.sections.filter(([id]) => id !== "changes")).to.deep.equal(REPORT_SECTIONS.map((s) => [s.id, s.title, true]));
    const validation = await new HtmlValidate({ extends: ["html-validate:recommended"] }).validateString(fs.readFileSync(report.file, "utf8"));
    expect(validation.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.line}:${m.column} ${m.message}`))).to.deep.equal([]);
}

describe("the HTML plan report, in headless Chromium", function () {
    this.timeout(180000);
    let browser: Browser;
    const reports = new Map<string, Report>();

    before(async () => {
        browser = await launchBrowser();
        const before = path.join(dir, "Pulumi.dev-before.yaml");
        fs.writeFileSync(before, devWithViewer());
        for (const [name, args] of [["dev", ["--stack", "dev"]], ["prod", ["--stack", "prod"]], ["dev-vs-prod", ["--compare", "dev", "prod"]], ["dev-diff", ["--stack", "dev", "--diff", before]]] as const) {
            const file = path.join(dir, `${name}.html`);
            const json = await planWithReport([...args], file);
            reports.set(name, { file, json, ...(await openReport(browser, file)) });
        }
    });

    after(async () => {
        await browser?.close();
    });

    for (const name of ["dev", "prod"]) {
        it(`${name}: every zone, node, cost line, control family, edge and image of --json, with its figures, on a page that reads at 1280 px without scripts`, async () => {
            const { page, json } = reports.get(name)!;
            const plan = json as StackPlan;
            await expectNetworkAndPlacement(page, plan);
            const lines = await probe(page, () => [...(globalThis as any).document.querySelectorAll("#cost [data-cost-line], #cost [data-cost-total]")].map((r: any) => [r.dataset.costLine ?? "total", r.querySelector("[data-monthly]").textContent]));
            expect(lines).to.deep.equal([...plan.cost.lines.map((l) => [l.id, formatUsd(l.monthly)]), ["total", formatUsd(plan.cost.total)]]);
            await expectTelemetry(page, plan);
            await expectCompliance(page, [plan]);
            await expectImages(page, [plan]);
            await expectReadable(reports.get(name)!);
        });
    }

    it("places each release on the telemetry path by what it does: Prometheus a producer where it writes to Mimir (prod), a store where Grafana reads it (dev); the load balancer with the UIs it fronts", () => {
        const roles = (name: string) => {
            const edges = (reports.get(name)!.json as StackPlan).telemetry;
            return Object.fromEntries([...edges.map((e) => [e.from, e.fromRole]), ...edges.map((e) => [e.toRelease, e.toRole])].sort(([a], [b]) => a.localeCompare(b)));
        };
        expect(roles("dev")).to.deep.equal({
            "observability-alloy-events": "producer", "observability-alloy-logs": "producer", "observability-grafana": "grafana",
            "observability-loki": "store", "observability-prometheus": "store", "observability-tempo": "store",
            "the load balancer of IngressClass platform-ui": "grafana",
        });
        expect(roles("prod")).to.deep.equal({
            "observability-alloy-events": "producer", "observability-alloy-logs": "producer", "observability-grafana": "grafana", "observability-kafka-bootstrap": "transport",
            "observability-kiali": "grafana", "observability-loki": "store", "observability-mimir": "store", "observability-prometheus": "producer", "observability-tempo": "store",
            "operations-headlamp": "grafana", "operations-kubecost": "grafana", "security-istio-istiod": "producer", "the load balancer of IngressClass platform-ui": "grafana",
        });
    });

    it("dev vs prod: both stacks' networks and placements, each cost line with both values and the delta of the comparison", async () => {
        const { page, json } = reports.get("dev-vs-prod")!;
        const [dev, prod] = json.stacks as StackPlan[];
        for (const plan of [dev, prod]) {
            await expectNetworkAndPlacement(page, plan);
            await expectTelemetry(page, plan);
        }
        const rows = await probe(page, () => [...(globalThis as any).document.querySelectorAll("#cost [data-cost-line], #cost [data-cost-total]")].map((r: any) => [r.dataset.costLine ?? "total", ...[...r.querySelectorAll("[data-monthly], [data-delta]")].map((c: any) => c.textContent)]));
        const signed = (d: number) => `${d > 0 ? "+" : ""}${formatUsd(d)}`;
        expect(rows).to.deep.equal([...json.comparison.cost, { ...json.comparison.costTotal, id: "total" }].map((r: any) => [r.id, ...r.values.map(formatUsd), signed(r.delta)]));
        await expectCompliance(page, [dev, prod]);
        await expectImages(page, [dev, prod]);
        await expectReadable(reports.get("dev-vs-prod")!);
    });

    it("--diff: the changes first, one row per resource change of --json, then the stack's whole report", async () => {
        const report = reports.get("dev-diff")!;
        const changes = await probe(report.page, () => [...(globalThis as any).document.querySelectorAll("#changes tr[data-change]")].map((r: any) => [r.dataset.operation, r.querySelectorAll("td")[2].textContent, r.querySelectorAll("td")[3].textContent]));
        expect(changes).to.deep.equal(report.json.changes.map((c: any) => [c.operation, c.name, `${c.changed.join(", ")} loses ${c.holds}`]));
        expect(changes).to.have.length(2);
        const dev = reports.get("dev")!;
        const sections = (page: Page) => probe(page, () => [...(globalThis as any).document.querySelectorAll("main > section[id]:not(#changes)")].map((s: any) => s.outerHTML));
        expect(await sections(report.page)).to.deep.equal(await sections(dev.page));
        await expectReadable(report);
    });

    it("the browser links no system library beyond glibc's but those .ci/run installs", async () => {
        const links = execFileSync("ldd", [await chromium.executablePath()], { encoding: "utf8" }).split("\n")
            .map((line) => /^\s*(\S+) => (\S+)/.exec(line)).filter((m): m is RegExpExecArray => m !== null);
        expect(links.filter(([, , file]) => file === "not")).to.deep.equal([]);
        const glibc = /^(libc|libm|libdl|libpthread|librt|libgcc_s)\.so/;
        // dpkg names a file by the path its package installed, /lib or /usr/lib on a merged-/usr system:
        // ask for every spelling at once (it reports those it knows on stdout).
        const spellings = (file: string) => [file, fs.realpathSync(file)].flatMap((f) => [f, f.startsWith("/usr/") ? f.slice(4) : `/usr${f}`]);
        const libraries = links.filter(([, name]) => !glibc.test(name)).map(([, , file]) => file);
        const owners = new Map(spawnSync("dpkg", ["-S", ...libraries.flatMap(spellings)], { encoding: "utf8" }).stdout.trim().split("\n")
            .map((line) => /^([^:]+)(?::\S+)?: (.+)$/.exec(line)!).map(([, pkg, file]) => [file, pkg]));
        const packages = libraries.map((file) => {
            const pkg = spellings(file).map((f) => owners.get(f)).find((p) => p !== undefined);
            if (!pkg) throw new Error(`no Debian package owns ${file}`);
            return pkg;
        });
        expect([...new Set(packages)].sort()).to.deep.equal([...BROWSER_LIBRARIES].sort());
    });

    it("takes --html with a stack, a comparison or a diff, never with --compare-managed", () => {
        expect(parseArgs(["--stack", "prod", "--html", "r.html"])).to.deep.include({ stack: "prod", html: "r.html" });
        expect(parseArgs(["--compare", "dev", "prod", "--html", "r.html", "--json"])).to.deep.include({ compare: ["dev", "prod"], html: "r.html", json: true });
        expect(() => parseArgs(["--html"])).to.throw(UsageError, /--html needs a value/);
        expect(() => parseArgs(["--compare-managed", "--html", "r.html"])).to.throw(UsageError, /--compare-managed compares prod and dev; it takes no --stack, --compare, --sarif or --html/);
    });

    it("prints: on A4 paper nothing is wider than the page, and each section starts a page", async () => {
        const page = await browser.newPage();
        await page.setJavaScriptEnabled(false);
        await page.goto(`file://${reports.get("dev-vs-prod")!.file}`);
        await page.emulateMediaType("print");
        // A4 portrait at 96 dpi.
        await page.setViewport({ width: 794, height: 1123 });
        const printed = await probe(page, () => {
            const doc = (globalThis as any).document;
            const width = doc.documentElement.clientWidth;
            return {
                over: [...doc.querySelectorAll("body *")].filter((el: any) => el.getBoundingClientRect().right > width + 0.5).map((el: any) => el.tagName).slice(0, 10),
                breaks: [...doc.querySelectorAll("h2")].map((h: any) => (globalThis as any).getComputedStyle(h).breakBefore),
            };
        });
        const pdf = await page.pdf({ format: "A4" });
        await page.close();
        expect(printed.over).to.deep.equal([]);
        expect(printed.breaks).to.deep.equal(REPORT_SECTIONS.map(() => "page"));
        expect(Buffer.from(pdf).subarray(0, 5).toString()).to.equal("%PDF-");
    });

    it("escapes what it prints: a name with markup in it is text on the page, not an element", async () => {
        const plan = reports.get("dev")!.json as StackPlan;
        const hostile = "<img src=x onerror=alert(1)> & \"quoted\"";
        const tampered = { ...plan, cost: { ...plan.cost, lines: plan.cost.lines.map((l, i) => (i === 0 ? { ...l, item: hostile } : l)) } };
        const page = await browser.newPage();
        await page.setJavaScriptEnabled(false);
        await page.setContent(renderHtmlReport({ plans: [tampered] }));
        const seen = await probe(page, () => ({ images: (globalThis as any).document.querySelectorAll("img").length, text: (globalThis as any).document.querySelector("#cost [data-cost-line] th").textContent }));
        await page.close();
        expect(seen.images).to.equal(0);
        expect(seen.text).to.contain(hostile);
        expect(escapeHtml(`a<b>&"c'`)).to.equal("a&lt;b&gt;&amp;&quot;c&#39;");
    });

    it("the README's screenshots show the report as it is now: one per section, retaken when a section's markup or styles change", async () => {
        const { page } = reports.get("dev-vs-prod")!;
        const current = await sectionFingerprints(page);
        expect(Object.keys(current)).to.deep.equal(REPORT_SECTIONS.map((s) => s.id));
        const stored = storedFingerprints();
        const stale = REPORT_SECTIONS.map((s) => s.id).filter((id) => stored[id] !== current[id] || !fs.existsSync(path.join(SCREENSHOT_DIR, `${id}.png`)));
        if (stale.length > 0) await captureSections(page, SCREENSHOT_DIR, stale);
        expect(stale, "stale screenshots were retaken in docs/report: commit them").to.deep.equal([]);
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        for (const { id } of REPORT_SECTIONS) expect(readme).to.contain(`](docs/report/${id}.png)`);
    });
});

describe("pod placement on nodes", () => {
    const cluster = (zones: string[], desired: number, instanceTypes = ["m6i.large"]) => ({
        nodeGroups: [{ name: "general", instanceTypes, desiredSize: desired, minSize: desired, maxSize: desired, availabilityZones: zones, groupPerZone: true }],
        prefixDelegation: false,
    });
    const workload = (name: string, kind: "Deployment" | "DaemonSet", replicas: number, cpu: number, memoryMiB: number) => ({
        source: name, component: name, name, namespace: "x", kind, replicas, podLabels: {}, podAnnotations: {}, initContainers: [],
        containers: [{ name: "c", image: "i:1", cpuRequestMillicores: cpu, memoryRequestMiB: memoryMiB, memoryLimitMiB: memoryMiB }],
    }) as any;
    const place = (c: ReturnType<typeof cluster>, workloads: any[]) => placePods(c, workloads, planStackCapacity(c, workloads));

    it("runs a DaemonSet pod on every node and spreads a workload's replicas over the zones before doubling up", () => {
        const placement = place(cluster(["us-east-1a", "us-east-1b", "us-east-1c"], 6), [workload("agent", "DaemonSet", 0, 50, 64), workload("api", "Deployment", 4, 200, 256)]);
        const nodes = placement.zones.flatMap((z) => z.nodes);
        expect(nodes.map((n) => n.name)).to.deep.equal(["general-us-east-1a #1", "general-us-east-1a #2", "general-us-east-1b #1", "general-us-east-1b #2", "general-us-east-1c #1", "general-us-east-1c #2"]);
        expect(nodes.map((n) => n.pods.filter((p) => p.workload === "agent").length)).to.deep.equal([1, 1, 1, 1, 1, 1]);
        expect(placement.zones.map((z) => z.nodes.flatMap((n) => n.pods).filter((p) => p.workload === "api").length).sort()).to.deep.equal([1, 1, 2]);
        expect(nodes.map((n) => n.pods.filter((p) => p.workload === "api").length).every((c) => c <= 1)).to.equal(true);
        expect(placement.unplaced).to.deep.equal([]);
    });

    it("puts a pod pinned to a zone (nodeSelector or required node affinity) only on that zone's nodes", () => {
        const pinned = (name: string, podSpec: Record<string, unknown>) => ({ ...workload(name, "Deployment", 2, 100, 128), podSpec });
        const placement = place(cluster(["us-east-1a", "us-east-1b", "us-east-1c"], 3), [
            pinned("by-selector", { nodeSelector: { "topology.kubernetes.io/zone": "us-east-1c" } }),
            pinned("by-affinity", { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["us-east-1b"] }] }] } } } }),
        ]);
        const zonesOf = (name: string) => placement.zones.flatMap((z) => z.nodes.flatMap((n) => n.pods.filter((p) => p.workload === name).map(() => z.zone)));
        expect(zonesOf("by-selector")).to.deep.equal(["us-east-1c", "us-east-1c"]);
        expect(zonesOf("by-affinity")).to.deep.equal(["us-east-1b", "us-east-1b"]);
    });

    it("lists a pod no node has room for as unplaced, and fills no node beyond its allocatable", () => {
        const placement = place(cluster(["us-east-1a"], 1), [workload("big", "Deployment", 3, 900, 1024)]);
        const [node] = placement.zones[0].nodes;
        expect(node.cpuMillicores.requested).to.be.at.most(node.cpuMillicores.allocatable);
        expect(node.pods.length + placement.unplaced.length).to.equal(3);
        expect(placement.unplaced.map((p) => p.workload)).to.deep.equal(["big"]);
    });
});
