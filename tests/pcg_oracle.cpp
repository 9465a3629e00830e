// pcg_oracle: prints pcg-cpp pcg32 outputs, the reference for tests/test_rng.c.
//
//   pcg_oracle STATE STREAM COUNT
//       COUNT outputs of pcg32(STATE, STREAM)(), one decimal per line
//   pcg_oracle --bounded STATE STREAM COUNT BOUND
//       COUNT outputs of pcg32(STATE, STREAM)(BOUND), pcg_extras's
//       bounded_rand: threshold = (-bound) % bound, redraw while r < threshold,
//       return r % bound (the same method as rng_below)
//
// Numbers are decimal or 0x-prefixed hexadecimal; a leading 0 is not octal.
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <pcg_random.hpp>

static const char usage[] =
    "usage: pcg_oracle STATE STREAM COUNT\n"
    "   or: pcg_oracle --bounded STATE STREAM COUNT BOUND\n";

// Parses a whole uint64 argument; returns 0, or -1 with a message printed.
static int parse_u64(const char *what, const char *s, uint64_t *out)
{
    int base = 10;
    const char *digits = s;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        digits = s + 2;
    }
    // strtoull accepts a sign and leading spaces; an argument may not.
    bool ok = *digits != '\0';
    for (const char *p = digits; ok && *p; p++)
        ok = base == 16 ? std::isxdigit((unsigned char)*p) != 0
                        : (*p >= '0' && *p <= '9');
    if (!ok) {
        std::fprintf(stderr, "pcg_oracle: %s: not a number: '%s'\n", what, s);
        return -1;
    }
    errno = 0;
    unsigned long long v = std::strtoull(digits, NULL, base);
    if (errno == ERANGE) {
        std::fprintf(stderr, "pcg_oracle: %s: out of range: '%s'\n", what, s);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    bool bounded = argc > 1 && std::strcmp(argv[1], "--bounded") == 0;
    int first = bounded ? 2 : 1;
    if (argc != first + (bounded ? 4 : 3)) {
        std::fputs(usage, stderr);
        return 2;
    }

    uint64_t state, stream, count, bound = 0;
    if (parse_u64("STATE", argv[first], &state) ||
        parse_u64("STREAM", argv[first + 1], &stream) ||
        parse_u64("COUNT", argv[first + 2], &count) ||
        (bounded && parse_u64("BOUND", argv[first + 3], &bound)))
        return 2;
    if (bounded && (bound == 0 || bound > UINT32_MAX)) {
        std::fprintf(stderr,
                     "pcg_oracle: BOUND: expected 1..4294967295, got '%s'\n",
                     argv[first + 3]);
        return 2;
    }

    pcg32 rng(state, stream);
    for (uint64_t i = 0; i < count; i++) {
        uint32_t x = bounded ? rng((uint32_t)bound) : rng();
        if (std::printf("%" PRIu32 "\n", x) < 0)
            break;
    }
    if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
        std::fprintf(stderr, "pcg_oracle: cannot write output: %s\n",
                     std::strerror(errno));
        return 1;
    }
    return 0;
}
