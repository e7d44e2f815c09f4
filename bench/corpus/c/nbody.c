/* f64 numerics: the Jovian planets n-body simulation (symplectic Euler steps with pairwise
 * forces, energy before and after), plus a Mandelbrot escape-time grid, both written the
 * plain way scientific C code is. */
#include "rt.h"

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define NBODIES 5

typedef struct {
    double x, y, z, vx, vy, vz, mass;
} body;

static void init_bodies(body *b) {
    static const body initial[NBODIES] = {
        {0, 0, 0, 0, 0, 0, SOLAR_MASS},
        {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
         1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
         -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
        {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
         -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
         2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
        {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
         2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
         -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
        {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
         2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
         -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
    };
    memcpy(b, initial, sizeof initial);
    /* Offset the sun's momentum so the system's total is zero. */
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODIES; i++) {
        px += b[i].vx * b[i].mass;
        py += b[i].vy * b[i].mass;
        pz += b[i].vz * b[i].mass;
    }
    b[0].vx = -px / SOLAR_MASS;
    b[0].vy = -py / SOLAR_MASS;
    b[0].vz = -pz / SOLAR_MASS;
}

static void advance(body *b, int nbodies, double dt) {
    for (int i = 0; i < nbodies; i++) {
        body *bi = &b[i];
        for (int j = i + 1; j < nbodies; j++) {
            body *bj = &b[j];
            double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * __builtin_sqrt(d2));
            bi->vx -= dx * bj->mass * mag;
            bi->vy -= dy * bj->mass * mag;
            bi->vz -= dz * bj->mass * mag;
            bj->vx += dx * bi->mass * mag;
            bj->vy += dy * bi->mass * mag;
            bj->vz += dz * bi->mass * mag;
        }
    }
    for (int i = 0; i < nbodies; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

static double energy(const body *b, int nbodies) {
    double e = 0;
    for (int i = 0; i < nbodies; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < nbodies; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

/* Escape-time iterations over a w x h grid of the complex plane. */
static uint64_t mandelbrot(int w, int h, int max_iter, double cx, double cy, double scale) {
    uint64_t total = 0;
    for (int py = 0; py < h; py++) {
        double ci = cy + (py - h / 2) * scale;
        for (int px = 0; px < w; px++) {
            double cr = cx + (px - w / 2) * scale;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int it = 0;
            while (it < max_iter && zr2 + zi2 <= 4.0) {
                zi = 2 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            total += (uint64_t)it * (uint64_t)(px + 1);
        }
    }
    return total;
}

static uint64_t bits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

int64_t run(int32_t n) {
    body *bodies = malloc(NBODIES * sizeof(body));
    uint64_t sum = 0;
    for (int32_t round = 0; round < n; round++) {
        init_bodies(bodies);
        sum = mix(sum, bits(energy(bodies, NBODIES)));
        for (int step = 0; step < 400; step++)
            advance(bodies, NBODIES, 0.01);
        sum = mix(sum, bits(energy(bodies, NBODIES)));
        sum = mix(sum, bits(bodies[round % NBODIES].x));
        sum = mix(sum, mandelbrot(16, 12, 200, -0.745 + round * 1e-4, 0.1, 0.004));
    }
    /* The well-known starting energy, -0.169075164. */
    init_bodies(bodies);
    if ((int64_t)(energy(bodies, NBODIES) * 1e9) != -169075163)
        sum = mix(sum, 0xbad);
    free(bodies);
    return (int64_t)sum;
}
