import { describe, expect, it } from 'vitest';
import type {
  HashCost,
  HashParams,
  ParsedHash,
} from '../../../../triggers/user-migration/password/hash-scheme.js';
import {
  COST_HOOKS,
  COST_SAFETY_FACTOR,
  FIRST_USE_SAFETY_FACTOR,
  createCostModel,
} from '../../../../triggers/user-migration/password/verify-cost.js';
import {
  inspectLegacyHash,
  verifyLegacyPassword,
} from '../../../../triggers/user-migration/password/verify-legacy-password.js';

/** A parser whose calibration hashes take a fixed time on a fake clock (`ms` per calibration run). */
function fakeParse(ms: number, clock: { now: number }, calls: string[]) {
  return (stored: string): ParsedHash | undefined => {
    const primitive = (Object.keys(COST_HOOKS) as HashCost['primitive'][]).find(
      (name) => COST_HOOKS[name].calibrationHash === stored,
    );
    if (primitive === undefined) return undefined;
    const real = inspectLegacyHash(stored);
    const cost = costOf(primitive, real?.params ?? {});
    return {
      scheme: real!.scheme,
      cost,
      params: real!.params,
      expected: new Uint8Array(),
      async derive() {
        calls.push(primitive);
        clock.now += ms;
        return new Uint8Array();
      },
    };
  };
}

function costOf(primitive: HashCost['primitive'], params: HashParams): HashCost {
  switch (primitive) {
    case 'bcrypt':
      return { primitive, cost: params.bcryptCost as number };
    case 'phpass':
      return { primitive, log2Rounds: params.phpassLog2Rounds as number };
    case 'pbkdf2':
      return { primitive, iterations: params.pbkdf2Iterations as number, blocks: 1 };
    case 'scrypt':
      return {
        primitive,
        n: params.scryptN as number,
        r: params.scryptR as number,
        p: params.scryptP as number,
      };
    case 'argon2':
      return {
        primitive,
        memoryKiB: params.argon2MemoryKiB as number,
        time: params.argon2Time as number,
        parallelism: params.argon2Parallelism as number,
      };
  }
}

describe('COST_HOOKS', () => {
  it.each(Object.entries(COST_HOOKS))(
    'has a %s calibration hash that the password module parses as that primitive',
    (primitive, hook) => {
      const inspected = inspectLegacyHash(hook.calibrationHash);

      expect(inspected).toBeDefined();
      const parsedPrimitive = inspected!.scheme.includes('argon2')
        ? 'argon2'
        : inspected!.scheme.includes('bcrypt')
          ? 'bcrypt'
          : inspected!.scheme.includes('scrypt')
            ? 'scrypt'
            : inspected!.scheme.includes('pbkdf2')
              ? 'pbkdf2'
              : inspected!.scheme;
      expect(parsedPrimitive).toBe(primitive);
    },
  );

  it.each([
    ['bcrypt cost 12 is 2^12 rounds', { primitive: 'bcrypt', cost: 12 }, 4096],
    ['phpass 2^13', { primitive: 'phpass', log2Rounds: 13 }, 8192],
    [
      'PBKDF2 600,000 iterations of one block',
      { primitive: 'pbkdf2', iterations: 600_000, blocks: 1 },
      600_000,
    ],
    ['scrypt N=2^15, r=8, p=2', { primitive: 'scrypt', n: 32768, r: 8, p: 2 }, 524_288],
    [
      'argon2 m=65536, t=3, whatever p',
      { primitive: 'argon2', memoryKiB: 65536, time: 3, parallelism: 4 },
      196_608,
    ],
  ] as const)('counts %s', (_case, cost, units) => {
    expect(COST_HOOKS[cost.primitive].units(cost)).toBe(units);
  });
});

describe('createCostModel', () => {
  it('extrapolates from the calibration run by work units, with headroom', async () => {
    // Prepare: bcrypt's calibration hash is cost 6 (64 rounds) and takes 4 ms on the fake clock.
    const clock = { now: 0 };
    const model = createCostModel({ parse: fakeParse(4, clock, []), now: () => clock.now });

    // Act
    const cost10 = await model.estimateMs({ cost: { primitive: 'bcrypt', cost: 10 } });
    const cost14 = await model.estimateMs({ cost: { primitive: 'bcrypt', cost: 14 } });

    // Assess: 4 ms / 64 rounds × 1024 rounds = 64 ms; × 16384 rounds = 1024 ms; with the first-use headroom
    // (no real verification timed yet).
    expect(cost10).toBeCloseTo(64 * FIRST_USE_SAFETY_FACTOR, 6);
    expect(cost14).toBeCloseTo(1024 * FIRST_USE_SAFETY_FACTOR, 6);
  });

  it('calibrates each primitive once per container, on its first use, with four runs', async () => {
    const clock = { now: 0 };
    const calls: string[] = [];
    const model = createCostModel({ parse: fakeParse(1, clock, calls), now: () => clock.now });

    expect(calls).toEqual([]);
    await Promise.all([
      model.estimateMs({ cost: { primitive: 'argon2', memoryKiB: 65536, time: 3, parallelism: 4 } }),
      model.estimateMs({ cost: { primitive: 'argon2', memoryKiB: 19456, time: 2, parallelism: 1 } }),
    ]);
    await model.estimateMs({ cost: { primitive: 'pbkdf2', iterations: 1000, blocks: 1 } });

    expect(calls).toEqual([...Array(4).fill('argon2'), ...Array(4).fill('pbkdf2')]);
  });

  it('follows real verifications that run slower than the calibration (a throttled or loaded CPU), never faster', async () => {
    // Prepare: calibration says 4 ms per 64 bcrypt rounds.
    const clock = { now: 0 };
    const model = createCostModel({ parse: fakeParse(4, clock, []), now: () => clock.now });
    const cost10 = { cost: { primitive: 'bcrypt', cost: 10 } } as const;
    const calibratedMs = (await model.estimateMs(cost10)) / FIRST_USE_SAFETY_FACTOR; // 64 ms

    // Act: a real cost-10 verification took 3× the calibrated time; then many took a tenth of it.
    model.record?.(cost10, calibratedMs * 3);
    const afterSlow = await model.estimateMs(cost10);
    for (let i = 0; i < 20; i += 1) model.record?.(cost10, calibratedMs / 10);
    const afterFast = await model.estimateMs(cost10);

    // Assess
    expect(calibratedMs).toBeCloseTo(64, 6);
    expect(afterSlow).toBeCloseTo(64 * 3 * COST_SAFETY_FACTOR, 6);
    expect(afterFast).toBeCloseTo(64 * COST_SAFETY_FACTOR, 6);
  });

  it('keeps the faster calibration run (the first pays for compiling the WASM module)', async () => {
    const clock = { now: 0 };
    let run = 0;
    const parse = fakeParse(0, clock, []);
    const model = createCostModel({
      parse: (stored) => {
        const parsed = parse(stored)!;
        return { ...parsed, derive: async () => ((clock.now += run++ === 0 ? 100 : 4), new Uint8Array()) };
      },
      now: () => clock.now,
    });

    expect(await model.estimateMs({ cost: { primitive: 'bcrypt', cost: 6 } })).toBeCloseTo(
      4 * FIRST_USE_SAFETY_FACTOR,
      6,
    );
  });
});

describe('verifyLegacyPassword with a budget', () => {
  // Argon2id m=256 MiB, t=10: inside today's limits, and seconds of blocking work. Salt and hash are
  // random bytes: the estimate must refuse before any hashing, so nothing is ever compared.
  const EXPENSIVE =
    '$argon2id$v=19$m=262144,t=10,p=1$c29tZXNhbHRzb21lc2FsdA$c29tZWhhc2hzb21laGFzaHNvbWVoYXNoc29tZWhhc2g';

  it('refuses to start a verification estimated beyond the budget, at once', async () => {
    const started = Date.now();

    const result = await verifyLegacyPassword('any-password-1', EXPENSIVE, undefined, { budgetMs: 200 });

    expect(result).toMatchObject({ ok: false, reason: 'over-budget', scheme: 'argon2id' });
    // Generous: the calibration is two Argon2 runs at 1 MiB; the refused hash alone would take seconds.
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('starts a cheap verification inside a budget', async () => {
    const result = await verifyLegacyPassword(
      'any-password-1',
      COST_HOOKS.bcrypt.calibrationHash,
      undefined,
      { budgetMs: 2000 },
    );

    expect(result).toMatchObject({ ok: false, reason: 'mismatch', scheme: 'bcrypt' });
  });

  it('refuses when the estimate is not a number', async () => {
    const result = await verifyLegacyPassword(
      'any-password-1',
      COST_HOOKS.bcrypt.calibrationHash,
      undefined,
      {
        budgetMs: 2000,
        costModel: { estimateMs: async () => Number.NaN },
      },
    );

    expect(result).toMatchObject({ ok: false, reason: 'over-budget' });
  });
});
