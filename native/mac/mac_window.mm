#import "mac_window.h"

#include <malloc/malloc.h>

namespace entra_broker {
namespace mac {

NSWindow* ParentWindow(std::uint64_t handle, std::string* problem) {
  if (handle == 0) return nil;
  const void* pointer = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(handle));
  id object = malloc_zone_from_ptr(pointer) != nullptr ? (__bridge id)pointer : nil;
  if ([object isKindOfClass:[NSView class]]) return [(NSView*)object window];  // nil: in no window yet
  if ([object isKindOfClass:[NSWindow class]]) return (NSWindow*)object;
  *problem = "parentWindowHandle is not an NSView* or NSWindow* of this process "
             "(pass BrowserWindow.getNativeWindowHandle())";
  return nil;
}

}  // namespace mac
}  // namespace entra_broker
