import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { Dec } from '../../money/index.js';
import { reserveStock } from '../../inventory/store/stock-reservation.js';
import { retryOnDuplicateKey, runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { checkCredit } from '../../receivables/rules/credit-check.js';
import { loadExposureParts } from '../../receivables/store/credit-exposure.js';
import { toCalendarDate } from '../../shared/calendar-date.js';
import { computeDocumentTotals } from '../../tax/rules/document-totals.js';
import { creditHoldFacts } from '../credit-hold-facts.js';
import { placeHolds, type HoldToPlace } from '../holds.js';
import { priceOrderLines, type PricedLine } from '../price-order-lines.js';
import { purchaseOrderSchema, type PurchaseOrder, type PurchaseOrderInput } from '../purchase-order-input.js';
import { getOrder, type OrderView } from '../queries/get-order.js';
import { compareLockOrder } from '../store/order-store.js';
import type { OrderSnapshot } from '../rules/order-lifecycle.js';
import { promiseShipDate } from '../rules/promise-date.js';
import { transitionOrder } from '../transition-order.js';
import { lockCustomerByCode, resolvePriceList, resolveShipTo, type CustomerRow } from '../store/order-parties.js';

export interface SubmitOrderOptions {
  /** The channel's retry key: the same key returns the first order. */
  idempotencyKey?: string | null;
}

export interface SubmitOrderOutcome {
  /** False when the submission repeated an earlier one and nothing was created. */
  created: boolean;
  order: OrderView;
}

/**
 * Turns a purchase order into a sales order in one transaction: priced,
 * taxed, credit-checked, stock reserved, then confirmed or put on hold with
 * every reason. Repeating the same Idempotency-Key, or the same customer PO
 * number for the same customer, returns the existing order.
 */
export async function submitOrder(
  ctx: CommandContext,
  input: PurchaseOrderInput,
  options: SubmitOrderOptions = {},
): Promise<Result<SubmitOrderOutcome>> {
  const validated = validateInput(purchaseOrderSchema, input);
  if (!validated.ok) return validated;

  return retryOnDuplicateKey(['sales_order_idempotency', 'sales_order_customer_po'], () =>
    runCommand(ctx, 'submit-order', (trx) => intake(trx, ctx, validated.value, options.idempotencyKey ?? null)),
  );
}

async function intake(
  trx: Tx,
  ctx: CommandContext,
  po: PurchaseOrder,
  idempotencyKey: string | null,
): Promise<SubmitOrderOutcome> {
  const startedAt = performance.now();
  const receivedAt = ctx.clock.now();

  if (idempotencyKey !== null) {
    const repeated = await findOrderByIdempotencyKey(trx, ctx.companyId, idempotencyKey);
    if (repeated) return repeatedSubmission(trx, ctx, repeated, po);
  }

  // Locking the customer serialises credit decisions per customer, so two
  // orders cannot both fit under the same remaining limit.
  const customer = await lockCustomerByCode(trx, ctx.companyId, po.customerCode);

  if (po.customerPoNumber) {
    const repeated = await trx
      .selectFrom('sales_order')
      .select(['id', 'customer_id', 'customer_po_number', 'idempotency_key'])
      .where('company_id', '=', ctx.companyId)
      .where('customer_id', '=', customer.id)
      .where('customer_po_number', '=', po.customerPoNumber)
      .executeTakeFirst();
    if (repeated) return { created: false, order: await getOrder(trx, ctx.companyId, repeated.id) };
  }

  const priceList = await resolvePriceList(trx, ctx.companyId, customer);
  const shipTo = await resolveShipTo(trx, customer, po.shipTo ?? null);
  const orderDate = toCalendarDate(receivedAt);

  const products = await loadProductsBySku(trx, ctx.companyId, po);
  const priced = await priceOrderLines(
    trx,
    {
      companyId: ctx.companyId,
      customerId: customer.id,
      customerTaxExempt: customer.tax_exempt,
      priceListId: priceList.id,
      currency: customer.currency,
      orderDate,
      shipToCountry: shipTo.countryCode,
    },
    po.lines.map((line, index) => {
      const product = products.get(line.sku)!;
      return {
        index,
        productId: product.id,
        sku: line.sku,
        taxCategory: product.tax_category,
        quantity: new Dec(line.quantity),
        expectedUnitPrice: line.expectedUnitPrice ? new Dec(line.expectedUnitPrice) : null,
        discountPercent: new Dec(line.discountPercent ?? '0'),
      };
    }),
  );

  const totals = computeDocumentTotals(
    priced.lines.map((line) => ({ lineAmountMinor: line.lineAmountMinor, vatCategoryCode: line.vatCategoryCode, ratePercent: line.ratePercent })),
    priceList.prices_include_tax,
    customer.currency,
  );

  const holds: HoldToPlace[] = [...priced.holds];
  if (customer.blocked) {
    holds.push({ reason: 'customer_blocked', facts: { customerCode: customer.code } });
  }
  const credit = await checkCustomerCredit(trx, customer, totals.grossMinor);
  if (credit) holds.push(credit);

  const orderId = await insertOrder(trx, ctx, {
    po,
    customer,
    priceList,
    shipTo,
    orderDate,
    receivedAt,
    idempotencyKey,
    totals,
  });
  const lineIds = await insertLines(trx, ctx.companyId, orderId, po, priced.lines, products);

  await appendHistory(trx, {
    companyId: ctx.companyId,
    entityType: 'sales_order',
    entityId: orderId,
    orderId,
    event: 'received',
    toStatus: 'draft',
    actor: ctx.actor,
    details: { channel: po.channel, customerPoNumber: po.customerPoNumber ?? null, lines: po.lines.length },
    occurredAt: receivedAt,
  });

  const reservation = await reserveLines(trx, ctx.companyId, orderDate, po, priced.lines, lineIds, products);
  if (reservation.shortage) holds.push(reservation.shortage);

  await placeHolds(trx, { companyId: ctx.companyId, orderId, actor: ctx.actor, at: receivedAt }, holds);

  // The new order's lines are known here, so the guards need no second read.
  const snapshot: OrderSnapshot = {
    activeHoldCount: holds.length,
    lines: priced.lines.map((line, position) => ({
      ordered: line.quantity,
      reserved: reservation.reserved[position]!,
      shipped: new Dec(0),
      invoiced: new Dec(0),
      returned: new Dec(0),
      cancelled: new Dec(0),
    })),
  };
  await transitionOrder(trx, {
    companyId: ctx.companyId,
    orderId,
    from: 'draft',
    action: 'submit',
    snapshot,
    actor: ctx.actor,
    at: receivedAt,
    reason: holds.length > 0 ? holds.map((hold) => hold.reason).join(', ') : null,
  });

  const processingMs = (performance.now() - startedAt).toFixed(3);
  await trx.updateTable('sales_order').set({ processing_ms: processingMs }).where('id', '=', orderId).execute();

  return { created: true, order: await getOrder(trx, ctx.companyId, orderId) };
}

async function findOrderByIdempotencyKey(trx: Tx, companyId: string, key: string) {
  return trx
    .selectFrom('sales_order')
    .innerJoin('customer', 'customer.id', 'sales_order.customer_id')
    .select(['sales_order.id', 'customer.code as customer_code', 'sales_order.customer_po_number'])
    .where('sales_order.company_id', '=', companyId)
    .where('sales_order.idempotency_key', '=', key)
    .executeTakeFirst();
}

async function repeatedSubmission(
  trx: Tx,
  ctx: CommandContext,
  repeated: { id: string; customer_code: string; customer_po_number: string | null },
  po: PurchaseOrder,
): Promise<SubmitOrderOutcome> {
  const sameRequest =
    repeated.customer_code === po.customerCode && (repeated.customer_po_number ?? null) === (po.customerPoNumber ?? null);
  if (!sameRequest) {
    rejectAndRollBack(
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different purchase order; send a new key for a new order.',
      { existingOrderId: repeated.id, customerCode: po.customerCode, customerPoNumber: po.customerPoNumber ?? null },
    );
  }
  return { created: false, order: await getOrder(trx, ctx.companyId, repeated.id) };
}

type ProductRow = {
  id: string;
  sku: string;
  name: string;
  unit_code: string;
  tax_category: 'standard' | 'reduced' | 'zero' | 'exempt';
  replenishment_lead_time_days: number;
  stocked: boolean;
};

async function loadProductsBySku(trx: Tx, companyId: string, po: PurchaseOrder): Promise<Map<string, ProductRow>> {
  const skus = [...new Set(po.lines.map((line) => line.sku))];
  const rows = await trx
    .selectFrom('product')
    .select(['id', 'sku', 'name', 'unit_code', 'tax_category', 'replenishment_lead_time_days', 'stocked'])
    .where('company_id', '=', companyId)
    .where('sku', 'in', skus)
    .execute();
  const bySku = new Map(rows.map((row) => [row.sku, row]));

  const unknown = po.lines.map((line, index) => ({ index, sku: line.sku })).filter((line) => !bySku.has(line.sku));
  if (unknown.length > 0) {
    const first = unknown[0]!;
    rejectAndRollBack(
      'product_not_found',
      `Unknown SKU ${unknown.map((line) => line.sku).join(', ')}; correct the SKU or create the product first.`,
      { skus: unknown.map((line) => line.sku), lines: unknown.map((line) => line.index + 1) },
      `/lines/${first.index}/sku`,
    );
  }
  return bySku;
}

async function checkCustomerCredit(trx: Tx, customer: CustomerRow, orderGrossMinor: bigint): Promise<HoldToPlace | null> {
  if (customer.credit_limit_minor === null) return null;

  const parts = await loadExposureParts(trx, customer.id, null);
  const check = checkCredit({
    creditLimitMinor: customer.credit_limit_minor,
    openReceivablesMinor: parts.openReceivablesMinor,
    shippedNotInvoicedMinor: parts.shippedNotInvoicedMinor,
    confirmedNotShippedMinor: parts.confirmedNotShippedMinor,
    thisOrderMinor: orderGrossMinor,
  });
  if (check.withinLimit) return null;
  return { reason: 'credit_limit', facts: creditHoldFacts(check.facts, customer.currency) };
}

async function insertOrder(
  trx: Tx,
  ctx: CommandContext,
  order: {
    po: PurchaseOrder;
    customer: CustomerRow;
    priceList: { id: string; prices_include_tax: boolean };
    shipTo: Record<string, unknown>;
    orderDate: string;
    receivedAt: Date;
    idempotencyKey: string | null;
    totals: { netMinor: bigint; taxMinor: bigint; grossMinor: bigint };
  },
): Promise<string> {
  const inserted = await trx
    .insertInto('sales_order')
    .values({
      company_id: ctx.companyId,
      order_number: sql<string>`'SO-' || lpad(nextval('sales_order_number_seq')::text, 7, '0')`,
      customer_id: order.customer.id,
      customer_po_number: order.po.customerPoNumber ?? null,
      channel: order.po.channel,
      idempotency_key: order.idempotencyKey,
      status: 'draft',
      currency: order.customer.currency,
      prices_include_tax: order.priceList.prices_include_tax,
      price_list_id: order.priceList.id,
      payment_terms_code: order.customer.payment_terms_code,
      ship_to: JSON.stringify(order.shipTo),
      requested_delivery_date: order.po.requestedDeliveryDate ?? null,
      order_date: order.orderDate,
      received_at: order.receivedAt,
      net_minor: order.totals.netMinor,
      tax_minor: order.totals.taxMinor,
      gross_minor: order.totals.grossMinor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

async function insertLines(
  trx: Tx,
  companyId: string,
  orderId: string,
  po: PurchaseOrder,
  priced: readonly PricedLine[],
  products: Map<string, ProductRow>,
): Promise<string[]> {
  const rows = await trx
    .insertInto('sales_order_line')
    .values(
      priced.map((line) => {
        const product = products.get(line.sku)!;
        return {
          company_id: companyId,
          order_id: orderId,
          line_number: line.index + 1,
          product_id: line.productId,
          sku: line.sku,
          description: product.name,
          unit_code: product.unit_code,
          quantity_ordered: line.quantity.toString(),
          unit_price: line.unitPrice.toString(),
          expected_unit_price: line.expectedUnitPrice?.toString() ?? null,
          discount_percent: line.discountPercent.toString(),
          line_amount_minor: line.lineAmountMinor,
          vat_category_code: line.vatCategoryCode,
          tax_rate_percent: line.ratePercent.toString(),
          requested_date: po.lines[line.index]?.requestedDate ?? po.requestedDeliveryDate ?? null,
        };
      }),
    )
    .returning(['id', 'line_number'])
    .execute();

  const byNumber = new Map(rows.map((row) => [row.line_number, row.id]));
  return priced.map((line) => byNumber.get(line.index + 1)!);
}

/**
 * Reserves every line in lock order (`compareLockOrder`). Sets each line's
 * promised ship date, and returns what each line reserved (in line order)
 * and a `stock_shortage` hold for short lines.
 */
async function reserveLines(
  trx: Tx,
  companyId: string,
  orderDate: string,
  po: PurchaseOrder,
  priced: readonly PricedLine[],
  lineIds: readonly string[],
  products: Map<string, ProductRow>,
): Promise<{ shortage: HoldToPlace | null; reserved: Dec[] }> {
  const order = priced.map((line, position) => ({ line, lineId: lineIds[position]!, position }));
  const reserved: Dec[] = priced.map(() => new Dec(0));
  const promises: { lineId: string; date: string }[] = [];
  order.sort((a, b) => compareLockOrder({ productId: a.line.productId, lineNumber: a.line.index }, { productId: b.line.productId, lineNumber: b.line.index }));

  const shortLines: Record<string, unknown>[] = [];
  for (const { line, lineId, position } of order) {
    const product = products.get(line.sku)!;
    // Services and charges are never in stock, so there is nothing to reserve.
    const outcome = product.stocked
      ? await reserveStock(trx, { companyId, orderLineId: lineId, productId: line.productId, quantity: line.quantity })
      : { reserved: line.quantity };
    const fullyReserved = outcome.reserved.eq(line.quantity);
    reserved[position] = outcome.reserved;

    const promised = promiseShipDate({
      orderDate,
      requestedDate: po.lines[line.index]?.requestedDate ?? po.requestedDeliveryDate ?? null,
      fullyReserved,
      replenishmentLeadTimeDays: product.replenishment_lead_time_days,
    });
    promises.push({ lineId, date: promised });

    if (!fullyReserved) {
      shortLines.push({
        line: line.index + 1,
        sku: line.sku,
        requested: line.quantity.toString(),
        reserved: outcome.reserved.toString(),
        short: line.quantity.minus(outcome.reserved).toString(),
        promisedShipDate: promised,
      });
    }
  }
  await sql`
    UPDATE sales_order_line AS line SET promised_ship_date = promise.date::date
    FROM (VALUES ${sql.join(promises.map((promise) => sql`(${promise.lineId}::uuid, ${promise.date})`))}) AS promise (id, date)
    WHERE line.id = promise.id
  `.execute(trx);

  return { shortage: shortLines.length > 0 ? { reason: 'stock_shortage', facts: { lines: shortLines } } : null, reserved };
}

