import { z } from 'zod';

import { DECIMAL_STRING } from '../platform/validation.js';
import { calendarDate } from '../shared/field-schemas.js';

const decimal = (what: string) => z.string().regex(DECIMAL_STRING, `${what} must be a decimal string such as "12.50"`);
// calendarDate also rejects dates that do not exist, such as 2024-02-30, which PostgreSQL would raise as an error.
const date = calendarDate;

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
        quantity: decimal('quantity').refine((text) => /[1-9]/.test(text), 'quantity must be greater than zero'),
        expectedUnitPrice: decimal('expectedUnitPrice').nullish(),
        discountPercent: decimal('discountPercent').nullish(),
        requestedDate: date.nullish(),
      }),
    )
    .min(1, 'a purchase order needs at least one line')
    .max(1000, 'a purchase order may have at most 1000 lines'),
});

export type PurchaseOrderInput = z.input<typeof purchaseOrderSchema>;
export type PurchaseOrder = z.output<typeof purchaseOrderSchema>;
