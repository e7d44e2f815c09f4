//! std::time and randomness, printed as checks: SystemTime after 2020, Instant never goes
//! back, thread::sleep sleeps at least as long as asked (a few lengths), Instant and
//! SystemTime agree about a sleep within a generous margin, and HashMap's RandomState is
//! seeded (two maps hash the same key differently).
//! WASI: clock_time_get (realtime, monotonic), poll_oneoff (one relative clock
//! subscription), random_get.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn yn(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn main() {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    println!("SystemTime after 2020: {}", yn(since_epoch > 1_577_836_800));

    let mut prev = Instant::now();
    let mut backwards = 0;
    for _ in 0..1000 {
        let now = Instant::now();
        if now < prev {
            backwards += 1;
        }
        prev = now;
    }
    println!(
        "Instant never goes back over 1000 reads: {}",
        yn(backwards == 0)
    );

    for ms in [1u64, 10, 40] {
        let start = Instant::now();
        std::thread::sleep(Duration::from_millis(ms));
        let slept = start.elapsed();
        println!(
            "sleep {ms} ms: slept at least {ms} ms: {}",
            yn(slept >= Duration::from_millis(ms))
        );
    }
    let wall = SystemTime::now();
    let mono = Instant::now();
    std::thread::sleep(Duration::from_millis(30));
    let wall_ms = wall.elapsed().map(|d| d.as_millis()).unwrap_or(0);
    let mono_ms = mono.elapsed().as_millis();
    println!(
        "wall and monotonic clocks agree within 1 s: {}",
        yn(wall_ms.abs_diff(mono_ms) < 1000)
    );

    let (a, b) = (RandomState::new(), RandomState::new());
    println!(
        "two RandomStates hash a key differently: {}",
        yn(a.hash_one("key") != b.hash_one("key"))
    );
}
