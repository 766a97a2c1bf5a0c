import { VerificationBudgetError } from '../errors.js';
import type { HashCost, ParsedHash } from './hash-scheme.js';

/**
 * The cost model of password verification: how long a stored hash will take to verify, estimated from its
 * parameters and calibrated on this container, so that a verification that cannot finish inside what is
 * left of the budget is never started (bcrypt and Argon2 in WASM block the event loop: once started, no
 * deadline can fire until they end).
 *
 * One small hook per primitive: the work units a parameter set costs, and a fixed calibration hash of that
 * primitive at small parameters. Calibration runs the primitive's real `derive` (whatever implementation the
 * scheme module uses: WASM, native, async), on first use of the primitive, four times, and keeps the fastest run.
 * Calibration hashes are constants of the toolkit: no stored row can steer it.
 *
 * A short calibration runs at the CPU's full speed, but a long verification on a Lambda with a fraction of a
 * vCPU (under 1,769 MB) is throttled, and a loaded machine time-slices it: so every real verification is
 * recorded too, and the estimate takes the slower of the calibration and the recent real ones (a moving
 * average per primitive). A stored row cannot make a verification faster than it is.
 */

/** What a parameter set costs in its primitive's own unit, and the calibration hash for that unit. */
export interface CostHook {
  /** Work units, linear in time: rounds, iterations, memory × passes. */
  units(cost: HashCost): number;
  /** A valid hash of a random secret at small parameters (only ever timed, never matched). */
  readonly calibrationHash: string;
}

// Made with `npx tsx` on `createDummyHash(<scheme>, <params>)` of this module (random secrets, thrown away):
// bcrypt { bcryptCost: 6 }, phpass { phpassLog2Rounds: 10 }, passlib-pbkdf2-sha512 { pbkdf2Iterations: 2000 }
// (SHA-512, the slowest digest, so SHA-1/SHA-256 hashes are over- rather than under-estimated),
// passlib-scrypt { scryptN: 1024, scryptR: 8, scryptP: 1 }, argon2id { argon2MemoryKiB: 1024, argon2Time: 1,
// argon2Parallelism: 1 }.
export const COST_HOOKS: Readonly<Record<HashCost['primitive'], CostHook>> = Object.freeze({
  bcrypt: {
    units: (cost) => (cost.primitive === 'bcrypt' ? 2 ** cost.cost : Number.NaN),
    calibrationHash: '$2b$06$OBuLTaGb4sbNVKveAtKvSuYJ3g7I9po9wRvAX2959tNhYhg8SzHs6',
  },
  phpass: {
    units: (cost) => (cost.primitive === 'phpass' ? 2 ** cost.log2Rounds : Number.NaN),
    calibrationHash: '$P$8tCD8t48conSkRhXGVhn/WGqyGuxhw0',
  },
  pbkdf2: {
    units: (cost) => (cost.primitive === 'pbkdf2' ? cost.iterations * cost.blocks : Number.NaN),
    calibrationHash:
      '$pbkdf2-sha512$2000$vme7NYoTBINiTyZH7uxwVA$M9STfd.gAUmLscoj7I7HMGgHvBMKXbV4isWzrifMBN2z9zsxwSu/1gEFuO5rFDX5drAHet/29h6JQzMyt2SViQ',
  },
  scrypt: {
    units: (cost) => (cost.primitive === 'scrypt' ? cost.n * cost.r * cost.p : Number.NaN),
    calibrationHash:
      '$scrypt$ln=10,r=8,p=1$WSupdwK3vhhibuC+QM7s4Q$HEgcJT2oY21wyjosHwK5vK/wBxbEjg7lSHDgVNP2em4',
  },
  argon2: {
    // Lanes split the memory, they do not add work: m × t is the work, whatever p is.
    units: (cost) => (cost.primitive === 'argon2' ? cost.memoryKiB * cost.time : Number.NaN),
    calibrationHash:
      '$argon2id$v=19$m=1024,t=1,p=1$xw3RyumJLiao5ktlwHnyAQ$PT6w6fmLwrD7GkOXpUM24SKKKsEIiKra09WMfdZBtzw',
  },
});

/**
 * Headroom on the extrapolation: large parameter sets miss the caches that the small calibration hits, and
 * a loaded container runs slower than it calibrated. Refusing a little early costs a retry; answering late
 * costs the answer.
 */
export const COST_SAFETY_FACTOR = 1.5;

/**
 * Headroom before the container has timed a real verification of the primitive: a short calibration runs at
 * full CPU speed, and a long verification on a throttled fractional vCPU or a loaded machine ran up to ~2.5×
 * slower per unit here.
 */
export const FIRST_USE_SAFETY_FACTOR = 3;

export { VerificationBudgetError };

export interface CostModel {
  /** Estimated milliseconds to verify `parsed` on this container, headroom included. */
  estimateMs(parsed: Pick<ParsedHash, 'cost'>): Promise<number>;
  /** Records how long a real verification of `parsed` took, so the estimate follows the container's speed. */
  record?(parsed: Pick<ParsedHash, 'cost'>, elapsedMs: number): void;
}

// Runs of the calibration hash; each is a few milliseconds.
const CALIBRATION_RUNS = 4;

// Weight of the newest real verification in the moving average of milliseconds per unit.
const RECENT_WEIGHT = 0.3;

export interface CostModelOptions {
  /** Parses a calibration hash (the password module's own parser). */
  readonly parse: (stored: string) => ParsedHash | undefined;
  readonly hooks?: Readonly<Record<HashCost['primitive'], CostHook>>;
  /**
   * The calibration's clock, in milliseconds. Default: the process's CPU time, so that a loaded machine
   * descheduling a few-millisecond run does not inflate the calibration (real verifications are recorded in
   * wall time, which is what the deadline counts).
   */
  readonly now?: () => number;
}

/**
 * A cost model calibrated lazily, once per primitive and container.
 *
 * @example
 * ```ts
 * const model = createCostModel({ parse: (stored) => parseForCost(stored) });
 * if ((await model.estimateMs(parsed)) > deadline.remainingMs()) throw new VerificationBudgetError('...');
 * ```
 */
export function createCostModel(options: CostModelOptions): CostModel {
  const hooks = options.hooks ?? COST_HOOKS;
  const now = options.now ?? processCpuMs;
  const msPerUnit = new Map<HashCost['primitive'], Promise<number>>();
  const observedMsPerUnit = new Map<HashCost['primitive'], number>();

  const calibrate = async (primitive: HashCost['primitive']): Promise<number> => {
    const hook = hooks[primitive];
    const parsed = options.parse(hook.calibrationHash);
    if (parsed === undefined || parsed.cost.primitive !== primitive) {
      throw new VerificationBudgetError(`The ${primitive} calibration hash does not parse`);
    }
    const units = hook.units(parsed.cost);
    const password = new Uint8Array([0x63, 0x61, 0x6c, 0x69, 0x62, 0x72, 0x61, 0x74, 0x65]);
    let fastest = Number.POSITIVE_INFINITY;
    // The first run pays for compiling the WASM module and warming the JIT; the fastest is the primitive.
    for (let run = 0; run < CALIBRATION_RUNS; run += 1) {
      const started = now();
      await parsed.derive(password);
      fastest = Math.min(fastest, now() - started);
    }
    return Math.max(fastest, 0) / units;
  };

  return {
    async estimateMs(parsed) {
      const primitive = parsed.cost.primitive;
      let perUnit = msPerUnit.get(primitive);
      if (perUnit === undefined) {
        perUnit = calibrate(primitive);
        msPerUnit.set(primitive, perUnit);
        perUnit.catch(() => msPerUnit.delete(primitive));
      }
      const units = hooks[primitive].units(parsed.cost);
      const observed = observedMsPerUnit.get(primitive);
      const calibrated = await perUnit;
      return observed === undefined
        ? units * calibrated * FIRST_USE_SAFETY_FACTOR
        : units * Math.max(calibrated, observed) * COST_SAFETY_FACTOR;
    },
    record(parsed, elapsedMs) {
      const primitive = parsed.cost.primitive;
      const units = hooks[primitive].units(parsed.cost);
      if (!(units > 0) || !(elapsedMs >= 0)) return;
      const sample = elapsedMs / units;
      const previous = observedMsPerUnit.get(primitive);
      observedMsPerUnit.set(
        primitive,
        previous === undefined ? sample : previous * (1 - RECENT_WEIGHT) + sample * RECENT_WEIGHT,
      );
    },
  };
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
