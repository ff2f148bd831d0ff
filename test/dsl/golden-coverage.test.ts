// Every diagnostic code of the registry is produced by some file of the golden folder, so each
// message has been read once as an officer would read it. The few codes no source text can
// produce are listed here with the reason; everything else needs a golden file.
import { describe, it, expect } from 'vitest';
import { diagnosticCodes } from '../../dsl/index.js';
import { diagnosticsOf, goldenFiles } from './golden-files.js';

const unreachable: Record<string, string> = {
  internal: 'a fault of the checker itself, caught by analyze; no correct checker produces it from any text',
  'evaluation.unlinked': 'an evaluation fault of the caller (no result given for a referenced policy), not a diagnostic of a text; test/dsl/link.test.ts covers it',
};

let produced: Set<string> | undefined;
const producedCodes = () => (produced ??= new Set(goldenFiles().flatMap((f) => diagnosticsOf(f).map((d) => d.code))));

describe('golden coverage', () => {
  it('every diagnostic code has a golden file that produces it', () => {
    const missing = diagnosticCodes.filter((c) => !producedCodes().has(c) && !(c in unreachable));
    expect(missing).toEqual([]);
  });
  it('the codes listed as unreachable exist and are indeed produced by no golden file', () => {
    for (const c of Object.keys(unreachable)) { expect(diagnosticCodes).toContain(c); expect(producedCodes().has(c)).toBe(false); }
  });
});
