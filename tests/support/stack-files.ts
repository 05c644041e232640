/** The shipped stack files as text, and the edited revisions of them that tests diff against. */
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { findProjectDir } from "../../engine/stack-file";

export const stackFile = (name: string) => fs.readFileSync(path.join(findProjectDir(), `Pulumi.${name}.yaml`), "utf8");

/** A role given EKS's view policy in monitoring: the access entry devWithViewer adds. */
export const VIEWER = "arn:aws:iam::123456789012:role/platform-viewer";

/** Dev's stack file with one more access entry, as a team's earlier revision might have it. */
export function devWithViewer(): string {
    const doc = parseDocument(stackFile("dev"));
    (doc.getIn(["config", "nist-eks-platform:cluster", "access", "entries"]) as any).add(doc.createNode({ principalArn: VIEWER, policy: "view", namespaces: ["monitoring"] }));
    return doc.toString();
}
