import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CompiledTemplate,
  compileTemplate,
  type TemplateValues,
  type VariableSpec,
} from './templates.ts';

function compiled(source: string): CompiledTemplate {
  const result = compileTemplate(source);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.template;
}

function errorsOf(source: string) {
  const result = compileTemplate(source);
  if (result.ok) throw new Error('expected the template to be refused');
  return result.errors;
}

describe('template syntax', () => {
  it('substitutes variables, with spaces allowed inside the braces', () => {
    expect(
      compiled('Invoice {{invoice_number}} for {{ amount }}').render({ invoice_number: 'F-1', amount: '€5' }),
    ).toBe('Invoice F-1 for €5');
  });

  it('renders a missing value as nothing', () => {
    expect(compiled('[{{contact_name}}]').render({})).toBe('[]');
  });

  it('shows an #if block only when the value is there, and its else otherwise', () => {
    const t = compiled('{{#if contact_name}}Dear {{contact_name}},{{else}}Hello,{{/if}}');
    expect(t.render({ contact_name: 'Ms Martin' })).toBe('Dear Ms Martin,');
    expect(t.render({ contact_name: '' })).toBe('Hello,');
    expect(t.render({})).toBe('Hello,');
  });

  it('tests flags and lists with #if', () => {
    const t = compiled('{{#if several}}many{{else}}one{{/if}} {{#if other_overdue}}more{{/if}}');
    expect(t.render({ several: true, other_overdue: [{ number: '1' }] })).toBe('many more');
    expect(t.render({ several: false, other_overdue: [] })).toBe('one ');
  });

  it('repeats an #each block per item, with the item’s fields and the template’s variables', () => {
    const t = compiled('{{#each invoices}}{{number}} ({{customer_name}}) {{/each}}');
    const values: TemplateValues = {
      customer_name: 'ACME',
      invoices: [{ number: 'F-1' }, { number: 'F-2' }],
    };
    expect(t.render(values)).toBe('F-1 (ACME) F-2 (ACME) ');
  });

  it('lets an item’s field shadow the variable of the same name', () => {
    const t = compiled('{{due_date}}: {{#each invoices}}{{due_date}} {{/each}}');
    expect(t.render({ due_date: 'earliest', invoices: [{ due_date: 'a' }, { due_date: 'b' }] })).toBe(
      'earliest: a b ',
    );
  });

  it('removes the line of a block tag standing alone, so blocks leave no blank lines', () => {
    const t = compiled('Hello\n{{#if several}}\nmany\n{{/if}}\nBye');
    expect(t.render({ several: true })).toBe('Hello\nmany\nBye');
    expect(t.render({ several: false })).toBe('Hello\nBye');
  });

  it('keeps the line of a block tag sharing it with text', () => {
    expect(compiled('a {{#if several}}b{{/if}}\nc').render({ several: false })).toBe('a \nc');
  });

  it('inserts values as they are, never as template text', () => {
    expect(compiled('{{customer_name}}').render({ customer_name: '{{company_name}} [NUMERO]' })).toBe(
      '{{company_name}} [NUMERO]',
    );
  });

  it('accepts the French bracket names as aliases', () => {
    const t = compiled(
      'Facture [NUMERO] de [MONTANT], échue le [DATE] ([JOURS_RETARD] j), [VOTRE ENTREPRISE]',
    );
    expect(
      t.render({
        invoice_number: 'F-1',
        amount: '10 €',
        due_date: '1er mars',
        days_overdue: '12',
        company_name: 'Dupont',
      }),
    ).toBe('Facture F-1 de 10 €, échue le 1er mars (12 j), Dupont');
    expect(t.variables).toEqual(['invoice_number', 'amount', 'due_date', 'days_overdue', 'company_name']);
  });

  it('leaves other bracketed text alone, with a warning when it looks like a variable', () => {
    const result = compileTemplate('[URGENT] Facture [NUMERO] [sic]');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.template.render({ invoice_number: 'F-1' })).toBe('[URGENT] Facture F-1 [sic]');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.message).toContain('[URGENT]');
  });

  it('takes another variable list and no aliases when asked', () => {
    const variables: VariableSpec = { count: 'text' };
    const result = compileTemplate('[NUMERO] {{count}}', { variables, aliases: {} });
    expect(result.ok && result.template.render({ count: 3 })).toBe('[NUMERO] 3');
    expect(compileTemplate('{{invoice_number}}', { variables }).ok).toBe(false);
  });
});

describe('refusing a broken template on save', () => {
  it('names an unknown variable, where it is, and the likely intended one', () => {
    const [error] = errorsOf('Hello,\nInvoice {{invoice_numbr}}');
    expect(error).toMatchObject({ line: 2, column: 9 });
    expect(error?.message).toContain('unknown variable "invoice_numbr"');
    expect(error?.message).toContain('did you mean "invoice_number"');
  });

  it('refuses a tag that is never closed', () => {
    const [error] = errorsOf('Dear {{contact_name');
    expect(error?.message).toContain('unclosed tag');
    expect(error).toMatchObject({ line: 1, column: 6 });
  });

  it('refuses a block that is never closed', () => {
    const [error] = errorsOf('{{#if several}}\nmany');
    expect(error?.message).toContain('{{#if several}} is never closed');
    expect(error).toMatchObject({ line: 1, column: 1 });
  });

  it('refuses a block closed by the wrong tag', () => {
    const [error] = errorsOf('{{#each invoices}}\n{{number}}\n{{/if}}');
    expect(error?.message).toContain('{{/if}} does not match {{#each invoices}} opened at line 1, column 1');
    expect(error).toMatchObject({ line: 3, column: 1 });
  });

  it('refuses a closing tag with nothing open', () => {
    expect(errorsOf('text {{/if}}')[0]?.message).toContain('closes no open block');
  });

  it('refuses an unknown block, a misplaced else, and an #each over something that is not a list', () => {
    expect(errorsOf('{{#unless several}}x{{/unless}}')[0]?.message).toContain('unknown block');
    expect(errorsOf('a {{else}} b')[0]?.message).toContain('{{else}} outside a block');
    expect(errorsOf('{{#each customer_name}}x{{/each}}')[0]?.message).toContain('is not a list');
  });

  it('refuses printing a list or a flag', () => {
    expect(errorsOf('{{invoices}}')[0]?.message).toContain('is a list');
    expect(errorsOf('{{several}}')[0]?.message).toContain('yes/no');
  });

  it('refuses an item field used outside its #each', () => {
    expect(errorsOf('{{outstanding}}')[0]?.message).toContain('unknown variable "outstanding"');
  });

  it('refuses nested lists and triple braces', () => {
    expect(errorsOf('{{#each invoices}}{{#each other_overdue}}{{/each}}{{/each}}')[0]?.message).toContain(
      'cannot be nested',
    );
    expect(errorsOf('{{{customer_name}}}')[0]?.message).toContain('triple braces');
  });

  it('reports every problem at once, in order', () => {
    const errors = errorsOf('{{foo}} {{#if bar}} {{/each}}');
    expect(errors.map((e) => e.column)).toEqual([1, 9, 21]);
  });

  it('never throws on random input, only returns errors', () => {
    const pieces = fc.constantFrom(
      '{{',
      '}}',
      '{',
      '}',
      '[',
      ']',
      '#if ',
      '#each ',
      '/if',
      '/each',
      'else',
      'several',
      'invoices',
      'number',
      'bank.iban',
      '[NUMERO]',
      '[VOTRE ENTREPRISE]',
      '\n',
      ' ',
      'x',
    );
    const sources = fc.oneof(
      fc.string(),
      fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(sources, (source) => {
        const result = compileTemplate(source);
        if (result.ok) {
          expect(typeof result.template.render({ several: true, invoices: [{ number: '1' }] })).toBe(
            'string',
          );
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) {
            expect(error.line).toBeGreaterThanOrEqual(1);
            expect(error.column).toBeGreaterThanOrEqual(1);
            expect(error.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
