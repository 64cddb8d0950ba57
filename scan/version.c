/* version.c: libclamav's version and a signature count, for --version. */
#include <clamav.h>

#include "scan.h"

const char *scan_library_version(void)
{
	return cl_retver();
}

long scan_count_signatures(const char *dir)
{
	unsigned int n = 0;
	/* cl_countsigs reads the database files' headers without loading an engine. */
	if (cl_init(CL_INIT_DEFAULT) != CL_SUCCESS ||
	    cl_countsigs(dir, CL_COUNTSIGS_ALL, &n) != CL_SUCCESS)
		return -1;
	return (long)n;
}
