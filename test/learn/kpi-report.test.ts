import { learnFromStore } from '../../src/learn/learn-from-store';
import { renderKpiHtml } from '../../src/reports/html-report';
import { loadKpiInput } from '../../src/reports/kpi-data';
import { computeKpis } from '../../src/reports/kpis';
import type { Store } from '../../src/store/database';
import { dayMs } from '../../src/store/time';
import { createPortfolioStore, fixtureStart } from './portfolio-fixture';

describe('KPI report from the store', () => {
  let store: Store;

  beforeAll(async () => {
    store = await createPortfolioStore(20);
  });
  afterAll(async () => store.close());

  it('puts fading accounts on the risk list', async () => {
    const benchmarks = await learnFromStore(store);
    const asOf = fixtureStart + 60 * dayMs;
    const report = computeKpis(await loadKpiInput(store, asOf, benchmarks));
    const risky = report.riskList.map((entry) => entry.accountId);
    expect(risky).toContain('acct-001');
    expect(risky).not.toContain('acct-000');
  });

  it('counts one cohort with churn known by the date', async () => {
    const report = computeKpis(await loadKpiInput(store, fixtureStart + 100 * dayMs));
    expect(report.cohorts).toEqual([
      {
        cohort: '2024-01',
        terms: 20,
        renewed: 0,
        churned: 10,
        lapsed: 0,
        open: 10,
        renewalRate: 0,
      },
    ]);
  });

  it('draws adoption of reports by week', async () => {
    const report = computeKpis(await loadKpiInput(store, fixtureStart + 60 * dayMs));
    const reports = report.adoption.find((curve) => curve.featureKey === 'reports');
    // Account k first uses reports on day k or the next active day, so by day 7 about a third have.
    expect(reports?.shares[0]).toBeGreaterThan(0.2);
    expect(reports?.shares[0]).toBeLessThan(0.5);
  });

  it('renders a self-contained HTML page', async () => {
    const report = computeKpis(await loadKpiInput(store, fixtureStart + 60 * dayMs));
    const html = renderKpiHtml(report);
    expect(html).toContain('<canvas id="adoption">');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
});

describe('renderKpiHtml', () => {
  it('escapes account ids', () => {
    const report = computeKpis({ asOf: 0, accounts: [], terms: [], featureKeys: [] });
    const withRisk = {
      ...report,
      riskList: [
        {
          accountId: '<img onerror=x>',
          healthScore: 1,
          stage: 'adoption',
          daysToRenewal: null,
          weakestSignals: [],
          earlyAdopterOf: [],
        },
      ],
    };
    expect(renderKpiHtml(withRisk, '')).toContain('&lt;img onerror=x&gt;');
  });

  it('keeps data from closing its script element', () => {
    const report = computeKpis({ asOf: 0, accounts: [], terms: [], featureKeys: ['</script><b>'] });
    expect(renderKpiHtml(report, '')).not.toContain('</script><b>');
  });
});
