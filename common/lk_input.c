/* lk_input.c: the letters a command is given, the one way every stage reads them. */
#include "lk_input.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lk_file.h"
#include "lk_ndjson.h"
#include "lk_stop.h"
#include "lk_text.h"
#include "lk_tty.h"

/* The PDFs of one folder operand, found before the first is given. */
struct found {
	char **paths;
	size_t n, cap, next;
	char *error;   /* a folder that could not be read, given as a letter */
};

struct lk_input {
	const struct lk_cmd *cmd;
	char **operands;
	int n_operands, next_operand;
	int stdin_pdf;
	size_t max_stdin;
	struct found found;
	/* standard input */
	int stdin_done, on_stdin;   /* on_stdin: the operand "-" is being read */
	struct lk_ndjson_reader *reader;
	unsigned char *stdin_data;
	char *owned_path;
	struct lk_progress *progress;
	char error[1024];
};

static void say(const struct lk_input *in, const char *msg)
{
	char prog[128];
	snprintf(prog, sizeof prog, "letterkit %s", in->cmd->name);
	lk_say(in->progress, prog, "%s", msg);
}

static int add_found(struct found *f, const char *path)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		char **more = realloc(f->paths, cap * sizeof *more);
		if (!more)
			return -1;
		f->paths = more;
		f->cap = cap;
	}
	if (!(f->paths[f->n] = strdup(path)))
		return -1;
	f->n++;
	return 0;
}

static int is_pdf_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && strcasecmp(name + n - 4, ".pdf") == 0;
}

/* Every PDF under dir (depth levels at most), or -1 with f->error set. */
static int walk(struct found *f, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		size_t need = strlen(dir) + 128;
		if ((f->error = malloc(need)))
			snprintf(f->error, need, "%s: cannot read the folder: %s", dir, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;   /* ".", "..", hidden files and temporary files being written */
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		char *path = malloc(len);
		if (!path) {
			rc = -1;
			break;
		}
		snprintf(path, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
		struct stat st;
		/* lstat for folders: a symlink to a folder is not followed (no loops). */
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth > 0)
				rc = walk(f, path, depth - 1);
		} else if (is_pdf_name(e->d_name)) {
			rc = add_found(f, path);
		}
		free(path);
	}
	closedir(d);
	if (rc < 0 && !f->error && (f->error = malloc(strlen(dir) + 64)))
		snprintf(f->error, strlen(dir) + 64, "%s: out of memory", dir);
	return rc;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void found_clear(struct found *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->paths[i]);
	free(f->paths);
	free(f->error);
	memset(f, 0, sizeof *f);
}

struct lk_input *lk_input_new(const struct lk_cmd *cmd, int n, char **operands, int stdin_pdf,
			      size_t max_stdin)
{
	int from_stdin = n == 0 || (n == 1 && strcmp(operands[0], "-") == 0);
	if (from_stdin && isatty(STDIN_FILENO)) {
		lk_opt_error(cmd, "no letters: name PDF files or folders, or pipe NDJSON records "
				  "(or a PDF) into standard input; standard input is a terminal", NULL);
		return NULL;
	}
	struct lk_input *in = calloc(1, sizeof *in);
	if (!in) {
		fprintf(stderr, "letterkit %s: out of memory\n", cmd->name);
		return NULL;
	}
	in->cmd = cmd;
	in->operands = operands;
	in->n_operands = n;
	in->stdin_pdf = stdin_pdf;
	in->max_stdin = max_stdin;
	return in;
}

long lk_input_total(const struct lk_input *in)
{
	if (in->n_operands == 0)
		return -1;
	for (int i = 0; i < in->n_operands; i++) {
		struct stat st;
		if (strcmp(in->operands[i], "-") == 0 ||
		    (stat(in->operands[i], &st) == 0 && S_ISDIR(st.st_mode)))
			return -1;
	}
	return in->n_operands;
}

int lk_input_records(const struct lk_input *in)
{
	return in->reader != NULL;
}

/* Standard input: the PDF, or the next record. */
static int next_stdin(struct lk_input *in, struct lk_letter *l)
{
	char err[1024];
	if (!in->reader) {
		if (in->stdin_done)
			return 0;
		unsigned char head[5];
		size_t got = fread(head, 1, sizeof head, stdin);
		int is_pdf = got == sizeof head && memcmp(head, "%PDF-", 5) == 0;
		if (is_pdf && in->stdin_pdf) {
			in->stdin_done = 1;
			unsigned char *rest = NULL;
			size_t rest_len = 0;
			l->path = "-";
			if (lk_read_stream(stdin, "<stdin>", in->max_stdin, &rest, &rest_len, err, sizeof err) != 0 ||
			    !(in->stdin_data = malloc(sizeof head + rest_len + 1))) {
				snprintf(in->error, sizeof in->error, "%s", rest ? "<stdin>: out of memory" : err);
				free(rest);
				say(in, in->error);
				l->error = in->error;
				return 1;
			}
			memcpy(in->stdin_data, head, sizeof head);
			memcpy(in->stdin_data + sizeof head, rest, rest_len);
			in->stdin_data[sizeof head + rest_len] = '\0';
			free(rest);
			l->data = in->stdin_data;
			l->len = sizeof head + rest_len;
			return 1;
		}
		if (is_pdf) {
			/* One message, not one "bad line" per 4 KB of PDF. */
			in->stdin_done = 1;
			snprintf(in->error, sizeof in->error, "<stdin>: holds a PDF, but letterkit %s reads "
				 "only NDJSON records there: name the PDF file instead", in->cmd->name);
			say(in, in->error);
			l->error = in->error;
			return 1;
		}
		in->reader = lk_ndjson_reader_new(stdin, "<stdin>", LK_NDJSON_MAX_LINE, head, got);
		if (!in->reader) {
			in->stdin_done = 1;
			fprintf(stderr, "letterkit %s: out of memory\n", in->cmd->name);
			return 0;
		}
	}
	json_t *rec;
	int got = lk_ndjson_next(in->reader, &rec, in->error, sizeof in->error);
	if (got == 0 || (got < 0 && lk_stop_signal()))
		return 0;   /* the end, or a read cut short by SIGINT/SIGTERM: not a bad record */
	l->line = lk_ndjson_line(in->reader);
	if (got < 0) {
		say(in, in->error);
		l->record = json_pack("{s:I}", "line", (json_int_t)l->line);
		l->error = in->error;
		return 1;
	}
	l->record = rec;
	l->path = lk_json_get_path(rec, "file", &in->owned_path);
	if (!l->path) {
		snprintf(in->error, sizeof in->error, "<stdin>: line %zu: the record has no \"file\" string "
			 "naming its letter", l->line);
		say(in, in->error);
		l->error = in->error;
	}
	return 1;
}

int lk_input_next(struct lk_input *in, struct lk_letter *l)
{
	memset(l, 0, sizeof *l);
	free(in->stdin_data);
	in->stdin_data = NULL;
	free(in->owned_path);
	in->owned_path = NULL;
	if (lk_stop_signal())
		return 0;
	if (in->n_operands == 0)
		return next_stdin(in, l);
	for (;;) {
		struct found *f = &in->found;
		if (f->error) {
			snprintf(in->error, sizeof in->error, "%s", f->error);
			free(f->error);
			f->error = NULL;
			say(in, in->error);
			l->error = in->error;
			return 1;
		}
		if (f->next < f->n) {
			l->path = f->paths[f->next++];
			return 1;
		}
		if (in->on_stdin) {
			if (next_stdin(in, l))
				return 1;
			in->on_stdin = 0;
			if (lk_stop_signal())
				return 0;
		}
		if (in->next_operand == in->n_operands)
			return 0;
		found_clear(f);
		const char *op = in->operands[in->next_operand++];
		if (strcmp(op, "-") == 0) {
			in->on_stdin = 1;
			continue;
		}
		struct stat st;
		if (stat(op, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(f, op, 64);
			qsort(f->paths, f->n, sizeof *f->paths, by_bytes);
			continue;
		}
		l->path = op;   /* a file, or a name that is not there: the stage says so when it reads it */
		return 1;
	}
}

/* 1 when the next call reads standard input. */
static int reads_stdin(const struct lk_input *in)
{
	if (in->n_operands == 0)
		return 1;
	if (in->found.error || in->found.next < in->found.n)
		return 0;
	if (in->on_stdin)
		return 1;
	return in->next_operand < in->n_operands && strcmp(in->operands[in->next_operand], "-") == 0;
}

int lk_input_at_hand(const struct lk_input *in)
{
	if (!reads_stdin(in) || lk_stop_signal())
		return 1;
	if (!in->reader)
		return in->stdin_done || lk_input_ready(stdin);
	return lk_ndjson_read_ahead(in->reader) || lk_input_ready(stdin);
}

void lk_input_progress(struct lk_input *in, struct lk_progress *p)
{
	in->progress = p;
}

void lk_input_free(struct lk_input *in)
{
	if (!in)
		return;
	found_clear(&in->found);
	lk_ndjson_reader_free(in->reader);
	free(in->stdin_data);
	free(in->owned_path);
	free(in);
}

static int output_failed;

int lk_output_failed(void)
{
	return output_failed;
}

void lk_output_failed_now(const struct lk_cmd *cmd)
{
	if (!output_failed)   /* once: the next write may clobber errno */
		fprintf(stderr, "letterkit %s: cannot write the standard output: %s\n", cmd->name,
			strerror(errno ? errno : EIO));
	output_failed = 1;
}

int lk_output_finish(const struct lk_cmd *cmd)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		lk_output_failed_now(cmd);
	return output_failed ? -1 : 0;
}

int lk_input_write_record(const struct lk_cmd *cmd, const json_t *rec)
{
	errno = 0;
	if (!output_failed && lk_ndjson_write(stdout, rec) == 0)
		return 0;
	lk_output_failed_now(cmd);
	return -1;
}
