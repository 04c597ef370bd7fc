# Thin wrapper around CMake. Every target builds out of tree in build/ (or $(BUILD)).
# Targets: all (default), test, grade, handout, autograder, bench, fuzz, asan, clean. See README.md.
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
CMAKE_BUILD_TYPE ?= RelWithDebInfo

.PHONY: all deps configure test grade handout autograder bench fuzz asan clean

all: configure
	cmake --build $(BUILD) -j$(JOBS)

# Installs missing Debian packages (apt-get as root; otherwise prints the command to run).
deps:
	@scripts/install-deps --check-or-install

configure: deps
	@test -f $(BUILD)/CMakeCache.txt || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(CMAKE_BUILD_TYPE) $(CMAKE_FLAGS)

# Builds everything and runs every unit test and lab suite through CTest; prints CTest's summary.
test: all
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) $(CTEST_FLAGS)

# The main job: builds and grades every lab present (see scripts/grade).
grade: all
	scripts/grade --build $(BUILD)

handout: all
	scripts/handout --build $(BUILD)

# A Gradescope autograder zip, autograder/$(LAB).zip: LAB=raft, raft/A or a course lab (lab3).
autograder:
	@test -n "$(LAB)" || { echo "make autograder LAB=<lab, part or course lab>"; exit 2; }
	scripts/autograder "$(LAB)"

bench: all
	scripts/bench --build $(BUILD)

# libFuzzer targets need clang; they build in build-fuzz/.
fuzz: deps
	scripts/fuzz

# AddressSanitizer + UBSan build in build-asan/, then its tests.
asan: deps
	@test -f build-asan/CMakeCache.txt || cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRRR_SANITIZE=ON
	cmake --build build-asan -j$(JOBS)
	cd build-asan && ctest --output-on-failure -j$(JOBS)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
