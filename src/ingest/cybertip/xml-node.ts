// The small tree built for one report at a time (never for a whole file).

/** An element of the report being read; a node with name '' is a run of non-blank text between child elements. */
export interface XmlNode {
  name: string;
  /** Null when the element has no attributes (most have none; this spares an empty object each). */
  attrs: Record<string, string> | null;
  children: XmlNode[];
  /** The element's text when it has no child elements; the text itself for a text run. */
  text: string;
}

/** An empty attribute set to iterate over where a node has none. */
export const NONE: Readonly<Record<string, string>> = Object.freeze({});

/** Escapes text content for XML output. */
export function escapeText(s: string): string {
  return /[&<>\r]/.test(s) ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;') : s;
}

/** Escapes an attribute value for XML output (double-quoted). */
export function escapeAttr(s: string): string {
  return /[&<>"\r\n\t]/.test(s)
    ? s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/\r/g, '&#13;')
        .replace(/\n/g, '&#10;')
        .replace(/\t/g, '&#9;')
    : s;
}

/** Re-serialises a parsed node (attributes and text preserved, escaped). */
export function serializeNode(node: XmlNode): string {
  if (node.name === '') return escapeText(node.text);
  let out = `<${node.name}`;
  const attrs = node.attrs;
  if (attrs !== null) for (const key in attrs) out += ` ${key}="${escapeAttr(attrs[key] ?? '')}"`;
  if (node.children.length === 0) {
    return node.text === '' ? `${out}/>` : `${out}>${escapeText(node.text)}</${node.name}>`;
  }
  out += '>';
  for (const child of node.children) out += serializeNode(child);
  return `${out}</${node.name}>`;
}
