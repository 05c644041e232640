import { Provider as AwsProvider } from "@pulumi/aws/provider";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../config/schema";

/**
 * The explicit AWS provider every component uses. Its default tags put the four mandatory tags
 * (CM-8) on every resource that takes tags, so no component can forget them.
 */
export function createAwsProvider(name: string, region: string, tags: Tags, opts?: pulumi.CustomResourceOptions): AwsProvider {
    return new AwsProvider(name, { region: region, defaultTags: { tags: sortedTags(tags) } }, opts);
}

/** Tags in key order, so that serialised config stays stable across runs. */
export function sortedTags(tags: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
}
