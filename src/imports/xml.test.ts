import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnreadableFileError } from './records.ts';
import { checkCountry } from './validate.ts';
import {
  attribute,
  child,
  children,
  decodeXmlBytes,
  FieldReader,
  find,
  findAll,
  parseXml,
  text,
  textAt,
  xsdDateText,
} from './xml.ts';

function unreadable(run: () => unknown): UnreadableFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof UnreadableFileError) return error;
    throw error;
  }
  throw new Error('expected an UnreadableFileError');
}

const UBL_LIKE = `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
         xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
         xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>F-2026-0412</cbc:ID>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine>
  <cac:InvoiceLine><cbc:ID>2</cbc:ID><cbc:Note>  fragile  </cbc:Note></cac:InvoiceLine>
  <cac:LegalMonetaryTotal>
    <cbc:PayableAmount currencyID="EUR">1042.13</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
</Invoice>`;

describe('parseXml', () => {
  it('resolves each element to its namespace whatever prefix the writer chose', () => {
    const root = parseXml(UBL_LIKE, 'f.xml');
    expect(root.name).toBe('Invoice');
    expect(root.namespace).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    const id = child(root, 'ID')!;
    expect(id.qname).toBe('cbc:ID');
    expect(id.namespace).toBe('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2');

    const renamed = parseXml(
      '<x:Invoice xmlns:x="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:b="urn:b"><b:ID>7</b:ID></x:Invoice>',
      'f.xml',
    );
    expect(renamed.name).toBe('Invoice');
    expect(renamed.namespace).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(text(child(renamed, 'cbc:ID'))).toBe('7');
  });

  it('lets an inner declaration override the default namespace for its subtree', () => {
    const root = parseXml('<a xmlns="urn:outer"><b xmlns="urn:inner"><c/></b><d/></a>', 'f.xml');
    expect(find(root, 'b/c')?.namespace).toBe('urn:inner');
    expect(child(root, 'd')?.namespace).toBe('urn:outer');
  });

  it('names where each element sits, numbering names that repeat', () => {
    const root = parseXml(UBL_LIKE, 'f.xml');
    expect(findAll(root, 'cac:InvoiceLine/cbc:ID').map((e) => e.path)).toEqual([
      'Invoice/cac:InvoiceLine[1]/cbc:ID',
      'Invoice/cac:InvoiceLine[2]/cbc:ID',
    ]);
    expect(find(root, 'cac:LegalMonetaryTotal/cbc:PayableAmount')?.path).toBe(
      'Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount',
    );
  });

  it('keeps the text of elements that also have attributes', () => {
    const amount = find(parseXml(UBL_LIKE, 'f.xml'), 'LegalMonetaryTotal/PayableAmount');
    expect(text(amount)).toBe('1042.13');
    expect(attribute(amount, 'currencyID')).toBe('EUR');
  });

  it('decodes the predefined entities and character references, and keeps CDATA verbatim', () => {
    const root = parseXml(
      '<a t="Dupont &amp; Fils &#x2013; Li&#232;ge"><b>Dupont &amp; Fils &lt;SA&gt; &#233;t&#xE9;</b><c><![CDATA[a &amp; b < c]]></c></a>',
      'f.xml',
    );
    expect(attribute(root, 't')).toBe('Dupont & Fils – Liège');
    expect(text(child(root, 'b'))).toBe('Dupont & Fils <SA> été');
    expect(text(child(root, 'c'))).toBe('a &amp; b < c');
  });

  it('leaves character references to non-characters as written rather than failing', () => {
    expect(text(parseXml('<a>x&#0;y&#xD800;</a>', 'f.xml'))).toBe('x&#0;y&#xD800;');
  });

  it('never expands an entity a DOCTYPE could have declared', () => {
    const root = parseXml('<!DOCTYPE a SYSTEM "a.dtd"><a>&company;</a>', 'f.xml');
    expect(text(root)).toBe('&company;');
  });

  it('refuses a DOCTYPE that declares entities (billion laughs)', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Invoice>&lol3;</Invoice>`;
    const error = unreadable(() => parseXml(lol, 'lol.xml'));
    expect(error.problem).toMatchObject({ file: 'lol.xml', at: 'line 2' });
    expect(error.message).toMatch(/DOCTYPE declares entities/);
  });

  it('refuses an external entity (XXE)', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    expect(unreadable(() => parseXml(xxe, 'xxe.xml')).message).toMatch(/refused/);
  });

  it('reports a mismatched closing tag with its line', () => {
    const error = unreadable(() => parseXml('<a>\n  <b>\n  </c>\n</a>', 'bad.xml'));
    expect(error.problem.at).toBe('line 3');
    expect(error.problem.message).toMatch(/malformed XML: Expected closing tag 'b'/);
  });

  it('says which elements a truncated file leaves open', () => {
    const cut = UBL_LIKE.indexOf('<cbc:ID>2');
    const error = unreadable(() => parseXml(UBL_LIKE.slice(0, cut), 'cut.xml'));
    expect(error.problem.message).toMatch(
      /the file ends before elements Invoice, cac:InvoiceLine are closed/,
    );
  });

  it('refuses an empty file, plain text and two root elements', () => {
    expect(unreadable(() => parseXml('', 'e.xml')).message).toMatch(/no element found/);
    expect(unreadable(() => parseXml('numero;total\n1;2', 'e.xml')).message).toMatch(/malformed XML/);
    expect(unreadable(() => parseXml('<a/><b/>', 'e.xml')).message).toMatch(/2 root elements/);
  });

  it('refuses nesting deeper than any real document, without exhausting the stack', () => {
    const deep = `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`;
    expect(unreadable(() => parseXml(deep, 'deep.xml')).message).toMatch(/nested deeper than 200/);
  });

  it('accepts a byte-order mark', () => {
    expect(parseXml('\uFEFF<a>1</a>', 'f.xml').name).toBe('a');
  });

  it('only ever throws UnreadableFileError, whatever the text', () => {
    const xmlish = fc.stringMatching(/^[<>/a-z:="' &;#x0-9![\]?\n-]{0,80}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), xmlish), (input) => {
        try {
          parseXml(input, 'random.xml');
        } catch (error) {
          expect(error).toBeInstanceOf(UnreadableFileError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('walking the tree', () => {
  const root = parseXml(UBL_LIKE, 'f.xml');

  it('treats one element and several alike', () => {
    expect(children(root, 'cac:InvoiceLine')).toHaveLength(2);
    expect(children(root, 'cac:LegalMonetaryTotal')).toHaveLength(1);
    expect(children(root, 'cac:Delivery')).toEqual([]);
  });

  it('tolerates absent elements at every step', () => {
    expect(child(undefined, 'ID')).toBeUndefined();
    expect(children(undefined, 'ID')).toEqual([]);
    expect(find(root, 'cac:Delivery/cbc:ID')).toBeUndefined();
    expect(text(undefined)).toBeUndefined();
    expect(attribute(undefined, 'schemeID')).toBeUndefined();
  });

  it('trims text and counts whitespace as no text', () => {
    expect(textAt(root, 'InvoiceLine/Note')).toBe('fragile');
    expect(text(parseXml('<a>   </a>', 'f.xml'))).toBeUndefined();
  });

  it('finds the first element along a path that has text, across repeated parents', () => {
    const doc = parseXml('<r><p><id/></p><p><id>second</id></p></r>', 'f.xml');
    expect(textAt(doc, 'p/id')).toBe('second');
  });
});

describe('FieldReader', () => {
  const root = parseXml('<Invoice><Buyer><Country>Belgique</Country></Buyer></Invoice>', 'in.xml');

  it('names the element and field of a value that fails its check', () => {
    const r = new FieldReader('in.xml');
    expect(r.read(root, 'Buyer/Country', 'customer_country', checkCountry)).toBeUndefined();
    expect(r.problems).toEqual([
      {
        file: 'in.xml',
        at: 'Invoice/Buyer/Country',
        field: 'customer_country',
        message: 'expected an ISO 3166-1 alpha-2 country code such as FR, got "Belgique"',
      },
    ]);
  });

  it('names where a required element should have been', () => {
    const r = new FieldReader('in.xml');
    r.read(root, 'cbc:ID', 'number', (t) => ({ ok: true, value: t }), 'missing: the number');
    expect(r.problems[0]).toMatchObject({
      at: 'Invoice/cbc:ID',
      field: 'number',
      message: 'missing: the number',
    });
  });

  it('leaves an optional absent element without a problem', () => {
    const r = new FieldReader('in.xml');
    expect(r.read(root, 'cbc:Note', 'note', (t) => ({ ok: true, value: t }))).toBeUndefined();
    expect(r.problems).toEqual([]);
  });
});

describe('decodeXmlBytes', () => {
  it('follows the encoding declaration of a Latin-1 export', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('<?xml version="1.0" encoding="ISO-8859-1"?><a>Li'),
      0xe8,
      ...new TextEncoder().encode('ge</a>'),
    ]);
    expect(text(parseXml(decodeXmlBytes(bytes, 'f.xml'), 'f.xml'))).toBe('Liège');
  });

  it('lets a byte-order mark win, UTF-8 or UTF-16', () => {
    const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('<a>été</a>')]);
    expect(decodeXmlBytes(utf8, 'f.xml')).toBe('<a>été</a>');
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'<a>é</a>'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeXmlBytes(utf16, 'f.xml')).toBe('<a>é</a>');
  });

  it('refuses an encoding it cannot decode', () => {
    const bytes = new TextEncoder().encode('<?xml version="1.0" encoding="X-KLINGON"?><a/>');
    expect(unreadable(() => decodeXmlBytes(bytes, 'f.xml')).message).toMatch(
      /unsupported XML encoding "X-KLINGON"/,
    );
  });
});

describe('xsdDateText', () => {
  it('drops the time zone an xsd:date may carry', () => {
    expect(xsdDateText('2026-11-13+01:00')).toBe('2026-11-13');
    expect(xsdDateText('2026-11-13Z')).toBe('2026-11-13');
    expect(xsdDateText('2026-11-13')).toBe('2026-11-13');
  });
});
