// How much the payer's name on a bank entry looks like a customer's name in the books. Pure.
//
// Banks upper-case names, drop accents, cut them at 35 or 70 characters and keep or drop the legal
// form; the books have "Boulangerie Martin" where the bank says "BOULANGERIE MARTIN SARL" or
// "BOULANGERIE MART". The normal form is the one `ardent_name_key` computes in SQL (migration 003)
// for the index lookup; this one serves to score the candidates that lookup found.

// Same list as ardent_name_key: legal forms and the filler words that come and go in names.
const DROPPED = new Set(
  (
    'sarl sarlu sas sasu sa eurl sci snc scop selarl gmbh mbh ag kg ohg ug ev ltd limited llc llp inc plc ' +
    'corp bv nv vof bvba srl srls spa sl slu sprl cie co ets ste societe the le la les de du des der die ' +
    'das und et and'
  ).split(' '),
);

/** The words that identify a company: folded, lower case, without legal forms or filler words. */
export function nameWords(name: string): string[] {
  const folded = name
    .replace(/\./g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  const words = folded.split(/[^a-z0-9]+/).filter((w) => w !== '');
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'et' && words[i + 1] === 'fils') {
      i++;
      continue;
    }
    if (w === 'and' && words[i + 1] === 'sons') {
      i++;
      continue;
    }
    if (!DROPPED.has(w)) kept.push(w);
  }
  return kept;
}

/**
 * 1 for the same name, about 0.9 for a name the bank cut short, less as words differ; 0 when nothing
 * is shared. Symmetric.
 */
export function nameSimilarity(a: string, b: string): number {
  const x = nameWords(a);
  const y = nameWords(b);
  if (x.length === 0 || y.length === 0) return 0;
  const kx = x.join(' ');
  const ky = y.join(' ');
  if (kx === ky) return 1;
  const [short, long] = kx.length <= ky.length ? [kx, ky] : [ky, kx];
  // A cut name: the shorter is the start of the longer, and long enough to say something.
  if (short.length >= 8 && long.startsWith(short)) return 0.9;
  const sx = new Set(x);
  const sy = new Set(y);
  let shared = 0;
  for (const w of sx) if (sy.has(w)) shared++;
  return (2 * shared) / (sx.size + sy.size);
}
