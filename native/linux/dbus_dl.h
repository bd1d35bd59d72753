// The few libdbus-1 types and functions the Linux broker client uses, declared by hand and resolved
// at run time with dlopen/dlsym, so the addon loads on machines without libdbus-1 (the call then
// fails with LIBRARY_MISSING). Layouts and values follow <dbus/dbus.h> (libdbus 1.x, stable ABI):
// dbus-errors.h (DBusError), dbus-protocol.h (type codes, message types), dbus-shared.h.
#ifndef ENTRA_BROKER_LINUX_DBUS_DL_H_
#define ENTRA_BROKER_LINUX_DBUS_DL_H_

#include <cstdint>
#include <string>

namespace entra_broker {
namespace dbus {

using dbus_bool_t = std::uint32_t;
struct DBusConnection;
struct DBusMessage;
struct DBusPendingCall;

struct DBusError {  // dbus-errors.h; initialised by error_init, freed by error_free
  const char* name;
  const char* message;
  unsigned int dummy1 : 1;
  unsigned int dummy2 : 1;
  unsigned int dummy3 : 1;
  unsigned int dummy4 : 1;
  unsigned int dummy5 : 1;
  void* padding1;
};

constexpr int kTypeInvalid = 0;               // DBUS_TYPE_INVALID
constexpr int kTypeString = 's';              // DBUS_TYPE_STRING
constexpr int kMessageTypeMethodReturn = 2;   // DBUS_MESSAGE_TYPE_METHOD_RETURN
constexpr int kMessageTypeError = 3;          // DBUS_MESSAGE_TYPE_ERROR
constexpr int kTimeoutInfinite = 0x7fffffff;  // DBUS_TIMEOUT_INFINITE
constexpr int kDispatchDataRemains = 0;       // DBUS_DISPATCH_DATA_REMAINS

// One pointer per libdbus function; filled by Load().
struct Api {
  dbus_bool_t (*threads_init_default)();
  void (*error_init)(DBusError*);
  void (*error_free)(DBusError*);
  DBusConnection* (*connection_open_private)(const char*, DBusError*);
  dbus_bool_t (*connection_get_is_connected)(DBusConnection*);
  dbus_bool_t (*connection_get_is_authenticated)(DBusConnection*);
  dbus_bool_t (*connection_get_socket)(DBusConnection*, int*);
  dbus_bool_t (*connection_has_messages_to_send)(DBusConnection*);
  dbus_bool_t (*connection_read_write)(DBusConnection*, int);
  int (*connection_dispatch)(DBusConnection*);  // a DBusDispatchStatus
  void (*connection_set_exit_on_disconnect)(DBusConnection*, dbus_bool_t);
  void (*connection_close)(DBusConnection*);
  void (*connection_unref)(DBusConnection*);
  dbus_bool_t (*connection_send_with_reply)(DBusConnection*, DBusMessage*, DBusPendingCall**, int);
  DBusMessage* (*message_new_method_call)(const char*, const char*, const char*, const char*);
  dbus_bool_t (*message_append_args)(DBusMessage*, int, ...);
  dbus_bool_t (*message_get_args)(DBusMessage*, DBusError*, int, ...);
  int (*message_get_type)(DBusMessage*);
  dbus_bool_t (*set_error_from_message)(DBusError*, DBusMessage*);
  void (*message_unref)(DBusMessage*);
  dbus_bool_t (*pending_call_get_completed)(DBusPendingCall*);
  DBusMessage* (*pending_call_steal_reply)(DBusPendingCall*);
  void (*pending_call_cancel)(DBusPendingCall*);
  void (*pending_call_unref)(DBusPendingCall*);
};

// Loads libdbus-1 once per process (thread-safe) and calls dbus_threads_init_default().
// Returns nullptr and sets *why (dlerror text and what to install) when it cannot.
const Api* Load(std::string* why);

}  // namespace dbus
}  // namespace entra_broker

#endif  // ENTRA_BROKER_LINUX_DBUS_DL_H_
