import fc from 'fast-check';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createToolkitLogger, formatIsoTimestamp } from '../../shared/observability.js';
import { redactLogValue } from '../../shared/redact.js';
import { fakeLambdaContext } from '../support/lambda.js';
import { captureLogs, type CapturedLogs } from '../support/logs.js';

describe('formatIsoTimestamp', () => {
  it("gives Date.prototype.toISOString's answer for every time value", () => {
    // Years 0-9999 take the arithmetic path; the rest (+YYYYYY, -YYYYYY) and invalid dates toISOString's own.
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(formatIsoTimestamp(date)).toBe(date.toISOString());
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['the first millisecond of year 0', new Date('0000-01-01T00:00:00.000Z').getTime()],
    ['the last millisecond of 9999', Date.UTC(9999, 11, 31, 23, 59, 59, 999)],
    ['a leap day', Date.UTC(2024, 1, 29, 7, 5, 3, 9)],
    ['the epoch', 0],
  ])('matches toISOString at %s', (_name, time) => {
    // Prepare
    const date = new Date(time);
    // Act, Assess
    expect(formatIsoTimestamp(date)).toBe(date.toISOString());
  });

  it('throws the RangeError toISOString throws for an invalid date', () => {
    expect(() => formatIsoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe("the toolkit's log lines", () => {
  let logs: CapturedLogs | undefined;
  afterEach(() => {
    logs?.restore();
    vi.useRealTimers();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  const context = fakeLambdaContext();

  /** One line from `logger`, with the same Lambda context, persistent and ephemeral keys. */
  function lineFrom(logger: Logger): Record<string, unknown> {
    logs = captureLogs();
    logger.addContext(context);
    logger.appendKeys({ trigger: 'PreSignUp_SignUp' });
    logger.info('Sign-up allowed', { outcome: 'allowed', nested: { a: 1 } });
    logs.restore();
    const lines = logs.lines();
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  it("are Powertools' default lines, key for key and in the same order", () => {
    // Prepare: the same instant for both; Powertools' own formatter is the reference.
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 6, 9, 8, 7, 6), toFake: ['Date'] });
    // Act
    const ours = lineFrom(createToolkitLogger({ serviceName: 'probe' }));
    const powertools = lineFrom(new Logger({ jsonReplacerFn: redactLogValue, serviceName: 'probe' }));
    // Assess
    expect(Object.entries(ours)).toEqual(Object.entries(powertools));
    expect(ours.timestamp).toBe('2026-12-06T09:08:07.006Z');
  });

  it('stamp a line without Date.prototype.toISOString, whose first call sets up the local time zone', () => {
    // Prepare
    const toIsoString = vi.spyOn(Date.prototype, 'toISOString');
    // Act
    const line = lineFrom(createToolkitLogger());
    // Assess
    expect(toIsoString).not.toHaveBeenCalled();
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it.each([':UTC', 'UTC', 'Etc/UTC'])('stamp in UTC with TZ=%s, as Lambda sets it', (zone) => {
    // Prepare
    vi.stubEnv('TZ', zone);
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 2, 3, 4, 5, 600), toFake: ['Date'] });
    // Act, Assess
    expect(lineFrom(createToolkitLogger()).timestamp).toBe('2026-01-02T03:04:05.600Z');
  });

  it("keep Powertools' offset timestamps when TZ names another zone", () => {
    // Prepare
    vi.stubEnv('TZ', 'Asia/Tokyo');
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 2, 3, 4, 5, 600), toFake: ['Date'] });
    // Act
    const ours = lineFrom(createToolkitLogger()).timestamp;
    const powertools = lineFrom(new Logger()).timestamp;
    // Assess
    expect(ours).toBe('2026-01-02T12:04:05.600+09:00');
    expect(ours).toBe(powertools);
  });
});
