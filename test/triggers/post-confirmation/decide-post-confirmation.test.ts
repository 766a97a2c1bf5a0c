import { describe, expect, it } from 'vitest';
import { planPostConfirmation } from '../../../triggers/post-confirmation/decide-post-confirmation.js';

const confirmation = (overrides: Record<string, unknown> = {}) => ({
  triggerSource: 'PostConfirmation_ConfirmSignUp',
  userPoolId: 'us-east-1_EXAMPLE',
  userName: 'user-id',
  ...overrides,
});

describe('planPostConfirmation', () => {
  it('provisions and joins the configured groups on a sign-up confirmation', () => {
    expect(planPostConfirmation(confirmation(), ['customers', 'newsletter'])).toEqual({
      provision: true,
      groups: ['customers', 'newsletter'],
      target: { userPoolId: 'us-east-1_EXAMPLE', username: 'user-id' },
    });
  });

  it('provisions and joins nothing else when no groups are configured', () => {
    expect(planPostConfirmation(confirmation(), [])).toEqual({ provision: true, groups: [] });
  });

  it.each(['PostConfirmation_ConfirmForgotPassword', 'PostConfirmation_Unknown', 'PreSignUp_SignUp'])(
    'does nothing for %s',
    (triggerSource) => {
      expect(planPostConfirmation(confirmation({ triggerSource }), ['customers'])).toEqual({
        provision: false,
        groups: [],
      });
    },
  );

  it.each([
    ['no user pool id', { userPoolId: undefined }],
    ['an empty username', { userName: '' }],
    ['a username that is not a string', { userName: 42 }],
  ])('still provisions but marks the groups unaddressable with %s', (_case, overrides) => {
    expect(planPostConfirmation(confirmation(overrides), ['customers'])).toEqual({
      provision: true,
      groups: [],
      groupsUnaddressable: true,
    });
  });
});
