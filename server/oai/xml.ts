// A small XML writer for OAI-PMH answers. Every text and attribute value passes through escapeXml, so whatever an
// interview's metadata holds (markup, quotes, control characters) arrives as text, never as markup or HTML.

/** An element: name, attributes (undefined ones are left out), children (strings are text). */
export interface XmlElement {
  name: string;
  attrs?: Record<string, string | number | undefined>;
  children?: XmlNode[];
}
export type XmlNode = XmlElement | string | null | undefined | false;

// XML 1.0 allows only these characters; anything else (NUL, most C0 controls, lone surrogates, U+FFFE/F) is dropped.
const notXmlChar = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(notXmlChar, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function el(name: string, attrs?: XmlElement['attrs'] | null, ...children: XmlNode[]): XmlElement {
  return { name, ...(attrs ? { attrs } : {}), children };
}

export function renderXml(node: XmlNode, indent = ''): string {
  if (node === null || node === undefined || node === false) return '';
  if (typeof node === 'string') return escapeXml(node);
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const children = (node.children ?? []).filter((c) => c !== null && c !== undefined && c !== false && c !== '');
  if (children.length === 0) return `${indent}<${node.name}${attrs}/>`;
  if (children.every((c) => typeof c === 'string'))
    return `${indent}<${node.name}${attrs}>${children.map((c) => escapeXml(c as string)).join('')}</${node.name}>`;
  const inner = children
    .map((c) => (typeof c === 'string' ? `${indent}  ${escapeXml(c)}` : renderXml(c, `${indent}  `)))
    .join('\n');
  return `${indent}<${node.name}${attrs}>\n${inner}\n${indent}</${node.name}>`;
}

export function xmlDocument(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${renderXml(root)}\n`;
}
