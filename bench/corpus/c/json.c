/* A JSON tokenizer and recursive-descent parser building a tree (malloc'd nodes, arrays
 * grown with realloc, unescaped strings), a walk over the tree with key lookups, and a
 * generator producing the documents it parses. */
#include "rt.h"

/* ---- a growable text buffer ---- */

typedef struct {
    char *data;
    size_t len, cap;
} strbuf;

static void sb_reserve(strbuf *b, size_t extra) {
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra)
        cap *= 2;
    b->data = realloc(b->data, cap);
    b->cap = cap;
}

static void sb_putc(strbuf *b, char c) {
    sb_reserve(b, 1);
    b->data[b->len++] = c;
}

static void sb_puts(strbuf *b, const char *s) {
    size_t n = strlen(s);
    sb_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void sb_put_int(strbuf *b, int64_t v) {
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[n++] = '-';
    sb_reserve(b, (size_t)n);
    while (n)
        b->data[b->len++] = tmp[--n];
}

/* ---- the tree ---- */

typedef enum { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT } jtype;

typedef struct jnode {
    jtype type;
    char *key; /* set for members of an object */
    size_t key_len;
    union {
        double num;
        struct {
            char *ptr;
            size_t len;
        } str;
        struct {
            struct jnode **items;
            size_t len, cap;
        } list;
    } u;
} jnode;

static jnode *node_new(jtype type) {
    jnode *n = malloc(sizeof *n);
    n->type = type;
    n->key = NULL;
    n->key_len = 0;
    n->u.list.items = NULL;
    n->u.list.len = n->u.list.cap = 0;
    return n;
}

static void node_push(jnode *parent, jnode *child) {
    if (parent->u.list.len == parent->u.list.cap) {
        size_t cap = parent->u.list.cap ? parent->u.list.cap * 2 : 4;
        parent->u.list.items = realloc(parent->u.list.items, cap * sizeof(jnode *));
        parent->u.list.cap = cap;
    }
    parent->u.list.items[parent->u.list.len++] = child;
}

static void node_free(jnode *n) {
    if (!n)
        return;
    if (n->type == J_ARRAY || n->type == J_OBJECT) {
        for (size_t i = 0; i < n->u.list.len; i++)
            node_free(n->u.list.items[i]);
        free(n->u.list.items);
    } else if (n->type == J_STRING) {
        free(n->u.str.ptr);
    }
    free(n->key);
    free(n);
}

static const jnode *object_get(const jnode *obj, const char *key) {
    if (obj->type != J_OBJECT)
        return NULL;
    size_t len = strlen(key);
    for (size_t i = 0; i < obj->u.list.len; i++) {
        const jnode *m = obj->u.list.items[i];
        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return m;
    }
    return NULL;
}

/* ---- tokenizer ---- */

typedef enum {
    T_EOF, T_ERROR, T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET, T_COLON, T_COMMA,
    T_STRING, T_NUMBER, T_TRUE, T_FALSE, T_NULL
} ttype;

typedef struct {
    ttype type;
    const char *start; /* strings: the raw text between the quotes */
    size_t len;
    double num;
} token;

typedef struct {
    const char *p, *end;
    token tok; /* the current token */
} parser;

static const double pow10_table[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool lex_number(parser *ps, token *t) {
    const char *p = ps->p;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (p >= ps->end || !is_digit(*p))
        return false;
    uint64_t mant = 0;
    int exp10 = 0, digits = 0;
    while (p < ps->end && is_digit(*p)) {
        if (digits < 18) {
            mant = mant * 10 + (uint64_t)(*p - '0');
            digits++;
        } else {
            exp10++;
        }
        p++;
    }
    if (p < ps->end && *p == '.') {
        p++;
        if (p >= ps->end || !is_digit(*p))
            return false;
        while (p < ps->end && is_digit(*p)) {
            if (digits < 18) {
                mant = mant * 10 + (uint64_t)(*p - '0');
                digits++;
                exp10--;
            }
            p++;
        }
    }
    if (p < ps->end && (*p == 'e' || *p == 'E')) {
        p++;
        int esign = 1, e = 0;
        if (p < ps->end && (*p == '+' || *p == '-'))
            esign = *p++ == '-' ? -1 : 1;
        if (p >= ps->end || !is_digit(*p))
            return false;
        while (p < ps->end && is_digit(*p)) {
            if (e < 1000)
                e = e * 10 + (*p - '0');
            p++;
        }
        exp10 += esign * e;
    }
    double v = (double)mant;
    if (exp10 < 0)
        v = exp10 >= -22 ? v / pow10_table[-exp10] : 0.0;
    else if (exp10 > 0)
        v = exp10 <= 22 ? v * pow10_table[exp10] : 1e308 * 10;
    t->num = neg ? -v : v;
    t->len = (size_t)(p - ps->p);
    ps->p = p;
    return true;
}

static bool lex_word(parser *ps, const char *word, size_t len) {
    if ((size_t)(ps->end - ps->p) < len || memcmp(ps->p, word, len) != 0)
        return false;
    ps->p += len;
    return true;
}

static void next_token(parser *ps) {
    token *t = &ps->tok;
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r'))
        ps->p++;
    t->start = ps->p;
    if (ps->p >= ps->end) {
        t->type = T_EOF;
        return;
    }
    char c = *ps->p;
    switch (c) {
    case '{': t->type = T_LBRACE; ps->p++; return;
    case '}': t->type = T_RBRACE; ps->p++; return;
    case '[': t->type = T_LBRACKET; ps->p++; return;
    case ']': t->type = T_RBRACKET; ps->p++; return;
    case ':': t->type = T_COLON; ps->p++; return;
    case ',': t->type = T_COMMA; ps->p++; return;
    case '"': {
        const char *p = ++ps->p;
        while (p < ps->end && *p != '"') {
            if (*p == '\\')
                p++;
            else if ((unsigned char)*p < 0x20)
                break;
            p++;
        }
        if (p >= ps->end || *p != '"') {
            t->type = T_ERROR;
            return;
        }
        t->type = T_STRING;
        t->start = ps->p;
        t->len = (size_t)(p - ps->p);
        ps->p = p + 1;
        return;
    }
    case 't': t->type = lex_word(ps, "true", 4) ? T_TRUE : T_ERROR; return;
    case 'f': t->type = lex_word(ps, "false", 5) ? T_FALSE : T_ERROR; return;
    case 'n': t->type = lex_word(ps, "null", 4) ? T_NULL : T_ERROR; return;
    default:
        t->type = (c == '-' || is_digit(c)) && lex_number(ps, t) ? T_NUMBER : T_ERROR;
        return;
    }
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The unescaped, NUL-terminated copy of a string token, or NULL if an escape is bad. */
static char *unescape(const char *s, size_t len, size_t *out_len) {
    char *out = malloc(len + 1), *o = out;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        if (++i >= len)
            goto bad;
        switch (s[i]) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            if (i + 4 >= len)
                goto bad;
            uint32_t cp = 0;
            for (int k = 1; k <= 4; k++) {
                int h = hex_value(s[i + k]);
                if (h < 0)
                    goto bad;
                cp = cp << 4 | (uint32_t)h;
            }
            i += 4;
            if (cp < 0x80) {
                *o++ = (char)cp;
            } else if (cp < 0x800) {
                *o++ = (char)(0xc0 | cp >> 6);
                *o++ = (char)(0x80 | (cp & 0x3f));
            } else {
                *o++ = (char)(0xe0 | cp >> 12);
                *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
                *o++ = (char)(0x80 | (cp & 0x3f));
            }
            break;
        }
        default:
            goto bad;
        }
    }
    *o = 0;
    *out_len = (size_t)(o - out);
    return out;
bad:
    free(out);
    return NULL;
}

static jnode *parse_value(parser *ps, int depth);

static jnode *parse_container(parser *ps, int depth, bool object) {
    jnode *node = node_new(object ? J_OBJECT : J_ARRAY);
    ttype close = object ? T_RBRACE : T_RBRACKET;
    next_token(ps);
    if (ps->tok.type == close) {
        next_token(ps);
        return node;
    }
    for (;;) {
        char *key = NULL;
        size_t key_len = 0;
        if (object) {
            if (ps->tok.type != T_STRING)
                goto fail;
            key = unescape(ps->tok.start, ps->tok.len, &key_len);
            if (!key)
                goto fail;
            next_token(ps);
            if (ps->tok.type != T_COLON) {
                free(key);
                goto fail;
            }
            next_token(ps);
        }
        jnode *child = parse_value(ps, depth + 1);
        if (!child) {
            free(key);
            goto fail;
        }
        child->key = key;
        child->key_len = key_len;
        node_push(node, child);
        if (ps->tok.type == T_COMMA) {
            next_token(ps);
            continue;
        }
        if (ps->tok.type != close)
            goto fail;
        next_token(ps);
        return node;
    }
fail:
    node_free(node);
    return NULL;
}

/* Parses the value starting at the current token and moves past it. */
static jnode *parse_value(parser *ps, int depth) {
    if (depth > 64)
        return NULL;
    jnode *n;
    switch (ps->tok.type) {
    case T_LBRACE:
        return parse_container(ps, depth, true);
    case T_LBRACKET:
        return parse_container(ps, depth, false);
    case T_STRING: {
        n = node_new(J_STRING);
        n->u.str.ptr = unescape(ps->tok.start, ps->tok.len, &n->u.str.len);
        if (!n->u.str.ptr) {
            free(n);
            return NULL;
        }
        break;
    }
    case T_NUMBER:
        n = node_new(J_NUMBER);
        n->u.num = ps->tok.num;
        break;
    case T_TRUE: n = node_new(J_TRUE); break;
    case T_FALSE: n = node_new(J_FALSE); break;
    case T_NULL: n = node_new(J_NULL); break;
    default:
        return NULL;
    }
    next_token(ps);
    return n;
}

static jnode *json_parse(const char *text, size_t len) {
    parser ps = {text, text + len, {T_EOF, NULL, 0, 0.0}};
    next_token(&ps);
    jnode *root = parse_value(&ps, 0);
    if (root && ps.tok.type != T_EOF) {
        node_free(root);
        return NULL;
    }
    return root;
}

/* ---- using the tree ---- */

static uint64_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t walk(const jnode *n, uint64_t h) {
    h = mix(h, n->type);
    if (n->key)
        h ^= hash_bytes(n->key, n->key_len);
    switch (n->type) {
    case J_NUMBER:
        h = mix(h, (uint64_t)(int64_t)(n->u.num * 1000.0));
        break;
    case J_STRING:
        h = mix(h, hash_bytes(n->u.str.ptr, n->u.str.len));
        break;
    case J_ARRAY:
    case J_OBJECT:
        for (size_t i = 0; i < n->u.list.len; i++)
            h = walk(n->u.list.items[i], h);
        break;
    default:
        break;
    }
    return h;
}

/* What an application would do with the document: total the prices of active items. */
static double total_active(const jnode *n, int *count) {
    double total = 0;
    if (n->type == J_OBJECT) {
        const jnode *active = object_get(n, "active"), *price = object_get(n, "price");
        if (active && active->type == J_TRUE && price && price->type == J_NUMBER) {
            total += price->u.num;
            (*count)++;
        }
    }
    if (n->type == J_OBJECT || n->type == J_ARRAY)
        for (size_t i = 0; i < n->u.list.len; i++)
            total += total_active(n->u.list.items[i], count);
    return total;
}

/* ---- generating documents ---- */

static const char *const KEYS[] = {"id",     "name",  "tags",  "price",       "children",
                                   "active", "meta",  "score", "description", "url",
                                   "owner",  "count", "ratio", "created_at",  "kind"};
static const char *const WORDS[] = {"alpha", "beta",  "gamma", "delta",   "widget", "gadget",
                                    "north", "south", "blue",  "crimson", "quiet",  "rapid",
                                    "lorem", "ipsum", "dolor", "sit",     "amet",   "vector"};

static void gen_string(strbuf *b, rng_t *rng) {
    sb_putc(b, '"');
    int words = 1 + (int)rng_below(rng, 6);
    for (int i = 0; i < words; i++) {
        if (i)
            sb_putc(b, ' ');
        sb_puts(b, WORDS[rng_below(rng, 18)]);
        switch (rng_below(rng, 12)) {
        case 0: sb_puts(b, "\\n"); break;
        case 1: sb_puts(b, "\\\"q\\\""); break;
        case 2: sb_puts(b, "caf\\u00e9"); break;
        case 3: sb_puts(b, "\\u2603"); break;
        default: break;
        }
    }
    sb_putc(b, '"');
}

static void gen_number(strbuf *b, rng_t *rng) {
    switch (rng_below(rng, 4)) {
    case 0:
        sb_put_int(b, (int64_t)rng_below(rng, 100000) - 5000);
        break;
    case 1:
        sb_put_int(b, rng_below(rng, 10000));
        sb_putc(b, '.');
        sb_put_int(b, 10 + rng_below(rng, 90));
        break;
    case 2:
        sb_put_int(b, 1 + rng_below(rng, 9));
        sb_putc(b, '.');
        sb_put_int(b, rng_below(rng, 10));
        sb_putc(b, 'e');
        sb_put_int(b, (int64_t)rng_below(rng, 12) - 6);
        break;
    default:
        sb_put_int(b, (int64_t)(rng_next(rng) >> 20));
        break;
    }
}

static void gen_value(strbuf *b, rng_t *rng, int depth);

static void gen_object(strbuf *b, rng_t *rng, int depth) {
    sb_putc(b, '{');
    int members = 2 + (int)rng_below(rng, 7);
    for (int i = 0; i < members; i++) {
        if (i)
            sb_puts(b, ", ");
        sb_putc(b, '"');
        sb_puts(b, KEYS[rng_below(rng, 15)]);
        sb_puts(b, "\": ");
        gen_value(b, rng, depth + 1);
    }
    sb_putc(b, '}');
}

static void gen_value(strbuf *b, rng_t *rng, int depth) {
    uint32_t pick = rng_below(rng, depth < 4 ? 10 : 7);
    switch (pick) {
    case 0: sb_puts(b, "null"); break;
    case 1: sb_puts(b, "true"); break;
    case 2: sb_puts(b, "false"); break;
    case 3:
    case 4: gen_number(b, rng); break;
    case 5:
    case 6: gen_string(b, rng); break;
    case 7: {
        sb_putc(b, '[');
        int items = (int)rng_below(rng, 8);
        for (int i = 0; i < items; i++) {
            if (i)
                sb_putc(b, ',');
            gen_value(b, rng, depth + 1);
        }
        sb_putc(b, ']');
        break;
    }
    default:
        gen_object(b, rng, depth);
        break;
    }
}

int64_t run(int32_t n) {
    rng_t rng = rng_new(2024);
    uint64_t sum = 0;
    strbuf doc = {NULL, 0, 0};
    for (int32_t round = 0; round < n; round++) {
        /* A document: an array of records, as an API response would be. */
        doc.len = 0;
        sb_puts(&doc, "{\"page\": ");
        sb_put_int(&doc, round);
        sb_puts(&doc, ", \"items\": [\n");
        for (int i = 0; i < 6; i++) {
            if (i)
                sb_puts(&doc, ",\n");
            sb_puts(&doc, "  {\"id\": ");
            sb_put_int(&doc, i);
            sb_puts(&doc, ", \"active\": ");
            sb_puts(&doc, rng_below(&rng, 3) ? "true" : "false");
            sb_puts(&doc, ", \"price\": ");
            gen_number(&doc, &rng);
            sb_puts(&doc, ", \"data\": ");
            gen_object(&doc, &rng, 1);
            sb_putc(&doc, '}');
        }
        sb_puts(&doc, "\n]}");
        /* Parse it a few times, as a server parses the same shapes again and again. */
        for (int rep = 0; rep < 3; rep++) {
            jnode *root = json_parse(doc.data, doc.len);
            if (!root) {
                sum = mix(sum, 0xbad);
                continue;
            }
            int count = 0;
            double total = total_active(root, &count);
            sum = mix(sum, walk(root, 0));
            sum = mix(sum, (uint64_t)(int64_t)total ^ (uint64_t)count << 40);
            node_free(root);
        }
        /* Broken documents must be refused. */
        doc.data[doc.len / 2] = '}';
        jnode *broken = json_parse(doc.data, doc.len);
        sum = mix(sum, broken ? 1 : 2);
        node_free(broken);
        sum = mix(sum, doc.len);
    }
    free(doc.data);
    return (int64_t)sum;
}
