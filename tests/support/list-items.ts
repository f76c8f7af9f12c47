// Reading items out of a list in a test: a missing item fails the test with a message that says so, instead of
// a TypeError further down (and the compiler, with noUncheckedIndexedAccess, knows the item is there).
import assert from 'node:assert/strict';

/** The one item of a list that must hold exactly one. */
export function single<T>(items: readonly T[], what = 'item'): T {
  assert.equal(items.length, 1, `expected exactly one ${what}, got ${items.length}`);
  return items[0]!; // length 1, asserted above
}

/** items[index] (negative counts from the end), failing the test when there is no such item. */
export function itemAt<T>(items: readonly T[], index: number, what = 'item'): T {
  const item = items.at(index);
  assert.ok(item !== undefined, `expected a ${what} at index ${index} of ${items.length}`);
  return item;
}
