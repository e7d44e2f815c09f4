// Runs a WASI preview 1 command module under Node's `node:wasi`, with folio's command line:
//   node --experimental-wasi-unstable-preview1 node-run.mjs \
//        [--dir HOST[::GUEST]]... [--env NAME=VALUE]... FILE [ARGS]...
// Used only to check the expectations in ../wasi_programs.rs against a second runtime
// (FOLIO_WASI_PEER=node). argv[0] is FILE as given; stdio is the process's; proc_exit(n)
// exits n; a trap prints one `error:` line and exits 1, as folio does.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import process from 'node:process';

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
let i = 0;
for (; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--dir') {
    const v = argv[++i];
    const sep = v.indexOf('::');
    if (sep < 0) preopens[v] = v;
    else preopens[v.slice(sep + 2)] = v.slice(0, sep);
  } else if (a === '--env') {
    const v = argv[++i];
    const eq = v.indexOf('=');
    env[v.slice(0, eq)] = v.slice(eq + 1);
  } else {
    break;
  }
}
const file = argv[i];
const args = argv.slice(i);
const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true });
try {
  const module = await WebAssembly.compile(readFileSync(file));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  process.exitCode = wasi.start(instance);
} catch (e) {
  process.stderr.write(`error: ${e && e.message ? e.message : e}\n`);
  process.exitCode = 1;
}
