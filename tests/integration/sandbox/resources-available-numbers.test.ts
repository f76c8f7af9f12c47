// /v1/availableNumbers: search rules, search-and-order, inventory behaviour (docs/contracts/catapult-v1.md §5).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type SandboxHarness } from './resources-harness';

const LOCAL = '/v1/availableNumbers/local';
const TOLL_FREE = '/v1/availableNumbers/tollFree';

describe('available numbers', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandbox();
  });
  after(() => h.close());

  const search = (query: string) => h.request('GET', `${LOCAL}?${query}`);
  const order = (query: string) => h.request('POST', `${LOCAL}?${query}`);

  describe('search', () => {
    it('finds numbers by area code with the documented item shape', async () => {
      const reply = await search('areaCode=919&quantity=5');
      assert.equal(reply.status, 200);
      assert.equal(reply.json.length, 5);
      for (const item of reply.json) {
        assert.match(item.number, /^\+1919\d{7}$/);
        assert.equal(item.nationalNumber, `(919) ${item.number.slice(5, 8)}-${item.number.slice(8)}`);
        assert.equal(item.state, 'NC');
        assert.equal(typeof item.city, 'string');
        assert.equal(typeof item.rateCenter, 'string');
        assert.match(item.lata, /^\d{3}$/);
        assert.match(item.price, /^\d+\.\d\d$/);
        assert.equal(item.patternMatch, undefined);
      }
      assert.equal(new Set(reply.json.map((i: { number: string }) => i.number)).size, 5);
    });

    it('returns 10 numbers by default', async () => {
      assert.equal((await search('areaCode=212')).json.length, 10);
    });

    it('finds numbers by state, by city + state (case-insensitive) and by ZIP', async () => {
      const byState = await search('state=tx&quantity=50');
      assert.equal(byState.status, 200);
      assert.equal(byState.json.length, 50);
      assert.ok(byState.json.every((i: { state: string }) => i.state === 'TX'));
      const byCity = await search('city=cary&state=NC&quantity=20');
      assert.equal(byCity.json.length, 20);
      assert.ok(byCity.json.every((i: { city: string; state: string }) => i.city === 'CARY' && i.state === 'NC'));
      const byZip = await search('zip=94110&quantity=5');
      assert.equal(byZip.json.length, 5);
      assert.ok(byZip.json.every((i: { city: string }) => i.city === 'SAN FRANCISCO'));
    });

    it('answers an empty list when nothing matches', async () => {
      const reply = await search('zip=99999');
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json, []);
    });

    it('narrows by localNumber (first digits after the area code)', async () => {
      const exchange = (await search('areaCode=919&quantity=1')).json[0].number.slice(5, 8);
      const reply = await search(`areaCode=919&localNumber=${exchange}&quantity=100`);
      assert.ok(reply.json.length > 5);
      assert.ok(reply.json.every((i: { number: string }) => i.number.startsWith(`+1919${exchange}`)));
      const fourDigits = reply.json[0].number.slice(5, 9);
      const narrower = await search(`areaCode=919&localNumber=${fourDigits}&quantity=100`);
      assert.ok(narrower.json.length >= 1 && narrower.json.length < reply.json.length);
      assert.ok(narrower.json.every((i: { number: string }) => i.number.startsWith(`+1919${fourDigits}`)));
    });

    it('widens to the local calling area with inLocalCallingArea=true', async () => {
      const exchange = (await search('areaCode=919&quantity=1')).json[0].number.slice(5, 8);
      const strict = await search(`areaCode=919&localNumber=${exchange}&inLocalCallingArea=false&quantity=5000`);
      const wide = await search(`areaCode=919&localNumber=${exchange}&inLocalCallingArea=true&quantity=5000`);
      assert.equal(wide.status, 200);
      assert.ok(wide.json.length > strict.json.length);
      assert.ok(
        wide.json.every((i: { state: string; lata: string }) => i.state === 'NC' && i.lata === strict.json[0].lata),
      );
    });

    it('matches a pattern with ? (one digit) and * (any digits) and reports patternMatch', async () => {
      const reply = await h.request('GET', `${LOCAL}?areaCode=415&quantity=20&pattern=${encodeURIComponent('*2?9*')}`);
      assert.equal(reply.status, 200);
      assert.ok(reply.json.length > 0);
      for (const item of reply.json) {
        assert.match(item.number.slice(2), /2\d9/);
        assert.equal(item.patternMatch.length, item.nationalNumber.length);
        const shown = [...item.patternMatch].flatMap((c: string, i: number) =>
          c === ' ' ? [] : [[c, item.nationalNumber[i]]],
        );
        assert.deepEqual(
          shown.map(([p]: string[]) => p),
          ['2', '9'],
        );
        assert.deepEqual(
          shown.map(([, n]: string[]) => n),
          ['2', '9'],
          'patternMatch points at the matched digits',
        );
      }
      const anchored = await h.request(
        'GET',
        `${LOCAL}?areaCode=415&quantity=20&pattern=${encodeURIComponent('415??????3')}`,
      );
      assert.ok(anchored.json.every((i: { number: string }) => i.number.endsWith('3')));
    });

    it('maps pattern letters to keypad digits', async () => {
      const digits = await h.request('GET', `${LOCAL}?state=NY&quantity=5000&pattern=${encodeURIComponent('*22*')}`);
      const letters = await h.request('GET', `${LOCAL}?state=NY&quantity=5000&pattern=${encodeURIComponent('*AC*')}`);
      assert.ok(digits.json.length > 0);
      assert.deepEqual(
        letters.json.map((i: { number: string }) => i.number),
        digits.json.map((i: { number: string }) => i.number),
      );
    });

    const rejected: Array<[string, string, RegExp]> = [
      ['quantity=1', 'invalid-available-number-search', /Specify a State ZIP Code or Area Code/],
      ['areaCode=919&state=NC', 'invalid-available-number-search', /cannot combine/],
      ['areaCode=919&zip=27601', 'invalid-available-number-search', /cannot combine/],
      ['areaCode=91', 'invalid-available-number-search', /Area Code must be 3 digits/],
      ['areaCode=9199', 'invalid-available-number-search', /Area Code must be 3 digits/],
      ['areaCode=abc', 'invalid-available-number-search', /Area Code must be 3 digits/],
      ['zip=2760', 'invalid-zip-code', /ZIP/],
      ['zip=2760a', 'invalid-zip-code', /ZIP/],
      ['city=Cary', 'invalid-available-number-search', /City the State is also required/],
      ['city=Cary&zip=27511', 'invalid-available-number-search', /City the State is also required/],
      ['state=North', 'invalid-available-number-search', /State/],
      ['state=NC&localNumber=232', 'invalid-available-number-search', /Area Code/],
      ['areaCode=919&localNumber=23', 'invalid-available-number-search', /3 or 4 digits/],
      ['areaCode=919&localNumber=23245', 'invalid-available-number-search', /3 or 4 digits/],
      ['areaCode=919&inLocalCallingArea=true', 'invalid-available-number-search', /Local Number/],
      ['areaCode=919&localNumber=232&inLocalCallingArea=yes', 'invalid-available-number-search', /true or false/],
      ['areaCode=919&quantity=5001', 'invalid-available-number-search', /maximum quantity of numbers is 5000/],
      ['areaCode=919&quantity=0', 'invalid-available-number-search', /quantity/],
      ['areaCode=919&quantity=two', 'invalid-available-number-search', /quantity/],
      ['areaCode=919&pattern=9%2B1', 'invalid-available-number-search', /pattern/],
    ];
    for (const [query, code, message] of rejected) {
      it(`rejects ${query} with 400 ${code}`, async () => {
        const reply = await search(query);
        assert.equal(reply.status, 400);
        assert.equal(reply.json.category, 'bad-request');
        assert.equal(reply.json.code, code);
        assert.match(reply.json.message, message);
      });
    }

    it('accepts the maximum quantity of 5000', async () => {
      const reply = await search('state=NC&quantity=5000');
      assert.equal(reply.status, 200);
      assert.ok(reply.json.length > 100);
    });

    it('searches toll-free numbers with only number, nationalNumber, patternMatch and price', async () => {
      const reply = await h.request('GET', `${TOLL_FREE}?quantity=3`);
      assert.equal(reply.status, 200);
      assert.equal(reply.json.length, 3);
      for (const item of reply.json) {
        assert.match(item.number, /^\+18(00|33|44|55|66|77|88)\d{7}$/);
        assert.deepEqual(Object.keys(item).sort(), ['nationalNumber', 'number', 'price']);
      }
      const patterned = await h.request('GET', `${TOLL_FREE}?quantity=5000&pattern=${encodeURIComponent('888*')}`);
      assert.ok(
        patterned.json.length > 0 &&
          patterned.json.every(
            (i: { number: string; patternMatch: string }) =>
              i.number.startsWith('+1888') && i.patternMatch.startsWith(' 888 '),
          ),
      );
      assert.equal((await h.request('GET', `${TOLL_FREE}?quantity=5001`)).status, 400);
    });
  });

  describe('search and order', () => {
    it('orders from the query string with an empty body: 201, absolute location, owned at once', async () => {
      const reply = await order('areaCode=512&quantity=2');
      assert.equal(reply.status, 201);
      assert.equal(reply.json.length, 2);
      for (const item of reply.json) {
        assert.match(item.number, /^\+1512\d{7}$/);
        assert.match(item.price, /^\d+\.\d\d$/);
        assert.equal(typeof item.nationalNumber, 'string');
        const prefix = `${h.sandbox.baseUrl}${h.userPath}/phoneNumbers/`;
        assert.ok(item.location.startsWith(prefix), item.location);
        const id = item.location.slice(prefix.length);
        assert.match(id, /^n-[a-z0-9]{25}$/);
        const owned = await h.request('GET', `${h.userPath}/phoneNumbers/${id}`);
        assert.equal(owned.status, 200);
        assert.equal(owned.json.number, item.number);
        assert.equal(h.sandbox.context.directory.findNumber(item.number)?.numberId, id);
      }
    });

    it('never returns an ordered number in a later search or order', async () => {
      const before = (await search('city=Round Rock&state=TX&quantity=5000')).json.map(
        (i: { number: string }) => i.number,
      );
      const ordered = (await order('city=Round Rock&state=TX&quantity=3')).json.map(
        (i: { number: string }) => i.number,
      );
      const afterward = (await search('city=Round Rock&state=TX&quantity=5000')).json.map(
        (i: { number: string }) => i.number,
      );
      assert.equal(afterward.length, before.length - 3);
      for (const number of ordered) assert.ok(!afterward.includes(number));
    });

    it('defaults the order quantity to 10 and caps it at 10', async () => {
      assert.equal((await order('areaCode=206')).json.length, 10);
      const tooMany = await order('areaCode=206&quantity=11');
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.json.code, 'invalid-available-number-search');
      assert.match(tooMany.json.message, /maximum quantity of numbers is 10/);
    });

    it('refuses a pattern on order with invalid-available-number-search-order', async () => {
      const reply = await order(`areaCode=206&quantity=1&pattern=${encodeURIComponent('*2*')}`);
      assert.equal(reply.status, 400);
      assert.equal(reply.json.code, 'invalid-available-number-search-order');
      assert.equal(reply.json.message, 'A query and order numbers cannot contain pattern');
    });

    it('applies the search rules to orders too', async () => {
      const reply = await order('areaCode=20');
      assert.equal(reply.status, 400);
      assert.equal(reply.json.code, 'invalid-available-number-search');
    });

    it('refuses a partial fulfilment with 404 and orders nothing', async () => {
      const available = (await search('city=Key West&state=FL&quantity=5000')).json.length;
      assert.ok(available > 0 && available < 5000);
      const own = await startSandbox();
      try {
        // Drain Key West in a fresh sandbox down to 3 numbers, then ask for 4.
        let left = available;
        while (left > 3) {
          const take = Math.min(10, left - 3);
          assert.equal((await own.request('POST', `${LOCAL}?city=Key%20West&state=FL&quantity=${take}`)).status, 201);
          left -= take;
        }
        const owned = (await own.request('GET', `${own.userPath}/phoneNumbers?size=1000`)).json.length;
        const reply = await own.request('POST', `${LOCAL}?city=Key%20West&state=FL&quantity=4`);
        assert.equal(reply.status, 404);
        assert.equal(reply.json.category, 'not-found');
        assert.equal(reply.json.code, 'order-number-quantity-unavailable');
        assert.equal((await own.request('GET', `${own.userPath}/phoneNumbers?size=1000`)).json.length, owned);
        assert.equal((await own.request('GET', `${LOCAL}?city=Key%20West&state=FL`)).json.length, 3);
      } finally {
        await own.close();
      }
    });

    it('orders toll-free numbers, one by default', async () => {
      const reply = await h.request('POST', TOLL_FREE);
      assert.equal(reply.status, 201);
      assert.equal(reply.json.length, 1);
      assert.match(reply.json[0].number, /^\+18\d{9}$/);
      assert.equal((await h.request('POST', `${TOLL_FREE}?quantity=11`)).status, 400);
      assert.equal(
        (await h.request('POST', `${TOLL_FREE}?pattern=8*`)).json.code,
        'invalid-available-number-search-order',
      );
    });
  });

  describe('inventory', () => {
    it('is the same for the same seed and different for another seed', async () => {
      const a = await startSandbox({ seed: 'one' });
      const b = await startSandbox({ seed: 'one' });
      const c = await startSandbox({ seed: 'two' });
      try {
        const numbers = async (x: SandboxHarness) =>
          (await x.request('GET', `${LOCAL}?state=CA&quantity=5000`)).json.map((i: { number: string }) => i.number);
        const [na, nb, nc] = await Promise.all([numbers(a), numbers(b), numbers(c)]);
        assert.deepEqual(na, nb);
        assert.notDeepEqual(na, nc);
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });

    it('offers 50+ numbers in each documented area code', async () => {
      for (const areaCode of [
        '919',
        '984',
        '212',
        '718',
        '415',
        '650',
        '512',
        '206',
        '312',
        '404',
        '305',
        '617',
        '303',
      ]) {
        const reply = await search(`areaCode=${areaCode}&quantity=5000`);
        assert.ok(reply.json.length >= 50, `${areaCode}: ${reply.json.length}`);
      }
    });

    it('never offers an NPA-555 number (those are outside phones)', async () => {
      const all = await search('state=NY&quantity=5000');
      assert.ok(all.json.every((i: { number: string }) => i.number.slice(5, 8) !== '555'));
    });
  });
});
