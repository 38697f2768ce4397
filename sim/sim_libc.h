/* SPDX-License-Identifier: MIT */
/*
 * sim/sim_libc.h - the simulator's observed libc routines (sim/libc.c):
 * declared once for sim/libc.c and for sim_instrument.h, which routes an
 * instrumented file's calls to them.
 */
#ifndef COHERENT_SIM_LIBC_H
#define COHERENT_SIM_LIBC_H

#include <stddef.h>

int sim__memcmp(const void *a, const void *b, size_t n);
int sim__bcmp(const void *a, const void *b, size_t n);
void *sim__memchr(const void *s, int c, size_t n);
void *sim__memrchr(const void *s, int c, size_t n);
size_t sim__strlen(const char *s);
size_t sim__strnlen(const char *s, size_t n);
int sim__strcmp(const char *a, const char *b);
int sim__strncmp(const char *a, const char *b, size_t n);
char *sim__strcpy(char *d, const char *s);
char *sim__strncpy(char *d, const char *s, size_t n);
char *sim__strcat(char *d, const char *s);
char *sim__strchr(const char *s, int c);
char *sim__strrchr(const char *s, int c);
void *sim__memccpy(void *d, const void *s, int c, size_t n);
void *sim__mempcpy(void *d, const void *s, size_t n);
void sim__bzero(void *d, size_t n);
void sim__explicit_bzero(void *d, size_t n);

#endif
