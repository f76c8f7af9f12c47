// Reading a Numbers API request body: well-formed XML whose root is the expected element.
import { numbersError } from '../http/bw-errors';
import { parseXml, XmlSyntaxError, type XmlElement } from '../http/xml';

/** Error code the sandbox uses for a body that is not the XML a route expects ([undocumented]). */
export const INVALID_XML_CODE = 1003;

export function readXmlBody(body: string, rootName: string, wrapper: string): XmlElement {
  if (body.trim() === '')
    throw numbersError(400, wrapper, INVALID_XML_CODE, `The request body must be a <${rootName}> document`);
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (error) {
    const reason = error instanceof XmlSyntaxError ? error.message : 'unreadable';
    throw numbersError(400, wrapper, INVALID_XML_CODE, `The request body is not valid XML: ${reason}`);
  }
  if (root.name !== rootName) {
    throw numbersError(400, wrapper, INVALID_XML_CODE, `The root element must be <${rootName}>, not <${root.name}>`);
  }
  return root;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
