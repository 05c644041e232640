/**
 * IAM-style policy documents (IAM policies, bucket policies). Programs pass them as JSON text
 * (`JSON.stringify`, `aws.iam.getPolicyDocument().json`) or as objects; both are read here.
 */
import { Read, readJsonObject, readList, readRecord, UNKNOWN } from "./values";

export type Statement = Readonly<Record<string, unknown>>;

/**
 * The statements of a document: UNKNOWN while the document (or its Statement list) is not known,
 * undefined when there is no document or it is not valid JSON.
 */
export function statementsOf(document: unknown): Read<readonly Statement[]> {
    const doc = readJsonObject(document);
    if (doc === undefined || doc === UNKNOWN) return doc;
    // A single statement may be given as an object instead of a one-element list.
    const single = readRecord(doc.Statement);
    if (single === UNKNOWN) return UNKNOWN;
    if (single !== undefined) return [single];
    const list = readList(doc.Statement);
    if (list === undefined || list === UNKNOWN) return list;
    return list.map(readRecord).filter((s): s is Statement => typeof s === "object");
}
