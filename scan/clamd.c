/*
 * clamd.c: scan files with a running clamd over its INSTREAM command.
 *
 * Protocol (clamd(8)): a command starts with 'z' and ends with a NUL;
 * INSTREAM is followed by chunks, each a 4-byte big-endian length and that
 * many bytes, and a zero length ends the stream. clamd answers one
 * NUL-terminated line: "stream: OK", "stream: NAME FOUND" or "... ERROR".
 */
#include "clamd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * How long to wait on clamd before giving up on a file: a little more than
 * clamd's own scan time limit, so a hung daemon cannot hang a batch.
 */
#define IO_TIMEOUT_S 150
#define CHUNK (64 * 1024)
#define REPLY_MAX 1024

struct scan_clamd {
	char *addr;                 /* as given, for messages */
	char *unix_path;            /* a unix socket, or NULL */
	char *host, *port;          /* or TCP */
	char version[64];
};

static int parse_addr(struct scan_clamd *cd, const char *addr, char *err, size_t errlen)
{
	const char *colon = strrchr(addr, ':');
	if (strchr(addr, '/') || !colon) {
		if (strlen(addr) >= sizeof ((struct sockaddr_un *)0)->sun_path) {
			snprintf(err, errlen, "clamd socket path too long: %s", addr);
			return -1;
		}
		cd->unix_path = strdup(addr);
		return cd->unix_path ? 0 : -1;
	}
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno || port < 1 || port > 65535) {
		snprintf(err, errlen, "invalid clamd port in '%s' (use HOST:PORT, port 1 through 65535)",
			 addr);
		return -1;
	}
	const char *host = addr;
	size_t host_len = (size_t)(colon - addr);
	if (host_len >= 2 && host[0] == '[' && host[host_len - 1] == ']') {
		host++;
		host_len -= 2;
	}
	if (host_len == 0) {
		snprintf(err, errlen, "no clamd host in '%s' (use HOST:PORT)", addr);
		return -1;
	}
	cd->host = strndup(host, host_len);
	cd->port = strdup(colon + 1);
	return cd->host && cd->port ? 0 : -1;
}

static void set_timeouts(int fd)
{
	struct timeval tv = {.tv_sec = IO_TIMEOUT_S};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int connect_unix(const struct scan_clamd *cd, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, cd->unix_path, strlen(cd->unix_path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(err, errlen, "cannot connect to clamd at %s: %s", cd->addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int connect_tcp(const struct scan_clamd *cd, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	int gai = getaddrinfo(cd->host, cd->port, &hints, &ai);
	if (gai != 0) {
		snprintf(err, errlen, "cannot resolve clamd host %s: %s", cd->host, gai_strerror(gai));
		return -1;
	}
	int fd = -1, saved = 0;
	for (struct addrinfo *p = ai; p; p = p->ai_next) {
		fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
		if (fd >= 0 && connect(fd, p->ai_addr, p->ai_addrlen) == 0)
			break;
		saved = errno;
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		snprintf(err, errlen, "cannot connect to clamd at %s: %s", cd->addr, strerror(saved));
	return fd;
}

static int connect_clamd(const struct scan_clamd *cd, char *err, size_t errlen)
{
	int fd = cd->unix_path ? connect_unix(cd, err, errlen) : connect_tcp(cd, err, errlen);
	if (fd >= 0)
		set_timeouts(fd);
	return fd;
}

/* Sends all of buf; MSG_NOSIGNAL: a clamd that hangs up must not kill us. */
static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads clamd's NUL-terminated reply into buf; 0, or -1 with errno set. */
static int read_reply(int fd, char *buf, size_t size)
{
	size_t n = 0;
	while (n + 1 < size) {
		ssize_t r = recv(fd, buf + n, size - 1 - n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\0', n))
			break;
	}
	buf[n] = '\0';
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (n == 0) {
		errno = ECONNRESET;
		return -1;
	}
	return 0;
}

/* "ClamAV 1.4.6/27000/date" or "ClamAV 1.4.6" -> "1.4.6". */
static int ask_version(struct scan_clamd *cd, char *err, size_t errlen)
{
	char reply[REPLY_MAX];
	int fd = connect_clamd(cd, err, errlen);
	if (fd < 0)
		return -1;
	int rc = -1;
	static const char cmd[] = "zVERSION";
	if (send_all(fd, cmd, sizeof cmd) != 0 || read_reply(fd, reply, sizeof reply) != 0) {
		snprintf(err, errlen, "clamd at %s: no answer to VERSION: %s", cd->addr,
			 strerror(errno));
		goto out;
	}
	if (strncmp(reply, "ClamAV ", 7) != 0) {
		snprintf(err, errlen, "clamd at %s: unexpected answer to VERSION: %.200s", cd->addr,
			 reply);
		goto out;
	}
	snprintf(cd->version, sizeof cd->version, "%.*s", (int)strcspn(reply + 7, "/"), reply + 7);
	rc = 0;
out:
	close(fd);
	return rc;
}

int scan_clamd_new(struct scan_clamd **out, const char *addr, char *err, size_t errlen)
{
	int rc = -1;
	struct scan_clamd *cd = calloc(1, sizeof *cd);
	*out = NULL;
	if (!cd || !(cd->addr = strdup(addr))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (parse_addr(cd, addr, err, errlen) != 0 || ask_version(cd, err, errlen) != 0)
		goto out;
	*out = cd;
	cd = NULL;
	rc = 0;
out:
	scan_clamd_free(cd);
	return rc;
}

void scan_clamd_free(struct scan_clamd *cd)
{
	if (!cd)
		return;
	free(cd->addr);
	free(cd->unix_path);
	free(cd->host);
	free(cd->port);
	free(cd);
}

const char *scan_clamd_version(const struct scan_clamd *cd)
{
	return cd->version;
}

/* Sends one INSTREAM chunk: its big-endian length, then its bytes. */
static int send_chunk(int sock, const void *data, size_t n)
{
	uint32_t len = htonl((uint32_t)n);
	if (send_all(sock, &len, sizeof len) != 0)
		return -1;
	return n ? send_all(sock, data, n) : 0;
}

/*
 * Sends INSTREAM and the data, from fd (when >= 0) or from data/len, and the
 * closing empty chunk. 0, -1 on a send error, -2 on a read error.
 */
static int stream(int sock, int fd, const unsigned char *data, size_t len)
{
	static const char cmd[] = "zINSTREAM";
	unsigned char *buf = NULL;
	int rc = -1;
	if (send_all(sock, cmd, sizeof cmd) != 0)
		goto out;
	if (fd < 0) {
		for (size_t off = 0; off < len; off += CHUNK)
			if (send_chunk(sock, data + off, len - off < CHUNK ? len - off : CHUNK) != 0)
				goto out;
	} else {
		if (!(buf = malloc(CHUNK)))
			goto out;
		for (;;) {
			ssize_t n = read(fd, buf, CHUNK);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				rc = -2;
				goto out;
			}
			if (n == 0)
				break;
			if (send_chunk(sock, buf, (size_t)n) != 0)
				goto out;
		}
	}
	rc = send_chunk(sock, NULL, 0);
out:
	free(buf);
	return rc;
}

/* Turns clamd's reply into a verdict; -1 for an ERROR reply. */
static int parse_verdict(const char *reply, struct scan_result *res, char *err, size_t errlen)
{
	static const char ok[] = " OK", found[] = " FOUND";
	size_t n = strlen(reply);
	const char *name = strncmp(reply, "stream: ", 8) == 0 ? reply + 8 : reply;
	if (n >= 3 && strcmp(reply + n - 3, ok) == 0) {
		res->clean = 1;
		return 0;
	}
	if (n >= 6 && strcmp(reply + n - 6, found) == 0 && name < reply + n - 6) {
		snprintf(res->virus, sizeof res->virus, "%.*s", (int)(reply + n - 6 - name), name);
		return 0;
	}
	snprintf(err, errlen, "clamd: %.300s", reply);
	return -1;
}

/* One INSTREAM scan over a new connection, of fd or of data/len. */
static int instream(struct scan_clamd *cd, int fd, const unsigned char *data, size_t len,
		    struct scan_result *res, char *err, size_t errlen)
{
	char reply[REPLY_MAX];
	int sock = connect_clamd(cd, err, errlen);
	if (sock < 0)
		return -1;
	int rc = -1;
	int sent = stream(sock, fd, data, len);
	if (sent == -2) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		goto out;
	}
	/*
	 * When clamd stops reading (a stream over its StreamMaxLength) it still
	 * says why before it hangs up, so read the reply even after a failed send.
	 */
	int saved = errno;
	if (read_reply(sock, reply, sizeof reply) != 0) {
		snprintf(err, errlen, "clamd at %s: %s", cd->addr,
			 strerror(sent != 0 ? saved : errno));
		goto out;
	}
	rc = parse_verdict(reply, res, err, errlen);
out:
	close(sock);
	return rc;
}

int scan_clamd_fd(struct scan_clamd *cd, int fd, struct scan_result *res, char *err, size_t errlen)
{
	return instream(cd, fd, NULL, 0, res, err, errlen);
}

int scan_clamd_buffer(struct scan_clamd *cd, const void *data, size_t len, struct scan_result *res,
		      char *err, size_t errlen)
{
	return instream(cd, -1, data, len, res, err, errlen);
}
