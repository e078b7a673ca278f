// Running the agent by hand for a day (admins): what the scheduler does each morning, or a dry run
// that changes nothing; and the organisation's run hour.
import { z } from 'zod';
import { runDay } from '../../dunning/run.ts';
import { type Api, type RouteModule, todayFor } from '../api.ts';
import { callerOf } from '../auth.ts';
import { deliverDue } from '../delivery.ts';
import { plainDate } from '../schemas.ts';

export const registerRun: RouteModule = (api: Api, deps) => {
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

  api.patch(
    '/organisation',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['run'],
        summary: 'When the daily run starts: the local hour, on the organisation’s business days',
        body: z.strictObject({ runHour: z.number().int().min(0).max(23) }),
      },
    },
    async (request) => {
      const { org } = callerOf(request);
      await deps.store.db
        .updateTable('organisations')
        .set({ run_hour: request.body.runHour })
        .where('id', '=', org.id)
        .execute();
      return { runHour: request.body.runHour, timezone: org.timezone };
    },
  );
};
