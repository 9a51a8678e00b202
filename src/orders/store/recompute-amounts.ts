import { Dec } from '../../money/index.js';
import type { Tx } from '../../platform/command.js';
import { computeLineAmount } from '../../pricing/rules/line-amount.js';
import { computeDocumentTotals } from '../../tax/rules/document-totals.js';
import type { OrderRow } from './order-store.js';

/**
 * Recomputes line amounts and order totals after a quantity change or a
 * cancellation. Amounts cover the effective quantity, ordered − cancelled.
 */
export async function recomputeOrderAmounts(trx: Tx, order: OrderRow): Promise<void> {
  const lines = await trx
    .selectFrom('sales_order_line')
    .select(['id', 'quantity_ordered', 'quantity_cancelled', 'unit_price', 'discount_percent', 'vat_category_code', 'tax_rate_percent'])
    .where('order_id', '=', order.id)
    .orderBy('line_number')
    .execute();

  const amounts = lines.map((line) =>
    computeLineAmount({
      quantity: new Dec(line.quantity_ordered).minus(line.quantity_cancelled),
      unitPrice: new Dec(line.unit_price),
      discountPercent: new Dec(line.discount_percent),
      currency: order.currency,
    }),
  );

  for (const [index, line] of lines.entries()) {
    await trx.updateTable('sales_order_line').set({ line_amount_minor: amounts[index]! }).where('id', '=', line.id).execute();
  }

  const totals = computeDocumentTotals(
    lines.map((line, index) => ({
      lineAmountMinor: amounts[index]!,
      vatCategoryCode: line.vat_category_code,
      ratePercent: new Dec(line.tax_rate_percent),
    })),
    order.prices_include_tax,
    order.currency,
  );
  await trx
    .updateTable('sales_order')
    .set({ net_minor: totals.netMinor, tax_minor: totals.taxMinor, gross_minor: totals.grossMinor })
    .where('id', '=', order.id)
    .execute();
}
