// SYNTAX-CHECK DECLARATIONS ONLY (see ../README.md). From Apple's <malloc/malloc.h> as documented
// (man malloc_zone_from_ptr: "returns the zone a pointer was allocated from, or NULL"); not Apple's header.
#ifndef ENTRA_BROKER_CHECK_MALLOC_H_
#define ENTRA_BROKER_CHECK_MALLOC_H_

typedef struct _malloc_zone_t malloc_zone_t;

extern "C" malloc_zone_t* malloc_zone_from_ptr(const void* ptr);

#endif  // ENTRA_BROKER_CHECK_MALLOC_H_
