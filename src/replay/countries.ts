/**
 * Country names as the Northwind and Online Retail files spell them, mapped
 * to ISO 3166-1 alpha-2 codes. A name missing here makes its rows rejected
 * rather than guessed.
 */
const COUNTRY_CODES: Readonly<Record<string, string>> = {
  Argentina: 'AR',
  Australia: 'AU',
  Austria: 'AT',
  Bahrain: 'BH',
  Belgium: 'BE',
  Brazil: 'BR',
  Canada: 'CA',
  Cyprus: 'CY',
  'Czech Republic': 'CZ',
  Denmark: 'DK',
  EIRE: 'IE',
  Finland: 'FI',
  France: 'FR',
  Germany: 'DE',
  Greece: 'GR',
  'Hong Kong': 'HK',
  Iceland: 'IS',
  Ireland: 'IE',
  Israel: 'IL',
  Italy: 'IT',
  Japan: 'JP',
  Lebanon: 'LB',
  Lithuania: 'LT',
  Malta: 'MT',
  Mexico: 'MX',
  Netherlands: 'NL',
  Norway: 'NO',
  Poland: 'PL',
  Portugal: 'PT',
  RSA: 'ZA',
  'Saudi Arabia': 'SA',
  Singapore: 'SG',
  'South Africa': 'ZA',
  Spain: 'ES',
  Sweden: 'SE',
  Switzerland: 'CH',
  UK: 'GB',
  'United Arab Emirates': 'AE',
  'United Kingdom': 'GB',
  'United States': 'US',
  USA: 'US',
  Venezuela: 'VE',
  // The Channel Islands are two Crown Dependencies, Jersey (JE) and Guernsey
  // (GG), and the data does not say which. Both are outside the UK VAT area,
  // so the tax treatment is the same whichever is chosen.
  'Channel Islands': 'JE',
};

/**
 * Names that stand for no single country. Their buyers are treated as being
 * in the seller's country, because without evidence of export a seller
 * charges its domestic tax.
 */
const NAMES_WITHOUT_A_COUNTRY: ReadonlySet<string> = new Set(['Unspecified', 'European Community']);

export type CountryLookup =
  | { kind: 'mapped'; countryCode: string }
  | { kind: 'seller_country'; countryCode: string }
  | { kind: 'unknown' };

/** Maps a source country name to ISO 3166-1 alpha-2, falling back to the seller's country for the names above. */
export function lookUpCountry(name: string, sellerCountryCode: string): CountryLookup {
  const trimmed = name.trim();
  const code = Object.hasOwn(COUNTRY_CODES, trimmed) ? COUNTRY_CODES[trimmed] : undefined;
  if (code !== undefined) return { kind: 'mapped', countryCode: code };
  if (NAMES_WITHOUT_A_COUNTRY.has(trimmed)) return { kind: 'seller_country', countryCode: sellerCountryCode };
  return { kind: 'unknown' };
}
