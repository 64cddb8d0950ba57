/*
 * server.c: the HTTP side, on libmicrohttpd. One thread per connection
 * (so --slow-ms and large uploads never hold up other clients), bodies
 * gathered up to the configured limit (libmicrohttpd sets none), then one
 * call to api_handle() per request.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "internal.h"
#include "lk_buf.h"

#define MAX_ARGS 64

struct conn_state {
	struct lk_buf body;   /* limited to --max-body */
	int too_large;
};

struct args {
	const char *names[MAX_ARGS], *values[MAX_ARGS];
	size_t n;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct args *a = cls;
	if (a->n < MAX_ARGS) {
		a->names[a->n] = key;
		a->values[a->n++] = value;
	}
	return MHD_YES;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, struct reply *r)
{
	struct MHD_Response *resp;
	if (r->raw) {
		resp = MHD_create_response_from_buffer(r->raw_len, r->raw, MHD_RESPMEM_MUST_FREE);
		r->raw = NULL;
	} else {
		char *text = json_dumps(r->json, JSON_COMPACT);
		if (!text)
			return MHD_NO;
		resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(text);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				r->content_type ? r->content_type : "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result too_large(struct sandbox *sb, struct MHD_Connection *conn)
{
	char msg[128];
	struct reply r = {0};
	snprintf(msg, sizeof msg, "Request body is larger than %zu bytes (a letter may be at most 2 MiB)",
		 sb->cfg.max_body);
	reply_error(&r, 413, "RequestEntityTooLarge", msg);
	enum MHD_Result ret = send_reply(conn, &r);
	reply_clear(&r);
	return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
			       const char *version, const char *upload_data, size_t *upload_data_size,
			       void **con_cls)
{
	struct sandbox *sb = cls;
	struct conn_state *cs = *con_cls;

	if (!cs) {
		cs = calloc(1, sizeof *cs);
		if (!cs)
			return MHD_NO;
		*con_cls = cs;
		cs->body.limit = sb->cfg.max_body;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
		unsigned long long length = cl ? strtoull(cl, NULL, 10) : 0;
		if (length > sb->cfg.max_body) {
			cs->too_large = 1;
			/* A client that waits for 100 Continue gets its 413 before sending the body.
			 * One already sending would see its connection reset and never read the
			 * answer, so its body is read and thrown away, unless it is absurdly big. */
			if ((expect && strcasecmp(expect, "100-continue") == 0) || length / 64 > sb->cfg.max_body)
				return too_large(sb, conn);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (cs->too_large)
			return MHD_YES;
		lk_buf_append(&cs->body, upload_data, n);
		if (cs->body.over) {   /* past --max-body: the rest is read and thrown away */
			cs->too_large = 1;
			lk_buf_free(&cs->body);
		} else if (cs->body.oom) {
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (cs->too_large)
		return too_large(sb, conn);

	struct args a = {0};
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
	struct request rq = {
		.method = method,
		.path = url,
		.authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
		.body = cs->body.data,
		.body_len = cs->body.len,
		.arg_names = a.names,
		.arg_values = a.values,
		.n_args = a.n,
	};
	struct reply r = {0};
	api_handle(sb, &rq, &r);
	/* A dropped request closes the connection with no answer: the client cannot know the outcome. */
	enum MHD_Result ret = r.drop || !r.status ? MHD_NO : send_reply(conn, &r);
	reply_clear(&r);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;
	if (cs) {
		lk_buf_free(&cs->body);
		free(cs);
		*con_cls = NULL;
	}
}

/* libmicrohttpd's own format strings. */
__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	sb_log(cls, "http: %s", msg);
}

int server_start(struct sandbox *sb, char *err, size_t errlen)
{
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC;
	struct listener l;
	if (listen_socket(sb->cfg.listen_addr, sb->cfg.port, &l, err, errlen) < 0)
		return -1;   /* a port in use is refused there: never shared (listen.c) */
	if (l.is_v6)
		flags |= MHD_USE_IPv6;
	sb->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handler, sb,
				      MHD_OPTION_EXTERNAL_LOGGER, mhd_log, sb,
				      MHD_OPTION_LISTEN_SOCKET, (MHD_socket)l.fd,
				      MHD_OPTION_NOTIFY_COMPLETED, completed, sb,
				      /* Idle or slowloris clients cost a thread each: bounded in
				       * time (idle), in number, and in number per address. */
				      MHD_OPTION_CONNECTION_TIMEOUT, sb->cfg.connection_timeout_s,
				      MHD_OPTION_CONNECTION_LIMIT, sb->cfg.max_connections,
				      MHD_OPTION_PER_IP_CONNECTION_LIMIT, sb->cfg.max_connections_per_ip,
				      MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 * 1024),
				      MHD_OPTION_END);
	if (!sb->daemon) {
		/* The socket is not closed here: libmicrohttpd may have closed it already. */
		snprintf(err, errlen, "cannot serve on %s port %d (see the http: lines above)", sb->cfg.listen_addr,
			 l.port);
		return -1;
	}
	snprintf(sb->base_url, sizeof sb->base_url, l.is_v6 ? "http://[%s]:%d" : "http://%s:%d",
		 sb->cfg.listen_addr, l.port);
	return 0;
}

void server_stop(struct sandbox *sb)
{
	if (!sb->daemon)
		return;
	/* Stop accepting, then wait for the requests in progress (their letters are committed first). */
	MHD_socket listening = MHD_quiesce_daemon(sb->daemon);
	MHD_stop_daemon(sb->daemon);
	if (listening != MHD_INVALID_SOCKET)   /* quiesced, it is ours to close */
		close(listening);
	sb->daemon = NULL;
}
