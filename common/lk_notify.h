/*
 * lk_notify.h: telling a service manager how a long-running command is
 * (systemd's sd_notify protocol, without libsystemd): READY=1 once it serves,
 * STOPPING=1 when it begins to stop. Nothing when $NOTIFY_SOCKET is unset,
 * as when the command runs outside a Type=notify unit.
 */
#ifndef LK_NOTIFY_H
#define LK_NOTIFY_H

/**
 * Sends `state` ("READY=1", "STOPPING=1", ...) to $NOTIFY_SOCKET, an AF_UNIX
 * datagram socket (a path, or "@name" in the abstract namespace). Returns 1
 * sent, 0 no socket named, -1 it could not be sent (errno set; a service
 * manager that stopped listening is no reason for the command to stop).
 */
int lk_notify(const char *state);

#endif
