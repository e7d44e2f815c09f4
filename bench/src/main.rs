//! `folio-bench`: Folio against wasmi, in one run, one table.
//!
//! ```text
//! cargo run --release -p folio-bench -- [FILTER...] [--reps N] [--scale X] [--only ENGINE] [--list]
//! ```
//!
//! A FILTER keeps the benchmarks whose name contains it (`fib`, `copy`, `64`, `grow`);
//! `exec` and `memory` select the two groups. `--reps` (default 5; 3 for the memory group)
//! sets the repetitions whose median is reported; `--scale` multiplies the work (0.1 for a
//! quick look); `--only folio` (or `wasmi`) times one engine alone, for a profiler. See
//! `BENCHMARKS.md`.

use folio_bench::engines::Kind;
use folio_bench::exec::{self, ms};
use folio_bench::{memory, workloads};
use std::io::Write as _;
use std::process::ExitCode;

const MEMORY_BENCHES: [&str; 3] = ["grow", "instantiate_1gib", "translate"];

struct Options {
    filters: Vec<String>,
    reps: Option<usize>,
    scale: f64,
    list: bool,
    only: Option<Kind>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        filters: Vec::new(),
        reps: None,
        scale: 1.0,
        list: false,
        only: None,
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
            "--only" => {
                let v = value("--only")?;
                opts.only = Some(match v.as_str() {
                    "folio" => Kind::Folio,
                    "wasmi" => Kind::Wasmi,
                    _ => return Err(format!("--only {v}: folio or wasmi")),
                });
            }
            "-h" | "--help" => {
                return Err(
                    "usage: folio-bench [FILTER...] [--reps N] [--scale X] [--only folio|wasmi] [--list]"
                        .into(),
                );
            }
            // `cargo bench` passes `--bench`; nothing else starts with a dash.
            "--bench" => {}
            f if f.starts_with('-') => return Err(format!("unknown option {f}")),
            f => opts.filters.push(f.to_string()),
        }
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

fn run(opts: &Options) -> Result<(), String> {
    let exec_list: Vec<_> = workloads::all()
        .into_iter()
        .filter(|w| selected(opts, &w.name, "exec"))
        .collect();
    let mem_list: Vec<_> = MEMORY_BENCHES
        .into_iter()
        .filter(|n| selected(opts, n, "memory"))
        .collect();
    if opts.list {
        for w in &exec_list {
            println!("{} (exec, run({}))", w.name, w.rounds_at(opts.scale));
        }
        for n in &mem_list {
            println!("{n} (memory)");
        }
        return Ok(());
    }
    if exec_list.is_empty() && mem_list.is_empty() {
        return Err("no benchmark matches; --list shows them".into());
    }
    if !exec_list.is_empty() {
        let reps = opts.reps.unwrap_or(5);
        println!(
            "{:<14}{:>10}{:>10}{:>8}{:>11}   (medians of {reps} runs; ratio = folio/wasmi, \
             >1 is slower; min_ratio = ratio of the fastest runs)",
            "workload", "folio_ms", "wasmi_ms", "ratio", "min_ratio"
        );
        let (mut log_sum, mut log_min_sum) = (0.0, 0.0);
        for w in &exec_list {
            let row = exec::measure(w, w.rounds_at(opts.scale), reps, opts.only)?;
            println!(
                "{:<14}{:>10.1}{:>10.1}{:>8.2}{:>11.2}",
                row.name,
                ms(row.folio),
                ms(row.wasmi),
                row.ratio(),
                row.min_ratio()
            );
            let _ = std::io::stdout().flush();
            log_sum += row.ratio().ln();
            log_min_sum += row.min_ratio().ln();
        }
        if opts.only.is_none() {
            let n = exec_list.len() as f64;
            println!(
                "{:<14}{:>10}{:>10}{:>8.2}{:>11.2}",
                "geomean",
                "",
                "",
                (log_sum / n).exp(),
                (log_min_sum / n).exp()
            );
        }
    }
    let reps = opts.reps.unwrap_or(3);
    for name in mem_list {
        println!();
        let report = match name {
            "grow" => memory::grow_report(reps)?,
            "instantiate_1gib" => memory::instantiate_report(reps)?,
            _ => memory::translate_report(reps, opts.scale)?,
        };
        print!("{report}");
        let _ = std::io::stdout().flush();
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
