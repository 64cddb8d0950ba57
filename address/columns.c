/*
 * columns.c: a mail-merge row's columns to the text of its address, the
 * one copy of Notify's rule (address.h) that `address --csv` and compose use.
 */
#include <stdlib.h>
#include <string.h>

#include "address.h"

void address_column_key(const char *name, char *key, size_t size)
{
	size_t n = 0;
	if (!size)
		return;
	for (; *name && n + 1 < size; name++) {
		if (*name == ' ' || *name == '_' || *name == '-')
			continue;
		key[n++] = (*name >= 'A' && *name <= 'Z') ? (char)(*name + ('a' - 'A')) : *name;
	}
	key[n] = '\0';
}

int address_columns_find(const char *const *names, size_t n, struct address_columns *cols)
{
	long postcode = -1, line7 = -1;
	for (int i = 0; i < ADDRESS_MAX_LINES; i++)
		cols->line[i] = -1;
	cols->whole = -1;
	for (size_t i = 0; i < n; i++) {
		char key[ADDRESS_COLUMN_KEY_SIZE];
		address_column_key(names[i], key, sizeof key);
		if (strcmp(key, "postcode") == 0) {
			postcode = (long)i;
		} else if (strncmp(key, "addressline", 11) == 0 && key[11] >= '1' && key[11] <= '7' &&
			   key[12] == '\0') {
			cols->line[key[11] - '1'] = (long)i;
			if (key[11] == '7')
				line7 = (long)i;
		} else if (strcmp(key, "address") == 0) {
			cols->whole = (long)i;
		}
	}
	int lines_1_to_6 = 0;
	for (int i = 0; i < ADDRESS_MAX_LINES - 1; i++)
		lines_1_to_6 += cols->line[i] >= 0;
	/* Notify: with an address_line_7 column the postcode column is not read. */
	cols->line[ADDRESS_MAX_LINES - 1] = line7 >= 0 ? line7 : postcode;
	/*
	 * Notify's RecipientCSV.has_recipient_columns: at least 3 of lines 1-6
	 * and postcode, or of lines 1-7. A spreadsheet with fewer is not an
	 * address list; one `address` column is then the only other way.
	 */
	if (lines_1_to_6 + (postcode >= 0) >= ADDRESS_MIN_LINES || lines_1_to_6 + (line7 >= 0) >= ADDRESS_MIN_LINES) {
		cols->whole = -1;
		return 0;
	}
	for (int i = 0; i < ADDRESS_MAX_LINES; i++)
		cols->line[i] = -1;
	return cols->whole >= 0 ? 0 : -1;
}

static const char *value(long col, const char *const *values, size_t n)
{
	return col >= 0 && (size_t)col < n ? values[col] : "";
}

char *address_columns_join(const struct address_columns *cols, const char *const *values, size_t n)
{
	if (cols->whole >= 0)
		return strdup(value(cols->whole, values, n));
	size_t len = 0;
	for (int i = 0; i < ADDRESS_MAX_LINES; i++)
		len += strlen(value(cols->line[i], values, n)) + 1;
	char *s = malloc(len + 1);
	if (!s)
		return NULL;
	size_t k = 0;
	for (int i = 0; i < ADDRESS_MAX_LINES; i++) {
		const char *v = value(cols->line[i], values, n);
		size_t m = strlen(v);
		if (i)
			s[k++] = '\n';
		memcpy(s + k, v, m);
		k += m;
	}
	s[k] = '\0';
	return s;
}
