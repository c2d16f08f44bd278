/* A C library that blocks the calling OS thread (compiled as C, never
   rewritten): what an "offload" rule is for. */
#ifndef SLOWLIB_H
#define SLOWLIB_H
#ifdef __cplusplus
extern "C" {
#endif
/* Blocks 200 ms in usleep; returns x * x and sets errno to 1000 + x. */
int slow_io(int x);
/* Blocks 200 ms; counts as a caller like slow_io. */
void slow_void(void);
/* The most callers ever inside slow_io/slow_void at once. */
int slow_max_concurrent(void);
#ifdef __cplusplus
}
#endif
#endif
