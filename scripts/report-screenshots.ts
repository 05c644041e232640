/**
 * The README's pictures of the HTML plan report: one screenshot per section of the dev-vs-prod
 * comparison, taken in headless Chromium (@sparticuz/chromium, the browser inside its npm package)
 * at 1280 px, with a fingerprint of each section's markup and styles beside them, so that
 * tests/html-report.test.ts can tell when a picture no longer shows what the report draws.
 * `npm run report:screenshots` retakes them; the test retakes them too when they are stale.
 */
import chromium from "@sparticuz/chromium";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import puppeteer, { Browser, Page } from "puppeteer-core";
import { main } from "../planner/cli";
import { REPORT_SECTIONS } from "../planner/html";

/** Where the README's screenshots and their fingerprints live. */
export const SCREENSHOT_DIR = path.join(__dirname, "..", "docs", "report");
export const FINGERPRINTS_FILE = path.join(SCREENSHOT_DIR, "fingerprints.json");
/** The page width the report is laid out for and checked at. */
export const PAGE_WIDTH = 1280;
/** A screenshot shows a section's top, at most this tall, to keep the PNGs small. */
const MAX_SHOT_HEIGHT = 820;

/** Headless Chromium with scripts allowed only for the test's own probes (pages get them disabled). */
export async function launchBrowser(): Promise<Browser> {
    try {
        return await puppeteer.launch({
            executablePath: await chromium.executablePath(),
            args: chromium.args,
            headless: "shell",
            defaultViewport: { width: PAGE_WIDTH, height: 900 },
        });
    } catch (error) {
        throw new Error(`headless Chromium (@sparticuz/chromium) did not start: ${error instanceof Error ? error.message.split("\n")[0] : error}. On Debian or Ubuntu it needs the system's ${BROWSER_LIBRARIES.join(", ")} (.ci/run installs them: apt-get install ${BROWSER_LIBRARIES.join(" ")})`);
    }
}

/** The Debian packages whose libraries the browser links, as .ci/run installs them. */
export const BROWSER_LIBRARIES: readonly string[] = /^BROWSER_LIBRARIES="([^"]*)"$/m.exec(fs.readFileSync(path.join(__dirname, "..", ".ci", "run"), "utf8"))![1].split(" ");

/**
 * Opens a report file as a reader would with JavaScript off: returns the page and every request
 * other than the file itself (a self-contained report makes none).
 */
export async function openReport(browser: Browser, file: string): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    const url = `file://${path.resolve(file)}`;
    const requests: string[] = [];
    page.on("request", (request) => {
        if (request.url() !== url) requests.push(request.url());
    });
    await page.goto(url, { waitUntil: "load" });
    return { page, requests };
}

/** Each section's fingerprint: a hash of the page's styles and the section's markup as the browser parsed them. */
export async function sectionFingerprints(page: Page): Promise<Record<string, string>> {
    const parts = await page.evaluate((ids: string[]) => {
        // Runs in the page; the project compiles without the DOM's types.
        const doc = (globalThis as any).document;
        const styles = [...doc.querySelectorAll("style")].map((s: any) => s.textContent ?? "").join("\n");
        return ids.map((id) => [id, styles + (doc.getElementById(id)?.outerHTML ?? "")]);
    }, REPORT_SECTIONS.map((s) => s.id));
    return Object.fromEntries(parts.map(([id, text]) => [id, createHash("sha256").update(text).digest("hex")]));
}

/**
 * Screenshots the top of each section of `ids` (all by default) into `dir` as <id>.png and writes
 * every section's fingerprint beside them. Only changed sections are retaken: the browser's PNG
 * bytes vary from run to run, and an unchanged picture should not show as a change.
 */
export async function captureSections(page: Page, dir = SCREENSHOT_DIR, ids: readonly string[] = REPORT_SECTIONS.map((s) => s.id)): Promise<void> {
    fs.mkdirSync(dir, { recursive: true });
    for (const id of ids) {
        const box = await (await page.$(`#${id}`))!.boundingBox();
        if (!box) throw new Error(`section ${id} is not displayed`);
        await page.screenshot({ path: path.join(dir, `${id}.png`) as `${string}.png`, clip: { x: 0, y: box.y, width: PAGE_WIDTH, height: Math.min(box.height, MAX_SHOT_HEIGHT) } });
    }
    fs.writeFileSync(path.join(dir, "fingerprints.json"), `${JSON.stringify(await sectionFingerprints(page), null, 2)}\n`);
}

/** The stored fingerprints, or none when the screenshots were never taken. */
export function storedFingerprints(): Record<string, string> {
    return fs.existsSync(FINGERPRINTS_FILE) ? JSON.parse(fs.readFileSync(FINGERPRINTS_FILE, "utf8")) : {};
}

if (require.main === module) {
    (async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "report-")), "dev-vs-prod.html");
        const code = await main(["--compare", "dev", "prod", "--html", file], { stdout: () => undefined, stderr: (t) => process.stderr.write(t) });
        if (!fs.existsSync(file)) process.exit(code || 1);
        const browser = await launchBrowser();
        try {
            const { page } = await openReport(browser, file);
            await captureSections(page);
        } finally {
            await browser.close();
        }
        process.stderr.write(`wrote ${REPORT_SECTIONS.map((s) => `docs/report/${s.id}.png`).join(", ")}\n`);
    })().catch((error) => {
        process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
        process.exit(1);
    });
}
