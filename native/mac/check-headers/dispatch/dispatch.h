// SYNTAX-CHECK DECLARATIONS ONLY (see ../README.md). The libdispatch calls native/mac/broker_mac.mm
// makes, as Apple documents them (developer.apple.com/documentation/dispatch); not Apple's header.
// Debian's GNUstep has no libdispatch headers. On macOS dispatch_queue_t is an Objective-C object
// type; an opaque pointer is enough to check how we call these.
#ifndef ENTRA_BROKER_CHECK_DISPATCH_H_
#define ENTRA_BROKER_CHECK_DISPATCH_H_

typedef struct dispatch_queue_s* dispatch_queue_t;
typedef void (^dispatch_block_t)(void);

extern "C" {
dispatch_queue_t dispatch_get_main_queue(void);
void dispatch_async(dispatch_queue_t queue, dispatch_block_t block);
}

#endif  // ENTRA_BROKER_CHECK_DISPATCH_H_
