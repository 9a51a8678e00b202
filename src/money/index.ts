export { isKnownCurrency, minorUnitExponent, type CurrencyCode } from './currency.js';
export { Dec, parseDecimal, isDecimalString } from './decimal.js';
export { toMinorUnits, fromMinorUnits, formatMinorUnits, allocateByLargestRemainder } from './money.js';
