import * as pulumi from "@pulumi/pulumi";
import { OperationsConfig } from "../../config/schema";
import { KubernetesContext } from "../cluster/context";
import { Edge } from "../edge";
import { installHeadlamp } from "./headlamp";
import { installKubecost } from "./kubecost";

export interface OperationsArgs {
    /** The operations slice of the validated stack config: which tools run, and their sizes. */
    readonly config: OperationsConfig;
    /**
     * The cluster the charts go into. Both namespaces are meshed, so pass a context that waits
     * for the mesh (MeshAndScanning.meshedContext) when Istio is on.
     */
    readonly context: KubernetesContext;
    /** The UIs' ALB, where the stack exposes them (ui.exposure internal or internet). */
    readonly edge?: Edge;
}

/** Tools for the people who run the platform: cost visibility (PM-3) and a read-only UI (AC-2). */
export class Operations extends pulumi.ComponentResource {
    /** The tools this stack runs, by name. */
    public readonly tools: readonly string[];

    constructor(name: string, args: OperationsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:operations:Operations", name, {}, opts);
        const { config, context } = args;
        if (config.kubecost.enabled) installKubecost(`${name}-kubecost`, { config: config.kubecost, exposure: args.edge?.exposure("kubecost") }, context, this);
        if (config.headlamp.enabled) installHeadlamp(`${name}-headlamp`, { config: config.headlamp, exposure: args.edge?.exposure("headlamp") }, context, this);
        this.tools = [config.kubecost.enabled && "kubecost", config.headlamp.enabled && "headlamp"].filter((t): t is string => Boolean(t));
        this.registerOutputs({ tools: this.tools });
    }
}
