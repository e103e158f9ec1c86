// The one list of native sources, read by CMakeLists.txt, binding.gyp and src/native.ts, so the
// two builds compile the same files and the loader can tell a stale addon from a current one.
//   node native/sources.cjs              -> the .cc files of the addon, one per line (relative to the package)
//   node native/sources.cjs --kernels    -> the .cc files of the pure kernels only (for the C++ tests)
//   node native/sources.cjs --fingerprint -> a SHA-256 over every file under native/{include,src,napi}
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..');

function walk(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.posix.join(dir, e.name)) : [path.posix.join(dir, e.name)]))
    .sort();
}

const kernels = () => walk('native/src').filter((f) => f.endsWith('.cc'));
const addon = () => [...kernels(), ...walk('native/napi').filter((f) => f.endsWith('.cc'))];

/** sha256 over "path\nsha256(content)\n" for every file the addon is built from, in byte order of path. */
function fingerprint() {
  const h = crypto.createHash('sha256');
  for (const f of [...walk('native/include'), ...walk('native/src'), ...walk('native/napi')].sort()) {
    h.update(`${f}\n${crypto.createHash('sha256').update(fs.readFileSync(path.join(root, f))).digest('hex')}\n`);
  }
  return h.digest('hex');
}

/**
 * fingerprint(), remembered in `cacheFile` under a key of every file's path, size and mtime: hashing
 * ~1.2 MB of sources costs 30–300 ms, which every CLI start paid before loading the addon, while
 * stat-ing them costs about a millisecond. A file changed in place keeps neither its size nor its
 * mtime in practice; whenever the key differs the sources are hashed again. An unwritable cache is
 * not an error (an installed package's folder may be read-only).
 */
function fingerprintCached(cacheFile) {
  const files = [...walk('native/include'), ...walk('native/src'), ...walk('native/napi')].sort();
  const key = crypto.createHash('sha256');
  for (const f of files) {
    const st = fs.statSync(path.join(root, f));
    key.update(`${f}\n${st.size}\n${st.mtimeMs}\n`);
  }
  const statKey = key.digest('hex');
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    if (cached.statKey === statKey && typeof cached.fingerprint === 'string') return cached.fingerprint;
  } catch {
    // no cache yet, or unreadable: hash the sources
  }
  const fp = fingerprint();
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ statKey, fingerprint: fp }) + '\n');
    fs.renameSync(tmp, cacheFile);
  } catch {
    // read-only package folder: hash again next time
  }
  return fp;
}

module.exports = { kernels, addon, fingerprint, fingerprintCached };

if (require.main === module) {
  const arg = process.argv[2];
  const out = arg === '--fingerprint' ? [fingerprint()] : arg === '--kernels' ? kernels() : addon();
  process.stdout.write(out.join('\n') + '\n');
}
