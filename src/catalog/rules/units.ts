/**
 * Short English names of common units of measure, by UN/ECE Recommendation 20
 * code, the unit codes that EDI messages and EN 16931 invoices carry. Codes
 * starting with X are Recommendation 21 package types with an X prefix, which
 * the same code lists accept as units.
 *
 * NOTE: this is a subset of 37 codes. A valid Recommendation 20 code
 * that is missing here is rejected by isRec20UnitCode until it is added.
 */
export const REC20_UNIT_NAMES: Readonly<Record<string, string>> = {
  // counts
  C62: 'one',
  H87: 'piece',
  EA: 'each',
  SET: 'set',
  PR: 'pair',
  DZN: 'dozen',
  // mass
  KGM: 'kilogram',
  GRM: 'gram',
  TNE: 'tonne (metric ton)',
  LBR: 'pound',
  ONZ: 'ounce (avoirdupois)',
  // volume
  LTR: 'litre',
  MLT: 'millilitre',
  MTQ: 'cubic metre',
  GLL: 'gallon (US)',
  // length and area
  MTR: 'metre',
  CMT: 'centimetre',
  MMT: 'millimetre',
  KMT: 'kilometre',
  INH: 'inch',
  FOT: 'foot',
  MTK: 'square metre',
  // time
  SEC: 'second',
  MIN: 'minute',
  HUR: 'hour',
  DAY: 'day',
  WEE: 'week',
  MON: 'month',
  ANN: 'year',
  // energy
  KWH: 'kilowatt hour',
  // packages (Recommendation 21 with an X prefix)
  XBX: 'box',
  XPK: 'package',
  XCT: 'carton',
  XPX: 'pallet',
  XCS: 'case',
  XBG: 'bag',
  XBO: 'bottle',
};

/** Returns whether `code` is one of the codes in REC20_UNIT_NAMES, compared case-sensitively. */
export function isRec20UnitCode(code: string): boolean {
  return Object.hasOwn(REC20_UNIT_NAMES, code);
}

/** Returns the English name of a unit code, or undefined for a code not in REC20_UNIT_NAMES. */
export function unitName(code: string): string | undefined {
  return isRec20UnitCode(code) ? REC20_UNIT_NAMES[code] : undefined;
}
