/*
 * letter.c: what goes into a letter's POST body: postage, the reference,
 * and the PDF as standard base64, built with one copy of the file and one
 * of the body (the base64 is written straight into the body).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "lk_text.h"
#include "internal.h"

int upload_postage_valid(const char *s)
{
	/* europe and rest-of-world are Notify's to set (LETTER-SPEC section 6). */
	return s && (!strcmp(s, "first") || !strcmp(s, "second") || !strcmp(s, "economy"));
}

void upload_reference_from_path(const char *path, char *out, size_t outsize)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && !strcasecmp(base + n - 4, ".pdf"))
		n -= 4;
	if (outsize == 0)
		return;
	/* A reference is text: a name's bytes that are not UTF-8 become U+FFFD
	 * (two names that differ only there meet as one reference, which the
	 * ledger refuses rather than confuses), cut on a character boundary. */
	char *stem = strndup(base, n), *readable = stem ? lk_utf8_readable(stem) : NULL;
	const char *text = readable ? readable : stem ? stem : "";
	size_t len = strlen(text), max = outsize - 1 < UPLOAD_REFERENCE_MAX ? outsize - 1 : UPLOAD_REFERENCE_MAX;
	if (len > max) {
		len = max;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out, text, len);
	out[len] = '\0';
	free(readable);
	free(stem);
}

/* A UK postcode at s: outward code (A9, A99, AA9, AA99, A9A, AA9A), optional space, 9AA. */
static int postcode_at(const char *s, const char *start)
{
	if (s > start && isalnum((unsigned char)s[-1]))
		return 0;
	size_t i = 0;
	if (!isalpha((unsigned char)s[i++]))
		return 0;
	if (isalpha((unsigned char)s[i]))
		i++;
	if (!isdigit((unsigned char)s[i++]))
		return 0;
	if (isalnum((unsigned char)s[i]) && !(isdigit((unsigned char)s[i]) && isalpha((unsigned char)s[i + 1]) &&
					       isalpha((unsigned char)s[i + 2]) && !isalnum((unsigned char)s[i + 3])))
		i++;
	if (s[i] == ' ')
		i++;
	return isdigit((unsigned char)s[i]) && isalpha((unsigned char)s[i + 1]) &&
	       isalpha((unsigned char)s[i + 2]) && !isalnum((unsigned char)s[i + 3]);
}

static const char *const street_words[] = {
	"street", "road", "lane", "avenue", "close", "drive", "way", "place", "crescent", "terrace",
	"gardens", "grove", "court", "square", "hill", "row", "walk", "mews", "parade", "rise",
};

/* A number followed by words that end in a street word: "12 High Street". */
static int street_after(const char *p)
{
	while (isdigit((unsigned char)*p))
		p++;
	if (isalpha((unsigned char)*p) && !isalpha((unsigned char)p[1]))
		p++;	/* 12a */
	if (*p != ' ')
		return 0;
	for (const char *w = p; *w;) {
		while (*w && !isalpha((unsigned char)*w))
			w++;
		size_t n = 0;
		while (isalpha((unsigned char)w[n]))
			n++;
		for (size_t i = 0; n && i < sizeof street_words / sizeof street_words[0]; i++)
			if (strlen(street_words[i]) == n && !strncasecmp(w, street_words[i], n))
				return 1;
		w += n;
	}
	return 0;
}

/* "12 High Street", "Flat 3, 4a Mill Lane": any number may start the street part. */
static int address_line(const char *s)
{
	for (const char *p = s; *p; p++)
		if (isdigit((unsigned char)*p) && (p == s || !isdigit((unsigned char)p[-1])) && street_after(p))
			return 1;
	return 0;
}

int upload_reference_check(const char *reference, char *err, size_t errlen)
{
	size_t n = strlen(reference);
	if (n == 0) {
		snprintf(err, errlen, "the reference is empty");
		return -1;
	}
	if (n > UPLOAD_REFERENCE_MAX) {
		snprintf(err, errlen, "the reference is longer than %d bytes", UPLOAD_REFERENCE_MAX);
		return -1;
	}
	for (const char *p = reference; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "the reference contains a control character");
			return -1;
		}
		if (postcode_at(p, reference)) {
			snprintf(err, errlen, "reference '%s' contains what looks like a postcode; references "
				 "show in Notify's dashboard and reports, so keep personal data out of them", reference);
			return -1;
		}
	}
	if (address_line(reference)) {
		snprintf(err, errlen, "reference '%s' looks like an address line; references show in "
			 "Notify's dashboard and reports, so keep personal data out of them", reference);
		return -1;
	}
	return 0;
}

int open_regular(const char *path, struct stat *st, char *err, size_t errlen)
{
	/* O_NONBLOCK: opening a FIFO with no writer would wait for one (regular files ignore it). */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "%s: %s", path, S_ISDIR(st->st_mode) ? "is a folder, not a letter: name a PDF file"
									 : "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

int read_all(int fd, void *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	for (ssize_t got; n < cap && (got = read(fd, (char *)buf + n, cap - n)) != 0; n += (size_t)got)
		if (got < 0) {
			if (errno == EINTR)
				got = 0;
			else
				return -1;
		}
	*len = n;
	return 0;
}

/* Reads the whole file (at most UPLOAD_MAX_PDF bytes) into a new buffer. */
static enum upload_rc read_pdf(const char *path, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	enum upload_rc rc = UPLOAD_ERROR;
	unsigned char *buf = NULL;
	int fd = open_regular(path, &st, err, errlen);
	if (fd < 0)
		goto out;
	if ((unsigned long long)st.st_size > UPLOAD_MAX_PDF) {
		snprintf(err, errlen, "%s: file-too-big: %lld bytes, over Notify's limit of 2 MiB (%u bytes) for a "
			 "letter (letterkit check fails it too): make it smaller", path, (long long)st.st_size,
			 UPLOAD_MAX_PDF);
		rc = UPLOAD_REFUSED;
		goto out;
	}
	/* One byte more than the size, to see a file that grew since fstat. */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	size_t n;
	if (read_all(fd, buf, (size_t)st.st_size + 1, &n) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (n != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: the file changed while it was read", path);
		goto out;
	}
	*data = buf;
	*len = n;
	buf = NULL;
	rc = UPLOAD_OK;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return rc;
}

enum upload_rc upload_body_make(const char *path, const char *reference, const char *postage,
				struct upload_body *body, char *err, size_t errlen)
{
	unsigned char *pdf = NULL, digest[SHA256_DIGEST_LENGTH];
	char *ref_json = NULL;
	size_t pdf_len = 0;
	enum upload_rc rc;
	memset(body, 0, sizeof *body);
	if (!upload_postage_valid(postage)) {
		snprintf(err, errlen, "%s: postage '%s' is invalid: it must be either first, second or economy",
			 path, postage ? postage : "");
		body->refusal = "invalid-postage";
		return UPLOAD_REFUSED;
	}
	char why[600];
	if (upload_reference_check(reference, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		body->refusal = "invalid-reference";
		return UPLOAD_REFUSED;
	}
	rc = read_pdf(path, &pdf, &pdf_len, err, errlen);
	if (rc == UPLOAD_REFUSED)
		body->refusal = "file-too-big";
	if (rc != UPLOAD_OK)
		goto out;
	SHA256(pdf, pdf_len, digest);
	for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
		snprintf(body->sha256 + 2 * i, 3, "%02x", digest[i]);
	body->pdf_size = pdf_len;

	/* The reference goes through jansson so that any UTF-8 is escaped right. */
	json_t *ref = json_string(reference);
	ref_json = ref ? json_dumps(ref, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	json_decref(ref);
	rc = UPLOAD_ERROR;
	if (!ref_json) {
		snprintf(err, errlen, "%s: the reference is not valid UTF-8", path);
		body->refusal = "invalid-reference";
		rc = UPLOAD_REFUSED;
		goto out;
	}
	static const char a[] = "{\"reference\":", b[] = ",\"content\":\"", c[] = "\",\"postage\":\"", d[] = "\"}";
	size_t b64 = 4 * ((pdf_len + 2) / 3);
	size_t cap = strlen(a) + strlen(ref_json) + strlen(b) + b64 + strlen(c) + strlen(postage) + strlen(d) + 1;
	char *out = malloc(cap);
	if (!out) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	size_t n = (size_t)snprintf(out, cap, "%s%s%s", a, ref_json, b);
	/* EVP_EncodeBlock: standard base64 with padding, no newlines, plus a NUL. */
	n += (size_t)EVP_EncodeBlock((unsigned char *)out + n, pdf, (int)pdf_len);
	n += (size_t)snprintf(out + n, cap - n, "%s%s%s", c, postage, d);
	body->json = out;
	body->len = n;
	rc = UPLOAD_OK;
out:
	free(pdf);
	free(ref_json);
	return rc;
}

void upload_body_clear(struct upload_body *body)
{
	if (!body)
		return;
	free(body->json);
	body->json = NULL;
	body->len = 0;
}
