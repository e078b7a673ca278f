import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organisation } from '../ledger/organisations.ts';
import { type ComposeContext, composeMessage, type OutboxMessage } from './compose-mail.ts';
import { ComposeThreads, composeThreads, stopComposeThreads } from './compose-threads.ts';

const org: Organisation = {
  id: '0195f0c4-0000-7000-8000-000000000001',
  slug: 'atelier',
  name: 'Atelier Dupont',
  country: 'FR',
  currency: 'EUR',
  timezone: 'Europe/Paris',
  language: 'fr',
  sender_email: 'relances@atelier-dupont.fr',
  sender_name: 'Atelier Dupont — Comptabilité',
  legal_id: '123 456 789',
  vat_id: 'FR12123456789',
  address: { lines: ['12 rue des Lilas'], postalCode: '69003', city: 'Lyon', country: 'FR' },
  bank_iban: 'FR7630006000011234567890189',
  bank_bic: 'AGRIFRPP',
  bank_name: null,
  reply_token: 'org-token',
  is_demo: false,
  created_at: new Date('2026-01-01T00:00:00Z'),
  tracking: false,
  tracking_secret: 'secret',
  run_hour: 9,
  webhook_cursor: 0,
};

function reminder(n: number, channel: 'email' | 'letter' = 'email', address: unknown = null): OutboxMessage {
  const id = `0195f0c4-0000-7000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    attempts: 1,
    customerId: `customer-${n}`,
    contactId: `contact-${n}`,
    channel,
    level: 2,
    day: '2026-11-09',
    language: n % 2 ? 'fr' : 'en',
    toAddress: `compta@client-${n}.example`,
    toName: 'Service comptable',
    subject: `Facture F-${n} en retard`,
    text: `Bonjour,\n\nLa facture F-${n} de 1 200,00 € est échue depuis le 31 octobre.\n\nCordialement`,
    messageId: `<${id}@atelier-dupont.fr>`,
    customer: { ref: `C${n}`, name: `Client ${n} SARL`, country: 'FR', address, replyToken: `tok${n}` },
    contact: {
      valid: true,
      email: `compta@client-${n}.example`,
      invalidReason: null,
      name: null,
      address: null,
    },
    invoices: [
      {
        id: `invoice-${n}`,
        number: `F-${n}`,
        issueDate: '2026-10-01',
        dueDate: '2026-10-31',
        currency: 'EUR',
        total: 120000,
        outstanding: 120000,
        status: 'open',
        asked: 120000,
      },
    ],
    thread: n % 3 ? [] : [`<earlier-${n}@atelier-dupont.fr>`],
  };
}

const messages = Array.from({ length: 40 }, (_, i) => reminder(i + 1));
const ctx: ComposeContext = {
  org,
  today: '2026-11-09',
  now: new Date('2026-11-09T08:00:00Z'),
  replyTo: 'replies@ardent.example',
  openItems: new Map(
    messages.map((m) => [
      m.customerId,
      [
        {
          number: m.invoices[0]!.number,
          type: 'invoice' as const,
          issueDate: '2026-10-01',
          dueDate: '2026-10-31',
          currency: 'EUR',
          total: 120000,
          outstanding: 120000,
        },
      ],
    ]),
  ),
  documents: new Map([
    [
      'invoice-7',
      [{ filename: 'F-7.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7 F-7') }],
    ],
  ]),
};

describe('composing on other threads', () => {
  const threads = new ComposeThreads(2);
  beforeAll(() => threads.warm());
  afterAll(() => threads.close());

  it('makes the very bytes the sender would make on its own thread, attachments included', async () => {
    const ahead = threads.compose(messages, ctx);
    expect(ahead).not.toBeNull();
    for (const m of messages) {
      const composed = await ahead!.get(m.id);
      expect(composed).toEqual(composeMessage(m, ctx));
    }
    const seventh = (await ahead!.get(messages[6]!.id)) as { mime: Buffer };
    expect(seventh.mime.toString('latin1')).toContain('filename=F-7.pdf');
  });

  it('composes letters too, and refuses a message that cannot be made without holding back the others', async () => {
    const letter = reminder(41, 'letter', {
      lines: ['3 place du Marché'],
      postalCode: '75011',
      city: 'Paris',
    });
    const nowhere = reminder(42, 'letter');
    const ahead = threads.compose([letter, nowhere, messages[0]!], ctx)!;
    const pdf = (await ahead.get(letter.id)) as { pdf: Uint8Array };
    expect(Buffer.from(pdf.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    await expect(ahead.get(nowhere.id)).rejects.toThrow('no postal address for Client 42 SARL');
    expect(await ahead.get(messages[0]!.id)).toEqual(composeMessage(messages[0]!, ctx));
  });

  it('counts what it composed', () => {
    expect(threads.composed).toBe(messages.length + 2);
  });
});

describe('a pool of composing threads', () => {
  it('starts no thread for a small batch: the caller composes it', async () => {
    const threads = new ComposeThreads(1);
    expect(threads.compose(messages.slice(0, 5), ctx)).toBeNull();
    await threads.close();
  });

  it('hands back what a stopped thread had still to compose, and composes nothing more', async () => {
    const threads = new ComposeThreads(1);
    await threads.warm();
    const many = Array.from({ length: 400 }, (_, i) => reminder(i + 100));
    const ahead = threads.compose(many, ctx)!;
    await threads.close();
    const results = await Promise.all(many.map((m) => ahead.get(m.id)));
    // Each one either composed before the stop, or handed back (null) for the caller to compose.
    for (const [i, r] of results.entries()) if (r) expect(r).toEqual(composeMessage(many[i]!, ctx));
    expect(results.filter((r) => r === null).length).toBeGreaterThan(0);
    expect(threads.compose(messages, ctx)).toBeNull();
  });

  it('lets a process exit when its send ended before its thread had any work', () => {
    const script = fileURLToPath(new URL('../../test/support/thread-left-idle.mjs', import.meta.url));
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.signal).toBeNull();
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('null');
    expect(run.status).toBe(0);
  });
});

describe('the process pool (ARDENT_COMPOSE_THREADS)', () => {
  afterAll(() => stopComposeThreads());

  it('has one thread per core beyond the first by default, none when asked for 0', async () => {
    const cores = availableParallelism();
    const pool = composeThreads({});
    if (cores === 1) expect(pool).toBeNull();
    else expect(pool?.size).toBe(Math.min(4, cores - 1));
    expect(composeThreads({ ARDENT_COMPOSE_THREADS: 'auto' })).toBe(pool);
    expect(composeThreads({ ARDENT_COMPOSE_THREADS: '0' })).toBeNull();
    await stopComposeThreads();
    const three = composeThreads({ ARDENT_COMPOSE_THREADS: ' 3 ' });
    expect(three?.size).toBe(3);
    // Stopped, then asked again: a new pool.
    await stopComposeThreads();
    expect(composeThreads({ ARDENT_COMPOSE_THREADS: '2' })).not.toBe(three);
  });

  it('says what it expected of a bad setting', () => {
    for (const bad of ['many', '-1', '17', '1.5'])
      expect(() => composeThreads({ ARDENT_COMPOSE_THREADS: bad })).toThrow(
        `ARDENT_COMPOSE_THREADS: expected a number of threads from 0 to 16, or auto; got "${bad}"`,
      );
  });
});
