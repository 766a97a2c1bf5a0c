// Strict decoders for the text encodings legacy hash formats use. Each returns undefined instead of
// throwing, and accepts only the canonical form (the one the reference implementations write), so a
// tampered or truncated hash is refused as malformed rather than silently reinterpreted.

const STANDARD_PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const STANDARD_UNPADDED = /^[A-Za-z0-9+/]*$/;
const ADAPTED_UNPADDED = /^[A-Za-z0-9./]*$/;
const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/** Standard base64 with `=` padding (Django, ASP.NET Identity). */
export function decodeBase64Padded(text: string): Buffer | undefined {
  if (!STANDARD_PADDED.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Standard base64 without padding (the PHC string format: Argon2, passlib's `$scrypt$`). */
export function decodeBase64Unpadded(text: string): Buffer | undefined {
  if (!STANDARD_UNPADDED.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return encodeBase64Unpadded(bytes) === text ? bytes : undefined;
}

export function encodeBase64Unpadded(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

/** passlib's "adapted base64": standard base64 with `.` instead of `+`, no padding. */
export function decodeAdaptedBase64(text: string): Buffer | undefined {
  if (!ADAPTED_UNPADDED.test(text)) return undefined;
  return decodeBase64Unpadded(text.replaceAll('.', '+'));
}

export function encodeAdaptedBase64(bytes: Uint8Array): string {
  return encodeBase64Unpadded(bytes).replaceAll('+', '.');
}

/** Lowercase hex, as Werkzeug writes it (its comparison is on the hex text, so uppercase never matched). */
export function decodeLowerHex(text: string): Buffer | undefined {
  return LOWER_HEX.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** The crypt(3) alphabet used by phpass (`./0-9A-Za-z`). */
export const PHPASS_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** phpass's `encode64`: little-endian 6-bit groups over the crypt(3) alphabet. */
export function encodePhpassBase64(input: Uint8Array): string {
  let output = '';
  let i = 0;
  const count = input.length;
  const char = (value: number): string => PHPASS_ALPHABET.charAt(value & 0x3f);
  do {
    let value = input[i++] ?? 0;
    output += char(value);
    if (i < count) value |= (input[i] ?? 0) << 8;
    output += char(value >> 6);
    if (i++ >= count) break;
    if (i < count) value |= (input[i] ?? 0) << 16;
    output += char(value >> 12);
    if (i++ >= count) break;
    output += char(value >> 18);
  } while (i < count);
  return output;
}

/** bcrypt's alphabet: the same bit order as base64, another character order. */
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Decodes bcrypt's 22-character salt into its 16 bytes (the last character's 4 low bits are unused). */
export function decodeBcryptSalt(text: string): Uint8Array | undefined {
  if (text.length !== 22) return undefined;
  const bytes = new Uint8Array(16);
  let accumulator = 0;
  let bits = 0;
  let index = 0;
  for (const character of text) {
    const value = BCRYPT_ALPHABET.indexOf(character);
    if (value < 0) return undefined;
    accumulator = ((accumulator << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (index < 16) bytes[index++] = (accumulator >> bits) & 0xff;
    }
  }
  return bytes;
}
