/*
 * The input side of a batch run (docs/batch.md, "Inputs and shards"): a
 * folder tree generated in a temporary folder (nested folders, names with
 * and without a scenario extension, hidden names, symbolic links to files
 * and folders, loops, an unreadable folder), --list files (CRLF, comments,
 * standard input, bad lines, 100,000 paths), every shard mode with an
 * injected environment, the blocks of K/N, and SHA-256 against the FIPS
 * 180-2 examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <estimator/batch.h>
#include "batch_walk.h" /* what the inputs hold */

static char g_tmp[] = "/tmp/est-batch-XXXXXX";
static char g_cwd[PATH_MAX];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) != 0)
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

static void make_link(const char *target, const char *path)
{
	if (symlink(target, path) != 0)
		fail_msg("symlink %s: %s", path, strerror(errno));
}

/*
 * t/                    the tree most tests walk
 *   a.yaml b.yml        taken
 *   notes.txt UPPER.YAML Up.Yml   skipped: not *.yaml or *.yml (case-sensitive)
 *   .h.yaml .hidden/h.yaml        skipped: hidden
 *   dangling.yaml -> nowhere      taken (fails when loaded)
 *   locked.yaml (mode 000)        taken (fails when loaded)
 *   fifo.yaml (a FIFO)            skipped: not a regular file
 *   dir.yaml/e.yaml               a folder is walked whatever its name
 *   sub/c.yaml sub/deeper/d.yml   nested
 *   sub/link.yaml -> ../a.yaml    the same file as t/a.yaml: listed once
 *   sub/zz -> ../sub2             sub2 walked through the link first, then not again
 *   sub2/f.yaml
 */
static int setup(void **state)
{
	(void)state;
	if (!getcwd(g_cwd, sizeof(g_cwd)) || !mkdtemp(g_tmp) || chmod(g_tmp, 0755) != 0 ||
	    chdir(g_tmp) != 0)
		return -1;
	make_dir("t");
	write_file("t/a.yaml", "version: 1\n");
	write_file("t/b.yml", "version: 1\n");
	write_file("t/notes.txt", "notes\n");
	write_file("t/UPPER.YAML", "version: 1\n");
	write_file("t/Up.Yml", "version: 1\n");
	write_file("t/.h.yaml", "version: 1\n");
	make_dir("t/.hidden");
	write_file("t/.hidden/h.yaml", "version: 1\n");
	make_link("nowhere.yaml", "t/dangling.yaml");
	write_file("t/locked.yaml", "version: 1\n");
	chmod("t/locked.yaml", 0);
	if (mkfifo("t/fifo.yaml", 0644) != 0)
		return -1;
	make_dir("t/dir.yaml");
	write_file("t/dir.yaml/e.yaml", "version: 1\n");
	make_dir("t/sub");
	write_file("t/sub/c.yaml", "version: 1\n");
	make_dir("t/sub/deeper");
	write_file("t/sub/deeper/d.yml", "version: 1\n");
	make_link("../a.yaml", "t/sub/link.yaml");
	make_dir("t/sub2");
	write_file("t/sub2/f.yaml", "version: 1\n");
	make_link("../sub2", "t/sub/zz");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 64];

	(void)state;
	if (chdir(g_cwd) != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", g_tmp, g_tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int collect(est_batch_inputs **in, const char *const *paths, size_t n_paths,
		   const char *const *lists, size_t n_lists, FILE *list_stdin, est_error *err)
{
	est_batch_input_options o;

	memset(&o, 0, sizeof(o));
	o.paths = paths;
	o.n_paths = n_paths;
	o.lists = lists;
	o.n_lists = n_lists;
	o.list_stdin = list_stdin;
	est_error_clear(err);
	return est_batch_inputs_collect(in, &o, err);
}

/* The list walked again, as an array, and its digest checked against the count's. */
static char **walked(const est_batch_inputs *in)
{
	char **paths = NULL, hex[EST_BATCH_DIGEST_HEX];
	est_error err;

	if (est_batch_inputs_list(in, &paths, &err) != 0)
		fail_msg("walking the inputs again: %s: %s", err.file, err.message);
	est_batch_list_digest((const char *const *)paths, in->n, hex);
	assert_string_equal(hex, in->digest);
	return paths;
}

static void expect_list(const est_batch_inputs *in, const char *const *want, size_t n)
{
	char **paths = walked(in);
	size_t i;

	for (i = 0; i < in->n && i < n; i++)
		if (strcmp(paths[i], want[i]))
			fail_msg("paths[%zu] = \"%s\", expected \"%s\"", i, paths[i], want[i]);
	if (in->n != n)
		fail_msg("%zu paths, expected %zu (first extra or missing: \"%s\")", in->n, n,
			 in->n > n ? paths[n] : want[in->n]);
	est_batch_list_free(paths, in->n);
}

static void expect_error(int rc, const est_error *err, est_status code, const char *file,
			 int line, int column, const char *message)
{
	if (rc != (int)code || err->code != code || strcmp(err->file, file) || err->line != line ||
	    err->column != column || strcmp(err->message, message))
		fail_msg("got %d %s:%d:%d: %s\nexpected %d %s:%d:%d: %s", rc, err->file, err->line,
			 err->column, err->message, (int)code, file, line, column, message);
}

static const char *const TREE[] = {
	"t/a.yaml", "t/b.yml", "t/dangling.yaml", "t/dir.yaml/e.yaml", "t/locked.yaml",
	"t/sub/c.yaml", "t/sub/deeper/d.yml", "t/sub/zz/f.yaml",
};
#define N_TREE (sizeof(TREE) / sizeof(*TREE))

static void test_folder(void **state)
{
	const char *const t[] = { "t" }, *const slash[] = { "t/" };
	est_batch_inputs *in = NULL;
	est_error err;

	(void)state;
	assert_int_equal(collect(&in, t, 1, NULL, 0, NULL, &err), 0);
	expect_list(in, TREE, N_TREE);
	/* t/sub/link.yaml is a link to a file: every file is remembered */
	assert_int_equal(in->held->remember_all, 1);
	est_batch_inputs_free(in);
	/* a trailing slash is not doubled */
	assert_int_equal(collect(&in, slash, 1, NULL, 0, NULL, &err), 0);
	expect_list(in, TREE, N_TREE);
	est_batch_inputs_free(in);
	est_batch_inputs_free(NULL);
}

/* Arguments in any order give the same sorted list; a file reached twice is listed once. */
static void test_duplicates(void **state)
{
	const char *const args[] = { "t/sub", "t/notes.txt", "t", "t/a.yaml", "./t/a.yaml",
				     "t/sub/link.yaml", "t/sub/c.yaml" };
	const char *const want[] = {
		"./t/a.yaml", /* t/a.yaml, t/sub/link.yaml: the spelling that sorts first */
		"t/b.yml", "t/dangling.yaml", "t/dir.yaml/e.yaml", "t/locked.yaml",
		"t/notes.txt", /* a file argument is taken whatever its name */
		"t/sub/c.yaml", "t/sub/deeper/d.yml", "t/sub/zz/f.yaml",
	};
	est_batch_inputs *in = NULL;
	est_error err;

	(void)state;
	assert_int_equal(collect(&in, args, 7, NULL, 0, NULL, &err), 0);
	expect_list(in, want, sizeof(want) / sizeof(*want));
	est_batch_inputs_free(in);
}

static void test_missing(void **state)
{
	const char *const args[] = { "t", "no-such.yaml" }, *const empty[] = { "" };
	est_batch_inputs *in = (est_batch_inputs *)&in;
	est_error err;
	int rc;

	(void)state;
	rc = collect(&in, args, 2, NULL, 0, NULL, &err);
	expect_error(rc, &err, EST_EIO, "no-such.yaml", 0, 0, "cannot read: No such file or directory");
	assert_null(in);
	rc = collect(&in, empty, 1, NULL, 0, NULL, &err);
	expect_error(rc, &err, EST_EIO, "", 0, 0, "cannot read: No such file or directory");
	rc = collect(&in, NULL, 0, NULL, 0, NULL, &err);
	expect_error(rc, &err, EST_EUSAGE, "", 0, 0,
		     "no input: give scenario files or folders, or --list FILE");
}

static void test_nothing_found(void **state)
{
	const char *const one[] = { "e" }, *const five[] = { "e", "e/x", "e/x", "e", "e" };
	const char *const list[] = { "empty.list" };
	est_batch_inputs *in = NULL;
	est_error err;
	int rc;

	(void)state;
	make_dir("e");
	make_dir("e/x");
	write_file("e/x/readme.txt", "no scenario\n");
	write_file("e/.y.yaml", "hidden\n");
	write_file("empty.list", "# nothing\n\n");
	rc = collect(&in, one, 1, NULL, 0, NULL, &err);
	expect_error(rc, &err, EST_EINVALID, "", 0, 0,
		     "no scenario found in 'e': a folder gives its *.yaml and *.yml files");
	rc = collect(&in, five, 5, list, 1, NULL, &err);
	expect_error(rc, &err, EST_EINVALID, "", 0, 0,
		     "no scenario found in 'e', 'e/x', 'e/x' and 3 more: a folder gives its *.yaml "
		     "and *.yml files");
	rc = collect(&in, NULL, 0, list, 1, NULL, &err);
	expect_error(rc, &err, EST_EINVALID, "", 0, 0,
		     "no scenario found in 'empty.list': a folder gives its *.yaml and *.yml files");
	assert_null(in);
}

/* A folder that leads back into itself: a link to an ancestor, a link to itself. */
static void test_loops(void **state)
{
	const char *const up[] = { "l1" }, *const self[] = { "l2" }, *const dot[] = { "l2/." };
	est_batch_inputs *in = NULL;
	est_error err;
	int rc;

	(void)state;
	make_dir("l1");
	make_dir("l1/x");
	make_dir("l1/x/y");
	write_file("l1/x/y/a.yaml", "version: 1\n");
	make_link("../..", "l1/x/y/up");
	make_dir("l2");
	write_file("l2/a.yaml", "version: 1\n");
	make_link(".", "l2/self");
	rc = collect(&in, up, 1, NULL, 0, NULL, &err);
	expect_error(rc, &err, EST_EIO, "l1/x/y/up", 0, 0,
		     "symbolic link loop: leads back to folder 'l1'");
	assert_null(in);
	rc = collect(&in, self, 1, NULL, 0, NULL, &err);
	expect_error(rc, &err, EST_EIO, "l2/self", 0, 0, "symbolic link loop: leads back to folder 'l2'");
	rc = collect(&in, dot, 1, NULL, 0, NULL, &err);
	expect_error(rc, &err, EST_EIO, "l2/./self", 0, 0,
		     "symbolic link loop: leads back to folder 'l2/.'");
}

/*
 * Links between folders that are not loops: every folder is walked once,
 * so links that double at each level (2^depth routes) stay cheap.
 */
static void test_link_fan(void **state)
{
	const char *const args[] = { "fan" };
	char dir[64], link[80], target[16];
	est_batch_inputs *in = NULL;
	est_error err;
	int i;

	(void)state;
	make_dir("fan");
	for (i = 0; i < 40; i++) {
		snprintf(dir, sizeof(dir), "fan/d%02d", i);
		make_dir(dir);
		snprintf(link, sizeof(link), "%s/s.yaml", dir);
		write_file(link, "version: 1\n");
		if (i == 0)
			continue;
		snprintf(target, sizeof(target), "../d%02d", i - 1);
		snprintf(link, sizeof(link), "%s/l1", dir);
		make_link(target, link);
		snprintf(link, sizeof(link), "%s/l2", dir);
		make_link(target, link);
	}
	assert_int_equal(collect(&in, args, 1, NULL, 0, NULL, &err), 0);
	assert_int_equal(in->n, 40);
	/* links to folders name no file twice: the walk remembers no file (memory stays flat) */
	assert_int_equal(in->held->remember_all, 0);
	{
		char **paths = walked(in);
		assert_string_equal(paths[0], "fan/d00/s.yaml");
		est_batch_list_free(paths, in->n);
	}
	est_batch_inputs_free(in);
}

/*
 * Hard links: two names of one file are listed once, under the name that
 * sorts first, wherever the names are; the walk remembers the files with
 * more than one link only (memory stays flat for the rest).
 */
static void test_hard_links(void **state)
{
	const char *const one[] = { "hl" }, *const two[] = { "hl/z", "hl" };
	const char *const want[] = { "hl/a.yaml", "hl/c.yaml" };
	est_batch_inputs *in = NULL;
	est_error err;

	(void)state;
	make_dir("hl");
	make_dir("hl/z");
	write_file("hl/a.yaml", "version: 1\n");
	write_file("hl/c.yaml", "version: 1\n");
	if (link("hl/a.yaml", "hl/b.yaml") != 0 || link("hl/a.yaml", "hl/z/d.yaml") != 0)
		fail_msg("link: %s", strerror(errno));
	assert_int_equal(collect(&in, one, 1, NULL, 0, NULL, &err), 0);
	expect_list(in, want, 2);
	assert_int_equal(in->held->remember_all, 0);
	est_batch_inputs_free(in);
	/* the folder holding only a link given first: the same list */
	assert_int_equal(collect(&in, two, 2, NULL, 0, NULL, &err), 0);
	expect_list(in, want, 2);
	est_batch_inputs_free(in);
}

/* Run f in a child as user nobody (the check needs a user that permissions stop). */
static int as_nobody(void (*f)(void))
{
	pid_t pid;
	int status;

	if (geteuid() != 0) {
		f();
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(77);
		f();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		fail_msg("the child running as nobody did not exit");
	if (WEXITSTATUS(status) == 77)
		return 0;
	if (WEXITSTATUS(status) != 0)
		fail_msg("the check run as nobody failed (its message is above)");
	return 1;
}

static void unreadable_check(void)
{
	const char *const args[] = { "u" };
	est_batch_inputs *in = NULL;
	est_error err;
	int rc = collect(&in, args, 1, NULL, 0, NULL, &err);

	if (rc != EST_EIO || strcmp(err.file, "u/locked") ||
	    strcmp(err.message, "cannot read folder: Permission denied")) {
		fprintf(stderr, "got %d %s: %s\n", rc, err.file, err.message);
		if (geteuid() != 0 && getuid() == 65534)
			_exit(1);
		fail_msg("unreadable folder");
	}
}

static void test_unreadable_folder(void **state)
{
	(void)state;
	make_dir("u");
	write_file("u/a.yaml", "version: 1\n");
	make_dir("u/locked");
	write_file("u/locked/b.yaml", "version: 1\n");
	chmod("u/locked", 0);
	/* root reads any folder: as root the check runs in a child as nobody, or is skipped */
	if (!as_nobody(unreadable_check))
		print_message("skipped: running as root and cannot become nobody\n");
	chmod("u/locked", 0755);
}

/* The committed list: CRLF line ends, comments, blank lines, a folder, no final line break. */
static void test_list_file(void **state)
{
	const char *const list[] = { "list-crlf.txt" };
	const char *const want[] = { "tree/one.yaml", "tree/skip.txt", "tree/sub/three.yaml" };
	est_batch_inputs *in = NULL;
	est_error err;

	(void)state;
	assert_int_equal(chdir(EST_TEST_DATA "/batch"), 0);
	assert_int_equal(collect(&in, NULL, 0, list, 1, NULL, &err), 0);
	expect_list(in, want, 3); /* walked again from the same folder, as a run does */
	assert_int_equal(chdir(g_tmp), 0);
	est_batch_inputs_free(in);
}

static void test_list_not_utf8(void **state)
{
	const char *const list[] = { "list-latin1.txt" };
	est_batch_inputs *in = NULL;
	est_error err;
	int rc;

	(void)state;
	assert_int_equal(chdir(EST_TEST_DATA "/batch"), 0);
	rc = collect(&in, NULL, 0, list, 1, NULL, &err);
	assert_int_equal(chdir(g_tmp), 0);
	expect_error(rc, &err, EST_EINVALID, "list-latin1.txt", 2, 6,
		     "byte 0xE9 is not UTF-8 (a --list file must be UTF-8 text)");
}

static FILE *memory_file(const char *text, size_t len)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	rewind(f);
	return f;
}

static void test_list_stdin(void **state)
{
	const char *const dash[] = { "-" }, *const twice[] = { "-", "x.list", "-" };
	const char *const args[] = { "t/b.yml" };
	const char text[] = "t/sub\n#t/a.yaml\n\n \t \nt/a.yaml\n";
	const char *const want[] = { "t/a.yaml", "t/b.yml", "t/sub/c.yaml", "t/sub/deeper/d.yml",
				     "t/sub/zz/f.yaml" };
	est_batch_inputs *in = NULL;
	est_error err;
	FILE *f = memory_file(text, sizeof(text) - 1);
	int rc;

	(void)state;
	assert_int_equal(collect(&in, args, 1, dash, 1, f, &err), 0);
	fclose(f);
	expect_list(in, want, 5);
	est_batch_inputs_free(in);
	rc = collect(&in, NULL, 0, dash, 1, NULL, &err);
	expect_error(rc, &err, EST_EUSAGE, "", 0, 0, "--list -: standard input is not available here");
	rc = collect(&in, NULL, 0, twice, 3, stdin, &err);
	expect_error(rc, &err, EST_EUSAGE, "", 0, 0,
		     "--list - is given twice: standard input is read once");
}

static void test_list_errors(void **state)
{
	const char *const dash[] = { "-" }, *const none[] = { "no-such.list" };
	const char *const dir[] = { "t" };
	char line[EST_BATCH_LIST_LINE_MAX + 8], want[320];
	est_batch_inputs *in = NULL;
	est_error err;
	FILE *f;
	int rc;

	(void)state;
	/* a missing path is located at its line */
	f = memory_file("t/a.yaml\r\n\r\nt/missing.yaml\r\n", 28);
	rc = collect(&in, NULL, 0, dash, 1, f, &err);
	fclose(f);
	expect_error(rc, &err, EST_EIO, "<stdin>", 3, 0,
		     "cannot read 't/missing.yaml': No such file or directory");
	/* a NUL byte */
	f = memory_file("t/a.yaml\nt/b\0.yml\n", 18);
	rc = collect(&in, NULL, 0, dash, 1, f, &err);
	fclose(f);
	expect_error(rc, &err, EST_EINVALID, "<stdin>", 2, 4,
		     "a NUL byte in a path (a --list file holds one path a line)");
	/* a control character is a path's byte like any other (shown escaped) */
	f = memory_file("t/a\tb.yaml\n", 11);
	rc = collect(&in, NULL, 0, dash, 1, f, &err);
	fclose(f);
	expect_error(rc, &err, EST_EIO, "<stdin>", 1, 0,
		     "cannot read 't/a\\tb.yaml': No such file or directory");
	/* EST_BATCH_LIST_LINE_MAX bytes pass the list's check (the path is then too long) */
	memset(line, 'a', EST_BATCH_LIST_LINE_MAX);
	memcpy(line + EST_BATCH_LIST_LINE_MAX, "\r\n", 2);
	f = memory_file(line, EST_BATCH_LIST_LINE_MAX + 2);
	rc = collect(&in, NULL, 0, dash, 1, f, &err);
	fclose(f);
	/* the message quotes 256 bytes of it, so the reason stays in */
	snprintf(want, sizeof(want), "cannot read '%.256s...': File name too long", line);
	expect_error(rc, &err, EST_EIO, "<stdin>", 1, 0, want);
	/* one byte more is refused, with or without a final line break */
	line[EST_BATCH_LIST_LINE_MAX] = 'a';
	f = memory_file(line, EST_BATCH_LIST_LINE_MAX + 1);
	rc = collect(&in, NULL, 0, dash, 1, f, &err);
	fclose(f);
	expect_error(rc, &err, EST_EINVALID, "<stdin>", 1, EST_BATCH_LIST_LINE_MAX + 1,
		     "line longer than 4096 bytes (a --list file holds one path a line)");
	line[EST_BATCH_LIST_LINE_MAX + 1] = '\n';
	f = memory_file(line, EST_BATCH_LIST_LINE_MAX + 2);
	rc = collect(&in, NULL, 0, dash, 1, f, &err);
	fclose(f);
	expect_error(rc, &err, EST_EINVALID, "<stdin>", 1, EST_BATCH_LIST_LINE_MAX + 1,
		     "line longer than 4096 bytes (a --list file holds one path a line)");
	/* a list that cannot be opened or read */
	rc = collect(&in, NULL, 0, none, 1, NULL, &err);
	expect_error(rc, &err, EST_EIO, "no-such.list", 0, 0, "cannot open: No such file or directory");
	rc = collect(&in, NULL, 0, dir, 1, NULL, &err);
	expect_error(rc, &err, EST_EIO, "t", 0, 0, "cannot read: Is a directory");
	assert_null(in);
}

/* 100,000 real (empty) files through a list, each twice, in reverse order. */
static void test_list_many(void **state)
{
	enum { N = 100000 };
	const char *const list[] = { "many.list" };
	char path[32], want[32];
	est_batch_inputs *in = NULL;
	est_error err;
	FILE *f;
	int i, fd;

	(void)state;
	make_dir("many");
	f = fopen("many.list", "w");
	assert_non_null(f);
	for (i = N - 1; i >= 0; i--) {
		snprintf(path, sizeof(path), "many/s%06d.yaml", i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		assert_true(fd >= 0);
		close(fd);
		fprintf(f, "%s\n%s\n", path, path);
	}
	fclose(f);
	assert_int_equal(collect(&in, NULL, 0, list, 1, NULL, &err), 0);
	assert_int_equal(in->n, N);
	{
		char **paths = walked(in);
		for (i = 0; i < N; i++) {
			snprintf(want, sizeof(want), "many/s%06d.yaml", i);
			if (strcmp(paths[i], want))
				fail_msg("paths[%d] = %s", i, paths[i]);
		}
		est_batch_list_free(paths, in->n);
	}
	est_batch_inputs_free(in);
}

/* ------------------------------------------------------------------------ */

static void hex_of(const char *data, size_t len, size_t chunk, char out[EST_BATCH_DIGEST_HEX])
{
	est_batch_sha256 h;
	size_t i;

	est_batch_sha256_init(&h);
	for (i = 0; i < len; i += chunk)
		est_batch_sha256_update(&h, data + i, len - i < chunk ? len - i : chunk);
	est_batch_sha256_hex(&h, out);
}

/* FIPS 180-2 appendix B (one block, two blocks, a million 'a'), the empty message, and 896 bits. */
static void test_sha256(void **state)
{
	static const struct {
		const char *msg;
		const char *hex;
	} cases[] = {
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklm"
		  "nopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	static const size_t chunks[] = { 1, 3, 55, 56, 63, 64, 65, 1000 };
	char hex[EST_BATCH_DIGEST_HEX], *million;
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		for (j = 0; j < sizeof(chunks) / sizeof(*chunks); j++) {
			hex_of(cases[i].msg, strlen(cases[i].msg), chunks[j], hex);
			assert_string_equal(hex, cases[i].hex);
		}
	million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	for (j = 0; j < sizeof(chunks) / sizeof(*chunks); j++) {
		hex_of(million, 1000000, chunks[j] * 7, hex);
		assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	free(million);
}

/* The list's digest: SHA-256 of "a.yaml\0b/c.yml\0" (Python's hashlib gives the same). */
static void test_inputs_digest(void **state)
{
	const char *const paths[] = { "a.yaml", "b/c.yml" };
	char hex[EST_BATCH_DIGEST_HEX];

	(void)state;
	est_batch_list_digest(paths, 2, hex);
	assert_string_equal(hex, "6e3a2b5c966bcfb8bfbdbe28d6fa7d27d35b34af565f51eb084a0afb26ff88ce");
	est_batch_list_digest(NULL, 0, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* ------------------------------------------------------------------------ */

typedef struct env {
	const char *pairs[16]; /* name, value, ..., NULL */
} env;

static const char *env_get(const char *name, void *ctx)
{
	const env *e = ctx;
	size_t i;

	for (i = 0; e->pairs[i]; i += 2)
		if (!strcmp(e->pairs[i], name))
			return e->pairs[i + 1];
	return NULL;
}

static void test_shard_k_of_n(void **state)
{
	static const struct {
		const char *spec;
		int rc;
		size_t index, count;
		const char *message;
	} cases[] = {
		{ "0/1", 0, 0, 1, NULL },
		{ "2/3", 0, 2, 3, NULL },
		{ "007/0010", 0, 7, 10, NULL },
		{ "999999/1000000", 0, 999999, 1000000, NULL },
		{ "3/3", EST_EUSAGE, 0, 0,
		  "--shard '3/3': K must be a whole number from 0 to 2 (K is 0-based: the shards of 3 "
		  "are 0/3 to 2/3)" },
		{ "-1/3", EST_EUSAGE, 0, 0,
		  "--shard '-1/3': K must be a whole number from 0 to 2 (K is 0-based: the shards of 3 "
		  "are 0/3 to 2/3)" },
		{ "+1/3", EST_EUSAGE, 0, 0,
		  "--shard '+1/3': K must be a whole number from 0 to 2 (K is 0-based: the shards of 3 "
		  "are 0/3 to 2/3)" },
		{ "1/0", EST_EUSAGE, 0, 0, "--shard '1/0': N must be a whole number from 1 to 1000000" },
		{ "0/1000001", EST_EUSAGE, 0, 0,
		  "--shard '0/1000001': N must be a whole number from 1 to 1000000" },
		{ "0/99999999999999999999999999", EST_EUSAGE, 0, 0,
		  "--shard '0/99999999999999999999999999': N must be a whole number from 1 to 1000000" },
		{ "1/2/3", EST_EUSAGE, 0, 0, "--shard '1/2/3': N must be a whole number from 1 to 1000000" },
		{ " 1/2", EST_EUSAGE, 0, 0,
		  "--shard ' 1/2': K must be a whole number from 0 to 1 (K is 0-based: the shards of 2 "
		  "are 0/2 to 1/2)" },
		{ "1/ 2", EST_EUSAGE, 0, 0, "--shard '1/ 2': N must be a whole number from 1 to 1000000" },
		{ "/2", EST_EUSAGE, 0, 0,
		  "--shard '/2': K must be a whole number from 0 to 1 (K is 0-based: the shards of 2 "
		  "are 0/2 to 1/2)" },
		{ "1", EST_EUSAGE, 0, 0, "--shard '1': expected K/N (shard K of N, K from 0 to N-1) or auto" },
		{ "", EST_EUSAGE, 0, 0, "--shard '': expected K/N (shard K of N, K from 0 to N-1) or auto" },
		{ "Auto", EST_EUSAGE, 0, 0,
		  "--shard 'Auto': expected K/N (shard K of N, K from 0 to N-1) or auto" },
	};
	env none = { { NULL } };
	est_batch_shard s;
	est_error err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		est_error_clear(&err);
		rc = est_batch_shard_parse(&s, cases[i].spec, 0, env_get, &none, &err);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d (%s)", cases[i].spec, rc, err.message);
		if (rc == 0) {
			assert_int_equal(s.index, cases[i].index);
			assert_int_equal(s.count, cases[i].count);
			assert_string_equal(s.source, "--shard");
		} else if (strcmp(err.message, cases[i].message)) {
			fail_msg("%s: \"%s\"", cases[i].spec, err.message);
		}
	}
	rc = est_batch_shard_parse(&s, "0/2", 2, env_get, &none, &err);
	assert_int_equal(rc, EST_EUSAGE);
	assert_string_equal(err.message, "--shard-count goes with --shard auto (K/N gives the count)");
}

static void test_shard_auto(void **state)
{
	static struct {
		env e;
		size_t shard_count;
		int rc;
		size_t index, count;
		const char *source_or_message;
	} cases[] = {
		/* Slurm: --array=0-3, 1-4, 1-7:2, no MIN/STEP/MAX, a list that is not MIN-MAX:STEP */
		{ { { "SLURM_ARRAY_TASK_ID", "2", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN",
		      "0", "SLURM_ARRAY_TASK_MAX", "3", "SLURM_ARRAY_TASK_STEP", "1", NULL } },
		  0, 0, 2, 4, "Slurm" },
		{ { { "SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN",
		      "1", "SLURM_ARRAY_TASK_MAX", "4", "SLURM_ARRAY_TASK_STEP", "1", NULL } },
		  0, 0, 3, 4, "Slurm" },
		{ { { "SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN",
		      "1", "SLURM_ARRAY_TASK_MAX", "7", "SLURM_ARRAY_TASK_STEP", "2", NULL } },
		  4, 0, 2, 4, "Slurm" },
		{ { { "SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "1", NULL } },
		  0, 0, 0, 1, "Slurm" },
		{ { { "SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "3", "SLURM_ARRAY_TASK_MIN",
		      "1", "SLURM_ARRAY_TASK_MAX", "7", "SLURM_ARRAY_TASK_STEP", "1", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: the Slurm array is not MIN-MAX:STEP (MIN=1, MAX=7, STEP=1, COUNT=3); "
		  "use an array such as --array=0-3 or 1-7:2" },
		{ { { "SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN",
		      "1", "SLURM_ARRAY_TASK_STEP", "2", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: SLURM_ARRAY_TASK_ID=4 is not MIN + a multiple of STEP (MIN=1, STEP=2); "
		  "use an array such as --array=0-3 or 1-7:2" },
		{ { { "SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_COUNT", "4", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: Slurm (SLURM_ARRAY_TASK_*) gives shard index 4 of 4; the index must be "
		  "below the count (0-based)" },
		{ { { "SLURM_ARRAY_TASK_ID", "1", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT (Slurm 18.08 "
		  "or later sets both)" },
		{ { { "SLURM_ARRAY_TASK_ID", "x1", "SLURM_ARRAY_TASK_COUNT", "2", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: SLURM_ARRAY_TASK_ID is 'x1', not a whole number from 0 to "
		  "18446744073709551615" },
		{ { { "SLURM_ARRAY_TASK_ID", "1", "SLURM_ARRAY_TASK_COUNT", "2", NULL } },
		  3, EST_EUSAGE, 0, 0, "--shard-count 3 does not agree with SLURM_ARRAY_TASK_COUNT=2" },
		{ { { "SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "0", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: Slurm (SLURM_ARRAY_TASK_*) gives 0 shards; from 1 to 1000000 are "
		  "allowed" },
		{ { { "SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "1", "SLURM_ARRAY_TASK_STEP",
		      "0", NULL } },
		  0, EST_EUSAGE, 0, 0, "--shard auto: SLURM_ARRAY_TASK_STEP is 0" },
		/* Kubernetes Indexed Job */
		{ { { "JOB_COMPLETION_INDEX", "3", NULL } }, 5, 0, 3, 5, "Kubernetes" },
		{ { { "JOB_COMPLETION_INDEX", "3", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) exports no count: give "
		  "--shard-count N, the Job's completions" },
		{ { { "JOB_COMPLETION_INDEX", "5", NULL } },
		  5, EST_EUSAGE, 0, 0,
		  "--shard auto: Kubernetes (JOB_COMPLETION_INDEX, --shard-count) gives shard index 5 of "
		  "5; the index must be below the count (0-based)" },
		{ { { "JOB_COMPLETION_INDEX", "", NULL } },
		  5, EST_EUSAGE, 0, 0,
		  "--shard auto: JOB_COMPLETION_INDEX is '', not a whole number from 0 to "
		  "18446744073709551615" },
		/* AWS Batch */
		{ { { "AWS_BATCH_JOB_ARRAY_INDEX", "0", "AWS_BATCH_JOB_ARRAY_SIZE", "2", NULL } },
		  0, 0, 0, 2, "AWS Batch" },
		{ { { "AWS_BATCH_JOB_ARRAY_INDEX", "6", NULL } }, 7, 0, 6, 7, "AWS Batch" },
		{ { { "AWS_BATCH_JOB_ARRAY_INDEX", "6", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: AWS_BATCH_JOB_ARRAY_INDEX is set but not AWS_BATCH_JOB_ARRAY_SIZE; give "
		  "--shard-count N, the array's size" },
		{ { { "AWS_BATCH_JOB_ARRAY_INDEX", "2", "AWS_BATCH_JOB_ARRAY_SIZE", "2", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto: AWS Batch (AWS_BATCH_JOB_ARRAY_*) gives shard index 2 of 2; the index "
		  "must be below the count (0-based)" },
		{ { { "AWS_BATCH_JOB_ARRAY_INDEX", "0", "AWS_BATCH_JOB_ARRAY_SIZE", "2", NULL } },
		  3, EST_EUSAGE, 0, 0, "--shard-count 3 does not agree with AWS_BATCH_JOB_ARRAY_SIZE=2" },
		/* none, several */
		{ { { "SLURM_JOB_ID", "12", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto found no array job: none of SLURM_ARRAY_TASK_ID (Slurm), "
		  "JOB_COMPLETION_INDEX (Kubernetes) and AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch) is set; "
		  "give --shard K/N" },
		{ { { "SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "2", "AWS_BATCH_JOB_ARRAY_INDEX",
		      "0", NULL } },
		  0, EST_EUSAGE, 0, 0,
		  "--shard auto found more than one array job (SLURM_ARRAY_TASK_ID, "
		  "AWS_BATCH_JOB_ARRAY_INDEX); give --shard K/N" },
		{ { { "JOB_COMPLETION_INDEX", "0", "AWS_BATCH_JOB_ARRAY_INDEX", "0", NULL } },
		  2, EST_EUSAGE, 0, 0,
		  "--shard auto found more than one array job (JOB_COMPLETION_INDEX, "
		  "AWS_BATCH_JOB_ARRAY_INDEX); give --shard K/N" },
		{ { { "JOB_COMPLETION_INDEX", "0", NULL } },
		  1000001, EST_EUSAGE, 0, 0, "--shard-count 1000001: from 1 to 1000000 shards are allowed" },
	};
	est_batch_shard s;
	est_error err;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		est_error_clear(&err);
		memset(&s, 0, sizeof(s));
		rc = est_batch_shard_parse(&s, "auto", cases[i].shard_count, env_get,
					   &cases[i].e, &err);
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d (%s)", i, rc, err.message);
		if (rc == 0) {
			if (s.index != cases[i].index || s.count != cases[i].count ||
			    strcmp(s.source, cases[i].source_or_message))
				fail_msg("case %zu: %zu/%zu from %s", i, s.index, s.count, s.source);
		} else if (strcmp(err.message, cases[i].source_or_message) ||
			   err.code != EST_EUSAGE) {
			fail_msg("case %zu: \"%s\"", i, err.message);
		}
	}
}

/* For N = 1..7 and lists of 0..20: contiguous blocks, each entry once, sizes within one, larger first. */
static void test_shard_blocks(void **state)
{
	size_t n, count, k, begin, end, next, prev_size;
	est_batch_shard s;

	(void)state;
	for (count = 1; count <= 7; count++)
		for (n = 0; n <= 20; n++) {
			next = 0;
			prev_size = n;
			for (k = 0; k < count; k++) {
				s.index = k;
				s.count = count;
				s.source = "--shard";
				est_batch_shard_range(&s, n, &begin, &end);
				if (begin != next || end < begin || end - begin > prev_size ||
				    end - begin < n / count || end - begin > n / count + 1)
					fail_msg("N=%zu n=%zu shard %zu: [%zu, %zu)", count, n, k, begin, end);
				prev_size = end - begin;
				next = end;
			}
			if (next != n)
				fail_msg("N=%zu n=%zu: the blocks end at %zu", count, n, next);
		}
	/* 10 over 4: 3, 3, 2, 2 */
	s.count = 4;
	s.index = 1;
	est_batch_shard_range(&s, 10, &begin, &end);
	assert_int_equal(begin, 3);
	assert_int_equal(end, 6);
	s.index = 3;
	est_batch_shard_range(&s, 10, &begin, &end);
	assert_int_equal(begin, 8);
	assert_int_equal(end, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folder),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_nothing_found),
		cmocka_unit_test(test_loops),
		cmocka_unit_test(test_link_fan),
		cmocka_unit_test(test_hard_links),
		cmocka_unit_test(test_unreadable_folder),
		cmocka_unit_test(test_list_file),
		cmocka_unit_test(test_list_not_utf8),
		cmocka_unit_test(test_list_stdin),
		cmocka_unit_test(test_list_errors),
		cmocka_unit_test(test_list_many),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_inputs_digest),
		cmocka_unit_test(test_shard_k_of_n),
		cmocka_unit_test(test_shard_auto),
		cmocka_unit_test(test_shard_blocks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
