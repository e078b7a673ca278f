import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../../../test/support/engines.ts';
import { importLedger, mailOrg, queueDay } from '../../../test/support/mail-fixtures.ts';
import { selfSignedCertificate } from '../../../test/support/x509.ts';
import { handleSesWebhook, isSnsCertificateUrl, type SnsMessage, snsStringToSign } from './ses.ts';

const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-bounces';
const { pem, privateKey } = selfSignedCertificate();
const certificate = async (url: string) => {
  if (url !== CERT_URL) throw new Error(`unexpected certificate URL ${url}`);
  return pem;
};

function signed(
  fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>,
  version: '1' | '2' = '2',
): SnsMessage {
  const message = {
    ...fields,
    SignatureVersion: version,
    SigningCertURL: CERT_URL,
    Signature: '',
  } as SnsMessage;
  message.Signature = sign(
    version === '1' ? 'sha1' : 'sha256',
    Buffer.from(snsStringToSign(message)),
    privateKey,
  ).toString('base64');
  return message;
}

const bounce = (address: string, messageId: string) =>
  JSON.stringify({
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: address,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 <x>: Recipient address rejected: User unknown',
        },
      ],
      timestamp: '2026-11-12T10:00:00.000Z',
    },
    mail: { messageId: '0102018b5c3c0a4f-ses', commonHeaders: { messageId } },
  });

describe.each(engines)('Amazon SES notifications through SNS on $name', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(() => database?.dispose());

  it.skipIf(!engine.available)('applies a signed hard bounce to the contact and its message', async () => {
    const { store } = database;
    const org = await mailOrg(store);
    await importLedger(
      store,
      org,
      ['F-1,C1,Garage Lenoir,FR,,compta@lenoir.fr,fr,2026-10-01,2026-10-31,450.00,,,'],
      '2026-11-09',
    );
    await queueDay(store, org, '2026-11-09');
    await store.db
      .updateTable('messages')
      .set({ status: 'sent', message_id_header: '<m1@atelier-dupont.fr>' })
      .where('org_id', '=', org.id)
      .execute();
    const body = JSON.stringify(
      signed({
        Type: 'Notification',
        MessageId: 'a1',
        TopicArn: TOPIC,
        Message: bounce('compta@lenoir.fr', '<m1@atelier-dupont.fr>'),
        Timestamp: '2026-11-12T10:00:01.000Z',
      }),
    );
    const r = await handleSesWebhook(
      store,
      org,
      { headers: {}, body },
      { day: '2026-11-12', certificate, topics: [TOPIC] },
    );
    expect(r).toEqual({ status: 200, body: 'ok' });
    const contact = await store.db
      .selectFrom('contacts')
      .select(['valid', 'invalid_reason'])
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(contact).toEqual({ valid: false, invalid_reason: 'hard bounce 5.1.1 userunknown' });
    const message = await store.db
      .selectFrom('messages')
      .select('status')
      .where('org_id', '=', org.id)
      .executeTakeFirstOrThrow();
    expect(message.status).toBe('bounced');
    const bounces = await store.db
      .selectFrom('bounces')
      .select(['source', 'hard'])
      .where('org_id', '=', org.id)
      .execute();
    expect(bounces).toEqual([{ source: 'ses', hard: true }]);
  });

  it.skipIf(!engine.available)(
    'refuses a message whose signature does not hold, or signed by a certificate off amazonaws.com',
    async () => {
      const { store } = database;
      const org = await mailOrg(store);
      const good = signed(
        {
          Type: 'Notification',
          MessageId: 'a2',
          TopicArn: TOPIC,
          Message: bounce('x@y.fr', '<z@y>'),
          Timestamp: '2026-11-12T10:00:01.000Z',
        },
        '1',
      );
      const tampered = { ...good, Message: bounce('someone-else@y.fr', '<z@y>') };
      expect(
        (
          await handleSesWebhook(
            store,
            org,
            { headers: {}, body: JSON.stringify(tampered) },
            { day: '2026-11-12', certificate },
          )
        ).status,
      ).toBe(403);
      const elsewhere = { ...good, SigningCertURL: 'https://evil.example/cert.pem' };
      expect(
        (
          await handleSesWebhook(
            store,
            org,
            { headers: {}, body: JSON.stringify(elsewhere) },
            { day: '2026-11-12', certificate },
          )
        ).status,
      ).toBe(403);
      expect(
        (
          await handleSesWebhook(
            store,
            org,
            { headers: {}, body: 'nope' },
            { day: '2026-11-12', certificate },
          )
        ).status,
      ).toBe(400);
      expect(isSnsCertificateUrl('http://sns.eu-west-1.amazonaws.com/x.pem')).toBe(false);
    },
  );

  it.skipIf(!engine.available)('confirms a signed subscription by visiting its SubscribeURL', async () => {
    const { store } = database;
    const org = await mailOrg(store);
    const visited: string[] = [];
    const subscribe = 'https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=t0k';
    const body = JSON.stringify(
      signed({
        Type: 'SubscriptionConfirmation',
        MessageId: 'a3',
        TopicArn: TOPIC,
        Message: 'You have chosen to subscribe…',
        Timestamp: '2026-11-12T10:00:01.000Z',
        SubscribeURL: subscribe,
        Token: 't0k',
      }),
    );
    const r = await handleSesWebhook(
      store,
      org,
      { headers: {}, body },
      {
        day: '2026-11-12',
        certificate,
        confirmSubscription: async (url) => void visited.push(url),
      },
    );
    expect(r.status).toBe(200);
    expect(visited).toEqual([subscribe]);
  });
});
