// Runs corpus modules under Node (V8), the reference engine for builds Folio cannot check
// against another interpreter alone: instantiates each module with no imports and prints
// run(N) as a signed 64-bit integer, one line per argument, the format of the native
// builds (`build.sh --native`), so that the two can be compared with diff.
//
//   node bench/corpus/run-node.mjs MODULE.wasm N...
//
// Memory64 modules need `node --experimental-wasm-memory64` on Node 20.
import { readFileSync } from "node:fs";

const [file, ...args] = process.argv.slice(2);
if (!file || args.length === 0) {
    console.error("usage: node run-node.mjs MODULE.wasm N...");
    process.exit(2);
}
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
for (const n of args) {
    // An i64 result reaches JavaScript as a BigInt (signed), printed as C's %lld does.
    console.log(BigInt.asIntN(64, instance.exports.run(Number(n))).toString());
}
