// The addresses mail providers and mail programs call: SES and Postmark webhooks reach the bounce
// rules through HTTP, and the tracking pixel and links record opens and clicks.
import { sign } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organisation } from '../src/ledger/organisations.ts';
import { deliverDue } from '../src/mail/sender.ts';
import { clickUrl } from '../src/mail/tracking.ts';
import { directoryTransport } from '../src/mail/transports/directory.ts';
import { type SnsMessage, snsStringToSign } from '../src/mail/webhooks/ses.ts';
import { buildApp } from '../src/server/app.ts';
import { fixedDayClock } from '../src/server/clock.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { eventKinds, importLedger, mailOrg, messageRows, queueDay, sentAs } from './support/mail-fixtures.ts';
import { selfSignedCertificate } from './support/x509.ts';

const DAY = '2026-11-09';
const SECRET = 'postmark-webhook-secret';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-bounces';
const { pem, privateKey } = selfSignedCertificate();

function snsNotification(message: string): string {
  const m = {
    Type: 'Notification',
    MessageId: 'sns-1',
    TopicArn: TOPIC,
    Message: message,
    Timestamp: '2026-11-12T10:00:01.000Z',
    SignatureVersion: '2',
    SigningCertURL: CERT_URL,
    Signature: '',
  } as SnsMessage;
  m.Signature = sign('sha256', Buffer.from(snsStringToSign(m)), privateKey).toString('base64');
  return JSON.stringify(m);
}

describe.each(engines)('mail webhooks and tracking over HTTP on $name', (engine) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const home = mkdtempSync(join(tmpdir(), 'ardent-mail-events-'));

  beforeAll(async () => {
    if (!engine.available) return;
    database = await engine.open();
    app = await buildApp({
      store: database.store,
      home,
      clock: fixedDayClock('2026-11-12'),
      env: { ARDENT_POSTMARK_WEBHOOK_SECRET: SECRET, ARDENT_SES_TOPICS: TOPIC },
      mailEvents: {
        snsCertificate: async (url) => (url === CERT_URL ? pem : Promise.reject(new Error(url))),
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  /** An organisation of its own with one message sent to compta@<name>.fr. */
  async function sent(
    name: string,
    tracking = false,
  ): Promise<{ org: Organisation; html: string; id: string }> {
    const { store } = database;
    const org = await mailOrg(store);
    if (tracking)
      await store.db.updateTable('organisations').set({ tracking: true }).where('id', '=', org.id).execute();
    const fresh = await store.db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow();
    await importLedger(
      store,
      fresh,
      [`F-1,C1,${name},FR,,compta@${name}.fr,fr,2026-10-01,2026-10-31,450.00,,,`],
      DAY,
    );
    await queueDay(store, fresh, DAY);
    const folder = join(home, name);
    await deliverDue(store, fresh, {
      upTo: DAY,
      today: DAY,
      transport: directoryTransport(folder),
      publicUrl: 'https://ardent.example.com',
    });
    const mail = await simpleParser(readFileSync(join(folder, readdirSync(folder)[0]!)));
    const [m] = await messageRows(store, fresh);
    return { org: fresh, html: String(mail.html), id: m!.id };
  }

  const contactOf = (org: Organisation) =>
    database.store.db
      .selectFrom('contacts')
      .select(['valid', 'invalid_reason'])
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();

  it.skipIf(!engine.available)(
    'takes a Postmark hard bounce with the secret, and refuses it without',
    async () => {
      const { org, id } = await sent('lenoir');
      const providerId = '883953f4-6105-42a2-a16a-77a8eac79483';
      await sentAs(database.store, org, id, providerId);
      const payload = JSON.stringify({
        RecordType: 'Bounce',
        Type: 'HardBounce',
        MessageID: providerId,
        Email: 'compta@lenoir.fr',
        Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
      });
      const url = `/hooks/postmark/${org.slug}`;
      const json = { 'content-type': 'application/json' };
      const refused = await app.inject({
        method: 'POST',
        url,
        headers: { ...json, 'x-ardent-webhook-token': 'guess' },
        payload,
      });
      expect(refused.statusCode).toBe(401);
      expect((await contactOf(org)).valid).toBe(true);
      const basic = `Basic ${Buffer.from(`ardent:${SECRET}`).toString('base64')}`;
      const taken = await app.inject({
        method: 'POST',
        url,
        headers: { ...json, authorization: basic },
        payload,
      });
      expect(taken.statusCode).toBe(200);
      expect(await contactOf(org)).toEqual({
        valid: false,
        invalid_reason: expect.stringMatching(/^hard bounce 5\.1\.1/),
      });
      expect(await eventKinds(database.store, org, id)).toContain('bounced');
    },
  );

  it.skipIf(!engine.available)('takes a signed SES bounce posted as text/plain, as SNS does', async () => {
    const { org, id } = await sent('mercier');
    const header = await database.store.db
      .selectFrom('messages')
      .select('message_id_header')
      .where('org_id', '=', org.id)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const body = snsNotification(
      JSON.stringify({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: 'compta@mercier.fr', action: 'failed', status: '5.1.1' }],
        },
        mail: { messageId: 'ses-1', commonHeaders: { messageId: header.message_id_header } },
      }),
    );
    const forged = body.replace('compta@mercier.fr', 'someone@else.fr');
    const post = (payload: string) =>
      app.inject({
        method: 'POST',
        url: `/hooks/ses/${org.slug}`,
        headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
        payload,
      });
    expect((await post(forged)).statusCode).toBe(403);
    const r = await post(body);
    expect(r.statusCode).toBe(200);
    expect((await contactOf(org)).valid).toBe(false);
    expect(
      (await app.inject({ method: 'POST', url: '/hooks/ses/no-such-org', payload: body })).statusCode,
    ).toBe(404);
  });

  it.skipIf(!engine.available)(
    'records an open from the pixel and redirects a signed link only',
    async () => {
      const { org, html, id } = await sent('dubois', true);
      const pixel = /https:\/\/ardent\.example\.com(\/t\/o\/[^"]+\.gif)/.exec(html)![1]!;
      const open = await app.inject({ method: 'GET', url: pixel, headers: { 'user-agent': 'Thunderbird' } });
      expect(open.statusCode).toBe(200);
      expect(open.headers['content-type']).toBe('image/gif');
      expect(open.rawPayload.subarray(0, 6).toString()).toBe('GIF89a');
      // A link of the message, as the tracking rewrites it (the demo text may carry none).
      const target = 'https://pay.atelier.example/F-1';
      const link = clickUrl(
        { baseUrl: 'https://ardent.example.com', secret: org.tracking_secret, messageId: id },
        target,
      ).replace('https://ardent.example.com', '');
      const click = await app.inject({ method: 'GET', url: link });
      expect(click.statusCode).toBe(302);
      expect(click.headers.location).toBe(target);
      const forged = link.replace(/\?u=.*/, `?u=${encodeURIComponent('https://evil.example/')}`);
      expect((await app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
      expect(await eventKinds(database.store, org, id)).toEqual(['sent', 'opened', 'clicked']);
    },
  );
});
