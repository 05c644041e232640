/**
 * Just enough of Go's syntax to read provider schemas: composite literals (`T{key: value, ...}`)
 * nested to any depth, with everything else kept as expression text. Strings, raw strings, runes
 * and comments are skipped when matching brackets, so a brace inside a description or a func
 * literal inside a CustomizeDiff does not throw the structure off.
 */

/** A composite literal: the type written before its brace and its elements, keyed or not. */
export interface GoLiteral {
    readonly kind: "literal";
    readonly type: string;
    readonly elements: readonly GoElement[];
    /** Text after the closing brace that belongs to the same value, such as `()` of a func literal called at once. */
    readonly suffix: string;
}

/** Any other value, as source text. */
export interface GoExpression {
    readonly kind: "expression";
    readonly text: string;
}

export type GoValue = GoLiteral | GoExpression;

export interface GoElement {
    /** The key as written (`"name"`, `names.AttrName`, `Schema`), if the element has one. */
    readonly key?: string;
    readonly value: GoValue;
}

const OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/** The index just past a string, raw string, rune or comment starting at `i`, or `i` when none starts there. */
function skipOpaque(text: string, i: number): number {
    const c = text[i];
    if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
        return j + 1;
    }
    if (c === "`") return text.indexOf("`", i + 1) + 1;
    if (c === "/" && text[i + 1] === "/") {
        const end = text.indexOf("\n", i);
        return end < 0 ? text.length : end;
    }
    if (c === "/" && text[i + 1] === "*") return text.indexOf("*/", i + 2) + 2;
    return i;
}

/** The index of the bracket closing the one at `open`. */
export function matchingBracket(text: string, open: number): number {
    const stack: string[] = [];
    for (let i = open; i < text.length;) {
        const skipped = skipOpaque(text, i);
        if (skipped !== i) { i = skipped; continue; }
        const c = text[i];
        if (OPEN[c]) stack.push(OPEN[c]);
        else if (c === ")" || c === "]" || c === "}") {
            if (stack.pop() !== c) throw new Error(`unbalanced ${c} at ${i}`);
            if (stack.length === 0) return i;
        }
        i++;
    }
    throw new Error(`no bracket closes the one at ${open}`);
}

/** Splits `text` at top-level commas (outside any bracket, string or comment). */
function splitTopLevel(text: string): string[] {
    const parts: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length;) {
        const skipped = skipOpaque(text, i);
        if (skipped !== i) { i = skipped; continue; }
        const c = text[i];
        if (OPEN[c]) { i = matchingBracket(text, i) + 1; continue; }
        if (c === ",") { parts.push(text.slice(start, i)); start = i + 1; }
        i++;
    }
    parts.push(text.slice(start));
    return parts.map(stripComments).map((p) => p.trim()).filter((p) => p.length > 0);
}

function stripComments(text: string): string {
    let out = "";
    for (let i = 0; i < text.length;) {
        const skipped = skipOpaque(text, i);
        if (skipped !== i) {
            if (text[i] === "/") { i = skipped; continue; }
            out += text.slice(i, skipped);
            i = skipped;
            continue;
        }
        out += text[i++];
    }
    return out;
}

/** The index of the top-level `:` that separates an element's key from its value, if any. */
function keyColon(text: string): number {
    for (let i = 0; i < text.length;) {
        const skipped = skipOpaque(text, i);
        if (skipped !== i) { i = skipped; continue; }
        const c = text[i];
        if (OPEN[c]) return -1;
        if (c === ":" && text[i + 1] !== "=") return i;
        i++;
    }
    return -1;
}

/** Parses one value: a composite literal when a brace opens outside any parenthesis, else expression text. */
export function parseValue(text: string): GoValue {
    const trimmed = text.trim();
    for (let i = 0; i < trimmed.length;) {
        const skipped = skipOpaque(trimmed, i);
        if (skipped !== i) { i = skipped; continue; }
        const c = trimmed[i];
        if (c === "(" || c === "[") {
            // A type such as map[string]*schema.Schema or []planmodifier.String keeps its brackets in the type.
            i = matchingBracket(trimmed, i) + 1;
            continue;
        }
        if (c === "{") {
            const type = trimmed.slice(0, i).trim();
            // A func literal's body is statements, not elements: keep it as text.
            if (/^func\b/.test(type)) return { kind: "expression", text: trimmed };
            const close = matchingBracket(trimmed, i);
            return { kind: "literal", type, elements: parseElements(trimmed.slice(i + 1, close)), suffix: trimmed.slice(close + 1).trim() };
        }
        i++;
    }
    return { kind: "expression", text: trimmed };
}

/** The elements of a composite literal's body. */
export function parseElements(body: string): GoElement[] {
    return splitTopLevel(body).map((part) => {
        const colon = keyColon(part);
        return colon < 0 ? { value: parseValue(part) } : { key: part.slice(0, colon).trim(), value: parseValue(part.slice(colon + 1)) };
    });
}

/** The value of the element keyed `key` in a literal, if present. */
export function field(literal: GoLiteral, key: string): GoValue | undefined {
    return literal.elements.find((e) => e.key === key)?.value;
}

/** The first composite literal in `text` whose type matches `type`, parsed. */
export function findLiteral(text: string, type: RegExp): GoLiteral | undefined {
    for (const match of text.matchAll(new RegExp(type.source, "g"))) {
        const open = text.indexOf("{", match.index! + match[0].length - 1);
        if (open < 0) continue;
        const value = parseValue(text.slice(match.index!, matchingBracket(text, open) + 1));
        if (value.kind === "literal") return value;
    }
    return undefined;
}

/** The source of a top-level func or method named `name` in Go text (`func name(` or `func (r *T) name(`). */
export function functionSource(text: string, name: string): string | undefined {
    const match = new RegExp(`^func (?:\\([^)]*\\) )?${name}\\(`, "m").exec(text);
    if (!match) return undefined;
    // The body opens at the first brace after the signature's parentheses close.
    const paramsOpen = text.indexOf("(", match.index + match[0].length - 1);
    let i = matchingBracket(text, paramsOpen) + 1;
    while (text[i] !== "{") {
        if (text[i] === "(" || text[i] === "[") i = matchingBracket(text, i);
        i++;
    }
    return text.slice(match.index, matchingBracket(text, i) + 1);
}
