// Open and click tracking: off by default; on, the HTML carries a pixel and links through Ardent,
// and the hits land in the message's delivery events and, the first of each, in the history.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverDue } from '../src/mail/sender.ts';
import { recordTrackingHit } from '../src/mail/tracking.ts';
import { directoryTransport } from '../src/mail/transports/directory.ts';
import { engines, type TestDatabase } from './support/engines.ts';
import { eventKinds, importLedger, mailOrg, messageRows, queueDay } from './support/mail-fixtures.ts';

const DAY = '2026-11-09';
const ROW = ['F-1,C1,Boulangerie Martin,FR,,compta@martin.fr,fr,2026-10-01,2026-10-31,1200.00,,,'];

describe.each(engines)('tracking on $name', (engine) => {
  let database: TestDatabase;
  const home = mkdtempSync(join(tmpdir(), 'ardent-track-'));
  beforeAll(async () => {
    if (engine.available) database = await engine.open();
  });
  afterAll(async () => {
    await database?.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  async function send(tracking: boolean, folder: string) {
    const { store } = database;
    const org = await mailOrg(store);
    if (tracking)
      await store.db.updateTable('organisations').set({ tracking: true }).where('id', '=', org.id).execute();
    const fresh = await store.db
      .selectFrom('organisations')
      .selectAll()
      .where('id', '=', org.id)
      .executeTakeFirstOrThrow();
    await importLedger(store, fresh, ROW, DAY);
    await queueDay(store, fresh, DAY);
    await deliverDue(store, fresh, {
      upTo: DAY,
      today: DAY,
      transport: directoryTransport(join(home, folder)),
      publicUrl: 'https://ardent.example.com',
    });
    const [file] = readdirSync(join(home, folder));
    const mail = await simpleParser(readFileSync(join(home, folder, file!)));
    const [m] = await messageRows(store, fresh);
    return { org: fresh, mail, message: m! };
  }

  it.skipIf(!engine.available)('adds nothing when the organisation has not turned it on', async () => {
    const { mail, message } = await send(false, 'off');
    expect(mail.html).not.toContain('ardent.example.com');
    const token = `${message.id}.x`;
    expect(await recordTrackingHit(database.store, { kind: 'opened', token })).toEqual({ redirect: null });
  });

  it.skipIf(!engine.available)(
    'records the first open in the history, and redirects a signed click only',
    async () => {
      const { org, mail, message } = await send(true, 'on');
      const pixel = /src="https:\/\/ardent\.example\.com\/t\/o\/([^"]+)\.gif"/.exec(String(mail.html))![1]!;
      await recordTrackingHit(database.store, { kind: 'opened', token: pixel });
      await recordTrackingHit(database.store, { kind: 'opened', token: pixel });
      expect(await eventKinds(database.store, org, message.id)).toEqual(['sent', 'opened', 'opened']);
      const history = await database.store.db
        .selectFrom('events')
        .select('kind')
        .where('org_id', '=', org.id)
        .where('kind', '=', 'message.opened')
        .execute();
      expect(history).toHaveLength(1);
      const forged = await recordTrackingHit(database.store, {
        kind: 'clicked',
        token: pixel,
        url: 'https://evil.example/',
      });
      expect(forged.redirect).toBeNull();
    },
  );
});
