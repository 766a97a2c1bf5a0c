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
// Outside CI a missing Chromium skips the browser tests; in CI (CI=true) they run and fail at launch.
const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!hasChromium) {
  console.warn(`Skipping the preview browser test: ${CHROMIUM} is missing (apt-get install -y chromium).`);
}

const LOCALES = ['en', 'fr'];

/** The height of a PNG image, from its IHDR chunk (bytes 20-23, big-endian). */
function pngHeight(png: Buffer): number {
  return png.readUInt32BE(20);
}

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

  it('opens with an index of every trigger source and locale, each linking to its section', async () => {
    // Act
    const links = await page
      .locator('#index a')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));

    // Assess
    const expected = [
      ...MESSAGE_SOURCES.flatMap((source) => [
        `#${source}`,
        ...LOCALES.map((locale) => `#${source}-${locale}`),
      ]),
      '#CustomEmailSender_AccountTakeOverNotification',
    ];
    expect(links).toEqual(expected);
    for (const link of links) expect(await page.locator(link!).count(), link!).toBe(1);
  });

  it('filters the cards by source, locale and sample user', async () => {
    // Act
    await page.fill('#filter', 'signup fr script');
    const visible = await page
      .locator('article.card:visible')
      .evaluateAll((cards) =>
        cards.map(
          (card) =>
            `${card.getAttribute('data-source')} ${card.getAttribute('data-locale')} ${card.getAttribute('data-sample')}`,
        ),
      );
    const shown = await page.locator('#shown').textContent();
    await page.fill('#filter', '');
    const all = await page.locator('article.card:visible').count();

    // Assess
    expect(visible).toEqual(['CustomMessage_SignUp fr script']);
    expect(shown).toBe('1');
    expect(all).toBe(MESSAGE_SOURCES.length * LOCALES.length * SAMPLE_USERS.length);
  });

  it('shows every email whole: no frame is shorter than its email rendered on its own (screenshots)', async () => {
    // Prepare: the same email alone in a page as wide as its frame, screenshot from top to bottom.
    const alone = await browser.newPage();
    // Every frame: the CustomMessage cards and the custom sender's account-takeover cards.
    const frames = page.locator('article.card iframe, article.takeover-card iframe');
    const count = await frames.count();
    const cut: string[] = [];
    try {
      for (let index = 0; index < count; index += 1) {
        const frame = frames.nth(index);
        await frame.scrollIntoViewIfNeeded();
        const { width, srcdoc, title } = await frame.evaluate((element) => {
          const iframe = element as unknown as { clientWidth: number; srcdoc: string; title: string };
          return { width: iframe.clientWidth, srcdoc: iframe.srcdoc, title: iframe.title };
        });
        await alone.setViewportSize({ width, height: 200 });
        await alone.setContent(srcdoc, { waitUntil: 'load' });

        // Act
        const framed = pngHeight(await frame.screenshot());
        const whole = pngHeight(await alone.screenshot({ fullPage: true }));

        // Assess (collected, so one run names every frame that cuts its email off)
        if (framed + 2 < whole) cut.push(`${title}: frame ${framed}px, email ${whole}px`);
      }
    } finally {
      await alone.close();
    }
    expect(count).toBe((MESSAGE_SOURCES.length + 1) * LOCALES.length * SAMPLE_USERS.length);
    expect(cut).toEqual([]);
  }, 180_000);
});
