import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { renderKpiHtml } from '../../src/reports/html-report';
import { loadKpiInput } from '../../src/reports/kpi-data';
import { computeKpis } from '../../src/reports/kpis';
import { dayMs } from '../../src/store/time';
import { createPortfolioStore, fixtureStart } from './portfolio-fixture';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `KPI HTML render test skipped: ${chromiumPath} not found; install it with apt-get install chromium`,
  );
}
const describeWithBrowser = hasChromium ? describe : describe.skip;

describeWithBrowser('KPI HTML report in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uptake-kpi-html-'));
  let browser: BrowserContext;
  let drawn = '';
  let errors: string[] = [];

  beforeAll(async () => {
    const store = await createPortfolioStore(20);
    const report = computeKpis(await loadKpiInput(store, fixtureStart + 60 * dayMs));
    await store.close();
    const file = join(dir, 'kpis.html');
    writeFileSync(file, renderKpiHtml(report));

    // A fresh profile folder per run; Playwright takes it as the persistent context's userDataDir.
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1280, height: 1400 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`file://${file}`);
    drawn = (await page.getAttribute('body', 'data-charts-drawn')) ?? '';
    await page.screenshot({ path: join(dir, 'kpis.png'), fullPage: true });
    errors = [...errors];
  }, 120_000);

  afterAll(async () => browser?.close());

  it('draws all four charts', () => {
    expect(drawn).toBe('4');
  });

  it('runs without page errors', () => {
    expect(errors).toEqual([]);
  });

  it('writes a screenshot', () => {
    expect(existsSync(join(dir, 'kpis.png'))).toBe(true);
    console.log(`KPI report screenshot: ${join(dir, 'kpis.png')}`);
  });
});
