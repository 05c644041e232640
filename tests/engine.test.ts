/**
 * The offline engine's shortcuts (engine/run.ts `offline`): a run skips the SDK's wire encoding,
 * promise wrapping and stack traces, and must still record what the SDK would have sent, answer
 * what the SDK asks back, and leave the process as it found it.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { runStack } from "../engine/run";

const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };

/** Inputs whose keys are out of order at every depth, with lists, numbers, nulls and booleans. */
const INPUTS = { zeta: { b: [3, { y: true, x: null }], a: "first" }, alpha: [{ d: 1.5, c: ["q", "p"] }], mid: false };

/** A provider's resource of a made-up type, as @pulumi/aws's classes are. */
class Thing extends pulumi.CustomResource {
    constructor(name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, inputs, opts);
    }
}

/** A run of prod whose program is `declare` alone. */
function runOf(declare: () => Promise<void>) {
    return runStack("prod", { program: async () => (await declare(), { outputs: {}, declaredWorkloads: [] } as any) });
}

describe("the offline engine", () => {
    it("records a resource's inputs as the SDK's protobuf encoding would hand them over: every key, in the encoding's order", async () => {
        const run = await runOf(async () => { new Thing("thing", INPUTS); });
        const recorded = run.resources.find((r) => r.name === "thing")!;
        const encodedAndDecoded = Struct.fromJavaScript(INPUTS as any).toJavaScript();
        // The same value in the same key order, at every depth (JSON text compares both).
        expect(JSON.stringify(recorded.inputs)).to.equal(JSON.stringify(encodedAndDecoded));
        expect(Object.keys(recorded.inputs)).to.deep.equal(["alpha", "mid", "zeta"]);
    });

    it("answers the SDK's lookup of a registered resource by its URN, which reads the encoded fields", async () => {
        let state: unknown;
        await runOf(async () => {
            const first = new Thing("original", INPUTS);
            const urn = await new Promise<string>((resolve) => first.urn.apply(resolve));
            // A resource constructed from a URN is looked up (pulumi:pulumi:getResource), not registered.
            const again = new Thing("original", { zeta: undefined }, { urn });
            state = await new Promise((resolve) => (again as any).zeta.apply(resolve));
        });
        expect(state).to.deep.equal(INPUTS.zeta);
    });

    it("leaves the encoding, the SDK's promise wrapper and stack traces as they were, after a run and after a failed one", async () => {
        const before = { fromJavaScript: Struct.fromJavaScript, debuggablePromise: debuggable.debuggablePromise, limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace };
        const now = () => ({ fromJavaScript: Struct.fromJavaScript, debuggablePromise: debuggable.debuggablePromise, limit: Error.stackTraceLimit, prepare: Error.prepareStackTrace });
        let inside: ReturnType<typeof now> | undefined;
        await runOf(async () => { inside = now(); });
        expect(inside!.fromJavaScript).to.not.equal(before.fromJavaScript);
        expect(inside!.debuggablePromise).to.not.equal(before.debuggablePromise);
        expect(inside!.limit).to.equal(0);
        expect(now()).to.deep.equal(before);

        const failed = await runOf(async () => { throw new Error("declared nothing"); }).then(() => undefined, (e: Error) => e);
        expect(failed?.message).to.equal("declared nothing");
        expect(now()).to.deep.equal(before);
        expect(new Error("traced").stack).to.match(/^Error: traced\n\s+at /);
    });
});
