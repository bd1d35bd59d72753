// The caller's parent window handle, checked before it is messaged.
#ifndef ENTRA_BROKER_MAC_MAC_WINDOW_H_
#define ENTRA_BROKER_MAC_MAC_WINDOW_H_

#import <AppKit/AppKit.h>

#include <cstdint>
#include <string>

#if !__has_feature(objc_arc)
#error "native/mac needs ARC (binding.gyp CLANG_ENABLE_OBJC_ARC, CMakeLists.txt -fobjc-arc)"
#endif

namespace entra_broker {
namespace mac {

// Main thread only. The window the caller named: Electron's getNativeWindowHandle() is an NSView*;
// an NSWindow* is accepted too. A number that is not a live object of this process would crash
// objc_msgSend, so it must come from a malloc zone before it is messaged. nil: none usable was named.
NSWindow* ParentWindow(std::uint64_t handle, std::string* problem);

}  // namespace mac
}  // namespace entra_broker

#endif  // ENTRA_BROKER_MAC_MAC_WINDOW_H_
