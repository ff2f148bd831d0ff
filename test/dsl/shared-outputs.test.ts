// dsl/link/shared-outputs.ts: outputs equal to ones given before are answered as that one frozen
// object; outputs holding something that can be changed are never shared; a few common outputs
// stay kept while many distinct ones pass. Expected values worked by hand.
import { describe, expect, it } from 'vitest';
import { outputsSharer } from '../../dsl/link/shared-outputs.js';

const NONE = Object.freeze([]);
const names = [{ name: 'eligible', kind: 'value' }, { name: 'amount', kind: 'value' }, { name: 'recipients', kind: 'list' }] as const;
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

  it('a text list of its own is compared by its values and frozen with the outputs kept', () => {
    const share = outputsSharer(names)!;
    const list = ['m1', 'm2'];
    const a = { eligible: true, amount: '500.00', recipients: list };
    expect(share(a)).toBe(a);
    expect(Object.isFrozen(list)).toBe(true);
    expect(share({ eligible: true, amount: '500.00', recipients: ['m1', 'm2'] })).toBe(a);
    // another order, or one more, is another list
    const swapped = { eligible: true, amount: '500.00', recipients: ['m2', 'm1'] };
    expect(share(swapped)).toBe(swapped);
    const longer = { eligible: true, amount: '500.00', recipients: ['m1', 'm2', 'm3'] };
    expect(share(longer)).toBe(longer);
    // the empty list kept (frozen, shared) matches an empty list of a household's own
    const none = refused();
    expect(share(none)).toBe(none);
    expect(share({ eligible: false, amount: '0.00', recipients: [] })).toBe(none);
  });

  it('per-member maps: the same members in the same order with the same values', () => {
    const share = outputsSharer([{ name: 'eligible', kind: 'value' }, { name: 'by_member', kind: 'map' }])!;
    const a = { eligible: true, by_member: { m1: '0.00', m2: '110.00' } };
    expect(share(a)).toBe(a);
    expect(Object.isFrozen(a.by_member)).toBe(true);
    expect(share({ eligible: true, by_member: { m1: '0.00', m2: '110.00' } })).toBe(a);
    // JSON writes the members in their order: m2 first is other outputs, as is a member more or less
    const reordered = { eligible: true, by_member: { m2: '110.00', m1: '0.00' } };
    expect(share(reordered)).toBe(reordered);
    const fewer = { eligible: true, by_member: { m1: '0.00' } };
    expect(share(fewer)).toBe(fewer);
    const other = { eligible: true, by_member: { m1: '0.00', m2: '120.00' } };
    expect(share(other)).toBe(other);
  });

  it('outputs holding an object that is not theirs to freeze are neither shared nor frozen', () => {
    const share = outputsSharer([{ name: 'eligible', kind: 'value' }, { name: 'detail', kind: 'value' }])!;
    const detail = { a: 1 };
    const a = { eligible: true, detail };
    expect(share(a)).toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
    expect(Object.isFrozen(detail)).toBe(false);
    const b = { eligible: true, detail };
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
    expect(outputsSharer([{ name: 'a', kind: 'value' }, { name: '__proto__', kind: 'value' }])).toBeUndefined();
  });
});
