import { createProduct } from '../catalog/commands/create-product.js';
import { formatMinorUnits } from '../money/index.js';
import { createCustomer } from '../parties/commands/create-customer.js';
import type { CommandContext } from '../platform/command.js';
import { defaultPriceListCode } from '../platform/company/setup-company.js';
import type { Result } from '../platform/rejection.js';
import { setPrice } from '../pricing/commands/set-price.js';
import { setTaxRate, type SetTaxRateInput } from '../tax/commands/set-tax-rate.js';
import { PAYMENT_TERMS, type ReplayDataset, type ReplayAddress } from './model.js';

/** Payment terms codes of the readers, mapped to the company's standard terms. */
const TERMS_CODE: Record<string, string> = {
  [PAYMENT_TERMS.net30]: 'NET30',
  [PAYMENT_TERMS.twoTenNet30]: '2/10 NET30',
  [PAYMENT_TERMS.dueOnReceipt]: 'DUE_ON_RECEIPT',
};

/**
 * Tax rates of each replayed seller, as documented in docs/replay.md.
 * Northwind records no tax at all, so its sales are outside the scope of
 * VAT (O). The UK wholesaler charges 20 % standard-rate VAT at home and
 * zero-rates sales shipped abroad as exports (G).
 */
export function taxRatesFor(dataset: ReplayDataset): SetTaxRateInput[] {
  if (dataset.sellerCountryCode === 'GB') {
    return [
      { countryCode: 'GB', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: '20' },
      { countryCode: 'GB', taxCategory: 'zero', vatCategoryCode: 'Z', ratePercent: '0' },
      { countryCode: '*', taxCategory: 'standard', vatCategoryCode: 'G', ratePercent: '0' },
      { countryCode: '*', taxCategory: 'zero', vatCategoryCode: 'G', ratePercent: '0' },
      { countryCode: '*', taxCategory: 'exempt', vatCategoryCode: 'E', ratePercent: '0' },
      { countryCode: 'GB', taxCategory: 'exempt', vatCategoryCode: 'E', ratePercent: '0' },
    ];
  }
  return (['standard', 'reduced', 'zero', 'exempt'] as const).map((taxCategory) => ({
    countryCode: '*',
    taxCategory,
    vatCategoryCode: 'O',
    ratePercent: '0',
  }));
}

/** Creates tax rates, customers, products and prices through the normal commands. */
export async function loadMasterData(ctx: CommandContext, dataset: ReplayDataset): Promise<void> {
  for (const rate of taxRatesFor(dataset)) {
    expectSuccess(await setTaxRate(ctx, rate), `tax rate ${rate.countryCode}/${rate.taxCategory}`);
  }

  for (const customer of dataset.customers) {
    const address = toAddress(customer.name, customer.address);
    expectSuccess(
      await createCustomer(ctx, {
        code: customer.code,
        name: customer.name,
        currency: customer.currency,
        paymentTermsCode: TERMS_CODE[customer.paymentTermsCode] ?? customer.paymentTermsCode,
        creditLimit: customer.creditLimitMinor === null ? null : formatMinorUnits(customer.creditLimitMinor, customer.currency),
        billTo: address,
        shipTo: [address],
      }),
      `customer ${customer.code}`,
    );
  }

  for (const product of dataset.products) {
    expectSuccess(
      await createProduct(ctx, {
        sku: product.sku,
        name: product.name,
        unitCode: product.unitCode,
        taxCategory: product.taxCategory,
        standardCost: product.standardCost.toString(),
        replenishmentLeadTimeDays: product.replenishmentLeadTimeDays,
        stocked: product.stocked,
      }),
      `product ${product.sku}`,
    );
  }

  const priceListCode = defaultPriceListCode(dataset.currency);
  for (const entry of dataset.priceList) {
    expectSuccess(
      await setPrice(ctx, {
        priceListCode,
        sku: entry.sku,
        unitPrice: entry.unitPrice.toString(),
        minQuantity: entry.minQuantity.toString(),
        customerCode: entry.customerCode,
        validFrom: entry.validFrom,
        validTo: entry.validTo,
      }),
      `price of ${entry.sku} from ${entry.validFrom}`,
    );
  }
}

function toAddress(name: string, address: ReplayAddress) {
  // Both sources leave some address parts empty. The customer record needs a
  // street and a city, so those fields state that the source had none.
  return {
    name,
    line1: address.line1 ?? 'not recorded',
    city: address.city ?? 'not recorded',
    region: address.region,
    postalCode: address.postalCode,
    countryCode: address.countryCode,
  };
}

/** Master data from a reader is valid by construction; a rejection here is a bug in the reader. */
function expectSuccess<T>(result: Result<T>, what: string): T {
  if (!result.ok) {
    throw new Error(`Replay could not create ${what}: ${result.rejection.code}: ${result.rejection.message}`);
  }
  return result.value;
}
