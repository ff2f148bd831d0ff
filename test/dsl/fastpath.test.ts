// The hand-written scanner and the parser's fast path must agree with Chevrotain's lexer and
// parser exactly (they are the reference): same tokens, positions and errors; same AST, object
// for object, whenever the fast path accepts a file, and it must accept every valid file.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lex } from '../../dsl/syntax/scanner.js';
import { lexWithChevrotain } from '../../dsl/syntax/lexer.js';
import { parseBothWays } from '../../dsl/syntax/parser.js';

function policyFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? policyFiles(p) : f.endsWith('.policy') ? [p] : [];
  });
}
const files = [...policyFiles('policies'), ...policyFiles('examples')];
const texts = files.map((f) => readFileSync(f, 'utf8'));

const tokenView = (r: ReturnType<typeof lex>) => ({
  tokens: r.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset, t.endOffset, t.startLine, t.startColumn, t.endLine, t.endColumn]),
  comments: r.comments.map((t) => [t.image, t.startOffset, t.endOffset, t.startLine, t.startColumn, t.endLine, t.endColumn]),
  errors: r.errors,
});

function agree(text: string): void {
  expect(tokenView(lex(text))).toEqual(tokenView(lexWithChevrotain(text)));
  const r = parseBothWays(text, lex(text).tokens);
  if (r.errors === 0) expect(r.fast).toBeDefined();
  if (r.fast) {
    expect(r.errors).toBe(0);
    expect(JSON.stringify(r.fast)).toBe(JSON.stringify(r.chevrotain));
  }
}

describe('fast lexer and parser', () => {
  it('agree with Chevrotain on every policy in the repository', () => {
    expect(texts.length).toBeGreaterThan(5);
    for (const t of texts) agree(t);
  });
  it('agree on decision tables and the date and rounding calls (the golden files, the docs examples)', () => {
    // (past the nesting limit the parsers are not meant to agree: the fast path cuts the
    // expression, and Chevrotain is never given such a declaration; robustness tests cover it)
    const sources = [...policyFiles('test/dsl/golden').filter((f) => !f.includes('too-deep')).map((f) => readFileSync(f, 'utf8')),
      ...[...readFileSync('docs/language.md', 'utf8').matchAll(/```policy\n([\s\S]*?)```/g)].map((m) => m[1]!)];
    expect(sources.some((s) => s.includes('决策表'))).toBe(true);
    for (const t of sources) agree(t);
  });
  it('agree on tricky spellings (phrases across lines, CRLF, astral characters, bad characters)', () => {
    for (const t of ['is\nnot', 'is\r\nnot x', 'is notable', '元 / 月份', 'money/monthly', '"a\\"b" "c\\', '「x', '2024-01-015 1.2.3 12.', 'a😀b 𝒜x', '@ ! ~ \u2028 \u00a0', 'x\r\ry // c\r\n# d']) agree(t);
  });
  it('agree on mutated policies (tokens swapped for tokens of the same kind, deleted or repeated)', () => {
    const example = texts.find((t) => t.includes('分档')) ?? texts[0]!;
    const tokens = lex(example).tokens;
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 3 }), (edits) => {
      const images = tokens.map((t) => t.image);
      for (const [at, from, op] of edits) {
        const i = at % images.length;
        if (op < 7) {
          // after an insertion or deletion `images` and `tokens` no longer line up: pick the kind by position in `tokens`
          const kind = tokens[i % tokens.length]!.tokenType;
          const same = tokens.map((t, k) => (t.tokenType === kind ? k : -1)).filter((k) => k >= 0);
          images[i] = images[same[from % same.length]!]!;
        } else if (op < 9) images.splice(i, 1);
        else images.splice(i, 0, images[from % images.length]!);
      }
      agree(images.join(' '));
    }), { numRuns: 300, seed: 20261125 });
  });
});
