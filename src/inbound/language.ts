// Which of Ardent's languages a reply is written in, without a network service.
//
// Two signals, both computed here from word lists and sample prose written for this file (not from the
// test corpus): words — each language's function words and everyday mail words, and the words of its
// intent lexicon — which settle short replies ("Merci.", "Llámeme.", "Wrong person."), and character
// trigrams, which settle longer ones and words no list holds. Letters that belong to few languages (ß, ñ, ç, ij) add a nudge. The confidence is the
// winner's share after a softmax, damped for texts of one or two words where any guess is fragile.

import { LANGUAGES, type Language } from './analysis.ts';
import { LEXICONS } from './lexicons/index.ts';
import { foldWord } from './text.ts';

export interface LanguageGuess {
  language: Language;
  confidence: number;
  scores: Record<Language, number>;
}

const WORDS: Record<Language, string> = {
  en: `the a an and or but of to in on at for with from by is are was were be been being have has had
    do does did not no yes we you i he she it they our your my me us this that these those there here
    will would shall should can could may might must just also please thanks thank regards kind best
    dear hello hi sorry any some all as if so than then when what which who how about into out up
    invoice invoices payment paid pay reminder account statement amount due overdue transfer week today
    tomorrow monday friday morning received receive send sent attached copy email call office back
    until leave holiday cheers noted sincerely faithfully apologies asap soon ok okay cannot yet still`,
  fr: `le la les un une des du de d l et ou mais donc car ni que qui quoi dont ou ce cet cette ces mon ma mes
    ton ta tes son sa ses notre nos votre vos leur leurs je tu il elle nous vous ils elles on me te se
    lui y en ne pas plus jamais rien est sont suis sommes etes etait ete etre avoir avons avez ont ai as
    a fait faire sera seront serons pour par avec sans sur sous dans chez entre vers avant apres depuis
    pendant tres bien aussi encore deja toujours merci bonjour bonsoir madame monsieur cordialement
    salutations bonne journee facture factures paiement reglement virement regle reglee payer paye
    relance montant echeance semaine demain aujourd hui lundi vendredi mois fin prochain prochaine
    recu reçu envoyer pouvez pourriez possible svp sil plait desole excuse retour absent conges avoir
    devis commande livraison litige cheque comptabilite societe`,
  de: `der die das den dem des ein eine einen einem einer und oder aber doch sondern dass ob wenn weil
    als wie wir ihr sie ich du er es uns ihnen ihr unser unsere ihre mein meine mich mir nicht kein
    keine nichts ist sind bin war waren wird werden wurde wurden haben hat habe hatten sein auf aus bei
    mit nach von vor zu zum zur fur uber unter durch gegen ohne um bis seit noch schon auch nur sehr
    bitte danke vielen dank gruss grusse freundlichen freundliche mfg hallo guten tag sehr geehrte
    geehrter damen herren rechnung rechnungen zahlung betrag uberweisung uberweisen bezahlt mahnung
    erinnerung woche morgen heute montag freitag monat ende nachste nachsten erhalten senden schicken
    leider gerne bereits buro urlaub zuruck ware lieferung gutschrift konto bank firma kunde hiermit`,
  es: `el la los las un una unos unas y o pero que de del al a en con sin por para sobre entre hasta desde
    es son soy somos esta estan estamos estoy ser estar fue sido ha han hemos he habia hay tengo tenemos
    tiene no si ya muy mas menos tambien todavia aun nos les le lo se me te mi mis su sus nuestro nuestra
    nuestros su vuestro usted ustedes ellos ellas nosotros este esta esto ese esa eso como cuando donde
    gracias hola buenos buenas dias tardes saludo saludos un cordial atentamente estimado estimados
    senores factura facturas pago pagar pagado pagaremos transferencia importe recordatorio vencida
    semana manana lunes viernes mes fin proximo proxima recibido enviar envien pueden podemos favor
    disculpe perdon vacaciones oficina mercancia pedido abono cuenta empresa cliente`,
  it: `il lo la i gli le un uno una e o ma che di del della dei delle al alla ai a da dal dalla in nel
    nella con su per tra fra non si ci vi mi ti ne se anche ancora gia molto piu meno come quando dove
    perche sono sei siamo siete e era stato stata essere ho hai ha abbiamo avete hanno avere fatto
    questo questa quello quella nostro nostra nostri vostro vostra vostri suo sua loro io tu lui lei noi
    voi grazie buongiorno buonasera salve cordiali saluti distinti gentile gentili spett egregio
    fattura fatture pagamento pagare pagato pagheremo bonifico importo sollecito scaduta settimana
    domani lunedi venerdi mese fine prossimo prossima ricevuto inviare potete possiamo favore scusate
    ferie ufficio rientro merce ordine nota credito conto azienda cliente preventivo`,
  nl: `de het een en of maar dat die dit deze wie wat waar wanneer hoe als dan omdat want van in op aan
    met voor door bij uit naar over onder tot om te zonder tegen is zijn ben was waren wordt worden
    werd heb hebt heeft hebben had kan kunnen zal zullen wil willen moet moeten mag niet geen nog al
    ook wel zeer erg heel we wij jullie u ik jij je hij zij ze ons onze uw mijn mij hem haar hun er
    hier daar bedankt dank groet groeten vriendelijke hartelijke goedemorgen goedemiddag beste geachte
    heer mevrouw hallo hoi factuur facturen betaling betalen betaald bedrag overmaken overgemaakt
    herinnering aanmaning week morgen vandaag maandag vrijdag maand eind volgende ontvangen sturen
    graag alvast sorry vakantie kantoor terug goederen levering creditnota rekening bedrijf klant`,
};

// Everyday prose per language, written for this file, from which the trigram profiles are built.
const SAMPLES: Record<Language, string> = {
  en: `Thank you for your message about the outstanding invoice. We have checked our records and the
    payment should reach your account within the next few days. Our accounts team processes supplier
    payments every week, usually on Thursday, and they will make sure that this one is included. If there
    is anything else you need from us, such as a purchase order number or a copy of the delivery note,
    please let me know and I will send it straight away. I apologise for the delay and appreciate your
    patience. With kind regards, and have a good weekend. The weather has been wonderful this month and
    everyone in the office is looking forward to the holidays.`,
  fr: `Merci pour votre message concernant la facture en attente. Nous avons vérifié nos écritures et le
    règlement devrait parvenir sur votre compte dans les prochains jours. Notre service comptable traite
    les paiements fournisseurs chaque semaine, généralement le jeudi, et veillera à ce que celui-ci soit
    inclus. Si vous avez besoin d'autre chose de notre part, comme un numéro de bon de commande ou une
    copie du bon de livraison, n'hésitez pas à me le faire savoir et je vous l'enverrai aussitôt. Je vous
    prie de bien vouloir excuser ce retard et vous remercie de votre patience. Bien cordialement, et
    bonne fin de semaine. Il a fait très beau ce mois-ci et toute l'équipe attend les vacances avec
    impatience.`,
  de: `Vielen Dank für Ihre Nachricht zur offenen Rechnung. Wir haben unsere Unterlagen geprüft, und die
    Zahlung sollte in den nächsten Tagen auf Ihrem Konto eingehen. Unsere Buchhaltung bearbeitet die
    Lieferantenzahlungen jede Woche, meistens am Donnerstag, und wird dafür sorgen, dass diese dabei ist.
    Wenn Sie noch etwas von uns benötigen, zum Beispiel eine Bestellnummer oder eine Kopie des
    Lieferscheins, geben Sie mir bitte Bescheid, dann schicke ich es Ihnen sofort. Entschuldigen Sie bitte
    die Verzögerung, und danke für Ihre Geduld. Mit freundlichen Grüßen und ein schönes Wochenende. Das
    Wetter war diesen Monat herrlich, und alle im Büro freuen sich schon auf den Urlaub.`,
  es: `Muchas gracias por su mensaje sobre la factura pendiente. Hemos revisado nuestros registros y el
    pago debería llegar a su cuenta en los próximos días. Nuestro departamento de contabilidad tramita
    los pagos a proveedores cada semana, normalmente los jueves, y se asegurará de que este quede
    incluido. Si necesita algo más de nuestra parte, como un número de pedido o una copia del albarán de
    entrega, no dude en decírmelo y se lo enviaré enseguida. Le pido disculpas por el retraso y le
    agradezco su paciencia. Un cordial saludo y buen fin de semana. Este mes ha hecho un tiempo
    estupendo y todos en la oficina estamos deseando que lleguen las vacaciones.`,
  it: `Grazie per il suo messaggio riguardo alla fattura in sospeso. Abbiamo controllato i nostri registri
    e il pagamento dovrebbe arrivare sul vostro conto nei prossimi giorni. Il nostro ufficio
    amministrativo gestisce i pagamenti ai fornitori ogni settimana, di solito il giovedì, e si
    assicurerà che anche questo sia incluso. Se avete bisogno di qualcos'altro da parte nostra, come un
    numero d'ordine o una copia del documento di trasporto, non esitate a farmelo sapere e ve lo invierò
    subito. Mi scuso per il ritardo e vi ringrazio per la pazienza. Cordiali saluti e buon fine
    settimana. Questo mese il tempo è stato splendido e in ufficio tutti aspettano le vacanze.`,
  nl: `Hartelijk dank voor uw bericht over de openstaande factuur. Wij hebben onze administratie
    nagekeken en de betaling zou de komende dagen op uw rekening moeten staan. Onze boekhouding verwerkt
    de betalingen aan leveranciers elke week, meestal op donderdag, en zal ervoor zorgen dat deze erbij
    zit. Als u nog iets van ons nodig heeft, zoals een inkoopordernummer of een kopie van de pakbon, laat
    het mij dan weten en ik stuur het u direct toe. Excuses voor de vertraging en bedankt voor uw geduld.
    Met vriendelijke groet en een fijn weekend. Het weer was deze maand prachtig en iedereen op kantoor
    kijkt uit naar de vakantie.`,
};

const LETTER_HINTS: { re: RegExp; language: Language; weight: number }[] = [
  { re: /ß/g, language: 'de', weight: 1.5 },
  { re: /[äöü]/g, language: 'de', weight: 0.6 },
  { re: /[ñ¿¡]/g, language: 'es', weight: 1.5 },
  { re: /[áíóú]/g, language: 'es', weight: 0.5 },
  { re: /[çœ]/g, language: 'fr', weight: 1.2 },
  { re: /[êâîûèë]/g, language: 'fr', weight: 0.5 },
  { re: /[òì]/g, language: 'it', weight: 1.2 },
  { re: /\bij|ij\b|ij[kn]/gi, language: 'nl', weight: 0.6 },
];

interface Profile {
  logProb: Map<string, number>;
  unseen: number;
}

function trigrams(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/[^\p{L}]+/u)) {
    if (!word) continue;
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  }
  return out;
}

let built: {
  words: Map<string, Language[]>;
  stems: Map<string, Language[]>;
  profiles: Record<Language, Profile>;
} | null = null;

function addOwner(map: Map<string, Language[]>, key: string, language: Language): void {
  const list = map.get(key) ?? [];
  if (!list.includes(language)) list.push(language);
  map.set(key, list);
}

/** The words and stems of a language's intent lexicon: the vocabulary of replies about invoices. */
function lexiconVocabulary(language: Language): { words: string[]; stems: string[] } {
  const lexicon = LEXICONS[language];
  const sources = [...lexicon.cues.map((c) => c.p), ...Object.values(lexicon.macros).flat()];
  const words: string[] = [];
  const stems: string[] = [];
  for (const source of sources) {
    const cleaned = source.replace(/@[A-Z]+/g, ' ').replace(/~\d+/g, ' ');
    for (const m of cleaned.matchAll(/(\p{L}+)(\*)?/gu)) {
      const folded = foldWord(m[1]!);
      if (folded.length < 3) continue;
      if (m[2]) {
        if (folded.length >= 5) stems.push(folded);
      } else words.push(folded);
    }
  }
  return { words, stems };
}

function model() {
  if (built) return built;
  const words = new Map<string, Language[]>();
  const stems = new Map<string, Language[]>();
  for (const language of LANGUAGES) {
    for (const w of WORDS[language].split(/\s+/)) {
      const folded = foldWord(w);
      if (folded) addOwner(words, folded, language);
    }
    const vocabulary = lexiconVocabulary(language);
    for (const w of vocabulary.words) addOwner(words, w, language);
    for (const stem of vocabulary.stems) addOwner(stems, stem, language);
  }
  const profiles = {} as Record<Language, Profile>;
  for (const language of LANGUAGES) {
    const counts = new Map<string, number>();
    const text = `${foldWord(SAMPLES[language])} ${foldWord(WORDS[language])}`;
    for (const g of trigrams(text)) counts.set(g, (counts.get(g) ?? 0) + 1);
    let total = 0;
    for (const c of counts.values()) total += c;
    const vocabulary = counts.size + 1;
    const logProb = new Map<string, number>();
    for (const [g, c] of counts) logProb.set(g, Math.log((c + 1) / (total + vocabulary)));
    profiles[language] = { logProb, unseen: Math.log(1 / (total + vocabulary)) };
  }
  built = { words, stems, profiles };
  return built;
}

/** The most likely language of `text`, its confidence in [0, 1], and the raw scores. */
export function detectLanguage(text: string, fallback: Language = 'en'): LanguageGuess {
  const { words, stems, profiles } = model();
  const scores = Object.fromEntries(LANGUAGES.map((l) => [l, 0])) as Record<Language, number>;
  const tokens = text
    .split(/[^\p{L}]+/u)
    .map(foldWord)
    .filter((t) => t.length > 0)
    .slice(0, 200);
  if (tokens.length === 0) return { language: fallback, confidence: 0, scores };

  let wordHits = 0;
  for (const token of tokens) {
    const owners = words.get(token);
    if (owners) {
      wordHits++;
      for (const owner of owners) scores[owner] += 1 / owners.length;
      continue;
    }
    // A stem of the lexicons ("equivocad*", "überweis*") counts half a word.
    for (let n = Math.min(token.length, 12); n >= 5; n--) {
      const stemOwners = stems.get(token.slice(0, n));
      if (!stemOwners) continue;
      wordHits += 0.5;
      for (const owner of stemOwners) scores[owner] += 0.5 / stemOwners.length;
      break;
    }
  }
  const lower = text.toLowerCase();
  for (const hint of LETTER_HINTS) {
    const n = lower.match(hint.re)?.length ?? 0;
    if (n) scores[hint.language] += Math.min(3, n) * hint.weight;
  }
  const grams = trigrams(tokens.join(' '));
  if (grams.length > 0) {
    const ll = {} as Record<Language, number>;
    for (const language of LANGUAGES) {
      const p = profiles[language];
      let sum = 0;
      for (const g of grams) sum += p.logProb.get(g) ?? p.unseen;
      ll[language] = sum / grams.length;
    }
    const best = Math.max(...LANGUAGES.map((l) => ll[l]));
    // Per-trigram log-likelihood gaps are small; scaled so a clear gap weighs like a few function words.
    const weight = Math.min(6, 1 + grams.length / 15);
    for (const language of LANGUAGES) scores[language] += (ll[language] - best) * weight * 3;
  }

  const ranked = [...LANGUAGES].sort((a, b) => scores[b] - scores[a]);
  const top = ranked[0]!;
  const exps = LANGUAGES.map((l) => Math.exp(scores[l] - scores[top]));
  const share = 1 / exps.reduce((a, b) => a + b, 0);
  const shortText = Math.min(1, (tokens.length + wordHits) / 6);
  const confidence = Math.round(Math.max(0, Math.min(1, share * (0.55 + 0.45 * shortText))) * 100) / 100;
  return { language: top, confidence, scores };
}
