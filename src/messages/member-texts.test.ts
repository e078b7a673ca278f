import { describe, expect, it } from 'vitest';
import { MESSAGE_LANGUAGES } from './language.ts';
import { MEMBER_TEXT_KEYS, MEMBER_TEXTS, MEMBER_VARIABLES, memberText } from './member-texts.ts';
import { compileTemplate } from './templates.ts';

const VALUES = {
  customer_name: 'Boulangerie Martin',
  invoice_number: 'F-2026-0412',
  email: 'compta@martin.example',
  phone: '+33 1 23 45 67 89',
  amount: '1 234,56 €',
  count: 4,
  date: '12 novembre 2026',
  sent: 12,
  tasks: 3,
  paid: 5,
};

describe('texts for members', () => {
  it('exist and compile for every key in every language', () => {
    for (const language of MESSAGE_LANGUAGES) {
      for (const key of MEMBER_TEXT_KEYS) {
        const entry = MEMBER_TEXTS[language][key];
        for (const source of typeof entry === 'string' ? [entry] : [entry.one, entry.other]) {
          const result = compileTemplate(source, { variables: MEMBER_VARIABLES, aliases: {} });
          expect(result.ok ? [] : result.errors, `${language} ${key}`).toEqual([]);
        }
        const text = memberText(key, language, VALUES);
        expect(text, `${language} ${key}`).not.toMatch(/\{\{|\}\}|undefined/);
      }
    }
  });

  it('titles a task after four reminders without an answer', () => {
    expect(memberText('task.no_answer', 'fr', { customer_name: 'ACME', count: 4 })).toBe(
      'Aucune réponse de ACME après 4 relances',
    );
    expect(memberText('task.no_answer', 'en', { customer_name: 'ACME', count: 1 })).toBe(
      'No answer from ACME after 1 reminder',
    );
  });

  it('leaves out what it does not know', () => {
    expect(memberText('task.dispute', 'en', { customer_name: 'ACME' })).toBe(
      'ACME disputes an invoice: check and reply',
    );
    expect(memberText('task.callback_request', 'de', { customer_name: 'ACME', phone: '+49 30 1234' })).toBe(
      'ACME zurückrufen unter +49 30 1234',
    );
  });

  it('writes the daily summary', () => {
    expect(memberText('summary.daily', 'en', { date: '12 November 2026', sent: 12, tasks: 3, paid: 5 })).toBe(
      '12 November 2026: reminders sent: 12 · new tasks: 3 · invoices paid: 5',
    );
  });

  it('falls back to English', () => {
    expect(memberText('task.refusal', 'pt', { customer_name: 'ACME' })).toBe(
      'ACME refuses to pay: decide on the next step',
    );
  });
});
