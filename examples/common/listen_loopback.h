// How the example servers start: the command line's PORT, and a listening
// socket on it. Setting that up is not what the examples are about
// (echo_server keeps its own copy, so that it stays a single file one can
// read and build alone).
#pragma once

// listen_from_args() begins the main() of a server run as
// "ARGV0 PORT [more]": without a PORT it prints "usage: ARGV0 USAGE" and
// exits with 2. Else it listens on 127.0.0.1:PORT (PORT 0: any free port)
// with a socket of type SOCK_STREAM | type_flags (SOCK_NONBLOCK, say),
// prints "PROGRAM: listening on 127.0.0.1:PORT" for whoever started the
// server, and returns the socket; it exits with 1 if it cannot listen.
int listen_from_args(const char *program, int argc, char **argv, const char *usage,
                     int type_flags = 0);
