// Run a wasm32-wasi command under Node's WASI (preview 1), with a command
// line shaped like `folio run`:
//   node --no-warnings run-node.mjs [--dir HOST[::GUEST]]... [--env NAME=VALUE]...
//        [--count OUT.json] FILE [ARGS]...
// Exits with the program's exit code.  --count writes, for each
// wasi_snapshot_preview1 function the program called, how often it
// returned each errno (0 = success), e.g. {"fd_seek": {"0": 812}}.
import { readFile, writeFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { argv, exit } from 'node:process';

const preopens = {};
const env = {};
let countFile = null;
let i = 2;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--dir') {
    const spec = argv[++i];
    const [host, guest] = spec.includes('::') ? spec.split('::') : [spec, spec];
    preopens[guest] = host;
  } else if (a === '--env') {
    const kv = argv[++i];
    const eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  } else if (a === '--count') {
    countFile = argv[++i];
  } else {
    break;
  }
}
const file = argv[i];
const args = argv.slice(i + 1);
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const imports = wasi.getImportObject();
const counts = {};
if (countFile) {
  const p1 = imports.wasi_snapshot_preview1;
  for (const [name, f] of Object.entries(p1)) {
    p1[name] = (...a) => {
      const c = (counts[name] ??= {});
      let r;
      try {
        r = f(...a);
      } catch (e) {
        c.threw = (c.threw ?? 0) + 1; // proc_exit unwinds this way
        throw e;
      }
      c[r] = (c[r] ?? 0) + 1;
      return r;
    };
  }
}
const instance = await WebAssembly.instantiate(module, imports);
const code = wasi.start(instance);
if (countFile) {
  const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(countFile, JSON.stringify(sorted, null, 1) + '\n');
}
exit(code);
