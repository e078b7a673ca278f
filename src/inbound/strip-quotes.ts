// The new part of a reply. Customers answer above (or, rarely, below) the reminder they received, and
// that reminder says "formal notice", "dispute", "pay within 8 days": left in, it would make every
// "thank you" look like a dispute or a promise. So the classifier reads only what the customer wrote,
// and what was quoted is returned apart (its invoice numbers still tell what the reply is about).
//
// Recognised: ">" lines; attribution lines in the mail clients' languages ("On … wrote:", "Le … a
// écrit :", "Am … schrieb …:", "El … escribió:", "Il … ha scritto:", "Op … schreef …:"), also when the
// client wrapped them over two or three lines; Outlook's separators and header blocks ("-----Original
// Message-----", "De : … Envoyé : …", "From: … Sent: …", "Von: … Gesendet: …", "Da: … Inviato: …",
// "Van: … Verzonden: …", "-------- Message d'origine --------"); forwarded-message banners. Then the
// signature: the "-- " delimiter, phone footers ("Envoyé de mon iPhone"), a closing formula followed by
// name and contact lines, and confidentiality disclaimers.

export interface StrippedReply {
  /** What the customer wrote. */
  reply: string;
  /** The quoted history, if any. */
  quoted: string;
  /** The signature and footers removed from the reply. */
  signature: string;
}

const ATTRIBUTION_VERBS =
  /(?:wrote|a écrit|a ecrit|schrieb|escribió|escribio|ha scritto|schreef|skrev|kirjoitti|escreveu|napisał)\s*(?:[^:]{0,120})?:\s*$/i;
const ATTRIBUTION_START =
  /^(?:on|le|am|el|il|op|den|em|w dniu|the|at|en|in data|il giorno)\b|^\d|^\w+,?\s+\d/i;

const SEPARATOR =
  /^\s*[-_=*]{2,}\s*(?:original message|original nachricht|ursprüngliche nachricht|urspr[üu]ngliche nachricht|message d'origine|message original|mensaje original|messaggio originale|oorspronkelijk bericht|origineel bericht|forwarded message|message transféré|message transfere|weitergeleitete nachricht|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|reply message|réponse|original|forwarded)\s*[-_=*]{2,}\s*$/i;
const FORWARD_BANNER =
  /^\s*(?:begin forwarded message|début du message réexpédié|anfang der weitergeleiteten nachricht|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht)\s*:?\s*$/i;
const UNDERSCORES = /^\s*_{10,}\s*$/;

const HEADER_FROM = /^\s*\*?(?:from|de|von|da|van|från|fra|od)\s*\*?\s*:\s*\S/i;
const HEADER_NEXT =
  /^\s*\*?(?:sent|envoyé|envoye|gesendet|enviado(?: el)?|inviato|verzonden|date|datum|fecha|data|to|à|a|an|para|aan|cc|subject|objet|betreff|asunto|oggetto|onderwerp|sendt|skickat)\s*\*?\s*:/i;

const SIG_DELIMITER = /^\s*--\s*$|^\s*—\s*$/;
const PHONE_FOOTER =
  /^\s*(?:sent from|envoyé de|envoye de|envoyé depuis|envoye depuis|von meinem|gesendet von|enviado desde|enviado de|inviato da|verzonden (?:vanaf|met|via)|get outlook|télécharger outlook|obtenir outlook|outlook (?:for|pour|für) (?:ios|android)|sent with|sent via)\b/i;
const DISCLAIMER =
  /(?:confidential|confidentiel|vertraulich|confidencial|riservat|vertrouwelijk|privileged|disclaimer|avis de confidentialit|haftungsausschluss)/i;
const DISCLAIMER_CONTEXT =
  /(?:intended|destinataire|empfänger|empfaenger|destinatario|geadresseerde|addressee|recipient|error|erreur|irrtümlich|errore|abusivement|prohibited|interdit|untersagt|vietat|verboden)/i;
const ENVIRONMENT_FOOTER =
  /(?:before printing|avant d'imprimer|vor dem ausdrucken|antes de imprimir|prima di stampare|voordat u (?:deze )?print)/i;

const CLOSINGS = [
  'cordialement',
  'bien cordialement',
  'très cordialement',
  'tres cordialement',
  'bien à vous',
  'bien a vous',
  'salutations',
  'sincères salutations',
  'meilleures salutations',
  'bonne journée',
  'bonne journee',
  'belle journée',
  'merci d’avance',
  "merci d'avance",
  'merci par avance',
  'à bientôt',
  'cdlt',
  'cdt',
  'bàv',
  'kind regards',
  'best regards',
  'warm regards',
  'regards',
  'best',
  'best wishes',
  'many thanks',
  'thanks',
  'thank you',
  'thanks again',
  'cheers',
  'sincerely',
  'yours sincerely',
  'yours faithfully',
  'yours truly',
  'all the best',
  'mit freundlichen grüßen',
  'mit freundlichen grüssen',
  'mit freundlichem gruß',
  'freundliche grüße',
  'freundliche grüsse',
  'viele grüße',
  'viele grüsse',
  'beste grüße',
  'liebe grüße',
  'schöne grüße',
  'herzliche grüße',
  'gruß',
  'grüße',
  'gruss',
  'mfg',
  'lg',
  'vg',
  'un saludo',
  'saludos',
  'saludos cordiales',
  'un cordial saludo',
  'atentamente',
  'un abrazo',
  'muchas gracias',
  'cordiali saluti',
  'distinti saluti',
  'saluti',
  'cordialità',
  'un saluto',
  'grazie mille',
  'buona giornata',
  'met vriendelijke groet',
  'met vriendelijke groeten',
  'vriendelijke groet',
  'met hartelijke groet',
  'hartelijke groet',
  'groet',
  'groeten',
  'groetjes',
  'hoogachtend',
  'mvg',
  'alvast bedankt',
];

const CLOSING_LINE = new RegExp(
  `^\\s*(?:${CLOSINGS.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|')})\\s*[,.!]*(?:\\s+[\\p{Lu}][\\p{L}'.-]*){0,3}\\s*$`,
  'iu',
);

function isAttribution(lines: readonly string[], i: number): number {
  // Returns how many lines the attribution spans (0 when none starts at i).
  const first = lines[i]!.trim();
  if (!first) return 0;
  for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
    const part = lines.slice(i, i + span).map((l) => l.trim());
    if (part.some((l) => l === '' || l.startsWith('>'))) break;
    const joined = part.join(' ');
    if (joined.length > 300) break;
    if (!ATTRIBUTION_VERBS.test(joined)) continue;
    // A client that wrapped the line keeps its opening ("On Tue, …", "Le 17 nov. …") on the first line.
    if (span > 1 && !ATTRIBUTION_START.test(first)) break;
    if (ATTRIBUTION_START.test(joined) || /[@<\d]/.test(joined)) return span;
  }
  return 0;
}

function isHeaderBlock(lines: readonly string[], i: number): boolean {
  if (!HEADER_FROM.test(lines[i]!)) return false;
  let found = 0;
  for (let j = i + 1; j < Math.min(lines.length, i + 6); j++) {
    if (HEADER_NEXT.test(lines[j]!)) found++;
  }
  return found >= 1;
}

/** Splits a reply into the customer's new text, the quoted history and the signature. */
export function stripQuotes(text: string): StrippedReply {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  const quoted: string[] = [];
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SEPARATOR.test(line) || FORWARD_BANNER.test(line)) {
      cut = i;
      break;
    }
    if (UNDERSCORES.test(line) && i + 1 < lines.length && isHeaderBlock(lines, i + 1)) {
      cut = i;
      break;
    }
    if (isHeaderBlock(lines, i)) {
      cut = i;
      break;
    }
    const span = isAttribution(lines, i);
    if (span > 0) {
      const following = lines.slice(i + span).find((l) => l.trim() !== '');
      // Quoted with ">" below: the reply may go on after the quote (bottom or inline posting).
      // Without ">" (clients that quote by indentation or HTML converted to text), all below is history.
      if (following !== undefined && !following.trimStart().startsWith('>')) {
        cut = i;
        break;
      }
      quoted.push(...lines.slice(i, i + span));
      i += span - 1;
      continue;
    }
    if (/^\s*>/.test(line)) {
      quoted.push(line.replace(/^\s*>\s?/, ''));
      continue;
    }
    kept.push(line);
  }
  quoted.push(...lines.slice(cut));
  const { body, signature } = stripSignature(kept);
  return { reply: body.trim(), quoted: quoted.join('\n').trim(), signature: signature.trim() };
}

// Names, roles, companies and phone numbers: short, and not sentences ("We will pay on Friday.").
function looksLikeSignatureLine(line: string): boolean {
  const text = line.trim();
  const words = text.split(/\s+/).length;
  if (text.length > 80 || words > 7) return false;
  if (/[?!]$/.test(text)) return false;
  return !/\.$/.test(text) || words <= 3;
}

function stripSignature(lines: string[]): { body: string; signature: string } {
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SIG_DELIMITER.test(line) || PHONE_FOOTER.test(line) || ENVIRONMENT_FOOTER.test(line)) {
      end = i;
      break;
    }
    if (DISCLAIMER.test(line)) {
      const paragraph = lines.slice(i, i + 4).join(' ');
      if (DISCLAIMER_CONTEXT.test(paragraph)) {
        end = i;
        break;
      }
    }
  }
  let body = lines.slice(0, end);
  let signature = lines.slice(end);
  // A closing formula followed only by short lines (name, role, company, phone) ends the message.
  // Never cut when nothing would remain: "Merci." or "Thanks!" may be the whole reply.
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    if (!CLOSING_LINE.test(line)) continue;
    const before = body.slice(0, i).join('\n').trim();
    if (!before) continue;
    const after = body.slice(i + 1).filter((l) => l.trim() !== '');
    if (after.length <= 8 && after.every(looksLikeSignatureLine)) {
      signature = [...body.slice(i), ...signature];
      body = body.slice(0, i);
      break;
    }
  }
  return { body: body.join('\n'), signature: signature.join('\n') };
}
