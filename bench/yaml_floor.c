/*
 * The floor of `estimator batch` (bench/batch.sh, docs/batch.md "Speed and
 * memory"): the least any YAML tool must do for each scenario file. Reads
 * the paths listed in LIST (one a line), and for each reads the file and
 * parses it with libyaml into a document (yaml_parser_load), then discards
 * it. One thread. Prints the number of files parsed and exits 0; a file that
 * cannot be read or parsed stops it (exit 1): the benchmark's files are all
 * valid.
 *
 * usage: yaml_floor LIST
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

static int parse_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	yaml_parser_t parser;
	yaml_document_t doc;
	int ok = 0;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return -1;
	}
	yaml_parser_set_input_file(&parser, f);
	if (yaml_parser_load(&parser, &doc)) {
		ok = yaml_document_get_root_node(&doc) != NULL;
		yaml_document_delete(&doc);
	}
	if (!ok)
		fprintf(stderr, "yaml_floor: %s: not a YAML document (%s)\n", path,
		        parser.problem ? parser.problem : "empty");
	yaml_parser_delete(&parser);
	fclose(f);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: yaml_floor LIST\n", stderr);
		return 2;
	}
	FILE *list = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "r");
	if (!list) {
		perror(argv[1]);
		return 1;
	}
	char line[4200];
	unsigned long n = 0;
	int status = 0;
	while (fgets(line, sizeof line, list)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (parse_file(line) != 0) {
			status = 1;
			break;
		}
		n++;
	}
	if (list != stdin)
		fclose(list);
	printf("%lu\n", n);
	return status;
}
