import { Dec } from '../money/index.js';
import type { Tx } from '../platform/command.js';
import { rejectAndRollBack } from '../platform/rejection.js';
import { computeLineAmount, unitPricesMatch } from '../pricing/rules/line-amount.js';
import { selectPrice, type PriceListEntry } from '../pricing/rules/price-selection.js';
import { determineTax, type ProductTaxCategory, type TaxRateRow } from '../tax/rules/tax-rate.js';
import type { HoldToPlace } from './holds.js';

export interface LineToPrice {
  /** Index in the request, for error pointers such as /lines/2/sku. */
  index: number;
  productId: string;
  sku: string;
  taxCategory: ProductTaxCategory;
  quantity: Dec;
  expectedUnitPrice: Dec | null;
  discountPercent: Dec;
}

export interface PricedLine extends LineToPrice {
  unitPrice: Dec;
  /** Net for tax-exclusive price lists, gross for tax-inclusive ones. */
  lineAmountMinor: bigint;
  vatCategoryCode: string;
  ratePercent: Dec;
}

export interface PricingContext {
  companyId: string;
  customerId: string;
  customerTaxExempt: boolean;
  priceListId: string;
  currency: string;
  orderDate: string;
  shipToCountry: string;
}

/**
 * Prices and taxes order lines from the price list and the tax table. A line
 * without a price or tax rate rolls the transaction back; an expected price
 * that differs from the list price becomes a `price_mismatch` hold.
 */
export async function priceOrderLines(
  trx: Tx,
  context: PricingContext,
  lines: readonly LineToPrice[],
): Promise<{ lines: PricedLine[]; holds: HoldToPlace[] }> {
  const entries = await loadPriceEntries(trx, context, lines.map((line) => line.productId));
  const rates = await loadTaxRates(trx, context.companyId);

  const priced: PricedLine[] = [];
  const mismatches: Record<string, unknown>[] = [];

  for (const line of lines) {
    const entry = selectPrice({
      entries,
      productId: line.productId,
      customerId: context.customerId,
      quantity: line.quantity,
      onDate: context.orderDate,
    });
    if (!entry) {
      rejectAndRollBack(
        'price_missing',
        `No price for SKU ${line.sku} on ${context.orderDate} in the customer's price list; add a price list item or correct the SKU.`,
        { sku: line.sku, orderDate: context.orderDate, quantity: line.quantity.toString() },
        `/lines/${line.index}/sku`,
      );
    }

    // NOTE: a tax-exempt customer on a tax-inclusive price list pays the list
    // price as its net amount. The VAT that the list price includes is not taken off.
    const tax = determineTax({
      taxCategory: line.taxCategory,
      shipToCountry: context.shipToCountry,
      customerTaxExempt: context.customerTaxExempt,
      rates,
    });
    if (!tax.ok) {
      rejectAndRollBack(
        'tax_rate_missing',
        `No tax rate for tax category ${line.taxCategory} shipped to ${context.shipToCountry}; add a tax rate for that country or '*'.`,
        { sku: line.sku, ...tax.facts },
        `/lines/${line.index}/sku`,
      );
    }

    if (line.expectedUnitPrice !== null && !unitPricesMatch(line.expectedUnitPrice, entry.unitPrice)) {
      mismatches.push({
        line: line.index + 1,
        sku: line.sku,
        expectedUnitPrice: line.expectedUnitPrice.toString(),
        listUnitPrice: entry.unitPrice.toString(),
      });
    }

    priced.push({
      ...line,
      unitPrice: entry.unitPrice,
      lineAmountMinor: computeLineAmount({
        quantity: line.quantity,
        unitPrice: entry.unitPrice,
        discountPercent: line.discountPercent,
        currency: context.currency,
      }),
      vatCategoryCode: tax.vatCategoryCode,
      ratePercent: tax.ratePercent,
    });
  }

  const holds: HoldToPlace[] = mismatches.length > 0 ? [{ reason: 'price_mismatch', facts: { lines: mismatches } }] : [];
  return { lines: priced, holds };
}

async function loadPriceEntries(trx: Tx, context: PricingContext, productIds: readonly string[]): Promise<PriceListEntry[]> {
  if (productIds.length === 0) return [];
  const rows = await trx
    .selectFrom('price_list_item')
    .select(['product_id', 'customer_id', 'min_quantity', 'unit_price', 'valid_from', 'valid_to'])
    .where('price_list_id', '=', context.priceListId)
    .where('product_id', 'in', [...new Set(productIds)])
    .where((eb) => eb.or([eb('customer_id', 'is', null), eb('customer_id', '=', context.customerId)]))
    .execute();

  return rows.map((row) => ({
    productId: row.product_id,
    customerId: row.customer_id,
    minQuantity: new Dec(row.min_quantity),
    unitPrice: new Dec(row.unit_price),
    validFrom: row.valid_from,
    validTo: row.valid_to,
  }));
}

async function loadTaxRates(trx: Tx, companyId: string): Promise<TaxRateRow[]> {
  const rows = await trx.selectFrom('tax_rate').selectAll().where('company_id', '=', companyId).execute();
  return rows.map((row) => ({
    countryCode: row.country_code,
    taxCategory: row.tax_category as ProductTaxCategory,
    vatCategoryCode: row.vat_category_code,
    ratePercent: new Dec(row.rate_percent),
  }));
}
