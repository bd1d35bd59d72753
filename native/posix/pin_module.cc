// Linux, macOS and other POSIX systems: PinModuleForProcessLifetime() (broker.h). dladdr() on a function of ours names
// the loaded .node file; dlopen(RTLD_NOLOAD | RTLD_NODELETE) on that name marks it never to be unloaded (glibc, musl
// and macOS's dyld honour RTLD_NODELETE on an object already loaded), and the reference it takes is never dropped, so
// Node's dlclose() at the last environment's teardown leaves the code mapped.
#include <dlfcn.h>

#include "../broker.h"

namespace entra_broker {

void PinModuleForProcessLifetime() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&PinModuleForProcessLifetime), &info) == 0 || info.dli_fname == nullptr) return;
  // The handle is leaked on purpose: it is the reference that keeps the object loaded.
  (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
}

}  // namespace entra_broker
