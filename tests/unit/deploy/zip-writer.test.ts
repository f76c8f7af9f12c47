// The release zip writer: deterministic bytes, readable by standard tools, safe paths only.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readZip } from '../../../scripts/package/zip-reader';
import { writeZip, type ZipEntry } from '../../../scripts/package/zip-writer';

const entries: ZipEntry[] = [
  { path: 'host.json', data: Buffer.from('{"version":"2.0"}\n'.repeat(20)) },
  { path: 'dist/app.js', data: Buffer.from('console.log("héllo");\n'.repeat(50)) },
  { path: 'dialpad/icon.png', data: randomBytes(300) }, // incompressible: stored
  { path: 'dialpad/empty.txt', data: Buffer.alloc(0) },
];

describe('writeZip', () => {
  it('gives identical bytes for the same entries in any order', () => {
    const a = writeZip(entries);
    const b = writeZip([...entries].reverse());
    assert.ok(a.equals(b));
  });

  it('round-trips every entry, sorted by path, compressing only where it helps', () => {
    const zip = writeZip(entries);
    const back = readZip(zip);
    assert.deepEqual(
      back.map((e) => e.path),
      ['dialpad/empty.txt', 'dialpad/icon.png', 'dist/app.js', 'host.json'],
    );
    for (const entry of entries)
      assert.ok(back.find((e) => e.path === entry.path)!.data.equals(entry.data), entry.path);
    const methods = new Map<string, number>();
    for (let offset = zip.indexOf('PK\x01\x02'); offset >= 0; offset = zip.indexOf('PK\x01\x02', offset + 4)) {
      methods.set(
        zip.toString('utf8', offset + 46, offset + 46 + zip.readUInt16LE(offset + 28)),
        zip.readUInt16LE(offset + 10),
      );
    }
    assert.equal(methods.get('dist/app.js'), 8);
    assert.equal(methods.get('dialpad/icon.png'), 0);
  });

  it('stamps every entry 1980-01-01 00:00 whatever the clock says', () => {
    const zip = writeZip(entries);
    for (let offset = zip.indexOf('PK\x03\x04'); offset >= 0; offset = zip.indexOf('PK\x03\x04', offset + 4)) {
      assert.equal(zip.readUInt16LE(offset + 10), 0, 'time');
      assert.equal(zip.readUInt16LE(offset + 12), 0x21, 'date');
    }
  });

  it('rejects unsafe or duplicate paths', () => {
    for (const path of ['/abs', '../up', 'a/../b', 'a//b', 'a\\b', '', 'dir/']) {
      assert.throws(() => writeZip([{ path, data: Buffer.alloc(1) }]), /unsafe zip entry path/, path);
    }
    assert.throws(
      () =>
        writeZip([
          { path: 'a', data: Buffer.alloc(1) },
          { path: 'a', data: Buffer.alloc(2) },
        ]),
      /duplicate zip entry: a/,
    );
  });

  it('detects a corrupted archive when reading', () => {
    const zip = writeZip([{ path: 'a.txt', data: Buffer.from('stored text') }]);
    const stored = zip.indexOf('stored text');
    zip.writeUInt8(zip.readUInt8(stored) ^ 0xff, stored);
    assert.throws(() => readZip(zip), /corrupt entry a\.txt/);
    assert.throws(() => readZip(Buffer.from('not a zip')), /not a zip/);
  });

  // Info-ZIP is the independent reader here (onedeploy and Kudu use standard zip readers too).
  it('is accepted by Info-ZIP unzip when it is installed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zip-writer-'));
    try {
      const file = join(dir, 'test.zip');
      await writeFile(file, writeZip(entries));
      if (!existsSync('/usr/bin/unzip')) {
        assert.equal(readZip(await readFile(file)).length, entries.length);
        return;
      }
      execFileSync('/usr/bin/unzip', ['-tq', file]);
      execFileSync('/usr/bin/unzip', ['-q', file, '-d', join(dir, 'out')]);
      assert.ok((await readFile(join(dir, 'out', 'dist', 'app.js'))).equals(entries[1]!.data));
      const listing = execFileSync('/usr/bin/zipinfo', [file], { encoding: 'utf8' });
      assert.match(listing, /-rw-r--r--/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
