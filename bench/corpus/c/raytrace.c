/* A small ray tracer in the style of C graphics code: vectors and rays passed and
 * returned by value, hit records copied around, objects (spheres, planes, a box) behind
 * a table of function pointers, materials with shader callbacks, recursive reflection,
 * shadows and a checkerboard. Renders into an RGB buffer and hashes it. */
#include "rt.h"

typedef struct {
    double x, y, z;
} vec3;

static inline vec3 v3(double x, double y, double z) {
    vec3 v = {x, y, z};
    return v;
}
static inline vec3 add(vec3 a, vec3 b) { return v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static inline vec3 sub(vec3 a, vec3 b) { return v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static inline vec3 scale(vec3 a, double s) { return v3(a.x * s, a.y * s, a.z * s); }
static inline vec3 mul(vec3 a, vec3 b) { return v3(a.x * b.x, a.y * b.y, a.z * b.z); }
static inline double dot(vec3 a, vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static inline vec3 normalize(vec3 a) { return scale(a, 1.0 / __builtin_sqrt(dot(a, a))); }
static inline vec3 reflect(vec3 d, vec3 n) { return sub(d, scale(n, 2 * dot(d, n))); }

typedef struct {
    vec3 origin, dir;
} ray;

struct object;
struct material;

typedef struct {
    double t;
    vec3 point, normal;
    const struct object *obj;
} hit;

typedef struct material {
    /* The surface colour at a point (a callback: flat, checkerboard, stripes). */
    vec3 (*albedo)(const struct material *m, vec3 point);
    vec3 color, color2;
    double reflectivity, specular;
} material;

typedef struct object {
    bool (*intersect)(const struct object *o, ray r, double tmax, hit *out);
    const material *mat;
    vec3 a, b; /* sphere: centre, (radius, _, _); plane: normal, (offset, _, _); box: min, max */
} object;

static vec3 flat(const material *m, vec3 p) {
    (void)p;
    return m->color;
}

/* Whether floor(x) is odd, without converting to an integer (x may be huge). */
static inline bool odd_cell(double x) {
    double f = __builtin_floor(x);
    return f - 2 * __builtin_floor(f / 2) != 0;
}

static vec3 checker(const material *m, vec3 p) {
    return odd_cell(p.x) != odd_cell(p.z) ? m->color : m->color2;
}

static vec3 stripes(const material *m, vec3 p) {
    return odd_cell(p.y * 4) ? m->color : m->color2;
}

static bool sphere_intersect(const object *o, ray r, double tmax, hit *out) {
    vec3 oc = sub(r.origin, o->a);
    double radius = o->b.x;
    double b = dot(oc, r.dir), c = dot(oc, oc) - radius * radius;
    double disc = b * b - c;
    if (disc < 0)
        return false;
    double s = __builtin_sqrt(disc), t = -b - s;
    if (t < 1e-6)
        t = -b + s;
    if (t < 1e-6 || t >= tmax)
        return false;
    hit h;
    h.t = t;
    h.point = add(r.origin, scale(r.dir, t));
    h.normal = scale(sub(h.point, o->a), 1.0 / radius);
    h.obj = o;
    *out = h;
    return true;
}

static bool plane_intersect(const object *o, ray r, double tmax, hit *out) {
    double denom = dot(o->a, r.dir);
    if (denom > -1e-9 && denom < 1e-9)
        return false;
    double t = (o->b.x - dot(o->a, r.origin)) / denom;
    if (t < 1e-6 || t >= tmax)
        return false;
    hit h = {t, add(r.origin, scale(r.dir, t)), denom < 0 ? o->a : scale(o->a, -1), o};
    *out = h;
    return true;
}

static bool box_intersect(const object *o, ray r, double tmax, hit *out) {
    double t0 = 1e-6, t1 = tmax;
    int axis = -1;
    double lo[3] = {o->a.x, o->a.y, o->a.z}, hi[3] = {o->b.x, o->b.y, o->b.z};
    double org[3] = {r.origin.x, r.origin.y, r.origin.z}, dir[3] = {r.dir.x, r.dir.y, r.dir.z};
    for (int k = 0; k < 3; k++) {
        double inv = 1.0 / dir[k];
        double tn = (lo[k] - org[k]) * inv, tf = (hi[k] - org[k]) * inv;
        if (tn > tf) {
            double tmp = tn;
            tn = tf;
            tf = tmp;
        }
        if (tn > t0) {
            t0 = tn;
            axis = k;
        }
        if (tf < t1)
            t1 = tf;
        if (t0 > t1)
            return false;
    }
    if (axis < 0)
        return false;
    double nv[3] = {0, 0, 0};
    nv[axis] = dir[axis] > 0 ? -1 : 1;
    hit h = {t0, add(r.origin, scale(r.dir, t0)), v3(nv[0], nv[1], nv[2]), o};
    *out = h;
    return true;
}

typedef struct {
    const object *objects;
    int count;
    vec3 light;
    vec3 sky;
} scene;

static bool closest(const scene *s, ray r, double tmax, hit *out) {
    bool any = false;
    hit h;
    for (int i = 0; i < s->count; i++) {
        const object *o = &s->objects[i];
        if (o->intersect(o, r, tmax, &h)) {
            tmax = h.t;
            *out = h;
            any = true;
        }
    }
    return any;
}

static vec3 trace(const scene *s, ray r, int depth) {
    hit h;
    if (!closest(s, r, 1e30, &h))
        return scale(s->sky, 0.5 + 0.5 * r.dir.y);
    const material *m = h.obj->mat;
    vec3 base = m->albedo(m, h.point);
    vec3 to_light = sub(s->light, h.point);
    double dist = __builtin_sqrt(dot(to_light, to_light));
    vec3 l = scale(to_light, 1.0 / dist);
    double diffuse = dot(h.normal, l);
    hit blocker;
    ray shadow = {add(h.point, scale(h.normal, 1e-4)), l};
    if (diffuse < 0 || closest(s, shadow, dist, &blocker))
        diffuse = 0;
    vec3 color = scale(base, 0.1 + 0.9 * diffuse);
    if (diffuse > 0 && m->specular > 0) {
        double spec = dot(reflect(scale(l, -1), h.normal), scale(r.dir, -1));
        if (spec > 0) {
            double p = spec * spec;
            p *= p;
            p *= p;
            p *= p;
            color = add(color, v3(m->specular * p, m->specular * p, m->specular * p));
        }
    }
    if (depth < 4 && m->reflectivity > 0) {
        ray bounce = {add(h.point, scale(h.normal, 1e-4)), normalize(reflect(r.dir, h.normal))};
        vec3 rc = trace(s, bounce, depth + 1);
        color = add(scale(color, 1 - m->reflectivity), scale(mul(rc, v3(1, 1, 1)), m->reflectivity));
    }
    return color;
}

static uint8_t to_byte(double c) {
    if (c <= 0)
        return 0;
    if (c >= 1)
        return 255;
    return (uint8_t)(c * 255.0 + 0.5);
}

static void render(const scene *s, vec3 eye, int w, int h, uint8_t *rgb) {
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            double u = (x + 0.5) / w * 2 - 1, v = 1 - (y + 0.5) / h * 2;
            ray r = {eye, normalize(v3(u * 1.2, v * 0.9, 1.5))};
            vec3 c = trace(s, r, 0);
            uint8_t *px = rgb + 3 * (y * w + x);
            px[0] = to_byte(c.x);
            px[1] = to_byte(c.y);
            px[2] = to_byte(c.z);
        }
    }
}

#define W 16
#define H 12

int64_t run(int32_t n) {
    static const material mats[] = {
        {flat, {0.9, 0.2, 0.2}, {0, 0, 0}, 0.2, 0.6},
        {flat, {0.2, 0.8, 0.3}, {0, 0, 0}, 0.0, 0.3},
        {checker, {0.9, 0.9, 0.9}, {0.1, 0.1, 0.1}, 0.3, 0.0},
        {stripes, {0.2, 0.3, 0.9}, {0.9, 0.8, 0.1}, 0.1, 0.8},
        {flat, {0.95, 0.95, 0.95}, {0, 0, 0}, 0.8, 1.0},
    };
    object objs[8];
    int count = 0;
    objs[count++] = (object){plane_intersect, &mats[2], {0, 1, 0}, {-1, 0, 0}};
    objs[count++] = (object){sphere_intersect, &mats[0], {-1.2, 0, 5}, {1, 0, 0}};
    objs[count++] = (object){sphere_intersect, &mats[4], {1.3, 0.2, 6}, {1.2, 0, 0}};
    objs[count++] = (object){sphere_intersect, &mats[3], {0, -0.5, 3.5}, {0.5, 0, 0}};
    objs[count++] = (object){box_intersect, &mats[1], {-3, -1, 7}, {-2, 1.5, 8}};
    objs[count++] = (object){sphere_intersect, &mats[1], {2.5, -0.6, 3.8}, {0.4, 0, 0}};
    scene s = {objs, count, {-4, 6, -2}, {0.5, 0.7, 1.0}};
    uint8_t *rgb = malloc(W * H * 3);
    uint64_t sum = 0;
    for (int32_t round = 0; round < n; round++) {
        vec3 eye = v3(0.02 * (round % 16), 0.3, -1.0 + 0.01 * (round % 8));
        s.light = v3(-4 + 0.1 * (round % 5), 6, -2);
        render(&s, eye, W, H, rgb);
        uint64_t h = 0;
        for (int i = 0; i < W * H * 3; i += 8) {
            uint64_t word;
            memcpy(&word, rgb + i, 8);
            h = mix(h, word);
        }
        sum = mix(sum, h);
    }
    free(rgb);
    return (int64_t)sum;
}
