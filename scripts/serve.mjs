// A tiny static file server for development and the browser tests (no dependencies).
//   node scripts/serve.mjs [DIR] [--csp] [--port N]      (PORT env works too; default 8765, 0 = any free port)
// Serves DIR (default: the repository) on 127.0.0.1 with correct MIME types (application/wasm for
// .wasm, so instantiateStreaming is used) and no caching. With --csp every response carries
//   Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'
// which is what a strict page allows: the engine must run under it (no eval, no new Function).
// Every response allows any origin to read it (Access-Control-Allow-Origin: *, as GitHub Pages
// sends), so a course page elsewhere can load embed.js, which browsers fetch with CORS.
// Prints "serving http://127.0.0.1:PORT/" once listening. Also importable: startServer({dir, port, csp}).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.npy': 'application/octet-stream',
  '.woff2': 'font/woff2',
};

export function startServer({ dir, port = 8765, host = '127.0.0.1', csp = false } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const headers = {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Access-Control-Allow-Origin': '*',
    };
    if (csp) headers['Content-Security-Policy'] = CSP;
    const fail = (status, text) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return fail(400, 'bad request');
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return fail(403, 'forbidden');
    try {
      let st = await stat(file);
      if (st.isDirectory()) {
        file = join(file, 'index.html');
        st = await stat(file);
      }
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': st.size });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      fail(404, 'not found');
    }
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}/`;
      resolveListen({ server, url, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const csp = args.includes('--csp');
  const portIndex = args.indexOf('--port');
  const port = Number(portIndex >= 0 ? args[portIndex + 1] : (process.env.PORT ?? 8765));
  const dir =
    args.find((a, i) => !a.startsWith('--') && (portIndex < 0 || i !== portIndex + 1)) ??
    fileURLToPath(new URL('..', import.meta.url));
  const { url } = await startServer({ dir, port, csp });
  console.log(`serving ${url}${csp ? ' (with CSP)' : ''}`);
}
