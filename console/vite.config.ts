import { defineConfig } from 'vitest/config';

/** Where `npm run dev` sends API calls: a running `amplifybackend serve`. */
const api = process.env.AMPLIFYBACKEND_URL ?? 'http://127.0.0.1:4750';
/** The API's path prefixes (AmplifyBackend and the Amplify apps service). */
const apiPrefixes = ['/backend', '/s3Buckets', '/apps', '/tags'];

export default defineConfig({
  base: '/console/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // One stable layout so a rebuild is byte-identical to the committed output.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // The host header is passed through: with --credentials the server checks the
    // signature the SDK made over it.
    proxy: Object.fromEntries(apiPrefixes.map((p) => [p, { target: api, changeOrigin: false }])),
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
