// A minimal, deterministic ZIP writer: the same entries always give byte-identical archives.
// Why our own: determinism needs fixed timestamps, a fixed entry order and fixed attributes, and no
// dependency in the tree writes zips. Deflate comes from node:zlib; no ZIP64 (a release is a few MB).
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Forward-slash path inside the archive, no leading slash, no `..` segments. */
  path: string;
  data: Buffer;
}

// 1980-01-01 00:00:00, the earliest MS-DOS date: no clock or file mtime ever leaks into the archive.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_FLAG = 1 << 11;
const VERSION_MADE_BY_UNIX = (3 << 8) | 20;
const VERSION_NEEDED = 20;
// Regular file, rw-r--r--, in the high word as Info-ZIP expects: unpacked files never come out executable or hidden.
const UNIX_FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const MAX_32 = 0xffffffff;

export function assertSafeZipPath(path: string): void {
  const bad =
    path.length === 0 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw new Error(`unsafe zip entry path: ${JSON.stringify(path)}`);
}

/** Builds the archive. Entries are sorted by path (byte order) so the caller's order never matters. */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  let previousPath: string | undefined;
  for (const { path } of sorted) {
    assertSafeZipPath(path);
    if (path === previousPath) throw new Error(`duplicate zip entry: ${path}`);
    previousPath = path;
  }
  if (sorted.length > 0xffff) throw new Error('too many entries for a zip without ZIP64');

  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = Buffer.from(entry.path, 'utf8');
    const crc = crc32(entry.data) >>> 0;
    // level 9 is deterministic for a given zlib build; stored when deflate does not help (images, tiny files)
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const useDeflate = deflated.length < entry.data.length;
    const body = useDeflate ? deflated : entry.data;
    const method = useDeflate ? METHOD_DEFLATED : METHOD_STORED;
    if (entry.data.length >= MAX_32 || offset >= MAX_32) throw new Error('archive too large for a zip without ZIP64');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(UTF8_FLAG, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    localParts.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_MADE_BY_UNIX, 4);
    central.writeUInt16LE(VERSION_NEEDED, 6);
    central.writeUInt16LE(UTF8_FLAG, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE(UNIX_FILE_ATTRIBUTES, 38);
    central.writeUInt32LE(offset, 42);
    centralParts.push(central, name);

    offset += local.length + name.length + body.length;
  }

  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...localParts, centralDirectory, end]);
}
