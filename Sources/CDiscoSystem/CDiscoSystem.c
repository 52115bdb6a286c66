#define _GNU_SOURCE
#include "CDiscoSystem.h"

#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

int disco_set_current_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = '\0';
    return pthread_setname_np(pthread_self(), truncated);
}

int disco_pipe_cloexec(int ends[2]) {
    return pipe2(ends, O_CLOEXEC);
}

int disco_malloc_trim(size_t pad) {
    return malloc_trim(pad);
}
