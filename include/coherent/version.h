/* SPDX-License-Identifier: MIT */
/**
 * @file
 * @brief The library's version, at compile time and at run time.
 *
 * Semantic versioning of the public API (include/coherent/, except
 * backend.h, which is for backend implementers): a release that removes or
 * changes a public symbol, a structure a caller allocates or a documented
 * behaviour bumps MAJOR; one that only adds bumps MINOR; fixes bump PATCH.
 * While MAJOR is 0, MINOR plays MAJOR's part.  The public symbol list is
 * kept in docs/api/symbols.txt and `make test` compares it with the headers.
 * CMakeLists.txt reads the version from here: this is the one place it lives.
 */
#ifndef COHERENT_VERSION_H
#define COHERENT_VERSION_H

/** @brief Major version: incompatible API changes. */
#define COH_VERSION_MAJOR 0
/** @brief Minor version: compatible additions. */
#define COH_VERSION_MINOR 1
/** @brief Patch version: fixes only. */
#define COH_VERSION_PATCH 0
/** @brief One number for comparisons: MAJOR * 10000 + MINOR * 100 + PATCH. */
#define COH_VERSION (COH_VERSION_MAJOR * 10000 + COH_VERSION_MINOR * 100 + COH_VERSION_PATCH)
#define COH__VSTR(x) #x
#define COH__VXSTR(x) COH__VSTR(x)
/** @brief "MAJOR.MINOR.PATCH" */
#define COH_VERSION_STRING \
	COH__VXSTR(COH_VERSION_MAJOR) "." COH__VXSTR(COH_VERSION_MINOR) "." COH__VXSTR(COH_VERSION_PATCH)

/**
 * @brief The version of the library linked in, as COH_VERSION computes it.
 *
 * Compare with COH_VERSION (the headers compiled against) to catch a
 * program built against one version and linked with another.
 * @return MAJOR * 10000 + MINOR * 100 + PATCH.  Never fails; any context.
 */
int coh_version(void);

/**
 * @brief The linked library's version as "MAJOR.MINOR.PATCH".
 * @return A static string.  Never fails; any context.
 */
const char *coh_version_string(void);

#endif /* COHERENT_VERSION_H */
