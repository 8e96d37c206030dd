import { loadTemplates } from '../../src/templates/load-templates';
import {
  renderEmail,
  renderNotice,
  renderTask,
  type RenderContext,
} from '../../src/templates/render';
import { templateExists, type TemplateType } from '../../src/templates/template-files';

const templates = loadTemplates();

const features = {
  reports: { key: 'reports', name: 'Scheduled reports', helpUrl: 'https://help.test/reports' },
  alerts: { key: 'alerts', name: 'Alerts', helpUrl: null },
  sso: { key: 'sso', name: 'Single sign-on', helpUrl: 'https://help.test/sso' },
};

function contextWith(facts: Record<string, unknown>): RenderContext {
  return {
    account: { id: 'a1', name: 'Northwind', plan: 'pro', timezone: 'UTC' },
    user: { id: 'u1', name: 'Ada', email: 'ada@northwind.test', role: 'admin' },
    csm: { name: 'Casey', email: 'casey@vendor.test' },
    facts,
    features,
    rule: { id: 'rule-1', description: 'Sample rule' },
    unsubscribeUrl: 'https://app.test/unsubscribe?token=abc',
    appUrl: 'https://app.test',
    params: {},
  };
}

// Each template with only the facts its playbook rule tests, which is the evidence it gets.
const playbook: [TemplateType, string, Record<string, unknown>][] = [
  ['email', 'cadence-nudge', { usersBelowCadence: 2 }],
  ['email', 'key-features', { keyFeaturesNeverUsed: ['reports', 'alerts'], accountAgeDays: 20 }],
  ['email', 'new-feature', { newFeaturesNotTried: ['sso'] }],
  ['email', 'feedback-request', { isEarlyAdopter: true }],
  ['email', 'reference-request', { healthScore: 82, daysToRenewal: 45 }],
  ['notice', 'activity-falling', { usageTrend: 0.42 }],
  ['notice', 'new-feature', { newFeaturesNotTried: ['sso', 'alerts'] }],
  ['task', 'onboarding-overdue', { overdueMilestones: 2 }],
  ['task', 'time-to-value-missed', { goalsMet: 0, accountAgeDays: 75 }],
  ['task', 'early-ticket-surge', { ticketsFirst30Days: 6, accountAgeDays: 21 }],
  ['task', 'activity-falling', { usageTrend: 0.42 }],
  ['task', 'renewal-risk', { daysToRenewal: 60, healthScore: 35, percentiles: {} }],
];

describe.each(playbook)('%s %s', (type, name, facts) => {
  it('exists', () => {
    expect(templateExists(type, name)).toBe(true);
  });

  it('renders from its evidence', () => {
    const context = contextWith(facts);
    if (type === 'email') {
      const email = renderEmail(templates, name, context);
      expect(email.subject).not.toBe('');
      expect(email.html).toContain('href="https://app.test/unsubscribe?token&#x3D;abc"');
      expect(email.text).toContain(
        'Unsubscribe with one click: https://app.test/unsubscribe?token=abc',
      );
    } else if (type === 'notice') {
      expect(renderNotice(templates, name, context).body).not.toBe('');
    } else {
      expect(renderTask(templates, name, context).title).toContain('Northwind');
    }
  });
});

describe('key-features email', () => {
  const email = renderEmail(
    templates,
    'key-features',
    contextWith({ keyFeaturesNeverUsed: ['reports', 'alerts'] }),
  );

  it('teaches exactly the unused features', () => {
    expect(email.html.match(/<li /g)).toHaveLength(2);
    expect(email.html).not.toContain('Single sign-on');
  });

  it('links each feature to its help', () => {
    expect(email.text).toContain('- Scheduled reports: https://help.test/reports');
    expect(email.text).toContain('- Alerts: https://app.test/features/alerts');
  });

  it('counts them in the subject', () => {
    expect(email.subject).toBe('2 features Northwind has not tried yet');
  });
});

describe('task texts', () => {
  it('pluralizes the overdue count', () => {
    const one = renderTask(templates, 'onboarding-overdue', contextWith({ overdueMilestones: 1 }));
    expect(one.title).toBe('Northwind: 1 onboarding milestone overdue');
  });

  it('shows the trend as a percentage', () => {
    const task = renderTask(templates, 'activity-falling', contextWith({ usageTrend: 0.42 }));
    expect(task.title).toBe('Northwind: activity down to 42% of the previous two weeks');
  });
});

describe('cadence-nudge email', () => {
  const withRole = (role: string) => {
    const context = contextWith({ usersBelowCadence: 2 });
    const user = { id: 'u1', name: 'Ada', email: 'ada@northwind.test', role };
    return renderEmail(templates, 'cadence-nudge', { ...context, user });
  };

  it.each(['admin', 'member', 'editor'])('names the %s role', (role) => {
    const email = withRole(role);
    expect(email.text).toContain(`People with the ${role} role at teams like Northwind`);
    expect(email.html).toContain(`People with the ${role} role at teams like Northwind`);
  });

  it('puts no article before the role', () => {
    const email = withRole('admin');
    expect(email.text).not.toMatch(/\ban? admin role/);
    expect(email.html).not.toMatch(/\ban? admin role/);
  });
});
