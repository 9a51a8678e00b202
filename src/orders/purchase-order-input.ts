import { z } from 'zod';

import { Dec } from '../money/index.js';
import { DECIMAL_STRING } from '../platform/validation.js';
import { calendarDate, numericString } from '../shared/field-schemas.js';

// calendarDate also rejects dates that do not exist, such as 2024-02-30, which PostgreSQL would raise as an error.
const date = calendarDate;

// Quantities and prices fit numeric(18, 6) and discounts numeric(7, 4), as in
// the schema, so nothing the customer sent is rounded away or overflows.
const quantity = numericString(18, 6).refine((text) => /[1-9]/.test(text), 'must be greater than zero');
const unitPrice = numericString(18, 6);
const discountPercent = numericString(7, 4).refine(
  (text) => !DECIMAL_STRING.test(text) || new Dec(text).lte(100),
  'must be from 0 to 100',
);

export const addressSchema = z.object({
  name: z.string().min(1),
  line1: z.string().min(1),
  line2: z.string().nullish(),
  city: z.string().min(1),
  region: z.string().nullish(),
  postalCode: z.string().nullish(),
  countryCode: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as "DE"'),
});

export type AddressInput = z.infer<typeof addressSchema>;

/** A customer's purchase order as any channel submits it. */
export const purchaseOrderSchema = z.object({
  customerCode: z.string().min(1),
  customerPoNumber: z.string().min(1).max(100).nullish(),
  channel: z.enum(['api', 'web', 'clerk', 'edi', 'csv', 'replay']).default('api'),
  shipTo: addressSchema.nullish(),
  requestedDeliveryDate: date.nullish(),
  lines: z
    .array(
      z.object({
        sku: z.string().min(1),
        // No sign is allowed, so any non-zero digit means the quantity is above zero.
        quantity,
        expectedUnitPrice: unitPrice.nullish(),
        discountPercent: discountPercent.nullish(),
        requestedDate: date.nullish(),
      }),
    )
    .min(1, 'a purchase order needs at least one line')
    .max(1000, 'a purchase order may have at most 1000 lines'),
});

export type PurchaseOrderInput = z.input<typeof purchaseOrderSchema>;
export type PurchaseOrder = z.output<typeof purchaseOrderSchema>;
