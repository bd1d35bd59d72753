// Every OS without a broker client: the addon loads, and each call says so.
#if defined(__unix__) || defined(__APPLE__)
#include <dlfcn.h>
#endif

#include "../broker.h"

namespace entra_broker {

const char* BrokerBackendName() { return "unsupported"; }

BrokerOutcome RunBrokerCall(const BrokerCall& call, const CancelToken&) {
  return BrokerOutcome::Failure(codes::kUnsupportedPlatform,
                                std::string("no identity broker client is built for this platform (operation ") +
                                    BrokerOpName(call.op) + ")");
}

// Calls still run on threads of the binding's own here, so the module is pinned as on Linux
// (native/linux/pin_module.cc); where dladdr is unknown there is nothing portable to do.
void PinModuleForProcessLifetime() {
#if defined(__unix__) || defined(__APPLE__)
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&PinModuleForProcessLifetime), &info) != 0 && info.dli_fname != nullptr)
    (void)dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
#endif
}

}  // namespace entra_broker
