// The Numbers API's XML reader and writer: every wire fixture of @bandwidth/numbers reads the same as with an
// independent parser (fast-xml-parser), what the reader must refuse is refused, and what is written is escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import {
  child,
  childText,
  findDeep,
  parseXml,
  xmlDocument,
  XmlSyntaxError,
  type XmlElement,
} from '../../../core/providers/bandwidth/xml';
import { elementTree, FIXTURES } from './numbers-fake';

/** Our reading in the same form as elementTree (names in order, trimmed texts). */
function ourTree(element: XmlElement): unknown {
  const text = element.text.trim();
  const inner: unknown[] = [...(text ? [text] : []), ...element.children.map(ourTree)];
  return { [element.name]: inner };
}

test('every @bandwidth/numbers fixture reads as an independent parser reads it (and a malformed one is refused)', () => {
  const names = Object.keys(FIXTURES);
  assert.ok(names.length > 50);
  let malformed = 0;
  for (const name of names) {
    const fixture = FIXTURES[name]!;
    if (XMLValidator.validate(fixture) !== true) {
      malformed++; // e.g. `portInActivation` closes an element it wrote as empty
      assert.throws(() => parseXml(fixture), XmlSyntaxError, name);
      continue;
    }
    assert.deepEqual([ourTree(parseXml(fixture))], elementTree(fixture), name);
  }
  assert.ok(malformed < 3);
});

test('entities, character references, CDATA, comments, declaration and attributes', () => {
  const root = parseXml(
    '\ufeff<?xml version="1.0"?><!-- c --><R a="x &amp; y" b=\'1\'><T>a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#233;&#x1F600;</T>' +
      '<C><![CDATA[<not> & markup]]></C><E/><E /><N><M>deep</M></N></R>',
  );
  assert.equal(root.name, 'R');
  assert.deepEqual(root.attributes, { a: 'x & y', b: '1' });
  assert.equal(childText(root, 'T'), 'a <b> "c" \'d\' é😀');
  assert.equal(childText(root, 'C'), '<not> & markup');
  assert.equal(childText(root, 'E'), '');
  assert.equal(root.children.filter((c) => c.name === 'E').length, 2);
  assert.equal(findDeep(root, 'M')?.text, 'deep');
  assert.equal(child(root, 'Missing'), undefined);
});

test('refused: document types (no entity expansion at all), malformed markup, unknown references', () => {
  const refused = [
    '<!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>',
    '<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>',
    '<r>&x;</r>',
    '<r>a & b</r>',
    '<r>&#xD800;</r>',
    '<r><a></r>',
    '<r></a>',
    '<r>',
    '',
    'text',
    '<r/><s/>',
    '<r a="1" a2=x/>',
    '<r><!-- open </r>',
    '<1r/>',
  ];
  for (const source of refused) assert.throws(() => parseXml(source), XmlSyntaxError, JSON.stringify(source));
  assert.throws(() => parseXml(`<r>${'x'.repeat(2_000_001)}</r>`), XmlSyntaxError);
});

test('written documents escape every text and leave out undefined parts', () => {
  const written = xmlDocument([
    'Order',
    [
      ['Name', 'a<b>&"c\'</Name><Injected>'],
      ['Skipped', undefined],
      undefined,
      ['PartialAllowed', false],
      ['Count', 2],
      ['List', [['TelephoneNumber', '9195551212']]],
      ['Empty', []],
    ],
  ]);
  assert.equal(
    written,
    '<?xml version="1.0" encoding="UTF-8"?><Order><Name>a&lt;b&gt;&amp;&quot;c&apos;&lt;/Name&gt;&lt;Injected&gt;</Name>' +
      '<PartialAllowed>false</PartialAllowed><Count>2</Count><List><TelephoneNumber>9195551212</TelephoneNumber></List><Empty/></Order>',
  );
  assert.equal(childText(parseXml(written), 'Name'), 'a<b>&"c\'</Name><Injected>');
  assert.throws(() => xmlDocument(['Bad Name', 'x']));
  assert.throws(() => xmlDocument(['Name', 'bell \u0007']));
});
