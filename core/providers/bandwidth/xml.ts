// XML for the Numbers API (docs/contracts/bandwidth-v2.md §2.1): a tiny reader and writer, written here rather
// than taken from a library because the app needs only a small, fixed subset — elements, attributes, text, the
// five predefined entities and character references, CDATA, comments and the declaration — and a reader that
// refuses document type declarations outright cannot be made to expand entities (no XXE, no "billion laughs").
// Everything written is escaped (bxml.ts's escapeXml, which also refuses characters XML cannot carry).
import { escapeXml } from './bxml';

/** An element as read: its attributes, its own text (child elements' text not included) and its children. */
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

/** Answers bigger than this are not Numbers API answers the app asked for. */
export const MAX_XML_CHARS = 2_000_000;
const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a whole document and returns its root element. Throws XmlSyntaxError for anything else. */
export function parseXml(source: string): XmlElement {
  if (source.length > MAX_XML_CHARS) throw new XmlSyntaxError('The document is too large.');
  let at = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at offset ${at}.`);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  const skipUntil = (end: string) => {
    const index = source.indexOf(end, at);
    if (index < 0) fail(`Unterminated markup (expected "${end}")`);
    const content = source.slice(at, index);
    at = index + end.length;
    return content;
  };

  while (at < source.length) {
    const open = source.indexOf('<', at);
    const text = source.slice(at, open < 0 ? source.length : open);
    const current = stack.at(-1);
    if (current) current.text += decode(text, fail);
    else if (text.trim() !== '') fail('Text outside the root element');
    if (open < 0) break;
    at = open;
    if (source.startsWith('<?', at)) {
      at += 2;
      skipUntil('?>');
    } else if (source.startsWith('<!--', at)) {
      at += 4;
      skipUntil('-->');
    } else if (source.startsWith('<![CDATA[', at)) {
      if (!current) fail('CDATA outside the root element');
      at += 9;
      current!.text += skipUntil(']]>');
    } else if (source.startsWith('<!', at)) {
      fail('Document type declarations are not accepted');
    } else if (source.startsWith('</', at)) {
      at += 2;
      const name = source.slice(at).match(NAME)?.[0];
      const closing = stack.pop();
      if (!name || !closing || closing.name !== name) fail(`Unexpected closing tag ${name ?? ''}`);
      at += name!.length;
      if (source.slice(at).match(/^\s*>/) === null) fail('Malformed closing tag');
      at = source.indexOf('>', at) + 1;
    } else {
      at += 1;
      const name = source.slice(at).match(NAME)?.[0] ?? fail('Malformed start tag');
      at += name.length;
      const element: XmlElement = { name, attributes: {}, text: '', children: [] };
      for (;;) {
        const attribute = source.slice(at).match(/^\s+([A-Za-z_][\w.:-]*)\s*=\s*("[^"<]*"|'[^'<]*')/);
        if (!attribute) break;
        element.attributes[attribute[1]!] = decode(attribute[2]!.slice(1, -1), fail);
        at += attribute[0].length;
      }
      const end = source.slice(at).match(/^\s*(\/?)>/) ?? fail('Malformed start tag');
      at += end[0].length;
      if (current) current.children.push(element);
      else if (root) fail('A second root element');
      else root = element;
      if (end[1] !== '/') stack.push(element);
    }
  }
  if (stack.length > 0) fail(`Unclosed element ${stack.at(-1)!.name}`);
  return root ?? fail('No root element');
}

function decode(text: string, fail: (what: string) => never): string {
  return text.replace(/&([^;&\s]{1,10});|&/g, (whole, reference: string | undefined) => {
    if (reference === undefined) return fail('A bare "&"');
    if (reference in ENTITIES) return ENTITIES[reference]!;
    const code = /^#x[0-9a-fA-F]{1,6}$/.test(reference)
      ? parseInt(reference.slice(2), 16)
      : /^#\d{1,7}$/.test(reference)
        ? parseInt(reference.slice(1), 10)
        : undefined;
    if (code === undefined || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      return fail(`Unknown reference ${whole}`);
    return String.fromCodePoint(code);
  });
}

/** The first direct child named `name` (case-sensitive: the API's own casing varies by resource). */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((c) => c.name === name) ?? [];
}

/** The trimmed text of the first direct child named `name`, undefined when there is none. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const found = child(element, name);
  return found === undefined ? undefined : found.text.trim();
}

/** The first element named `name` anywhere below `element` (depth first, document order). */
export function findDeep(element: XmlElement | undefined, name: string): XmlElement | undefined {
  for (const c of element?.children ?? []) {
    if (c.name === name) return c;
    const below = findDeep(c, name);
    if (below) return below;
  }
  return undefined;
}

/** A node to write: `[name, content]`; undefined content (or an undefined child) is left out. */
export type XmlNode = readonly [name: string, content: XmlContent];
export type XmlContent = string | number | boolean | undefined | readonly (XmlNode | undefined)[];

/** A request body: the declaration and one root element. */
export function xmlDocument(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${write(root)}`;
}

function write([name, content]: XmlNode): string {
  if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw new Error(`Not an XML element name: ${name}`);
  if (content === undefined) return '';
  if (typeof content === 'object') {
    const inner = content
      .filter((c): c is XmlNode => c !== undefined)
      .map(write)
      .join('');
    return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(content))}</${name}>`;
}
