import { describe, expect, it } from 'vitest';
import {
  decodeAdaptedBase64,
  decodeBase64Padded,
  decodeBase64Unpadded,
  decodeBcryptSalt,
  decodeLowerHex,
  encodePhpassBase64,
} from '../../../../triggers/user-migration/password/encodings.js';

describe('strict decoders', () => {
  it.each<[string, (text: string) => Uint8Array | undefined, string, number[] | undefined]>([
    ['padded base64', decodeBase64Padded, 'AQID', [1, 2, 3]],
    ['padded base64 missing its padding', decodeBase64Padded, 'AQI', undefined],
    ['padded base64 with non-zero trailing bits', decodeBase64Padded, 'AQJ=', undefined],
    ['unpadded base64', decodeBase64Unpadded, 'AQI', [1, 2]],
    ['unpadded base64 with padding', decodeBase64Unpadded, 'AQI=', undefined],
    ['unpadded base64 of impossible length', decodeBase64Unpadded, 'AQIDB', undefined],
    ['adapted base64 with a dot', decodeAdaptedBase64, '..8', [0xfb, 0xef]],
    ['adapted base64 with a plus', decodeAdaptedBase64, '++8', undefined],
    ['lowercase hex', decodeLowerHex, '0aff', [0x0a, 0xff]],
    ['uppercase hex', decodeLowerHex, '0AFF', undefined],
    ['odd-length hex', decodeLowerHex, '0af', undefined],
  ])('decodes %s', (_label, decode, text, expected) => {
    // Act
    const bytes = decode(text);
    // Assess
    expect(bytes === undefined ? undefined : [...bytes]).toEqual(expected);
  });

  it('decodes a bcrypt salt of the crypt alphabet into 16 bytes', () => {
    // Act: '......................' is all zero bits; 'O' is 16 in bcrypt's alphabet, the top two bits of byte 0.
    const zeros = decodeBcryptSalt('......................');
    const first = decodeBcryptSalt('O.....................');
    // Assess
    expect([...(zeros ?? [])]).toEqual(new Array(16).fill(0));
    expect(first?.[0]).toBe(0x40);
    expect(decodeBcryptSalt('!.....................')).toBeUndefined();
  });

  it('encodes as phpass does (little-endian 6-bit groups)', () => {
    // Assess: byte 0x01 -> value 1 ('/') then 0 ('.'); 0xff 0xff 0xff -> 'zzzz'.
    expect(encodePhpassBase64(Uint8Array.of(1))).toBe('/.');
    expect(encodePhpassBase64(Uint8Array.of(0xff, 0xff, 0xff))).toBe('zzzz');
  });
});
