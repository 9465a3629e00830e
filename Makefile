# forkgp: one Makefile. Objects under build/, the core built once as
# build/libforkgp.a that the binary, the tests and the benchmarks link.

CC      ?= cc
CXX     ?= c++
BUILD   ?= build
OPT     ?= -O3 -march=native -g
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wundef -Wwrite-strings
# -ffp-contract=off: results must not depend on fused multiply-adds.
# -fno-math-errno: nothing reads errno after sqrt and the like, so a block
# of square roots vectorizes (the results are the same bits).
# -fno-trapping-math: nothing reads the floating-point exception flags, so
# the loops of exp, log, sin and cos, whose selects compute both sides,
# vectorize without AVX-512's masks too (the same bits: every operation is
# still done as written, in IEEE order).
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L $(OPT) $(WARN) \
           -ffp-contract=off -fno-math-errno -fno-trapping-math \
           -I. -Iengine -Ioperators -Ifitness -Itests -I$(BUILD)/gen \
           -MMD -MP
LDLIBS  += -linih -lcminpack -lm

ifdef SANITIZE
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

VERSION := 0.1.0
# What built this binary, for checkpoints and manifests.
COMMIT  := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
CFLAGS  += -DFORKGP_VERSION='"$(VERSION)"' -DFORKGP_COMMIT='"$(COMMIT)"' \
           -DFORKGP_CFLAGS='"$(OPT)$(if $(SANITIZE), sanitize)"'

CORE_SRC := $(filter-out engine/main.c,$(wildcard engine/*.c operators/*.c fitness/*.c))

# make MPI=1: the MPI backend of the farm (engine/farm_mpi.c), built with
# Open MPI's compiler wrapper; without it forkgp needs no MPI at all.
ifdef MPI
CC      := mpicc
CFLAGS  += -DFORKGP_MPI
BUILD   ?= build
else
CORE_SRC := $(filter-out engine/farm_mpi.c,$(CORE_SRC))
endif
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)

# Link-time optimisation of the forkgp binary, by default where GCC builds
# at -O2 or -O3 (not for sanitizers, MPI or clang; make LTO=0 builds
# without): the objects carry GCC's intermediate code beside their
# machine code (fat), so that the binary's link optimises across files
# (breeding's calls into the random stream and the trees, scoring's into
# the interpreter) while the tests and tools link the machine code as
# before. It changes no operation: the same bytes out (tests/e2e/builds.sh
# compares with -O0 and clang). BENCHMARKS.md has what it gains, and why
# profile-guided builds were left out.
CC_IS_GCC := $(if $(filter __clang__,$(firstword $(shell echo __clang__ | \
               $(CC) -E -P - 2>/dev/null))),1,0)
ifeq ($(origin LTO),undefined)
LTO := $(if $(and $(filter 1,$(CC_IS_GCC)),$(filter -O2 -O3,$(OPT)),\
         $(if $(SANITIZE)$(MPI),,1)),1,0)
endif
ifeq ($(LTO),1)
CFLAGS  += -flto=auto -ffat-lto-objects
BIN_LTO := -flto=auto $(OPT)
AR      := gcc-ar
endif
LIB      := $(BUILD)/libforkgp.a
BIN      := $(BUILD)/forkgp
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# test_wire again, its wire.o built to move at most 3 bytes per read() or
# write() so that every transfer is partial (rules below).
TESTS    += $(BUILD)/tests/test_wire_capped
ORACLE   := $(BUILD)/tests/pcg_oracle
BENCH    := $(BUILD)/tools/bench_interp $(BUILD)/tools/bench_breed \
            $(BUILD)/tools/bench_jacobian $(BUILD)/tools/bench_cases
# What forkgp computes for printed programs on a CSV's rows, for
# tests/e2e/sympy.sh.
PREDICT  := $(BUILD)/tools/predict_rows
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%.so,$(wildcard examples/*.c))
# The Python package (python/forkgp), its keywords generated from the
# binary's key table (tools/python_keys.py); Debian's Python, not one
# earlier on PATH. _install.py is written by make install alone.
PYTHON  ?= /usr/bin/python3
PYKEYS  := python/forkgp/_keys.py
PYFILES := $(sort $(filter-out python/forkgp/_install.py,\
             $(wildcard python/forkgp/*.py)) $(PYKEYS))

.PHONY: all deps deps-run run test unit e2e layers python asan bench format \
        clean readme install test-mpi test-load \
        uninstall examples
.SECONDARY:
all: $(BIN) $(PYKEYS)

# Installs the missing Debian packages (tools/deps.sh): deps those of the
# tests and benchmarks too, deps-run only what building and running need.
deps:
	@./tools/deps.sh $(if $(MPI),mpi,test)
deps-run:
	@./tools/deps.sh $(if $(MPI),mpi,run)

run: deps-run
	@$(MAKE) --no-print-directory all
	$(BIN) run configs/kepler.ini --out runs/kepler

# Every check, then the failed ones by name and "N passed, N failed"
# (tests/summary.sh). Each part appends one line per check to $(RESULTS).
# The parts run one after the other, each whatever the others gave, so a
# failing one stops none and no timing check shares the CPUs with another
# part; a part that does not build counts as a failure.
RESULTS := $(BUILD)/test-results.txt
PARTS   := unit e2e layers python
test: deps
	@mkdir -p $(BUILD) && : >$(RESULTS)
	@st=0; for p in $(PARTS); do \
	    TEST_RESULTS=$(abspath $(RESULTS)) $(MAKE) --no-print-directory $$p \
	    || st=$$?; done; ./tests/summary.sh $(RESULTS) $$st $(PARTS)

# Each test case of each cmocka program a check (tests/unit.sh).
unit: $(TESTS) $(ORACLE)
	@PCG_ORACLE=$(ORACLE) ./tests/unit.sh $(TESTS)

e2e: $(BIN) $(EXAMPLES) $(PREDICT)
	@FORKGP=$(BIN) EXAMPLES=$(BUILD)/examples PREDICT_ROWS=$(PREDICT) \
	    ./tests/e2e/run_all.sh

# The Python package's tests (python/tests/run.py), each check a line.
python: $(BIN) $(PYKEYS)
	@FORKGP_BIN=$(abspath $(BIN)) BUILD=$(BUILD) $(PYTHON) python/tests/run.py

# The file is rewritten only when its text changes (git sees no change
# otherwise); touched, so that make knows it is up to date.
$(PYKEYS): $(BIN) tools/python_keys.py
	@$(PYTHON) tools/python_keys.py $(BIN) $@ && touch $@

# Includes and calls go down the layers, with no circle: read from the
# sources and the objects' symbols (tests/check_layers.py), after the
# checker's own test over tests/layers/.
layers: $(CORE_OBJ) $(BUILD)/engine/main.o
	@st=0; python3 tests/check_layers.py --self-test || st=1; \
	    python3 tests/check_layers.py --objects $(BUILD) || st=1; exit $$st

# make test while 8 processes spin beside it, 3 times in a row
# (tools/test_load.sh; make test-load RUNS=1 for one): no check may depend
# on the machine being idle. Not in make test: each run takes several times
# as long as make test alone.
RUNS ?= 3
BUSY ?= 8
test-load: deps
	@BUILD=$(BUILD) ./tools/test_load.sh $(RUNS) $(BUSY)

# The MPI backend's tests: installs Open MPI, builds with MPI=1 in its own
# tree, and compares mpirun runs with the fork backend (not in make test).
test-mpi:
	@./tools/deps.sh mpi
	@$(MAKE) --no-print-directory BUILD=build/mpi MPI=1 build/mpi/forkgp examples
	@FORKGP=build/mpi/forkgp EXAMPLES=build/mpi/examples ./tests/e2e/mpi.sh

# The whole suite under AddressSanitizer and UBSan, in its own build tree.
asan: deps
	@FORKGP_ASAN=1 $(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 \
	    OPT='-O1 -g' unit e2e

bench: deps $(BENCH) $(BIN)
	$(BUILD)/tools/bench_interp
	$(BUILD)/tools/bench_breed
	$(BUILD)/tools/bench_jacobian
	$(BUILD)/tools/bench_cases
	./tools/bench_quartic.sh $(BIN)
	./tools/bench_scaling.sh $(BIN)
	./tools/bench_optimize.sh $(BIN)
	./tools/bench_e2e.sh $(BIN)

$(LIB): $(CORE_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# The binary exports the fgp_* functions of forkgp.h to the plug-ins it
# dlopens, and nothing else.
$(BIN): $(BUILD)/engine/main.o $(LIB) fitness/forkgp.sym
	$(CC) $(LDFLAGS) $(BIN_LTO) -Wl,--dynamic-list=fitness/forkgp.sym -o $@ \
	    $(BUILD)/engine/main.o $(LIB) $(LDLIBS)

# Every test program links the shared test helpers (tests/testutil.c).
$(BUILD)/tests/%: $(BUILD)/tests/%.o $(BUILD)/tests/testutil.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

# test_plugin dlopens plug-ins that call fgp_*: export them as the binary does.
$(BUILD)/tests/test_plugin: LDFLAGS += -Wl,--dynamic-list=fitness/forkgp.sym

# Linked before $(LIB), the capped wire.o is the one the test gets.
$(BUILD)/tests/wire_capped.o: engine/wire.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DWIRE_MAX_CHUNK=3 -c -o $@ $<
$(BUILD)/tests/test_wire_capped: $(BUILD)/tests/test_wire.o \
                                 $(BUILD)/tests/wire_capped.o \
                                 $(BUILD)/tests/testutil.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LDLIBS)

$(BUILD)/tools/%: $(BUILD)/tools/%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The PCG oracle: Debian's libpcg-cpp-dev pcg32, to check our C port.
$(ORACLE): tests/pcg_oracle.cpp
	@mkdir -p $(@D)
	$(CXX) -O2 -std=c++11 -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# engine/vmath.h and engine/vmath.c as lines of C strings, for the C that
# forkgp export writes (engine/export.c): the code the interpreter is
# compiled from, never a copy kept by hand, so the exported exp, log, sin,
# cos and tanh give the interpreter's bits.
$(BUILD)/gen/vmath_source.h: engine/vmath.h engine/vmath.c
	@mkdir -p $(@D)
	@{ echo '/* vmath_source: engine/vmath.h and vmath.c as text (Makefile). */'; \
	  echo 'static const char *const vmath_source[] = {'; \
	  cat engine/vmath.h engine/vmath.c | grep -v '^#include "vmath.h"$$' | \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/",/'; \
	  echo '    NULL};'; } >$@.tmp && mv $@.tmp $@
$(BUILD)/engine/export.o: $(BUILD)/gen/vmath_source.h

# The built-in fitness functions are plug-ins like any other: fitness/ is
# compiled with its own folder alone on the include path (the other -I
# flags taken out), so that they see forkgp.h and their own headers and
# nothing of the engine's. (The more specific pattern wins over the one
# above.)
$(BUILD)/fitness/%.o: fitness/%.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -I%,$(CFLAGS)) -Ifitness -c -o $@ $<

format:
	clang-format -i engine/*.[ch] operators/*.[ch] fitness/*.[ch] tests/*.c

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Installs the binary, the plug-in header, forkgp.pc (for pkg-config) and
# the Python package, which records where the binary went (_install.py).
# PYTHONDIR: PREFIX/lib/python3.X/dist-packages, on Debian's python3's path
# for PREFIX=/usr/local.
PREFIX  ?= /usr/local
DESTDIR ?=
PYTHONDIR ?= $(PREFIX)/lib/$(or $(shell $(PYTHON) -c 'import sys; \
    print("python%d.%d" % sys.version_info[:2])' 2>/dev/null),python3)/dist-packages
install: $(BIN) $(PYKEYS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PYTHONDIR)/forkgp
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/forkgp
	install -m 644 fitness/forkgp.h $(DESTDIR)$(PREFIX)/include/forkgp.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' \
	    fitness/forkgp.pc.in >$(DESTDIR)$(PREFIX)/lib/pkgconfig/forkgp.pc
	install -m 644 $(PYFILES) $(DESTDIR)$(PYTHONDIR)/forkgp/
	printf '"""Written by make install: the binary it installed."""\nFORKGP_BIN = %s\n' \
	    "'$(PREFIX)/bin/forkgp'" >$(DESTDIR)$(PYTHONDIR)/forkgp/_install.py

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/forkgp \
	    $(DESTDIR)$(PREFIX)/include/forkgp.h \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig/forkgp.pc
	rm -rf $(DESTDIR)$(PYTHONDIR)/forkgp

# The example plug-ins, each one C file built as a plug-in user would.
examples: $(EXAMPLES)
$(BUILD)/examples/%.so: examples/%.c fitness/forkgp.h
	@mkdir -p $(@D)
	$(CC) -shared -fPIC -O2 -Wall -Wextra -Ifitness -o $@ $<

# Regenerates the README's tables from the binary (keys, functions).
readme: $(BIN)
	@./tools/readme_tables.sh $(BIN)
