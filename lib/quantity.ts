/** Kubernetes resource quantities as numbers: CPU in millicores, memory and storage in MiB. */

const CPU_QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(m?)$/;

/**
 * A Kubernetes CPU quantity ("250m", "1", "0.5", or a number from YAML such as 2) in millicores.
 * Throws, quoting the value, for anything else, including precision finer than 1m, which
 * Kubernetes does not allow.
 */
export function parseCpu(quantity: string | number): number {
    const text = String(quantity);
    const match = CPU_QUANTITY.exec(text);
    const millicores = match ? toMillicores(match[1], match[2] === "m") : NaN;
    if (Number.isSafeInteger(millicores)) return millicores;
    throw new Error(`Not a Kubernetes CPU quantity: ${JSON.stringify(text)} (expected cores such as "1" or "0.5", or whole millicores such as "250m")`);
}

/** Built from the digits, not amount * 1000, which would turn "1.005" into 1004.999...; NaN when finer than 1m. */
function toMillicores(amount: string, inMillicores: boolean): number {
    const [whole, digits = ""] = amount.split(".");
    const fraction = digits.replace(/0+$/, "");
    if (inMillicores) return fraction === "" ? Number(whole) : NaN;
    return fraction.length <= 3 ? Number(whole || "0") * 1000 + Number(fraction.padEnd(3, "0")) : NaN;
}

/** Bytes per unit: the binary suffixes (Ki, Mi, ...) and the decimal ones (k, M, ...) Kubernetes accepts. */
const MEMORY_UNIT_BYTES: Readonly<Record<string, number>> = {
    "": 1,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
    k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

const MEMORY_QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/**
 * A Kubernetes memory quantity ("512Mi", "1Gi", "1G", "1000M", or plain bytes) in MiB. Decimal units
 * give fractional MiB ("1G" is 953.67 MiB), kept unrounded. Throws, quoting the value, for anything
 * else, such as a lower-case "mi" or a negative size.
 */
export function parseMemory(quantity: string | number): number {
    const text = String(quantity);
    const match = MEMORY_QUANTITY.exec(text);
    if (!match) {
        throw new Error(`Not a Kubernetes memory quantity: ${JSON.stringify(text)} (expected a number with an optional unit ${Object.keys(MEMORY_UNIT_BYTES).filter(Boolean).join(", ")}, such as "512Mi" or "1G")`);
    }
    return (Number(match[1]) * MEMORY_UNIT_BYTES[match[2] ?? ""]) / 2 ** 20;
}
