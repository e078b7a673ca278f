// Running the agent by hand for a day (admins): what the scheduler does each morning, or a dry run
// that changes nothing; and the organisation's own settings: its run hour, the sender identity its
// messages carry and the bank details they give.
import type { Updateable } from 'kysely';
import { z } from 'zod';
import { normalizeBic, normalizeIban } from '../../banking/iban.ts';
import { runDay } from '../../dunning/run.ts';
import { checkEmail } from '../../imports/validate.ts';
import type { Organisation } from '../../ledger/organisations.ts';
import type { OrganisationsTable } from '../../store/db-types.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { deliverDue } from '../delivery.ts';
import { badRequest, type FieldProblem } from '../problems.ts';
import { plainDate } from '../schemas.ts';

const organisationView = (o: Organisation) => ({
  slug: o.slug,
  name: o.name,
  country: o.country,
  currency: o.currency,
  timezone: o.timezone,
  language: o.language,
  runHour: o.run_hour,
  senderName: o.sender_name,
  senderEmail: o.sender_email,
  bankIban: o.bank_iban,
  bankBic: o.bank_bic,
  bankName: o.bank_name,
});

export const registerRun: RouteModule = (api: Api, deps) => {
  // The caller's organisation as it is now: the one read at sign-in may predate a change.
  const current = (id: string) =>
    deps.store.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  api.post(
    '/run',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['run'],
        summary:
          'The daily run for a day (default today): plans every open invoice and sends what is due; dryRun changes nothing',
        body: z.strictObject({ day: plainDate.optional(), dryRun: z.boolean().default(false) }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const day = request.body.day ?? todayFor(deps, org);
      const report = await runDay(deps.store, org, { day, dryRun: request.body.dryRun });
      const delivery = request.body.dryRun
        ? { delivered: 0, cancelled: 0 }
        : await deliverDue(deps.store, org, {
            env: deps.env,
            home: deps.home,
            upTo: day,
            today: todayFor(deps, org),
          });
      return { ...report, ...delivery };
    },
  );

  api.get(
    '/organisation',
    {
      schema: {
        tags: ['organisation'],
        summary:
          'The organisation: who the messages come from, the bank details they give, when the run starts',
      },
    },
    async (request) => organisationView(await current(callerOf(request).org.id)),
  );

  api.patch(
    '/organisation',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['organisation'],
        summary:
          'Change the sender identity, the bank details (the IBAN checked with its check digits) or the run hour; null clears a field. Answers with what changed',
        body: z.strictObject({
          runHour: z.number().int().min(0).max(23).optional().describe('the local hour the daily run starts'),
          senderName: text(200).describe('the name messages are signed with'),
          senderEmail: text(320).describe('the address messages come from'),
          bankIban: text(50),
          bankBic: text(20),
          bankName: text(200),
        }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      const b = request.body;
      const problems: FieldProblem[] = [];
      const change: Updateable<OrganisationsTable> = {};
      const shown: Record<string, string | number | null> = {};
      const set = <K extends keyof typeof b>(
        field: K,
        column: keyof OrganisationsTable,
        value: string | number | null,
      ) => {
        change[column] = value as never;
        shown[field] = value;
      };
      if (b.runHour !== undefined) set('runHour', 'run_hour', b.runHour);
      if (b.senderName !== undefined) set('senderName', 'sender_name', b.senderName);
      if (b.senderEmail !== undefined) {
        const email = b.senderEmail === null ? undefined : checkEmail(b.senderEmail);
        if (email && !email.ok) problems.push({ in: 'body', field: 'senderEmail', message: email.reason });
        else set('senderEmail', 'sender_email', email ? email.value : null);
      }
      if (b.bankIban !== undefined) {
        const iban = b.bankIban === null ? null : normalizeIban(b.bankIban);
        if (iban === undefined)
          problems.push({
            in: 'body',
            field: 'bankIban',
            message: `not a valid IBAN (country, check digits, length): "${b.bankIban}"`,
          });
        else set('bankIban', 'bank_iban', iban);
      }
      if (b.bankBic !== undefined) {
        const bic = b.bankBic === null ? null : normalizeBic(b.bankBic);
        if (bic === undefined)
          problems.push({
            in: 'body',
            field: 'bankBic',
            message: `expected a BIC of 8 or 11 letters and digits, such as BNPAFRPP, got "${b.bankBic}"`,
          });
        else set('bankBic', 'bank_bic', bic);
      }
      if (b.bankName !== undefined) set('bankName', 'bank_name', b.bankName);
      if (problems.length > 0)
        throw badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
      if (Object.keys(change).length > 0)
        await deps.store.db.updateTable('organisations').set(change).where('id', '=', org.id).execute();
      return { ...shown, timezone: org.timezone };
    },
  );
};

/** A text setting: trimmed, and blank clears it like null. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .nullable()
    .optional()
    .transform((s) => (s === undefined ? undefined : s === null || s.trim() === '' ? null : s.trim()));
