// Turning a statement file's bytes into text, and the small string chores every parser shares.

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes are valid UTF-8 and use at least one multi-byte sequence. */
function isNonAsciiUtf8(bytes: Uint8Array): boolean {
  if (!bytes.some((b) => b >= 0x80)) return false;
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function decoderFor(label: string | undefined): InstanceType<typeof TextDecoder> | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return undefined;
  }
}

/**
 * Decodes a statement file. A BOM wins; then the charset the file declares (`declared`); then UTF-8.
 * Bytes that are not valid UTF-8 are read as Windows-1252, the code page French and German banking
 * software writes when it does not write UTF-8. A declared single-byte charset is overruled when the
 * bytes are valid non-ASCII UTF-8: banks often keep an old `CHARSET:1252` header on files they now
 * write in UTF-8, and Latin-1 text almost never happens to be valid UTF-8.
 */
export function decodeBytes(bytes: Uint8Array, declared?: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const decoder = decoderFor(declared);
  if (decoder && decoder.encoding !== 'utf-8' && !decoder.encoding.startsWith('utf-16')) {
    return isNonAsciiUtf8(bytes) ? new TextDecoder('utf-8').decode(bytes) : decoder.decode(bytes);
  }
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The first bytes as Latin-1, one char a byte: enough to read headers and declarations. */
export function peek(bytes: Uint8Array, length = 4096): string {
  let out = '';
  const end = Math.min(bytes.length, length);
  for (let i = 0; i < end; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Collapses runs of white space and trims; undefined for nothing left. */
export function clean(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const s = text.replace(/\s+/g, ' ').trim();
  return s === '' ? undefined : s;
}

/** Joins the non-empty parts with a space; undefined when none is left. */
export function joinText(parts: readonly (string | undefined)[], separator = ' '): string | undefined {
  return clean(
    parts
      .map((p) => clean(p))
      .filter((p): p is string => p !== undefined)
      .join(separator),
  );
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Replaces XML's five predefined entities and numeric character references. Parsers run with entity
 * expansion off (no DOCTYPE entities, so no billion-laughs), so this is the only decoding text gets.
 */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
      ? String.fromCodePoint(code)
      : whole;
  });
}

/**
 * Joins the lines of a field the bank wrapped at a fixed width: a line that fills the width was cut
 * there (possibly inside a word or an invoice number) and continues without a space; a shorter one
 * was ended on purpose and is followed by a space.
 */
export function joinWrapped(lines: readonly string[], width: number): string | undefined {
  let out = '';
  let previous: string | undefined;
  for (const line of lines) {
    if (previous !== undefined && previous.length < width) out += ' ';
    out += line;
    previous = line;
  }
  return clean(out);
}
