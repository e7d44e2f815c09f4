// Hello world for WASI: build with rustc for wasm32-wasip1 (see README.md), run with
// `folio run examples/hello-rs.wasm NAME...`.
fn main() {
    let names: Vec<String> = std::env::args().skip(1).collect();
    if names.is_empty() {
        println!("Hello from Rust!");
    }
    for name in names {
        println!("Hello, {name}, from Rust!");
    }
}
