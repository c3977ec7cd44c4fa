import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const dist = join(__dirname, '..', 'dist');

describe('the built console', () => {
  it('ships under 400 KB of gzipped JavaScript', () => {
    const scripts = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThan(400 * 1024);
  });
  it('loads its assets below /console/', () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(html).toMatch(/src="\/console\/assets\/[^"]+\.js"/);
    expect(html).not.toMatch(/src="\/src\//);
  });
});
