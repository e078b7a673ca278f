import { describe, expect, it } from 'vitest';
import { MESSAGE_LANGUAGES } from './language.ts';
import {
  checkMessageTemplate,
  DEFAULT_TEMPLATES,
  type MessageData,
  type MessageInvoice,
  renderMessage,
  TemplateCompileError,
} from './render.ts';
import { compileTemplate, TEMPLATE_LEVELS } from './templates.ts';

const F412: MessageInvoice = {
  number: 'F-2026-0412',
  issueDate: '2026-10-15',
  dueDate: '2026-11-15',
  currency: 'EUR',
  total: 123_456,
  outstanding: 123_456,
};
const F420: MessageInvoice = {
  number: 'F-2026-0420',
  issueDate: '2026-10-20',
  dueDate: '2026-11-20',
  currency: 'EUR',
  total: 50_000,
  outstanding: 30_000,
  paid: 20_000,
};
const F300: MessageInvoice = {
  number: 'F-2026-0300',
  issueDate: '2026-09-01',
  dueDate: '2026-10-01',
  currency: 'EUR',
  total: 9_900,
  outstanding: 9_900,
};

const ONE: MessageData = {
  asOf: '2026-12-06',
  invoices: [F412],
  customerName: 'Boulangerie Martin',
  contactName: 'Claire Martin',
  companyName: 'Atelier Dupont',
  senderName: 'Julie Durand',
  bank: { iban: 'FR7630006000011234567890189', bic: 'AGRIFRPP', name: 'Crédit Agricole' },
};
const SEVERAL: MessageData = {
  ...ONE,
  invoices: [F412, F420],
  otherOverdue: [F300],
  promisedDate: '2026-11-30',
  payBy: '2026-12-14',
  lateInterest: { amount: 1_234, currency: 'EUR' },
  recoveryIndemnity: { amount: 4_000, currency: 'EUR' },
  sellerCountry: 'FR',
};

describe('default templates', () => {
  it('all compile, in every language and level', () => {
    for (const language of MESSAGE_LANGUAGES) {
      for (const level of TEMPLATE_LEVELS) {
        const template = DEFAULT_TEMPLATES[language][level];
        for (const source of [template.subject, template.body]) {
          const result = compileTemplate(source);
          expect(result.ok ? [] : result.errors, `${language} ${level}`).toEqual([]);
        }
      }
    }
  });

  it('render in every language with one invoice and with several, leaving no tag behind', () => {
    for (const language of MESSAGE_LANGUAGES) {
      for (const level of TEMPLATE_LEVELS) {
        for (const data of [ONE, SEVERAL, { ...ONE, contactName: null, bank: null, senderName: null }]) {
          const message = renderMessage({ level, language, data });
          const label = `${language} ${level} ${data.invoices.length}`;
          for (const part of [message.subject, message.text, message.html]) {
            expect(part, label).not.toMatch(/\{\{|\}\}|\[NUMERO\]/);
            expect(part, label).not.toMatch(/undefined|NaN|null/);
          }
          expect(message.subject, label).not.toContain('\n');
          expect(message.text, label).not.toMatch(/\n{3,}/);
          expect(message.text, label).toContain('Atelier Dupont');
          for (const invoice of data.invoices) expect(message.text, label).toContain(invoice.number);
        }
      }
    }
  });

  it('write a French reminder with French amounts and dates', () => {
    const message = renderMessage({ level: 1, language: 'fr', data: ONE });
    expect(message.subject).toBe('Relance amicale : facture F-2026-0412');
    expect(message.text).toContain('Bonjour Claire Martin,');
    expect(message.text).toMatch(/1\s234,56\s€ TTC/);
    expect(message.text).toContain('échue le 15 novembre 2026');
    expect(message.text).toContain('IBAN : FR76 3000 6000 0112 3456 7890 189');
  });

  it('write dates as each language does', () => {
    const dueDate = (language: string) => renderMessage({ level: 'courtesy', language, data: ONE }).subject;
    expect(dueDate('fr')).toContain('15 novembre 2026');
    expect(dueDate('en')).toContain('15 November 2026');
    expect(dueDate('de')).toContain('15. November 2026');
    expect(dueDate('es')).toContain('15 de noviembre de 2026');
    expect(dueDate('it')).toContain('15 novembre 2026');
    expect(dueDate('nl')).toContain('15 november 2026');
  });

  it('follow the customer’s country for regional formats', () => {
    const swiss = renderMessage({
      level: 1,
      language: 'de',
      data: { ...ONE, country: 'CH', invoices: [{ ...F412, currency: 'CHF' }] },
    });
    expect(swiss.text).toMatch(/CHF\s1['’]234\.56/);
    const american = renderMessage({ level: 1, language: 'en', data: { ...ONE, country: 'US' } });
    expect(american.text).toContain('November 15, 2026');
  });

  it('list every invoice and count them when a message covers several', () => {
    const message = renderMessage({ level: 1, language: 'en', data: SEVERAL });
    expect(message.subject).toBe('Reminder: 2 invoices awaiting payment');
    expect(message.text).toContain(
      '- Invoice F-2026-0412 of 15 October 2026, due 15 November 2026: €1,234.56 outstanding',
    );
    expect(message.text).toContain(
      '- Invoice F-2026-0420 of 20 October 2026, due 20 November 2026: €300.00 outstanding',
    );
    expect(message.text).toContain('Total outstanding: €1,534.56, after deducting €200.00 already received.');
    expect(message.text).toContain('the following invoices are also past due:\n\n- Invoice F-2026-0300');
  });

  it('mention a partial payment for a single invoice', () => {
    const message = renderMessage({ level: 2, language: 'fr', data: { ...ONE, invoices: [F420] } });
    expect(message.text).toMatch(/après les 200,00\s€ déjà reçus, il reste 300,00\s€ à régler/);
  });

  it('put late-payment interest and the EUR 40 indemnity in the formal notice when the law gives them', () => {
    const message = renderMessage({ level: 3, language: 'fr', data: SEVERAL });
    expect(message.subject).toBe('Mise en demeure de payer : 2 factures impayées');
    expect(message.text).toMatch(/pénalités de retard .* 12,34\s€/);
    expect(message.text).toMatch(/indemnité forfaitaire pour frais de recouvrement de 40,00\s€/);
    expect(message.text).toContain(
      'directive 2011/7/UE, art. 6 ; art. L441-10 et D441-5 du Code de commerce',
    );
    expect(message.text).toContain('au plus tard le 14 décembre 2026');
  });

  it('leave the indemnity out when it does not apply', () => {
    for (const language of MESSAGE_LANGUAGES) {
      const message = renderMessage({ level: 3, language, data: ONE });
      expect(message.text).not.toContain('2011/7');
      expect(message.text).not.toMatch(/\b40[.,]00\b/);
    }
  });

  it('name the formal notice as each country’s law does', () => {
    const subject = (language: string) => renderMessage({ level: 3, language, data: ONE }).subject;
    expect(subject('fr')).toContain('Mise en demeure');
    expect(subject('en')).toContain('Formal notice');
    expect(subject('de')).toContain('Letzte Mahnung');
    expect(subject('es')).toContain('Requerimiento');
    expect(subject('it')).toContain('Diffida');
    expect(subject('nl')).toContain('Ingebrekestelling');
  });

  it('recall the promised date when a promise is broken', () => {
    const message = renderMessage({ level: 'promise_broken', language: 'en', data: SEVERAL });
    expect(message.text).toContain('by 30 November 2026 for invoices F-2026-0412 and F-2026-0420');
  });

  it('mark overdue lines on a statement of account', () => {
    const notYetDue: MessageInvoice = { ...F300, number: 'F-2026-0500', dueDate: '2026-12-31' };
    const message = renderMessage({
      level: 'statement',
      language: 'en',
      data: { ...ONE, invoices: [F412, notYetDue] },
    });
    expect(message.subject).toBe('Statement of account as of 6 December 2026: Boulangerie Martin');
    expect(message.text).toMatch(/F-2026-0412 .*\(overdue\)/);
    expect(message.text).not.toMatch(/F-2026-0500 .*\(overdue\)/);
  });

  it('write the French first of the month as "1er"', () => {
    const message = renderMessage({ level: 'statement', language: 'fr', data: { ...ONE, invoices: [F300] } });
    expect(message.text).toContain('du 1er septembre 2026, échéance le 1er octobre 2026');
  });

  it('fall back to English for a language without templates', () => {
    const message = renderMessage({ level: 1, language: 'pt', data: ONE });
    expect(message.language).toBe('en');
    expect(message.subject).toBe('Reminder: invoice F-2026-0412 awaiting payment');
  });

  it('refuse to remind about no invoice', () => {
    expect(() => renderMessage({ level: 1, language: 'en', data: { ...ONE, invoices: [] } })).toThrow(
      RangeError,
    );
  });
});

describe('HTML part', () => {
  it('escapes a customer name with <script>', () => {
    const data = { ...ONE, contactName: '<script>alert("x")</script> & Co' };
    const message = renderMessage({ level: 1, language: 'en', data });
    expect(message.text).toContain('Dear <script>alert("x")</script> & Co,');
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; Co');
  });

  it('escapes what a user writes in a template too', () => {
    const message = renderMessage({
      level: 1,
      language: 'en',
      data: ONE,
      overrides: { body: '<b>Pay</b> {{invoice_number}}' },
    });
    expect(message.html).toContain('&#60;b&#62;Pay&#60;/b&#62; F-2026-0412');
  });

  it('makes paragraphs and lists from the text', () => {
    const message = renderMessage({ level: 1, language: 'en', data: SEVERAL });
    expect(message.html).toContain('<html lang="en">');
    expect(message.html).toContain('<p>Hello,</p>'.replace('Hello', 'Dear Claire Martin'));
    expect(message.html).toMatch(/<ul>\n<li>Invoice F-2026-0412 /);
  });

  it('keeps a subject on one line whatever a value contains', () => {
    const message = renderMessage({
      level: 1,
      language: 'en',
      data: ONE,
      overrides: { subject: '{{customer_name}}: {{invoice_number}}' },
    });
    expect(
      renderMessage({
        level: 1,
        language: 'en',
        data: { ...ONE, customerName: 'Evil\r\nBcc: victim@example.com' },
        overrides: { subject: '{{customer_name}}' },
      }).subject,
    ).toBe('Evil Bcc: victim@example.com');
    expect(message.subject).toBe('Boulangerie Martin: F-2026-0412');
  });
});

describe('templates edited by users', () => {
  it('accept the French bracket names of other tools', () => {
    const message = renderMessage({
      level: 1,
      language: 'fr',
      data: ONE,
      overrides: {
        subject: 'Rappel facture [NUMERO]',
        body: 'Bonjour [CONTACT],\n\n[ENTREPRISE_CLIENT] nous doit [MONTANT] depuis le [DATE] ([JOURS_RETARD] jours).\n\n[VOTRE ENTREPRISE]',
      },
    });
    expect(message.subject).toBe('Rappel facture F-2026-0412');
    expect(message.text).toMatch(
      /^Bonjour Claire Martin,\n\nBoulangerie Martin nous doit 1\s234,56\s€ depuis le 15 novembre 2026 \(21 jours\)\.\n\nAtelier Dupont$/,
    );
  });

  it('are checked on save, with the field and the reason', () => {
    expect(
      checkMessageTemplate({ subject: 'Invoice {{invoice_number}}', body: 'Hi {{#if several}}' }),
    ).toEqual([
      expect.objectContaining({
        field: 'body',
        line: 1,
        column: 4,
        message: expect.stringContaining('never closed'),
      }),
    ]);
    expect(checkMessageTemplate({ subject: 'Invoice {{number}}' })[0]).toMatchObject({ field: 'subject' });
    expect(checkMessageTemplate(DEFAULT_TEMPLATES.fr[3])).toEqual([]);
  });

  it('that are broken are not rendered', () => {
    expect(() =>
      renderMessage({ level: 1, language: 'en', data: ONE, overrides: { body: '{{#each invoices}}' } }),
    ).toThrow(TemplateCompileError);
  });
});
