// A small strict XML 1.0 reader for reporter tests: it accepts the subset
// the JUnit reporter writes (a declaration, elements, attributes, text and
// character or predefined entity references) and throws on anything that is
// not well-formed, or that a conforming parser would refuse.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

class Reader {
  private pos = 0;

  constructor(private readonly src: string) {
    for (const ch of src) {
      const code = ch.codePointAt(0) ?? 0;
      // A lone surrogate iterates as itself (0xd800-0xdfff), which isXmlChar refuses.
      if (!isXmlChar(code)) this.fail(`character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML 1.0`);
    }
  }

  fail(message: string): never {
    const line = this.src.slice(0, this.pos).split('\n').length;
    throw new Error(`XML: ${message} (line ${line}, offset ${this.pos})`);
  }

  document(): XmlElement {
    const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(this.src);
    if (!decl) this.fail('missing <?xml version="1.0" encoding="UTF-8"?> declaration');
    this.pos = decl[0].length;
    this.space();
    const root = this.element();
    this.space();
    if (this.pos !== this.src.length) this.fail('content after the root element');
    return root;
  }

  private space(): void {
    while (this.pos < this.src.length && /[ \t\r\n]/.test(this.src[this.pos] as string)) this.pos++;
  }

  private name(): string {
    const m = NAME.exec(this.src.slice(this.pos, this.pos + 200));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  private expect(text: string): void {
    if (!this.src.startsWith(text, this.pos)) this.fail(`expected ${JSON.stringify(text)}`);
    this.pos += text.length;
  }

  /** Decodes references in `raw`; `inAttribute` applies attribute-value normalisation. */
  private decode(literal: string, inAttribute: boolean): string {
    // End-of-line handling comes before everything else, as in any conforming parser.
    const raw = literal.replace(/\r\n?/g, '\n');
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i] as string;
      if (c === '&') {
        const end = raw.indexOf(';', i);
        if (end < 0) this.fail('unterminated entity reference');
        const ref = raw.slice(i + 1, end);
        let value: string | undefined;
        if (/^#[0-9]+$/.test(ref)) value = String.fromCodePoint(Number(ref.slice(1)));
        else if (/^#x[0-9A-Fa-f]+$/.test(ref)) value = String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
        else value = PREDEFINED[ref];
        if (value === undefined) this.fail(`unknown entity &${ref};`);
        if (ref.startsWith('#') && !isXmlChar(value.codePointAt(0) ?? 0)) this.fail(`character reference &${ref}; is not allowed in XML 1.0`);
        out += value;
        i = end;
      } else if (inAttribute && /[\t\n\r]/.test(c)) {
        out += ' ';
      } else out += c;
    }
    return out;
  }

  private attributes(): Record<string, string> {
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = this.pos;
      this.space();
      const c = this.src[this.pos];
      if (c === '>' || c === '/') return attrs;
      if (this.pos === before) this.fail('expected white space before an attribute');
      const name = this.name();
      if (Object.prototype.hasOwnProperty.call(attrs, name)) this.fail(`duplicate attribute ${name}`);
      this.expect('=');
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`attribute ${name} is not quoted`);
      const end = this.src.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail(`unterminated attribute ${name}`);
      const raw = this.src.slice(this.pos + 1, end);
      if (raw.includes('<')) this.fail(`"<" in attribute ${name}`);
      attrs[name] = this.decode(raw, true);
      this.pos = end + 1;
    }
  }

  private element(): XmlElement {
    this.expect('<');
    const name = this.name();
    const attributes = this.attributes();
    const el: XmlElement = { name, attributes, children: [], text: '' };
    if (this.src.startsWith('/>', this.pos)) {
      this.pos += 2;
      return el;
    }
    this.expect('>');
    for (;;) {
      const next = this.src.indexOf('<', this.pos);
      if (next < 0) this.fail(`element ${name} is not closed`);
      const raw = this.src.slice(this.pos, next);
      if (raw.includes(']]>')) this.fail('"]]>" in text');
      el.text += this.decode(raw, false);
      this.pos = next;
      if (this.src.startsWith('</', this.pos)) {
        this.pos += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        this.space();
        this.expect('>');
        return el;
      }
      if (/^<[!?]/.test(this.src.slice(this.pos, this.pos + 2))) this.fail('comments, CDATA and processing instructions are not expected');
      el.children.push(this.element());
    }
  }
}

export function parseXml(text: string): XmlElement {
  return new Reader(text).document();
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}
