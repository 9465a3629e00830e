/* child: forking a child process the way forkgp's children need it. */
#define _GNU_SOURCE /* F_SETOWN_EX */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__linux__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ &&       \
    (defined(__x86_64__) || defined(__aarch64__))
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <linux/sockios.h> /* FIOSETOWN, SIOCSPGRP */
#define CHILD_SECCOMP 1
#if defined(__x86_64__)
#define CHILD_ARCH AUDIT_ARCH_X86_64
#else
#define CHILD_ARCH AUDIT_ARCH_AARCH64
#endif
#endif

pid_t child_fork(void)
{
    fflush(stdout);
    fflush(stderr);
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t pid = fork();
    if (pid == 0)
        return 0;
    int saved = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return pid;
}

#ifdef CHILD_SECCOMP
/* The low 32 bits of a system call's argument (little-endian): what the
 * kernel reads of an int. */
#define ARG(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define LOAD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
/* if A == k, skip jt instructions, else skip jf */
#define JEQ(k, jt, jf) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (jt), (jf))
#define JUMP(n) BPF_STMT(BPF_JMP | BPF_JA, (n))
#define ALLOW SECCOMP_RET_ALLOW
#define DENY (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#endif

int child_guard_parent(pid_t parent, pid_t parent_group)
{
#ifdef CHILD_SECCOMP
    unsigned p = (unsigned)parent, g = (unsigned)-parent_group,
             np = (unsigned)-parent, all = (unsigned)-1;
    /* The numbers on the right are the instructions' indices, which the
     * jumps count from. */
    struct sock_filter code[] = {
        LOAD(offsetof(struct seccomp_data, arch)),  /* 0 */
        JEQ(CHILD_ARCH, 1, 0),                      /* 1 */
        RET(ALLOW),                                 /* 2 */
        LOAD(offsetof(struct seccomp_data, nr)),    /* 3 */
        /* kill(pid): the parent, its group (-pgid; -pid when it leads
         * one) or every process (-1) */
        JEQ(SYS_kill, 0, 7),                        /* 4 */
        LOAD(ARG(0)),                               /* 5 */
        JEQ(p, 4, 0),                               /* 6 */
        JEQ(g, 3, 0),                               /* 7 */
        JEQ(np, 2, 0),                              /* 8 */
        JEQ(all, 1, 0),                             /* 9 */
        RET(ALLOW),                                 /* 10 */
        RET(DENY),                                  /* 11 */
        /* tkill(tid), tgkill(tgid), rt_sigqueueinfo(pid),
         * rt_tgsigqueueinfo(tgid): the parent */
        JEQ(SYS_tkill, 4, 0),                       /* 12 */
        JEQ(SYS_tgkill, 3, 0),                      /* 13 */
        JEQ(SYS_rt_sigqueueinfo, 2, 0),             /* 14 */
        JEQ(SYS_rt_tgsigqueueinfo, 1, 0),           /* 15 */
        JUMP(4),                                    /* 16 */
        LOAD(ARG(0)),                               /* 17 */
        JEQ(p, 1, 0),                               /* 18 */
        RET(ALLOW),                                 /* 19 */
        RET(DENY),                                  /* 20 */
        /* pidfd_send_signal: a pidfd may be the parent's /proc folder */
        JEQ(SYS_pidfd_send_signal, 0, 1),           /* 21 */
        RET(DENY),                                  /* 22 */
        /* fcntl(fd, F_SETOWN, the parent or its group), which with
         * F_SETSIG sends any signal on I/O; F_SETOWN_EX's target is
         * behind a pointer: refused */
        JEQ(SYS_fcntl, 0, 8),                       /* 23 */
        LOAD(ARG(1)),                               /* 24 */
        JEQ(F_SETOWN_EX, 5, 0),                     /* 25 */
        JEQ(F_SETOWN, 0, 3),                        /* 26 */
        LOAD(ARG(2)),                               /* 27 */
        JEQ(p, 2, 0),                               /* 28 */
        JEQ(g, 1, 0),                               /* 29 */
        RET(ALLOW),                                 /* 30 */
        RET(DENY),                                  /* 31 */
        /* ioctl(fd, FIOSETOWN or SIOCSPGRP): F_SETOWN by other names */
        JEQ(SYS_ioctl, 1, 0),                       /* 32 */
        RET(ALLOW),                                 /* 33 */
        LOAD(ARG(1)),                               /* 34 */
        JEQ(FIOSETOWN, 2, 0),                       /* 35 */
        JEQ(SIOCSPGRP, 1, 0),                       /* 36 */
        RET(ALLOW),                                 /* 37 */
        RET(DENY),                                  /* 38 */
    };
    struct sock_fprog prog = {(unsigned short)(sizeof code / sizeof code[0]),
                              code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
        return -1;
    return 0;
#else
    (void)parent;
    (void)parent_group;
    errno = ENOSYS;
    return -1;
#endif
}
