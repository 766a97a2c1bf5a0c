import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import {
  attachToolkitTriggers,
  detachToolkitTriggers,
  normaliseLambdaConfig,
  type TokenVersion,
} from '../../tools/attach/lambda-config.js';

const fn = (name: string): string => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
const OURS = {
  PreSignUp: fn('kit-pre-sign-up'),
  UserMigration: fn('kit-user-migration'),
  PreTokenGeneration: fn('kit-pre-token'),
  CustomMessage: fn('kit-custom-message'),
};
const EXISTING: LambdaConfigType = {
  PostConfirmation: fn('welcome'),
  CustomEmailSender: { LambdaArn: fn('sender'), LambdaVersion: 'V1_0' },
  KMSKeyID: 'arn:aws:kms:eu-west-1:123456789012:key/1234',
};

describe('attachToolkitTriggers', () => {
  it.each<{ version: TokenVersion; legacy: string | undefined }>([
    { version: 'V1_0', legacy: OURS.PreTokenGeneration },
    { version: 'V2_0', legacy: undefined },
    { version: 'V3_0', legacy: undefined },
  ])('sets the token trigger as $version and the legacy field only for V1_0', ({ version, legacy }) => {
    // Act
    const config = attachToolkitTriggers(EXISTING, OURS, version);

    // Assess
    expect(config).toEqual({
      ...EXISTING,
      PreSignUp: OURS.PreSignUp,
      UserMigration: OURS.UserMigration,
      CustomMessage: OURS.CustomMessage,
      PreTokenGenerationConfig: { LambdaArn: OURS.PreTokenGeneration, LambdaVersion: version },
      ...(legacy ? { PreTokenGeneration: legacy } : {}),
    });
  });

  it('keeps other triggers, the custom email sender and its KMS key untouched', () => {
    // Act
    const config = attachToolkitTriggers(EXISTING, { PreSignUp: OURS.PreSignUp }, 'V2_0');

    // Assess
    expect(config).toEqual({ ...EXISTING, PreSignUp: OURS.PreSignUp });
  });

  it('drops an old legacy token ARN that would contradict a V2_0 config', () => {
    // Prepare
    const current: LambdaConfigType = { PreTokenGeneration: fn('old-token') };

    // Act
    const config = attachToolkitTriggers(current, { PreTokenGeneration: OURS.PreTokenGeneration }, 'V2_0');

    // Assess
    expect(config).toEqual({
      PreTokenGenerationConfig: { LambdaArn: OURS.PreTokenGeneration, LambdaVersion: 'V2_0' },
    });
  });

  it('attaches to a pool without any LambdaConfig and leaves the input unmodified', () => {
    // Prepare
    const current: LambdaConfigType = { PostConfirmation: fn('welcome') };

    // Act
    const fromNothing = attachToolkitTriggers(undefined, { CustomMessage: OURS.CustomMessage }, 'V2_0');
    attachToolkitTriggers(current, OURS, 'V2_0');

    // Assess
    expect(fromNothing).toEqual({ CustomMessage: OURS.CustomMessage });
    expect(current).toEqual({ PostConfirmation: fn('welcome') });
  });
});

describe('the PostConfirmation slot', () => {
  const ourPostConfirmation = fn('kit-post-confirmation');

  it('is set directly, with every other trigger kept', () => {
    // Act
    const config = attachToolkitTriggers(
      { PreSignUp: fn('theirs') },
      { PostConfirmation: ourPostConfirmation },
      'V2_0',
    );

    // Assess
    expect(config).toEqual({ PreSignUp: fn('theirs'), PostConfirmation: ourPostConfirmation });
  });

  it('replaces a PostConfirmation function of the pool only when ours is named', () => {
    // Act
    const without = attachToolkitTriggers(EXISTING, OURS, 'V2_0');
    const withOurs = attachToolkitTriggers(
      EXISTING,
      { ...OURS, PostConfirmation: ourPostConfirmation },
      'V2_0',
    );

    // Assess
    expect(without.PostConfirmation).toBe(fn('welcome'));
    expect(withOurs.PostConfirmation).toBe(ourPostConfirmation);
  });

  it('is detached when it is ours, and reported and kept when it is another function', () => {
    // Prepare
    const ours = attachToolkitTriggers(undefined, { PostConfirmation: ourPostConfirmation }, 'V2_0');

    // Act
    const removed = detachToolkitTriggers(ours, { PostConfirmation: ourPostConfirmation });
    const kept = detachToolkitTriggers(EXISTING, { PostConfirmation: ourPostConfirmation });

    // Assess
    expect(removed).toEqual({ lambdaConfig: {}, removed: ['PostConfirmation'], foreign: [] });
    expect(kept.lambdaConfig).toEqual(EXISTING);
    expect(kept.foreign).toEqual([{ trigger: 'PostConfirmation', arn: fn('welcome') }]);
  });
});

describe('detachToolkitTriggers', () => {
  it('removes only the slots that point at our functions', () => {
    // Prepare
    const current = attachToolkitTriggers(EXISTING, OURS, 'V1_0');

    // Act
    const plan = detachToolkitTriggers(current, OURS);

    // Assess
    expect(plan.lambdaConfig).toEqual(EXISTING);
    expect(plan.removed).toEqual(['PreSignUp', 'UserMigration', 'CustomMessage', 'PreTokenGeneration']);
    expect(plan.foreign).toEqual([]);
  });

  it('leaves a slot that holds another function and reports it', () => {
    // Prepare
    const current: LambdaConfigType = {
      PreSignUp: fn('someone-else'),
      CustomMessage: OURS.CustomMessage,
      PreTokenGenerationConfig: { LambdaArn: fn('other-token'), LambdaVersion: 'V2_0' },
    };

    // Act
    const plan = detachToolkitTriggers(current, OURS);

    // Assess
    expect(plan.lambdaConfig).toEqual({
      PreSignUp: fn('someone-else'),
      PreTokenGenerationConfig: { LambdaArn: fn('other-token'), LambdaVersion: 'V2_0' },
    });
    expect(plan.removed).toEqual(['CustomMessage']);
    expect(plan.foreign).toEqual([
      { trigger: 'PreSignUp', arn: fn('someone-else') },
      { trigger: 'PreTokenGeneration', arn: fn('other-token') },
    ]);
  });

  it('removes a legacy-only token trigger that is ours', () => {
    // Act
    const plan = detachToolkitTriggers(
      { PreTokenGeneration: OURS.PreTokenGeneration, PostConfirmation: fn('welcome') },
      OURS,
    );

    // Assess
    expect(plan.lambdaConfig).toEqual({ PostConfirmation: fn('welcome') });
    expect(plan.removed).toEqual(['PreTokenGeneration']);
  });

  it('ignores triggers that were not named', () => {
    // Prepare
    const current = attachToolkitTriggers(undefined, OURS, 'V2_0');

    // Act
    const plan = detachToolkitTriggers(current, { CustomMessage: OURS.CustomMessage });

    // Assess
    expect(plan.lambdaConfig).toEqual({
      PreSignUp: OURS.PreSignUp,
      UserMigration: OURS.UserMigration,
      PreTokenGenerationConfig: { LambdaArn: OURS.PreTokenGeneration, LambdaVersion: 'V2_0' },
    });
  });
});

describe('normaliseLambdaConfig', () => {
  it.each([
    {
      case: 'drops a legacy token ARN equal to the config ARN',
      config: {
        PreTokenGeneration: fn('t'),
        PreTokenGenerationConfig: { LambdaArn: fn('t'), LambdaVersion: 'V2_0' },
      },
      expected: { PreTokenGenerationConfig: { LambdaArn: fn('t'), LambdaVersion: 'V2_0' } },
    },
    {
      case: 'keeps a legacy token ARN when there is no config',
      config: { PreTokenGeneration: fn('t') },
      expected: { PreTokenGeneration: fn('t') },
    },
    {
      case: 'keeps a legacy token ARN that differs from the config ARN',
      config: {
        PreTokenGeneration: fn('a'),
        PreTokenGenerationConfig: { LambdaArn: fn('b'), LambdaVersion: 'V1_0' },
      },
      expected: {
        PreTokenGeneration: fn('a'),
        PreTokenGenerationConfig: { LambdaArn: fn('b'), LambdaVersion: 'V1_0' },
      },
    },
  ] as { case: string; config: LambdaConfigType; expected: LambdaConfigType }[])(
    '$case',
    ({ config, expected }) => {
      // Act / Assess
      expect(normaliseLambdaConfig(config)).toEqual(expected);
    },
  );
});

describe('the custom sender (CustomSender: both sender slots and the pool key)', () => {
  const SENDER = fn('kit-custom-sender');
  const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/5678abcd-12ab-34cd-56ef-1234567890ab';
  const WITH_SENDER = { CustomSender: SENDER, CustomSenderKmsKey: KEY };

  it('fills CustomEmailSender and CustomSMSSender with V1_0 and sets KMSKeyID, keeping the rest', () => {
    // Act
    const config = attachToolkitTriggers({ PostConfirmation: fn('welcome') }, WITH_SENDER, 'V2_0');

    // Assess
    expect(config).toEqual({
      PostConfirmation: fn('welcome'),
      CustomEmailSender: { LambdaArn: SENDER, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: SENDER, LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    });
  });

  it('replaces a sender and key of another function when asked to attach ours', () => {
    // Act
    const config = attachToolkitTriggers(EXISTING, WITH_SENDER, 'V2_0');

    // Assess
    expect(config.CustomEmailSender).toEqual({ LambdaArn: SENDER, LambdaVersion: 'V1_0' });
    expect(config.KMSKeyID).toBe(KEY);
  });

  it('detaches both slots and the key when they are ours', () => {
    // Prepare
    const attached = attachToolkitTriggers({ PostConfirmation: fn('welcome') }, WITH_SENDER, 'V2_0');

    // Act
    const plan = detachToolkitTriggers(attached, WITH_SENDER);

    // Assess
    expect(plan.lambdaConfig).toEqual({ PostConfirmation: fn('welcome') });
    expect(plan.removed).toEqual(['CustomSender']);
  });

  it('leaves a sender slot of another function, and the key with it', () => {
    // Prepare
    const current: LambdaConfigType = {
      CustomEmailSender: { LambdaArn: SENDER, LambdaVersion: 'V1_0' },
      CustomSMSSender: { LambdaArn: fn('their-sms'), LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    };

    // Act
    const plan = detachToolkitTriggers(current, WITH_SENDER);

    // Assess
    expect(plan.lambdaConfig).toEqual({
      CustomSMSSender: { LambdaArn: fn('their-sms'), LambdaVersion: 'V1_0' },
      KMSKeyID: KEY,
    });
    expect(plan.foreign).toEqual([{ trigger: 'CustomSender', arn: fn('their-sms') }]);
  });

  it('keeps a key that is not ours even when it removes our slots', () => {
    // Prepare
    const current: LambdaConfigType = {
      CustomEmailSender: { LambdaArn: SENDER, LambdaVersion: 'V1_0' },
      KMSKeyID: 'arn:aws:kms:eu-west-1:123456789012:key/other',
    };

    // Act
    const plan = detachToolkitTriggers(current, WITH_SENDER);

    // Assess
    expect(plan.lambdaConfig).toEqual({ KMSKeyID: 'arn:aws:kms:eu-west-1:123456789012:key/other' });
  });
});
