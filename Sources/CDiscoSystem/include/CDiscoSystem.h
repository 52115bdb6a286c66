#ifndef C_DISCO_SYSTEM_H
#define C_DISCO_SYSTEM_H

#include <pthread.h>
#include <stddef.h>

/// glibc functions that the Glibc module map leaves out (they need _GNU_SOURCE or <malloc.h>).

/// Names the calling thread for `top -H` and `perf` (at most 15 bytes are kept). Returns 0 or an errno value.
int disco_set_current_thread_name(const char *name);

/// `pipe2(ends, O_CLOEXEC)`: both ends close on exec. Returns 0, or -1 with errno set.
int disco_pipe_cloexec(int ends[2]);

/// `malloc_trim(pad)`: returns freed heap to the system. Returns 1 if memory was released, else 0.
int disco_malloc_trim(size_t pad);

#endif
