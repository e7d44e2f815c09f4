//! The execution workloads: WAT modules in `bench/wat/`, each exporting `setup(i32) -> i64`
//! (untimed preparation of a fresh instance) and `run(n: i32) -> i64` (the timed work, `n`
//! rounds, returning a checksum both engines must agree on).
//!
//! The memory workloads are templates instantiated twice, for an `i32` and an `i64`
//! (memory64) memory: `ADDR` becomes the address type, `MEM64` the memory's index type
//! (nothing, or `i64`), `WRAP` the conversion of an `i64` to an address (`i32.wrap_i64`, or
//! nothing). The 64-bit variants are named with a `64` suffix.

/// One workload: a module and how many rounds make it run ~100–250 ms on Folio.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Name in the table, and what filters match.
    pub name: String,
    /// The module, in WAT.
    pub wat: String,
    /// `run`'s argument at scale 1.
    pub rounds: u32,
}

impl Workload {
    /// `run`'s argument at `scale` (at least 1).
    pub fn rounds_at(&self, scale: f64) -> i32 {
        let scaled = (f64::from(self.rounds) * scale).round();
        // Clamped to 1..=i32::MAX, so the cast is exact.
        scaled.clamp(1.0, f64::from(i32::MAX)) as i32
    }
}

/// (name, template, rounds at scale 1, whether it has a memory64 variant).
const TEMPLATES: &[(&str, &str, u32, bool)] = &[
    ("bytes", include_str!("../wat/bytes.wat"), 36, true),
    ("words", include_str!("../wat/words.wat"), 288, true),
    ("sieve", include_str!("../wat/sieve.wat"), 20, true),
    ("matmul", include_str!("../wat/matmul.wat"), 30, true),
    ("hash", include_str!("../wat/hash.wat"), 2_400_000, true),
    (
        "copy_loop",
        include_str!("../wat/copy_loop.wat"),
        2_400,
        true,
    ),
    (
        "copy_bulk",
        include_str!("../wat/copy_bulk.wat"),
        80_000,
        true,
    ),
    ("fib", include_str!("../wat/fib.wat"), 30, false),
];

/// Instantiates a template for a memory with index type `i64` (`mem64`) or `i32`.
pub fn render(template: &str, mem64: bool) -> String {
    let (addr, mem, wrap) = if mem64 {
        ("i64", "i64", "")
    } else {
        ("i32", "", "i32.wrap_i64")
    };
    template
        .replace("ADDR", addr)
        .replace("MEM64", mem)
        .replace("WRAP", wrap)
}

/// Every workload, `i32` variants first, then the memory64 ones.
pub fn all() -> Vec<Workload> {
    let plain = TEMPLATES.iter().map(|&(name, tpl, rounds, _)| Workload {
        name: name.to_string(),
        wat: render(tpl, false),
        rounds,
    });
    let wide = TEMPLATES
        .iter()
        .filter(|t| t.3)
        .map(|&(name, tpl, rounds, _)| Workload {
            name: format!("{name}64"),
            wat: render(tpl, true),
            rounds,
        });
    plain.chain(wide).collect()
}
