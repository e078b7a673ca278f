// A sender lane's own connection to PostgreSQL, for the records of its messages.
//
// Each message's record opens a transaction that stays open through the SMTP transfer (the row
// locked, the record invisible) until the final dot; that COMMIT and the record of the lane's next
// message then travel as one query. A message costs one round trip to the database instead of two:
// each round trip is a write that wakes a database process, the largest cost the sender's main
// thread had left (ARCHITECTURE.md, Throughput).
import { CompiledQuery, type DatabaseConnection } from 'kysely';
import type { Db } from '../store/store.ts';
import { ClaimLostError } from './errors.ts';

/** A message's record: the statement that marks it sent, and what else that statement records. */
export interface PendingRecord<T> {
  id: string;
  statement: string;
  /** Carried by the statement (the provider ids of earlier messages): handed back if it is undone. */
  carried: T[];
}

const claimLost = (error: unknown) => /claim lost/.test(String(error));

export class RecordLine<T> {
  private held: { connection: DatabaseConnection; release: () => void } | null = null;
  private broken = false;
  /** The record in the open transaction, and the answer to it. */
  private open: { record: PendingRecord<T>; recorded: Promise<void> } | null = null;

  /**
   * `durable` false (at least once): COMMIT does not wait for the disk. It survives this process at
   * once, and a crash of the database server itself within the WAL writer's delay could only make a
   * message go twice, which that guarantee allows. At most once, it waits.
   */
  constructor(
    private readonly db: Db,
    private readonly durable: boolean,
  ) {}

  /**
   * Records the message, uncommitted. When its record already went with the previous COMMIT, the
   * answer to that; `make` is not called.
   */
  record(id: string, make: () => PendingRecord<T>): Promise<void> {
    if (this.open?.record.id === id) return this.open.recorded;
    if (this.open) throw new Error(`record of ${this.open.record.id} still open`);
    const record = make();
    const recorded = this.connection().then((c) => this.run(c, this.begin(record), record.id));
    recorded.catch(() => {});
    this.open = { record, recorded };
    return recorded;
  }

  /**
   * Writes the COMMIT of the open record, with the next message's record when there is one, to the
   * socket now, in this tick (the driver writes a query at once when the connection is idle, and it
   * is: the open record was answered). Resolves when the COMMIT is done.
   */
  commit(next: PendingRecord<T> | null): Promise<void> {
    const connection = this.held?.connection;
    if (!this.open || !connection) throw new Error('no record to commit');
    this.open = null;
    const query = connection.executeQuery(CompiledQuery.raw(next ? `commit; ${this.begin(next)}` : 'commit'));
    // A record that fails after the COMMIT before it leaves that COMMIT done: the statements of one
    // query run in order, and an error stops only those after it.
    const committed = query.then(
      () => {},
      (error) => {
        if (next && claimLost(error)) return;
        this.broken = true;
        throw error;
      },
    );
    committed.catch(() => {});
    if (next) {
      const recorded = query.then(
        () => {},
        (error) => {
          throw claimLost(error) ? new ClaimLostError(next.id) : error;
        },
      );
      recorded.catch(() => {});
      this.open = { record: next, recorded };
    }
    return committed;
  }

  /** Rolls back the record of `id` if it is the open one; what it carried goes back to the caller. */
  async abandon(id: string): Promise<T[]> {
    if (this.open?.record.id !== id) return [];
    const { record, recorded } = this.open;
    this.open = null;
    await recorded.catch(() => {});
    await this.rollback();
    return record.carried;
  }

  /** Gives the connection back, rolling back a record still open; what it carried goes back. */
  async close(): Promise<T[]> {
    const carried = this.open ? await this.abandon(this.open.record.id) : [];
    await this.release();
    return carried;
  }

  /** The connection back to the pool as it was taken: no transaction, the server's own setting. */
  private async release(): Promise<void> {
    const held = this.held;
    this.held = null;
    if (!held) return;
    if (!this.durable)
      await held.connection
        .executeQuery(CompiledQuery.raw('rollback; reset synchronous_commit'))
        .catch(() => {});
    held.release();
  }

  private begin(record: PendingRecord<T>): string {
    return `begin; ${record.statement}`;
  }

  private async run(connection: DatabaseConnection, text: string, id: string): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw(text));
    } catch (error) {
      if (claimLost(error)) throw new ClaimLostError(id);
      this.broken = true;
      throw error;
    }
  }

  private async rollback(): Promise<void> {
    await this.held?.connection.executeQuery(CompiledQuery.raw('rollback')).catch(() => {
      this.broken = true;
    });
  }

  /** The held connection; a new one after a failure that may have left the old one unusable. */
  private async connection(): Promise<DatabaseConnection> {
    if (this.held && this.broken) {
      // Never back to the pool inside a transaction.
      await this.rollback();
      await this.release();
    }
    this.broken = false;
    if (!this.held) {
      const held = await holdConnection(this.db);
      // For as long as the lane holds it (set once rather than with each record).
      if (!this.durable)
        await held.connection
          .executeQuery(CompiledQuery.raw('set synchronous_commit = off'))
          .catch((error) => {
            held.release();
            throw error;
          });
      this.held = held;
    }
    return this.held.connection;
  }
}

/**
 * A pooled connection held until `release`. Taken from Kysely's executor directly: the query
 * builder's per-connection instance costs more CPU than the statements it would run.
 */
function holdConnection(db: Db): Promise<{ connection: DatabaseConnection; release: () => void }> {
  return new Promise((resolve, reject) => {
    db.getExecutor()
      .provideConnection(
        (connection) => new Promise<void>((release) => resolve({ connection, release: () => release() })),
      )
      .catch(reject);
  });
}
