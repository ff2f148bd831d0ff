// dsl/link/shared-outputs.ts: outputs equal to ones kept are answered as that one frozen object;
// outputs are kept when seen twice running among those not kept (once seen, never frozen); outputs
// holding something that can be changed are never kept; a few common outputs stay kept while
// many distinct ones pass. Expected values worked by hand.
import { describe, expect, it } from 'vitest';
import { outputsSharer } from '../../dsl/link/shared-outputs.js';

const NONE = Object.freeze([]);
const names = [{ name: 'eligible', kind: 'value' }, { name: 'amount', kind: 'value' }, { name: 'recipients', kind: 'list' }] as const;
const refused = () => ({ eligible: false, amount: '0.00', recipients: NONE });

describe('outputs shared between households', () => {
  it('equal outputs: kept (frozen) when seen the second time, then answered for the equal ones', () => {
    const share = outputsSharer(names)!;
    const first = refused(), second = refused(), third = refused();
    expect(share(first)).toBe(first);             // seen once: its own, not frozen
    expect(Object.isFrozen(first)).toBe(false);
    expect(share(second)).toBe(second);           // the same again: kept, frozen
    expect(Object.isFrozen(second)).toBe(true);
    expect(share(third)).toBe(second);
    expect(Object.isFrozen(third)).toBe(false);
    // one value differs (the amount's text): not the same outputs
    const paid = { eligible: true, amount: '500.00', recipients: NONE };
    expect(share(paid)).toBe(paid);
    expect(share({ eligible: true, amount: '500.0', recipients: NONE })).not.toBe(paid);
    expect(Object.isFrozen(paid)).toBe(false);
  });

  it('outputs seen once between others are never kept', () => {
    const share = outputsSharer(names)!;
    const a = { eligible: true, amount: '1.00', recipients: NONE }, b = { eligible: true, amount: '2.00', recipients: NONE };
    share(a); share(b);
    const a2 = { eligible: true, amount: '1.00', recipients: NONE };
    expect(share(a2)).toBe(a2);                    // a was not the last one not kept (b was)
    expect(Object.isFrozen(a2)).toBe(false);
  });

  it('a text list of its own is compared by its values and frozen with the outputs kept', () => {
    const share = outputsSharer(names)!;
    const list = ['m1', 'm2'];
    share({ eligible: true, amount: '500.00', recipients: ['m1', 'm2'] });
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
    share(refused());
    const none = refused();
    expect(share(none)).toBe(none);
    expect(share({ eligible: false, amount: '0.00', recipients: [] })).toBe(none);
  });

  it('per-member maps: the same members in the same order with the same values', () => {
    const share = outputsSharer([{ name: 'eligible', kind: 'value' }, { name: 'by_member', kind: 'map' }])!;
    share({ eligible: true, by_member: { m1: '0.00', m2: '110.00' } });
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

  it('outputs holding an object that is not theirs to freeze are neither kept nor frozen', () => {
    const share = outputsSharer([{ name: 'eligible', kind: 'value' }, { name: 'detail', kind: 'value' }])!;
    const detail = { a: 1 };
    const a = { eligible: true, detail }, b = { eligible: true, detail }, c = { eligible: true, detail };
    expect(share(a)).toBe(a);
    expect(share(b)).toBe(b);
    expect(share(c)).toBe(c);
    expect(Object.isFrozen(b)).toBe(false);
    expect(Object.isFrozen(detail)).toBe(false);
  });

  it('common outputs stay kept while many outputs seen once pass', () => {
    const share = outputsSharer(names)!;
    share(refused());
    const common = refused();
    share(common);
    for (let i = 0; i < 5; i++) expect(share(refused())).toBe(common);
    // 100 distinct amounts, each seen twice running: they take the 5 free places, then the place
    // of the least used among them in turn, never `common`'s (6 hits)
    for (let i = 0; i < 100; i++) { share({ eligible: true, amount: `${i}.00`, recipients: NONE }); share({ eligible: true, amount: `${i}.00`, recipients: NONE }); }
    expect(share(refused())).toBe(common);
  });

  it('no sharer for no outputs, or an output named __proto__', () => {
    expect(outputsSharer([])).toBeUndefined();
    expect(outputsSharer([{ name: 'a', kind: 'value' }, { name: '__proto__', kind: 'value' }])).toBeUndefined();
  });
});
