// Automatic replies: out-of-office notices and acknowledgements, which must neither count as the
// customer's answer nor stop the reminders, but may say when someone is back.
//
// Headers first (RFC 3834 §5): `Auto-Submitted` with any value but "no"; the de-facto `X-Autoreply`,
// `X-Autorespond`, `X-Autoresponder`; `Precedence: auto_reply | bulk | junk`. Outlook's
// `X-Auto-Response-Suppress` is NOT a sign: Exchange puts it on ordinary mail too. Then the subject
// ("Out of Office:", "Abwesenheitsnotiz:", "Réponse automatique :" …) and the wording of the body.
// Body wording alone is weaker: a person may write "I was on leave, sorry, we'll pay Friday", so
// analyse.ts lets a clear human intent overrule a body-only verdict.

import { addDays, type PlainDate } from '../calendar/plain-date.ts';
import type { Language } from './analysis.ts';
import { type DateMention, findDateMentions } from './dates.ts';
import { foldKeepLength } from './text.ts';

export type AutoReplyStrength = 'header' | 'subject' | 'body' | 'wording' | 'weak';

export interface AutoReplyVerdict {
  auto: boolean;
  /**
   * header, subject and body (a phrase only software writes) are conclusive; wording (two phrases of
   * absence) and weak (one) are weighed against what the classifier reads in the same text.
   */
  strength: AutoReplyStrength | null;
  reasons: string[];
}

export interface AutoReplyInput {
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  subject: string;
  text: string;
  from?: string;
}

const SUBJECT =
  /^\s*(?:\[[^\]]*\]\s*)?(?:out of (?:the )?office|ooo\b|automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwort)|autoreply|auto:|away from (?:the )?office|absence|absent|abwesenheit(?:snotiz)?|abwesend|automatische antwort|r[ée]ponse automatique|message automatique|fuera de (?:la )?oficina|respuesta autom[áa]tica|ausencia|risposta automatica|fuori (?:ufficio|sede)|assente|assenza|afwezig(?:heid)?|niet aanwezig|automatisch antwoord|accus[ée] de r[ée]ception|acknowledge?ment|eingangsbest[äa]tigung|acuse de recibo|conferma di ricezione|ontvangstbevestiging|on leave|vacation|urlaub|cong[ée]s)(?![\p{L}])/iu;

// Phrases only software writes, or that state an absence outright.
// Phrases only software writes: conclusive.
const BODY_SOFTWARE = [
  /(?:this is an? )?auto(?:mated|matic)(?:ally generated)? (?:reply|response|message|acknowledge?ment|e-?mail|notification)/,
  /do not reply to this (?:message|e-?mail)/,
  /(?:message|reponse|e-?mail) (?:genere )?automatique/,
  /ceci est un message automatique/,
  /\[message automatique\]/,
  /automatisch(?:e)? (?:generierte )?(?:antwort|nachricht|e-?mail)/,
  /abwesenheitsnotiz/,
  /(?:mensaje|respuesta|correo) automatic[oa]/,
  /(?:messaggio|risposta|e-?mail) (?:generat[oa] )?automatic(?:o|a|amente)/,
  /generat[oa] automaticamente/,
  /automatisch (?:gegenereerd )?(?:bericht|antwoord|e-?mail)/,
];

// Phrases stating an absence: a person may write them too ("I was out of the office last week").
const BODY_ABSENCE = [
  /out of (?:the )?office/,
  /absente? du bureau/,
  /nicht im (?:buro|haus)/,
  /fuera de (?:la )?oficina/,
  /fuori (?:ufficio|sede)/,
  /niet op kantoor/,
];

// Each phrase is a hint; two hints, or one with a return date, settle it.
const BODY_WEAK = [
  /je suis (?:actuellement )?absente?/,
  /en conges?\b/,
  /de retour (?:le|au bureau|a partir)/,
  /(?:a|des) mon retour/,
  /en deplacement/,
  /conge (?:maternite|paternite|parental)/,
  /acces limite/,
  /sera traitee? (?:dans les meilleurs delais|des que possible|a mon retour)/,
  /votre (?:demande|message|e-?mail|courriel) a (?:bien )?ete recue?/,
  /on (?:annual |parental |maternity |paternity |sick )?leave/,
  /on (?:holiday|vacation)/,
  /(?:i am|i'm|currently) (?:away|travell?ing|out)/,
  /away (?:from|until)/,
  /(?:back|returning) (?:on|in the office|to the office)/,
  /(?:upon|on) my return/,
  /limited access to (?:my )?e-?mail/,
  /(?:e-?mails?|messages?) (?:are|is|will) not (?:being )?(?:monitored|forwarded|read)/,
  /your (?:e-?mail|message) has been received/,
  /maternity leave|parental leave/,
  /im urlaub/,
  /abwesend/,
  /wieder (?:im buro|erreichbar|im haus|da)/,
  /keinen zugriff auf (?:meine )?e-?mails?/,
  /(?:wird|werden) nicht weitergeleitet/,
  /elternzeit|mutterschutz/,
  /ihre (?:e-?mail|nachricht) (?:ist|wurde) (?:bei uns )?eingegangen/,
  /de vacaciones/,
  /volvere el|a mi regreso|a mi vuelta/,
  /me encuentro fuera|no me encuentro en la oficina|estare fuera/,
  /sin acceso al correo/,
  /baja por (?:maternidad|paternidad|enfermedad)/,
  /hemos recibido su (?:correo|mensaje|e-?mail)/,
  /in ferie/,
  /sono assente|saro assente/,
  /al mio rientro|rientro in ufficio/,
  /non sono in ufficio/,
  /in maternita/,
  /(?:e stata|e stato) ricevut[oa]/,
  /met vakantie/,
  /ben (?:ik )?afwezig|afwezig tot/,
  /weer terug op|terug op kantoor/,
  /beperkte? toegang tot (?:mijn )?e-?mail/,
  /zwangerschapsverlof|ouderschapsverlof/,
  /wij hebben uw (?:e-?mail|bericht) ontvangen/,
];

const NO_REPLY_SENDER = /^(?:no-?reply|do-?not-?reply|noreply|auto-?reply|autoresponder)@/i;

export function detectAutoReply(input: AutoReplyInput): AutoReplyVerdict {
  const reasons: string[] = [];
  const h = input.headers;
  const autoSubmitted = h['auto-submitted']?.trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) reasons.push(`Auto-Submitted: ${autoSubmitted}`);
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const value = h[name]?.trim().toLowerCase();
    if (value !== undefined && value !== 'no' && value !== 'false') reasons.push(`${name}: ${value}`);
  }
  const precedence = h.precedence?.trim().toLowerCase();
  if (precedence && ['auto_reply', 'bulk', 'junk'].includes(precedence))
    reasons.push(`Precedence: ${precedence}`);
  if (reasons.length > 0) return { auto: true, strength: 'header', reasons };

  if (SUBJECT.test(input.subject))
    return { auto: true, strength: 'subject', reasons: [`subject: ${input.subject}`] };

  const body = foldKeepLength(input.text.slice(0, 4000));
  const software = BODY_SOFTWARE.find((re) => re.test(body));
  if (software) return { auto: true, strength: 'body', reasons: [`body: ${software.source}`] };
  const weak = [...BODY_ABSENCE, ...BODY_WEAK].filter((re) => re.test(body));
  if (weak.length >= 2)
    return { auto: true, strength: 'wording', reasons: weak.map((re) => `body: ${re.source}`) };
  if (weak.length === 1) return { auto: true, strength: 'weak', reasons: [`body: ${weak[0]!.source}`] };
  if (input.from && NO_REPLY_SENDER.test(input.from))
    return { auto: true, strength: 'weak', reasons: ['no-reply sender'] };
  return { auto: false, strength: null, reasons: [] };
}

// --- the return date -------------------------------------------------------------------------------------
//
// "back on X", "de retour le X", "ab dem X wieder im Büro", "volveré el X", "rientro l'X", "weer terug
// op X" name the day the person is back: X. "absent until X", "jusqu'au X", "bis zum X", "hasta el X",
// "fino al X", "tot X" are read as X too, although some writers mean the last day away: taking X
// errs towards the earlier day, so a follow-up lands in an inbox that is at worst one day from being
// read, whereas X + 1 would, for the other half of writers, wait a day longer than they asked. When the
// wording says X is itself a day of absence ("inclus", "einschließlich", "compreso", "incluido", "tot en
// met", "through"), the person is back the day after: X + 1. A stated return wins over an "until".

// Longest alternatives first, so that "tot en met" is read before "tot" and "bis zum" before "bis".
const cueRegex = (alternatives: string[]) =>
  new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${[...alternatives].sort((a, b) => b.length - a.length).join('|')})(?![\\p{L}])`,
    'gu',
  );
const RETURN_CUES = cueRegex([
  'back(?: in the office| to the office| at work)?(?: on| from)?',
  'returning(?: to the office)?(?: on)?',
  'return(?: to the office)?(?: on)?',
  'in the office(?: on| from)?',
  '(?:reachable|available) (?:again )?(?:on|from)',
  'de retour(?: au bureau)?(?: le| a partir du| des le)?',
  'retour (?:prevu )?le',
  'je reviens le',
  'je serai (?:la|joignable|presente?)(?: le| a partir du| des le)?',
  'a partir du',
  'des le',
  'ab dem',
  'ab',
  'wieder (?:im buro|erreichbar|im haus|da|zuruck)(?: ab| am)?',
  'zuruck (?:am|ab)',
  'volvere(?: el)?',
  'de vuelta el',
  'regres(?:o|are) el',
  'a partir del',
  'desde el',
  "rientro(?: in ufficio)?(?: il| l'| lunedi| martedi| mercoledi| giovedi| venerdi)?",
  'rientrero(?: il)?',
  'di ritorno (?:il|dal)',
  "a partire da(?:l|ll')?",
  'dal',
  'weer (?:terug |aanwezig |op kantoor )?(?:op|vanaf)',
  'terug (?:op|vanaf)',
  'vanaf',
]);
const UNTIL_CUES = cueRegex([
  'until',
  'till',
  'through',
  'thru',
  'to',
  "jusqu'(?:au|a|a la)",
  'jusqu au',
  'au',
  'bis (?:einschlie(?:ss|ß)lich|inklusive|inkl\\.?|zum|zur)',
  'bis',
  'hasta(?: el)?',
  "fino (?:al|a|alle|all')",
  'fino',
  'tot en met',
  't/m',
  'tot',
]);
const INCLUSIVE_BEFORE = /(?:einschlie(?:ss|ß)lich|inklusive|inkl\.?|tot en met|t\/m|through|thru)\s*$/;
const INCLUSIVE_AFTER =
  /^\s*[,(]?\s*(?:inclus|incluse|inclusive|included|einschlie(?:ss|ß)lich|inklusive|compres[oa]|inclus[oa]|incluid[oa]|inbegrepen)/;

interface CueHit {
  kind: 'return' | 'until';
  end: number;
}

function lastCueBefore(folded: string, from: number, to: number): CueHit | null {
  const zone = folded.slice(from, to);
  let best: CueHit | null = null;
  for (const [kind, re] of [
    ['return', RETURN_CUES],
    ['until', UNTIL_CUES],
  ] as const) {
    re.lastIndex = 0;
    for (const m of zone.matchAll(re)) {
      const end = from + m.index + m[0].length;
      // The nearest cue to the date wins; at equal distance a return beats an until.
      if (!best || end > best.end || (end === best.end && kind === 'return')) best = { kind, end };
    }
  }
  return best;
}

/** The day the absent person is back, from an automatic reply's text. */
export function extractReturnDate(
  text: string,
  asOf: PlainDate,
  languages: readonly Language[],
): PlainDate | undefined {
  const folded = foldKeepLength(text);
  for (const language of languages) {
    const mentions = findDateMentions(text, language, asOf).filter(
      (m): m is DateMention & { date: PlainDate } =>
        m.date !== undefined && m.date >= asOf && m.kind !== 'past',
    );
    let returnDay: PlainDate | undefined;
    let untilDay: PlainDate | undefined;
    let previousEnd = 0;
    for (const m of mentions) {
      const digit = /[\d]/.exec(folded.slice(m.start, m.end));
      // Cues may sit before the mention or inside it ("fino a lunedì 9 marzo" is one mention).
      const lead = digit ? m.start + digit.index : m.end;
      const cue = lastCueBefore(folded, Math.max(previousEnd, m.start - 40), lead);
      previousEnd = m.end;
      if (m.rangeEnd) {
        untilDay ??= m.rangeEnd;
        continue;
      }
      if (!cue) continue;
      if (cue.kind === 'return') {
        returnDay ??= m.date;
        continue;
      }
      const inclusive =
        INCLUSIVE_BEFORE.test(folded.slice(Math.max(0, cue.end - 25), cue.end)) ||
        INCLUSIVE_AFTER.test(folded.slice(m.end, m.end + 20));
      untilDay ??= inclusive ? addDays(m.date, 1) : m.date;
    }
    if (returnDay ?? untilDay) return returnDay ?? untilDay;
  }
  return undefined;
}
