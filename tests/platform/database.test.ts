import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isSerializationOrDeadlock, isUniqueViolation, withDatabaseName } from '../../src/platform/database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});

afterAll(async () => {
  await database.drop();
});

async function selectOne(query: string): Promise<Record<string, unknown>> {
  const result = await database.pool.query(query);
  return result.rows[0] as Record<string, unknown>;
}

describe('type parsing', () => {
  it('reads int8 as bigint', async () => {
    const row = await selectOne("SELECT 9223372036854775807::int8 AS max, -42::int8 AS negative, count(*) AS counted FROM (VALUES (1), (2)) AS v(x)");

    expect(row.max).toBe(9223372036854775807n);
    expect(row.negative).toBe(-42n);
    expect(row.counted).toBe(2n);
  });

  it('reads numeric as an exact string', async () => {
    const row = await selectOne("SELECT 12345678901234567890.123456789::numeric AS long, 0.10::numeric(10, 2) AS scaled, 0.1::numeric + 0.2::numeric AS sum");

    expect(row.long).toBe('12345678901234567890.123456789');
    expect(row.scaled).toBe('0.10');
    expect(row.sum).toBe('0.3');
  });

  it('reads date as YYYY-MM-DD', async () => {
    // A Date would shift these by the local time zone; the session time zone must not matter either.
    await database.pool.query("SET TIME ZONE 'Pacific/Kiritimati'");
    const row = await selectOne("SELECT '2024-02-29'::date AS leap, '1999-12-31'::date AS eve");

    expect(row.leap).toBe('2024-02-29');
    expect(row.eve).toBe('1999-12-31');
  });

  it('reads arrays and nulls', async () => {
    const row = await selectOne(
      "SELECT ARRAY[1, NULL, 9007199254740993]::int8[] AS amounts, ARRAY['1.50', NULL]::numeric[] AS prices, " +
        "ARRAY['2024-01-31']::date[] AS dates, NULL::int8 AS no_amount, NULL::numeric AS no_price, NULL::date AS no_date",
    );

    expect(row.amounts).toEqual([1n, null, 9007199254740993n]);
    expect(row.prices).toEqual(['1.50', null]);
    expect(row.dates).toEqual(['2024-01-31']);
    expect(row.no_amount).toBeNull();
    expect(row.no_price).toBeNull();
    expect(row.no_date).toBeNull();
  });

  it('applies to Kysely queries', async () => {
    const result = await sql<{ amount: bigint; price: string; day: string }>`
      SELECT 5::int8 AS amount, 2.500::numeric AS price, '2025-03-01'::date AS day
    `.execute(database.db);

    expect(result.rows[0]).toEqual({ amount: 5n, price: '2.500', day: '2025-03-01' });
  });

  it('leaves the global pg parsers alone', async () => {
    const client = new pg.Client({ connectionString: database.connectionString });
    await client.connect();
    try {
      const result = await client.query("SELECT 7::int8 AS amount, 1.5::numeric AS price");

      expect(result.rows[0]).toEqual({ amount: '7', price: '1.5' });
    } finally {
      await client.end();
    }
  });
});

describe('error classification', () => {
  it('recognises a unique violation by constraint', async () => {
    await database.pool.query('CREATE TABLE invoice_number (series text, number int, CONSTRAINT invoice_number_unique UNIQUE (series, number))');
    await database.pool.query("INSERT INTO invoice_number VALUES ('INV', 1)");

    const error = await database.pool.query("INSERT INTO invoice_number VALUES ('INV', 1)").catch((caught: unknown) => caught);

    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'invoice_number_unique')).toBe(true);
    expect(isUniqueViolation(error, 'other_constraint')).toBe(false);
    expect(isSerializationOrDeadlock(error)).toBe(false);
  });

  it('recognises a serialization failure', async () => {
    await database.pool.query('CREATE TABLE ledger_line (amount int)');
    const first = await database.pool.connect();
    const second = await database.pool.connect();
    try {
      // Each transaction reads what the other writes, so one of the two cannot commit.
      await first.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      await second.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      await first.query('SELECT sum(amount) FROM ledger_line');
      await second.query('SELECT sum(amount) FROM ledger_line');
      await first.query('INSERT INTO ledger_line VALUES (1)');
      await second.query('INSERT INTO ledger_line VALUES (2)');
      await first.query('COMMIT');
      const error = await second.query('COMMIT').catch((caught: unknown) => caught);

      expect(isSerializationOrDeadlock(error)).toBe(true);
      expect(isUniqueViolation(error)).toBe(false);
    } finally {
      await second.query('ROLLBACK').catch(() => undefined);
      first.release();
      second.release();
    }
  });

  it('recognises a deadlock code', () => {
    expect(isSerializationOrDeadlock({ code: '40P01' })).toBe(true);
    expect(isSerializationOrDeadlock({ code: '40001' })).toBe(true);
  });

  it('rejects values that are not database errors', () => {
    for (const value of [undefined, null, 'x', new Error('boom'), { code: 40001 }, { code: 'ECONNRESET' }]) {
      expect(isSerializationOrDeadlock(value)).toBe(false);
      expect(isUniqueViolation(value)).toBe(false);
    }
  });
});

describe('withDatabaseName', () => {
  it('replaces only the database', () => {
    expect(withDatabaseName('postgres://root:secret@127.0.0.1:5432/test?sslmode=disable', 'o2c_t_1')).toBe(
      'postgres://root:secret@127.0.0.1:5432/o2c_t_1?sslmode=disable',
    );
  });
});
