import type { UnitKind } from '../db/schema/index.js';
import type { Outcome, Scale } from './conduct-rules.js';

/** The default 1–5 scale, each level defined so two assessors mean the same thing by a "3". */
export const defaultScale: Scale = {
  min: 1,
  max: 5,
  levels: [
    { score: 1, label: 'Inadequate', description: 'The practice is missing or routinely fails; customers are being harmed or are at clear risk.' },
    { score: 2, label: 'Weak', description: 'Some of the practice exists but with gaps that let poor outcomes through; no reliable evidence.' },
    { score: 3, label: 'Adequate', description: 'The practice works in most cases and is evidenced; known gaps are being fixed.' },
    { score: 4, label: 'Good', description: 'Consistently applied and evidenced, monitored with management information, exceptions acted on.' },
    { score: 5, label: 'Strong', description: 'Embedded and tested: outcomes are measured, independently checked and improving.' },
  ],
};

/** Cells below 3 ("weak" or "inadequate") are red and need an improvement action. */
export const defaultThreshold = 3;

export interface PresetPractice {
  code: string;
  outcomeKey: string;
  title: string;
  description: string;
  guidance: string;
  exampleEvidence: string[];
  unitKinds: UnitKind[];
  critical: boolean;
}

export interface Preset {
  key: 'tcf' | 'consumer-duty';
  name: string;
  description: string;
  outcomes: Outcome[];
  practices: PresetPractice[];
}

const front: UnitKind[] = ['region', 'team'];
const firmWide: UnitKind[] = ['division', 'region'];
const everywhere: UnitKind[] = ['division', 'region', 'team'];

const p = (code: string, outcomeKey: string, title: string, description: string, guidance: string, exampleEvidence: string[], unitKinds: UnitKind[], critical = false): PresetPractice =>
  ({ code, outcomeKey, title, description, guidance, exampleEvidence, unitKinds, critical });

/** South Africa's Treating Customers Fairly: the six outcomes as the FSCA states them. */
export const tcfPreset: Preset = {
  key: 'tcf',
  name: 'Treating Customers Fairly',
  description: 'The six TCF outcomes (FSCA): fair treatment is part of the culture from product design to after the sale.',
  outcomes: [
    { key: 'tcf-1', title: 'Fair treatment culture', description: 'Customers can be confident they are dealing with firms where fair treatment of customers is central to the corporate culture.' },
    { key: 'tcf-2', title: 'Products designed for customer needs', description: 'Products and services are designed to meet the needs of identified customer groups and are targeted accordingly.' },
    { key: 'tcf-3', title: 'Clear information', description: 'Customers are given clear information and kept appropriately informed before, during and after the point of sale.' },
    { key: 'tcf-4', title: 'Suitable advice', description: 'Where customers receive advice, the advice is suitable and takes account of their circumstances.' },
    { key: 'tcf-5', title: 'Products perform as expected', description: 'Products perform as customers were led to expect, and the associated service is of an acceptable standard.' },
    { key: 'tcf-6', title: 'No unreasonable post-sale barriers', description: 'Customers face no unreasonable post-sale barriers to change product, switch provider, submit a claim or make a complaint.' },
  ],
  practices: [
    p('TCF-1.1', 'tcf-1', 'Conduct in performance objectives', 'Staff and managers are measured and rewarded on customer outcomes, not only on sales.', 'Scorecards weigh quality and complaint outcomes; incentives cannot be earned on sales that are later found unfair; breaches reduce variable pay.', ['Balanced scorecard template', 'Remuneration committee minutes on conduct adjustments'], firmWide, true),
    p('TCF-1.2', 'tcf-1', 'Conduct management information', 'Leaders see customer-outcome MI (complaints, root causes, upheld rates) and act on it.', 'A monthly MI pack per unit with trends and the worst pockets; minutes show decisions and owners; red items have actions with deadlines.', ['Monthly conduct MI pack', 'Board or ExCo minutes with actions'], firmWide),
    p('TCF-1.3', 'tcf-1', 'Conduct training and competence', 'Everyone who deals with customers is trained and assessed on fair treatment.', 'Role-based training on induction and yearly, with assessment; completion above 95%; file reviews feed back into coaching.', ['Training completion report', 'Competence assessment records'], everywhere),
    p('TCF-2.1', 'tcf-2', 'Product approval and target market', 'New and changed products pass an approval that defines who they are for and who they are not for.', 'A documented target market and negative target market; customer testing before launch; compliance sign-off recorded.', ['Product approval committee minutes', 'Target market statements'], ['division']),
    p('TCF-2.2', 'tcf-2', 'Distribution to the target market', 'Sales reach the intended customers; sales outside the target market are detected.', 'Sales MI by segment compared with the target market; outliers reviewed monthly and acted on.', ['Sales-by-segment MI', 'Outlier review log'], front),
    p('TCF-3.1', 'tcf-3', 'Disclosure clarity', 'Key terms, charges and risks are disclosed clearly before the customer commits.', 'Plain-language key facts tested with customers; readability scores tracked; charges shown in money, not only percentages.', ['Key facts documents with readability scores', 'Customer testing results'], firmWide, true),
    p('TCF-3.2', 'tcf-3', 'Keeping customers informed', 'Customers hear about changes, renewals and the progress of their requests in good time.', 'Notice periods met for every change; renewal letters show last year\'s price; service requests have status updates.', ['Change notification log', 'Sample renewal letters'], everywhere),
    p('TCF-4.1', 'tcf-4', 'Advice suitability', 'Advice follows a full fact-find and a documented suitability rationale.', 'Every advised sale has a fact-find, an affordability and risk check, and a suitability letter; file reviews pass at 90% or more.', ['File review results', 'Suitability letter samples'], front, true),
    p('TCF-4.2', 'tcf-4', 'Adviser oversight', 'Advisers are supervised with file checks proportionate to their risk.', 'Risk-based file checks; new advisers 100% checked until signed off; failed files lead to remediation of the customer.', ['Supervision plan', 'Remediation log'], front),
    p('TCF-5.1', 'tcf-5', 'Claims handling', 'Claims are settled fairly and promptly, with reasons for any decline.', 'Service levels for acknowledgement and settlement met; declines reviewed by a second person; decline reasons explained in plain language.', ['Claims turnaround MI', 'Decline review log'], front, true),
    p('TCF-5.2', 'tcf-5', 'Service standards met', 'The service promised (turnaround, availability) is delivered and measured.', 'Published service standards tracked weekly; misses traced to root cause; customers told when standards slip.', ['Service level reports', 'Root-cause log'], everywhere),
    p('TCF-5.3', 'tcf-5', 'Errors put right', 'When the firm gets it wrong, affected customers are found and put right without having to complain.', 'Incidents are logged with customer impact; proactive remediation within a set time; redress calculations checked.', ['Incident and remediation register', 'Redress calculation checks'], firmWide),
    p('TCF-6.1', 'tcf-6', 'Complaint handling', 'Complaints are easy to make, owned, resolved within the rules and their root causes fixed.', 'Every channel accepts complaints; one owner per complaint; final responses within the regulatory time; root causes reviewed monthly and fixed.', ['Complaints MI (volumes, time to resolve, upheld rate)', 'Root-cause analysis minutes', 'Quality checks of final responses'], everywhere, true),
    p('TCF-6.2', 'tcf-6', 'Switching and cancellation without barriers', 'Customers can cancel, switch or move their product as easily as they bought it.', 'Cancellation in the same channels as the sale; no retention steps that delay; exit fees disclosed and justified.', ['Cancellation journey walkthrough', 'Time-to-cancel MI'], front),
    p('TCF-6.3', 'tcf-6', 'Claims and complaints access for all', 'Customers who find it hard to use standard channels can still claim or complain.', 'Alternative formats, third-party representatives accepted, assisted channels; accessibility tested.', ['Accessibility test results', 'Third-party authority procedure'], front),
  ],
};

/** The UK Consumer Duty (FCA PRIN 2A): the four outcomes and the cross-cutting rules behind them. */
export const consumerDutyPreset: Preset = {
  key: 'consumer-duty',
  name: 'Consumer Duty',
  description: 'FCA Consumer Duty (PRIN 2A): good outcomes for retail customers across four outcomes.',
  outcomes: [
    { key: 'products-services', title: 'Products and services', description: 'Products and services are designed to meet the needs, characteristics and objectives of a defined target market.' },
    { key: 'price-value', title: 'Price and value', description: 'The price customers pay is reasonable compared with the overall benefits they receive.' },
    { key: 'consumer-understanding', title: 'Consumer understanding', description: 'Communications equip customers to make effective, timely and properly informed decisions.' },
    { key: 'consumer-support', title: 'Consumer support', description: 'Customers get support that meets their needs throughout the product\'s life, with no unreasonable barriers.' },
  ],
  practices: [
    p('CD-PS-1', 'products-services', 'Product governance and target market', 'Each product has a target market, a distribution strategy and a regular review of outcomes.', 'Documented target market per product; annual product review with outcome MI; products withdrawn or changed when they fail their market.', ['Product review packs', 'Target market assessments'], ['division']),
    p('CD-PS-2', 'products-services', 'Vulnerable-customer support', 'Customers with characteristics of vulnerability are identified and get outcomes as good as other customers.', 'Staff trained to spot vulnerability; needs recorded with consent; flexible support (time, channels, third parties); outcomes for vulnerable customers monitored separately.', ['Vulnerability policy', 'Outcome MI split by vulnerability', 'Training records'], everywhere, true),
    p('CD-PS-3', 'products-services', 'Distribution oversight', 'Distributors and partners receive the information they need and sell to the target market.', 'Information shared with distributors; distributor MI reviewed; action when sales fall outside the target market.', ['Distributor information pack', 'Distributor MI reviews'], firmWide),
    p('CD-PV-1', 'price-value', 'Fair value assessment', 'Each product has a documented assessment showing the price is reasonable for the benefits.', 'Fair value assessment per product covering all fees; groups of customers who get poor value identified and remedied.', ['Fair value assessments', 'Pricing committee minutes'], ['division'], true),
    p('CD-PV-2', 'price-value', 'Loyalty and renewal pricing', 'Existing customers are not charged more than new ones for the same product without reason.', 'Price-walking checks each quarter; renewal prices reviewed; long-standing customers told about better deals.', ['Renewal price analysis', 'Customer notifications'], firmWide),
    p('CD-PV-3', 'price-value', 'Fees and charges in practice', 'Fees charged match the disclosed tariff and are waived where the rules say so.', 'Fee audits against the tariff; automated checks for incorrect charges; refunds made proactively.', ['Fee audit results', 'Refund log'], front),
    p('CD-CU-1', 'consumer-understanding', 'Communications testing', 'Key communications are tested for understanding with real customers before use.', 'Comprehension testing of key documents; results recorded and acted on; readability targets met.', ['Comprehension test results', 'Readability scores'], firmWide, true),
    p('CD-CU-2', 'consumer-understanding', 'Timely, tailored information', 'Customers get information when they need to make a decision, in a form that suits them.', 'Alerts before charges or rate changes; alternative formats available; channels suit the customer.', ['Alert schedule', 'Alternative format requests and fulfilment'], everywhere),
    p('CD-CU-3', 'consumer-understanding', 'Sales conversations', 'Conversations with customers explain the product honestly and check understanding.', 'Call listening against a checklist; understanding checked before the sale; no pressure selling.', ['Call quality results', 'Sales script review'], front),
    p('CD-CS-1', 'consumer-support', 'Complaint handling', 'Complaints are owned, resolved fairly within the DISP time limits, and their causes fixed.', 'One owner per complaint; final responses within 8 weeks (15 business days for payments); upheld rate and root causes reviewed monthly; learning changes processes.', ['Complaints MI', 'Root-cause reviews', 'Final response quality checks'], everywhere, true),
    p('CD-CS-2', 'consumer-support', 'Switching without barriers', 'Customers can switch, cancel or exit as easily as they bought.', 'Exit journeys tested; no sludge (extra steps, long waits); time-to-exit measured.', ['Exit journey tests', 'Time-to-exit MI'], front),
    p('CD-CS-3', 'consumer-support', 'Service responsiveness', 'Customers reach a person in reasonable time and their requests are handled promptly.', 'Call waiting and abandonment measured by channel; backlogs tracked; service targets met in peaks.', ['Contact centre MI', 'Backlog reports'], everywhere),
    p('CD-CS-4', 'consumer-support', 'Financial difficulty support', 'Customers in arrears or financial difficulty get forbearance suited to them.', 'Early contact on missed payments; range of forbearance options; referral to free debt advice; outcomes monitored.', ['Arrears MI', 'Forbearance policy', 'Debt advice referrals'], front, true),
    p('CD-CS-5', 'consumer-support', 'Bereavement and power of attorney', 'Customers acting for others are supported with simple, consistent processes.', 'One point of contact; documents accepted in any branch or online; target turnaround met.', ['Bereavement service MI', 'Process map'], front),
    p('CD-CS-6', 'consumer-support', 'Outcome monitoring', 'The firm monitors customer outcomes across the four outcomes and acts on what it finds.', 'Outcome MI for each outcome; the board\'s annual Duty report; actions owned and tracked.', ['Annual board report on the Duty', 'Outcome dashboard'], ['division']),
  ],
};

export const presets: Record<Preset['key'], Preset> = { tcf: tcfPreset, 'consumer-duty': consumerDutyPreset };

/**
 * Default mapping of complaint categories (org settings) to practice codes: the signals beside
 * scores count complaints of these categories against the practice.
 */
export const defaultCategoryPractices: Record<string, string[]> = {
  'Advising, selling and arranging': ['TCF-4.1', 'TCF-2.2', 'CD-CU-3'],
  'Terms and disputed sums/charges': ['TCF-3.1', 'CD-PV-3', 'CD-CU-1'],
  'General admin/customer service': ['TCF-5.2', 'CD-CS-3'],
  'Delays/timescales': ['TCF-5.2', 'TCF-6.1', 'CD-CS-1', 'CD-CS-3'],
  'Errors': ['TCF-5.3', 'CD-PV-3'],
  'Arrears related': ['CD-CS-4'],
  'Closure/cancellation': ['TCF-6.2', 'CD-CS-2'],
  'Product performance/features': ['TCF-5.1', 'CD-PS-1'],
  'Credit file and reporting': ['TCF-5.3'],
};
