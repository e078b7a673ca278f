// Dates in what customers write, resolved against the analysis day (`asOf`), never the clock.
//
// CONTRACT.md §3 fixes the meaning of the relative forms, and those rules run first, by our own
// patterns, because chrono's readings differ from them ("next Friday" is, for chrono, the Friday of
// next week; "next week" is, for chrono, a day):
//   - "next Friday" (and every language's equivalent, including the Dutch "volgende week vrijdag") is
//     the first Friday after asOf; a bare weekday ("on Monday", "lundi") reads the same way;
//   - "end of the month" is its last calendar day, "end of next month" the next month's, "end of
//     November"/"fin novembre" November's;
//   - "within N days" is asOf + N calendar days (weeks count 7; "working days" skip weekends, as
//     holidays need a country this pure reader does not have);
//   - a vague span ("next week", "early January", "mi-décembre") is a mention without a date, so that a
//     promise stated with one gives no promisedDate rather than a guessed one;
//   - a day and month without a year is the next such date on or after asOf.
// Explicit dates with a month name come from our patterns and from chrono-node's locale parsers; all
// numeric dates are read day-first (12/05 is 12 May), as Ardent's customers write in Europe.

import * as chrono from 'chrono-node';
import {
  addDays,
  dayOfWeek,
  daysBetween,
  isPlainDate,
  lastDayOfMonth,
  type PlainDate,
} from '../calendar/plain-date.ts';
import type { Language } from './analysis.ts';
import { foldKeepLength } from './text.ts';

export type DateMentionKind = 'explicit' | 'relative' | 'weekday' | 'month_end' | 'within' | 'vague' | 'past';

export interface DateMention {
  start: number;
  end: number;
  text: string;
  kind: DateMentionKind;
  /** The day meant, by the contract's rules; absent for a vague span. */
  date?: PlainDate;
  /** For telling past from future: the occurrence nearest to asOf (a yearless date may be behind us). */
  nearest?: PlainDate;
  /** The end of a range ("du 10 au 30 novembre"). */
  rangeEnd?: PlainDate;
}

// --- vocabulary -------------------------------------------------------------------------------------

const MONTHS: Record<Language, Record<string, number>> = {
  en: {
    january: 1,
    jan: 1,
    february: 2,
    feb: 2,
    march: 3,
    mar: 3,
    april: 4,
    apr: 4,
    may: 5,
    june: 6,
    jun: 6,
    july: 7,
    jul: 7,
    august: 8,
    aug: 8,
    september: 9,
    sept: 9,
    sep: 9,
    october: 10,
    oct: 10,
    november: 11,
    nov: 11,
    december: 12,
    dec: 12,
  },
  fr: {
    janvier: 1,
    janv: 1,
    fevrier: 2,
    fevr: 2,
    fev: 2,
    mars: 3,
    avril: 4,
    avr: 4,
    mai: 5,
    juin: 6,
    juillet: 7,
    juil: 7,
    aout: 8,
    septembre: 9,
    sept: 9,
    octobre: 10,
    oct: 10,
    novembre: 11,
    nov: 11,
    decembre: 12,
    dec: 12,
  },
  de: {
    januar: 1,
    janner: 1,
    jan: 1,
    februar: 2,
    feb: 2,
    marz: 3,
    mar: 3,
    april: 4,
    apr: 4,
    mai: 5,
    juni: 6,
    jun: 6,
    juli: 7,
    jul: 7,
    august: 8,
    aug: 8,
    september: 9,
    sept: 9,
    sep: 9,
    oktober: 10,
    okt: 10,
    november: 11,
    nov: 11,
    dezember: 12,
    dez: 12,
  },
  es: {
    enero: 1,
    ene: 1,
    febrero: 2,
    feb: 2,
    marzo: 3,
    mar: 3,
    abril: 4,
    abr: 4,
    mayo: 5,
    junio: 6,
    jun: 6,
    julio: 7,
    jul: 7,
    agosto: 8,
    ago: 8,
    septiembre: 9,
    setiembre: 9,
    sept: 9,
    sep: 9,
    octubre: 10,
    oct: 10,
    noviembre: 11,
    nov: 11,
    diciembre: 12,
    dic: 12,
  },
  it: {
    gennaio: 1,
    gen: 1,
    febbraio: 2,
    feb: 2,
    marzo: 3,
    mar: 3,
    aprile: 4,
    apr: 4,
    maggio: 5,
    mag: 5,
    giugno: 6,
    giu: 6,
    luglio: 7,
    lug: 7,
    agosto: 8,
    ago: 8,
    settembre: 9,
    sett: 9,
    set: 9,
    ottobre: 10,
    ott: 10,
    novembre: 11,
    nov: 11,
    dicembre: 12,
    dic: 12,
  },
  nl: {
    januari: 1,
    jan: 1,
    februari: 2,
    feb: 2,
    maart: 3,
    mrt: 3,
    april: 4,
    apr: 4,
    mei: 5,
    juni: 6,
    jun: 6,
    juli: 7,
    jul: 7,
    augustus: 8,
    aug: 8,
    september: 9,
    sept: 9,
    sep: 9,
    oktober: 10,
    okt: 10,
    november: 11,
    nov: 11,
    december: 12,
    dec: 12,
  },
};

const WEEKDAYS: Record<Language, Record<string, number>> = {
  en: { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 },
  fr: { dimanche: 0, lundi: 1, mardi: 2, mercredi: 3, jeudi: 4, vendredi: 5, samedi: 6 },
  de: {
    sonntag: 0,
    montag: 1,
    dienstag: 2,
    mittwoch: 3,
    donnerstag: 4,
    freitag: 5,
    samstag: 6,
    sonnabend: 6,
  },
  es: { domingo: 0, lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabado: 6 },
  it: { domenica: 0, lunedi: 1, martedi: 2, mercoledi: 3, giovedi: 4, venerdi: 5, sabato: 6 },
  nl: { zondag: 0, maandag: 1, dinsdag: 2, woensdag: 3, donderdag: 4, vrijdag: 5, zaterdag: 6 },
};

const NUMBERS: Record<Language, Record<string, number>> = {
  en: {
    a: 1,
    an: 1,
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
    fourteen: 14,
    fifteen: 15,
    twenty: 20,
    thirty: 30,
    sixty: 60,
  },
  fr: {
    un: 1,
    une: 1,
    deux: 2,
    trois: 3,
    quatre: 4,
    cinq: 5,
    six: 6,
    sept: 7,
    huit: 8,
    neuf: 9,
    dix: 10,
    onze: 11,
    douze: 12,
    quinze: 15,
    vingt: 20,
    trente: 30,
  },
  de: {
    ein: 1,
    eine: 1,
    einem: 1,
    einer: 1,
    zwei: 2,
    drei: 3,
    vier: 4,
    funf: 5,
    sechs: 6,
    sieben: 7,
    acht: 8,
    neun: 9,
    zehn: 10,
    elf: 11,
    zwolf: 12,
    vierzehn: 14,
    funfzehn: 15,
    zwanzig: 20,
    dreissig: 30,
    dreißig: 30,
  },
  es: {
    un: 1,
    uno: 1,
    una: 1,
    dos: 2,
    tres: 3,
    cuatro: 4,
    cinco: 5,
    seis: 6,
    siete: 7,
    ocho: 8,
    nueve: 9,
    diez: 10,
    once: 11,
    doce: 12,
    quince: 15,
    veinte: 20,
    treinta: 30,
  },
  it: {
    un: 1,
    uno: 1,
    una: 1,
    due: 2,
    tre: 3,
    quattro: 4,
    cinque: 5,
    sei: 6,
    sette: 7,
    otto: 8,
    nove: 9,
    dieci: 10,
    undici: 11,
    dodici: 12,
    quindici: 15,
    venti: 20,
    trenta: 30,
  },
  nl: {
    een: 1,
    twee: 2,
    drie: 3,
    vier: 4,
    vijf: 5,
    zes: 6,
    zeven: 7,
    acht: 8,
    negen: 9,
    tien: 10,
    elf: 11,
    twaalf: 12,
    veertien: 14,
    vijftien: 15,
    twintig: 20,
    dertig: 30,
  },
};

// Letters-and-digits boundaries: JavaScript's \b knows only ASCII letters.
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const alt = (words: Iterable<string>) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');

interface Rule {
  re: RegExp;
  resolve: (m: RegExpExecArray, asOf: PlainDate) => Omit<DateMention, 'start' | 'end' | 'text'> | null;
}

// --- resolution helpers -------------------------------------------------------------------------------

/** The first `weekday` strictly after asOf. */
function nextWeekday(asOf: PlainDate, weekday: number): PlainDate {
  const delta = (weekday - dayOfWeek(asOf) + 7) % 7 || 7;
  return addDays(asOf, delta);
}

function lastWeekday(asOf: PlainDate, weekday: number): PlainDate {
  const delta = (dayOfWeek(asOf) - weekday + 7) % 7 || 7;
  return addDays(asOf, -delta);
}

function addBusinessDays(asOf: PlainDate, n: number): PlainDate {
  let date = asOf;
  let left = n;
  while (left > 0) {
    date = addDays(date, 1);
    const dow = dayOfWeek(date);
    if (dow !== 0 && dow !== 6) left--;
  }
  return date;
}

function ymd(y: number, m: number, d: number): PlainDate | null {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isPlainDate(s) ? s : null;
}

/** A day and month without a year: the next such date on or after asOf, and the nearest one either way. */
function yearless(
  asOf: PlainDate,
  month: number,
  day: number,
): { date: PlainDate; nearest: PlainDate } | null {
  const year = Number(asOf.slice(0, 4));
  const candidates = [year - 1, year, year + 1, year + 2]
    .map((y) => ymd(y, month, day))
    .filter((d): d is PlainDate => d !== null);
  const date = candidates.find((d) => d >= asOf);
  if (!date) return null;
  let nearest = date;
  for (const c of candidates) {
    if (Math.abs(daysBetween(asOf, c)) < Math.abs(daysBetween(asOf, nearest))) nearest = c;
  }
  return { date, nearest };
}

function explicit(asOf: PlainDate, year: number | undefined, month: number, day: number) {
  if (year !== undefined) {
    const full = year < 100 ? 2000 + year : year;
    const date = ymd(full, month, day);
    return date ? { kind: 'explicit' as const, date, nearest: date } : null;
  }
  const y = yearless(asOf, month, day);
  return y ? { kind: 'explicit' as const, ...y } : null;
}

function monthEnd(asOf: PlainDate, monthsAhead: number): PlainDate {
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7)) - 1 + monthsAhead;
  return lastDayOfMonth(ymd(y + Math.floor(m / 12), (m % 12) + 1, 1)!);
}

/** End of a named month: that month of this year, or of next year once it is behind us. */
function namedMonthEnd(asOf: PlainDate, month: number, year?: number): PlainDate {
  const y = Number(asOf.slice(0, 4));
  if (year) return lastDayOfMonth(ymd(year, month, 1)!);
  const thisYear = lastDayOfMonth(ymd(y, month, 1)!);
  return thisYear >= asOf ? thisYear : lastDayOfMonth(ymd(y + 1, month, 1)!);
}

/** A day of the month alone: the next such day on or after asOf (this month, or the next that has it). */
function dayOfMonth(asOf: PlainDate, day: number) {
  if (day < 1 || day > 31) return null;
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7));
  const candidates: PlainDate[] = [];
  for (let k = -1; k <= 2; k++) {
    const month0 = m - 1 + k;
    const d = ymd(y + Math.floor(month0 / 12), (((month0 % 12) + 12) % 12) + 1, day);
    if (d) candidates.push(d);
  }
  const date = candidates.find((d) => d >= asOf);
  if (!date) return null;
  let nearest = date;
  for (const c of candidates) {
    if (Math.abs(daysBetween(asOf, c)) < Math.abs(daysBetween(asOf, nearest))) nearest = c;
  }
  return { kind: 'explicit' as const, date, nearest };
}

// What may follow a lone day number for it to be a date, not a quantity ("le 30 %", "the 3rd floor").
const DAY_END = `(?=\\s*(?:[.,;:!?)]|$|\\n|at the latest|latest|this month|au plus tard|prochain|sans faute|de ce mois|du mois|spätestens|spatestens|des monats|como muy tarde|como tarde|sin falta|de este mes|del mes|al più tardi|al piu tardi|senza fallo|di questo mese|del mese|uiterlijk|van deze maand))`;

const DAY_ONLY: Record<Language, string> = {
  en: `(?:(?:on|by|before|until|till|for|from) )?the (\\d{1,2})(?:st|nd|rd|th)(?! of)`,
  fr: `(?:le|au|avant le|d'ici le|pour le|jusqu'au) (\\d{1,2})(?:er)?${DAY_END}`,
  de: `(?:am|bis zum|zum|bis) (\\d{1,2})\\.${DAY_END.replace('[.,;:!?)]', '[,;:!?)]')}`,
  es: `(?:el|del|para el|antes del|hasta el|a partir del) (?:dia )?(\\d{1,2})${DAY_END}`,
  it: `(?:il|entro il|per il|prima del|entro) (\\d{1,2})${DAY_END}`,
  nl: `(?:op de|voor de|uiterlijk de|de) (\\d{1,2})(?:e|ste|de)${DAY_END}`,
};

// --- rules per language -------------------------------------------------------------------------------

interface Words {
  tomorrow: string;
  afterTomorrow: string;
  today: string;
  yesterday: string;
  /** Before a weekday: "next", "this", "on"… (all mean the first such day after asOf). */
  weekdayBefore: string;
  /** After a weekday: "prochain", "next week"… */
  weekdayAfter: string;
  /** Before or after a weekday, naming a past one ("last Friday", "vendredi dernier"). */
  pastBefore: string;
  pastAfter: string;
  pastSpans: string;
  monthEnd: string;
  nextMonthEnd: string;
  /** Directly before a month name: "end of", "fin", "Ende"… */
  namedMonthEnd: string;
  within: string;
  dayUnits: string;
  weekUnits: string;
  hourUnits: string;
  businessDays: string;
  /** Numbers written as units on their own: "sous huitaine" (8), "within a fortnight" (14). */
  fixedSpans: Record<string, number>;
  vague: string[];
  /** Words between a day and a month name ("15 de diciembre", "30th of October"). */
  dayMonthJoin: string;
  ordinal: string;
}

const WORDS: Record<Language, Words> = {
  en: {
    tomorrow: 'tomorrow|tmrw|tmr',
    afterTomorrow: 'the day after tomorrow|day after tomorrow',
    today:
      'today|this morning|this afternoon|this evening|tonight|end of (?:the )?day|eod|end of business|cob',
    yesterday: 'yesterday',
    weekdayBefore: 'next|this|this coming|coming|on|by|until|till|before|from',
    weekdayAfter: 'next week|of next week|this week|week',
    pastBefore: 'last|past|previous',
    pastAfter: 'last week|just gone',
    pastSpans: 'last week|last month|the other day|a few days ago|earlier this (?:week|month)',
    monthEnd: '(?:the )?(?:end|close) of (?:the |this )?month|month[- ]end|end of month|eom',
    nextMonthEnd: '(?:the )?end of (?:the )?(?:next|following) month|end of next month',
    namedMonthEnd: '(?:the )?end of',
    within: 'within(?: the next)?|in(?: the next)?|inside(?: of)?|over the next|in the coming',
    dayUnits: 'days?|calendar days?',
    weekUnits: 'weeks?',
    hourUnits: 'hours?|hrs?|h',
    businessDays: 'working days?|business days?|workdays?',
    fixedSpans: { 'a fortnight': 14, 'two weeks': 14 },
    vague: [
      '(?:next|this|the coming|the following|following|coming) week',
      '(?:early|earlier|mid|middle of|late|the beginning of|beginning of|start of|the start of|the middle of)[- ]?(?:the )?(?:MONTH|next month|the month|this month)',
      '(?:next|the following|this) month',
      '(?:in|during) (?:MONTH)',
      '(?:in )?(?:the )?(?:next|coming|following) (?:few )?(?:days|weeks)',
      '(?:in )?a (?:few|couple of|couple) (?:days|weeks)',
      '(?:the )?end of (?:the |this |next )?week',
      'after (?:the )?(?:holidays|christmas|new year)',
      'in the new year',
      'early next week|later this week|later in the week',
    ],
    dayMonthJoin: ' of | ',
    ordinal: 'st|nd|rd|th',
  },
  fr: {
    tomorrow: 'demain',
    afterTomorrow: 'apres-demain|apres demain',
    today: "aujourd'hui|aujourd hui|ce matin|cet apres-midi|cet apres midi|ce soir|dans la journee",
    yesterday: 'hier|avant-hier',
    weekdayBefore: "ce|le|des|d'ici|avant|jusqu'a|jusqu'au|pour|a partir du|au plus tard|ce prochain",
    weekdayAfter: 'prochain|qui vient|de la semaine prochaine|de cette semaine',
    pastBefore: 'dernier',
    pastAfter: 'dernier|passe',
    pastSpans: "la semaine derniere|la semaine passee|le mois dernier|il y a quelques jours|l'autre jour",
    monthEnd: '(?:la )?fin (?:du|de|de ce) mois(?! prochain| suivant)',
    nextMonthEnd: '(?:la )?fin (?:du|de) mois (?:prochain|suivant)',
    namedMonthEnd: "fin(?: de| d')?",
    within:
      "sous(?: un delai de)?|dans(?: un delai de| les)?|d'ici|en(?: moins de)?|au plus tard dans|sous les",
    dayUnits: 'jours?|j',
    weekUnits: 'semaines?',
    hourUnits: 'heures?|h',
    businessDays: 'jours ouvres|jours ouvrables',
    fixedSpans: { huitaine: 8, quinzaine: 15 },
    vague: [
      '(?:la )?semaine (?:prochaine|suivante)',
      'cette semaine',
      "(?:en |au )?d(?:e|u)but (?:de |d')?(?:MONTH|mois prochain|du mois prochain|semaine prochaine|de la semaine prochaine|de semaine)",
      '(?:a la |en )?mi-? ?(?:MONTH)',
      "courant (?:de |d')?(?:MONTH|du mois|de la semaine|semaine prochaine|du mois prochain)",
      '(?:le |au )?mois (?:prochain|suivant)',
      'en (?:MONTH)',
      'dans les (?:prochains|jours a venir|semaines a venir)(?: jours| semaines)?',
      'prochainement',
      "d'ici quelques jours|dans quelques jours",
      '(?:en )?fin de (?:la )?semaine',
      'apres les fetes',
    ],
    dayMonthJoin: ' ',
    ordinal: 'er|e|eme',
  },
  de: {
    tomorrow: '(?<!heute |guten |am |gestern |vormittag |jeden )morgen(?! fruh)|morgen fruh',
    afterTomorrow: 'ubermorgen',
    today: 'heute(?: morgen| fruh| vormittag| nachmittag| abend)?|noch heute',
    yesterday: 'gestern|vorgestern',
    weekdayBefore:
      'nachsten|nachster|kommenden|diesen|am|bis|ab|bis zum|bis spatestens|spatestens am|bis kommenden',
    weekdayAfter: 'nachste woche|nachster woche|kommende woche|in der nachsten woche',
    pastBefore: 'letzten|letzter|vergangenen|vorigen',
    pastAfter: 'letzte woche|vergangene woche',
    pastSpans:
      'letzte woche|vergangene woche|vorige woche|letzten monat|vor ein paar tagen|vor einigen tagen',
    monthEnd: '(?:zum )?ende (?:des|dieses|diesen) monats|monatsende|ende monat',
    nextMonthEnd: 'ende (?:des )?(?:nachsten|kommenden|folgenden) monats',
    namedMonthEnd: 'ende',
    within: 'innerhalb(?: von| der nachsten)?|binnen|in(?: den nachsten)?|innert|in spatestens',
    dayUnits: 'tagen|tage|tag',
    weekUnits: 'wochen|woche',
    hourUnits: 'stunden|std',
    businessDays: 'werktagen|arbeitstagen|werktage|arbeitstage|bankarbeitstagen',
    fixedSpans: {},
    vague: [
      '(?:der )?(?:nachste|kommende|nachsten|kommenden|folgenden) woche',
      'diese woche|dieser woche',
      '(?:anfang|mitte|ende) (?:der |dieser )?(?:nachsten |kommenden )?woche',
      '(?:anfang|mitte) (?:MONTH|nachsten monats|des nachsten monats|kommenden monats)',
      '(?:im )?(?:nachsten|kommenden|folgenden) monat',
      'im (?:MONTH)',
      'in den nachsten tagen|in den kommenden tagen|in den nachsten wochen',
      'demnachst',
      'zeitnah',
      'nach den feiertagen',
    ],
    dayMonthJoin: '\\. ?| ',
    ordinal: '\\.',
  },
  es: {
    tomorrow: '(?<!la |esta |por la |de la |cada |toda la )manana',
    afterTomorrow: 'pasado manana',
    today: 'hoy|esta manana|esta tarde|hoy mismo|en el dia de hoy',
    yesterday: 'ayer|anteayer',
    weekdayBefore: 'el|este|el proximo|proximo|hasta el|antes del|para el|a partir del',
    weekdayAfter: 'que viene|proximo|de la semana que viene|de la proxima semana',
    pastBefore: 'el pasado|pasado',
    pastAfter: 'pasado',
    pastSpans: 'la semana pasada|el mes pasado|hace unos dias|hace dias|el otro dia',
    monthEnd: '(?:a |para )?(?:fin|final|finales) de(?:l)? (?:este )?mes(?! que viene| proximo| siguiente)',
    nextMonthEnd:
      '(?:a |para )?(?:fin|final|finales) del? (?:mes que viene|proximo mes|mes proximo|mes siguiente)',
    namedMonthEnd: '(?:a |para )?(?:fin|final|finales) de',
    within: 'en|dentro de|en un plazo de|en el plazo de|en los proximos|en un maximo de|antes de',
    dayUnits: 'dias?',
    weekUnits: 'semanas?',
    hourUnits: 'horas?',
    businessDays: 'dias habiles|dias laborables',
    fixedSpans: {},
    vague: [
      '(?:la )?(?:semana que viene|proxima semana|semana proxima)',
      'esta semana',
      '(?:a )?(?:principios|mediados|comienzos|primeros) de(?:l)? (?:MONTH|mes|mes que viene|proximo mes)',
      '(?:el )?(?:mes que viene|proximo mes)',
      'en (?:MONTH)',
      '(?:en )?los proximos dias|en unos dias|en breve|proximamente',
    ],
    dayMonthJoin: ' de | ',
    ordinal: 'º|°',
  },
  it: {
    tomorrow: 'domani',
    afterTomorrow: 'dopodomani|dopo domani',
    today: 'oggi|stamattina|stamani|stasera|in giornata|questa mattina|oggi stesso',
    yesterday: "ieri|l'altro ieri",
    weekdayBefore: 'il|questo|il prossimo|prossimo|entro|entro il|fino a|da|per',
    weekdayAfter: 'prossimo|della prossima settimana|della settimana prossima',
    pastBefore: 'lo scorso|scorso',
    pastAfter: 'scorso',
    pastSpans: 'la settimana scorsa|la scorsa settimana|il mese scorso|qualche giorno fa|giorni fa',
    monthEnd: '(?:a |entro (?:la )?|per )?fine (?:del )?mese(?! prossimo)',
    nextMonthEnd: '(?:a |entro (?:la )?)?fine (?:del )?(?:mese prossimo|prossimo mese)',
    namedMonthEnd: '(?:a |entro )?fine(?: di)?',
    within: 'entro|tra|fra|nei prossimi|in|entro e non oltre',
    dayUnits: 'giorni|giorno|gg',
    weekUnits: 'settimane|settimana',
    hourUnits: 'ore',
    businessDays: 'giorni lavorativi',
    fixedSpans: {},
    vague: [
      '(?:la )?(?:settimana prossima|prossima settimana)',
      'questa settimana',
      '(?:a |ad |agli |ai )?(?:inizio|inizi|meta|primi di|met[aà]) (?:di )?(?:MONTH|mese|del mese prossimo)',
      '(?:il )?(?:mese prossimo|prossimo mese)',
      '(?:a|ad|in|entro|per) (?:MONTH)',
      'nei prossimi giorni|a breve|prossimamente|tra qualche giorno',
    ],
    dayMonthJoin: ' ',
    ordinal: 'º|°',
  },
  nl: {
    tomorrow: 'morgen|morgenochtend|morgenmiddag',
    afterTomorrow: 'overmorgen',
    today: 'vandaag|vanochtend|vanmorgen|vanmiddag|vanavond',
    yesterday: 'gisteren|eergisteren',
    weekdayBefore: 'volgende week|volgende|aanstaande|komende|deze|op|voor|uiterlijk|tot|vanaf|a\\.s\\.',
    weekdayAfter: 'aanstaande|a\\.s\\.|volgende week',
    pastBefore: 'afgelopen|vorige|jongstleden',
    pastAfter: 'jongstleden|jl\\.?',
    pastSpans: 'vorige week|afgelopen week|vorige maand|een paar dagen geleden',
    monthEnd:
      '(?:(?:voor|tegen|aan|per|op) )?(?:het )?(?:eind|einde) (?:van )?(?:de |deze )maand|(?:eind|einde|ultimo) maand',
    nextMonthEnd: '(?:(?:voor|tegen) )?(?:het )?(?:eind|einde) (?:van )?(?:de )?volgende maand',
    namedMonthEnd: '(?:eind|einde|ultimo)',
    within: 'binnen|over|in|binnen de komende|in de komende',
    dayUnits: 'dagen|dag',
    weekUnits: 'weken|week',
    hourUnits: 'uur',
    businessDays: 'werkdagen',
    fixedSpans: {},
    vague: [
      '(?:volgende|komende) week',
      'deze week',
      '(?:begin|half|medio|midden) (?:MONTH|volgende maand)',
      'volgende maand|komende maand',
      'in (?:MONTH)',
      'de komende (?:dagen|weken)|binnenkort|over een paar dagen',
      '(?:eind|einde) (?:van )?(?:de |deze )week',
    ],
    dayMonthJoin: ' ',
    ordinal: 'e|ste|de',
  },
};

const rulesCache = new Map<Language, Rule[]>();

function rulesFor(language: Language): Rule[] {
  const cached = rulesCache.get(language);
  if (cached) return cached;
  const w = WORDS[language];
  const months = MONTHS[language];
  const weekdays = WEEKDAYS[language];
  const numbers = NUMBERS[language];
  const M = alt(Object.keys(months));
  const WD = alt(Object.keys(weekdays));
  const NUM = `\\d{1,3}|${alt(Object.keys(numbers))}`;
  const re = (source: string) => new RegExp(`${B}(?:${source.replaceAll('MONTH', M)})${E}`, 'gu');
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : (numbers[s] ?? Number.NaN));
  const monthOf = (s: string) => months[s.replace(/\.$/, '')] ?? 0;

  const rules: Rule[] = [
    {
      re: re(w.afterTomorrow),
      resolve: (_m, asOf) => ({ kind: 'relative', date: addDays(asOf, 2), nearest: addDays(asOf, 2) }),
    },
    {
      re: re(w.tomorrow),
      resolve: (_m, asOf) => ({ kind: 'relative', date: addDays(asOf, 1), nearest: addDays(asOf, 1) }),
    },
    { re: re(w.today), resolve: (_m, asOf) => ({ kind: 'relative', date: asOf, nearest: asOf }) },
    { re: re(w.yesterday), resolve: (_m, asOf) => ({ kind: 'past', nearest: addDays(asOf, -1) }) },
    { re: re(w.pastSpans), resolve: (_m, asOf) => ({ kind: 'past', nearest: addDays(asOf, -7) }) },
    {
      re: re(`(?:(?:${w.pastBefore}) (${WD}))|(?:(${WD}) (?:${w.pastAfter}))`),
      resolve: (m, asOf) => ({ kind: 'past', nearest: lastWeekday(asOf, weekdays[m[1] ?? m[2] ?? ''] ?? 0) }),
    },
    {
      re: re(`(?:(?:${w.weekdayBefore}) )?(${WD})(?: (?:${w.weekdayAfter}))?`),
      resolve: (m, asOf) => {
        const d = nextWeekday(asOf, weekdays[m[1]!] ?? 0);
        return { kind: 'weekday', date: d, nearest: d };
      },
    },
    {
      re: re(w.nextMonthEnd),
      resolve: (_m, asOf) => ({ kind: 'month_end', date: monthEnd(asOf, 1), nearest: monthEnd(asOf, 1) }),
    },
    {
      re: re(w.monthEnd),
      resolve: (_m, asOf) => ({ kind: 'month_end', date: monthEnd(asOf, 0), nearest: monthEnd(asOf, 0) }),
    },
    {
      re: re(`(?:${w.namedMonthEnd}) (${M})(?: (\\d{4}))?`),
      resolve: (m, asOf) => {
        const d = namedMonthEnd(asOf, monthOf(m[1]!), m[2] ? Number(m[2]) : undefined);
        return { kind: 'month_end', date: d, nearest: d };
      },
    },
    {
      re: re(
        `(?:${w.within}) (${NUM}) ?(?:(${w.businessDays})|(${w.dayUnits})|(${w.weekUnits})|(${w.hourUnits}))(?: (ouvres|ouvrables|habiles|laborables|lavorativi))?`,
      ),
      resolve: (m, asOf) => {
        const n = num(m[1]!);
        if (!Number.isFinite(n) || n <= 0 || n > 180) return null;
        let date: PlainDate;
        if (m[2] || m[6]) date = addBusinessDays(asOf, n);
        else if (m[4]) date = addDays(asOf, 7 * n);
        else if (m[5]) date = addDays(asOf, Math.ceil(n / 24));
        else date = addDays(asOf, n);
        return { kind: 'within', date, nearest: date };
      },
    },
    ...Object.entries(w.fixedSpans).map(
      ([phrase, days]): Rule => ({
        re: re(`(?:${w.within}|sous|under) ${phrase}`),
        resolve: (_m, asOf) => ({ kind: 'within', date: addDays(asOf, days), nearest: addDays(asOf, days) }),
      }),
    ),
    ...w.vague.map((source): Rule => ({ re: re(source), resolve: () => ({ kind: 'vague' }) })),
    // A day of the month alone: "on the 30th", "le 30.", "am 30.", "el día 30", "entro il 30".
    {
      re: re(DAY_ONLY[language]),
      resolve: (m, asOf) => dayOfMonth(asOf, Number(m[1])),
    },
    // "15 décembre", "am 15. Dezember 2026", "15 de diciembre", "30th of October", "le 1er décembre".
    {
      re: re(`(\\d{1,2})(?:${w.ordinal})?(?:${w.dayMonthJoin})(${M})\\.?(?:,? (?:de )?(\\d{4}))?`),
      resolve: (m, asOf) => explicit(asOf, m[3] ? Number(m[3]) : undefined, monthOf(m[2]!), Number(m[1])),
    },
    // "December 15th, 2026" (English order; harmless elsewhere).
    {
      re: re(`(${M})\\.? (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?`),
      resolve: (m, asOf) => explicit(asOf, m[3] ? Number(m[3]) : undefined, monthOf(m[1]!), Number(m[2])),
    },
  ];
  rulesCache.set(language, rules);
  return rules;
}

// Numeric dates, the same in every language. The lookarounds keep amounts (4.380,00), IBAN groups,
// phone numbers (06-12345678) and invoice numbers (2026/0118) out.
const ISO_DATE = /(?<![\d./-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-]|\.\d)/g;
const DMY_DATE = /(?<![\d.,/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d|,\d|[./-]\d)/g;
const DM_DATE =
  /(?<![\d.,/-]|[€$£]\s?)(\d{1,2})([./-])(\d{1,2})(\.?)(?![\d%]|,\d|[./-]\d|\s?(?:€|eur|%|h\b|uhr|kg|m\b))/giu;
// A dotted or dashed day.month without a year is a date only after a word that introduces one
// ("am 15.12.", "voor 30-10"), as "1.5" is as often a quantity.
const DM_CONTEXT =
  /(?:^|[\s(])(?:le|du|au|am|vom|zum|bis|ab|el|al|del|de|il|dal|entro|op|tot|voor|per|on|by|for|until|till|before|after|from|avant|apres|jusqu'au|hasta|fino al|vanaf|uiterlijk|spatestens|den|dia|dem|sur|pour|the|van|naar|a partir du|d'ici le)\s+$/u;

function numericMentions(folded: string, asOf: PlainDate): DateMention[] {
  const out: DateMention[] = [];
  const push = (m: RegExpExecArray, value: ReturnType<typeof explicit>) => {
    if (value) out.push({ start: m.index, end: m.index + m[0].length, text: m[0], ...value });
  };
  for (const m of folded.matchAll(ISO_DATE))
    push(m, explicit(asOf, Number(m[1]), Number(m[2]), Number(m[3])));
  // Day first; a "month" above 12 can only be an American month-first date (12/15/2026).
  const dayMonth = (a: number, b: number): [number, number] => (b > 12 && a <= 12 ? [b, a] : [a, b]);
  for (const m of folded.matchAll(DMY_DATE)) {
    const [day, month] = dayMonth(Number(m[1]), Number(m[3]));
    push(m, explicit(asOf, Number(m[4]), month, day));
  }
  for (const m of folded.matchAll(DM_DATE)) {
    const [day, month] = dayMonth(Number(m[1]), Number(m[3]));
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    if (m[2] !== '/' && !m[4] && !DM_CONTEXT.test(folded.slice(Math.max(0, m.index - 16), m.index))) continue;
    push(m, explicit(asOf, undefined, month, day));
  }
  return out;
}

const RANK: Record<DateMentionKind, number> = {
  explicit: 0,
  month_end: 1,
  within: 1,
  relative: 2,
  weekday: 3,
  past: 3,
  vague: 4,
};

/** Every date mention in `text`, in order, overlapping readings resolved (longest first). */
export function findDateMentions(text: string, language: Language, asOf: PlainDate): DateMention[] {
  const folded = foldKeepLength(text);
  const found: DateMention[] = numericMentions(folded, asOf);
  for (const rule of rulesFor(language)) {
    rule.re.lastIndex = 0;
    for (const m of folded.matchAll(rule.re)) {
      const value = rule.resolve(m, asOf);
      if (value)
        found.push({
          start: m.index,
          end: m.index + m[0].length,
          text: text.slice(m.index, m.index + m[0].length),
          ...value,
        });
    }
  }
  found.push(...chronoMentions(text, folded, language, asOf));
  found.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || RANK[a.kind] - RANK[b.kind] || a.start - b.start,
  );
  const kept: DateMention[] = [];
  for (const mention of found) {
    if (kept.some((k) => mention.start < k.end && k.start < mention.end)) continue;
    kept.push(mention);
  }
  kept.sort((a, b) => a.start - b.start);
  // "Monday 30 November", "30/11 (lundi)": the weekday only names the explicit date beside it.
  const merged: DateMention[] = [];
  for (let i = 0; i < kept.length; i++) {
    const here = kept[i]!;
    const next = kept[i + 1];
    const between = next ? folded.slice(here.end, next.start) : '';
    if (next && /^[\s,(]*(?:the |le |den |il |el |de )?[\s(]*$/u.test(between)) {
      if (here.kind === 'weekday' && next.kind === 'explicit') {
        merged.push({ ...next, start: here.start });
        i++;
        continue;
      }
      if (here.kind === 'explicit' && next.kind === 'weekday') {
        merged.push({ ...here, end: next.end });
        i++;
        continue;
      }
    }
    merged.push(here);
  }
  return merged.map((m) => ({ ...m, text: text.slice(m.start, m.end) }));
}

const CHRONO: Record<Language, chrono.Chrono> = {
  en: chrono.en.GB ?? chrono.en.casual,
  fr: chrono.fr.casual,
  de: chrono.de.casual,
  es: chrono.es.casual,
  it: chrono.it.casual,
  nl: chrono.nl.casual,
};

const monthPattern = new Map<Language, RegExp>();

/** chrono-node reads the explicit forms our rules do not ("Monday the 30th of November", "3 nov."),
 * run only when a month name is present, as it costs more than all our rules together. */
function chronoMentions(text: string, folded: string, language: Language, asOf: PlainDate): DateMention[] {
  let pattern = monthPattern.get(language);
  if (!pattern) {
    pattern = new RegExp(`${B}(?:${alt(Object.keys(MONTHS[language]))})${E}`, 'u');
    monthPattern.set(language, pattern);
  }
  if (!pattern.test(folded)) return [];
  const reference = { instant: new Date(`${asOf}T12:00:00Z`), timezone: 0 };
  const out: DateMention[] = [];
  let results: chrono.ParsedResult[];
  try {
    results = CHRONO[language].parse(text, reference);
  } catch {
    return [];
  }
  for (const r of results) {
    if (!/\p{L}/u.test(r.text)) continue;
    const month = r.start.get('month');
    const day = r.start.get('day');
    if (!r.start.isCertain('month') || !r.start.isCertain('day') || !month || !day) continue;
    // chrono sometimes takes the next number for a year ("8. Januar, 2 Tage"): trust only four digits.
    const year =
      r.start.isCertain('year') && /\d{4}/.test(r.text) ? (r.start.get('year') ?? undefined) : undefined;
    const value = explicit(asOf, year, month, day);
    if (!value) continue;
    const mention: DateMention = { start: r.index, end: r.index + r.text.length, text: r.text, ...value };
    if (r.end?.isCertain('day')) {
      const endMonth = r.end.get('month') ?? month;
      const endDay = r.end.get('day')!;
      const endValue = explicit(asOf, year, endMonth, endDay);
      if (endValue) mention.rangeEnd = endValue.date;
    }
    out.push(mention);
  }
  return out;
}

// --- the promised date ----------------------------------------------------------------------------------

// Words that tie a sentence to paying. A promise usually states its date in the sentence that says
// "pay"; other dates in a reply are invoice dates, delivery dates or someone's holiday.
const PAY_ANCHOR: Record<Language, RegExp> = {
  en: /(?<![\p{L}])(pa(y|id|ying|yment|yments)|settl\w*|transfer\w*|remit\w*|wire\w*|funds|money|cheque|bacs|chaps|balance|payment run|invoice|clear\w*|go(?:es)? out|approved)(?![\p{L}])/u,
  fr: /(?<![\p{L}])(pa(y|i)\w*|regl\w*|reglement|vir\w*|cheque|facture|solde\w*|versement|verser|verserons|somme|echeance|montant)(?![\p{L}])/u,
  de: /(?<![\p{L}])(zahl\w*|bezahl\w*|uberw\w*|begleich\w*|beglichen|geld|betrag|rechnung|angewiesen|anweis\w*|uberweisung|ausgleich\w*|geht\s+raus)(?![\p{L}])/u,
  es: /(?<![\p{L}])(pag\w*|abon\w*|transferencia|ingreso|ingresar\w*|factura|importe|liquid\w*|cheque|saldar\w*|remesa)(?![\p{L}])/u,
  it: /(?<![\p{L}])(pag\w*|sald\w*|bonifico|bonific\w*|versa\w*|fattura|importo|assegno|liquid\w*)(?![\p{L}])/u,
  nl: /(?<![\p{L}])(betal\w*|betaa\w*|betaling|overm\w*|overgemaakt|voldo\w*|voldaan|factuur|bedrag|geld|overboek\w*|ingepland)(?![\p{L}])/u,
};

// A date right after these is the invoice's own date, not a promise.
const INVOICE_DATE_BEFORE =
  /(?:(?:invoice|facture|rechnung|factura|fattura|factuur|order|commande|bestellung|pedido|ordine|bestelling|livraison|lieferung|delivery)\s+(?:dated\s+|datee\s+du\s+|du\s+|vom\s+|of\s+|from\s+|de\s+fecha\s+|del\s+|van\s+|d\.d\.\s+)?|(?:dated|datee du|de fecha|d\.d\.|issued on|emise le|emitida el|emessa il)\s+)$/u;

/** Whether the explicit date `m` is introduced as an invoice's, order's or delivery's own date. */
export function isDocumentDate(text: string, m: DateMention): boolean {
  if (m.kind !== 'explicit') return false;
  return INVOICE_DATE_BEFORE.test(foldKeepLength(text.slice(Math.max(0, m.start - 24), m.start)));
}

export interface PromisedDateOptions {
  mentions?: DateMention[];
}

/** The day a customer commits to pay on or by, when the text states one (CONTRACT.md §3). */
export function extractPromisedDate(
  text: string,
  language: Language,
  asOf: PlainDate,
  options: PromisedDateOptions = {},
): PlainDate | undefined {
  const mentions = options.mentions ?? findDateMentions(text, language, asOf);
  const folded = foldKeepLength(text);
  const usable = mentions.filter((m) => {
    if (m.kind === 'past') return false;
    if (m.kind === 'vague') return true;
    if (!m.date || m.date < asOf) return false;
    // An explicit date whose nearest occurrence is well behind us is an invoice or delivery date.
    if (m.kind === 'explicit' && m.nearest && daysBetween(m.nearest, asOf) > 14) return false;
    return (
      m.kind !== 'explicit' || !INVOICE_DATE_BEFORE.test(folded.slice(Math.max(0, m.start - 24), m.start))
    );
  });
  if (usable.length === 0) return undefined;
  const anchor = new RegExp(PAY_ANCHOR[language].source, 'gu');
  const sentences = folded.split(/(?<=[.!?\n])\s+/u);
  let offset = 0;
  for (const sentence of sentences) {
    const start = folded.indexOf(sentence, offset);
    const end = start + sentence.length;
    offset = end;
    const firstAnchor = anchor.exec(sentence);
    anchor.lastIndex = 0;
    if (!firstAnchor) continue;
    const inside = usable.filter((m) => m.start >= start && m.start < end);
    if (inside.length > 0) return pick(inside, asOf, start + firstAnchor.index);
  }
  return pick(usable, asOf, undefined);
}

/** The promised day among a sentence's mentions. */
function pick(
  mentions: readonly DateMention[],
  asOf: PlainDate,
  anchorAt: number | undefined,
): PlainDate | undefined {
  let definite = mentions.filter((m) => m.kind !== 'vague' && m.date);
  // Only a vague span ("next week"): the promise has no date.
  if (definite.length === 0) return undefined;
  // "Signed off this morning, you will have the money by Monday": a day already behind us or today
  // tells what happened; another date beside it tells what will.
  const forward = definite.filter(
    (m) => !(m.nearest && m.nearest < asOf) && !(m.kind === 'relative' && m.date === asOf),
  );
  if (forward.length > 0) definite = forward;
  // The date that follows the payment word is the one it is tied to ("paid the deposit on the 3rd, the
  // rest will be transferred on the 30th" is read from "transferred").
  const after = anchorAt === undefined ? undefined : definite.find((m) => m.start >= anchorAt);
  return (after ?? definite[0])!.date;
}

/** Whether `text` speaks of a payment together with a past date: "paid on 12 November", "virement fait hier". */
export function paymentTense(
  sentence: string,
  mentions: readonly DateMention[],
  language: Language,
  asOf: PlainDate,
): 'past' | 'future' | null {
  if (!PAY_ANCHOR[language].test(foldKeepLength(sentence))) return null;
  let past = false;
  let future = false;
  for (const m of mentions) {
    if (m.kind === 'vague') future = true;
    else if (m.kind === 'past') past = true;
    else if (m.nearest && m.nearest < asOf) past = true;
    else if (m.date && m.date > asOf) future = true;
  }
  if (past === future) return null;
  return past ? 'past' : 'future';
}
