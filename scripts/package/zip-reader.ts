// Reads the archives zip-writer produces (and any plain stored/deflated zip without ZIP64), checking every CRC.
// Used by the package tests to unpack the release exactly as Azure's onedeploy would see it.
import { crc32, inflateRawSync } from 'node:zlib';
import { assertSafeZipPath, type ZipEntry } from './zip-writer';

export function readZip(archive: Buffer): ZipEntry[] {
  const endOffset = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOffset < 0) throw new Error('not a zip: no end-of-central-directory record');
  const count = archive.readUInt16LE(endOffset + 10);
  let cursor = archive.readUInt32LE(endOffset + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(cursor) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = archive.readUInt16LE(cursor + 10);
    const crc = archive.readUInt32LE(cursor + 16);
    const compressedSize = archive.readUInt32LE(cursor + 20);
    const size = archive.readUInt32LE(cursor + 24);
    const nameLength = archive.readUInt16LE(cursor + 28);
    const extraLength = archive.readUInt16LE(cursor + 30);
    const commentLength = archive.readUInt16LE(cursor + 32);
    const localOffset = archive.readUInt32LE(cursor + 42);
    const path = archive.toString('utf8', cursor + 46, cursor + 46 + nameLength);
    cursor += 46 + nameLength + extraLength + commentLength;

    assertSafeZipPath(path);
    if (archive.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${path}`);
    const dataStart =
      localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
    const body = archive.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === 0) data = Buffer.from(body);
    else if (method === 8) data = inflateRawSync(body);
    else throw new Error(`unsupported compression method ${method} for ${path}`);
    if (data.length !== size || crc32(data) >>> 0 !== crc) throw new Error(`corrupt entry ${path}`);
    entries.push({ path, data });
  }
  return entries;
}
