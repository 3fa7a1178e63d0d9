#!/bin/sh
# Installs the build into a scratch prefix and checks what `cmake --install`
# promises: the binary, the library with its headers and estimator.pc, the
# profiles and the man page; that the installed binary finds its own profiles
# with no environment and from any directory; that --profiles and
# ESTIMATOR_PROFILES are honoured; that the build-tree binary finds the source
# profiles; and that a program builds and runs against the installed library.
set -eu
build=$1 src=$2 probe_flags=${3:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/estimator include/estimator/estimator.h share/estimator/profiles/sources.yaml \
	share/estimator/scenarios/bank-documents.yaml share/man/man1/estimator.1 \
	share/doc/estimator/model.md; do
	[ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
lib=$(find "$prefix" -name libestimator.a | head -n 1)
[ -n "$lib" ] || { echo "libestimator.a not installed"; exit 1; }
pc=$(find "$prefix" -name estimator.pc | head -n 1)
[ -n "$pc" ] || { echo "estimator.pc not installed"; exit 1; }

scenario=$src/scenarios/bank-documents.yaml
cd "$scratch"
# the installed binary, no environment: its own share/estimator/profiles
env -u ESTIMATOR_PROFILES "$prefix/bin/estimator" run "$scenario" --format json >a.json
# the same after the prefix is moved: still relative to the binary
mv "$prefix" "$scratch/moved"
env -u ESTIMATOR_PROFILES "$scratch/moved/bin/estimator" run "$scenario" --format json >b.json
cmp a.json b.json
# --profiles and the environment variable win; a wrong one is an error
if env -u ESTIMATOR_PROFILES "$scratch/moved/bin/estimator" run "$scenario" --profiles "$scratch/nowhere" 2>err.txt; then
	echo "--profiles was ignored"; exit 1
fi
grep -q "nowhere" err.txt
if ESTIMATOR_PROFILES=$scratch/nowhere "$scratch/moved/bin/estimator" run "$scenario" 2>err.txt; then
	echo "ESTIMATOR_PROFILES was ignored"; exit 1
fi
grep -q "nowhere" err.txt
# the build-tree binary finds the source tree's profiles
env -u ESTIMATOR_PROFILES "$build/estimator" run "$scenario" --format json >c.json
cmp a.json c.json

# a program against the installed library, through pkg-config
cat >use.c <<'C'
#include <stdio.h>
#include <estimator/estimator.h>
int main(int argc, char **argv)
{
	est_profiles *p = NULL;
	est_error err;
	(void)argc;
	if (est_profiles_load(&p, argv[1], &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	printf("%zu tasks\n", est_profiles_count_tasks(p));
	est_profiles_free(p);
	return 0;
}
C
PKG_CONFIG_PATH=$(dirname "$(find "$scratch/moved" -name estimator.pc | head -n 1)")
export PKG_CONFIG_PATH
# shellcheck disable=SC2046
cc -std=c11 $probe_flags use.c -o use $(pkg-config --cflags estimator) $(pkg-config --libs --static estimator)
tasks=$(ls "$scratch/moved/share/estimator/profiles/tasks" | grep -c '\.yaml$')
./use "$scratch/moved/share/estimator/profiles" | grep -qx "$tasks tasks"
# plain --libs links too (only the static library is installed)
# shellcheck disable=SC2046
cc -std=c11 $probe_flags use.c -o use-plain $(pkg-config --cflags estimator) $(pkg-config --libs estimator)
./use-plain "$scratch/moved/share/estimator/profiles" | grep -qx "$tasks tasks"
echo "install: ok"
