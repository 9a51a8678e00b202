import { sql } from 'kysely';

import type { Tx } from '../../platform/command.js';

/**
 * Takes the next number of a gapless series (invoices 'INV', credit notes
 * 'CN') per company and fiscal year. The counter row stays locked until the
 * transaction ends, so a rolled-back invoice gives its number back and no
 * two invoices share one.
 */
export async function nextDocumentNumber(
  trx: Tx,
  request: { companyId: string; series: string; fiscalYear: number },
): Promise<{ sequenceNumber: bigint; documentNumber: string }> {
  const counter = await sql<{ last_number: bigint }>`
    INSERT INTO document_counter (company_id, series, fiscal_year, last_number)
    VALUES (${request.companyId}, ${request.series}, ${request.fiscalYear}, 1)
    ON CONFLICT (company_id, series, fiscal_year)
      DO UPDATE SET last_number = document_counter.last_number + 1
    RETURNING last_number
  `.execute(trx);

  const sequenceNumber = BigInt(counter.rows[0]!.last_number);
  const documentNumber = `${request.series}-${request.fiscalYear}-${sequenceNumber.toString().padStart(6, '0')}`;
  return { sequenceNumber, documentNumber };
}
