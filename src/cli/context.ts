import { resolve } from 'node:path';
import { isPlainDate, plainDateAt } from '../calendar/plain-date.ts';
import { InputError, type Organisation, resolveOrganisation } from '../ledger/organisations.ts';
import { openStore, type Store } from '../store/store.ts';
import type { Output } from './output.ts';

export interface GlobalOptions {
  databaseUrl?: string;
  org?: string;
  json?: boolean;
}

/** What every command gets: the store opened on first use, the organisation, the output. */
export class CommandContext {
  private storePromise: Promise<Store> | undefined;
  constructor(
    readonly options: GlobalOptions,
    readonly out: Output,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get home(): string {
    return resolve(this.env.ARDENT_HOME ?? '.ardent');
  }

  get databaseUrl(): string | undefined {
    return this.options.databaseUrl ?? (this.env.DATABASE_URL || undefined);
  }

  store(): Promise<Store> {
    this.storePromise ??= openStore({ databaseUrl: this.databaseUrl, home: this.home });
    return this.storePromise;
  }

  async org(): Promise<Organisation> {
    return resolveOrganisation((await this.store()).db, this.options.org);
  }

  /** Today in the organisation's time zone; ARDENT_TODAY pretends another day (demos, rehearsals, tests). */
  today(org: Organisation): string {
    const pretend = this.env.ARDENT_TODAY;
    if (pretend) {
      if (!isPlainDate(pretend))
        throw new InputError(`ARDENT_TODAY: expected a date as YYYY-MM-DD, got "${pretend}"`);
      return pretend;
    }
    return plainDateAt(new Date(), org.timezone);
  }

  async close(): Promise<void> {
    if (this.storePromise) await (await this.storePromise).close();
  }
}
