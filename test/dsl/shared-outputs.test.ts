// dsl/link/shared-outputs.ts: outputs equal to ones given before are answered as that one frozen
// object; outputs holding something that can be changed are never shared; a few common outputs
// stay kept while many distinct ones pass. Expected values worked by hand.
import { describe, expect, it } from 'vitest';
import { outputsSharer } from '../../dsl/link/shared-outputs.js';

const NONE = Object.freeze([]);
const names = ['eligible', 'amount', 'recipients'];
const refused = () => ({ eligible: false, amount: '0.00', recipients: NONE });

describe('outputs shared between households', () => {
  it('equal outputs: the first one, frozen; different ones: their own', () => {
    const share = outputsSharer(names)!;
    const first = refused();
    expect(share(first)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const second = refused();
    expect(share(second)).toBe(first);
    expect(Object.isFrozen(second)).toBe(false);
    // one value differs (the amount's text): not the same outputs
    const paid = { eligible: true, amount: '500.00', recipients: NONE };
    expect(share(paid)).toBe(paid);
    expect(share({ eligible: true, amount: '500.00', recipients: NONE })).toBe(paid);
    expect(share({ eligible: true, amount: '500.0', recipients: NONE })).not.toBe(paid);
  });

  it('outputs with a list or object that can be changed are neither shared nor frozen', () => {
    const share = outputsSharer(names)!;
    const list = ['m1'];
    const a = { eligible: true, amount: '500.00', recipients: list };
    expect(share(a)).toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
    expect(Object.isFrozen(list)).toBe(false);
    // the same list object again is still not shared: the first was never kept
    const b = { eligible: true, amount: '500.00', recipients: list };
    expect(share(b)).toBe(b);
  });

  it('common outputs stay kept while many outputs seen once pass', () => {
    const share = outputsSharer(names)!;
    const common = refused();
    share(common);
    for (let i = 0; i < 5; i++) expect(share(refused())).toBe(common);   // 5 hits
    // 100 distinct amounts, each seen once: they take the 5 free places in turn, never `common`'s
    for (let i = 0; i < 100; i++) share({ eligible: true, amount: `${i}.00`, recipients: NONE });
    expect(share(refused())).toBe(common);
  });

  it('no sharer for no outputs, or an output named __proto__', () => {
    expect(outputsSharer([])).toBeUndefined();
    expect(outputsSharer(['a', '__proto__'])).toBeUndefined();
  });
});
