// The npm registry reachable here does not serve every platform's prebuilt binary (for
// example @swc/core-darwin-arm64 answers 404), so `npm install` leaves those optional
// packages out of package-lock.json and `npm ci` then rejects the lockfile as out of sync.
// This adds each missing optional dependency as an optional entry restricted to the OS and
// CPU its name declares, which npm skips on every other platform. Run after `npm install`
// changes the lockfile: node .ci/complete-lockfile.mjs
import fs from 'node:fs';

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${path}/${key}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os || !cpu || !/^\d+\.\d+\.\d+/.test(spec)) {
      throw new Error(`cannot tell the platform or version of ${name}@${spec} (needed by ${path})`);
    }
    lock.packages[key] = {
      version: spec,
      ...(entry.dev && { dev: true }),
      optional: true,
      os: [os],
      cpu: [cpu],
    };
    added.push(name);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  ),
);
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(
  `added ${added.length} platform entries${added.length ? `: ${added.join(', ')}` : ''}\n`,
);
