// XML in and out for the Numbers API and BXML. Output is written by hand (element order matters to the wire
// shapes the official client's fixtures show); input is parsed with fast-xml-parser, keeping document order.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A node to write: `[name, children]`, where children are nodes, a text value, or undefined (omitted). */
export type XmlNode = readonly [string, XmlContent];
export type XmlContent = string | number | boolean | undefined | readonly (XmlNode | undefined)[];

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

function write(node: XmlNode): string {
  const [name, content] = node;
  if (content === undefined) return '';
  if (Array.isArray(content)) {
    const inner = (content as readonly (XmlNode | undefined)[])
      .filter((child): child is XmlNode => child !== undefined)
      .map(write)
      .join('');
    return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(content))}</${name}>`;
}

/** A whole document with the declaration Bandwidth's responses carry. */
export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${write(root)}`;
}

/** An element as parsed: attributes, text and child elements in document order. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** The document's root element; throws XmlSyntaxError when the text is not well-formed XML. */
export function parseXml(text: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(valid.err.msg);
  const nodes = parser.parse(text) as OrderedNode[];
  const elements = nodes.map(toElement).filter((e): e is XmlElement => e !== undefined && !e.name.startsWith('?'));
  if (elements.length !== 1) throw new XmlSyntaxError('the document must have exactly one root element');
  return elements[0]!;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined || name === '#text' || name === '#comment') return undefined;
  const rawChildren = (node[name] ?? []) as OrderedNode[];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of rawChildren) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child);
      if (element) children.push(element);
    }
  }
  return { name, attributes: { ...(node[':@'] ?? {}) }, text, children };
}

/** The first child named `name` (exact case). */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Text of the first child named `name`, trimmed; undefined when absent. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  return found === undefined ? undefined : found.text.trim();
}

export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}
