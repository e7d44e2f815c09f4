//! f64 numerics in idiomatic Rust: a `Complex` type with operator overloading, an
//! iterative radix-2 FFT (twiddles from `sin`/`cos`), polynomial multiplication by FFT
//! checked against the schoolbook product, a blocked matrix multiply over `Vec<f64>`
//! with iterator chains, and a Jacobi relaxation of a 2D grid.

mod common;
use common::{Rng, mix};
use std::f64::consts::PI;
use std::ops::{Add, Mul, Sub};

#[derive(Clone, Copy, Debug, PartialEq)]
struct Complex {
    re: f64,
    im: f64,
}

impl Complex {
    const ZERO: Complex = Complex { re: 0.0, im: 0.0 };
    fn new(re: f64, im: f64) -> Self {
        Complex { re, im }
    }
    fn conj(self) -> Self {
        Complex::new(self.re, -self.im)
    }
}

impl Add for Complex {
    type Output = Complex;
    fn add(self, o: Complex) -> Complex {
        Complex::new(self.re + o.re, self.im + o.im)
    }
}

impl Sub for Complex {
    type Output = Complex;
    fn sub(self, o: Complex) -> Complex {
        Complex::new(self.re - o.re, self.im - o.im)
    }
}

impl Mul for Complex {
    type Output = Complex;
    fn mul(self, o: Complex) -> Complex {
        Complex::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
}

struct Fft {
    n: usize,
    twiddles: Vec<Complex>,
    rev: Vec<usize>,
}

impl Fft {
    fn new(n: usize) -> Fft {
        assert!(n.is_power_of_two());
        let bits = n.trailing_zeros();
        let twiddles = (0..n / 2)
            .map(|k| {
                let a = -2.0 * PI * k as f64 / n as f64;
                Complex::new(a.cos(), a.sin())
            })
            .collect();
        let rev = (0..n)
            .map(|i| {
                if bits == 0 {
                    0
                } else {
                    i.reverse_bits() >> (usize::BITS - bits)
                }
            })
            .collect();
        Fft { n, twiddles, rev }
    }

    fn transform(&self, data: &mut [Complex], inverse: bool) {
        let n = self.n;
        for i in 0..n {
            let j = self.rev[i];
            if i < j {
                data.swap(i, j);
            }
        }
        let mut len = 2;
        while len <= n {
            let step = n / len;
            for chunk in data.chunks_exact_mut(len) {
                let (lo, hi) = chunk.split_at_mut(len / 2);
                for (k, (a, b)) in lo.iter_mut().zip(hi.iter_mut()).enumerate() {
                    let mut w = self.twiddles[k * step];
                    if inverse {
                        w = w.conj();
                    }
                    let t = w * *b;
                    *b = *a - t;
                    *a = *a + t;
                }
            }
            len <<= 1;
        }
        if inverse {
            let scale = 1.0 / n as f64;
            for x in data.iter_mut() {
                x.re *= scale;
                x.im *= scale;
            }
        }
    }
}

/// The product of two polynomials with small integer coefficients, by FFT.
fn poly_mul(fft: &Fft, a: &[i64], b: &[i64]) -> Vec<i64> {
    let mut fa: Vec<Complex> = a.iter().map(|&x| Complex::new(x as f64, 0.0)).collect();
    let mut fb: Vec<Complex> = b.iter().map(|&x| Complex::new(x as f64, 0.0)).collect();
    fa.resize(fft.n, Complex::ZERO);
    fb.resize(fft.n, Complex::ZERO);
    fft.transform(&mut fa, false);
    fft.transform(&mut fb, false);
    for (x, y) in fa.iter_mut().zip(&fb) {
        *x = *x * *y;
    }
    fft.transform(&mut fa, true);
    fa.iter()
        .take(a.len() + b.len() - 1)
        .map(|c| c.re.round() as i64)
        .collect()
}

fn poly_mul_naive(a: &[i64], b: &[i64]) -> Vec<i64> {
    let mut out = vec![0; a.len() + b.len() - 1];
    for (i, &x) in a.iter().enumerate() {
        for (j, &y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    fn random(rng: &mut Rng, rows: usize, cols: usize) -> Matrix {
        Matrix {
            rows,
            cols,
            data: (0..rows * cols).map(|_| rng.f64() - 0.5).collect(),
        }
    }

    fn row(&self, r: usize) -> &[f64] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    fn transpose(&self) -> Matrix {
        let mut t = vec![0.0; self.data.len()];
        for r in 0..self.rows {
            for c in 0..self.cols {
                t[c * self.rows + r] = self.data[r * self.cols + c];
            }
        }
        Matrix {
            rows: self.cols,
            cols: self.rows,
            data: t,
        }
    }

    fn matmul(&self, other: &Matrix) -> Matrix {
        let bt = other.transpose();
        let mut data = Vec::with_capacity(self.rows * other.cols);
        for r in 0..self.rows {
            let row = self.row(r);
            data.extend(
                (0..bt.rows).map(|c| row.iter().zip(bt.row(c)).map(|(x, y)| x * y).sum::<f64>()),
            );
        }
        Matrix {
            rows: self.rows,
            cols: other.cols,
            data,
        }
    }
}

/// Jacobi iterations of Laplace's equation on a grid with a hot edge.
fn relax(side: usize, iterations: usize) -> f64 {
    let mut grid = vec![0.0f64; side * side];
    let mut next = grid.clone();
    for x in 0..side {
        grid[x] = 100.0;
        next[x] = 100.0;
    }
    for _ in 0..iterations {
        for y in 1..side - 1 {
            for x in 1..side - 1 {
                let i = y * side + x;
                next[i] = 0.25 * (grid[i - 1] + grid[i + 1] + grid[i - side] + grid[i + side]);
            }
        }
        std::mem::swap(&mut grid, &mut next);
    }
    grid.iter().sum()
}

#[unsafe(no_mangle)]
pub extern "C" fn run(n: i32) -> i64 {
    let mut rng = Rng::new(31);
    let mut sum = 0u64;
    let fft = Fft::new(512);
    for round in 0..n {
        let a: Vec<i64> = (0..250).map(|_| i64::from(rng.below(1000))).collect();
        let b: Vec<i64> = (0..250).map(|_| i64::from(rng.below(1000))).collect();
        let fast = poly_mul(&fft, &a, &b);
        let slow = if round % 4 == 0 {
            poly_mul_naive(&a, &b)
        } else {
            fast.clone()
        };
        sum = mix(
            sum,
            if fast == slow {
                fast[fast.len() / 2] as u64
            } else {
                0xbad
            },
        );

        let m1 = Matrix::random(&mut rng, 24, 32);
        let m2 = Matrix::random(&mut rng, 32, 24);
        let p = m1.matmul(&m2);
        let trace: f64 = (0..p.rows).map(|i| p.data[i * p.cols + i]).sum();
        sum = mix(sum, trace.to_bits());

        sum = mix(sum, relax(16 + round as usize % 4, 20).to_bits());
    }
    sum as i64
}
