/*
 * What every fuzz target checks besides the sanitizers (docs/fuzzing.md): a
 * status the library documents, a one-line message without control
 * characters, a location on every invalid-input error, and no internal error
 * on a small input. A failed check aborts, which libFuzzer reports as a crash.
 */
#ifndef EST_FUZZ_COMMON_H
#define EST_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "estimator/error.h"

/* Abort with why, after printing the error record. */
void fuzz_fail(const char *what, const est_error *err)
#if defined(__GNUC__)
	__attribute__((noreturn))
#endif
	;

/*
 * Check the status rc of a call that filled err. `located`: an EST_EINVALID
 * error must name a file and a line (the CLI prints FILE:LINE:COL).
 */
void fuzz_check(int rc, const est_error *err, int located);

/* Check a message text (units' msg buffers): non-empty, one line, printable. */
void fuzz_check_text(const char *what, const char *msg);

/* A fresh scratch directory for this process (made once, removed at exit). */
const char *fuzz_scratch(void);

/* Write data to path (replacing it); aborts when it cannot. */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/* The whole of file path, NUL-terminated, and its length; aborts when it cannot. */
char *fuzz_slurp(const char *path, size_t *len);

/* A NUL-terminated heap copy of data. */
char *fuzz_strndup(const uint8_t *data, size_t size);

#endif
