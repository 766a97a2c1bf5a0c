import { describe, expect, it } from 'vitest';
import { parseAttachArgs } from '../../tools/attach/args.js';
import { UsageError } from '../../tools/attach/errors.js';

const A = 'arn:aws:lambda:eu-west-1:123456789012:function:a';
const B = 'arn:aws:lambda:eu-west-1:123456789012:function:b';

function problemsOf(argv: string[]): readonly string[] {
  try {
    parseAttachArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return error.problems;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('parseAttachArgs', () => {
  it('reads a stack-based attach with defaults', () => {
    // Act
    const parsed = parseAttachArgs(['--user-pool-id', 'eu-west-1_AbC123', '--stack', 'kit']);

    // Assess
    expect(parsed).toEqual({
      help: false,
      options: {
        userPoolId: 'eu-west-1_AbC123',
        source: { kind: 'stack', stackName: 'kit' },
        tokenVersion: 'V2_0',
        dryRun: false,
        yes: false,
        detach: false,
        region: undefined,
        endpointUrl: undefined,
      },
    });
  });

  it('reads a sandbox attach: V1_0 tokens (what cognito-local sends), no confirmation, default state folder', () => {
    // Act
    const parsed = parseAttachArgs(['--sandbox', '--user-pool-id', 'local_1a2B', '--detach']);

    // Assess
    expect(parsed).toEqual({
      help: false,
      options: {
        userPoolId: 'local_1a2B',
        source: { kind: 'sandbox', stateDir: '.sandbox' },
        tokenVersion: 'V1_0',
        dryRun: false,
        yes: true,
        detach: true,
        region: undefined,
        endpointUrl: undefined,
      },
    });
  });

  it('refuses --state-dir without --sandbox', () => {
    expect(problemsOf(['--user-pool-id', 'local_1a2B', '--stack', 'kit', '--state-dir', 'x'])).toEqual([
      '--state-dir goes with --sandbox',
    ]);
  });

  it('reads a function list given once or in several flags, with every option', () => {
    // Act
    const parsed = parseAttachArgs([
      '--user-pool-id',
      'local_1a2B',
      '--functions',
      `PreSignUp=${A}`,
      '--functions',
      `CustomMessage=${B}`,
      '--token-version',
      'V1_0',
      '--dry-run',
      '--yes',
      '--detach',
      '--region',
      'eu-west-1',
      '--endpoint-url',
      'http://127.0.0.1:9229',
    ]);

    // Assess
    expect(parsed).toEqual({
      help: false,
      options: {
        userPoolId: 'local_1a2B',
        source: { kind: 'functions', functions: { PreSignUp: A, CustomMessage: B } },
        tokenVersion: 'V1_0',
        dryRun: true,
        yes: true,
        detach: true,
        region: 'eu-west-1',
        endpointUrl: 'http://127.0.0.1:9229',
      },
    });
  });

  it('answers --help without checking anything else', () => {
    // Act / Assess
    expect(parseAttachArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    {
      case: 'nothing given',
      argv: [],
      expected: ['--user-pool-id is required', 'one of --stack, --functions or --sandbox is required'],
    },
    {
      case: 'both sources and a bad version',
      argv: [
        '--user-pool-id',
        'eu-west-1_A1',
        '--stack',
        's',
        '--functions',
        `PreSignUp=${A}`,
        '--token-version',
        'V9',
      ],
      expected: [
        'give only one of --stack, --functions and --sandbox',
        '--token-version must be one of V1_0, V2_0, V3_0',
      ],
    },
    {
      case: 'a malformed pool id and endpoint',
      argv: ['--user-pool-id', 'pool', '--stack', 's', '--endpoint-url', 'not a url'],
      expected: [
        '--user-pool-id "pool" is not a user pool id (region_id)',
        '--endpoint-url "not a url" is not a URL',
      ],
    },
    {
      case: 'an unknown trigger, a missing ARN and a repeated trigger',
      argv: [
        '--user-pool-id',
        'eu-west-1_A1',
        '--functions',
        `PostAuthentication=${A},CustomMessage,PreSignUp=${A},PreSignUp=${B}`,
      ],
      expected: [
        '--functions: "PostAuthentication" is not one of PreSignUp, UserMigration, PreTokenGeneration, CustomMessage, PostConfirmation, CustomSender, CustomSenderKmsKey',
        '--functions: CustomMessage needs =<function arn>',
        '--functions: PreSignUp is given twice',
      ],
    },
    {
      case: 'a sender without its key',
      argv: ['--user-pool-id', 'eu-west-1_A1', '--functions', `CustomSender=${A}`],
      expected: [
        '--functions: CustomSender needs CustomSenderKmsKey=<kms key arn>, the key the pool encrypts codes with',
      ],
    },
    {
      case: 'a key without a sender',
      argv: [
        '--user-pool-id',
        'eu-west-1_A1',
        '--functions',
        'CustomSenderKmsKey=arn:aws:kms:eu-west-1:1:key/k',
      ],
      expected: ['--functions: CustomSenderKmsKey goes with CustomSender=<arn>'],
    },
  ])('lists every problem when $case', ({ argv, expected }) => {
    // Act / Assess
    expect(problemsOf(argv)).toEqual(expected);
  });

  it('rejects an unknown flag', () => {
    // Act
    const problems = problemsOf(['--user-pool-id', 'eu-west-1_A1', '--stack', 's', '--force']);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('--force');
  });
});
