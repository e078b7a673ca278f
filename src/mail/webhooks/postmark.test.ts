import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../../../test/support/engines.ts';
import { importLedger, mailOrg, queueDay, sentAs } from '../../../test/support/mail-fixtures.ts';
import { handlePostmarkWebhook } from './postmark.ts';

const basic = { username: 'postmark', password: 's3cret-webhook' };
const auth = { authorization: `Basic ${Buffer.from('postmark:s3cret-webhook').toString('base64')}` };

describe.each(engines)('Postmark webhooks on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(() => database?.dispose());

  async function sentMessage() {
    const { store } = database;
    const org = await mailOrg(store);
    await importLedger(
      store,
      org,
      ['F-1,C1,Garage Lenoir,FR,,compta@lenoir.fr,fr,2026-10-01,2026-10-31,450.00,,,'],
      '2026-11-09',
    );
    await queueDay(store, org, '2026-11-09');
    const sent = await store.db
      .updateTable('messages')
      .set({ status: 'sent', sent_at: new Date() })
      .where('org_id', '=', org.id)
      .returning('id')
      .execute();
    for (const m of sent) await sentAs(store, org, m.id, '883953f4-6105-42a2-a16a-77a8eac79483');
    return org;
  }

  it.skipIf(!engine.available)('takes a hard bounce sent with the webhook’s credentials', async () => {
    const { store } = database;
    const org = await sentMessage();
    const body = JSON.stringify({
      RecordType: 'Bounce',
      Type: 'HardBounce',
      TypeCode: 1,
      MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
      Email: 'Compta@Lenoir.fr',
      Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
      Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
      BouncedAt: '2026-11-12T10:00:00Z',
    });
    const r = await handlePostmarkWebhook(store, org, { headers: auth, body }, { day: '2026-11-12', basic });
    expect(r.status).toBe(200);
    const contact = await store.db
      .selectFrom('contacts')
      .select(['valid', 'invalid_reason'])
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(contact.valid).toBe(false);
    expect(contact.invalid_reason).toMatch(/^hard bounce 5\.1\.1/);
    const m = await store.db
      .selectFrom('messages')
      .select('status')
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(m.status).toBe('bounced');
    const tasks = await store.db.selectFrom('tasks').select('kind').where('org_id', '=', org.id).execute();
    expect(tasks).toEqual([{ kind: 'invalid_email' }]);
  });

  it.skipIf(!engine.available)(
    'refuses a request without the credentials, and records a delivery',
    async () => {
      const { store } = database;
      const org = await sentMessage();
      const delivery = JSON.stringify({
        RecordType: 'Delivery',
        MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
        Recipient: 'compta@lenoir.fr',
        Details: 'smtp;250 2.0.0 OK',
      });
      expect(
        (
          await handlePostmarkWebhook(
            store,
            org,
            { headers: {}, body: delivery },
            { day: '2026-11-12', basic },
          )
        ).status,
      ).toBe(401);
      const wrong = { authorization: `Basic ${Buffer.from('postmark:guess').toString('base64')}` };
      expect(
        (
          await handlePostmarkWebhook(
            store,
            org,
            { headers: wrong, body: delivery },
            { day: '2026-11-12', basic },
          )
        ).status,
      ).toBe(401);
      const token = await handlePostmarkWebhook(
        store,
        org,
        { headers: { 'x-ardent-webhook-token': 'tok-123' }, body: delivery },
        { day: '2026-11-12', token: 'tok-123' },
      );
      expect(token.status).toBe(200);
      const events = await store.db
        .selectFrom('message_events')
        .select('kind')
        .where('org_id', '=', org.id)
        .orderBy('id')
        .execute();
      // The relay took it (sent, with its id), then reported it delivered.
      expect(events).toEqual([{ kind: 'sent' }, { kind: 'delivered' }]);
      const history = await store.db
        .selectFrom('events')
        .select('kind')
        .where('org_id', '=', org.id)
        .where('kind', '=', 'message.delivered')
        .execute();
      expect(history).toHaveLength(1);
    },
  );
});
