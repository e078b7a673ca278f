// What mail providers and recipients' mail programs call back, outside the API (no session, no key):
//   POST /hooks/ses/:org        Amazon SES notifications through SNS (the signature is the proof)
//   POST /hooks/postmark/:org   Postmark's webhooks (Basic credentials or a token header)
//   GET  /t/o/:token.gif        the open-tracking pixel
//   GET  /t/c/:token?u=URL      a tracked link: recorded, then redirected if the token signs the URL
// The organisation is named by its slug in the webhook URL; the handlers (src/mail/webhooks) decide
// what the event means and answer with the status the provider expects.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Organisation } from '../ledger/organisations.ts';
import { recordTrackingHit } from '../mail/tracking.ts';
import { handlePostmarkWebhook } from '../mail/webhooks/postmark.ts';
import { handleSesWebhook } from '../mail/webhooks/ses.ts';
import type { WebhookResponse } from '../mail/webhooks/types.ts';
import type { ServerDeps } from './api.ts';
import { todayFor } from './api.ts';

export interface MailEventOptions {
  /** Fetches the PEM certificate at an SNS SigningCertURL (default: over HTTPS). Tests pass their own. */
  snsCertificate?: (url: string) => Promise<string>;
}

// The smallest transparent GIF: 1×1, one colour.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const publicRoute = { config: { access: 'public' }, schema: { hide: true } } as const;

async function organisation(deps: ServerDeps, slug: string): Promise<Organisation | undefined> {
  return deps.store.db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

function send(reply: FastifyReply, response: WebhookResponse): FastifyReply {
  return reply.code(response.status).type('text/plain; charset=utf-8').send(response.body);
}

export async function registerMailEvents(
  app: FastifyInstance,
  deps: ServerDeps,
  options: MailEventOptions = {},
): Promise<void> {
  const env = deps.env;
  const postmarkSecret = env.ARDENT_POSTMARK_WEBHOOK_SECRET?.trim() || undefined;
  const sesTopics = env.ARDENT_SES_TOPICS?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);

  await app.register(async (hooks) => {
    // SNS posts JSON as text/plain, Postmark as application/json: both are read as bytes, since the
    // handlers parse (and SNS verifies) the message themselves.
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) =>
      done(null, body),
    );

    hooks.post<{ Params: { org: string } }>('/hooks/ses/:org', publicRoute, async (request, reply) => {
      const org = await organisation(deps, request.params.org);
      if (!org) return send(reply, { status: 404, body: 'no such organisation' });
      const response = await handleSesWebhook(
        deps.store,
        org,
        { headers: request.headers, body: (request.body as Buffer | undefined) ?? '' },
        {
          day: todayFor(deps, org),
          ...(sesTopics?.length ? { topics: sesTopics } : {}),
          ...(options.snsCertificate ? { certificate: options.snsCertificate } : {}),
        },
      );
      deps.metrics.inc('ardent_mail_webhooks_total', { provider: 'ses', status: String(response.status) });
      return send(reply, response);
    });

    hooks.post<{ Params: { org: string } }>('/hooks/postmark/:org', publicRoute, async (request, reply) => {
      const org = await organisation(deps, request.params.org);
      if (!org) return send(reply, { status: 404, body: 'no such organisation' });
      const response = await handlePostmarkWebhook(
        deps.store,
        org,
        { headers: request.headers, body: (request.body as Buffer | undefined) ?? '' },
        {
          day: todayFor(deps, org),
          // The secret as the password of the webhook URL's Basic credentials (any user name is
          // refused but "ardent"), or in the X-Ardent-Webhook-Token header.
          ...(postmarkSecret
            ? { basic: { username: 'ardent', password: postmarkSecret }, token: postmarkSecret }
            : {}),
        },
      );
      deps.metrics.inc('ardent_mail_webhooks_total', {
        provider: 'postmark',
        status: String(response.status),
      });
      return send(reply, response);
    });
  });

  app.get<{ Params: { file: string } }>('/t/o/:file', publicRoute, async (request, reply) => {
    const token = request.params.file.replace(/\.gif$/, '');
    const userAgent = request.headers['user-agent'];
    await recordTrackingHit(deps.store, { kind: 'opened', token, ...(userAgent ? { userAgent } : {}) });
    // The image whatever the token: a mail program shows nothing broken, and a prober learns nothing.
    return reply.type('image/gif').header('cache-control', 'no-store, max-age=0').send(PIXEL);
  });

  app.get<{ Params: { token: string }; Querystring: { u?: string } }>(
    '/t/c/:token',
    publicRoute,
    async (request, reply) => {
      const url = typeof request.query.u === 'string' ? request.query.u : '';
      const userAgent = request.headers['user-agent'];
      const { redirect } = await recordTrackingHit(deps.store, {
        kind: 'clicked',
        token: request.params.token,
        url,
        ...(userAgent ? { userAgent } : {}),
      });
      if (!redirect) return reply.code(404).type('text/plain; charset=utf-8').send('unknown link');
      return reply.header('cache-control', 'no-store').redirect(redirect, 302);
    },
  );
}
