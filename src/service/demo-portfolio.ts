import type {
  AccountInput,
  ContractInput,
  FeatureInput,
  GoalInput,
  MilestoneInput,
  TicketInput,
  UsageEventInput,
  UserInput,
} from '../api/schemas';
import { dayMs } from '../store/time';

/** A synthetic customer portfolio in the shapes the ingest API takes. */
export interface DemoPortfolio {
  features: FeatureInput[];
  accounts: AccountInput[];
  users: UserInput[];
  contracts: ContractInput[];
  milestones: MilestoneInput[];
  goals: GoalInput[];
  tickets: TicketInput[];
  events: UsageEventInput[];
}

/** How an account uses the product, which decides the rules it should trigger. */
export const adoptionPatterns = [
  'healthy',
  'never-key-features',
  'falling-off',
  'new-and-stuck',
  'low-cadence',
  'ticket-surge',
] as const;
export type AdoptionPattern = (typeof adoptionPatterns)[number];

/** Deterministic PRNG (mulberry32) so that one seed always gives the same portfolio. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const companyNames = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
  'Aperture',
  'Vandelay',
  'Oscorp',
  'Pied Piper',
  'Massive Dynamic',
  'Gringotts',
  'Monarch',
  'Duff',
  'Nakatomi',
  'Gekko',
  'Prestige',
  'Virtucon',
  'Zorg',
];
const timeZones = [
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'Asia/Kolkata',
];
const csms = [
  { owner: 'csm-ana', email: 'ana@uptake.example' },
  { owner: 'csm-ben', email: 'ben@uptake.example' },
  { owner: 'csm-chloe', email: 'chloe@uptake.example' },
];
const sizes = [
  { plan: 'starter', users: 4, seats: 5, value: 6_000 },
  { plan: 'growth', users: 12, seats: 15, value: 30_000 },
  { plan: 'enterprise', users: 30, seats: 40, value: 120_000 },
];
const roles = ['admin', 'manager', 'user', 'user', 'analyst', 'user'];
/** Days until renewal, spread so that some accounts fall in each renewal window. */
const renewalOffsets = [20, 45, 75, 85, 120, 160, 200, 250, 300, 340];

function buildFeatures(today: number): FeatureInput[] {
  const feature = (key: string, name: string, isKey: boolean, releasedDaysAgo: number) => ({
    key,
    name,
    isKey,
    releasedAt: today - releasedDaysAgo * dayMs,
    helpUrl: `https://help.uptake.example/${key}`,
  });
  return [
    feature('dashboards', 'Dashboards', true, 900),
    feature('reports', 'Reports', true, 900),
    feature('integrations', 'Integrations', true, 700),
    feature('alerts', 'Alerts', true, 500),
    feature('export', 'Export', false, 900),
    feature('api', 'API access', false, 400),
    feature('mobile', 'Mobile app', false, 300),
    feature('ai-assistant', 'AI assistant', false, 10),
  ];
}

/** Everything the generator needs to write one account. */
interface AccountPlan {
  index: number;
  id: string;
  pattern: AdoptionPattern;
  termStart: number;
  renewalAt: number;
  userIds: string[];
}

function planAccount(
  index: number,
  today: number,
  random: () => number,
  portfolio: DemoPortfolio,
): AccountPlan {
  const pattern = adoptionPatterns[index % adoptionPatterns.length] as AdoptionPattern;
  const size = sizes[index % sizes.length]!;
  const csm = csms[index % csms.length]!;
  const id = `acct-${String(index + 1).padStart(3, '0')}`;
  const isNew = pattern === 'new-and-stuck' || pattern === 'ticket-surge';
  const renewalDays = isNew
    ? 365 - (15 + (index % 20))
    : renewalOffsets[index % renewalOffsets.length]!;
  const renewalAt = today + renewalDays * dayMs;
  const termStart = renewalAt - 365 * dayMs;
  const timezone = timeZones[index % timeZones.length]!;

  portfolio.accounts.push({
    id,
    name: `${companyNames[index % companyNames.length]} ${index >= companyNames.length ? index : ''}`.trim(),
    plan: size.plan,
    csmOwner: csm.owner,
    csmEmail: csm.email,
    timezone,
    attributes: { industry: ['retail', 'finance', 'health', 'software'][index % 4], pattern },
    createdAt: termStart,
  });
  portfolio.contracts.push({
    id: `${id}-t1`,
    accountId: id,
    termNumber: 1,
    startAt: termStart,
    renewalAt,
    seats: size.seats,
    value: size.value,
    status: 'active',
  });

  const userCount = Math.max(2, Math.round(size.users * (0.7 + random() * 0.5)));
  const userIds = Array.from({ length: userCount }, (_, u) => `${id}-u${u + 1}`);
  userIds.forEach((userId, u) =>
    portfolio.users.push({
      id: userId,
      accountId: id,
      email: `user${u + 1}@${id}.example`,
      name: `User ${u + 1} of ${id}`,
      role: u === 0 ? 'admin' : (roles[u % roles.length] as string),
      timezone,
      createdAt: termStart,
    }),
  );
  return { index, id, pattern, termStart, renewalAt, userIds };
}

function addProgress(plan: AccountPlan, today: number, portfolio: DemoPortfolio): void {
  const stuck = plan.pattern === 'new-and-stuck';
  const milestones = [
    { key: 'workspace-setup', name: 'Workspace set up', dueDays: 7 },
    { key: 'first-integration', name: 'First integration connected', dueDays: 10 },
    { key: 'team-invited', name: 'Team invited', dueDays: 30 },
  ];
  for (const [position, milestone] of milestones.entries()) {
    const dueAt = plan.termStart + milestone.dueDays * dayMs;
    const done = !stuck || position === 0;
    const completedAt = done ? Math.min(dueAt - dayMs, today) : null;
    portfolio.milestones.push({
      accountId: plan.id,
      key: milestone.key,
      name: milestone.name,
      dueAt,
      completedAt,
    });
  }
  const valueReached = plan.pattern === 'healthy' || plan.pattern === 'low-cadence';
  portfolio.goals.push({
    accountId: plan.id,
    key: 'first-report-shared',
    name: 'First report shared with leadership',
    dueAt: plan.termStart + 60 * dayMs,
    metAt: valueReached ? plan.termStart + 40 * dayMs : null,
  });
}

function addTickets(
  plan: AccountPlan,
  today: number,
  random: () => number,
  portfolio: DemoPortfolio,
): void {
  const surge = plan.pattern === 'ticket-surge';
  const count = surge ? 7 : Math.floor(random() * 3);
  for (let t = 0; t < count; t += 1) {
    const window = surge ? Math.min(25, (today - plan.termStart) / dayMs) : 300;
    const openedAt = Math.min(
      today - dayMs,
      plan.termStart + Math.floor(random() * window) * dayMs,
    );
    portfolio.tickets.push({
      id: `${plan.id}-ticket-${t + 1}`,
      accountId: plan.id,
      userId: plan.userIds[t % plan.userIds.length],
      openedAt: Math.max(openedAt, plan.termStart),
      closedAt: random() < 0.6 ? Math.min(today, openedAt + 2 * dayMs) : null,
      priority: ['low', 'normal', 'high'][t % 3],
      subject: surge ? 'Cannot connect the integration' : 'Question about reports',
    });
  }
}

/** Features a user of this pattern touches: some never reach the key features. */
function featuresFor(pattern: AdoptionPattern): string[] {
  if (pattern === 'never-key-features') return ['dashboards', 'export'];
  if (pattern === 'new-and-stuck') return ['dashboards'];
  return ['dashboards', 'reports', 'integrations', 'alerts', 'export', 'api', 'mobile'];
}

/** Chance that a user is active on a given day, by pattern and days before today. */
function activityChance(pattern: AdoptionPattern, daysAgo: number): number {
  if (pattern === 'low-cadence') return 0.06;
  if (pattern === 'falling-off') return daysAgo < 18 ? 0.08 : 0.7;
  if (pattern === 'new-and-stuck') return 0.15;
  return 0.65;
}

function addUsage(
  plan: AccountPlan,
  today: number,
  random: () => number,
  portfolio: DemoPortfolio,
): void {
  const historyDays = Math.min(90, Math.floor((today - plan.termStart) / dayMs));
  const features = featuresFor(plan.pattern);
  let sequence = 0;
  for (let daysAgo = historyDays; daysAgo >= 1; daysAgo -= 1) {
    const day = today - daysAgo * dayMs;
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    for (const userId of plan.userIds) {
      if (random() >= activityChance(plan.pattern, daysAgo) * (weekend ? 0.2 : 1)) continue;
      const at = day + (8 + Math.floor(random() * 9)) * 3_600_000;
      portfolio.events.push({
        id: `${plan.id}-e${sequence++}`,
        accountId: plan.id,
        userId,
        feature: null,
        occurredAt: at,
        count: 1,
      });
      const used = 1 + Math.floor(random() * 3);
      for (let f = 0; f < used; f += 1) {
        const feature = features[Math.floor(random() * features.length)] as string;
        const count = 1 + Math.floor(random() * 8);
        portfolio.events.push({
          id: `${plan.id}-e${sequence++}`,
          accountId: plan.id,
          userId,
          feature,
          occurredAt: at + f * 60_000,
          count,
        });
      }
    }
  }
}

/**
 * Generates a portfolio of `accountCount` accounts as of `today` (epoch ms).
 * Accounts come in three sizes and plans, with users of several roles and
 * time zones and one contract each. Renewal dates spread over the year, so
 * several fall within 90 days. Usage covers 90 days in six adoption patterns,
 * with a few ticket surges, onboarding milestones and a goal per account.
 * The same seed and day give the same portfolio.
 */
export function generateDemoPortfolio(options: {
  seed: number;
  today: number;
  accountCount?: number;
}): DemoPortfolio {
  const today = Math.floor(options.today / dayMs) * dayMs;
  const random = createRandom(options.seed);
  const portfolio: DemoPortfolio = {
    features: buildFeatures(today),
    accounts: [],
    users: [],
    contracts: [],
    milestones: [],
    goals: [],
    tickets: [],
    events: [],
  };
  for (let index = 0; index < (options.accountCount ?? 24); index += 1) {
    const plan = planAccount(index, today, random, portfolio);
    addProgress(plan, today, portfolio);
    addTickets(plan, today, random, portfolio);
    addUsage(plan, today, random, portfolio);
  }
  return portfolio;
}
