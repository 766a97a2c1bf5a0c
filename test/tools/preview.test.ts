import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_SOURCES } from '../../triggers/custom-message/render-message.js';
import { SAMPLE_USERS, writeGallery } from '../../tools/preview.js';

// CI installs it with: apt-get update && apt-get install -y chromium
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`Skipping the preview browser test: ${CHROMIUM} is missing (apt-get install -y chromium).`);
}

const LOCALES = ['en', 'fr'];

/** Headless Chromium as the workplace runs it; a launch that fails on a loaded machine is tried again. */
async function launchChromium(attempts = 3): Promise<Browser> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await chromium.launch({
        executablePath: CHROMIUM,
        timeout: 45_000,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

describe.skipIf(!hasChromium)('npm run preview gallery in headless Chromium', () => {
  let outDir: string;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'custom-message-preview-'));
    const { path } = writeGallery({ outDir, env: { APP_NAME: 'Acme', APP_URL: 'https://app.acme.test' } });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('shows one rendered card per source, locale and sample user', async () => {
    // Act
    const cards = await page.locator('article.card[data-outcome="rendered"]').count();
    const fallbacks = await page.locator('article.card[data-outcome="fallback"]').count();

    // Assess
    expect(cards).toBe(MESSAGE_SOURCES.length * LOCALES.length * SAMPLE_USERS.length);
    expect(fallbacks).toBe(0);
    await expect(page.locator('h1').textContent()).resolves.toBe('CustomMessage preview: Acme');
  });

  it.each(MESSAGE_SOURCES.flatMap((source) => LOCALES.map((locale) => ({ source, locale }))))(
    'shows the $source message in $locale with subject, SMS and a rendered body',
    async ({ source, locale }) => {
      // Prepare
      const card = page.locator(
        `article[data-source="${source}"][data-locale="${locale}"][data-sample="plain"]`,
      );

      // Act
      const subject = await card.locator('.subject .value').textContent();
      const sms = await card.locator('.sms .value').textContent();
      const frame = await (await card.locator('iframe').elementHandle())?.contentFrame();
      const body = await frame?.locator('body').innerText();

      // Assess
      expect(subject).toContain('Acme');
      expect(sms).toMatch(/123456|Tmp-Pass-42/);
      expect(body).toContain(locale === 'fr' ? 'Bonjour Ada,' : 'Hello Ada,');
      expect(body).toMatch(/123456|Tmp-Pass-42/);
    },
  );

  it.each([
    { sample: 'script', shown: 'Hello <script>top.__pwned="script"</script>,' },
    { sample: 'attribute-breakout', shown: 'Hello "><img src=x onerror="top.__pwned=1">,' },
    { sample: 'template-syntax', shown: 'Hello {{code}} {{appUrl}} {{> header}},' },
    { sample: 'invisible', shown: 'Hello Evegnp.exe Bcc: victim@example.net,' },
  ])('keeps the $sample sample user as text in every body', async ({ sample, shown }) => {
    // Prepare
    const cards = page.locator(`article[data-sample="${sample}"][data-locale="en"]`);
    const count = await cards.count();

    for (let index = 0; index < count; index += 1) {
      // Act
      const frame = await (await cards.nth(index).locator('iframe').elementHandle())?.contentFrame();
      const body = await frame?.locator('body').innerText();
      const injected = await frame?.locator('body script, body img, body [onerror]').count();

      // Assess
      expect(body).toContain(shown);
      expect(injected).toBe(0);
    }
    expect(count).toBe(MESSAGE_SOURCES.length);
  });

  it('shows hostile names in subjects as text, without injecting elements into the gallery', async () => {
    // Act
    const subject = await page
      .locator(
        'article[data-source="CustomMessage_SignUp"][data-locale="en"][data-sample="attribute-breakout"] .subject .value',
      )
      .textContent();
    const injected = await page.locator('body script, body img, body [onerror]').count();

    // Assess
    expect(subject).toBe('"><img src=x onerror="top.__pwned=1">, confirm your Acme account');
    expect(injected).toBe(0);
  });

  it.each(LOCALES)(
    'shows the account-takeover email in %s with where, when and both one-click buttons',
    async (locale) => {
      // Prepare
      const card = page.locator(`article[data-takeover-locale="${locale}"][data-takeover-sample="plain"]`);

      // Act
      const frame = await (await card.locator('iframe').elementHandle())?.contentFrame();
      const body = await frame?.locator('body').innerText();
      const links = await frame
        ?.locator('a')
        .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));

      // Assess
      expect(await card.getAttribute('data-outcome')).toBe('rendered');
      expect(body).toContain('Lisbon, Portugal, 203.0.113.42');
      expect(body).toContain('2026-11-30T08:15:04Z');
      expect(links).toEqual(
        expect.arrayContaining([
          'https://cognito-idp.eu-west-1.amazonaws.com/confirm?eid=preview&fb=VALID',
          'https://cognito-idp.eu-west-1.amazonaws.com/confirm?eid=preview&fb=INVALID',
        ]),
      );
    },
  );

  it('keeps hostile names as text in the account-takeover email', async () => {
    // Act
    const frame = await (
      await page
        .locator('article[data-takeover-locale="en"][data-takeover-sample="script"] iframe')
        .elementHandle()
    )?.contentFrame();
    const body = await frame?.locator('body').innerText();
    const injected = await frame?.locator('body script, body img, body [onerror]').count();

    // Assess
    expect(body).toContain('Hello <script>top.__pwned="script"</script>,');
    expect(injected).toBe(0);
  });

  it('runs no script from a sample user', async () => {
    // Act
    const pwnedInFrames = await Promise.all(
      page
        .frames()
        .map((frame) => frame.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned ?? null)),
    );

    // Assess
    expect(pwnedInFrames.every((value) => value === null)).toBe(true);
    expect(page.frames().length).toBe(
      1 + (MESSAGE_SOURCES.length + 1) * LOCALES.length * SAMPLE_USERS.length,
    );
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
