/* version.c: the version of libharu in use, for --version. */
#include <hpdf.h>

#include "compose.h"

const char *compose_libharu_version(void)
{
	return HPDF_GetVersion();
}
