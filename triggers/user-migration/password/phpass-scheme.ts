import { createHash, randomBytes } from 'node:crypto';
import { PHPASS_ALPHABET, encodePhpassBase64 } from './encodings.js';
import {
  fail,
  type HashParams,
  type ParsedHash,
  type ParseFailure,
  type SchemeCodec,
} from './hash-scheme.js';

// $P$ (phpass, WordPress before 6.8) and $H$ (phpBB 3): '$P$' + rounds char + 8 salt chars + 22 checksum chars.
const PHPASS_PATTERN = /^\$([PH])\$([./0-9A-Za-z])([./0-9A-Za-z]{8})([./0-9A-Za-z]{22})$/;

/** phpass crypt_private: md5(salt . password), then 2^log2 rounds of md5(hash . password). */
function computePhpassChecksum(password: Uint8Array, salt: string, log2Rounds: number): Buffer {
  let digest = createHash('md5').update(salt, 'latin1').update(password).digest();
  for (let round = 1 << log2Rounds; round > 0; round--) {
    digest = createHash('md5').update(digest).update(password).digest();
  }
  return Buffer.from(encodePhpassBase64(digest), 'latin1');
}

function parsePhpass(stored: string): ParsedHash | ParseFailure {
  const match = PHPASS_PATTERN.exec(stored);
  if (match === null)
    return fail('malformed', 'phpass hash does not have the $P$<rounds><8 salt><22 checksum> shape');
  const [, , roundsChar = '', salt = '', checksum = ''] = match;
  const log2Rounds = PHPASS_ALPHABET.indexOf(roundsChar);
  // phpass's crypt_private refuses these, so the reference never verifies such a hash.
  if (log2Rounds < 7 || log2Rounds > 30)
    return fail('malformed', `phpass log2 rounds ${log2Rounds} outside 7..30`);
  return {
    scheme: 'phpass',
    cost: { primitive: 'phpass', log2Rounds },
    params: { phpassLog2Rounds: log2Rounds },
    expected: Buffer.from(checksum, 'latin1'),
    derive: async (password) => computePhpassChecksum(password, salt, log2Rounds),
  };
}

export const phpassCodec: SchemeCodec = {
  detect: (stored) => (stored.startsWith('$P$') || stored.startsWith('$H$') ? 'phpass' : undefined),
  parse: (stored) => parsePhpass(stored),
  async hash(_scheme, password: Uint8Array, params: HashParams) {
    // WordPress's PasswordHash(8, true) writes 8 + 5 = 13.
    const log2Rounds = params.phpassLog2Rounds ?? 13;
    const salt = encodePhpassBase64(randomBytes(6));
    const roundsChar = PHPASS_ALPHABET.charAt(log2Rounds);
    return `$P$${roundsChar}${salt}${computePhpassChecksum(password, salt, log2Rounds).toString('latin1')}`;
  },
};
