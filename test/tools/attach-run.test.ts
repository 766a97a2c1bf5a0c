import type { UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import type { AttachOptions } from '../../tools/attach/args.js';
import { AttachError } from '../../tools/attach/errors.js';
import type { ToolkitFunctions } from '../../tools/attach/lambda-config.js';
import { DESCRIBE_ONLY_FIELDS } from '../../tools/attach/pool-input.js';
import type { Console, UserPoolAdmin } from '../../tools/attach/ports.js';
import { runAttach } from '../../tools/attach/run-attach.js';

const fn = (name: string, region = 'eu-west-1'): string =>
  `arn:aws:lambda:${region}:123456789012:function:${name}`;
const OURS = { PreSignUp: fn('kit-pre-sign-up'), PreTokenGeneration: fn('kit-pre-token') };
const POOL: UserPoolType = {
  Id: 'eu-west-1_AbC123',
  Arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123',
  Name: 'customers',
  Policies: { PasswordPolicy: { MinimumLength: 14, TemporaryPasswordValidityDays: 2 } },
  MfaConfiguration: 'OPTIONAL',
  UserPoolTags: { team: 'identity' },
  UserPoolTier: 'ESSENTIALS',
  LambdaConfig: { PostConfirmation: fn('welcome') },
  SchemaAttributes: [{ Name: 'email', Required: true }],
  LastModifiedDate: new Date('2025-01-01T00:00:00Z'),
};

/** Cognito's update semantics in memory: every settable field not sent is reset (removed). */
class InMemoryUserPoolAdmin implements UserPoolAdmin {
  public pool: UserPoolType;
  public readonly updates: UpdateUserPoolRequest[] = [];
  public describeCount = 0;

  public constructor(
    pool: UserPoolType,
    private readonly hooks: {
      onDescribe?: (count: number, pool: UserPoolType) => void;
      onUpdate?: (pool: UserPoolType) => void;
    } = {},
  ) {
    this.pool = structuredClone(pool);
  }

  public async describeUserPool(userPoolId: string): Promise<UserPoolType> {
    if (userPoolId !== this.pool.Id) throw new AttachError(`User pool ${userPoolId} was not found`);
    this.describeCount += 1;
    this.hooks.onDescribe?.(this.describeCount, this.pool);
    return structuredClone(this.pool);
  }

  public async getMfaConfig(): Promise<Record<string, unknown>> {
    return { MfaConfiguration: this.pool.MfaConfiguration, SoftwareTokenMfaConfiguration: { Enabled: true } };
  }

  public async updateUserPool(input: UpdateUserPoolRequest): Promise<void> {
    this.updates.push(structuredClone(input));
    const kept = Object.fromEntries(
      Object.entries(this.pool).filter(([key]) => (DESCRIBE_ONLY_FIELDS as string[]).includes(key)),
    );
    const { UserPoolId: _id, PoolName, ...settable } = structuredClone(input);
    this.pool = {
      ...kept,
      ...settable,
      Name: PoolName,
      LastModifiedDate: new Date('2025-06-01T00:00:00Z'),
    } as UserPoolType;
    this.hooks.onUpdate?.(this.pool);
  }
}

function recordingConsole(answer: boolean | 'no-tty'): Console & { lines: string[]; questions: string[] } {
  const lines: string[] = [];
  const questions: string[] = [];
  return {
    lines,
    questions,
    print: (line) => lines.push(line),
    canAsk: answer !== 'no-tty',
    ask: async (question) => {
      questions.push(question);
      return answer === true;
    },
  };
}

function options(overrides: Partial<AttachOptions> = {}): AttachOptions {
  return {
    userPoolId: 'eu-west-1_AbC123',
    source: { kind: 'functions', functions: OURS },
    tokenVersion: 'V2_0',
    dryRun: false,
    yes: false,
    detach: false,
    ...overrides,
  };
}

function deps(admin: UserPoolAdmin, console: Console, functions: ToolkitFunctions = OURS) {
  return { admin, console, functions: { resolveFunctions: async () => functions } };
}

describe('runAttach', () => {
  it('applies after confirmation, keeps every other setting and proves it', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL);
    const console = recordingConsole(true);

    // Act
    const outcome = await runAttach(options(), deps(admin, console));

    // Assess
    expect(outcome).toEqual({ status: 'applied', exitCode: 0 });
    expect(console.questions).toEqual(['Apply this change to eu-west-1_AbC123? [y/N] ']);
    expect(admin.pool).toEqual({
      ...POOL,
      LambdaConfig: {
        PostConfirmation: fn('welcome'),
        PreSignUp: OURS.PreSignUp,
        PreTokenGenerationConfig: { LambdaArn: OURS.PreTokenGeneration, LambdaVersion: 'V2_0' },
      },
      LastModifiedDate: new Date('2025-06-01T00:00:00Z'),
    });
    expect(console.lines).toContain(
      '  + LambdaConfig.PreSignUp: arn:aws:lambda:eu-west-1:123456789012:function:kit-pre-sign-up',
    );
    expect(console.lines.at(-1)).toBe('Applied and verified: only LambdaConfig changed, as planned.');
  });

  it('prints the plan and changes nothing on a dry run', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL);
    const console = recordingConsole('no-tty');

    // Act
    const outcome = await runAttach(options({ dryRun: true }), deps(admin, console));

    // Assess
    expect(outcome).toEqual({ status: 'dry-run', exitCode: 0 });
    expect(admin.updates).toEqual([]);
    expect(console.lines).toEqual([
      'User pool eu-west-1_AbC123 (customers) in eu-west-1',
      'Planned change (3 lines; every other setting is sent back as it is):',
      '  + LambdaConfig.PreSignUp: arn:aws:lambda:eu-west-1:123456789012:function:kit-pre-sign-up',
      '  + LambdaConfig.PreTokenGenerationConfig.LambdaArn: arn:aws:lambda:eu-west-1:123456789012:function:kit-pre-token',
      '  + LambdaConfig.PreTokenGenerationConfig.LambdaVersion: V2_0',
      'LambdaConfig after the change: PostConfirmation, PreSignUp, PreTokenGenerationConfig',
      'Dry run: nothing was changed.',
    ]);
  });

  it('refuses to apply without a terminal and without --yes', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL);

    // Act
    const attempt = runAttach(options(), deps(admin, recordingConsole('no-tty')));

    // Assess
    await expect(attempt).rejects.toThrow('Refusing to change the user pool without confirmation');
    expect(admin.updates).toEqual([]);
  });

  it('applies without asking when --yes is given', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL);
    const console = recordingConsole('no-tty');

    // Act
    const outcome = await runAttach(options({ yes: true }), deps(admin, console));

    // Assess
    expect(outcome.status).toBe('applied');
    expect(console.questions).toEqual([]);
  });

  it('changes nothing when the user declines', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL);

    // Act
    const outcome = await runAttach(options(), deps(admin, recordingConsole(false)));

    // Assess
    expect(outcome).toEqual({ status: 'declined', exitCode: 1 });
    expect(admin.updates).toEqual([]);
  });

  it('does not call UpdateUserPool when the triggers are already attached', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL);
    await runAttach(options({ yes: true }), deps(admin, recordingConsole('no-tty')));

    // Act
    const outcome = await runAttach(options({ yes: true }), deps(admin, recordingConsole('no-tty')));

    // Assess
    expect(outcome).toEqual({ status: 'unchanged', exitCode: 0 });
    expect(admin.updates).toHaveLength(1);
  });

  it('detaches only our triggers and restores the original pool', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL);
    await runAttach(options({ yes: true }), deps(admin, recordingConsole('no-tty')));

    // Act
    const outcome = await runAttach(
      options({ yes: true, detach: true }),
      deps(admin, recordingConsole('no-tty')),
    );

    // Assess
    expect(outcome.status).toBe('applied');
    expect(admin.pool).toEqual({ ...POOL, LastModifiedDate: new Date('2025-06-01T00:00:00Z') });
  });

  it('exits with 3 when the read-back shows another setting changed', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL, { onUpdate: (pool) => delete pool.UserPoolTags });
    const console = recordingConsole('no-tty');

    // Act
    const outcome = await runAttach(options({ yes: true }), deps(admin, console));

    // Assess
    expect(outcome).toEqual({ status: 'verification-failed', exitCode: 3 });
    expect(console.lines).toContain('  - UserPoolTags.team: identity');
  });

  it('stops without updating when the pool changed while the question was open', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(POOL, {
      onDescribe: (count, pool) => {
        if (count === 2) pool.MfaConfiguration = 'ON';
      },
    });

    // Act
    const attempt = runAttach(options(), deps(admin, recordingConsole(true)));

    // Assess
    await expect(attempt).rejects.toThrow('The user pool changed since it was read');
    expect(admin.updates).toEqual([]);
  });

  it.each([
    {
      case: 'a function in another region',
      pool: POOL,
      functions: { PreSignUp: fn('kit-pre-sign-up', 'us-east-1') },
      message: 'PreSignUp: the function is in us-east-1 but the user pool is in eu-west-1',
    },
    {
      case: 'a V2_0 token trigger on a Lite pool',
      pool: { ...POOL, UserPoolTier: 'LITE' as const },
      functions: { PreTokenGeneration: OURS.PreTokenGeneration },
      message: 'the V2_0 event needs the Essentials or Plus tier',
    },
  ])('refuses $case before changing anything', async ({ pool, functions, message }) => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin(pool);

    // Act
    const attempt = runAttach(options({ yes: true }), deps(admin, recordingConsole('no-tty'), functions));

    // Assess
    await expect(attempt).rejects.toThrow(message);
    expect(admin.updates).toEqual([]);
  });

  it('reports a trigger slot held by another function on detach and leaves it', async () => {
    // Prepare
    const admin = new InMemoryUserPoolAdmin({ ...POOL, LambdaConfig: { PreSignUp: fn('someone-else') } });
    const console = recordingConsole('no-tty');

    // Act
    const outcome = await runAttach(options({ yes: true, detach: true }), deps(admin, console));

    // Assess
    expect(outcome.status).toBe('unchanged');
    expect(console.lines).toContain(
      `Left in place: PreSignUp points at ${fn('someone-else')}, which is not our function.`,
    );
  });
});
