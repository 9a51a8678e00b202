/**
 * ISO 4217 minor-unit exponents. A currency missing here is rejected rather
 * than guessed, because a wrong exponent scales every amount by a power of ten.
 */
const MINOR_UNIT_EXPONENTS: Readonly<Record<string, number>> = {
  // exponent 0
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0,
  RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // exponent 3
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // exponent 4
  CLF: 4, UYW: 4,
  // exponent 2
  AED: 2, ARS: 2, AUD: 2, BGN: 2, BRL: 2, CAD: 2, CHF: 2, CNY: 2, COP: 2,
  CZK: 2, DKK: 2, EGP: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2,
  INR: 2, MAD: 2, MXN: 2, MYR: 2, NGN: 2, NOK: 2, NZD: 2, PEN: 2, PHP: 2,
  PKR: 2, PLN: 2, QAR: 2, RON: 2, RSD: 2, RUB: 2, SAR: 2, SEK: 2, SGD: 2,
  THB: 2, TRY: 2, TWD: 2, UAH: 2, USD: 2, ZAR: 2,
};

export type CurrencyCode = string;

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(MINOR_UNIT_EXPONENTS, code);
}

/** Returns the ISO 4217 exponent: 2 for EUR (cents), 0 for JPY, 3 for BHD. */
export function minorUnitExponent(currency: CurrencyCode): number {
  const exponent = MINOR_UNIT_EXPONENTS[currency];
  if (exponent === undefined) {
    throw new Error(`Unknown currency "${currency}": add its ISO 4217 exponent to MINOR_UNIT_EXPONENTS`);
  }
  return exponent;
}
