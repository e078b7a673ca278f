// How long the agent waits after each kind of reply, per organisation (table inbound_settings);
// an organisation that never changed them gets DEFAULT_INBOUND_SETTINGS.
import { z } from 'zod';
import type { Db } from '../store/store.ts';
import { DEFAULT_INBOUND_SETTINGS, type InboundSettings } from './act.ts';

const days = (max: number) => z.number().int().min(0).max(max);

export const inboundSettingsSchema = z.object({
  promiseGraceDays: days(30),
  discussionHoldDays: days(30),
  taskHoldDays: days(60),
  paidClaimWaitDays: days(30),
  minConfidence: z.number().min(0).max(1),
});

export async function loadInboundSettings(db: Db, orgId: string): Promise<InboundSettings> {
  const row = await db
    .selectFrom('inbound_settings')
    .selectAll()
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  if (!row) return DEFAULT_INBOUND_SETTINGS;
  return {
    promiseGraceDays: row.promise_grace_days,
    discussionHoldDays: row.discussion_hold_days,
    taskHoldDays: row.task_hold_days,
    paidClaimWaitDays: row.paid_claim_wait_days,
    minConfidence: row.min_confidence_pct / 100,
  };
}

/** Saves a change to the settings; returns the problems (empty when saved). */
export async function saveInboundSettings(
  db: Db,
  orgId: string,
  change: Partial<InboundSettings>,
): Promise<{ settings: InboundSettings; problems: string[] }> {
  const merged = { ...(await loadInboundSettings(db, orgId)), ...change };
  const checked = inboundSettingsSchema.safeParse(merged);
  if (!checked.success)
    return {
      settings: merged,
      problems: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  const s = checked.data;
  const row = {
    promise_grace_days: s.promiseGraceDays,
    discussion_hold_days: s.discussionHoldDays,
    task_hold_days: s.taskHoldDays,
    paid_claim_wait_days: s.paidClaimWaitDays,
    min_confidence_pct: Math.round(s.minConfidence * 100),
  };
  await db
    .insertInto('inbound_settings')
    .values({ org_id: orgId, ...row })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...row, updated_at: new Date() }))
    .execute();
  return { settings: s, problems: [] };
}
