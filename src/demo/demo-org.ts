/** The demo organisation: a UK and Irish retail bank, two divisions, three regions each, two teams per region. */
export const DEMO_PASSWORD = 'trustdesk-demo-2026';
export const DEMO_ORG_NAME = 'Harbour & Vale Bank';
export const DEMO_DOMAIN = 'harbourvale.example';

export const demoDivisions = [
  {
    name: 'Everyday Banking',
    products: ['Current account', 'Savings account', 'Payments & transfers', 'Credit file & reporting'],
    regions: [
      { name: 'England & Wales', country: 'GB-ENG', timezone: 'Europe/London' },
      { name: 'Scotland', country: 'GB-SCT', timezone: 'Europe/London' },
      { name: 'Northern Ireland', country: 'GB-NIR', timezone: 'Europe/London' },
    ],
  },
  {
    name: 'Lending & Cards',
    products: ['Credit card', 'Mortgage', 'Personal loan', 'Collections & recoveries'],
    regions: [
      { name: 'London & South East', country: 'GB-ENG', timezone: 'Europe/London' },
      { name: 'Midlands & North', country: 'GB-ENG', timezone: 'Europe/London' },
      { name: 'Ireland', country: 'IE', timezone: 'Europe/Dublin' },
    ],
  },
] as const;

export const demoTeamNames = ['Complaints', 'Customer Care'] as const;

/** Staff names, used in order: leads first, then agents. */
export const demoStaffNames = [
  'Priya Sharma', 'Tom Okafor', 'Aisha Rahman', 'Callum MacLeod', 'Siobhan Kelly', 'Daniel Evans',
  'Mei Lin', 'Oliver Grant', 'Fatima Hussain', 'Rhys Morgan', 'Grace Adeyemi', 'Liam Byrne',
  'Hannah Cohen', 'Marcus Reid', 'Zara Ahmed', 'Ewan Campbell', 'Niamh Doyle', 'Samuel Price',
  'Chloe Martin', 'Arjun Patel', 'Isla Fraser', 'Kwame Mensah', 'Ruth Gallagher', 'Jack Thompson',
  'Amelia Wright', 'Yusuf Ali', 'Erin Quinn', 'Ben Carter', 'Sofia Rossi', 'Connor Walsh',
  'Leah Fitzgerald', 'Ravi Nair', 'Megan Hughes', 'Owen Jenkins', 'Eilidh Stewart', 'Patrick Murphy',
];

export const demoHeadOffice = [
  { name: 'Alex Morgan', role: 'admin', login: 'admin' },
  { name: 'Catherine Blake', role: 'executive', login: 'ceo' },
  { name: 'David Osei', role: 'executive', login: 'cfo' },
  { name: 'Helen Marsh', role: 'compliance', login: 'compliance' },
  { name: 'Samir Haddad', role: 'compliance', login: 'conduct' },
  { name: 'Joanna Price', role: 'compliance', login: 'complaints-manager' },
] as const;
