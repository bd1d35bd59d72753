// MinGW builds link Node-API through a delay-load import library for "node.exe" (made from
// node-api-headers' .def files). This hook binds that import to the running executable instead, so
// the same binary works in node.exe and in electron.exe (or any renamed host that exports Node-API),
// as node-gyp's win_delay_load_hook.cc does for MSVC builds (which get that file from node-gyp).
#if defined(__MINGW32__)
#include <windows.h>
#include <delayimp.h>

namespace {

FARPROC WINAPI BindToHostExecutable(unsigned notify, PDelayLoadInfo info) {
  if (notify == dliNotePreLoadLibrary && info != nullptr && info->szDll != nullptr &&
      lstrcmpiA(info->szDll, "node.exe") == 0) {
    return reinterpret_cast<FARPROC>(GetModuleHandleW(nullptr));
  }
  return nullptr;
}

}  // namespace

// Declared extern "C" by <delayimp.h>; mingw's __delayLoadHelper2 calls it.
PfnDliHook __pfnDliNotifyHook2 = BindToHostExecutable;
#endif
