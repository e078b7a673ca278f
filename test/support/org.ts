import { randomBytes } from 'node:crypto';
import { createOrganisation, type Organisation } from '../../src/ledger/organisations.ts';
import type { Db } from '../../src/store/store.ts';

/** A fresh organisation of its own for one test, so tests can share a database without meeting. */
export function newOrg(db: Db, country = 'FR', extra: { currency?: string } = {}): Promise<Organisation> {
  return createOrganisation(db, {
    name: `Test ${country}`,
    country,
    slug: `t-${randomBytes(5).toString('hex')}`,
    ...extra,
  });
}
