//! std::env: args() (argv[0] first), vars() sorted, var() of set, empty and unset names.
//! WASI: args_sizes_get, args_get, environ_sizes_get, environ_get.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("{} args", args.len());
    for (i, a) in args.iter().enumerate() {
        println!("arg {i}: {a:?}");
    }
    let mut vars: Vec<(String, String)> = std::env::vars().collect();
    vars.sort();
    println!("{} vars", vars.len());
    for (k, v) in &vars {
        println!("  {k}={v:?}");
    }
    for name in ["GREETING", "EMPTY", "HOME", "PATH"] {
        match std::env::var(name) {
            Ok(v) => println!("var {name}: {v:?}"),
            Err(e) => println!("var {name}: {e}"),
        }
    }
}
