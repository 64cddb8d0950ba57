/*
 * listen.c: the sandbox's listening socket, bound here rather than by
 * libmicrohttpd, so that a port in use is refused and said so.
 *
 * libmicrohttpd with MHD_OPTION_LISTENING_ADDRESS_REUSE sets SO_REUSEPORT,
 * with which a second sandbox on the same port binds too and the kernel
 * shares connections between them at random; without it, it says only that
 * it could not start. SO_REUSEADDR alone lets a restarted sandbox take its
 * port back at once (connections of the old one in TIME_WAIT) while bind()
 * still fails with EADDRINUSE when anybody listens there.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

int listen_socket(const char *addr, int port, struct listener *l, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		len = sizeof *v4;
	} else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		len = sizeof *v6;
	} else {
		snprintf(err, errlen, "listen address '%s' is not a numeric IPv4 or IPv6 address", addr);
		return -1;
	}
	l->is_v6 = ss.ss_family == AF_INET6;
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot make a socket for %s: %s", addr, strerror(errno));
		return -1;
	}
	int on = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	if (l->is_v6)   /* this address only, not IPv4 too */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, SOMAXCONN) < 0) {
		int e = errno;
		close(fd);
		if (e == EADDRINUSE)
			snprintf(err, errlen, "port %d is already in use on %s (another sandbox?): stop it, "
				 "or choose another with --port (--port 0 picks a free one)", port, addr);
		else if (e == EADDRNOTAVAIL)
			snprintf(err, errlen, "cannot listen on %s: not an address of this machine (choose one "
				 "with --listen)", addr);
		else if (e == EACCES)
			snprintf(err, errlen, "cannot listen on %s port %d: it needs privileges (choose one above "
				 "1023 with --port)", addr, port);
		else
			snprintf(err, errlen, "cannot listen on %s port %d: %s", addr, port, strerror(e));
		return -1;
	}
	len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		port = ntohs(l->is_v6 ? v6->sin6_port : v4->sin_port);
	l->fd = fd;
	l->port = port;
	return 0;
}
