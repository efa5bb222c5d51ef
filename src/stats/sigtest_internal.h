/* Shared by the significance tests of src/stats/ (perfcmp/sigtest.h); not a public header. */
#ifndef PERFCMP_SIGTEST_INTERNAL_H
#define PERFCMP_SIGTEST_INTERNAL_H

/* Turn GSL's default error handler (print and abort) off, once: library code never aborts.
 * Arguments are checked before they reach GSL; this covers what checking cannot, such as a
 * continued fraction that does not converge (GSL then returns NaN, which callers check). */
void pc_sigtest_gsl_quiet(void);

#endif
