// A believable small company's receivables, generated from a seed: the same seed and day give the
// same demo. Pure: no database, no clock.
import { addDays } from '../calendar/plain-date.ts';
import type { CustomerRecord, InvoiceRecord } from '../imports/records.ts';

export interface DemoPayment {
  invoiceNumber: string;
  amount: number;
  currency: string;
  receivedOn: string;
  payerName: string;
}

export interface DemoData {
  customers: CustomerRecord[];
  invoices: InvoiceRecord[];
  payments: DemoPayment[];
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface CountryStyle {
  weight: number;
  language: string;
  currency: string;
  first: string[];
  last: string[];
  trades: string[];
  forms: string[];
  domain: string;
  mailbox: string;
}

const COUNTRIES: Record<string, CountryStyle> = {
  FR: {
    weight: 40,
    language: 'fr',
    currency: 'EUR',
    first: [
      'Camille',
      'Julien',
      'Sophie',
      'Nicolas',
      'Claire',
      'Thomas',
      'Élodie',
      'Mathieu',
      'Isabelle',
      'Antoine',
    ],
    last: [
      'Martin',
      'Bernard',
      'Dubois',
      'Lefèvre',
      'Moreau',
      'Laurent',
      'Garnier',
      'Rousseau',
      'Fontaine',
      'Chevalier',
    ],
    trades: [
      'Boulangerie',
      'Menuiserie',
      'Garage',
      'Imprimerie',
      'Cabinet',
      'Atelier',
      'Transports',
      'Pharmacie',
      'Fromagerie',
      'Librairie',
    ],
    forms: ['SARL', 'SAS', 'EURL', 'SA'],
    domain: 'fr',
    mailbox: 'comptabilite',
  },
  BE: {
    weight: 12,
    language: 'fr',
    currency: 'EUR',
    first: ['Lotte', 'Pieter', 'Nathalie', 'Wouter', 'Anke', 'Luc', 'Els', 'Jeroen'],
    last: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Willems', 'Claes', 'Dupont', 'Lambert'],
    trades: ['Brasserie', 'Bakkerij', 'Drukkerij', 'Garage', 'Chocolaterie', 'Atelier'],
    forms: ['SRL', 'BV', 'SA', 'NV'],
    domain: 'be',
    mailbox: 'facturation',
  },
  CH: {
    weight: 10,
    language: 'de',
    currency: 'CHF',
    first: ['Reto', 'Sandra', 'Urs', 'Corinne', 'Beat', 'Nadia'],
    last: ['Müller', 'Meier', 'Schmid', 'Keller', 'Weber', 'Huber'],
    trades: ['Uhrenatelier', 'Schreinerei', 'Käserei', 'Treuhand', 'Bäckerei'],
    forms: ['AG', 'GmbH'],
    domain: 'ch',
    mailbox: 'buchhaltung',
  },
  DE: {
    weight: 25,
    language: 'de',
    currency: 'EUR',
    first: ['Lukas', 'Anna', 'Jonas', 'Katrin', 'Felix', 'Sabine', 'Tobias', 'Julia'],
    last: ['Schneider', 'Fischer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch', 'Richter'],
    trades: ['Metallbau', 'Druckerei', 'Elektro', 'Logistik', 'Steuerbüro', 'Gartenbau'],
    forms: ['GmbH', 'KG', 'AG', 'GmbH & Co. KG'],
    domain: 'de',
    mailbox: 'buchhaltung',
  },
  ES: {
    weight: 20,
    language: 'es',
    currency: 'EUR',
    first: ['Lucía', 'Javier', 'Carmen', 'Pablo', 'Marta', 'Diego'],
    last: ['García', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Romero'],
    trades: ['Talleres', 'Distribuciones', 'Construcciones', 'Panadería', 'Asesoría'],
    forms: ['S.L.', 'S.A.'],
    domain: 'es',
    mailbox: 'contabilidad',
  },
  IT: {
    weight: 20,
    language: 'it',
    currency: 'EUR',
    first: ['Giulia', 'Marco', 'Francesca', 'Luca', 'Chiara', 'Matteo'],
    last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano'],
    trades: ['Officina', 'Tipografia', 'Forniture', 'Pasticceria', 'Studio'],
    forms: ['S.r.l.', 'S.p.A.', 'S.n.c.'],
    domain: 'it',
    mailbox: 'amministrazione',
  },
  NL: {
    weight: 18,
    language: 'nl',
    currency: 'EUR',
    first: ['Daan', 'Sanne', 'Bram', 'Femke', 'Thijs', 'Eva'],
    last: ['de Jong', 'Jansen', 'de Vries', 'van Dijk', 'Bakker', 'Visser'],
    trades: ['Installatietechniek', 'Drukkerij', 'Transport', 'Bouwbedrijf', 'Adviesbureau'],
    forms: ['B.V.', 'V.O.F.'],
    domain: 'nl',
    mailbox: 'administratie',
  },
  GB: {
    weight: 25,
    language: 'en',
    currency: 'GBP',
    first: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Emily'],
    last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Davies'],
    trades: ['Joinery', 'Print Works', 'Engineering', 'Catering', 'Consulting'],
    forms: ['Ltd', 'LLP', 'plc'],
    domain: 'co.uk',
    mailbox: 'accounts',
  },
  US: {
    weight: 30,
    language: 'en',
    currency: 'USD',
    first: ['James', 'Olivia', 'Michael', 'Emma', 'Daniel', 'Sarah'],
    last: ['Johnson', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Moore'],
    trades: ['Supply', 'Industries', 'Logistics', 'Design Studio', 'Software'],
    forms: ['Inc.', 'LLC', 'Corp.'],
    domain: 'com',
    mailbox: 'ap',
  },
};

const asciiSlug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

export function generateDemo(today: string, options: { customers?: number; seed?: number } = {}): DemoData {
  const rnd = random(options.seed ?? 2026);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)]!;
  const countries = Object.entries(COUNTRIES);
  const totalWeight = countries.reduce((n, [, c]) => n + c.weight, 0);
  const pickCountry = () => {
    let r = rnd() * totalWeight;
    for (const [code, style] of countries) {
      r -= style.weight;
      if (r <= 0) return [code, style] as const;
    }
    return countries[0]!;
  };

  const customers: CustomerRecord[] = [];
  const invoices: InvoiceRecord[] = [];
  const payments: DemoPayment[] = [];
  let invoiceSeq = 1;
  const count = options.customers ?? 200;
  const year = today.slice(0, 4);

  for (let n = 1; n <= count; n++) {
    const [country, style] = pickCountry();
    const family = pick(style.last);
    const name = `${pick(style.trades)} ${family} ${pick(style.forms)}`;
    const domain = `${asciiSlug(family)}${n}.${style.domain}`;
    const customer: CustomerRecord = { ref: `C${String(n).padStart(4, '0')}`, name, country, contacts: [] };
    // About one customer in twelve has no contact at all: a gap the agent must bring to a person.
    if (rnd() > 0.08) {
      const first = pick(style.first);
      // Belgian customers write in French or Dutch, Swiss ones in German or French.
      const language =
        country === 'BE'
          ? rnd() < 0.5
            ? 'nl'
            : 'fr'
          : country === 'CH' && rnd() < 0.3
            ? 'fr'
            : style.language;
      customer.contacts.push({
        name: `${first} ${family}`,
        email: `${style.mailbox}@${domain}`,
        language,
        role: 'billing',
        phone: `+${{ FR: 33, BE: 32, CH: 41, DE: 49, ES: 34, IT: 39, NL: 31, GB: 44, US: 1 }[country] ?? 1} ${Math.floor(100_000_000 + rnd() * 899_999_999)}`,
      });
      if (rnd() < 0.2)
        customer.contacts.push({
          name: pick(style.first),
          email: `${asciiSlug(first)}@${domain}`,
          language,
          role: 'other',
        });
    }
    if (rnd() < 0.04) customer.strategic = true;
    customers.push(customer);

    const invoiceCount = 1 + Math.floor(rnd() * 5);
    for (let k = 0; k < invoiceCount; k++) {
      const issueDate = addDays(today, -Math.floor(rnd() * 120));
      const terms = pick([15, 30, 30, 30, 45, 60]);
      const dueDate = addDays(issueDate, terms);
      const total = Math.round((80 + rnd() ** 2 * 9_000) * 100);
      const number = `F-${year}-${String(invoiceSeq++).padStart(4, '0')}`;
      invoices.push({
        number,
        type: 'invoice',
        customerRef: customer.ref,
        issueDate,
        dueDate,
        currency:
          country === 'CH' && rnd() < 0.5
            ? 'CHF'
            : country === 'GB'
              ? 'GBP'
              : country === 'US'
                ? 'USD'
                : 'EUR',
        total,
        outstanding: total,
        ...(rnd() < 0.3 ? { poNumber: `PO-${Math.floor(10_000 + rnd() * 89_999)}` } : {}),
      });
      const invoice = invoices[invoices.length - 1]!;
      const fate = rnd();
      const payDay = addDays(dueDate, Math.floor(rnd() * 20) - 10);
      if (fate < 0.35 && payDay < today) {
        payments.push({
          invoiceNumber: number,
          amount: total,
          currency: invoice.currency,
          receivedOn: payDay,
          payerName: name,
        });
      } else if (fate < 0.45 && payDay < today) {
        const part = Math.round(total * pick([0.3, 0.5, 0.5, 0.7]));
        payments.push({
          invoiceNumber: number,
          amount: part,
          currency: invoice.currency,
          receivedOn: payDay,
          payerName: name,
        });
      } else if (fate < 0.52) {
        const creditDay = addDays(issueDate, 5) < today ? addDays(issueDate, 5) : today;
        const credit = rnd() < 0.4 ? total : Math.round(total * pick([0.1, 0.2, 0.25]));
        invoices.push({
          number: `AV-${year}-${String(invoiceSeq++).padStart(4, '0')}`,
          type: 'credit_note',
          customerRef: customer.ref,
          issueDate: creditDay,
          dueDate: creditDay,
          currency: invoice.currency,
          total: credit,
          outstanding: credit,
          appliesTo: number,
        });
      }
    }
  }
  return { customers, invoices, payments };
}
