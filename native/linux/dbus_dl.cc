// Run-time loading of libdbus-1 (see dbus_dl.h). The library stays loaded for the life of the process.
#include "dbus_dl.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>

namespace entra_broker {
namespace dbus {

namespace {

constexpr const char* kSoname = "libdbus-1.so.3";

// Both leaked on purpose: nothing to destroy at exit while a call thread may still use them.
const Api* g_api = nullptr;
std::string* g_why = nullptr;

template <typename Fn>
bool Resolve(void* lib, const char* symbol, Fn* slot, std::string* missing) {
  void* p = dlsym(lib, symbol);
  if (p == nullptr) {
    if (!missing->empty()) *missing += ", ";
    *missing += symbol;
    return false;
  }
  *slot = reinterpret_cast<Fn>(p);
  return true;
}

void LoadOnce() {
  // ENTRA_BROKER_LIBDBUS names another file to load instead (tests use it to simulate absence).
  const char* override_name = std::getenv("ENTRA_BROKER_LIBDBUS");
  const char* name = (override_name != nullptr && *override_name != '\0') ? override_name : kSoname;
  void* lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* err = dlerror();
    g_why = new std::string(std::string("the D-Bus client library ") + name + " could not be loaded (" +
                            (err != nullptr ? err : "unknown error") +
                            "); install it (Debian/Ubuntu: apt install libdbus-1-3; Fedora/RHEL: dnf "
                            "install dbus-libs; Arch: pacman -S dbus) to use the Linux identity broker");
    return;
  }
  auto* api = new Api();
  std::string missing;
  bool ok = true;
  ok &= Resolve(lib, "dbus_threads_init_default", &api->threads_init_default, &missing);
  ok &= Resolve(lib, "dbus_error_init", &api->error_init, &missing);
  ok &= Resolve(lib, "dbus_error_free", &api->error_free, &missing);
  ok &= Resolve(lib, "dbus_connection_open_private", &api->connection_open_private, &missing);
  ok &= Resolve(lib, "dbus_connection_get_is_connected", &api->connection_get_is_connected, &missing);
  ok &= Resolve(lib, "dbus_connection_get_is_authenticated", &api->connection_get_is_authenticated, &missing);
  ok &= Resolve(lib, "dbus_connection_get_socket", &api->connection_get_socket, &missing);
  ok &= Resolve(lib, "dbus_connection_has_messages_to_send", &api->connection_has_messages_to_send, &missing);
  ok &= Resolve(lib, "dbus_connection_read_write", &api->connection_read_write, &missing);
  ok &= Resolve(lib, "dbus_connection_dispatch", &api->connection_dispatch, &missing);
  ok &= Resolve(lib, "dbus_connection_set_exit_on_disconnect", &api->connection_set_exit_on_disconnect, &missing);
  ok &= Resolve(lib, "dbus_connection_close", &api->connection_close, &missing);
  ok &= Resolve(lib, "dbus_connection_unref", &api->connection_unref, &missing);
  ok &= Resolve(lib, "dbus_connection_send_with_reply", &api->connection_send_with_reply, &missing);
  ok &= Resolve(lib, "dbus_message_new_method_call", &api->message_new_method_call, &missing);
  ok &= Resolve(lib, "dbus_message_append_args", &api->message_append_args, &missing);
  ok &= Resolve(lib, "dbus_message_get_args", &api->message_get_args, &missing);
  ok &= Resolve(lib, "dbus_message_get_type", &api->message_get_type, &missing);
  ok &= Resolve(lib, "dbus_set_error_from_message", &api->set_error_from_message, &missing);
  ok &= Resolve(lib, "dbus_message_unref", &api->message_unref, &missing);
  ok &= Resolve(lib, "dbus_pending_call_get_completed", &api->pending_call_get_completed, &missing);
  ok &= Resolve(lib, "dbus_pending_call_steal_reply", &api->pending_call_steal_reply, &missing);
  ok &= Resolve(lib, "dbus_pending_call_cancel", &api->pending_call_cancel, &missing);
  ok &= Resolve(lib, "dbus_pending_call_unref", &api->pending_call_unref, &missing);
  if (!ok) {
    g_why = new std::string(std::string(name) + " was loaded but lacks " + missing +
                            "; install a libdbus-1 of version 1.6 or later (Debian/Ubuntu: libdbus-1-3)");
    delete api;
    return;  // lib stays loaded: harmless, and dlclose could race with other users
  }
  if (!api->threads_init_default()) {
    g_why = new std::string("dbus_threads_init_default() failed (out of memory)");
    delete api;
    return;
  }
  g_api = api;
}

}  // namespace

const Api* Load(std::string* why) {
  static std::once_flag once;
  std::call_once(once, LoadOnce);
  if (g_api == nullptr && why != nullptr && g_why != nullptr) *why = *g_why;
  return g_api;
}

}  // namespace dbus
}  // namespace entra_broker
