import { describe, expect, it } from 'vitest';
import { NO_DEADLINE } from '../../shared/deadline.js';
import { CUSTOM_SENDER_SOURCES, PRE_SIGN_UP_SOURCES } from '../../shared/trigger-sources.js';

describe('the constant lists made by calls marked pure', () => {
  it('gives the custom sender every email source, then every SMS source, frozen', () => {
    expect(CUSTOM_SENDER_SOURCES).toHaveLength(15);
    expect(CUSTOM_SENDER_SOURCES.slice(0, 2)).toEqual([
      'CustomEmailSender_SignUp',
      'CustomEmailSender_ResendCode',
    ]);
    expect(CUSTOM_SENDER_SOURCES.at(7)).toBe('CustomEmailSender_Authentication');
    expect(CUSTOM_SENDER_SOURCES.at(8)).toBe('CustomSMSSender_SignUp');
    expect(CUSTOM_SENDER_SOURCES.at(-1)).toBe('CustomSMSSender_Authentication');
    expect(Object.isFrozen(CUSTOM_SENDER_SOURCES)).toBe(true);
    expect(Object.isFrozen(PRE_SIGN_UP_SOURCES)).toBe(true);
  });

  it('makes NO_DEADLINE frozen, never aborted, with no end', () => {
    expect(Object.isFrozen(NO_DEADLINE)).toBe(true);
    expect(NO_DEADLINE.signal.aborted).toBe(false);
    expect(NO_DEADLINE.remainingMs()).toBe(Number.POSITIVE_INFINITY);
  });
});
