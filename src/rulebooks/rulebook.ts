/**
 * Rulebooks: the regulatory regime a complaint falls under, chosen by the country of the unit that
 * handles it (and, once legal entities exist, by the entity's jurisdiction). A rulebook names the
 * regulator, the ombudsman the customer may refer to, the currency, and the clock policies that
 * apply to complaints. Letters, clocks, currency and returns all follow the rulebook.
 *
 * Pure data and functions: no I/O. Every fact carries its source; docs/regulatory-rules.md lists
 * them with the tests that check them.
 */
export const rulebookKeys = ['uk-fca', 'ie-cbi', 'us-cfpb'] as const;
export type RulebookKey = (typeof rulebookKeys)[number];

export interface Ombudsman {
  name: string;
  shortName: string;
  address: string;
  phone: string;
  website: string;
  /** Where the ombudsman's explanatory leaflet (or consumer guide) can be read. */
  leafletUrl: string;
}

export interface Rulebook {
  key: RulebookKey;
  name: string;
  /** ISO 3166-1 alpha-2 country the rulebook governs. */
  jurisdiction: 'GB' | 'IE' | 'US';
  regulator: string;
  currency: 'GBP' | 'EUR' | 'USD';
  ombudsman: Ombudsman;
  /** Clock policy for complaints in general, and for payment-services / e-money complaints. */
  complaintPolicy: string;
  paymentServicesPolicy: string | null;
  source: string;
}

/** FOS contact details: financial-ombudsman.org.uk (contact us). */
const fos: Ombudsman = {
  name: 'Financial Ombudsman Service',
  shortName: 'FOS',
  address: 'Exchange Tower, London E14 9SR',
  phone: '0800 023 4567 or 0300 123 9123',
  website: 'www.financial-ombudsman.org.uk',
  leafletUrl: 'https://www.financial-ombudsman.org.uk/consumers/complaints-can-help',
};

/** FSPO contact details: fspo.ie (contact us). */
const fspo: Ombudsman = {
  name: 'Financial Services and Pensions Ombudsman',
  shortName: 'FSPO',
  address: 'Lincoln House, Lincoln Place, Dublin 2, D02 VH29',
  phone: '+353 1 567 7000',
  website: 'www.fspo.ie',
  leafletUrl: 'https://www.fspo.ie/make-a-complaint/',
};

/** CFPB consumer complaint contact: consumerfinance.gov/complaint. */
const cfpb: Ombudsman = {
  name: 'Consumer Financial Protection Bureau',
  shortName: 'CFPB',
  address: 'Consumer Financial Protection Bureau, P.O. Box 27170, Washington, DC 20038',
  phone: '(855) 411-2372',
  website: 'www.consumerfinance.gov/complaint',
  leafletUrl: 'https://www.consumerfinance.gov/complaint/',
};

export const rulebooks: Record<RulebookKey, Rulebook> = {
  'uk-fca': {
    key: 'uk-fca', name: 'United Kingdom: FCA DISP', jurisdiction: 'GB', regulator: 'Financial Conduct Authority',
    currency: 'GBP', ombudsman: fos, complaintPolicy: 'fca-disp', paymentServicesPolicy: 'fca-psd',
    source: 'FCA Handbook DISP 1 (complaint handling), DISP 2 (FOS jurisdiction)',
  },
  'ie-cbi': {
    key: 'ie-cbi', name: 'Ireland: Central Bank Consumer Protection Code', jurisdiction: 'IE', regulator: 'Central Bank of Ireland',
    currency: 'EUR', ombudsman: fspo, complaintPolicy: 'cbi-cpc', paymentServicesPolicy: 'cbi-psd',
    source: 'Central Bank (Supervision and Enforcement) Act 2013 (Section 48(1)) (Consumer Protection) Regulations 2025, complaints resolution; S.I. No. 6 of 2018 reg. 124',
  },
  'us-cfpb': {
    key: 'us-cfpb', name: 'United States: CFPB', jurisdiction: 'US', regulator: 'Consumer Financial Protection Bureau',
    currency: 'USD', ombudsman: cfpb, complaintPolicy: 'cfpb', paymentServicesPolicy: null,
    source: 'CFPB company portal practice; 12 CFR 1005.11 (Regulation E); 12 CFR 1026.13 (Regulation Z)',
  },
};

/**
 * The rulebook for a unit's country code (ISO 3166, optionally with a subdivision: GB-SCT, IE, US-NY).
 * The UK's constituent countries (GB-ENG, GB-SCT, GB-WLS, GB-NIR) and the Crown dependencies'
 * UK-served firms fall under the FCA; an unknown or missing country falls back to the UK rulebook
 * (the product's home default), which the organisation's units can override by setting a country.
 */
export function rulebookForCountry(country: string | null | undefined): Rulebook {
  const code = (country ?? '').toUpperCase().split('-')[0];
  if (code === 'IE') return rulebooks['ie-cbi'];
  if (code === 'US') return rulebooks['us-cfpb'];
  return rulebooks['uk-fca'];
}

export function getRulebook(key: RulebookKey): Rulebook {
  return rulebooks[key];
}

/** Format an amount in the rulebook's currency, e.g. £35.00, €35.00, $35.00. */
export function formatMoney(amount: number, currency: Rulebook['currency']): string {
  const locale = currency === 'GBP' ? 'en-GB' : currency === 'EUR' ? 'en-IE' : 'en-US';
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount);
}
