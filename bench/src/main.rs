//! `folio-bench`: Folio against wasmi, in one run, one table.
//!
//! ```text
//! cargo run --release -p folio-bench -- [FILTER...] [--reps N] [--scale X] [--only ENGINE]
//!                                       [--once] [--checksums] [--list]
//! ```
//!
//! A FILTER keeps the benchmarks whose name contains it (`fib`, `copy`, `64`, `json`,
//! `c-O0`, `rust`, `grow`; `simd` for the SIMD builds and the SIMD program's scalar one,
//! `simd128` for the SIMD builds alone; `tailcall` for the tail-call build, `vm` for it
//! and the `switch`-dispatched VM it is compared with); `exec` (the WAT workloads),
//! `corpus` (compiler output) and `memory` select the three groups. `--reps` (default 5;
//! 3 for the memory group) sets the repetitions whose median is reported; `--scale`
//! multiplies the work (0.1 for a quick look); `--only folio` (or `wasmi`) times one
//! engine alone, for a profiler; `--once` runs `run` exactly once on that engine and
//! nothing else (for `valgrind --tool=callgrind`); `--checksums` prints every selected
//! workload's checksum at its check argument and at its scaled argument (for
//! `bench/corpus/build.sh --check`). See `BENCHMARKS.md`.

use folio_bench::engines::Kind;
use folio_bench::exec::{self, Row, ms};
use folio_bench::workloads::{self, Group, Workload};
use folio_bench::{corpus, memory};
use std::io::Write as _;
use std::process::ExitCode;

const MEMORY_BENCHES: [&str; 3] = ["grow", "instantiate_1gib", "translate"];

struct Options {
    filters: Vec<String>,
    reps: Option<usize>,
    scale: f64,
    list: bool,
    only: Option<Kind>,
    once: bool,
    checksums: bool,
}

const USAGE: &str = "usage: folio-bench [FILTER...] [--reps N] [--scale X] [--only folio|wasmi] \
                     [--once] [--checksums] [--list]";

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        filters: Vec::new(),
        reps: None,
        scale: 1.0,
        list: false,
        only: None,
        once: false,
        checksums: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--reps" => {
                let v = value("--reps")?;
                opts.reps = Some(v.parse().map_err(|_| format!("--reps {v}: not a count"))?);
            }
            "--scale" => {
                let v = value("--scale")?;
                opts.scale = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| *s > 0.0)
                    .ok_or_else(|| format!("--scale {v}: not a positive number"))?;
            }
            "--list" => opts.list = true,
            "--once" => opts.once = true,
            "--checksums" => opts.checksums = true,
            "--only" => {
                let v = value("--only")?;
                opts.only = Some(match v.as_str() {
                    "folio" => Kind::Folio,
                    "wasmi" => Kind::Wasmi,
                    _ => return Err(format!("--only {v}: folio or wasmi")),
                });
            }
            "-h" | "--help" => return Err(USAGE.into()),
            // `cargo bench` passes `--bench`; nothing else starts with a dash.
            "--bench" => {}
            f if f.starts_with('-') => return Err(format!("unknown option {f}")),
            f => opts.filters.push(f.to_string()),
        }
    }
    if opts.once && opts.only.is_none() {
        return Err("--once needs --only folio or --only wasmi".into());
    }
    Ok(opts)
}

fn selected(opts: &Options, name: &str, group: &str) -> bool {
    opts.filters.is_empty()
        || opts
            .filters
            .iter()
            .any(|f| f == group || name.contains(f.as_str()))
}

fn flush() {
    let _ = std::io::stdout().flush();
}

/// One geomean line: `label` over `rows` (nothing when there are none).
fn geomean_line(label: &str, rows: &[&Row]) {
    if rows.is_empty() {
        return;
    }
    let n = rows.len() as f64;
    let mean = |f: fn(&Row) -> f64| (rows.iter().map(|r| f(r).ln()).sum::<f64>() / n).exp();
    println!(
        "{:<26}{:>10}{:>10}{:>8.2}{:>11.2}   ({} rows)",
        label,
        "",
        "",
        mean(Row::ratio),
        mean(Row::min_ratio),
        rows.len()
    );
}

/// The ratio table over `list`, then the geomeans: per group, and for corpus C per build.
fn ratio_table(opts: &Options, list: &[Workload]) -> Result<(), String> {
    let reps = opts.reps.unwrap_or(5);
    println!(
        "{:<26}{:>10}{:>10}{:>8}{:>11}   (medians of {reps} runs; ratio = folio/wasmi, \
         >1 is slower; min_ratio = ratio of the fastest runs)",
        "workload", "folio_ms", "wasmi_ms", "ratio", "min_ratio"
    );
    let mut rows = Vec::new();
    let mut group = None;
    for w in list {
        if group.is_some_and(|g| g != w.group) {
            println!();
        }
        group = Some(w.group);
        let row = exec::measure(w, w.rounds_at(opts.scale), reps, opts.only)?;
        println!(
            "{:<26}{:>10.1}{:>10.1}{:>8.2}{:>11.2}",
            row.name,
            ms(row.folio),
            ms(row.wasmi),
            row.ratio(),
            row.min_ratio()
        );
        flush();
        rows.push(row);
    }
    if opts.only.is_some() {
        return Ok(());
    }
    println!();
    for g in [
        Group::Wat,
        Group::CorpusC,
        Group::CorpusRust,
        Group::CorpusTailCall,
        Group::CorpusSimd,
    ] {
        let of_group: Vec<&Row> = rows.iter().filter(|r| r.group == g).collect();
        geomean_line(&format!("geomean {}", g.label()), &of_group);
        let builds: &[&str] = match g {
            Group::CorpusC => &["c-O2-wasm32", "c-O2-wasm64", "c-Os", "c-O0"],
            Group::CorpusSimd => &["c-O3-simd128", "c-O3-wasm32", "rust-simd128"],
            Group::Wat | Group::CorpusRust | Group::CorpusTailCall => &[],
        };
        for build in builds {
            let of_build: Vec<&Row> = of_group
                .iter()
                .copied()
                .filter(|r| r.name.ends_with(build))
                .collect();
            geomean_line(&format!("  {build}"), &of_build);
        }
    }
    Ok(())
}

fn run(opts: &Options) -> Result<(), String> {
    let exec_list: Vec<Workload> = workloads::all()
        .into_iter()
        .filter(|w| selected(opts, &w.name, w.group.filter()))
        .collect();
    let mem_list: Vec<_> = MEMORY_BENCHES
        .into_iter()
        .filter(|n| selected(opts, n, "memory"))
        .collect();
    if opts.list {
        for w in &exec_list {
            println!(
                "{} ({}, run({}))",
                w.name,
                w.group.label(),
                w.rounds_at(opts.scale)
            );
        }
        for n in &mem_list {
            println!("{n} (memory)");
        }
        return Ok(());
    }
    if exec_list.is_empty() && (mem_list.is_empty() || opts.once || opts.checksums) {
        return Err("no benchmark matches; --list shows them".into());
    }
    if let (true, Some(kind)) = (opts.once, opts.only) {
        for w in &exec_list {
            let rounds = w.rounds_at(opts.scale);
            let (sum, t) = exec::run_single(w, kind, rounds)?;
            println!(
                "{} run({rounds}) = {sum} on {} in {:.1} ms",
                w.name,
                kind.name(),
                ms(t)
            );
        }
        return Ok(());
    }
    if opts.checksums {
        for w in &exec_list {
            let (folio, wasmi) = exec::compile(w)?;
            for rounds in [w.check_rounds, w.rounds_at(opts.scale)] {
                let sum = exec::check(w, &folio, &wasmi, rounds)?;
                println!("{} {rounds} {sum}", w.name);
                flush();
            }
        }
        return Ok(());
    }
    if !exec_list.is_empty() {
        ratio_table(opts, &exec_list)?;
    }
    let reps = opts.reps.unwrap_or(3);
    for name in mem_list {
        println!();
        let report = match name {
            "grow" => memory::grow_report(reps)?,
            "instantiate_1gib" => memory::instantiate_report(reps)?,
            _ => memory::translate_report(reps, opts.scale, corpus::largest())?,
        };
        print!("{report}");
        flush();
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("__rss") {
        // The child of `instantiate_1gib`: __rss KIND PAGES.
        let kind = args.get(1).and_then(|k| Kind::from_name(k));
        let pages = args.get(2).and_then(|p| p.parse().ok());
        match (kind, pages) {
            (Some(kind), Some(pages)) => memory::child_main(kind, pages).map(|r| println!("{r}")),
            _ => Err("usage: folio-bench __rss KIND PAGES".into()),
        }
    } else {
        parse(&args).and_then(|opts| run(&opts))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("folio-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
