/** Stack files as config objects, for tests that validate a changed copy. */
import { expect } from "chai";
import { ConfigError, validateStackConfig } from "../../config/load";
import { findProjectDir, readStackFile } from "../../engine/stack-file";

/** The stack file's config keyed by short name, as loadStackConfig assembles it. */
export function rawConfig(stack: string): Record<string, any> {
    const raw: Record<string, any> = {};
    for (const [key, value] of Object.entries(readStackFile(findProjectDir(), stack).config)) {
        raw[key === "aws:region" ? "region" : key.split(":")[1]] = structuredClone(value);
    }
    return raw;
}

/** Validates a changed copy of the stack's config; the ConfigError it raises, or undefined when accepted. */
export function rejectionOf(stack: string, change: (c: Record<string, any>) => void): ConfigError | undefined {
    const raw = rawConfig(stack);
    change(raw);
    try {
        validateStackConfig(raw);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return e as ConfigError;
    }
    return undefined;
}
