// Delivery as the command line and the scheduler do it: the transport chosen from the environment
// (ARDENT_SMTP_URL, else the outbox folder), letters to the print folder, then `deliverDue`.
import { join } from 'node:path';
import type { PlainDate } from '../calendar/plain-date.ts';
import { InputError, type Organisation } from '../ledger/organisations.ts';
import type { Store } from '../store/store.ts';
import { printFolder } from './letters/print-folder.ts';
import type { LetterProvider } from './letters/provider.ts';
import { type DeliverOptions, type DeliveryReport, deliverDue } from './sender.ts';
import type { Transport } from './transport.ts';
import { directoryTransport } from './transports/directory.ts';
import { dkimFromEnv, smtpTransport } from './transports/smtp.ts';

export interface MailSettings {
  transport: Transport;
  letters: LetterProvider;
  replyTo: string | null;
  publicUrl: string | null;
  guarantee: 'at-least-once' | 'at-most-once';
}

/** ARDENT_SMTP_URL (with ARDENT_SMTP_POOL and the DKIM variables), else ARDENT_HOME/outbox; letters to ARDENT_HOME/print. */
export function mailSettingsFromEnv(env: NodeJS.ProcessEnv, home: string): MailSettings {
  const url = env.ARDENT_SMTP_URL?.trim();
  const pool = Number(env.ARDENT_SMTP_POOL ?? '') || undefined;
  const guarantee = env.ARDENT_SEND_GUARANTEE?.trim() || 'at-least-once';
  if (guarantee !== 'at-least-once' && guarantee !== 'at-most-once')
    throw new InputError(`ARDENT_SEND_GUARANTEE: expected at-least-once or at-most-once, got "${guarantee}"`);
  return {
    guarantee,
    transport: url
      ? smtpTransport({ url, ...(pool ? { pool } : {}), dkim: dkimFromEnv(env) })
      : directoryTransport(join(home, 'outbox')),
    letters: printFolder(join(home, 'print')),
    replyTo: env.ARDENT_REPLY_TO?.trim() || null,
    publicUrl: env.ARDENT_PUBLIC_URL?.trim() || null,
  };
}

export interface DeliverFromEnv extends Partial<Omit<DeliverOptions, 'transport' | 'letters'>> {
  env: NodeJS.ProcessEnv;
  home: string;
  upTo: PlainDate;
}

/** Sends what is due with the configured transport, then lets its connections go. */
export async function deliver(
  store: Store,
  org: Organisation,
  options: DeliverFromEnv,
): Promise<DeliveryReport> {
  const { env, home, ...rest } = options;
  const settings = mailSettingsFromEnv(env, home);
  try {
    return await deliverDue(store, org, {
      replyTo: settings.replyTo,
      publicUrl: settings.publicUrl,
      guarantee: settings.guarantee,
      ...rest,
      transport: settings.transport,
      letters: settings.letters,
    });
  } finally {
    await settings.transport.close();
  }
}
