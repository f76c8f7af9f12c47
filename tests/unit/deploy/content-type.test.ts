// Content-Type and caching of the dialpad files on the static website.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheControlFor, contentTypeFor } from '../../../core/static-site/content-type';

describe('static website headers', () => {
  it('serves each dialpad file type with the type browsers need', () => {
    assert.equal(contentTypeFor('index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('app-PEEXJT6I.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('app-DUZO3YLC.CSS'), 'text/css; charset=utf-8');
    assert.equal(contentTypeFor('manifest.webmanifest'), 'application/manifest+json; charset=utf-8');
    assert.equal(contentTypeFor('icons/icon.svg'), 'image/svg+xml');
    assert.equal(contentTypeFor('icon-192.png'), 'image/png');
    assert.equal(contentTypeFor('README'), 'application/octet-stream');
  });

  it('lets browsers keep content-hashed assets for a year and revalidate everything else', () => {
    const immutable = 'public, max-age=31536000, immutable';
    assert.equal(cacheControlFor('app-PEEXJT6I.js'), immutable);
    assert.equal(cacheControlFor('app-DUZO3YLC.css'), immutable);
    assert.equal(cacheControlFor('assets/app.3f2a9c1b7d4e.js'), immutable);
    for (const name of [
      'index.html',
      'config.json',
      'sw.js',
      'manifest.webmanifest',
      'icon-192.png',
      'icon-maskable-512.png',
      'icon-maskable.png',
    ]) {
      assert.equal(cacheControlFor(name), 'no-cache', name);
    }
  });
});
