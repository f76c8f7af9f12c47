// GET /sandbox/phone: a page that lets a person be an outside phone (any E.164 number of their choosing) against
// the sandbox: it registers over ${baseUrl}/sip as sip:<number>@pstn.sandbox.invalid, calls numbers, and rings when
// a call is sent to its number. GET /sandbox/phone/phone.js is its bundle (JsSIP included), built once on demand.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Router } from '../context';

const PAGE_DIR = __dirname;

let bundle: Promise<string> | undefined;

/** The page script with JsSIP, as an IIFE (JsSIP ≥ 3.11 ships no browser bundle). Also exposes window.JsSIP for tests. */
export function buildPhoneBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [join(PAGE_DIR, 'phone.js')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    logLevel: 'silent',
  })
    .then((result) => {
      const [file] = result.outputFiles;
      if (!file) throw new Error('esbuild wrote no phone page bundle');
      return file.text;
    })
    .catch((error: unknown) => {
      bundle = undefined; // let the next request retry instead of caching the failure
      throw error;
    });
  return bundle;
}

export function mountPhonePage(router: Router): void {
  const open = { auth: 'none' as const, family: 'sandbox' };
  router.add(
    'GET',
    '/sandbox/phone',
    async () => ({
      status: 200,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
      body: await readFile(join(PAGE_DIR, 'phone.html'), 'utf8'),
    }),
    open,
  );
  router.add(
    'GET',
    '/sandbox/phone/phone.js',
    async () => ({
      status: 200,
      headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' },
      body: await buildPhoneBundle(),
    }),
    open,
  );
}
