import { spawnSync } from 'node:child_process';

// Python's two IDNA readers on the label `a<cp>b` of each code point: `encodings.idna` (IDNA 2003,
// transitional: ß becomes ss) and the `idna` package (IDNA 2008 with UTS #46 mapping, non-transitional).
// A reader that refuses a label answers null.
const PYTHON_READERS = String.raw`
import json, sys, idna, unicodedata
out = []
for cp in json.load(sys.stdin):
    label = 'a' + chr(cp) + 'b'
    try: a = label.encode('idna').decode('ascii').lower()
    except Exception: a = None
    try: b = idna.encode(label, uts46=True).decode('ascii')
    except Exception: b = None
    out.append([cp, a, b])
json.dump({'unicode': unicodedata.unidata_version, 'idna': idna.__version__, 'python': sys.version.split()[0], 'rows': out}, sys.stdout)
`;

/** What Python's readers made of each code point, and the versions that read them. */
export interface PythonIdnaReadings {
  readonly unicode: string;
  readonly idna: string;
  readonly python: string;
  readonly rows: [cp: number, idna2003: string | null, idna2008: string | null][];
}

/**
 * Reads `a<cp>b` for every code point with python3's `encodings.idna` and the `idna` package; `undefined`
 * with the reason when python3 or the package is missing.
 *
 * @example
 * ```ts
 * readWithPythonIdna([0xdf]); // { ok: true, readings: { rows: [[223, 'xn--assb-...', ...]], ... } }
 * ```
 */
export function readWithPythonIdna(
  codePoints: readonly number[],
): { ok: true; readings: PythonIdnaReadings } | { ok: false; reason: string } {
  const run = spawnSync('python3', ['-c', PYTHON_READERS], {
    input: JSON.stringify(codePoints),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) return { ok: false, reason: run.stderr || String(run.error ?? 'python3 failed') };
  return { ok: true, readings: JSON.parse(run.stdout) as PythonIdnaReadings };
}
