#include "module_pin.h"

#include <windows.h>

namespace entra_broker {

void PinModuleForProcessLifetime() {
  // Pinning twice is harmless: the flag only marks the module as never to be unloaded.
  HMODULE self = nullptr;
  GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                     reinterpret_cast<LPCWSTR>(&PinModuleForProcessLifetime), &self);
}

namespace {
// At load (DLL_PROCESS_ATTACH runs static initialisers), before any environment can unload it and
// before a call's thread exists. GetModuleHandleExW loads nothing, so it is safe under the loader lock.
const bool g_pinned_at_load = (PinModuleForProcessLifetime(), true);
}  // namespace

}  // namespace entra_broker
