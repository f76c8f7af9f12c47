// The pool of numbers that search can find and order can take. Generated from the seed; a number that
// leaves the pool (ordered, or allocated by POST /phoneNumbers) never comes back, even when released.
import {
  LOCAL_PRICE,
  NUMBERS_PER_EXCHANGE,
  RATE_CENTERS,
  TOLL_FREE_PER_PREFIX,
  TOLL_FREE_PREFIXES,
  TOLL_FREE_PRICE,
} from './rate-centers';
import { seededRandom, type RandomSource } from './seeded-random';

export interface InventoryNumber {
  number: string; // E.164
  nationalNumber: string; // "(919) 555-1212"
  price: string;
  tollFree: boolean;
  city?: string;
  state?: string;
  rateCenter?: string;
  lata?: string;
  zip?: string;
  areaCode: string;
}

export const DEFAULT_SEED = 'catapult-sandbox';

export function formatNationalNumber(e164: string): string {
  const digits = e164.replace(/^\+1/, '');
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/** Every number the seed yields, sorted by number; deterministic for a given seed. */
export function generateInventory(seed: string = DEFAULT_SEED): InventoryNumber[] {
  const random = seededRandom(seed);
  const numbers = new Map<string, InventoryNumber>();
  for (const center of RATE_CENTERS) {
    for (const exchange of center.exchanges) {
      for (const line of uniqueLines(random, NUMBERS_PER_EXCHANGE)) {
        const number = `+1${center.areaCode}${exchange}${line}`;
        numbers.set(number, {
          number,
          nationalNumber: formatNationalNumber(number),
          price: LOCAL_PRICE,
          tollFree: false,
          city: center.city,
          state: center.state,
          rateCenter: center.rateCenter,
          lata: center.lata,
          zip: center.zips[Math.floor(random() * center.zips.length)]!,
          areaCode: center.areaCode,
        });
      }
    }
  }
  for (const prefix of TOLL_FREE_PREFIXES) {
    for (let i = 0; i < TOLL_FREE_PER_PREFIX; i += 1) {
      const exchange = String(200 + Math.floor(random() * 800));
      if (exchange === '555' || exchange.endsWith('11')) continue;
      const line = String(Math.floor(random() * 10_000)).padStart(4, '0');
      const number = `+1${prefix}${exchange}${line}`;
      numbers.set(number, {
        number,
        nationalNumber: formatNationalNumber(number),
        price: TOLL_FREE_PRICE,
        tollFree: true,
        areaCode: prefix,
      });
    }
  }
  return [...numbers.values()].sort((a, b) => a.number.localeCompare(b.number));
}

function uniqueLines(random: RandomSource, count: number): string[] {
  const lines = new Set<string>();
  while (lines.size < count) lines.add(String(Math.floor(random() * 10_000)).padStart(4, '0'));
  return [...lines];
}

export class NumberInventory {
  private readonly available = new Map<string, InventoryNumber>();

  constructor(seed: string = DEFAULT_SEED) {
    for (const item of generateInventory(seed)) this.available.set(item.number, item);
  }

  /** Available numbers in number order. */
  list(): InventoryNumber[] {
    return [...this.available.values()];
  }

  get(e164: string): InventoryNumber | undefined {
    return this.available.get(e164);
  }

  /** Removes a number for good; undefined when it is not (or no longer) available. */
  take(e164: string): InventoryNumber | undefined {
    const item = this.available.get(e164);
    if (item) this.available.delete(e164);
    return item;
  }
}
