import seedrandom from 'seedrandom';

/** The purchase orders the benchmark sends: no expected prices, discounts, dates or explicit ship-to. */
export interface BenchPurchaseOrder {
  customerCode: string;
  customerPoNumber: string;
  lines: { sku: string; quantity: string }[];
}

const MIN_LINES = 2;
const MAX_LINES = 5;
const MAX_QUANTITY = 10;

/**
 * Returns a generator of distinct, valid purchase orders: a random customer,
 * 2 to 5 lines of distinct products, 1 to 10 units each. The PO number is
 * `prefix` and a running number, so no two orders of one generator are
 * duplicates of each other. The same seed gives the same orders, so both
 * modes of one concurrency level receive the same mix.
 */
export function createPurchaseOrderSource(
  seed: string,
  prefix: string,
  customerCodes: readonly string[],
  skus: readonly string[],
): () => BenchPurchaseOrder {
  const random = seedrandom(seed);
  const pick = (count: number): number => Math.floor(random() * count);
  let sequence = 0;

  return () => {
    sequence += 1;
    const lineCount = MIN_LINES + pick(MAX_LINES - MIN_LINES + 1);
    const chosen = new Set<string>();
    while (chosen.size < lineCount) {
      chosen.add(skus[pick(skus.length)]!);
    }

    return {
      customerCode: customerCodes[pick(customerCodes.length)]!,
      customerPoNumber: `${prefix}-${String(sequence).padStart(8, '0')}`,
      lines: [...chosen].map((sku) => ({ sku, quantity: String(1 + pick(MAX_QUANTITY)) })),
    };
  };
}
